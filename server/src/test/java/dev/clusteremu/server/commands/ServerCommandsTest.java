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
 * DBSIZE, FLUSHALL, FLUSHDB, TIME, LASTSAVE and COMMAND over a real socket against the first master of a
 * three-master cluster. Expected bytes were read from redis-server 7.0.15 with --cluster-enabled yes.
 */
class ServerCommandsTest {
    private static final int PORT = 7465;
    private static EmulatedCluster cluster;
    private static RedisNode node;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(List.of(PORT, PORT + 1, PORT + 2)).replicas(0).start();
        node = cluster.server(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void putKeys(String... keys) {
        node.call(() -> {
            for (String k : keys) {
                node.keyspace().setKey(k.getBytes(), dev.clusteremu.server.keyspace.StringValue.of("v".getBytes()), false);
            }
            return null;
        });
    }

    @Test
    void dbsizeCountsKeysAndFlushEmptiesTheKeyspace() {
        try (RespClient c = new RespClient(PORT)) {
            c.call("FLUSHALL");
            putKeys("a", "b", "c");
            assertEquals(":3\r\n", c.call("DBSIZE"));
            assertEquals("+OK\r\n", c.call("FLUSHDB", "ASYNC"));
            assertEquals(":0\r\n", c.call("DBSIZE"));
            putKeys("a");
            assertEquals("+OK\r\n", c.call("flushall", "sync"));
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void flushTakesOnlyAsyncOrSync() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("-ERR syntax error\r\n", c.call("FLUSHALL", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("FLUSHALL", "SYNC", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("FLUSHDB", "now"));
        }
    }

    @Test
    void lastsaveMovesOnFlushallOnlyWhenSnapshotsAreConfigured() {
        try (RespClient c = new RespClient(PORT)) {
            long before = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            assertTrue(before >= node.startTime() / 1000);
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "save", ""));
            try {
                c.call("FLUSHALL");
                assertEquals(":" + before + "\r\n", c.call("LASTSAVE"));
            } finally {
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "save", "3600 1 300 100 60 10000"));
            }
            c.call("FLUSHALL");
            long after = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            assertTrue(after >= before && after <= node.now() / 1000);
        }
    }

    @Test
    void timeRepliesSecondsAndMicrosecondsAsBulkStrings() {
        try (RespClient c = new RespClient(PORT)) {
            String reply = c.call("TIME");
            assertTrue(reply.matches("\\*2\r\n\\$10\r\n\\d{10}\r\n\\$\\d\r\n\\d{1,6}\r\n"), reply);
        }
    }

    // ---- COMMAND ----

    private static final String GET_INFO_RESP2 = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
            + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    @Test
    void commandInfoDescribesCommandsAsRedisDoes() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*1\r\n" + GET_INFO_RESP2, c.call("COMMAND", "INFO", "get"));
            assertEquals("*2\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n"
                    + "+@connection\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n"
                    + "*0\r\n*0\r\n$-1\r\n", c.call("COMMAND", "INFO", "ping", "nosuch"));
            assertEquals("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n"
                    + "+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n",
                    c.call("COMMAND", "INFO", "CONFIG|GET"));
            assertEquals("*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n"
                    + "+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due to the optional "
                    + "`GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n"
                    + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
                    + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
                    + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n",
                    c.call("COMMAND", "INFO", "set").substring("*1\r\n".length()));
        }
    }

    @Test
    void commandInfoUsesSetsAndMapsInResp3() {
        try (RespClient c = new RespClient(PORT)) {
            c.call("HELLO", "3");
            assertEquals("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n"
                    + "+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\n"
                    + "begin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
                    + "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n"
                    + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n", c.call("COMMAND", "INFO", "get"));
            assertEquals("_\r\n", c.call("COMMAND", "INFO", "nosuch").substring("*1\r\n".length()));
        }
    }

    @Test
    void commandListsEveryCommandAndCountMatches() {
        try (RespClient c = new RespClient(PORT)) {
            String count = c.call("COMMAND", "COUNT");
            String all = c.call("COMMAND");
            assertTrue(all.startsWith("*" + count.substring(1)), all.substring(0, 10));
            assertTrue(all.contains(GET_INFO_RESP2));
            assertEquals(all, c.call("COMMAND", "INFO"));
            assertEquals("-ERR wrong number of arguments for 'command|count' command\r\n",
                    c.call("COMMAND", "COUNT", "x"));
        }
    }

    @Test
    void commandListNamesCommandsAndSubcommandsWithFilters() {
        try (RespClient c = new RespClient(PORT)) {
            String everything = c.call("COMMAND", "LIST");
            assertTrue(everything.contains("$3\r\nget\r\n") && everything.contains("$11\r\nclient|list\r\n"));
            String config = c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*");
            assertEquals("*6\r\n$6\r\nconfig\r\n$10\r\nconfig|get\r\n$16\r\nconfig|resetstat\r\n$10\r\nconfig|set\r\n"
                    + "$11\r\nconfig|help\r\n$14\r\nconfig|rewrite\r\n", config);
            String strings = c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string");
            assertTrue(strings.contains("$3\r\nget\r\n") && !strings.contains("$4\r\nping\r\n"), strings);
            assertEquals("*0\r\n", c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"));
            assertEquals("*0\r\n", c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "json"));
            assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "FILTERBY", "foo", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "foo"));
        }
    }

    @Test
    void commandGetkeysFindsKeysLikeRoutingDoes() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*1\r\n$1\r\na\r\n", c.call("COMMAND", "GETKEYS", "set", "a", "b"));
            assertEquals("-ERR Invalid number of arguments specified for command\r\n",
                    c.call("COMMAND", "GETKEYS", "get", "a", "b"));
            assertEquals("-ERR The command has no key arguments\r\n",
                    c.call("COMMAND", "GETKEYS", "config", "get"));
            assertEquals("-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "nosuch", "a"));
            assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
                    c.call("COMMAND", "GETKEYS", "get"));
        }
    }

    @Test
    void commandGetkeysandflagsGivesSetsFlagsByItsGetOption() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n",
                    c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"));
            assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n",
                    c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get"));
            assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n",
                    c.call("COMMAND", "GETKEYSANDFLAGS", "get", "k"));
        }
    }

    @Test
    void commandDocsGivesAMapEntryPerKnownCommand() {
        try (RespClient c = new RespClient(PORT)) {
            assertEquals("*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n"
                    + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
                    + "$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
                    + "$14\r\nkey_spec_index\r\n:0\r\n", c.call("COMMAND", "DOCS", "get", "nosuch"));
            c.call("HELLO", "3");
            assertTrue(c.call("COMMAND", "DOCS", "config|set").startsWith("%1\r\n$10\r\nconfig|set\r\n%6\r\n"
                    + "$7\r\nsummary\r\n$48\r\nSet configuration parameters to the given values\r\n"));
            assertTrue(c.call("COMMAND", "DOCS").startsWith("%" + c.call("COMMAND", "COUNT").substring(1)));
        }
    }

    @Test
    void commandHelpListsSubcommands() {
        try (RespClient c = new RespClient(PORT)) {
            String help = c.call("COMMAND", "HELP");
            assertTrue(help.startsWith("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                    + "+(no subcommand)\r\n+    Return details about all Redis commands.\r\n"), help);
            assertTrue(help.endsWith("+GETKEYSANDFLAGS <full-command>\r\n"
                    + "+    Return the keys and the access flags from a full Redis command.\r\n"
                    + "+HELP\r\n+    Prints this help.\r\n"), help);
        }
    }
}
