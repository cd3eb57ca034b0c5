package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OBJECT, MEMORY, COPY, TOUCH, SLOWLOG and maxmemory on a single-master cluster. MEMORY USAGE of strings
 * is compared exactly (the emulator's memory model follows redis-server's jemalloc build); MEMORY STATS and
 * SLOWLOG GET by their shape, their figures masked.
 */
@ExtendWith(DifferentialExtension.class)
class ObjectMemoryDifferentialTest {

    /** Every integer and double in a reply, wherever it is, becomes +<number>. */
    private static final ReplyMasker NUMBERS = ObjectMemoryDifferentialTest::maskNumbers;

    private static Reply maskNumbers(Reply reply) {
        if (reply instanceof Reply.Int || reply instanceof Reply.Double) {
            return Reply.status("<number>");
        }
        if (reply instanceof Reply.Bulk b && new String(b.bytes()).matches("-?[0-9.]+(e[-+]?[0-9]+)?")) {
            return Reply.status("<number>");
        }
        if (reply instanceof Reply.Array a) {
            List<Reply> out = new ArrayList<>();
            for (Reply r : a.elements()) {
                out.add(maskNumbers(r));
            }
            return new Reply.Array(out);
        }
        if (reply instanceof Reply.Map m) {
            List<Reply.Entry> out = new ArrayList<>();
            for (Reply.Entry e : m.entries()) {
                out.add(new Reply.Entry(e.key(), maskNumbers(e.value())));
            }
            return new Reply.Map(out);
        }
        return reply;
    }

    @Test
    void objectEncodingFollowsTheStringEncodings(DifferentialSession session) {
        session.check("SET", "{t}int", "12345");
        session.check("SET", "{t}emb", "hello");
        session.check("SET", "{t}raw", "x".repeat(45));
        session.check("APPEND", "{t}emb2", "x");
        session.check("OBJECT", "ENCODING", "{t}int");
        session.check("OBJECT", "ENCODING", "{t}emb");
        session.check("OBJECT", "ENCODING", "{t}raw");
        session.check("OBJECT", "ENCODING", "{t}emb2");
        session.check("OBJECT", "ENCODING", "{t}missing");
        session.check("OBJECT", "encoding", "{t}int", "x");
        session.check("OBJECT", "NOSUCH", "{t}int");
        session.check("OBJECT");
        session.check("OBJECT", "HELP");
    }

    @Test
    void objectRefcountShowsSharedSmallIntegers(DifferentialSession session) {
        session.check("SET", "{t}small", "100");
        session.check("SET", "{t}big", "100000");
        session.check("SET", "{t}text", "abc");
        session.check("INCR", "{t}counter");
        session.check("OBJECT", "REFCOUNT", "{t}small");
        session.check("OBJECT", "REFCOUNT", "{t}big");
        session.check("OBJECT", "REFCOUNT", "{t}text");
        session.check("OBJECT", "REFCOUNT", "{t}counter");
        session.check("OBJECT", "REFCOUNT", "{t}missing");
    }

