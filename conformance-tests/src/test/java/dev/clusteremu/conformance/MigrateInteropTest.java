package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * MIGRATE between emulated nodes and real redis-server 7.0 processes, both ways: the emulator's RESTORE-ASKING
 * pipeline is accepted by Redis, Redis's RESTORE (standalone) and RESTORE-ASKING (cluster) pipelines are
 * accepted by the emulator, TTLs travel, and COPY, REPLACE, AUTH and the target's errors behave alike
 * whichever side is the source.
 */
class MigrateInteropTest {
    private static final String BUSY = "ERR Target instance replied with error: BUSYKEY Target key name already exists.";

    private static Reply ok() {
        return Reply.status("OK");
    }

    private static void assertPttlWithin100s(RespClient c, String key) {
        long pttl = c.call("PTTL", key).asLong();
        assertTrue(pttl > 0 && pttl <= 100_000, key + " pttl " + pttl);
    }

    private static Reply migrate(RespClient source, RedisTarget target, String... rest) {
        String[] argv = new String[3 + rest.length];
        argv[0] = "MIGRATE";
        argv[1] = target.host();
        argv[2] = Integer.toString(target.port());
        System.arraycopy(rest, 0, argv, 3, rest.length);
        return source.call(argv);
    }

    @Test
    void keysAndTtlsTravelFromTheEmulatorToRedisAndBack() {
        try (RealRedisNode real = RealRedisNode.startStandalone(); EmulatorNode emulator = EmulatorNode.singleMasterCluster();
                RespClient r = RespClient.connect(real); RespClient e = RespClient.connect(emulator)) {
            byte[] big = new byte[1 << 20];
            new Random(3).nextBytes(big);
            // One MIGRATE ... KEYS moves keys of one slot, as in any cluster: they share a hash tag.
            e.call("SET", "{t}plain", "v");
            e.call("SET", "{t}expiring", "t", "PX", "100000");
            e.call("SET", "{t}number", "12345");
            e.call("SET".getBytes(ISO_8859_1), "{t}big".getBytes(ISO_8859_1), big);
            e.call("SET", "{t}compressible", "abc".repeat(100_000));
            List<String> keys = List.of("{t}plain", "{t}expiring", "{t}number", "{t}big", "{t}compressible");

            assertEquals(ok(), migrate(e, real, "", "0", "5000", "KEYS", "{t}plain", "{t}expiring", "{t}number",
                    "{t}big", "{t}compressible", "{t}missing"));
            assertEquals(0, e.call("DBSIZE").asLong());
            assertEquals(Reply.bulk("v"), r.call("GET", "{t}plain"));
            assertEquals(Reply.bulk("12345"), r.call("GET", "{t}number"));
            assertEquals(-1, r.call("PTTL", "{t}plain").asLong());
            assertPttlWithin100s(r, "{t}expiring");
            assertEquals(new Reply.Bulk(big), r.call("GET", "{t}big"));

            for (String key : keys) {
                assertEquals(ok(), migrate(r, emulator, key, "0", "5000"), key);
            }
            assertEquals(0, r.call("DBSIZE").asLong());
            assertEquals(Reply.bulk("t"), e.call("GET", "{t}expiring"));
            assertPttlWithin100s(e, "{t}expiring");
            assertEquals(new Reply.Bulk(big), e.call("GET", "{t}big"));
            assertEquals(Reply.bulk("abc".repeat(100_000)), e.call("GET", "{t}compressible"));
            assertEquals(Reply.error("CROSSSLOT Keys in request don't hash to the same slot"),
                    migrate(e, real, "", "0", "5000", "KEYS", "{t}plain", "{u}other"));
        }
    }

