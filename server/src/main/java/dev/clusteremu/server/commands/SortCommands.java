package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ListValue;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.keyspace.ZSetValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.resp.Strtod;

/**
 * SORT and SORT_RO (sort.c) over lists, sets and sorted sets, as a Redis 7.0 cluster node runs them.
 *
 * <p>In cluster mode Redis refuses every GET option and every BY pattern holding a '*', since the keys
 * they name may live in other slots ("... denied in Cluster mode."), whatever their hash tags. What
 * remains is sorting the elements themselves, numerically (each read with strtod) or with ALPHA
 * lexicographically, and BY with a constant pattern, which means "don't sort": the elements come in
 * their stored order (a list's, a sorted set's by rank, reversed with DESC), LIMIT taking a window of
 * them. A set has no stored order, so a set sorted with BY constant and STORE is sorted ALPHA instead, to
 * store (and propagate) a deterministic result.
 *
 * <p>Elements that compare equal numerically are ordered as binary strings, so the result is
 * deterministic. Without STORE, ALPHA compares with strcoll, which in the C and C.UTF-8 locales Redis
 * runs in compares as strcmp: unsigned bytes up to the first NUL; with STORE it compares whole binary
 * strings. Redis sorts with glibc's qsort, a stable merge sort.
 */
public final class SortCommands {
    private static final String BY_DENIED = "ERR BY option of SORT denied in Cluster mode.";
    private static final String GET_DENIED = "ERR GET option of SORT denied in Cluster mode.";
    private static final String NOT_A_DOUBLE = "ERR One or more scores can't be converted into double";
    /**
     * The fill of the list STORE makes: quicklistCreate's default (nodes of up to 8 KB), since SORT does
     * not apply list-max-listpack-size to it as the list commands do to the lists they create.
     */
    private static final long STORE_LIST_FILL = -2;