    @Test
    void objectIdletimeAndFreqDependOnThePolicy(DifferentialSession session) {
        try {
            session.check("SET", "{t}a", "1");
            session.check("OBJECT", "IDLETIME", "{t}a");
            session.check("OBJECT", "FREQ", "{t}a");
            session.check("OBJECT", "IDLETIME", "{t}missing");
            session.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            session.check("SET", "{t}b", "1");
            // A new key starts at 5; its first access always counts.
            session.check("OBJECT", "FREQ", "{t}b");
            session.check("GET", "{t}b");
            session.check("OBJECT", "FREQ", "{t}b");
            session.check("OBJECT", "IDLETIME", "{t}b");
            session.check("OBJECT", "REFCOUNT", "{t}a");
            session.check("SET", "{t}c", "7");
            session.check("OBJECT", "REFCOUNT", "{t}c");
        } finally {
            session.check("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void memoryUsageOfStringsIsRedisExactly(DifferentialSession session) {
        int[] lengths = {0, 1, 8, 12, 13, 28, 29, 44, 45, 60, 100, 200, 300, 1000, 5000, 70000};
        for (int n : lengths) {
            String key = "k{t}" + "k".repeat(n % 40);
            session.check("SET", key, "v".repeat(n));
            session.check("MEMORY", "USAGE", key);
        }
        session.check("SET", "{t}i", "42");
        session.check("MEMORY", "USAGE", "{t}i");
        session.check("SET", "{t}i", "-9223372036854775808");
        session.check("MEMORY", "USAGE", "{t}i");
        session.check("SET", "{t}ap", "abc");
        session.check("APPEND", "{t}ap", "defgh");
        session.check("MEMORY", "USAGE", "{t}ap");
        session.check("MEMORY", "USAGE", "{t}missing");
        session.check("MEMORY", "USAGE", "{t}i", "SAMPLES", "0");
        session.check("MEMORY", "USAGE", "{t}i", "SAMPLES", "-1");
        session.check("MEMORY", "USAGE", "{t}i", "SAMPLES", "x");
        session.check("MEMORY", "USAGE", "{t}i", "SAMPLES");
        session.check("MEMORY", "USAGE", "{t}i", "FOO", "1");
        session.check("MEMORY", "USAGE");
    }

    @Test
    void memoryReportsHaveRedisShapes(DifferentialSession session) {
        session.check("MEMORY", "HELP");
        session.check("MEMORY", "PURGE");
        session.check("MEMORY", "DOCTOR");
        session.checkMasked(NUMBERS, "MEMORY", "STATS");
        session.check("SET", "a", "1");
        session.checkMasked(NUMBERS, "MEMORY", "STATS");
        session.check("MEMORY", "STATS", "x");
        session.check("MEMORY", "DOCTOR", "x");
        session.check("MEMORY", "NOSUCH");
    }

    @Test
    void copyDuplicatesValueAndExpire(DifferentialSession session) {
        session.check("SET", "{t}s", "hello");
        session.check("SET", "{t}r", "x".repeat(50));
        session.check("APPEND", "{t}r", "tail");
        session.check("PEXPIRE", "{t}s", "100000");
        session.check("COPY", "{t}s", "{t}d");
        session.check("GET", "{t}d");
        session.checkMasked(ReplyMasker.integerWithin(90000, 100000), "PTTL", "{t}d");
        session.check("COPY", "{t}s", "{t}d");
        session.check("COPY", "{t}r", "{t}d", "REPLACE");
        session.check("OBJECT", "ENCODING", "{t}d");
        session.check("APPEND", "{t}d", "more");
        session.check("GET", "{t}r");
        session.check("TTL", "{t}d");
        session.check("COPY", "{t}missing", "{t}d");
        session.check("COPY", "{t}s", "{t}s");
        session.check("COPY", "{t}s", "{t}d", "DB", "0", "REPLACE");
        session.check("COPY", "{t}s", "{t}d", "DB", "1");
        session.check("COPY", "{t}s", "{t}d", "DB", "16");
        session.check("COPY", "{t}s", "{t}d", "DB", "-1");
        session.check("COPY", "{t}s", "{t}d", "DB", "x");
        session.check("COPY", "{t}s", "{t}d", "DB");
        session.check("COPY", "{t}s", "{t}d", "FOO");
        session.check("COPY", "a", "b");
        session.check("COPY", "{t}s");
    }

    @Test
    void touchCountsExistingKeys(DifferentialSession session) throws InterruptedException {
        session.check("SET", "{t}a", "1");
        session.check("SET", "{t}b", "1", "PX", "1");
        Thread.sleep(20);
        session.check("TOUCH", "{t}a", "{t}b", "{t}c", "{t}a");
        session.check("TOUCH", "a", "b");
        session.check("TOUCH");
    }

    @Test
    void slowlogLogsSlowCommandsWithTheirArguments(DifferentialSession session) {
        try {
            // Off while the empty log is checked: under the default 10 ms threshold, any command a loaded
            // machine happens to stall on would be logged by one server only.
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            session.check("SLOWLOG", "RESET");
            session.check("SLOWLOG", "LEN");
            session.check("SLOWLOG", "GET");
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "0");
            session.check("SET", "a", "v".repeat(200));
            session.check("CLIENT", "SETNAME", "slowpoke");
            session.check("AUTH", "secret");
            session.check("CONFIG", "SET", "masterauth", "hidden", "maxmemory-samples", "5");
            session.check("CONFIG", "SET", "masterauth", "");
            String[] many = new String[40];
            many[0] = "EXISTS";
            for (int i = 1; i < many.length; i++) {
                many[i] = "{t}" + i;
            }
            session.check(many);
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            session.checkMasked(NUMBERS.andThen(ObjectMemoryDifferentialTest::maskPeer), "SLOWLOG", "GET", "-1");
            session.check("SLOWLOG", "GET", "-2");
            session.check("SLOWLOG", "GET", "x");
            session.check("SLOWLOG", "GET", "1", "2");
            session.check("SLOWLOG", "HELP");
            session.check("CONFIG", "SET", "slowlog-max-len", "2");
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "0");
            session.check("PING");
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            session.check("SLOWLOG", "LEN");
            session.check("SLOWLOG", "RESET");
            session.check("SLOWLOG", "LEN");
        } finally {
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
            session.check("CLIENT", "SETNAME", "");
        }
    }

    /** The client address in a slow log entry (the fifth field) differs by port. */
    private static Reply maskPeer(Reply reply) {
        if (!(reply instanceof Reply.Array entries)) {
            return reply;
        }
        List<Reply> out = new ArrayList<>();
        for (Reply entry : entries.elements()) {
            List<Reply> fields = new ArrayList<>(entry.asList());
            assertTrue(fields.get(4).asString().startsWith("127.0.0.1:"), fields.get(4).toString());
            fields.set(4, Reply.status("<peer>"));
            out.add(new Reply.Array(fields));
        }
        return new Reply.Array(out);
    }

    @Test
    void noevictionRefusesWritesOverMaxmemory(DifferentialSession session) {
        try {
            session.check("SET", "{t}a", "1");
            session.check("CONFIG", "SET", "maxmemory", "1");
            session.check("SET", "{t}b", "1");
            session.check("APPEND", "{t}a", "x");
            session.check("GET", "{t}a");
            session.check("DEL", "{t}a");
            session.check("INCR", "{t}c");
            session.check("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            session.check("SET", "{t}x", "1");
            session.check("DBSIZE");
        } finally {
            session.check("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
        }
        session.check("SET", "{t}b", "1");
    }

    @Test
    void evictionIsCountedInInfo(DifferentialSession session) {
        session.check("CONFIG", "RESETSTAT");
        try {
            for (int i = 0; i < 20; i++) {
                session.check("SET", "{t}" + i, "value" + i);
            }
            session.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory", "1");
            session.check("GET", "{t}0");
            session.check("DBSIZE");
            assertEquals(evicted(session.referenceClient()), evicted(session.candidateClient()));
        } finally {
            session.check("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
        }
    }

    private static String evicted(RespClient client) {
        return client.call("INFO", "stats").asString().replaceAll("(?s).*(evicted_keys:\\d+).*", "$1");
    }
}
