package dev.clusteremu.server.commands;

import static dev.clusteremu.server.commands.TestCluster.TAG;
import static dev.clusteremu.server.commands.TestCluster.TAG_SLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic key commands over a real socket against an in-process cluster. */
class KeyCommandsTest {
    private static final String OK = "+OK\r\n";
    private static final String NIL = "$-1\r\n";
    private static final String SYNTAX = "-ERR syntax error\r\n";
    private static final String NOT_INT = "-ERR value is not an integer or out of range\r\n";
    private static final String CROSSSLOT = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
    private static final Pattern BULK = Pattern.compile("\\$(\\d+)\r\n");

    private static TestCluster cluster;
    private RespClient c;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void connect() {
        c = new RespClient(cluster.port());
        cluster.cluster().server(0).call(() -> {
            cluster.cluster().server(0).keyspace().clear();
            return null;
        });
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    private static String k(String name) {
        return TAG + name;
    }

    private static String integer(long n) {
        return ":" + n + "\r\n";
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** The bulk strings of a reply, in order (keys of KEYS, cursor then keys of SCAN). */
    private static List<String> bulks(String reply) {
        List<String> out = new ArrayList<>();
        Matcher m = BULK.matcher(reply);
        int from = 0;
        while (m.find(from)) {
            int len = Integer.parseInt(m.group(1));
            out.add(reply.substring(m.end(), m.end() + len));
            from = m.end() + len + 2;
        }
        return out;
    }

    private Set<String> keys(String pattern) {
        return new HashSet<>(bulks(c.call("KEYS", pattern)));
    }

    /** Waits (generously) until the key is logically expired. */
    private void awaitExpired(String key) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!c.call("PTTL", key).equals(integer(-2)) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(integer(-2), c.call("PTTL", key));
    }

    @Test
    void delCountsKeysActuallyDeleted() {
        c.call("MSET", k("a"), "1", k("b"), "2");
        assertEquals(integer(2), c.call("DEL", k("a"), k("a"), k("b"), k("c")));
        assertEquals(integer(0), c.call("DEL", k("a")));
        c.call("SET", k("u"), "1");
        assertEquals(integer(1), c.call("UNLINK", k("u"), k("v")));
        assertEquals(CROSSSLOT, c.call("DEL", k("a"), "{c}x"));
    }

    @Test
    void delDoesNotCountAnExpiredKey() throws InterruptedException {
        c.call("SET", k("a"), "1", "PX", "1");
        Thread.sleep(5);
        assertEquals(integer(0), c.call("DEL", k("a")));
        assertEquals(integer(0), c.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(TAG_SLOT)));
    }

    @Test
    void existsAndTouchCountDuplicates() {
        c.call("SET", k("a"), "1");
        assertEquals(integer(3), c.call("EXISTS", k("a"), k("a"), k("b"), k("a")));
        assertEquals(integer(2), c.call("TOUCH", k("a"), k("a"), k("b")));
        assertEquals(CROSSSLOT, c.call("EXISTS", k("a"), "{c}x"));
        assertEquals(CROSSSLOT, c.call("TOUCH", k("a"), "{c}x"));
    }

    @Test
    void typeNamesTheValue() {
        c.call("SET", k("a"), "1");
        assertEquals("+string\r\n", c.call("TYPE", k("a")));
        assertEquals("+none\r\n", c.call("TYPE", k("b")));
    }

    @Test
    void ttlFamily() {
        assertEquals(integer(-2), c.call("TTL", k("a")));
        assertEquals(integer(-2), c.call("PTTL", k("a")));
        assertEquals(integer(-2), c.call("EXPIRETIME", k("a")));
        assertEquals(integer(-2), c.call("PEXPIRETIME", k("a")));
        c.call("SET", k("a"), "1");
        assertEquals(integer(-1), c.call("TTL", k("a")));
        assertEquals(integer(-1), c.call("PEXPIRETIME", k("a")));
        assertEquals(integer(1), c.call("PEXPIREAT", k("a"), "4102444800123"));
        assertEquals(integer(4102444800123L), c.call("PEXPIRETIME", k("a")));
        assertEquals(integer(4102444800L), c.call("EXPIRETIME", k("a")));
        assertEquals(integer(1), c.call("PEXPIREAT", k("a"), "4102444800500"));
        assertEquals(integer(4102444801L), c.call("EXPIRETIME", k("a")), "seconds round to nearest");
        assertEquals(integer(1), c.call("PEXPIREAT", k("a"), Long.toString(Long.MAX_VALUE)));
        assertEquals(integer(9223372036854776L), c.call("EXPIRETIME", k("a")));
    }

