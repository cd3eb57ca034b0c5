package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RDB files between our codec and a real redis-server 7.0: we read what its SAVE writes, and it (and
 * redis-check-rdb) load what we write. Skipped when /usr/bin/redis-server is absent.
 */
class RdbAgainstRedisTest {

    private static final long HOUR_MS = 3_600_000L;

    @BeforeAll
    static void needsRedis() {
        RealRedis.assumeInstalled();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static CollectingVisitor save(RealRedis redis) throws Exception {
        assertEquals("OK", redis.call("SAVE"));
        Path file = redis.dir.resolve("dump.rdb");
        CollectingVisitor c = new CollectingVisitor();
        RdbReadResult result = RdbReader.read(file, c);
        byte[] whole = Files.readAllBytes(file);
        assertEquals(whole.length, result.bytesRead());
        assertEquals(10, result.rdbVersion());
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (whole[whole.length - 8 + i] & 0xff);
        }
        assertNotEquals(0, stored);
        assertEquals(stored, result.checksum());
        assertEquals(Crc64.update(0, whole, 0, whole.length - 8), result.checksum());
        return c;
    }

    @Test
    void readsEveryStringKeyValueAndExpireOfARedisSave() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            Random random = new Random(7);
            Map<String, byte[]> expected = new LinkedHashMap<>();
            List<byte[]> values = DumpAgainstRedisTest.values();
            for (int i = 0; i < values.size(); i++) {
                expected.put("key:" + i, values.get(i));
            }
            byte[] binaryKey = new byte[50];
            random.nextBytes(binaryKey);
            int withTtl = 0;
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                byte[] key = bytes(e.getKey());
                if (random.nextBoolean()) {
                    redis.call(bytes("SET"), key, e.getValue(), bytes("PX"), bytes(Long.toString(HOUR_MS)));
                    withTtl++;
                } else {
                    redis.call(bytes("SET"), key, e.getValue());
                }
            }
            redis.call(bytes("SET"), binaryKey, bytes("binary key"));
            redis.call("SELECT", "3");
            redis.call("SET", "in-db-3", "three", "PXAT", "4102444800000");
            redis.call("SELECT", "0");

            long before = System.currentTimeMillis() / 1000;
            CollectingVisitor c = save(redis);

            assertEquals("7.0.15", c.aux.get("redis-ver"));
            assertEquals("64", c.aux.get("redis-bits"));
            long ctime = Long.parseLong(c.aux.get("ctime"));
            assertTrue(Math.abs(ctime - before) < 60, "ctime " + ctime);
            assertTrue(Long.parseLong(c.aux.get("used-mem")) > 0);
            assertEquals("0", c.aux.get("aof-base"));
            assertEquals(List.of(0, 3), c.selectedDbs);
            assertArrayEquals(new long[] {expected.size() + 1, withTtl}, c.resizes.get(0));
            assertArrayEquals(new long[] {1, 1}, c.resizes.get(1));

            assertEquals(expected.size() + 2, c.keys.size());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                RdbKey key = c.key(e.getKey());
                assertEquals(RdbType.STRING, key.type());
                assertEquals(0, key.db());
                assertArrayEquals(e.getValue(), c.value(e.getKey()), e.getKey());
                long pexpiretime = (Long) redis.call("PEXPIRETIME", e.getKey());
                assertEquals(pexpiretime, key.expireMs(), e.getKey());
                assertEquals(-1, key.lruIdleSeconds());
                assertEquals(-1, key.lfuFreq());
            }
            RdbKey inDb3 = c.key("in-db-3");
            assertEquals(3, inDb3.db());
            assertEquals(4102444800000L, inDb3.expireMs());
            assertArrayEquals(bytes("three"), c.value("in-db-3"));
            assertTrue(c.keys.stream().anyMatch(k -> Arrays.equals(k.key(), binaryKey)));
        }
    }

    @Test
    void exposesTheLfuCounterSavedUnderAnLfuPolicy() throws Exception {
        try (RealRedis redis = RealRedis.start("--maxmemory-policy", "allkeys-lfu")) {
            redis.call("SET", "hot", "v");
            for (int i = 0; i < 100; i++) {
                redis.call("GET", "hot");
            }
            long freq = (Long) redis.call("OBJECT", "FREQ", "hot");
            RdbKey hot = save(redis).key("hot");
            assertEquals(freq, hot.lfuFreq());
            assertEquals(-1, hot.lruIdleSeconds());
        }
    }

    @Test
    void exposesTheIdleTimeSavedUnderAnLruPolicy() throws Exception {
        try (RealRedis redis = RealRedis.start("--maxmemory-policy", "allkeys-lru")) {
            redis.call("SET", "cold", "v");
            long idleBefore = (Long) redis.call("OBJECT", "IDLETIME", "cold");
            RdbKey cold = save(redis).key("cold");
            long idleAfter = (Long) redis.call("OBJECT", "IDLETIME", "cold");
            assertEquals(-1, cold.lfuFreq());
            assertTrue(cold.lruIdleSeconds() >= idleBefore && cold.lruIdleSeconds() <= idleAfter,
                    "idle " + cold.lruIdleSeconds() + " not in [" + idleBefore + ", " + idleAfter + "]");
        }
    }

    /** Keys of every type and encoding Redis 7.0 saves, with the DUMP Redis gives for each. */
    private static void createEveryType(RealRedis redis) throws IOException {
        redis.call("RPUSH", "list:small", "a", "1", "bb");
        for (int i = 0; i < 2000; i++) {
            redis.call("RPUSH", "list:big", "element-" + i);
        }
        byte[] huge = new byte[20_000];
        Arrays.fill(huge, (byte) 'x');
        redis.call(bytes("RPUSH"), bytes("list:plain"), huge, bytes("small"));
        redis.call("SADD", "set:intset", "1", "2", "300", "-70000", "5000000000");
        for (int i = 0; i < 600; i++) {
            redis.call("SADD", "set:hashtable", "member-" + i);
        }
        redis.call("ZADD", "zset:listpack", "1", "a", "2.5", "b", "-inf", "c", "inf", "d");
        for (int i = 0; i < 200; i++) {
            redis.call("ZADD", "zset:skiplist", Double.toString(i * 0.1), "member-" + i);
        }
        redis.call("HSET", "hash:listpack", "f1", "v1", "f2", "12", "f3", "");
        for (int i = 0; i < 600; i++) {
            redis.call("HSET", "hash:hashtable", "field-" + i, "value-" + i);
        }
        for (int i = 0; i < 250; i++) {
            redis.call("XADD", "stream", "*", "field", "value-" + i, "n", Integer.toString(i));
        }
        redis.call("XGROUP", "CREATE", "stream", "group-a", "0");
        redis.call("XGROUP", "CREATE", "stream", "group-b", "$");
        redis.call("XREADGROUP", "GROUP", "group-a", "alice", "COUNT", "5", "STREAMS", "stream", ">");
        redis.call("XREADGROUP", "GROUP", "group-a", "bob", "COUNT", "3", "STREAMS", "stream", ">");
        redis.call("XADD", "stream:empty", "5-1", "f", "v");
        redis.call("XDEL", "stream:empty", "5-1");
        redis.call("SET", "string:int", "42");
        redis.call("SET", "string:lzf", "abc".repeat(100));
    }

    @Test
    void rawValuesOfEveryTypeEqualRedisDumpAndReloadIntoRedis() throws Exception {
        Path ourFile;
        Map<String, byte[]> dumps = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("rdb-reload");
        try (RealRedis redis = RealRedis.start()) {
            createEveryType(redis);
            String code = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)";
            assertEquals("mylib", new String((byte[]) redis.call("FUNCTION", "LOAD", code), UTF_8));
            redis.call("PEXPIREAT", "set:intset", "4102444800000");
            CollectingVisitor c = save(redis);

            assertEquals(1, c.functions.size());
            assertEquals(code, new String(c.functions.get(0), UTF_8));

            // Each raw value, with its type byte, is exactly what DUMP of that key returns.
            for (int i = 0; i < c.keys.size(); i++) {
                RdbKey key = c.keys.get(i);
                String name = new String(key.key(), ISO_8859_1);
                byte[] dump = (byte[]) redis.call(bytes("DUMP"), key.key());
                dumps.put(name, dump);
                byte[] encoded = key.type() == RdbType.STRING ? StringEncoding.encode(c.values.get(i))
                        : c.values.get(i);
                assertEquals(DumpAgainstRedisTest.hex(dump),
                        DumpAgainstRedisTest.hex(DumpPayload.create(key.type(), encoded)), name);
            }
            assertEquals(RdbType.LIST_QUICKLIST_2, c.key("list:big").type());
            assertEquals(RdbType.SET_INTSET, c.key("set:intset").type());
            assertEquals(RdbType.SET, c.key("set:hashtable").type());
            assertEquals(RdbType.ZSET_LISTPACK, c.key("zset:listpack").type());
            assertEquals(RdbType.ZSET_2, c.key("zset:skiplist").type());
            assertEquals(RdbType.HASH_LISTPACK, c.key("hash:listpack").type());
            assertEquals(RdbType.HASH, c.key("hash:hashtable").type());
            assertEquals(RdbType.STREAM_LISTPACKS_2, c.key("stream").type());

            // Written back by our encoder, the same keys load into a fresh redis-server unchanged.
            ourFile = dir.resolve("ours.rdb");
            ByteBuf buf = Unpooled.buffer();
            RdbEncoder encoder = new RdbEncoder(buf);
            encoder.writeHeader();
            encoder.writeInfoAuxFields(System.currentTimeMillis() / 1000, 1_000_000, null, false);
            encoder.writeFunction(c.functions.get(0));
            encoder.writeSelectDb(0);
            encoder.writeResizeDb(c.keys.size(), 1);
            for (int i = 0; i < c.keys.size(); i++) {
                RdbKey key = c.keys.get(i);
                if (key.type() == RdbType.STRING) {
                    encoder.writeStringKeyValue(key.key(), c.values.get(i), key.expireMs());
                } else {
                    encoder.writeKeyValue(key.key(), key.type(), c.values.get(i), key.expireMs());
                }
            }
            encoder.writeEof();
            writeFile(buf, ourFile);
        }
        assertRedisCheckRdbAccepts(ourFile);
        try (RealRedis reloaded = RealRedis.start(dir, "--dbfilename", "ours.rdb")) {
            for (Map.Entry<String, byte[]> e : dumps.entrySet()) {
                String key = e.getKey();
                if (key.equals("set:hashtable") || key.equals("hash:hashtable")) {
                    // A hash table's iteration order depends on its insertion history: compare contents.
                    List<String> expectedContents = new ArrayList<>();
                    for (int i = 0; i < 600; i++) {
                        if (key.startsWith("set")) {
                            expectedContents.add("member-" + i);
                        } else {
                            expectedContents.add("field-" + i + "=value-" + i);
                        }
                    }
                    assertEquals(sorted(expectedContents), sorted(contents(reloaded, key)), key);
                } else {
                    byte[] dump = (byte[]) reloaded.call(bytes("DUMP"), bytes(key));
                    assertEquals(DumpAgainstRedisTest.hex(e.getValue()), DumpAgainstRedisTest.hex(dump), key);
                }
            }
            assertEquals(4102444800000L, reloaded.call("PEXPIRETIME", "set:intset"));
            assertEquals(1L, reloaded.call("FCALL", "myfunc", "0"));
        }
    }

    @Test
    void redisLoadsStringsAndTtlsWeWrite() throws Exception {
        Path dir = Files.createTempDirectory("rdb-ours");
        Path file = dir.resolve("emulator.rdb");
        long now = System.currentTimeMillis();
        List<byte[]> values = DumpAgainstRedisTest.values();
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder encoder = new RdbEncoder(buf);
        encoder.writeHeader();
        encoder.writeInfoAuxFields(now / 1000, 2_000_000, new RdbSaveInfo(0, "a".repeat(40), 12345), false);
        encoder.writeSelectDb(0);
        encoder.writeResizeDb(values.size(), values.size() / 2);
        for (int i = 0; i < values.size(); i++) {
            long expire = i % 2 == 0 ? now + HOUR_MS + i : -1;
            encoder.writeStringKeyValue(bytes("key:" + i), values.get(i), expire);
        }
        encoder.writeSelectDb(5);
        encoder.writeResizeDb(1, 0);
        encoder.writeStringKeyValue(bytes("db5"), bytes("five"), -1);
        encoder.writeEof();
        writeFile(buf, file);

        assertRedisCheckRdbAccepts(file);
        try (RealRedis redis = RealRedis.start(dir, "--dbfilename", "emulator.rdb")) {
            assertEquals((long) values.size(), redis.call("DBSIZE"));
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(values.get(i), (byte[]) redis.call("GET", "key:" + i), "key:" + i);
                long pttl = (Long) redis.call("PTTL", "key:" + i);
                if (i % 2 == 0) {
                    assertEquals(now + HOUR_MS + i, (Long) redis.call("PEXPIRETIME", "key:" + i));
                    assertTrue(pttl > 0 && pttl <= HOUR_MS + i, "pttl " + pttl);
                } else {
                    assertEquals(-1L, pttl);
                }
            }
            redis.call("SELECT", "5");
            assertArrayEquals(bytes("five"), (byte[]) redis.call("GET", "db5"));
        }
    }

    @Test
    void redisLoadsAnRdbWrittenWithoutChecksum() throws Exception {
        Path dir = Files.createTempDirectory("rdb-nocrc");
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder encoder = new RdbEncoder(buf, false, false);
        encoder.writeHeader();
        encoder.writeInfoAuxFields(System.currentTimeMillis() / 1000, 1, null, false);
        encoder.writeSelectDb(0);
        encoder.writeResizeDb(1, 0);
        encoder.writeStringKeyValue(bytes("k"), bytes("v".repeat(100)), -1);
        encoder.writeEof();
        writeFile(buf, dir.resolve("dump.rdb"));
        try (RealRedis redis = RealRedis.start(dir)) {
            assertArrayEquals(bytes("v".repeat(100)), (byte[]) redis.call("GET", "k"));
        }
    }

    /** SMEMBERS of a set, or HGETALL of a hash as "field=value" strings. */
    private static List<String> contents(RealRedis redis, String key) throws IOException {
        boolean isSet = "set".equals(redis.call("TYPE", key));
        List<?> reply = (List<?>) redis.call(isSet ? "SMEMBERS" : "HGETALL", key);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += isSet ? 1 : 2) {
            String item = new String((byte[]) reply.get(i), ISO_8859_1);
            items.add(isSet ? item : item + "=" + new String((byte[]) reply.get(i + 1), ISO_8859_1));
        }
        return items;
    }

    private static List<String> sorted(List<String> items) {
        List<String> copy = new ArrayList<>(items);
        copy.sort(null);
        return copy;
    }

    private static void writeFile(ByteBuf buf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            buf.readBytes(out, buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    private static void assertRedisCheckRdbAccepts(Path file) throws Exception {
        Process check = new ProcessBuilder(RealRedis.REDIS_CHECK_RDB.toString(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, check.waitFor(), output);
        assertTrue(output.contains("RDB looks OK!"), output);
    }
}
