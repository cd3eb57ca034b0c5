package dev.clusteremu.server.scripting.lua;

/**
 * Lua 5.1's pattern matcher (lstrlib.c): single-char classes (%a %c %d %l %p %s %u %w %x %z and their
 * complements, in the C locale), sets, the * + - ? repetitions, anchors, %b, %f, back references and up
 * to 32 captures, including position captures. The pattern ends at its first NUL byte, as the C string it
 * is in Lua 5.1.
 */
final class LuaPattern {
    /** LUA_MAXCAPTURES. */
    private static final int MAX_CAPTURES = 32;
    private static final int CAP_UNFINISHED = -1;
    private static final int CAP_POSITION = -2;
    private static final int ESC = '%';

    private final LuaThread l;
    final byte[] src;
    private final byte[] p;
    private final int plen;
    int level;
    private final int[] capInit = new int[MAX_CAPTURES];
    private final int[] capLen = new int[MAX_CAPTURES];

    LuaPattern(LuaThread l, byte[] src, byte[] pattern) {
        this.l = l;
        this.src = src;
        this.p = pattern;
        int n = 0;
        while (n < pattern.length && pattern[n] != 0) {
            n++;
        }
        this.plen = n;
    }

    /** The pattern byte at {@code i}, 0 past its end. */
    int pc(int i) {
        return i < plen ? p[i] & 0xff : 0;
    }

    private int sc(int i) {
        return src[i] & 0xff;
    }

    /** match(): the end of the match of the pattern from {@code pi} at subject position {@code s}, or -1. */
    int match(int s, int pi) {
        while (true) {
            switch (pc(pi)) {
                case '(':
                    if (pc(pi + 1) == ')') {
                        return startCapture(s, pi + 2, CAP_POSITION);
                    }
                    return startCapture(s, pi + 1, CAP_UNFINISHED);
                case ')':
                    return endCapture(s, pi + 1);
                case 0:
                    return s;
                case ESC: {
                    int next = pc(pi + 1);
                    if (next == 'b') {
                        s = matchBalance(s, pi + 2);
                        if (s < 0) {
                            return -1;
                        }
                        pi += 4;
                        continue;
                    }
                    if (next == 'f') {
                        pi += 2;
                        if (pc(pi) != '[') {
                            throw l.error("missing '[' after '%f' in pattern");
                        }
                        int ep = classEnd(pi);
                        int previous = s == 0 ? 0 : sc(s - 1);
                        int cur = s < src.length ? sc(s) : 0;
                        if (matchBracketClass(previous, pi, ep - 1) || !matchBracketClass(cur, pi, ep - 1)) {
                            return -1;
                        }
                        pi = ep;
                        continue;
                    }
                    if (isDigit(next)) {
                        s = matchCapture(s, next);
                        if (s < 0) {
                            return -1;
                        }
                        pi += 2;
                        continue;
                    }
                    break;
                }
                case '$':
                    if (pc(pi + 1) == 0) {
                        return s == src.length ? s : -1;
                    }
                    break;
                default:
                    break;
            }
            int ep = classEnd(pi);
            boolean m = s < src.length && singleMatch(sc(s), pi, ep);
            switch (pc(ep)) {
                case '?': {
                    if (m) {
                        int res = match(s + 1, ep + 1);
                        if (res >= 0) {
                            return res;
                        }
                    }
                    pi = ep + 1;
                    continue;
                }
                case '*':
                    return maxExpand(s, pi, ep);
                case '+':
                    return m ? maxExpand(s + 1, pi, ep) : -1;
                case '-':
                    return minExpand(s, pi, ep);
                default:
                    if (!m) {
                        return -1;
                    }
                    s++;
                    pi = ep;
            }
        }
    }

    private int classEnd(int pi) {
        int c = pc(pi++);
        if (c == ESC) {
            if (pi >= plen) {
                throw l.error("malformed pattern (ends with '%')");
            }
            return pi + 1;
        }
        if (c == '[') {
            if (pc(pi) == '^') {
                pi++;
            }
            do {
                if (pi >= plen) {
                    throw l.error("malformed pattern (missing ']')");
                }
                if (pc(pi++) == ESC && pi < plen) {
                    pi++;
                }
            } while (pc(pi) != ']');
            return pi + 1;
        }
        return pi;
    }

    private static boolean matchClass(int c, int cl) {
        boolean res;
        switch (Character.toLowerCase(cl)) {
            case 'a' -> res = isAlpha(c);
            case 'c' -> res = c < 32 || c == 127;
            case 'd' -> res = isDigit(c);
            case 'l' -> res = c >= 'a' && c <= 'z';
            case 'p' -> res = c >= 33 && c <= 47 || c >= 58 && c <= 64 || c >= 91 && c <= 96 || c >= 123 && c <= 126;
            case 's' -> res = c == ' ' || c >= 9 && c <= 13;
            case 'u' -> res = c >= 'A' && c <= 'Z';
            case 'w' -> res = isAlpha(c) || isDigit(c);
            case 'x' -> res = isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            case 'z' -> res = c == 0;
            default -> {
                return cl == c;
            }
        }
        return cl >= 'a' && cl <= 'z' ? res : !res;
    }

