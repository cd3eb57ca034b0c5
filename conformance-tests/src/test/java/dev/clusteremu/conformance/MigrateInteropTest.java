package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void everyDataTypeTravelsWithItsTtlFromTheEmulatorToRedisAndBack() {
        try (RealRedisNode real = RealRedisNode.startStandalone(); EmulatorNode emulator = EmulatorNode.singleMasterCluster();
                RespClient r = RespClient.connect(real); RespClient e = RespClient.connect(emulator)) {
            List<String> keys = writeEveryType(e);
            Map<String, List<String>> written = contents(e, keys);

            List<String> migrate = new ArrayList<>(List.of("", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            assertEquals(ok(), migrate(e, real, migrate.toArray(String[]::new)));
            assertEquals(0, e.call("DBSIZE").asLong());
            assertSameContents(written, contents(r, keys));

            assertEquals(ok(), migrate(r, emulator, migrate.toArray(String[]::new)));
            assertEquals(0, r.call("DBSIZE").asLong());
            assertSameContents(written, contents(e, keys));
            for (String key : keys) {
                assertPttlWithin100s(e, key);
            }
        }
    }

    /**
     * One key of each type and encoding, all in slot {d} and all expiring: small and large hashes, sets
     * (intset and hash table), lists (one and many quicklist nodes), sorted sets (listpack and skiplist), a
     * stream with a consumer group, a HyperLogLog and a bitmap.
     */
    private static List<String> writeEveryType(RespClient c) {
        c.call("HSET", "{d}hash", "a", "1", "b", "two");
        c.call("SADD", "{d}intset", "1", "2", "300000");
        c.call("SADD", "{d}set", "a", "b", "c");
        c.call("RPUSH", "{d}list", "a", "b", "3");
        c.call("ZADD", "{d}zset", "1", "a", "2.5", "b");
        for (int i = 0; i < 300; i++) {
            c.call("HSET", "{d}bighash", "f" + i, "v" + i);
            c.call("SADD", "{d}bigset", "m" + i);
            c.call("RPUSH", "{d}biglist", "element-" + i);
            c.call("ZADD", "{d}bigzset", Integer.toString(i % 17), "m" + i);
        }
        c.call("XADD", "{d}stream", "1-1", "f", "v");
        c.call("XADD", "{d}stream", "2-1", "f", "w", "g", "x");
        c.call("XGROUP", "CREATE", "{d}stream", "g", "0");
        c.call("PFADD", "{d}hll", "a", "b", "c");
        c.call("SETBIT", "{d}bits", "100", "1");
        List<String> keys = List.of("{d}hash", "{d}intset", "{d}set", "{d}list", "{d}zset", "{d}bighash",
                "{d}bigset", "{d}biglist", "{d}bigzset", "{d}stream", "{d}hll", "{d}bits");
        for (String key : keys) {
            assertEquals(1, c.call("PEXPIRE", key, "100000").asLong(), key);
        }
        return keys;
    }

    /**
     * What each key holds, read back as a client sees it, with its type and (but for strings) encoding; the
     * members of hash tables sorted, since their order is each server's own.
     */
    private static Map<String, List<String>> contents(RespClient c, List<String> keys) {
        Map<String, List<String>> contents = new LinkedHashMap<>();
        for (String key : keys) {
            String type = c.call("TYPE", key).asString();
            // A string's encoding is not carried: a short one built in place (PFADD, SETBIT) is raw, and
            // comes back from RESTORE as embstr, on both servers alike.
            List<String> value = new ArrayList<>(List.of(type));
            if (!type.equals("string")) {
                value.add(c.call("OBJECT", "ENCODING", key).asString());
            }
            switch (type) {
                case "hash" -> value.addAll(sorted(c.call("HGETALL", key)));
                case "set" -> value.addAll(sorted(c.call("SMEMBERS", key)));
                case "list" -> value.add(c.call("LRANGE", key, "0", "-1").toString());
                case "zset" -> value.add(c.call("ZRANGE", key, "0", "-1", "WITHSCORES").toString());
                case "stream" -> {
                    value.add(c.call("XRANGE", key, "-", "+").toString());
                    value.add(c.call("XINFO", "GROUPS", key).toString());
                }
                default -> value.add(c.call("GET", key).toString());
            }
            contents.put(key, value);
        }
        return contents;
    }

    private static void assertSameContents(Map<String, List<String>> expected, Map<String, List<String>> actual) {
        for (Map.Entry<String, List<String>> key : expected.entrySet()) {
            assertEquals(key.getValue(), actual.get(key.getKey()), key.getKey());
        }
    }

    private static List<String> sorted(Reply aggregate) {
        return aggregate.asList().stream().map(Reply::toString).sorted().toList();
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
