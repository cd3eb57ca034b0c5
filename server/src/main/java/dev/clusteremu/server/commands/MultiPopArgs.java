package dev.clusteremu.server.commands;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;

/**
 * The arguments LMPOP/BLMPOP and ZMPOP/BZMPOP share, {@code numkeys key... WHERE [COUNT count]}, checked in
 * the order lmpopGenericCommand and zmpopGenericCommand check them: numkeys, that WHERE is there, what
 * WHERE says, then COUNT (once, positive; 1 when absent).
 *
 * @param keys  the keys, in the order given
 * @param where the family's reading of WHERE (LEFT|RIGHT, MIN|MAX)
 * @param count how many elements to pop at most
 */
record MultiPopArgs<W>(List<byte[]> keys, W where, long count) {

    /** Parses from {@code numkeysIndex}; {@code where} reads the WHERE word or throws Redis's syntax error. */
    static <W> MultiPopArgs<W> parse(byte[][] argv, int numkeysIndex, Function<byte[], W> where) {
        long numkeys = RangeArgs.inRange(argv[numkeysIndex], 1, Long.MAX_VALUE, "numkeys should be greater than 0");
        long whereIndex = numkeysIndex + numkeys + 1;
        if (whereIndex >= argv.length) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        W side = where.apply(argv[(int) whereIndex]);
        long count = -1;
        for (int j = (int) whereIndex + 1; j < argv.length; j++) {
            boolean moreArgs = j < argv.length - 1;
            if (count == -1 && Args.is(argv[j], "count") && moreArgs) {
                count = RangeArgs.inRange(argv[++j], 1, Long.MAX_VALUE, "count should be greater than 0");
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        return new MultiPopArgs<>(Arrays.asList(argv).subList(numkeysIndex + 1, (int) whereIndex), side,
                count == -1 ? 1 : count);
    }
}
