package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MEMORY USAGE of every data type and COPY of every data type, against a real redis-server 7.0 with DEBUG
 * enabled (for DEBUG DIGEST-VALUE). MEMORY USAGE is compared exactly wherever Redis's figure does not
 * depend on its random choices: listpacks, intsets, quicklists, streams, and hash tables whose sampled
 * elements are alike or all sampled (SAMPLES 0). Skiplists draw random node levels in both servers, so
 * their figures are compared within a margin. A COPY must give an equal value (same contents, encoding
 * and digest) that changes independently of its source, with the memory figure Redis's copy has.
 */
class MemoryUsageDifferentialTest {
    private static DebugEnabledTargets targets;

    @BeforeAll
    static void start() throws Exception {
        targets = DebugEnabledTargets.start();
    }

    @AfterAll
    static void stop() {
        if (targets != null) {
            targets.close();
        }
    }

    private static DifferentialSession session() {
        return targets.session();
    }

    /** MEMORY USAGE with the default sampling and with every element. */
    private static void usage(DifferentialSession session, String key) {
        session.check("MEMORY", "USAGE", key);
        session.check("MEMORY", "USAGE", key, "SAMPLES", "0");
    }

    /** MEMORY USAGE SAMPLES 0 of both, which must be within {@code percent} of each other. */
    private static void usageClose(DifferentialSession session, String key, int percent) {
        long expected = session.referenceClient().call("MEMORY", "USAGE", key, "SAMPLES", "0").asLong();
        long actual = session.candidateClient().call("MEMORY", "USAGE", key, "SAMPLES", "0").asLong();
        assertTrue(Math.abs(expected - actual) * 100 <= expected * percent,
                "MEMORY USAGE " + key + ": reference " + expected + ", candidate " + actual);
    }

    /** COPY src dst, then what must be equal: type, encoding, digest, memory. */
    private static void copy(DifferentialSession session, String src, String dst) {
        session.check("COPY", src, dst);
        session.check("TYPE", dst);
        session.check("OBJECT", "ENCODING", dst);
        session.check("DEBUG", "DIGEST-VALUE", src, dst);
    }

    private static String[] withPairs(String command, String key, int from, int to, String fieldPrefix,
                                      String valuePrefix) {
        List<String> argv = new ArrayList<>(List.of(command, key));
        for (int i = from; i < to; i++) {
            argv.add(fieldPrefix + i);
            argv.add(valuePrefix + i);
        }
        return argv.toArray(new String[0]);
    }

    private static String[] withMembers(String command, String key, int from, int to, String prefix) {
        List<String> argv = new ArrayList<>(List.of(command, key));
        for (int i = from; i < to; i++) {
            argv.add(prefix + i);
        }
        return argv.toArray(new String[0]);
    }

    // -------------------------------------------------------------------------------------------------------
    // Hashes
    // -------------------------------------------------------------------------------------------------------

    @Test
    void listpackHashUsageIsRedisExactly() {
        try (DifferentialSession session = session()) {
            session.check("HSET", "h", "a", "1");
            usage(session, "h");
            session.check("HSET", "h", "b", "two", "c", "-5000", "d", "1234567890123");
            usage(session, "h");
            session.check("HSET", "h", "long", "x".repeat(63), "longer", "y".repeat(64));
            usage(session, "h");
            session.check("HSET", "h", "a", "a much longer value than before");
            usage(session, "h");
            session.check("HDEL", "h", "long", "b");
            usage(session, "h");
            session.check("HINCRBY", "h", "counter", "100000");
            session.check("HINCRBYFLOAT", "h", "float", "1.5");
            usage(session, "h");
            session.check(withPairs("HSET", "big", 0, 128, "field:", "value:"));
            usage(session, "big");
            session.check("OBJECT", "ENCODING", "big");
        }
    }

