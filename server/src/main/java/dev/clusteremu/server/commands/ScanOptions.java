package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;

/**
 * The options of SSCAN and HSCAN (scanGenericCommand on a value): [MATCH pattern] [COUNT count], in any
 * order, the last one winning. TYPE is SCAN's alone: here it is a syntax error like any unknown option.
 *
 * @param count   COUNT, at least 1; 10 when absent
 * @param pattern MATCH's pattern, or null when absent or "*" (which matches everything)
 */
record ScanOptions(long count, byte[] pattern) {
    /** SCAN's default COUNT. */
    static final long DEFAULT_COUNT = 10;
    /**
     * A scan visits at most 10 × COUNT buckets per call, so a sparse table cannot make one call slow; it
     * may then return few or no elements with a non-zero cursor.
     */
    static final long BUCKETS_PER_COUNT = 10;

    /** Parses the options from {@code argv[from]} on. */
    static ScanOptions parse(byte[][] argv, int from) {
        long count = DEFAULT_COUNT;
        byte[] pattern = null;
        for (int i = from; i < argv.length; i += 2) {
            boolean hasValue = argv.length - i >= 2;
            if (KeyCommands.optionIs(argv[i], "count") && hasValue) {
                count = Args.integer(argv[i + 1]);
                if (count < 1) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
            } else if (KeyCommands.optionIs(argv[i], "match") && hasValue) {
                pattern = argv[i + 1];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        return new ScanOptions(count, pattern);
    }
}
