package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DEBUG OBJECT and DEBUG SET-ACTIVE-EXPIRE where DEBUG is enabled, and what they let tests observe: an
 * object's encoding and serialized length, keys that stay stored once expired while the active cycle is
 * off, and a WATCH taken on such an already expired key.
 */
class DebugObjectDifferentialTest {
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

    /** "Value at:0x... refcount:1 encoding:embstr serializedlength:6 lru:... lru_seconds_idle:0", masked. */
    private static Reply maskAddressAndClock(Reply reply) {
        if (!(reply instanceof Reply.Status status)) {
            return reply;
        }
        assertTrue(status.text().matches("Value at:0x[0-9a-f]+ refcount:\\d+ encoding:\\S+ serializedlength:\\d+ "
                + "lru:\\d+ lru_seconds_idle:\\d+"), status.text());
        return Reply.status(status.text().replaceFirst("at:0x[0-9a-f]+", "at:<address>")
                .replaceFirst("lru:\\d+", "lru:<clock>"));
    }

    @Test
    void debugObjectDescribesTheStoredValue() {
        try (DifferentialSession session = session()) {
            session.check("SET", "s", "hello");
            session.check("SET", "n", "123456");
            session.check("SET", "r", "x".repeat(100));
            session.check("SET", "z", "abc".repeat(100));
            session.check("APPEND", "a", "x");
            for (String key : new String[] {"s", "n", "r", "z", "a"}) {
                session.checkMasked(DebugObjectDifferentialTest::maskAddressAndClock, "DEBUG", "OBJECT", key);
            }
            session.check("DEBUG", "OBJECT", "missing");
            session.check("DEBUG", "OBJECT");
        }
    }

    @Test
    void withoutTheActiveCycleExpiredKeysStayStoredUntilLookedUp() throws InterruptedException {
        try (DifferentialSession session = session()) {
            try {
                session.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
                session.check("SET", "{t}a", "1", "PX", "1");
                Thread.sleep(200);
                session.check("DBSIZE");
                session.check("GET", "{t}a");
                session.check("DBSIZE");
            } finally {
                session.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void aWatchOnAnAlreadyExpiredKeyIsNotTouchedByItsDeletion() throws InterruptedException {
        try (DifferentialSession session = session()) {
            try {
                session.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
                session.check("SET", "{t}a", "1", "PX", "1");
                Thread.sleep(20);
                session.check("WATCH", "{t}a");
                session.check("GET", "{t}a");
                session.check("MULTI");
                session.check("SET", "{t}b", "1");
                session.check("EXEC");
                // Created again after WATCH: that is a change.
                session.check("SET", "{t}c", "1", "PX", "1");
                Thread.sleep(20);
                session.check("WATCH", "{t}c");
                session.check("SET", "{t}c", "2");
                session.check("MULTI");
                session.check("EXEC");
            } finally {
                session.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void restoreSetsTheIdleTimeOrTheFrequency() {
        try (DifferentialSession session = session()) {
            try {
                session.check("SET", "{t}a", "v");
                byte[] dump = ((Reply.Bulk) session.check("DUMP", "{t}a")).bytes();
                session.check(bytes("RESTORE"), bytes("{t}b"), bytes("0"), dump, bytes("IDLETIME"), bytes("1000"));
                session.check("OBJECT", "IDLETIME", "{t}b");
                session.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
                session.check(bytes("RESTORE"), bytes("{t}c"), bytes("0"), dump, bytes("FREQ"), bytes("100"));
                session.check("OBJECT", "FREQ", "{t}c");
            } finally {
                session.check("CONFIG", "SET", "maxmemory-policy", "noeviction");
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