    @Test
    void hashtableHashUsageIsRedisExactlyWhenFieldsAreAlike() {
        try (DifferentialSession session = session()) {
            // 129 fields convert the hash; its dict is presized for them.
            session.check(withPairs("HSET", "h", 100, 229, "f", "v"));
            session.check("OBJECT", "ENCODING", "h");
            usage(session, "h");
            for (int i = 229; i < 300; i++) {
                session.check("HSET", "h", "f" + i, "v" + i);
            }
            usage(session, "h");
            session.check(withPairs("HSET", "h", 300, 600, "f", "v"));
            usage(session, "h");
            for (int i = 100; i < 500; i += 3) {
                session.check("HDEL", "h", "f" + i);
            }
            session.check("HLEN", "h");
            session.check("MEMORY", "USAGE", "h", "SAMPLES", "0");
        }
    }

    @Test
    void hashConvertedByALongValueCountsEverySdsWhenFullySampled() {
        try (DifferentialSession session = session()) {
            session.check("HSET", "h", "a", "1", "bb", "22", "ccc", "x".repeat(40));
            session.check("HSET", "h", "long", "z".repeat(65));
            session.check("OBJECT", "ENCODING", "h");
            session.check("MEMORY", "USAGE", "h", "SAMPLES", "0");
            session.check("HSET", "h", "d", "4", "e", "5", "f", "6");
            session.check("MEMORY", "USAGE", "h", "SAMPLES", "0");
            session.check("HDEL", "h", "a", "bb", "ccc", "d", "e", "f");
            usage(session, "h");
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Sets
    // -------------------------------------------------------------------------------------------------------

    @Test
    void intsetUsageFollowsItsWidth() {
        try (DifferentialSession session = session()) {
            session.check("SADD", "s", "1", "2", "3");
            usage(session, "s");
            session.check("SADD", "s", "100000");
            usage(session, "s");
            session.check("SADD", "s", "10000000000");
            usage(session, "s");
            session.check("SREM", "s", "10000000000", "100000");
            usage(session, "s");
            session.check(withMembers("SADD", "big", 0, 512, ""));
            usage(session, "big");
            session.check("SADD", "big", "512");
            session.check("OBJECT", "ENCODING", "big");
            usage(session, "big");
        }
    }

    @Test
    void hashtableSetUsageIsRedisExactly() {
        try (DifferentialSession session = session()) {
            session.check("SADD", "s", "a", "b", "c");
            usage(session, "s");
            // A non-integer converts the intset into a dict presized for its members, then adds to it.
            session.check("SADD", "four", "1", "2", "3", "4");
            session.check("SADD", "four", "x");
            usage(session, "four");
            session.check("SADD", "three", "1", "2", "3");
            session.check("SADD", "three", "x");
            usage(session, "three");
            // The 129th member starts a rehash into 256 buckets, which the next 11 additions only begin.
            session.check(withMembers("SADD", "m", 0, 140, "member:"));
            usage(session, "m");
            session.check("SADD", "m", "a-member-long-enough-for-another-size-class:" + "x".repeat(40));
            session.check("MEMORY", "USAGE", "m", "SAMPLES", "0");
            settle(session, "SISMEMBER", "m");
            session.check("MEMORY", "USAGE", "m", "SAMPLES", "0");
            // Down to 25 members of 256 buckets, a delete starts shrinking the table to 32.
            for (int i = 0; i < 130; i++) {
                session.check("SREM", "m", "member:" + i);
            }
            settle(session, "SISMEMBER", "m");
            session.check("MEMORY", "USAGE", "m", "SAMPLES", "0");
        }
    }

    /**
     * Lookups of a missing element until any rehash of the key's dict is over in both servers: each takes
     * one rehash step, and how many steps a rehash takes depends on how the hash seed spread the elements.
     */
    private static void settle(DifferentialSession session, String lookup, String key) {
        for (int i = 0; i < 300; i++) {
            session.check(lookup, key, "no such element");
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Lists
    // -------------------------------------------------------------------------------------------------------

    @Test
    void quicklistUsageIsRedisExactly() {
        try (DifferentialSession session = session()) {
            session.check("RPUSH", "l", "a", "b", "c");
            usage(session, "l");
            session.check(withMembers("RPUSH", "long", 0, 3000, "element-"));
            usage(session, "long");
            session.check("LPOP", "long", "500");
            session.check("LINSERT", "long", "BEFORE", "element-1500", "x".repeat(300));
            usage(session, "long");
            session.check("LREM", "long", "0", "element-2000");
            session.check("LSET", "long", "100", "y".repeat(2000));
            usage(session, "long");
            session.check("RPUSH", "huge", "z".repeat(10000), "small", "w".repeat(20000));
            usage(session, "huge");
        }
    }

    @Test
    void countLimitedQuicklistNodesAreSampled() {
        try (DifferentialSession session = session()) {
            try {
                session.check("CONFIG", "SET", "list-max-listpack-size", "3");
                session.check(withMembers("RPUSH", "l", 0, 20, ""));
                usage(session, "l");
                session.check("RPUSH", "l", "a much longer element than the others");
                session.check("LPUSH", "l", "head");
                usage(session, "l");
            } finally {
                session.check("CONFIG", "SET", "list-max-listpack-size", "-2");
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Sorted sets
    // -------------------------------------------------------------------------------------------------------

    @Test
    void listpackSortedSetUsageIsRedisExactly() {
        try (DifferentialSession session = session()) {
            session.check("ZADD", "z", "1", "a", "2.5", "b", "-3", "c");
            usage(session, "z");
            session.check("ZADD", "z", "100000", "d", "0.1", "e");
            usage(session, "z");
            session.check("ZREM", "z", "a");
            session.check("ZINCRBY", "z", "1000000", "b");
            usage(session, "z");
            session.check("ZADD", "z", "1", "m".repeat(64));
            usage(session, "z");
        }
    }

    @Test
    void skiplistSortedSetUsageIsCloseToRedis() {
        try (DifferentialSession session = session()) {
            List<String> argv = new ArrayList<>(List.of("ZADD", "z"));
            for (int i = 0; i < 1000; i++) {
                argv.add(Integer.toString(i));
                argv.add("member:" + i);
            }
            session.check(argv.toArray(new String[0]));
            session.check("OBJECT", "ENCODING", "z");
            usageClose(session, "z", 3);
            session.check("ZADD", "small", "1", "x".repeat(65));
            session.check("OBJECT", "ENCODING", "small");
            usageClose(session, "small", 15);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Streams
    // -------------------------------------------------------------------------------------------------------

    @Test
    void streamUsageCountsPreallocatedNodes() {
        try (DifferentialSession session = session()) {
            session.check("XADD", "x", "1-1", "f", "v");
            usage(session, "x");
            for (int i = 2; i <= 250; i++) {
                session.check("XADD", "x", "1-" + i, "field", "value-" + i, "other", Integer.toString(i));
            }
            usage(session, "x");
            session.check("XDEL", "x", "1-5", "1-200");
            usage(session, "x");
            session.check("XTRIM", "x", "MAXLEN", "120");
            usage(session, "x");
            session.check("XADD", "empty", "1-1", "f", "v");
            session.check("XDEL", "empty", "1-1");
            usage(session, "empty");
        }
    }

    @Test
    void streamNodesShrinkWhenTheyShrink() {
        try (DifferentialSession session = session()) {
            for (int i = 1; i <= 130; i++) {
                session.check("XADD", "x", "1-" + i, "f", "v");
            }
            usage(session, "x");
            // The master entry's count drops from 100 to 99 entries... and from 128 to 127 in another node.
            session.check("XDEL", "x", "1-3");
            usage(session, "x");
            try {
                session.check("CONFIG", "SET", "stream-node-max-entries", "1000");
                session.check("CONFIG", "SET", "stream-node-max-bytes", "1000");
                for (int i = 1; i <= 200; i++) {
                    session.check("XADD", "y", "1-" + i, "f", "v" + i);
                }
                usage(session, "y");
                session.check("CONFIG", "SET", "stream-node-max-bytes", "0");
                for (int i = 1; i <= 200; i++) {
                    session.check("XADD", "w", "1-" + i, "f", "v" + i);
                }
                session.check("XDEL", "w", "1-1", "1-2");
                usage(session, "w");
            } finally {
                session.check("CONFIG", "SET", "stream-node-max-entries", "100");
                session.check("CONFIG", "SET", "stream-node-max-bytes", "4096");
            }
        }
    }

    @Test
    void streamUsageCountsGroupsConsumersAndPendingEntries() {
        try (DifferentialSession session = session()) {
            for (int i = 1; i <= 300; i++) {
                session.check("XADD", "x", i + "-1", "f", "v");
            }
            session.check("XGROUP", "CREATE", "x", "g1", "0");
            session.check("XGROUP", "CREATE", "x", "g2", "$");
            usage(session, "x");
            session.check("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "120", "STREAMS", "x", ">");
            session.check("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "70", "STREAMS", "x", ">");
            usage(session, "x");
            session.check("XACK", "x", "g1", "3-1", "17-1", "64-1", "65-1", "130-1");
            usage(session, "x");
            session.check("XCLAIM", "x", "g1", "carol", "0", "10-1", "150-1", "1-1");
            usage(session, "x");
            session.check("XGROUP", "DELCONSUMER", "x", "g1", "bob");
            usage(session, "x");
            for (int i = 1; i <= 300; i += 3) {
                session.check("XACK", "x", "g1", i + "-1");
                session.check("MEMORY", "USAGE", "x");
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Reads, and values restored from a DUMP
    // -------------------------------------------------------------------------------------------------------

    @Test
    void readsMoveARehashAlongAsInRedis() {
        try (DifferentialSession session = session()) {
            session.check(withPairs("HSET", "h", 0, 257, "f", "v"));
            session.check(withMembers("SADD", "s", 0, 257, "m"));
            for (int i = 0; i < 40; i++) {
                session.check("HGET", "h", "f" + i);
                session.check("HEXISTS", "h", "nope" + i);
                session.check("SISMEMBER", "s", "m" + i);
                session.check("MEMORY", "USAGE", "h", "SAMPLES", "0");
                session.check("MEMORY", "USAGE", "s", "SAMPLES", "0");
            }
        }
    }

    @Test
    void restoredValuesAreMeasuredAsRedisLoadsThem() {
        try (DifferentialSession session = session()) {
            session.check("HSET", "{t}h", "a", "1", "b", "2");
            session.check(withPairs("HSET", "{t}H", 0, 300, "f", "v"));
            session.check("SADD", "{t}i", "1", "2", "3");
            session.check(withMembers("SADD", "{t}s", 0, 600, "m"));
            session.check(withMembers("RPUSH", "{t}l", 0, 3000, "e"));
            session.check("ZADD", "{t}z", "1", "a", "2", "b");
            for (int i = 1; i <= 150; i++) {
                session.check("XADD", "{t}x", i + "-1", "f", "v" + i);
            }
            session.check("XGROUP", "CREATE", "{t}x", "g", "0");
            session.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "5", "STREAMS", "{t}x", ">");
            for (String key : new String[] {"{t}h", "{t}H", "{t}i", "{t}s", "{t}l", "{t}z", "{t}x"}) {
                // The reference's payload, restored on both: a hash table's DUMP follows its random order.
                byte[] dump = ((Reply.Bulk) session.referenceClient().call("DUMP", key)).bytes();
                byte[] restored = (key + "-restored").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                session.check("RESTORE".getBytes(), restored, "0".getBytes(), dump);
                session.check("MEMORY".getBytes(), "USAGE".getBytes(), restored, "SAMPLES".getBytes(),
                        "0".getBytes());
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // COPY
    // -------------------------------------------------------------------------------------------------------

    @Test
    void copiedHashesAreEqualAndIndependent() {
        try (DifferentialSession session = session()) {
            session.check("HSET", "{t}small", "a", "1", "b", "two");
            copy(session, "{t}small", "{t}small2");
            usage(session, "{t}small2");
            session.check("HSET", "{t}small2", "c", "3");
            session.check("HDEL", "{t}small", "a");
            session.check("HGETALL", "{t}small");
            session.check("HGETALL", "{t}small2");
            session.check(withPairs("HSET", "{t}big", 0, 300, "field", "value"));
            copy(session, "{t}big", "{t}big2");
            usage(session, "{t}big2");
            session.check("HSET", "{t}big2", "field1", "changed");
            session.check("HGET", "{t}big", "field1");
            session.check("HDEL", "{t}big", "field2");
            session.check("HGET", "{t}big2", "field2");
            session.checkMasked(ReplyMasker.unordered(), "HGETALL", "{t}big2");
        }
    }

    @Test
    void copiedSetsAreEqualAndIndependent() {
        try (DifferentialSession session = session()) {
            session.check("SADD", "{t}i", "1", "2", "70000");
            copy(session, "{t}i", "{t}i2");
            usage(session, "{t}i2");
            session.check("SREM", "{t}i2", "70000");
            session.check("SADD", "{t}i", "5");
            session.check("SMEMBERS", "{t}i");
            session.check("SMEMBERS", "{t}i2");
            session.check(withMembers("SADD", "{t}h", 0, 100, "m"));
            copy(session, "{t}h", "{t}h2");
            usage(session, "{t}h2");
            session.check("SREM", "{t}h", "m1");
            session.check("SISMEMBER", "{t}h2", "m1");
            session.check("SADD", "{t}h2", "new");
            session.check("SISMEMBER", "{t}h", "new");
            session.checkMasked(ReplyMasker.unordered(), "SMEMBERS", "{t}h2");
        }
    }

    @Test
    void copiedListsAreEqualAndIndependent() {
        try (DifferentialSession session = session()) {
            session.check(withMembers("RPUSH", "{t}l", 0, 2000, "element-"));
            copy(session, "{t}l", "{t}l2");
            usage(session, "{t}l2");
            session.check("LSET", "{t}l2", "0", "changed");
            session.check("RPOP", "{t}l", "10");
            session.check("LRANGE", "{t}l", "0", "2");
            session.check("LRANGE", "{t}l2", "0", "2");
            session.check("LLEN", "{t}l");
            session.check("LLEN", "{t}l2");
            session.check("DEBUG", "DIGEST-VALUE", "{t}l", "{t}l2");
        }
    }

    @Test
    void copiedSortedSetsAreEqualAndIndependent() {
        try (DifferentialSession session = session()) {
            session.check("ZADD", "{t}z", "1", "a", "2", "b");
            copy(session, "{t}z", "{t}z2");
            usage(session, "{t}z2");
            session.check("ZADD", "{t}z2", "0", "c");
            session.check("ZRANGE", "{t}z", "0", "-1", "WITHSCORES");
            session.check("ZRANGE", "{t}z2", "0", "-1", "WITHSCORES");
            List<String> argv = new ArrayList<>(List.of("ZADD", "{t}s"));
            for (int i = 0; i < 300; i++) {
                argv.add(Integer.toString(i % 17));
                argv.add("m" + i);
            }
            session.check(argv.toArray(new String[0]));
            copy(session, "{t}s", "{t}s2");
            usageClose(session, "{t}s2", 5);
            session.check("ZINCRBY", "{t}s2", "100", "m5");
            session.check("ZREM", "{t}s", "m6");
            session.check("ZRANGE", "{t}s", "0", "9", "WITHSCORES");
            session.check("ZRANGE", "{t}s2", "-3", "-1", "WITHSCORES");
            session.check("ZSCORE", "{t}s", "m5");
            session.check("ZSCORE", "{t}s2", "m6");
            session.check("ZRANK", "{t}s2", "m100");
        }
    }

    @Test
    void copiedStreamsKeepGroupsAndAreAllocatedToFit() {
        try (DifferentialSession session = session()) {
            for (int i = 1; i <= 150; i++) {
                session.check("XADD", "{t}x", i + "-1", "f", "v" + i);
            }
            session.check("XDEL", "{t}x", "2-1");
            session.check("XGROUP", "CREATE", "{t}x", "g", "0");
            session.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "5", "STREAMS", "{t}x", ">");
            session.check("XREADGROUP", "GROUP", "g", "bob", "COUNT", "3", "STREAMS", "{t}x", ">");
            copy(session, "{t}x", "{t}x2");
            usage(session, "{t}x");
            usage(session, "{t}x2");
            session.check("XINFO", "GROUPS", "{t}x2");
            session.check("XINFO", "STREAM", "{t}x2");
            session.check("XACK", "{t}x2", "g", "1-1");
            session.check("XPENDING", "{t}x", "g");
            session.check("XPENDING", "{t}x2", "g");
            session.check("XADD", "{t}x", "200-1", "f", "v");
            session.check("XLEN", "{t}x2");
            session.check("XINFO", "STREAM", "{t}x2");
        }
    }
}
