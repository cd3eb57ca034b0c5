package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SORT and SORT_RO against a real redis-server 7.0 cluster node, byte for byte: numeric and ALPHA order
 * (ties between numerically equal elements, C-string comparison without STORE and binary comparison with
 * it), BY with a constant pattern, LIMIT windows, the three source types and what SORT does to a sorted
 * set's encoding, STORE's list, the cluster mode refusals of GET and BY patterns, every error, routing,
 * propagation and the "sortstore" event. Keys share the {s} tag.
 *
 * <p>Redis reads errno after strtod without clearing it first, so an ERANGE left by an earlier float
 * parse on the same connection makes a later numeric SORT fail; the session reconnects after each command
 * that overflows a float, which clears errno in Redis.
 */
@ExtendWith(DifferentialExtension.class)
class SortCommandsDifferentialTest {

    private static byte[][] binary(String... argv) {
        byte[][] out = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            out[i] = argv[i].getBytes(ISO_8859_1);
        }
        return out;
    }

    @Test
    void listsSortNumericallyAlphabeticallyAndInWindows(DifferentialSession session) {
        session.check("RPUSH", "{s}l", "3", "1", "2", "10", "-5", "2.5", "1e3", "0x10", "", " 7", "1.0", "01", "-0",
                "0", "inf", "-inf", "+1", "1", "9223372036854775807", "9223372036854775808", "1e-300");
        for (int protocol = 2; protocol <= 3; protocol++) {
            session.check("SORT", "{s}l");
            session.check("SORT", "{s}l", "DESC");
            session.check("SORT", "{s}l", "ASC", "DESC", "ASC");
            session.check("SORT", "{s}l", "ALPHA");
            session.check("SORT", "{s}l", "alpha", "desc");
            session.check("SORT_RO", "{s}l", "ALPHA", "DESC");
            for (String[] limit : new String[][] {{"0", "3"}, {"1", "3"}, {"-5", "3"}, {"18", "100"}, {"0", "0"},
                {"30", "1"}, {"2", "-1"}, {"-1", "-1"}, {"21", "0"}, {"20", "5"}}) {
                session.check("SORT", "{s}l", "LIMIT", limit[0], limit[1]);
                session.check("SORT", "{s}l", "LIMIT", limit[0], limit[1], "DESC", "ALPHA");
                session.check("SORT", "{s}l", "BY", "nosort", "LIMIT", limit[0], limit[1]);
                session.check("SORT", "{s}l", "BY", "nosort", "LIMIT", limit[0], limit[1], "DESC");
            }
            session.check("SORT", "{s}l", "BY", "constant", "BY", "other");
            session.check("SORT", "{s}l", "LIMIT", "0", "2", "LIMIT", "3", "2");
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        }
    }

    @Test
    void alphaComparesCStringsUnlessStoring(DifferentialSession session) {
        session.check(binary("RPUSH", "{s}b", "a\u0000c", "a\u0000b", "a", "\u00e9", "z", "\u00ff\u0001", "Z",
                "a\u0000", "\u0080", "ab", ""));
        session.check("SORT", "{s}b", "ALPHA");
        session.check("SORT", "{s}b", "ALPHA", "DESC");
        session.check("SORT", "{s}b", "ALPHA", "STORE", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check("SORT", "{s}b", "ALPHA", "DESC", "STORE", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check(binary("RPUSH", "{s}n", "2", "1\u0000x", "1", "1\u0000", "0.5\u0000zz"));
        session.check("SORT", "{s}n");
        session.check("SORT", "{s}n", "DESC");
        session.check(binary("SORT", "{s}n", "BY", "no\u0000*"));
    }

    @Test
    void setsSortTheirMembersAndStoreDeterministically(DifferentialSession session) {
        session.check("SADD", "{s}i", "5", "3", "-1", "40", "4");
        session.check("SORT", "{s}i");
        session.check("SORT", "{s}i", "DESC", "LIMIT", "1", "2");
        session.check("SORT", "{s}i", "BY", "nosort");
        session.check("SORT", "{s}i", "BY", "nosort", "DESC", "LIMIT", "1", "3");
        session.check("SORT", "{s}i", "BY", "nosort", "STORE", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check("SADD", "{s}h", "b", "a", "c", "10", "9", "1.5", "B");
        session.check("SORT", "{s}h", "ALPHA");
        session.check("SORT", "{s}h", "ALPHA", "DESC", "LIMIT", "2", "3");
        session.check("SORT", "{s}h");
        session.check("SORT", "{s}h", "BY", "nosort", "STORE", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check("SORT", "{s}h", "BY", "nosort", "DESC", "LIMIT", "1", "4", "STORE", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check("SREM", "{s}h", "b", "a", "c", "B");
        session.check("SORT", "{s}h", "DESC");
    }

    @Test
    void sortedSetsSortTheirMembersAndBecomeSkiplists(DifferentialSession session) {
        session.check("ZADD", "{s}z", "3", "c", "1", "a", "2", "b", "0", "10", "5", "9", "5", "-2");
        session.check("OBJECT", "ENCODING", "{s}z");
        session.check("SORT_RO", "{s}z", "ALPHA");
        session.check("OBJECT", "ENCODING", "{s}z");
        session.check("DUMP", "{s}z");
        session.check("ZADD", "{s}y", "3", "c", "1", "a", "2", "b", "0", "10");
        for (String[] options : new String[][] {{"BY", "nosort"}, {"BY", "nosort", "DESC"},
            {"BY", "nosort", "LIMIT", "1", "2"}, {"BY", "nosort", "DESC", "LIMIT", "1", "2"},
            {"BY", "nosort", "DESC", "LIMIT", "3", "5"}, {"BY", "nosort", "LIMIT", "4", "1"}, {"ALPHA", "DESC"}}) {
            String[] argv = new String[options.length + 2];
            argv[0] = "SORT";
            argv[1] = "{s}y";
            System.arraycopy(options, 0, argv, 2, options.length);
            session.check(argv);
        }
        session.check("OBJECT", "ENCODING", "{s}y");
        session.check("ZADD", "{s}num", "1", "5", "2", "-3", "3", "2.5");
        session.check("SORT", "{s}num");
        session.check("SORT", "{s}num", "DESC", "LIMIT", "0", "2");
        session.check("SORT", "{s}y");
    }

    @Test
    void storeReplacesTheDestinationWithAListOrDeletesIt(DifferentialSession session) {
        session.check("RPUSH", "{s}l", "3", "1", "2", "x".repeat(70));
        session.check("SET", "{s}d", "string");
        session.check("EXPIRE", "{s}d", "1000");
        session.check("SORT", "{s}l", "ALPHA", "STORE", "{s}d");
        session.check("TTL", "{s}d");
        session.check("LRANGE", "{s}d", "0", "-1");
        session.check("OBJECT", "ENCODING", "{s}d");
        session.check("DUMP", "{s}d");
        session.check("SORT", "{s}l", "ALPHA", "LIMIT", "10", "1", "STORE", "{s}d");
        session.check("EXISTS", "{s}d");
        session.check("SORT", "{s}missing", "STORE", "{s}d");
        session.check("SORT", "{s}l", "ALPHA", "STORE", "{s}d");
        session.check("SORT", "{s}missing", "STORE", "{s}d");
        session.check("EXISTS", "{s}d");
        session.check("SORT", "{s}l", "ALPHA", "STORE", "{s}l");
        session.check("LRANGE", "{s}l", "0", "-1");
        session.check("SORT", "{s}l", "ALPHA", "STORE", "{s}a", "STORE", "{s}b");
        session.check("EXISTS", "{s}a", "{s}b");
        session.check("CONFIG", "SET", "list-max-listpack-size", "2");
        try {
            session.check("RPUSH", "{s}many", "5", "4", "3", "2", "1");
            session.check("SORT", "{s}many", "STORE", "{s}d");
            session.check("DUMP", "{s}d");
        } finally {
            session.check("CONFIG", "SET", "list-max-listpack-size", "-2");
        }
    }

    @Test
    void errorsComeInRedisOrder(DifferentialSession session) {
        session.check("RPUSH", "{s}l", "3", "1", "abc");
        session.check("SET", "{s}str", "x");
        session.check("HSET", "{s}hash", "f", "v");
        String[][] commands = {
            {"SORT", "{s}l"},
            {"SORT", "{s}l", "ALPHA"},
            {"SORT", "{s}l", "BY", "nosort"},
            {"SORT", "{s}l", "LIMIT", "0", "1"},
            {"SORT", "{s}l", "BY", "w_*"},
            {"SORT", "{s}l", "BY", "{s}w_*"},
            {"SORT", "{s}l", "GET", "#"},
            {"SORT", "{s}l", "GET", "{s}*->f"},
            {"SORT", "{s}l", "BY", "nosort", "GET", "#"},
            {"SORT", "{s}l", "GET"},
            {"SORT", "{s}l", "BY"},
            {"SORT", "{s}l", "LIMIT", "1"},
            {"SORT", "{s}l", "LIMIT", "x", "1"},
            {"SORT", "{s}l", "LIMIT", "1", "y"},
            {"SORT", "{s}l", "LIMIT", "99999999999999999999", "1"},
            {"SORT", "{s}l", "STORE"},
            {"SORT", "{s}l", "NOSUCH"},
            {"SORT", "{s}l", "LIMIT", "x", "1", "BY", "a*"},
            {"SORT", "{s}l", "BY", "a*", "LIMIT", "x", "1"},
            {"SORT", "{s}l", "BY", "a*", "NOSUCH"},
            {"SORT", "{s}l", "STORE", "{s}d"},
            {"SORT_RO", "{s}l", "STORE", "{s}d"},
            {"SORT_RO", "{s}l", "GET", "#"},
            {"SORT", "{s}str"},
            {"SORT", "{s}hash", "BY", "nosort"},
            {"SORT", "{s}str", "BY", "x*"},
            {"SORT", "{s}str", "LIMIT", "a", "b"},
            {"SORT", "{s}missing", "BY", "x*"},
            {"SORT", "{s}missing", "LIMIT", "0", "1", "DESC", "ALPHA"},
            {"SORT"},
            {"SORT_RO"},
        };
        for (String[] command : commands) {
            session.check(command);
        }
        session.check("EXISTS", "{s}d");
        session.check("RPUSH", "{s}range", "1.5", "1e400");
        session.check("SORT", "{s}range");
        session.reconnect();
        session.check("RPUSH", "{s}nan", "1.5", "nan");
        session.check("SORT", "{s}nan");
        session.check("RPUSH", "{s}tiny", "1.5", "1e-400");
        session.check("SORT", "{s}tiny");
        session.reconnect();
        session.check("SORT", "{s}tiny", "ALPHA");
    }

    @Test
    void storeIsRoutedByBothKeys(DifferentialSession session) {
        session.check("RPUSH", "{s}l", "1");
        session.check("SORT", "{s}l", "STORE", "other");
        session.check("SORT", "{s}l", "STORE", "other", "STORE", "{s}d");
        session.check("SORT", "{s}l", "STORE", "{s}d", "STORE", "other");
        session.check("SORT", "{s}l", "LIMIT", "0", "STORE", "other");
        session.check("SORT", "{s}l", "BY", "store", "other");
        session.check("SORT_RO", "{s}l", "STORE", "other");
        session.check("COMMAND", "INFO", "sort", "sort_ro");
        session.check("COMMAND", "GETKEYS", "SORT", "a", "STORE", "b");
        session.check("COMMAND", "GETKEYS", "SORT", "a", "LIMIT", "0", "1", "STORE", "b");
        session.check("COMMAND", "GETKEYS", "SORT", "a", "ALPHA");
        session.check("COMMAND", "GETKEYS", "SORT_RO", "a", "ALPHA");
    }

    @Test
    void mastersPropagateStoresAsReceived(DifferentialSession session) {
        try (ReplicationProbe reference = ReplicationProbe.attach(session.reference());
             ReplicationProbe candidate = ReplicationProbe.attach(session.candidate())) {
            session.check("RPUSH", "{s}l", "3", "1", "2");
            session.check("SADD", "{s}h", "b", "a", "c");
            session.check("SORT", "{s}l", "STORE", "{s}d");
            session.check("SORT", "{s}l");
            session.check("SORT", "{s}h", "BY", "nosort", "STORE", "{s}d");
            session.check("SORT", "{s}l", "LIMIT", "5", "1", "STORE", "{s}d");
            session.check("SORT", "{s}l", "LIMIT", "5", "1", "STORE", "{s}d");
            List<String> marker = List.of("SET", "propagation-marker", "end");
            session.check(marker.toArray(String[]::new));
            assertEquals(reference.until(marker).toString(), candidate.until(marker).toString());
        }
    }

    @Test
    void storesRaiseSortstore(DifferentialSession session) {
        session.check("RPUSH", "{s}l", "3", "1", "2");
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(1, "PSUBSCRIBE", "__key*");
            sub.check(1, "SUBSCRIBE", "sentinel");
            String[] store = {"SORT", "{s}l", "STORE", "{s}d"};
            String[] storeNothing = {"SORT", "{s}l", "LIMIT", "9", "1", "STORE", "{s}d"};
            for (String[] command : new String[][] {store, store, storeNothing, storeNothing, {"SORT", "{s}l"}}) {
                session.check(command);
                session.check("PUBLISH", "sentinel", "next");
                while (true) {
                    List<Reply> frame = sub.next().asList();
                    if (frame.get(0).equals(Reply.bulk("message")) && frame.get(1).equals(Reply.bulk("sentinel"))) {
                        break;
                    }
                }
            }
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }
}
