package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.KeyFinder;

/**
 * Key positions of the commands that count their keys (LMPOP, ZUNION, ZUNIONSTORE, ...: genericGetKeys):
 * {@code numkeys} keys right after the count. A count that is not a positive number, or that runs past
 * the arguments, means no keys at all, so such a command is not routed and fails on its own arguments.
 */
final class NumKeys {
    private NumKeys() {
    }

    /** The keys counted by argv[{@code countIndex}], which follow it. */
    static KeyFinder after(int countIndex) {
        return argv -> positions(argv, countIndex, 0);
    }

    /** A destination key at argv[{@code destination}], then the keys counted by argv[{@code countIndex}]. */
    static KeyFinder withDestination(int destination, int countIndex) {
        return argv -> positions(argv, countIndex, destination);
    }

    private static int[] positions(byte[][] argv, int countIndex, int destination) {
        if (countIndex >= argv.length) {
            return new int[0];
        }
        long n = atoi(argv[countIndex]);
        int first = countIndex + 1;
        if (n < 1 || n > argv.length - first) {
            return new int[0];
        }
        int offset = destination > 0 ? 1 : 0;
        int[] out = new int[(int) n + offset];
        if (destination > 0) {
            out[0] = destination;
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] = first + i;
        }
        return out;
    }

    /** C's atoi, saturating: leading white space, an optional sign, then the digits up to the first other byte. */
    private static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            v = Math.min(v * 10 + (s[i] - '0'), Integer.MAX_VALUE);
        }
        return negative ? -v : v;
    }
}
