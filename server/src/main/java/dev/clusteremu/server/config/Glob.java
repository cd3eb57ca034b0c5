package dev.clusteremu.server.config;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob-style matching (stringmatchlen in util.c), as CONFIG GET, COMMAND LIST FILTERBY PATTERN,
 * KEYS and SCAN MATCH use it: {@code *} any run, {@code ?} one byte, {@code [abc]} / {@code [^a-z]} classes,
 * {@code \} escapes. Matching is on bytes; "nocase" folds ASCII letters only, like tolower() in the C
 * locale.
 *
 * <p>Redis quirks kept on purpose: a class with no closing bracket ends at the pattern's last byte, a
 * {@code *} never matches at the end of an empty subject ("*" does not match ""), and once the rest of
 * the pattern after a {@code *} has failed at every position, earlier stars are not retried on longer
 * runs (the same answer, found without exponential backtracking).
 */
public final class Glob {
    private final byte[] pattern;
    private final byte[] subject;
    private final boolean nocase;
    /** Set once a star has tried every split: earlier stars can't do better (skipLongerMatches). */
    private boolean exhausted;

    private Glob(byte[] pattern, byte[] subject, boolean nocase) {
        this.pattern = pattern;
        this.subject = subject;
        this.nocase = nocase;
    }

    /** Whether {@code subject} matches {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] subject, boolean nocase) {
        return new Glob(pattern, subject, nocase).match(0, 0);
    }

    /** {@link #matches(byte[], byte[], boolean)} for ASCII text such as config or command names. */
    public static boolean matches(String pattern, String subject, boolean nocase) {
        return matches(pattern.getBytes(StandardCharsets.ISO_8859_1), subject.getBytes(StandardCharsets.ISO_8859_1),
                nocase);
    }

    /** Whether a pattern has any glob metacharacter, i.e. must be matched rather than looked up. */
    public static boolean hasWildcards(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    private boolean match(int p, int s) {
        while (p < pattern.length && s < subject.length) {
            switch (pattern[p]) {
                case '*' -> {
                    while (p + 1 < pattern.length && pattern[p + 1] == '*') {
                        p++;
                    }
                    if (p + 1 == pattern.length) {
                        return true;
                    }
                    for (; s < subject.length; s++) {
                        if (match(p + 1, s)) {
                            return true;
                        }
                        if (exhausted) {
                            return false;
                        }
                    }
                    exhausted = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p = classEnd(p + 1, subject[s]);
                    if (p < 0) {
                        return false;
                    }
                    s++;
                }
                default -> {
                    if (pattern[p] == '\\' && p + 1 < pattern.length) {
                        p++;
                    }
                    if (!same(pattern[p], subject[s])) {
                        return false;
                    }
                    s++;
                }
            }
            p++;
            if (s == subject.length) {
                while (p < pattern.length && pattern[p] == '*') {
                    p++;
                }
                break;
            }
        }
        return p == pattern.length && s == subject.length;
    }

    /**
     * Matches {@code c} against the class starting at {@code p} (just after '['): the index of the class's
     * last pattern byte (its ']' or, unterminated, the pattern's last byte) if it matches, else -1.
     */
    private int classEnd(int p, byte c) {
        boolean negate = p < pattern.length && pattern[p] == '^';
        if (negate) {
            p++;
        }
        boolean found = false;
        while (true) {
            if (p < pattern.length && pattern[p] == '\\' && p + 1 < pattern.length) {
                p++;
                found |= pattern[p] == c;
            } else if (p < pattern.length && pattern[p] == ']') {
                break;
            } else if (p >= pattern.length) {
                p = pattern.length - 1;
                break;
            } else if (p + 2 < pattern.length && pattern[p + 1] == '-') {
                int start = fold(pattern[p]);
                int end = fold(pattern[p + 2]);
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                int x = fold(c);
                found |= x >= start && x <= end;
                p += 2;
            } else {
                found |= same(pattern[p], c);
            }
            p++;
        }
        return found != negate ? p : -1;
    }

    private boolean same(byte a, byte b) {
        return nocase ? fold(a) == fold(b) : a == b;
    }

    /** The byte as an unsigned value, lowercased when matching without case (ASCII letters only). */
    private int fold(byte b) {
        int v = b & 0xff;
        return nocase && v >= 'A' && v <= 'Z' ? v + ('a' - 'A') : v;
    }
}
