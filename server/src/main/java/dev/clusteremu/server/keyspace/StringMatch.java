package dev.clusteremu.server.keyspace;

/**
 * Glob-style matching exactly as Redis's stringmatchlen (util.c) does it, for KEYS and SCAN MATCH: '*' any
 * run of bytes, '?' one byte, '[...]' a set with ranges 'a-z' and negation '^', '\' escaping the next byte,
 * case-sensitive.
 *
 * <p>Redis's quirks are part of the contract, since clients see them: an unterminated '[' set ends at the
 * end of the pattern; a range compares bytes as signed C chars and accepts reversed bounds ('[z-a]'); a
 * non-empty pattern never matches the empty string unless it is empty itself (a lone "*" is special-cased
 * by the commands, not here); '\' as the last pattern byte is a literal backslash.
 *
 * <p>Redis recurses at each '*' and, once a deeper '*' has tried every position, gives up entirely
 * (skipLongerMatches): a longer match for an earlier star cannot help. That makes backtracking to the
 * most recent star the only backtracking needed, which is what this loop does, in linear stack space.
 */
public final class StringMatch {
    private static final int NO_MATCH = -1;

    private StringMatch() {
    }

    /** Whether {@code string} matches the glob {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] string) {
        int plen = pattern.length;
        int slen = string.length;
        int p = 0;
        int s = 0;
        int starPattern = -1;
        int starString = -1;
        while (true) {
            boolean failed = false;
            while (p < plen && s < slen) {
                if (pattern[p] == '*') {
                    while (p + 1 < plen && pattern[p + 1] == '*') {
                        p++;
                    }
                    if (p == plen - 1) {
                        return true;
                    }
                    starPattern = ++p;
                    starString = s;
                    continue;
                }
                int next = matchOne(pattern, p, string[s]);
                if (next == NO_MATCH) {
                    failed = true;
                    break;
                }
                p = next;
                s++;
                if (s == slen) {
                    while (p < plen && pattern[p] == '*') {
                        p++;
                    }
                }
            }
            if (!failed && p == plen && s == slen) {
                return true;
            }
            // Retry the part after the last star one byte further on; the star never tries the empty rest.
            if (starPattern < 0 || ++starString >= slen) {
                return false;
            }
            p = starPattern;
            s = starString;
        }
    }

    /**
     * Matches the pattern element at {@code p} (not a star) against one byte; returns the position after
     * the element, or {@link #NO_MATCH}.
     */
    private static int matchOne(byte[] pattern, int p, byte c) {
        int plen = pattern.length;
        switch (pattern[p]) {
            case '?':
                return p + 1;
            case '[':
                return matchSet(pattern, p + 1, c);
            case '\\':
                if (plen - p >= 2) {
                    return pattern[p + 1] == c ? p + 2 : NO_MATCH;
                }
                return c == '\\' ? p + 1 : NO_MATCH;
            default:
                return pattern[p] == c ? p + 1 : NO_MATCH;
        }
    }

    /** The inside of a '[' set starting at {@code p}; returns the position after its ']' (or the end). */
    private static int matchSet(byte[] pattern, int p, byte c) {
        int plen = pattern.length;
        boolean not = p < plen && pattern[p] == '^';
        if (not) {
            p++;
        }
        boolean match = false;
        while (true) {
            if (p < plen && pattern[p] == '\\' && plen - p >= 2) {
                p++;
                if (pattern[p] == c) {
                    match = true;
                }
            } else if (p < plen && pattern[p] == ']') {
                break;
            } else if (p >= plen) {
                // Unterminated: the set ends with the pattern (Redis steps back onto the last byte).
                p = plen - 1;
                break;
            } else if (plen - p >= 3 && pattern[p + 1] == '-') {
                // Bytes compare as signed chars, as in C on x86.
                int start = pattern[p];
                int end = pattern[p + 2];
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                if (c >= start && c <= end) {
                    match = true;
                }
                p += 2;
            } else if (pattern[p] == c) {
                match = true;
            }
            p++;
        }
        return match != not ? p + 1 : NO_MATCH;
    }
}