    @Test
    void copyReplaceAndBusyKeyBehaveAlikeInBothDirections() {
        try (RealRedisNode real = RealRedisNode.startStandalone(); EmulatorNode emulator = EmulatorNode.singleMasterCluster();
                RespClient r = RespClient.connect(real); RespClient e = RespClient.connect(emulator)) {
            for (RespClient[] pair : new RespClient[][] {{e, r}, {r, e}}) {
                RespClient source = pair[0];
                RespClient dest = pair[1];
                RedisTarget destTarget = dest == r ? real : emulator;
                source.call("SET", "k", "first");
                assertEquals(ok(), migrate(source, destTarget, "k", "0", "5000", "COPY"));
                assertEquals(Reply.bulk("first"), source.call("GET", "k"));
                assertEquals(Reply.bulk("first"), dest.call("GET", "k"));

                source.call("SET", "k", "second");
                assertEquals(Reply.error(BUSY), migrate(source, destTarget, "k", "0", "5000"));
                assertEquals(Reply.bulk("second"), source.call("GET", "k"));
                assertEquals(Reply.error(BUSY), migrate(source, destTarget, "", "0", "5000", "COPY", "KEYS", "k"));

                assertEquals(ok(), migrate(source, destTarget, "k", "0", "5000", "REPLACE"));
                assertEquals(0, source.call("EXISTS", "k").asLong());
                assertEquals(Reply.bulk("second"), dest.call("GET", "k"));
                dest.call("DEL", "k");
            }
        }
    }

    @Test
    void aRedisClusterNodesRestoreAskingIsAcceptedAndTheEmulatorsByRedis() {
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatorNode emulator = EmulatorNode.singleMasterCluster();
                RespClient r = RespClient.connect(real); RespClient e = RespClient.connect(emulator)) {
            r.call("SET", "from-redis", "1", "PX", "100000");
            assertEquals(ok(), migrate(r, emulator, "from-redis", "0", "5000"));
            assertEquals(Reply.bulk("1"), e.call("GET", "from-redis"));
            assertPttlWithin100s(e, "from-redis");

            e.call("SET", "from-emulator", "2");
            assertEquals(ok(), migrate(e, real, "from-emulator", "0", "5000"));
            assertEquals(Reply.bulk("2"), r.call("GET", "from-emulator"));

            // Cluster mode has only db 0: the target refuses SELECT and the source keeps its key.
            e.call("SET", "db5", "3");
            r.call("SET", "db5", "3");
            Reply fromEmulator = migrate(e, real, "db5", "5", "5000");
            assertEquals(Reply.error("ERR Target instance replied with error: ERR SELECT is not allowed in cluster mode"),
                    fromEmulator);
            assertEquals(fromEmulator, migrate(r, emulator, "db5", "5", "5000"));
            assertEquals(1, e.call("EXISTS", "db5").asLong());
        }
    }

    @Test
    void authAndTheTargetsDatabaseAsRedisSendsThem() {
        try (RealRedisNode target = RealRedisNode.startStandalone();
                RealRedisNode realSource = RealRedisNode.startStandalone();
                EmulatorNode emulator = EmulatorNode.singleMasterCluster();
                RespClient t = RespClient.connect(target); RespClient r = RespClient.connect(realSource);
                RespClient e = RespClient.connect(emulator)) {
            assertEquals(ok(), t.call("CONFIG", "SET", "requirepass", "secret"));
            assertEquals(ok(), t.call("AUTH", "secret"));
            for (RespClient source : List.of(r, e)) {
                source.call("SET", "k", "v");
                Reply noAuth = migrate(source, target, "k", "0", "5000");
                assertEquals(Reply.error("ERR Target instance replied with error: NOAUTH Authentication required."),
                        noAuth);
                Reply wrong = migrate(source, target, "k", "0", "5000", "AUTH", "nope");
                assertEquals(Reply.error("ERR Target instance replied with error: WRONGPASS invalid username-password "
                        + "pair or user is disabled."), wrong);
                assertEquals(ok(), migrate(source, target, "k", "3", "5000", "AUTH2", "default", "secret"));
                assertEquals(0, source.call("EXISTS", "k").asLong());
                assertEquals(ok(), t.call("SELECT", "3"));
                assertEquals(Reply.bulk("v"), t.call("GET", "k"));
                t.call("DEL", "k");
                assertEquals(ok(), t.call("SELECT", "0"));
            }
        }
    }
}
