package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;

/**
 * PING, ECHO, QUIT, HELLO, SELECT and CLIENT over a real socket against one bare node. Expected replies
 * were read from redis-server 7.0.15 started with --cluster-enabled yes.
 */
class ConnectionCommandsTest {
    private static final int PORT = 7460;
    private static EmulatedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(List.of(PORT)).bare(true).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RespClient connect() {
        return new RespClient(PORT);
    }

    @Test
    void pingRepliesPongOrEchoesItsArgument() {
        try (RespClient c = connect()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("$2\r\nhi\r\n", c.call("ping", "hi"));
            assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", c.call("ping", "a", "b"));
        }
    }

    @Test
    void echoRepliesItsArgumentAsABulkString() {
        try (RespClient c = connect()) {
            assertEquals("$3\r\na b\r\n", c.call("ECHO", "a b"));
            assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call("echo"));
        }
    }

    @Test
    void quitRepliesOkThenClosesTheConnection() {
        try (RespClient c = connect()) {
            assertEquals("+OK\r\n", c.call("QUIT", "ignored"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void helloRepliesTheServerMapInTheProtocolAskedFor() {
        try (RespClient c = connect()) {
            String id = c.call("CLIENT", "ID").substring(1).trim();
            String fields = "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:%d\r\n"
                    + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$7\r\ncluster\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                    + "$7\r\nmodules\r\n*0\r\n";
            assertEquals("*14\r\n" + String.format(fields, 2), c.call("HELLO"));
            assertEquals("%7\r\n" + String.format(fields, 3), c.call("HELLO", "3"));
            // Replies that follow are RESP3 too: a missing name is now _ rather than $-1.
            assertEquals("_\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("*14\r\n" + String.format(fields, 2), c.call("hello", "2"));
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void helloRefusesUnknownProtocolsAndMalformedOptions() {
        try (RespClient c = connect()) {
            assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "4"));
            assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "1"));
            assertEquals("-ERR Protocol version is not an integer or out of range\r\n", c.call("HELLO", "x"));
            assertEquals("-ERR Syntax error in HELLO option 'auth'\r\n", c.call("HELLO", "3", "auth", "default"));
            assertEquals("-ERR Syntax error in HELLO option 'setname'\r\n", c.call("HELLO", "3", "setname"));
            assertEquals("-ERR Syntax error in HELLO option 'foo'\r\n", c.call("HELLO", "3", "foo"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    c.call("HELLO", "3", "SETNAME", "a b"));
            // None of these switched the protocol.
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void helloAppliesSetnameEvenWhenALaterOptionIsRefused() {
        try (RespClient c = connect()) {
            assertEquals("-ERR Syntax error in HELLO option 'y'\r\n", c.call("HELLO", "2", "SETNAME", "x", "y"));
            assertEquals("$1\r\nx\r\n", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void helloAuthAcceptsAnyPasswordForDefaultUntilRequirepassIsSet() {
        String wrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
        try (RespClient c = connect()) {
            assertTrue(c.call("HELLO", "2", "AUTH", "default", "anything").startsWith("*14\r\n"));
            assertEquals(wrongPass, c.call("HELLO", "2", "AUTH", "bob", "anything"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", "secret"));
            try {
                assertEquals(wrongPass, c.call("HELLO", "2", "AUTH", "default", "wrong"));
                assertEquals(wrongPass, c.call("HELLO", "2", "AUTH", "DEFAULT", "secret"));
                assertTrue(c.call("HELLO", "2", "AUTH", "default", "secret").startsWith("*14\r\n"));
            } finally {
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", ""));
            }
        }
    }

    @Test
    void selectAllowsOnlyDatabaseZeroInClusterMode() {
        try (RespClient c = connect()) {
            assertEquals("+OK\r\n", c.call("SELECT", "0"));
            assertEquals("-ERR SELECT is not allowed in cluster mode\r\n", c.call("SELECT", "1"));
            assertEquals("-ERR SELECT is not allowed in cluster mode\r\n", c.call("SELECT", "-1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SELECT", "x"));
            assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
                    c.call("SELECT", "99999999999"));
        }
    }

    @Test
    void clientSetnameRefusesSpacesAndEmptyClearsTheName() {
        try (RespClient c = connect()) {
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "worker-1"));
            assertEquals("$8\r\nworker-1\r\n", c.call("CLIENT", "GETNAME"));
            String refused = "-ERR Client names cannot contain spaces, newlines or special characters.\r\n";
            assertEquals(refused, c.call("CLIENT", "SETNAME", "a b"));
            assertEquals(refused, c.call("CLIENT", "SETNAME", "caf\u00e9"));
            assertEquals("$8\r\nworker-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", ""));
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n",
                    c.call("CLIENT", "SETNAME"));
        }
    }

    /** The field names and order of catClientInfoString in 7.0, values as a client would parse them. */
    private static final Pattern CLIENT_LINE = Pattern.compile("id=\\d+ addr=127\\.0\\.0\\.1:\\d+ "
            + "laddr=127\\.0\\.0\\.1:" + PORT + " fd=\\d+ name=\\S* age=\\d+ idle=\\d+ flags=[A-Za-z]+ db=0 sub=0 psub=0 "
            + "ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=0 rbs=\\d+ rbp=\\d+ obl=0 oll=0 "
            + "omem=0 tot-mem=\\d+ events=r cmd=\\S+ user=default redir=-1 resp=[23]");

    @Test
    void clientListDescribesEveryConnectionInRedisLineFormat() {
        try (RespClient a = connect(); RespClient b = connect()) {
            b.call("CLIENT", "SETNAME", "other");
            String id = a.call("CLIENT", "ID").substring(1).trim();
            String reply = a.call("CLIENT", "LIST");
            String body = bulkBody(reply);
            assertTrue(body.endsWith("\n"));
            String[] lines = body.split("\n");
            assertTrue(lines.length >= 2, body);
            String mine = null;
            for (String line : lines) {
                assertTrue(CLIENT_LINE.matcher(line).matches(), line);
                if (line.startsWith("id=" + id + " ")) {
                    mine = line;
                }
            }
            assertTrue(mine.contains(" name= ") && mine.contains(" flags=N ") && mine.contains(" cmd=client|list "),
                    mine);
            assertTrue(mine.contains(" argv-mem=10 "), mine); // "client" + "list"
            assertTrue(body.contains(" name=other "), body);
        }
    }

    @Test
    void clientInfoIsTheCallersLineVerbatimInResp3() {
        try (RespClient c = connect()) {
            c.call("HELLO", "3");
            c.call("READONLY");
            String reply = c.call("CLIENT", "INFO");
            assertTrue(reply.startsWith("="), reply);
            String text = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
            assertTrue(text.startsWith("txt:") && text.endsWith("\n"), text);
            String line = text.substring(4, text.length() - 1);
            assertTrue(CLIENT_LINE.matcher(line).matches(), line);
            assertTrue(line.contains(" flags=r ") && line.endsWith(" resp=3"), line);
        }
    }

    @Test
    void clientListFiltersByTypeOrIdAndRefusesBadFilters() {
        try (RespClient c = connect()) {
            String id = c.call("CLIENT", "ID").substring(1).trim();
            assertEquals("$0\r\n\r\n", c.call("CLIENT", "LIST", "TYPE", "master"));
            assertEquals("$0\r\n\r\n", c.call("CLIENT", "LIST", "type", "replica"));
            assertEquals("$0\r\n\r\n", c.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertTrue(c.call("CLIENT", "LIST", "TYPE", "normal").contains("id=" + id + " "));
            assertEquals("-ERR Unknown client type 'foo'\r\n", c.call("CLIENT", "LIST", "TYPE", "foo"));
            String byId = bulkBody(c.call("CLIENT", "LIST", "ID", "999999", id));
            assertTrue(byId.startsWith("id=" + id + " ") && byId.indexOf('\n') == byId.length() - 1, byId);
            assertEquals("-ERR Invalid client ID\r\n", c.call("CLIENT", "LIST", "ID", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "LIST", "ID"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "LIST", "foo"));
        }
    }

    @Test
    void clientKillByIdClosesThatConnectionAndCountsIt() {
        try (RespClient killer = connect(); RespClient victim = connect()) {
            String victimId = victim.call("CLIENT", "ID").substring(1).trim();
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ID", victimId));
            assertTrue(victim.closedByServer());
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "ID", victimId));
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void clientKillOldFormTakesAnAddressAndMayKillTheCaller() {
        try (RespClient c = connect()) {
            assertEquals("-ERR No such client\r\n", c.call("CLIENT", "KILL", "1.2.3.4:5"));
            String addr = field(bulkBody(c.call("CLIENT", "INFO")), "addr");
            assertEquals("+OK\r\n", c.call("CLIENT", "KILL", addr));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void clientKillSkipsTheCallerUnlessSkipmeNo() {
        try (RespClient c = connect()) {
            String id = c.call("CLIENT", "ID").substring(1).trim();
            assertEquals(":0\r\n", c.call("CLIENT", "KILL", "ID", id));
            assertEquals(":1\r\n", c.call("CLIENT", "KILL", "ID", id, "SKIPME", "no"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void clientKillRefusesBadFilters() {
        try (RespClient c = connect()) {
            assertEquals("-ERR client-id should be greater than 0\r\n", c.call("CLIENT", "KILL", "ID", "x"));
            assertEquals("-ERR client-id should be greater than 0\r\n", c.call("CLIENT", "KILL", "ID", "0"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "foo", "bar"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "ID", "5", "TYPE"));
            assertEquals("-ERR Unknown client type 'foo'\r\n", c.call("CLIENT", "KILL", "TYPE", "foo"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "SKIPME", "maybe"));
            assertEquals("-ERR No such user 'nobody'\r\n", c.call("CLIENT", "KILL", "USER", "nobody"));
            assertEquals(":0\r\n", c.call("CLIENT", "KILL", "LADDR", "1.1.1.1:1"));
            assertEquals(":0\r\n", c.call("CLIENT", "KILL", "USER", "default", "SKIPME", "yes", "ADDR", "1.1.1.1:1"));
        }
    }

    @Test
    void clientNoEvictTakesOnOrOff() {
        try (RespClient c = connect()) {
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "on"));
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "OFF"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "NO-EVICT", "maybe"));
        }
    }

    @Test
    void clientTrackingQueriesReportTrackingOff() {
        try (RespClient c = connect()) {
            assertEquals(":-1\r\n", c.call("CLIENT", "GETREDIR"));
            assertEquals("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n",
                    c.call("CLIENT", "TRACKINGINFO"));
        }
    }

    /** CLIENT SETINFO arrived in Redis 7.2: an unknown subcommand, as on 7.0. */
    @Test
    void clientSubcommandsRedis70LacksAreUnknown() {
        try (RespClient c = connect()) {
            assertEquals("-ERR unknown subcommand 'setinfo'. Try CLIENT HELP.\r\n",
                    c.call("CLIENT", "setinfo", "lib-name", "x"));
            assertEquals("-ERR wrong number of arguments for 'client' command\r\n", c.call("CLIENT"));
            assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n", c.call("CLIENT", "ID", "x"));
        }
    }

    @Test
    void clientHelpListsSubcommandsAsStatusLines() {
        try (RespClient c = connect()) {
            String help = c.call("CLIENT", "HELP");
            assertTrue(help.startsWith("*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                    + "+CACHING (YES|NO)\r\n"), help);
            assertTrue(help.endsWith("+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n"
                    + "+HELP\r\n+    Prints this help.\r\n"), help);
        }
    }

    /** The text of a bulk or verbatim reply (without a verbatim's "txt:" tag). */
    static String bulkBody(String reply) {
        String body = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        return reply.startsWith("=") ? body.substring(4) : body;
    }

    private static String field(String line, String name) {
        for (String kv : line.trim().split(" ")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in " + line);
    }
}
