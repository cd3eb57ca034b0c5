package dev.clusteremu.server.commands;

import static dev.clusteremu.server.commands.TestCluster.TAG;
import static dev.clusteremu.server.commands.TestCluster.TAG_SLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** String commands over a real socket against an in-process cluster; replies as redis-server 7.0 sends them. */
class StringCommandsTest {
    private static final String OK = "+OK\r\n";
    private static final String NIL = "$-1\r\n";
    private static final String SYNTAX = "-ERR syntax error\r\n";
    private static final String NOT_INT = "-ERR value is not an integer or out of range\r\n";
    private static final String NOT_FLOAT = "-ERR value is not a valid float\r\n";

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

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String integer(long n) {
        return ":" + n + "\r\n";
    }

    private String countKeysInSlot() {
        return c.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(TAG_SLOT));
    }

    @Test
    void getReturnsWhatSetStored() {
        assertEquals(NIL, c.call("GET", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "hello"));
        assertEquals(bulk("hello"), c.call("GET", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "12345"));
        assertEquals(bulk("12345"), c.call("GET", k("a")));
        assertEquals(OK, c.call("SET", k("bin"), new byte[] {0, (byte) 0xff, '\r', '\n'}));
        assertEquals("$4\r\n\0\u00ff\r\n\r\n", c.call("GET", k("bin")));
    }

    @Test
    void setNxXxAndGet() {
        assertEquals(NIL, c.call("SET", k("a"), "1", "XX"));
        assertEquals(OK, c.call("SET", k("a"), "1", "NX"));
        assertEquals(NIL, c.call("SET", k("a"), "2", "NX"));
        assertEquals(OK, c.call("SET", k("a"), "3", "xx"));
        assertEquals(bulk("3"), c.call("SET", k("a"), "4", "GET"));
        assertEquals(bulk("4"), c.call("SET", k("a"), "5", "NX", "GET"), "GET with an aborted NX still replies the value");
        assertEquals(bulk("4"), c.call("GET", k("a")));
        assertEquals(NIL, c.call("SET", k("new"), "v", "XX", "GET"));
        assertEquals(NIL, c.call("GET", k("new")));
        assertEquals(bulk("4"), c.call("SET", k("a"), "6", "GET", "GET"));
    }

    @Test
    void setRefusesConflictingOrUnknownOptions() {
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "NX", "XX"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "XX", "NX"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "EX", "10", "PX", "10"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "EX", "10", "KEEPTTL"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "KEEPTTL", "PXAT", "10"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "EX"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "PERSIST"));
        assertEquals(SYNTAX, c.call("SET", k("a"), "v", "foo"));
        assertEquals("-ERR wrong number of arguments for 'set' command\r\n", c.call("SET", k("a")));
        assertEquals(NIL, c.call("GET", k("a")));
    }

    @Test
    void setValidatesTheExpireTime() {
        assertEquals(NOT_INT, c.call("SET", k("a"), "v", "EX", "abc"));
        String invalid = "-ERR invalid expire time in 'set' command\r\n";
        assertEquals(invalid, c.call("SET", k("a"), "v", "EX", "0"));
        assertEquals(invalid, c.call("SET", k("a"), "v", "PX", "-1"));
        assertEquals(invalid, c.call("SET", k("a"), "v", "EX", "9223372036854776"));
        assertEquals(invalid, c.call("SET", k("a"), "v", "EX", "9223372036854775"));
        assertEquals(invalid, c.call("SET", k("a"), "v", "PX", "9223372036854775807"));
        assertEquals(invalid, c.call("SET", k("a"), "v", "EXAT", "9223372036854775807"));
        assertEquals(NIL, c.call("GET", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "v", "PXAT", "9223372036854775807"));
        assertEquals(integer(Long.MAX_VALUE), c.call("PEXPIRETIME", k("a")));
    }

    @Test
    void setExpireOptionsAndKeepTtl() {
        assertEquals(OK, c.call("SET", k("a"), "v", "EX", "100"));
        assertEquals(integer(100), c.call("TTL", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "v", "EX", "10", "EX", "200"));
        assertEquals(integer(200), c.call("TTL", k("a")), "a repeated option: the last one wins");
        assertEquals(OK, c.call("SET", k("a"), "w", "KEEPTTL"));
        assertEquals(integer(200), c.call("TTL", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "x"));
        assertEquals(integer(-1), c.call("TTL", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "v", "EXAT", "4102444800"));
        assertEquals(integer(4102444800L), c.call("EXPIRETIME", k("a")));
        assertEquals(OK, c.call("SET", k("a"), "v", "PX", "100000"));
        String pttl = c.call("PTTL", k("a"));
        long ms = Long.parseLong(pttl.substring(1, pttl.length() - 2));
        assertTrue(ms > 90_000 && ms <= 100_000, pttl);
    }

    @Test
    void setWithAnExpireInThePastKeepsTheKeyUntilItIsReclaimed() {
        assertEquals(OK, c.call("SET", k("a"), "v", "PXAT", "1"));
        // Redis 7.0 stores the key with its past expire: DBSIZE and COUNTKEYSINSLOT count it until a lookup
        // or the active cycle deletes it.
        assertEquals(integer(1), countKeysInSlot());
        assertEquals(NIL, c.call("GET", k("a")));
        assertEquals(integer(0), countKeysInSlot());
    }

    @Test
    void setnxSetexPsetex() {
        assertEquals(integer(1), c.call("SETNX", k("a"), "1"));
        assertEquals(integer(0), c.call("SETNX", k("a"), "2"));
        assertEquals(bulk("1"), c.call("GET", k("a")));
        assertEquals(OK, c.call("SETEX", k("a"), "100", "v"));
        assertEquals(integer(100), c.call("TTL", k("a")));
        assertEquals(OK, c.call("PSETEX", k("a"), "100000", "v"));
        assertEquals(integer(100), c.call("TTL", k("a")));
        assertEquals("-ERR invalid expire time in 'setex' command\r\n", c.call("SETEX", k("a"), "0", "v"));
        assertEquals("-ERR invalid expire time in 'psetex' command\r\n", c.call("PSETEX", k("a"), "-5", "v"));
        assertEquals(NOT_INT, c.call("SETEX", k("a"), "abc", "v"));
        assertEquals("-ERR wrong number of arguments for 'setex' command\r\n", c.call("SETEX", k("a"), "10"));
    }

    @Test
    void getsetAndGetdel() {
        assertEquals(NIL, c.call("GETSET", k("a"), "1"));
        assertEquals(OK, c.call("SET", k("a"), "v", "EX", "100"));
        assertEquals(bulk("v"), c.call("GETSET", k("a"), "w"));
        assertEquals(integer(-1), c.call("TTL", k("a")), "GETSET drops the TTL");
        assertEquals(bulk("w"), c.call("GETDEL", k("a")));
        assertEquals(NIL, c.call("GETDEL", k("a")));
        assertEquals(integer(0), c.call("EXISTS", k("a")));
    }

    @Test
    void getexChangesTheTtlAfterReplying() {
        assertEquals(NIL, c.call("GETEX", k("a"), "EX", "abc"), "a missing key answers nil before validation");
        assertEquals(OK, c.call("SET", k("a"), "v"));
        assertEquals(SYNTAX, c.call("GETEX", k("a"), "PERSIST", "EX", "10"));
        assertEquals(SYNTAX, c.call("GETEX", k("a"), "EX", "10", "PERSIST"));
        assertEquals(SYNTAX, c.call("GETEX", k("a"), "NX"));
        assertEquals(SYNTAX, c.call("GETEX", k("a"), "KEEPTTL"));
        assertEquals(NOT_INT, c.call("GETEX", k("a"), "EX", "abc"));
        assertEquals("-ERR invalid expire time in 'getex' command\r\n", c.call("GETEX", k("a"), "EX", "0"));
        assertEquals(bulk("v"), c.call("GETEX", k("a")));
        assertEquals(integer(-1), c.call("TTL", k("a")));
        assertEquals(bulk("v"), c.call("GETEX", k("a"), "EX", "100"));
        assertEquals(integer(100), c.call("TTL", k("a")));
        assertEquals(bulk("v"), c.call("GETEX", k("a"), "PERSIST"));
        assertEquals(integer(-1), c.call("TTL", k("a")));
        assertEquals(bulk("v"), c.call("GETEX", k("a"), "PXAT", "1"), "a past EXAT/PXAT replies, then deletes");
        assertEquals(integer(0), c.call("EXISTS", k("a")));
        assertEquals(integer(0), countKeysInSlot());
    }

    @Test
    void appendAndStrlen() {
        assertEquals(integer(0), c.call("STRLEN", k("a")));
        assertEquals(integer(3), c.call("APPEND", k("a"), "abc"));
        assertEquals(integer(6), c.call("APPEND", k("a"), "def"));
        assertEquals(bulk("abcdef"), c.call("GET", k("a")));
        assertEquals(integer(6), c.call("STRLEN", k("a")));
        assertEquals(OK, c.call("SET", k("n"), "10", "EX", "100"));
        assertEquals(integer(3), c.call("APPEND", k("n"), "0"));
        assertEquals(integer(100), c.call("TTL", k("n")), "APPEND keeps the TTL");
        assertEquals(integer(101), c.call("INCR", k("n")));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            c.call("APPEND", k("long"), Integer.toString(i));
            expected.append(i);
        }
        assertEquals(bulk(expected.toString()), c.call("GET", k("long")));
    }

    @Test
    void getrangeClampsLikeRedis() {
        assertEquals("$0\r\n\r\n", c.call("GETRANGE", k("missing"), "0", "-1"));
        c.call("SET", k("s"), "Hello World");
        assertEquals(bulk("Hello"), c.call("GETRANGE", k("s"), "0", "4"));
        assertEquals(bulk("rld"), c.call("GETRANGE", k("s"), "-3", "-1"));
        assertEquals("$0\r\n\r\n", c.call("GETRANGE", k("s"), "-1", "-3"));
        assertEquals("$0\r\n\r\n", c.call("GETRANGE", k("s"), "5", "3"));
        assertEquals("$0\r\n\r\n", c.call("GETRANGE", k("s"), "100", "200"));
        assertEquals(bulk("H"), c.call("GETRANGE", k("s"), "-100", "-50"));
        assertEquals(bulk("Hello World"), c.call("GETRANGE", k("s"), "-100", "100"));
        assertEquals(bulk("Hello World"),
                c.call("GETRANGE", k("s"), "-9223372036854775808", "9223372036854775807"));
        assertEquals(bulk("Hello World"), c.call("SUBSTR", k("s"), "0", "-1"));
        assertEquals(NOT_INT, c.call("GETRANGE", k("s"), "0", "abc"));
        c.call("SET", k("n"), "12345");
        assertEquals(bulk("23"), c.call("GETRANGE", k("n"), "1", "2"));
        c.call("SET", k("e"), "");
        assertEquals("$0\r\n\r\n", c.call("GETRANGE", k("e"), "0", "0"));
    }

    @Test
    void setrangePadsAndChecksLimits() {
        assertEquals("-ERR offset is out of range\r\n", c.call("SETRANGE", k("s"), "-1", "x"));
        assertEquals(NOT_INT, c.call("SETRANGE", k("s"), "abc", "x"));
        assertEquals(integer(0), c.call("SETRANGE", k("s"), "0", ""));
        assertEquals(integer(0), c.call("EXISTS", k("s")), "an empty value creates nothing");
        String tooBig = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
        assertEquals(tooBig, c.call("SETRANGE", k("s"), "536870912", "x"));
        assertEquals(tooBig, c.call("SETRANGE", k("s"), "9223372036854775807", "x"));
        assertEquals(integer(5), c.call("SETRANGE", k("s"), "3", "ab"));
        assertEquals("$5\r\n\0\0\0ab\r\n", c.call("GET", k("s")));
        c.call("SET", k("h"), "Hello World");
        assertEquals(integer(11), c.call("SETRANGE", k("h"), "6", "Redis"));
        assertEquals(bulk("Hello Redis"), c.call("GET", k("h")));
        assertEquals(integer(11), c.call("SETRANGE", k("h"), "536870911", ""), "empty value: length, no limit check");
        c.call("SET", k("n"), "12345");
        assertEquals(integer(5), c.call("SETRANGE", k("n"), "0", "9"));
        assertEquals(bulk("92345"), c.call("GET", k("n")));
    }

    @Test
    void mgetMsetMsetnx() {
        assertEquals(OK, c.call("MSET", k("a"), "1", k("b"), "2", k("a"), "3"));
        assertEquals("*3\r\n$1\r\n3\r\n$1\r\n2\r\n$-1\r\n", c.call("MGET", k("a"), k("b"), k("c")));
        assertEquals(integer(0), c.call("MSETNX", k("c"), "1", k("a"), "2"));
        assertEquals(integer(0), c.call("EXISTS", k("c")));
        assertEquals(integer(1), c.call("MSETNX", k("c"), "1", k("d"), "2", k("c"), "3"));
        assertEquals(bulk("3"), c.call("GET", k("c")));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", c.call("MSET", k("a"), "1", k("b")));
        assertEquals("-ERR wrong number of arguments for 'msetnx' command\r\n",
                c.call("MSETNX", k("a"), "1", k("b")));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", c.call("MSET", k("a")));
        String crossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
        assertEquals(crossSlot, c.call("MSET", k("a"), "1", "{c}x", "2"));
        assertEquals(crossSlot, c.call("MSETNX", k("a"), "1", "{c}x", "2"));
        assertEquals(crossSlot, c.call("MGET", k("a"), "{c}x"));
    }

    @Test
    void msetRemovesTtls() {
        c.call("SET", k("a"), "v", "EX", "100");
        assertEquals(OK, c.call("MSET", k("a"), "w"));
        assertEquals(integer(-1), c.call("TTL", k("a")));
    }

    @Test
    void incrementsAndTheirErrors() {
        assertEquals(integer(1), c.call("INCR", k("x")));
        assertEquals(integer(0), c.call("DECR", k("x")));
        assertEquals(integer(Long.MAX_VALUE), c.call("INCRBY", k("x"), "9223372036854775807"));
        assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCR", k("x")));
        assertEquals("-ERR decrement would overflow\r\n", c.call("DECRBY", k("x"), "-9223372036854775808"));
        assertEquals(integer(0), c.call("DECRBY", k("x"), "9223372036854775807"));
        assertEquals(integer(Long.MIN_VALUE), c.call("INCRBY", k("x"), "-9223372036854775808"));
        assertEquals("-ERR increment or decrement would overflow\r\n", c.call("DECR", k("x")));
        assertEquals(NOT_INT, c.call("INCRBY", k("x"), "abc"));
        for (String bad : new String[] {"abc", " 1", "007", "-0", "1.0", "99999999999999999999"}) {
            c.call("SET", k("s"), bad);
            assertEquals(NOT_INT, c.call("INCR", k("s")), bad);
        }
        c.call("SET", k("t"), "5", "EX", "100");
        assertEquals(integer(6), c.call("INCR", k("t")));
        assertEquals(integer(100), c.call("TTL", k("t")), "INCR keeps the TTL");
    }

    @Test
    void incrbyfloatUsesExtendedPrecision() {
        assertEquals(bulk("1.5"), c.call("INCRBYFLOAT", k("f"), "1.5"));
        assertEquals(bulk("1.6"), c.call("INCRBYFLOAT", k("f"), "0.1"));
        assertEquals(bulk("18.6"), c.call("INCRBYFLOAT", k("f"), "0x11"));
        assertEquals(bulk("0.1"), c.call("INCRBYFLOAT", k("g"), "0.1"));
        assertEquals(bulk("0.3"), c.call("INCRBYFLOAT", k("g"), "0.2"));
        assertEquals(bulk("3001.23456789012345669"), c.call("INCRBYFLOAT", k("h"), "3001.23456789012345678901234"));
        assertEquals(bulk("1000000000000000000024696061952"), c.call("INCRBYFLOAT", k("i"), "1e30"));
        c.call("SET", k("m"), "9223372036854775807");
        assertEquals(bulk("9223372036854775808"), c.call("INCRBYFLOAT", k("m"), "1"));
        c.call("SET", k("z"), "10.5", "EX", "100");
        assertEquals(bulk("0"), c.call("INCRBYFLOAT", k("z"), "-10.5"));
        assertEquals(integer(100), c.call("TTL", k("z")), "INCRBYFLOAT keeps the TTL");
    }

    @Test
    void incrbyfloatRefusesBadNumbers() {
        for (String bad : new String[] {"abc", "nan", " 1", "1 ", "", ".", "1e", "1e5000", "1e-5000", "0x"}) {
            assertEquals(NOT_FLOAT, c.call("INCRBYFLOAT", k("f"), bad), bad);
        }
        String nonFinite = "-ERR increment would produce NaN or Infinity\r\n";
        assertEquals(nonFinite, c.call("INCRBYFLOAT", k("f"), "inf"));
        assertEquals(nonFinite, c.call("INCRBYFLOAT", k("f"), "-INFINITY"));
        c.call("INCRBYFLOAT", k("big"), "1.1e4932");
        assertEquals(nonFinite, c.call("INCRBYFLOAT", k("big"), "1.1e4932"));
        c.call("SET", k("s"), "abc");
        assertEquals(NOT_FLOAT, c.call("INCRBYFLOAT", k("s"), "1"));
        assertEquals(integer(0), c.call("EXISTS", k("f")));
    }

    @Test
    void wrongArityNamesTheCommand() {
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET", "a", "b"));
        assertEquals("-ERR wrong number of arguments for 'getex' command\r\n", c.call("GETEX"));
        assertEquals("-ERR wrong number of arguments for 'incrbyfloat' command\r\n", c.call("INCRBYFLOAT", "a"));
    }

    @Test
    void keysOfAnotherNodeAreRedirected() {
        // "a" hashes to slot 15495, owned by the third master.
        assertEquals("-MOVED 15495 127.0.0.1:" + cluster.lastPort() + "\r\n", c.call("GET", "{a}x"));
    }
}