    @Test
    void expireSetsAndReplacesTheTtl() {
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "100"));
        c.call("SET", k("a"), "1");
        assertEquals(integer(1), c.call("EXPIRE", k("a"), "100"));
        assertEquals(integer(100), c.call("TTL", k("a")));
        assertEquals(integer(1), c.call("PEXPIRE", k("a"), "50000"));
        assertEquals(integer(50), c.call("TTL", k("a")));
        assertEquals(integer(1), c.call("EXPIREAT", k("a"), "4102444800"));
        assertEquals(integer(4102444800L), c.call("EXPIRETIME", k("a")));
        assertEquals(integer(1), c.call("PERSIST", k("a")));
        assertEquals(integer(0), c.call("PERSIST", k("a")));
        assertEquals(integer(0), c.call("PERSIST", k("missing")));
        assertEquals(integer(-1), c.call("TTL", k("a")));
    }

    @Test
    void expireInThePastDeletesTheKey() {
        for (String[] cmd : new String[][] {{"EXPIRE", "-1"}, {"PEXPIRE", "-9223372036854775808"},
            {"EXPIREAT", "-100"}, {"PEXPIREAT", "0"}, {"EXPIREAT", "1"}}) {
            c.call("SET", k("a"), "1");
            assertEquals(integer(1), c.call(cmd[0], k("a"), cmd[1]), cmd[0]);
            assertEquals(integer(0), c.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(TAG_SLOT)), cmd[0]);
        }
    }

    @Test
    void expireOptionsNxXxGtLt() {
        c.call("SET", k("a"), "1");
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "100", "XX"));
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "100", "GT"), "no TTL counts as infinite for GT");
        assertEquals(integer(1), c.call("EXPIRE", k("a"), "100", "NX"));
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "200", "NX"));
        assertEquals(integer(1), c.call("EXPIRE", k("a"), "200", "XX"));
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "100", "GT"));
        assertEquals(integer(1), c.call("EXPIRE", k("a"), "300", "gt"));
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "400", "LT"));
        assertEquals(integer(1), c.call("EXPIRE", k("a"), "50", "lt", "xx"));
        assertEquals(integer(50), c.call("TTL", k("a")));
        c.call("SET", k("b"), "1");
        assertEquals(integer(1), c.call("EXPIRE", k("b"), "50", "LT"), "no TTL counts as infinite for LT");
    }

    @Test
    void expireRefusesBadOptionsAndTimes() {
        c.call("SET", k("a"), "1");
        String nxConflict = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
        assertEquals(nxConflict, c.call("EXPIRE", k("a"), "100", "NX", "XX"));
        assertEquals(nxConflict, c.call("EXPIRE", k("a"), "100", "NX", "GT"));
        assertEquals(nxConflict, c.call("EXPIRE", k("missing"), "100", "LT", "NX"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
                c.call("EXPIRE", k("a"), "100", "GT", "LT"));
        assertEquals("-ERR Unsupported option foo\r\n", c.call("EXPIRE", k("a"), "100", "XX", "foo"));
        assertEquals("-ERR Unsupported option foo\r\n", c.call("EXPIRE", k("a"), "abc", "foo"));
        assertEquals("-ERR Unsupported option f\r\n", c.call("EXPIRE", k("a"), "100", "f\0oo"));
        assertEquals(integer(0), c.call("EXPIRE", k("a"), "100", "gt\0junk"), "options are read as C strings");
        assertEquals(NOT_INT, c.call("EXPIRE", k("a"), "abc"));
        assertEquals(NOT_INT, c.call("EXPIRE", k("missing"), "abc"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", c.call("EXPIRE", k("a"), "9223372036854776"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", c.call("EXPIRE", k("a"), "-9223372036854776"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", c.call("EXPIRE", k("a"), "9223372036854775"));
        assertEquals("-ERR invalid expire time in 'pexpire' command\r\n",
                c.call("PEXPIRE", k("a"), "9223372036854775807"));
        assertEquals("-ERR invalid expire time in 'expireat' command\r\n",
                c.call("EXPIREAT", k("a"), "9223372036854776"));
        assertEquals(integer(-1), c.call("TTL", k("a")));
        assertEquals("-ERR wrong number of arguments for 'expire' command\r\n", c.call("EXPIRE", k("a")));
    }

    @Test
    void expiredKeysDisappear() throws InterruptedException {
        c.call("SET", k("a"), "1", "PX", "5");
        awaitExpired(k("a"));
        assertEquals(NIL, c.call("GET", k("a")));
        assertEquals(integer(0), c.call("EXISTS", k("a")));
        assertEquals("+none\r\n", c.call("TYPE", k("a")));
    }

    @Test
    void keysMatchesGlobs() {
        c.call("MSET", k("hello"), "1", k("hallo"), "1", k("hxllo"), "1", k("hllo"), "1", k("heeeello"), "1");
        assertEquals(Set.of(k("hello"), k("hallo"), k("hxllo")), keys(TAG + "h?llo"));
        assertEquals(Set.of(k("hello"), k("hallo"), k("hxllo"), k("hllo"), k("heeeello")), keys(TAG + "h*llo"));
        assertEquals(Set.of(k("hello"), k("hallo")), keys(TAG + "h[ae]llo"));
        assertEquals(Set.of(k("hallo"), k("hxllo")), keys(TAG + "h[^e]llo"));
        assertEquals(Set.of(k("hallo")), keys(TAG + "h[a-b]llo"));
        assertEquals(Set.of(), keys(TAG + "h\\*llo"));
        assertEquals(5, keys("*").size());
        assertEquals("*0\r\n", c.call("KEYS", "nomatch*"));
        assertEquals("-ERR wrong number of arguments for 'keys' command\r\n", c.call("KEYS"));
    }

    @Test
    void keysStarMatchesTheEmptyKeyButOtherPatternsDoNot() {
        // The empty key hashes to slot 0, on this node.
        c.call("SET", "", "v");
        assertEquals(Set.of(""), keys("*"));
        assertEquals(Set.of(), keys("**"));
        c.call("DEL", "");
    }

    @Test
    void keysSkipsExpiredKeys() throws InterruptedException {
        c.call("SET", k("live"), "1");
        c.call("SET", k("dead"), "1", "PX", "1");
        Thread.sleep(5);
        assertEquals(Set.of(k("live")), keys("*"));
    }

    @Test
    void scanIteratesEveryKey() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            c.call("SET", k("key:" + i), "v");
            expected.add(k("key:" + i));
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> reply = bulks(c.call("SCAN", cursor, "COUNT", "7"));
            cursor = reply.get(0);
            seen.addAll(reply.subList(1, reply.size()));
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(expected, seen);
        assertTrue(calls > 10, "COUNT bounds each call");
    }

    @Test
    void scanKeepsReturningKeysWhileTheKeyspaceGrows() {
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            c.call("SET", k("stable:" + i), "v");
            stable.add(k("stable:" + i));
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int step = 0;
        do {
            List<String> reply = bulks(c.call("SCAN", cursor));
            cursor = reply.get(0);
            seen.addAll(reply.subList(1, reply.size()));
            if (step++ < 20) {
                for (int i = 0; i < 50; i++) {
                    c.call("SET", k("new:" + step + ":" + i), "v");
                }
            }
        } while (!cursor.equals("0"));
        assertTrue(seen.containsAll(stable));
    }

    @Test
    void scanFiltersByMatchAndType() {
        c.call("MSET", k("a1"), "1", k("a2"), "2", k("b1"), "3");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            List<String> reply = bulks(c.call("SCAN", cursor, "MATCH", TAG + "a*", "TYPE", "STRING", "COUNT", "1000"));
            cursor = reply.get(0);
            seen.addAll(reply.subList(1, reply.size()));
        } while (!cursor.equals("0"));
        assertEquals(Set.of(k("a1"), k("a2")), seen);
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "0", "TYPE", "list", "COUNT", "1000"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "0", "TYPE", "foo", "COUNT", "1000"));
    }

    @Test
    void scanOfAnEmptyKeyspaceEndsAtOnce() {
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "0"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "18446744073709551615"));
    }

    @Test
    void scanCursorIsReadLikeStrtoul() {
        String empty = "*2\r\n$1\r\n0\r\n*0\r\n";
        for (String ok : new String[] {"", "+0", "-0", "007", "-1", "18446744073709551615",
            "-18446744073709551615", "0\0abc"}) {
            assertEquals(empty, c.call("SCAN", ok), ok);
        }
        String invalid = "-ERR invalid cursor\r\n";
        for (String bad : new String[] {" 0", "0 ", "18446744073709551616", "-18446744073709551616", "0x1", "+",
            "-", "abc", "\0"}) {
            assertEquals(bad.equals("\0") ? empty : invalid, c.call("SCAN", bad), bad);
        }
    }

    @Test
    void scanRefusesBadOptions() {
        assertEquals(SYNTAX, c.call("SCAN", "0", "COUNT", "0"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "COUNT", "-1"));
        assertEquals(NOT_INT, c.call("SCAN", "0", "COUNT", "abc"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "COUNT"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "MATCH"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "TYPE"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "foo", "bar"));
        assertEquals(SYNTAX, c.call("SCAN", "0", "COUNT", "0", "MATCH"));
        assertEquals("-ERR wrong number of arguments for 'scan' command\r\n", c.call("SCAN"));
    }

    @Test
    void randomkeyPicksALiveKey() throws InterruptedException {
        assertEquals(NIL, c.call("RANDOMKEY"));
        c.call("SET", k("a"), "1");
        assertEquals(bulk(k("a")), c.call("RANDOMKEY"));
        c.call("SET", k("dead"), "1", "PX", "1");
        Thread.sleep(5);
        for (int i = 0; i < 20; i++) {
            assertEquals(bulk(k("a")), c.call("RANDOMKEY"));
        }
        assertEquals("-ERR wrong number of arguments for 'randomkey' command\r\n", c.call("RANDOMKEY", "x"));
    }

    @Test
    void renameMovesValueAndTtl() {
        assertEquals("-ERR no such key\r\n", c.call("RENAME", k("a"), k("b")));
        assertEquals("-ERR no such key\r\n", c.call("RENAMENX", k("a"), k("b")));
        assertEquals("-ERR no such key\r\n", c.call("RENAME", k("a"), k("a")));
        c.call("SET", k("a"), "1", "EX", "100");
        assertEquals(OK, c.call("RENAME", k("a"), k("a")));
        assertEquals(integer(0), c.call("RENAMENX", k("a"), k("a")));
        c.call("SET", k("b"), "2");
        assertEquals(integer(0), c.call("RENAMENX", k("a"), k("b")));
        assertEquals(OK, c.call("RENAME", k("a"), k("b")));
        assertEquals(bulk("1"), c.call("GET", k("b")));
        assertEquals(integer(100), c.call("TTL", k("b")));
        assertEquals(integer(0), c.call("EXISTS", k("a")));
        assertEquals(integer(1), c.call("RENAMENX", k("b"), k("c")));
        assertEquals(integer(100), c.call("TTL", k("c")));
        c.call("SET", k("d"), "4", "EX", "50");
        c.call("SET", k("e"), "5");
        assertEquals(OK, c.call("RENAME", k("e"), k("d")));
        assertEquals(integer(-1), c.call("TTL", k("d")), "the destination's old TTL goes with its value");
        assertEquals(CROSSSLOT, c.call("RENAME", k("c"), "{c}x"));
        assertEquals(CROSSSLOT, c.call("RENAMENX", k("c"), "{c}x"));
    }
}
