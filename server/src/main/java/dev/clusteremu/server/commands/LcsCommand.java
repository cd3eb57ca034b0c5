package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (t_string.c's lcsCommand): the longest common
 * subsequence of two strings, a missing key reading as the empty string. It is found by the classic
 * dynamic programming table, then walked back from its end: that walk decides which of several equally
 * long subsequences is answered, and the IDX ranges come out last to first, so both are done as Redis
 * does them.
 */
public final class LcsCommand {
    private LcsCommand() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("lcs", -3, "readonly").acl("string").keys(1, 2, 1).handler(LcsCommand::lcs).build());
    }

    /** One matching range: positions in the first and second string, both ends included. */
    private record Match(long aStart, long aEnd, long bStart, long bEnd) {
        long length() {
            return aEnd - aStart + 1;
        }
    }

    private static void lcs(Client c, byte[][] argv) {
        RedisObject objA = c.node().keyspace().lookupRead(argv[1]);
        RedisObject objB = c.node().keyspace().lookupRead(argv[2]);
        if (objA != null && !(objA instanceof StringValue) || objB != null && !(objB instanceof StringValue)) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = objA == null ? new byte[0] : ((StringValue) objA).bytes();
        byte[] b = objB == null ? new byte[0] : ((StringValue) objB).bytes();
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "idx")) {
                getIdx = true;
            } else if (Args.is(argv[j], "len")) {
                getLen = true;
            } else if (Args.is(argv[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(argv[j], "minmatchlen") && more) {
                minMatchLen = Math.max(0, Args.integer(argv[++j]));
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        if (getLen && getIdx) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int[] table = table(c, a, b);
        int width = b.length + 1;
        int length = table[a.length * width + b.length];
        RespWriter r = c.reply();
        if (getLen) {
            r.integer(length);
            return;
        }
        byte[] result = new byte[length];
        List<Match> matches = walkBack(a, b, table, result);
        if (!getIdx) {
            r.bulk(result);
            return;
        }
        List<Match> shown = new ArrayList<>();
        for (Match m : matches) {
            if (minMatchLen == 0 || m.length() >= minMatchLen) {
                shown.add(m);
            }
        }
        r.map(2);
        r.bulk("matches");
        r.array(shown.size());
        for (Match m : shown) {
            r.array(withMatchLen ? 3 : 2);
            r.array(2);
            r.integer(m.aStart());
            r.integer(m.aEnd());
            r.array(2);
            r.integer(m.bStart());
            r.integer(m.bEnd());
            if (withMatchLen) {
                r.integer(m.length());
            }
        }
        r.bulk("len");
        r.integer(length);
    }

    /**
     * The table LCS[i][j] = length of the LCS of a[0..i) and b[0..j), row-major with rows of b.length + 1.
     * Redis refuses a table (of 32-bit cells) larger than proto-max-bulk-len, and answers an error when
     * it can't allocate one.
     */
    private static int[] table(Client c, byte[] a, byte[] b) {
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * Integer.BYTES > c.node().config().protoMaxBulkLen) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] table;
        try {
            if (cells > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("more cells than an array holds");
            }
            table = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int width = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                int cell = i * width + j;
                if (a[i - 1] == b[j - 1]) {
                    table[cell] = table[cell - width - 1] + 1;
                } else {
                    table[cell] = Math.max(table[cell - width], table[cell - 1]);
                }
            }
        }
        return table;
    }

    /**
     * Walks the table back from its last cell, filling {@code result} from its end, and collects the
     * matching ranges in the order Redis emits them: a range grows backwards while matches are contiguous
     * in both strings and is emitted when the walk leaves it, or when it reaches the first byte of either
     * string. On a mismatch the walk goes up when that keeps the longer LCS, else left.
     */
    private static List<Match> walkBack(byte[] a, byte[] b, int[] table, byte[] result) {
        int width = b.length + 1;
        List<Match> matches = new ArrayList<>();
        int idx = result.length;
        long unset = a.length;
        long aStart = unset;
        long aEnd = 0;
        long bStart = 0;
        long bEnd = 0;
        int i = a.length;
        int j = b.length;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == unset) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != unset) {
                    emit = true;
                }
            }
            if (emit) {
                matches.add(new Match(aStart, aEnd, bStart, bEnd));
                aStart = unset;
            }
        }
        return matches;
    }
}