    private SortCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("sort", -2, "write denyoom").acl("set sortedset list dangerous").keys(1, 1, 1)
                .keys(SortCommands::sortKeys).handler((c, argv) -> sort(c, argv, false)).build());
        table.add(command("sort_ro", -2, "readonly").acl("set sortedset list dangerous").keys(1, 1, 1)
                .keys(argv -> new int[] {1}).handler((c, argv) -> sort(c, argv, true)).build());
    }

    /**
     * sortGetKeys: the sorted key, and the argument after the last STORE that has one. LIMIT's two
     * arguments and GET's and BY's one are skipped, so that a pattern spelled "store" is not taken for the
     * option.
     */
    private static int[] sortKeys(byte[][] argv) {
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "limit")) {
                i += 2;
            } else if (Args.is(argv[i], "store") && i + 1 < argv.length) {
                store = i + 1;
            } else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) {
                i += 1;
            }
        }
        return store == -1 ? new int[] {1} : new int[] {1, store};
    }

    /** An element to sort (redisSortObject) and, for a numeric sort, its value. */
    private record Item(byte[] element, double score) {
    }

    /**
     * sortCommandGeneric: {@code SORT key [BY pattern] [LIMIT offset count] [ASC|DESC] [ALPHA]
     * [STORE destination]}; SORT_RO takes no STORE. Options are parsed left to right, each error at its
     * place; then the key is read (a sorted set is converted to a skiplist for good, as Redis does), the
     * elements are loaded, scored and sorted, and the LIMIT window is replied or stored as a list.
     */
    private static void sort(Client c, byte[][] argv, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] storeKey = null;
        for (int j = 2; j < argv.length; j++) {
            int leftArgs = argv.length - j - 1;
            if (Args.is(argv[j], "asc")) {
                desc = false;
            } else if (Args.is(argv[j], "desc")) {
                desc = true;
            } else if (Args.is(argv[j], "alpha")) {
                alpha = true;
            } else if (Args.is(argv[j], "limit") && leftArgs >= 2) {
                limitStart = Args.integer(argv[j + 1]);
                limitCount = Args.integer(argv[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(argv[j], "store") && leftArgs >= 1) {
                storeKey = argv[j + 1];
                j++;
            } else if (Args.is(argv[j], "by") && leftArgs >= 1) {
                if (hasWildcard(argv[j + 1])) {
                    throw new CommandError(BY_DENIED);
                }
                dontSort = true;
                j++;
            } else if (Args.is(argv[j], "get") && leftArgs >= 1) {
                throw new CommandError(GET_DENIED);
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }

        Keyspace ks = c.node().keyspace();
        RedisObject value = ks.lookupRead(argv[1]);
        if (value != null && !(value instanceof SetValue) && !(value instanceof ListValue)
                && !(value instanceof ZSetValue)) {
            throw new CommandError(RedisObject.WRONGTYPE);
        }
        if (dontSort && value instanceof SetValue && storeKey != null) {
            dontSort = false;
            alpha = true;
        }
        if (value instanceof ZSetValue zset) {
            zset.convertToSkiplist();
        }

        long length = length(value);
        long start = Math.min(Math.max(limitStart, 0), length);
        long count = Math.min(Math.max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }

        List<byte[]> elements = new ArrayList<>();
        if (dontSort && (value instanceof ListValue || value instanceof ZSetValue)) {
            // Lists and sorted sets load just the window, in stored order (reversed with DESC).
            if (end >= start) {
                loadWindow(value, start, end, desc, elements);
            }
            end -= start;
            start = 0;
        } else {
            loadAll(value, elements);
        }

        Item[] items = new Item[elements.size()];
        boolean conversionError = false;
        for (int i = 0; i < items.length; i++) {
            byte[] e = elements.get(i);
            double score = 0;
            if (!dontSort && !alpha) {
                Strtod.Parsed p = Strtod.prefix(e);
                boolean ended = p.end() == e.length || e[p.end()] == 0;
                if (!ended || p.range() || Double.isNaN(p.value())) {
                    conversionError = true;
                }
                score = p.value();
            }
            items[i] = new Item(e, score);
        }
        if (!dontSort) {
            Arrays.sort(items, comparator(alpha, storeKey != null, desc));
        }

        long outputLength = end - start + 1;
        if (conversionError) {
            throw new CommandError(NOT_A_DOUBLE);
        }
        if (storeKey == null) {
            RespWriter r = c.reply();
            r.array((int) outputLength);
            for (long j = start; j <= end; j++) {
                r.bulk(items[(int) j].element());
            }
            return;
        }
        ListValue result = ListValue.create(STORE_LIST_FILL);
        for (long j = start; j <= end; j++) {
            result.push(items[(int) j].element(), false);
        }
        if (outputLength > 0) {
            ks.setKey(storeKey, result, false);
            c.node().notifications().notify(KeyspaceEvents.LIST, "sortstore", storeKey);
        } else if (ks.delete(storeKey)) {
            c.node().notifications().notify(KeyspaceEvents.GENERIC, "del", storeKey);
        }
        c.reply().integer(outputLength);
    }

    /** Whether a BY pattern is a real pattern: it holds a '*' before any NUL (strchr on the C string). */
    private static boolean hasWildcard(byte[] pattern) {
        for (byte b : pattern) {
            if (b == 0) {
                return false;
            }
            if (b == '*') {
                return true;
            }
        }
        return false;
    }

    private static long length(RedisObject value) {
        if (value instanceof ListValue list) {
            return list.length();
        } else if (value instanceof SetValue set) {
            return set.size();
        } else if (value instanceof ZSetValue zset) {
            return zset.length();
        }
        return 0;
    }

    /** Elements {@code start} to {@code end} of a list or of a sorted set by rank, counted from the end with DESC. */
    private static void loadWindow(RedisObject value, long start, long end, boolean desc, List<byte[]> into) {
        if (value instanceof ListValue list) {
            ListValue.Cursor cursor = list.cursor(desc ? list.length() - start - 1 : start, !desc);
            for (long n = end - start + 1; n > 0 && cursor.hasNext(); n--) {
                into.add(cursor.next());
            }
        } else {
            ((ZSetValue) value).rangeByRank(start, end, desc, (member, score) -> into.add(member));
        }
    }

    /** Every element: a list's in order, a set's in iteration order, a sorted set's members. */
    private static void loadAll(RedisObject value, List<byte[]> into) {
        if (value instanceof ListValue list) {
            ListValue.Cursor cursor = list.cursor(0, true);
            while (cursor.hasNext()) {
                into.add(cursor.next());
            }
        } else if (value instanceof SetValue set) {
            for (int i = 0; i < set.size(); i++) {
                into.add(set.memberAt(i));
            }
        } else if (value instanceof ZSetValue zset) {
            zset.forEachAscending((member, score) -> into.add(member));
        }
    }

    /**
     * sortCompare: numerically by score, equal scores as binary strings; or ALPHA, as binary strings when
     * storing, else as C strings (strcoll in the C locale); DESC reverses the comparison (equal stays equal).
     */
    private static Comparator<Item> comparator(boolean alpha, boolean storing, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (a, b) -> a.score() > b.score() ? 1 : a.score() < b.score() ? -1
                    : Arrays.compareUnsigned(a.element(), b.element());
        } else if (storing) {
            cmp = (a, b) -> Arrays.compareUnsigned(a.element(), b.element());
        } else {
            cmp = (a, b) -> compareCStrings(a.element(), b.element());
        }
        return desc ? (a, b) -> -Integer.signum(cmp.compare(a, b)) : cmp;
    }

    /** strcmp: unsigned bytes up to the first NUL, the end of an array read as its NUL. */
    private static int compareCStrings(byte[] a, byte[] b) {
        for (int i = 0; ; i++) {
            int ca = i < a.length ? a[i] & 0xff : 0;
            int cb = i < b.length ? b[i] & 0xff : 0;
            if (ca != cb) {
                return ca - cb;
            }
            if (ca == 0) {
                return 0;
            }
        }
    }
}
