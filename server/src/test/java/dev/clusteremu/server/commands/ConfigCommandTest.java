package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;

/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP over a real socket against one bare node. Expected replies
 * were read from redis-server 7.0.15 with --cluster-enabled yes (CONFIG GET's order there is a hash
 * order; here it is the order asked for).
 */
class ConfigCommandTest {
    private static final int PORT = 7462;
    private static EmulatedCluster cluster;
    private static RedisNode node;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(List.of(PORT)).bare(true).start();
        node = cluster.server(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String failed(String param, String reason) {
        return "-ERR CONFIG SET failed (possibly related to argument '" + param + "') - " + reason + "\r\n";
    }

    @Test
    void configGetRepliesAFlatArrayInResp2AndAMapInResp3() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$20\r\ncluster-node-timeout\r\n$5\r\n15000\r\n",
                    c.call("CONFIG", "GET", "maxmemory", "cluster-node-timeout"));
            c.call("HELLO", "3");
            assertEquals("%1\r\n$15\r\ncluster-enabled\r\n$3\r\nyes\r\n", c.call("CONFIG", "GET", "cluster-enabled"));
        }
    }

    @Test
    void configGetMatchesGlobsWithoutCaseAndKeepsAnExactNameAsTyped() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*2\r\n$2\r\nHZ\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "HZ", "hz"));
            assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "H?"));
            assertEquals("*4\r\n$17\r\nreplica-read-only\r\n$3\r\nyes\r\n$15\r\nslave-read-only\r\n$3\r\nyes\r\n",
                    c.call("CONFIG", "GET", "*read-only*"));
            assertEquals("*0\r\n", c.call("CONFIG", "GET", "nothing"));
            assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", c.call("CONFIG", "GET"));
            // Hidden parameters answer only to their exact name.
            assertEquals("*0\r\n", c.call("CONFIG", "GET", "rdb-key-save-*"));
            assertEquals("*2\r\n$18\r\nrdb-key-save-delay\r\n$1\r\n0\r\n", c.call("CONFIG", "GET", "rdb-key-save-delay"));
        }
    }

    @Test
    void configGetStarListsEveryParameterOfRedis70() {
        try (RespClient c = new RespClient(PORT)) {
            // redis-server 7.0.15 (Debian build, with TLS) answers 192 names and values to CONFIG GET *.
            assertTrue(c.call("CONFIG", "GET", "*").startsWith("*384\r\n"));
        }
    }

    @Test
    void configGetReportsThisNodesOwnSettings() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*6\r\n$4\r\nport\r\n$4\r\n" + PORT + "\r\n$19\r\ncluster-config-file\r\n$15\r\nnodes-" + PORT
                    + ".conf\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n",
                    c.call("CONFIG", "GET", "port", "cluster-config-file", "bind"));
            assertEquals("*2\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n", c.call("CONFIG", "GET", "save"));
            assertEquals("*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n", c.call("CONFIG", "GET", "databases"));
        }
    }

    @Test
    void configSetWritesClusterParametersThroughToTheClusterSettings() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-node-timeout", "5000",
                    "cluster-require-full-coverage", "no", "cluster-replica-validity-factor", "0",
                    "cluster-announce-hostname", "node-a.local", "repl-ping-replica-period", "3"));
            try {
                assertEquals(5000L, (long) node.call(() -> node.config().cluster.nodeTimeout));
                assertEquals(false, node.call(() -> node.config().cluster.requireFullCoverage));
                assertEquals(0, (int) node.call(() -> node.config().cluster.replicaValidityFactor));
                assertEquals("node-a.local", node.call(() -> node.config().cluster.announceHostname));
                assertEquals(3, (int) node.call(() -> node.config().cluster.replPingReplicaPeriod));
                assertEquals("*2\r\n$29\r\ncluster-require-full-coverage\r\n$2\r\nno\r\n",
                        c.call("CONFIG", "GET", "cluster-require-full-coverage"));
            } finally {
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-node-timeout", "15000",
                        "cluster-require-full-coverage", "yes", "cluster-replica-validity-factor", "10",
                        "cluster-announce-hostname", "", "repl-ping-replica-period", "10"));
            }
        }
    }

    @Test
    void configSetIsAllOrNothing() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals(failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, "
                    + "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
                    + "noeviction"), c.call("CONFIG", "SET", "hz", "5", "maxmemory-policy", "foo"));
            assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "hz"));
            // The port can't move; the parameters set before it are put back.
            assertEquals(failed("port", "Unable to listen on this port. Check server logs."),
                    c.call("CONFIG", "SET", "hz", "5", "port", "7999"));
            assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "hz"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "port", Integer.toString(PORT)));
        }
    }

    @Test
    void configSetReportsTheFirstProblemInRedisWords() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n",
                    c.call("CONFIG", "SET", "foo", "bar"));
            assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n",
                    c.call("CONFIG", "SET", "hz", "x", "foo", "6"));
            assertEquals("-ERR syntax error\r\n", c.call("CONFIG", "SET", "a", "b", "c"));
            assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n", c.call("CONFIG", "SET", "port"));
            assertEquals(failed("HZ", "duplicate parameter"), c.call("CONFIG", "SET", "hz", "5", "HZ", "6"));
            assertEquals(failed("cluster-enabled", "can't set immutable config"),
                    c.call("CONFIG", "SET", "cluster-enabled", "no"));
            assertEquals(failed("databases", "can't set immutable config"), c.call("CONFIG", "SET", "databases", "1"));
            assertEquals(failed("dir", "can't set protected config"), c.call("CONFIG", "SET", "dir", "/tmp"));
            assertEquals(failed("hz", "argument couldn't be parsed into an integer"), c.call("CONFIG", "SET", "hz", "+5"));
            assertEquals(failed("hz", "argument must be between 0 and 2147483647 inclusive"),
                    c.call("CONFIG", "SET", "hz", "-1"));
            assertEquals(failed("maxclients", "argument must be between 1 and 4294967295 inclusive"),
                    c.call("CONFIG", "SET", "maxclients", "-1"));
            assertEquals(failed("appendonly", "argument must be 'yes' or 'no'"),
                    c.call("CONFIG", "SET", "appendonly", "maybe"));
            assertEquals(failed("maxmemory", "argument must be a memory value"),
                    c.call("CONFIG", "SET", "maxmemory", "1.5gb"));
            assertEquals(failed("cluster-announce-port", "argument must be between 0 and 65535 inclusive"),
                    c.call("CONFIG", "SET", "cluster-announce-port", "70000"));
            assertEquals(failed("cluster-announce-hostname",
                    "Hostnames may only contain alphanumeric characters, hyphens or dots"),
                    c.call("CONFIG", "SET", "cluster-announce-hostname", "a b"));
            assertEquals(failed("save", "Invalid save parameters"), c.call("CONFIG", "SET", "save", "100"));
            assertEquals(failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
                    c.call("CONFIG", "SET", "notify-keyspace-events", "Q"));
            assertEquals(failed("cluster-preferred-endpoint-type",
                    "argument(s) must be one of the following: ip, hostname, unknown-endpoint"),
                    c.call("CONFIG", "SET", "cluster-preferred-endpoint-type", "foo"));
        }
    }

    @Test
    void configSetNormalizesValuesAsRedisStoresThem() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", "1gb", "hz", "1000",
                    "notify-keyspace-events", "KEA", "maxmemory-policy", "ALLKEYS-LRU"));
            try {
                assertEquals("*8\r\n$9\r\nmaxmemory\r\n$10\r\n1073741824\r\n$2\r\nhz\r\n$3\r\n500\r\n"
                        + "$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n",
                        c.call("CONFIG", "GET", "maxmemory", "hz", "notify-keyspace-events", "maxmemory-policy"));
                assertEquals(1073741824L, (long) node.call(() -> node.config().maxMemory));
            } finally {
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", "0", "hz", "10",
                        "notify-keyspace-events", "", "maxmemory-policy", "noeviction"));
            }
        }
    }

    @Test
    void configRewriteNeedsAConfigFileTheNodeDoesNotHave() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("-ERR The server is running without a config file\r\n", c.call("CONFIG", "REWRITE"));
        }
    }

    @Test
    void configResetstatClearsInfoCounters() {
        try (RespClient c = new RespClient(PORT)) {
            c.call("PING");
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            String stats = ConnectionCommandsTest.bulkBody(c.call("INFO", "stats"));
            assertTrue(stats.contains("\r\ntotal_connections_received:0\r\n"), stats);
            assertTrue(stats.contains("\r\ntotal_error_replies:0\r\n"), stats);
        }
    }

    @Test
    void configHelpAndUnknownSubcommands() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n"
                    + "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                    + "+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n+RESETSTAT\r\n"
                    + "+    Reset statistics reported by the INFO command.\r\n+REWRITE\r\n"
                    + "+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n",
                    c.call("CONFIG", "HELP"));
            assertEquals("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", c.call("CONFIG", "foo"));
            assertEquals("-ERR wrong number of arguments for 'config' command\r\n", c.call("CONFIG"));
        }
    }
}