    private boolean matchBracketClass(int c, int pi, int ec) {
        boolean sig = true;
        if (pc(pi + 1) == '^') {
            sig = false;
            pi++;
        }
        while (++pi < ec) {
            if (pc(pi) == ESC) {
                pi++;
                if (matchClass(c, pc(pi))) {
                    return sig;
                }
            } else if (pc(pi + 1) == '-' && pi + 2 < ec) {
                pi += 2;
                if (pc(pi - 2) <= c && c <= pc(pi)) {
                    return sig;
                }
            } else if (pc(pi) == c) {
                return sig;
            }
        }
        return !sig;
    }

    private boolean singleMatch(int c, int pi, int ep) {
        return switch (pc(pi)) {
            case '.' -> true;
            case ESC -> matchClass(c, pc(pi + 1));
            case '[' -> matchBracketClass(c, pi, ep - 1);
            default -> pc(pi) == c;
        };
    }

    private int matchBalance(int s, int pi) {
        if (pc(pi) == 0 || pc(pi + 1) == 0) {
            throw l.error("unbalanced pattern");
        }
        if (s >= src.length || sc(s) != pc(pi)) {
            return -1;
        }
        int b = pc(pi);
        int e = pc(pi + 1);
        int cont = 1;
        while (++s < src.length) {
            if (sc(s) == e) {
                if (--cont == 0) {
                    return s + 1;
                }
            } else if (sc(s) == b) {
                cont++;
            }
        }
        return -1;
    }

    private int maxExpand(int s, int pi, int ep) {
        int i = 0;
        while (s + i < src.length && singleMatch(sc(s + i), pi, ep)) {
            i++;
        }
        while (i >= 0) {
            int res = match(s + i, ep + 1);
            if (res >= 0) {
                return res;
            }
            i--;
        }
        return -1;
    }

    private int minExpand(int s, int pi, int ep) {
        while (true) {
            int res = match(s, ep + 1);
            if (res >= 0) {
                return res;
            }
            if (s < src.length && singleMatch(sc(s), pi, ep)) {
                s++;
            } else {
                return -1;
            }
        }
    }

    private int startCapture(int s, int pi, int what) {
        if (level >= MAX_CAPTURES) {
            throw l.error("too many captures");
        }
        capInit[level] = s;
        capLen[level] = what;
        level++;
        int res = match(s, pi);
        if (res < 0) {
            level--;
        }
        return res;
    }

    private int endCapture(int s, int pi) {
        int lv = captureToClose();
        capLen[lv] = s - capInit[lv];
        int res = match(s, pi);
        if (res < 0) {
            capLen[lv] = CAP_UNFINISHED;
        }
        return res;
    }

    private int captureToClose() {
        for (int lv = level - 1; lv >= 0; lv--) {
            if (capLen[lv] == CAP_UNFINISHED) {
                return lv;
            }
        }
        throw l.error("invalid pattern capture");
    }

    private int matchCapture(int s, int c) {
        int lv = checkCapture(c);
        int len = capLen[lv];
        if (src.length - s >= len
                && java.util.Arrays.equals(src, capInit[lv], capInit[lv] + len, src, s, s + len)) {
            return s + len;
        }
        return -1;
    }

    private int checkCapture(int c) {
        int lv = c - '1';
        if (lv < 0 || lv >= level || capLen[lv] == CAP_UNFINISHED) {
            throw l.error("invalid capture index");
        }
        return lv;
    }

    /** push_onecapture: capture {@code i}, or the whole match [s, e) when there are no captures. */
    Object capture(int i, int s, int e) {
        if (i >= level) {
            if (i == 0) {
                return LuaString.wrap(java.util.Arrays.copyOfRange(src, s, e));
            }
            throw l.error("invalid capture index");
        }
        int len = capLen[i];
        if (len == CAP_UNFINISHED) {
            throw l.error("unfinished capture");
        }
        if (len == CAP_POSITION) {
            return (double) (capInit[i] + 1);
        }
        return LuaString.wrap(java.util.Arrays.copyOfRange(src, capInit[i], capInit[i] + len));
    }

    /** push_captures: all captures, or the whole match when there are none and {@code s >= 0}. */
    Object[] captures(int s, int e) {
        int n = level == 0 && s >= 0 ? 1 : level;
        Object[] r = new Object[n];
        for (int i = 0; i < n; i++) {
            r[i] = capture(i, s, e);
        }
        return r;
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
