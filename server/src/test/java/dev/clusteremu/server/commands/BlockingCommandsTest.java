package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * BLPOP, XREAD BLOCK and the other blocking commands over real sockets on an emulated three-master cluster:
 * who is served, in which order, with which reply, and what happens to clients whose wait can't end here
 * (their slot moved or lost its owner, their stream went). Keys are tagged {b}, whose slot the first master
 * owns. The replies are Redis 7.0's, as blocked.c, t_list.c, t_zset.c, t_stream.c and
 * clusterRedirectBlockedClientIfNeeded produce them.
 */
class BlockingCommandsTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 7880;
    private static final int LAST_PORT = 7899;
    private static final String NULL_ARRAY = "*-1\r\n";

    private static EmulatedCluster cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(freePorts(3)).replicas(0)
                .config("cluster-require-full-coverage", "no").start();
        if (!cluster.awaitStateOk(60_000)) {
            throw new IllegalStateException("cluster did not reach state ok");
        }
        port = cluster.node(0).port();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void flush() {
        cluster.flushAll();
    }

    private static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String pair(String key, String element) {
        return "*2\r\n" + bulk(key) + bulk(element);
    }

    /** The reply of an XREAD or XREADGROUP served entry {@code id} with the one field {@code f} = {@code v}. */
    private static String streamEntry(String key, String id, String f, String v) {
        return "*1\r\n*2\r\n" + bulk(key) + "*1\r\n*2\r\n" + bulk(id) + "*2\r\n" + bulk(f) + bulk(v);
    }

    /** A keyspace notification as a subscriber of {@code pattern} receives it. */
    private static String keyspaceEvent(String pattern, String key, String event) {
        return "*4\r\n" + bulk("pmessage") + bulk(pattern) + bulk("__keyspace@0__:" + key) + bulk(event);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the first master counts {@code n} blocked clients. */
    private static void awaitBlocked(RespClient admin, int n) throws InterruptedException {
        await(n + " clients are blocked", () -> admin.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n"));
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() throws Exception {
        try (RespClient first = new RespClient(port); RespClient second = new RespClient(port);
                RespClient third = new RespClient(port); RespClient admin = new RespClient(port)) {
            first.send("BLPOP", "{b}list", "0");
            awaitBlocked(admin, 1);
            second.send("BRPOP", "{b}other", "{b}list", "0");
            awaitBlocked(admin, 2);
            third.send("BLPOP", "{b}list", "0");
            awaitBlocked(admin, 3);
            assertEquals(":3\r\n", admin.call("RPUSH", "{b}list", "a", "b", "c"));
            assertEquals(pair("{b}list", "a"), first.reply());
            assertEquals(pair("{b}list", "c"), second.reply());
            assertEquals(pair("{b}list", "b"), third.reply());
            assertEquals(":0\r\n", admin.call("EXISTS", "{b}list"));
            assertEquals("+PONG\r\n", first.call("PING"));
        }
    }

    @Test
    void anElementServesOneClientAndTheOthersKeepWaiting() throws Exception {
        try (RespClient first = new RespClient(port); RespClient second = new RespClient(port);
                RespClient admin = new RespClient(port)) {
            first.send("BZPOPMIN", "{b}z", "0");
            awaitBlocked(admin, 1);
            second.send("BZPOPMAX", "{b}z", "0");
            awaitBlocked(admin, 2);
            assertEquals(":1\r\n", admin.call("ZADD", "{b}z", "1.5", "m"));
            assertEquals("*3\r\n" + bulk("{b}z") + bulk("m") + bulk("1.5"), first.reply());
            awaitBlocked(admin, 1);
            assertEquals(":2\r\n", admin.call("ZADD", "{b}z", "1", "x", "2", "y"));
            assertEquals("*3\r\n" + bulk("{b}z") + bulk("y") + bulk("2"), second.reply());
            assertEquals("*2\r\n" + bulk("x") + bulk("1"), admin.call("ZRANGE", "{b}z", "0", "-1", "WITHSCORES"));
        }
    }

    @Test
    void aTimeoutRepliesANullArrayEvenForBlmove() throws Exception {
        try (RespClient c = new RespClient(port)) {
            assertEquals(NULL_ARRAY, c.call("BLPOP", "{b}none", "0.05"));
            assertEquals(NULL_ARRAY, c.call("BLMOVE", "{b}none", "{b}dst", "LEFT", "RIGHT", "0.05"));
            assertEquals(NULL_ARRAY, c.call("BZMPOP", "0.05", "1", "{b}none", "MIN"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("BRPOPLPUSH", "{b}none", "{b}dst", "0.05"));
        }
    }

    @Test
    void timeoutsAreCheckedBeforeBlocking() {
        try (RespClient c = new RespClient(port)) {
            assertEquals("-ERR timeout is negative\r\n", c.call("BLPOP", "{b}l", "-1"));
            assertEquals("-ERR timeout is negative\r\n", c.call("BLPOP", "{b}l", "inf"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BLPOP", "{b}l", "abc"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BZPOPMIN", "{b}l", " 1"));
            assertEquals("-ERR syntax error\r\n", c.call("BLMOVE", "{b}a", "{b}b", "UP", "LEFT", "x"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("BLMPOP", "x", "0", "{b}a", "LEFT"));
        }
    }

    @Test
    void aBlmoveServedPushesOnAndServesTheClientsOfItsDestination() throws Exception {
        try (RespClient mover = new RespClient(port); RespClient popper = new RespClient(port);
                RespClient admin = new RespClient(port)) {
            mover.send("BLMOVE", "{b}src", "{b}dst", "RIGHT", "LEFT", "0");
            awaitBlocked(admin, 1);
            popper.send("BLPOP", "{b}dst", "0");
            awaitBlocked(admin, 2);
            assertEquals(":2\r\n", admin.call("RPUSH", "{b}src", "x", "y"));
            assertEquals(bulk("y"), mover.reply());
            assertEquals(pair("{b}dst", "y"), popper.reply());
            assertEquals("*1\r\n" + bulk("x"), admin.call("LRANGE", "{b}src", "0", "-1"));
            assertEquals(":0\r\n", admin.call("EXISTS", "{b}dst"));
        }
    }

    @Test
    void aBlmoveWhoseDestinationBecameAnotherTypeGetsWrongtypeAndMovesNothing() throws Exception {
        try (RespClient mover = new RespClient(port); RespClient admin = new RespClient(port)) {
            admin.call("CONFIG", "RESETSTAT");
            mover.send("BLMOVE", "{b}src", "{b}dst", "LEFT", "LEFT", "0");
            awaitBlocked(admin, 1);
            admin.call("SET", "{b}dst", "string");
            admin.call("RPUSH", "{b}src", "x");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", mover.reply());
            assertEquals("*1\r\n" + bulk("x"), admin.call("LRANGE", "{b}src", "0", "-1"));
            String stats = admin.call("INFO", "commandstats");
            String blmove = stats.substring(stats.indexOf("cmdstat_blmove:"));
            blmove = blmove.substring(0, blmove.indexOf("\r\n"));
            assertTrue(blmove.startsWith("cmdstat_blmove:calls=1,"), blmove);
            assertTrue(blmove.endsWith(",rejected_calls=0,failed_calls=1"), blmove);
        }
    }

    @Test
    void aValueOfAnotherTypeWakesNobody() throws Exception {
        try (RespClient popper = new RespClient(port); RespClient admin = new RespClient(port)) {
            popper.send("BLPOP", "{b}k", "0");
            awaitBlocked(admin, 1);
            admin.call("SET", "{b}k", "string");
            admin.call("DEL", "{b}k");
            admin.call("ZADD", "{b}k", "1", "m");
            admin.call("DEL", "{b}k");
            awaitBlocked(admin, 1);
            admin.call("LPUSH", "{b}k", "v");
            assertEquals(pair("{b}k", "v"), popper.reply());
        }
    }

    @Test
    void aClosedConnectionLeavesTheQueue() throws Exception {
        try (RespClient admin = new RespClient(port); RespClient second = new RespClient(port)) {
            RespClient first = new RespClient(port);
            first.send("BLPOP", "{b}q", "0");
            awaitBlocked(admin, 1);
            second.send("BLPOP", "{b}q", "0");
            awaitBlocked(admin, 2);
            first.close();
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "{b}q", "v");
            assertEquals(pair("{b}q", "v"), second.reply());
        }
    }

    @Test
    void requestsSentWhileBlockedRunAfterTheReply() throws Exception {
        try (RespClient popper = new RespClient(port); RespClient admin = new RespClient(port)) {
            popper.send("BLMPOP", "0", "2", "{b}a", "{b}b", "RIGHT", "COUNT", "5");
            popper.send("LLEN", "{b}b");
            awaitBlocked(admin, 1);
            admin.call("RPUSH", "{b}b", "1", "2", "3");
            assertEquals("*2\r\n" + bulk("{b}b") + "*3\r\n" + bulk("3") + bulk("2") + bulk("1"), popper.reply());
            assertEquals(":0\r\n", popper.reply());
        }
    }

    @Test
    void listAndStreamClientsAreServedInTheOrderTheirKeysWereSignaled() throws Exception {
        String pattern = "__keyspace@0__:{b}*";
        try (RespClient reader = new RespClient(port); RespClient popper = new RespClient(port);
                RespClient subscriber = new RespClient(port); RespClient admin = new RespClient(port)) {
            admin.call("CONFIG", "SET", "notify-keyspace-events", "KA");
            try {
                admin.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
                subscriber.call("PSUBSCRIBE", pattern);
                popper.send("BLPOP", "{b}l", "0");
                awaitBlocked(admin, 1);
                reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
                awaitBlocked(admin, 2);
                admin.call("MULTI");
                admin.call("XADD", "{b}s", "1-1", "f", "v");
                admin.call("LPUSH", "{b}l", "a");
                assertEquals("*2\r\n" + bulk("1-1") + ":1\r\n", admin.call("EXEC"));
                assertEquals(streamEntry("{b}s", "1-1", "f", "v"), reader.reply());
                assertEquals(pair("{b}l", "a"), popper.reply());
                // {b}s was signaled first, so its reader is served (and its consumer created) before the pop.
                for (String[] event : new String[][] {{"{b}s", "xadd"}, {"{b}l", "lpush"},
                        {"{b}s", "xgroup-createconsumer"}, {"{b}l", "lpop"}, {"{b}l", "del"}}) {
                    assertEquals(keyspaceEvent(pattern, event[0], event[1]), subscriber.reply());
                }
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void aStreamThatGoesFailsItsGroupReadersButNotItsPlainReaders() throws Exception {
        try (RespClient reader = new RespClient(port); RespClient plain = new RespClient(port);
                RespClient admin = new RespClient(port)) {
            admin.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
            awaitBlocked(admin, 1);
            plain.send("XREAD", "BLOCK", "0", "STREAMS", "{b}s", "$");
            awaitBlocked(admin, 2);
            assertEquals("+OK\r\n", admin.call("SET", "{b}s", "string"));
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", reader.reply());
            awaitBlocked(admin, 1);
            admin.call("DEL", "{b}s");
            admin.call("XADD", "{b}s", "1-1", "f", "v");
            assertEquals(streamEntry("{b}s", "1-1", "f", "v"), plain.reply());
        }
    }

    @Test
    void aStreamFlushedFailsItsGroupReaders() throws Exception {
        try (RespClient reader = new RespClient(port); RespClient admin = new RespClient(port)) {
            admin.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
            awaitBlocked(admin, 1);
            assertEquals("+OK\r\n", admin.call("FLUSHALL"));
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", reader.reply());
        }
    }

    @Test
    void aStreamDeletedByTheExpireCycleFailsItsGroupReaders() throws Exception {
        try (RespClient reader = new RespClient(port); RespClient admin = new RespClient(port)) {
            admin.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
            awaitBlocked(admin, 1);
            // No command touches the key again: only the active expire cycle deletes it, outside any command.
            assertEquals(":1\r\n", admin.call("PEXPIRE", "{b}s", "1"));
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", reader.reply());
        }
    }

    @Test
    void aGroupDestroyedFailsItsReaders() throws Exception {
        try (RespClient reader = new RespClient(port); RespClient admin = new RespClient(port)) {
            admin.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
            awaitBlocked(admin, 1);
            assertEquals(":1\r\n", admin.call("XGROUP", "DESTROY", "{b}s", "g"));
            assertEquals("-NOGROUP the consumer group this client was blocked on no longer exists\r\n", reader.reply());
        }
    }

    @Test
    void readsThatMayNotBlockAnswerAsIfTimedOut() {
        try (RespClient c = new RespClient(port)) {
            c.call("XGROUP", "CREATE", "{b}s", "g", "$", "MKSTREAM");
            c.call("MULTI");
            c.call("XREAD", "BLOCK", "0", "STREAMS", "{b}s", "$");
            c.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{b}s", ">");
            assertEquals("*2\r\n" + NULL_ARRAY + NULL_ARRAY, c.call("EXEC"));
        }
    }

    @Test
    void aClientBlockedOnASlotThatMovedGetsMoved() throws Exception {
        String key = "{b}moving";
        int slot = KeySlot.of(key.getBytes(ISO_8859_1));
        int otherPort = cluster.node(1).port();
        try (RespClient popper = new RespClient(port); RespClient reader = new RespClient(port);
                RespClient admin = new RespClient(port); RespClient other = new RespClient(otherPort)) {
            String otherId = other.call("CLUSTER", "MYID").split("\r\n")[1];
            String myId = admin.call("CLUSTER", "MYID").split("\r\n")[1];
            popper.send("BLPOP", key, "0");
            awaitBlocked(admin, 1);
            reader.send("XREAD", "BLOCK", "0", "STREAMS", key, "$");
            awaitBlocked(admin, 2);
            try {
                assertEquals("+OK\r\n", admin.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", otherId));
                assertEquals("-MOVED " + slot + " 127.0.0.1:" + otherPort + "\r\n", popper.reply());
                assertEquals("-MOVED " + slot + " 127.0.0.1:" + otherPort + "\r\n", reader.reply());
            } finally {
                assertEquals("+OK\r\n", admin.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", myId));
            }
        }
    }

    @Test
    void aClientBlockedOnASlotNobodyServesGetsClusterdown() throws Exception {
        String key = "{b}unserved";
        String slot = Integer.toString(KeySlot.of(key.getBytes(ISO_8859_1)));
        try (RespClient popper = new RespClient(port); RespClient reader = new RespClient(port);
                RespClient admin = new RespClient(port)) {
            popper.send("BZPOPMIN", key, "0");
            awaitBlocked(admin, 1);
            admin.call("XGROUP", "CREATE", key + "s", "g", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", key + "s", ">");
            awaitBlocked(admin, 2);
            try {
                assertEquals("+OK\r\n", admin.call("CLUSTER", "DELSLOTS", slot));
                assertEquals("-CLUSTERDOWN Hash slot not served\r\n", popper.reply());
                assertEquals("-CLUSTERDOWN Hash slot not served\r\n", reader.reply());
            } finally {
                assertEquals("+OK\r\n", admin.call("CLUSTER", "ADDSLOTS", slot));
            }
        }
    }

    @Test
    void aMasterTurnedReplicaUnblocksItsClientsAndClosesThem() throws Exception {
        try (EmulatedCluster failover = EmulatedCluster.builder().ports(freePorts(6)).replicas(1).start()) {
            if (!failover.awaitStateOk(60_000)) {
                throw new IllegalStateException("cluster did not reach state ok");
            }
            int masterPort = failover.node(0).port();
            int replicaPort = -1;
            try (RespClient master = new RespClient(masterPort)) {
                String masterId = master.call("CLUSTER", "MYID").split("\r\n")[1];
                for (int i = 3; i < 6; i++) {
                    try (RespClient c = new RespClient(failover.node(i).port())) {
                        if (c.call("CLUSTER", "NODES").contains("myself,slave " + masterId)) {
                            replicaPort = failover.node(i).port();
                        }
                    }
                }
            }
            int replica = replicaPort;
            try (RespClient popper = new RespClient(masterPort); RespClient admin = new RespClient(masterPort);
                    RespClient promoted = new RespClient(replica)) {
                await("the replica's link is up", () -> promoted.call("INFO", "replication")
                        .contains("master_link_status:up"));
                popper.send("BLPOP", "{b}k", "0");
                awaitBlocked(admin, 1);
                // Refused ("Master is down or failed") until the replica's bus link to its master is up.
                await("the replica accepts CLUSTER FAILOVER",
                        () -> promoted.call("CLUSTER", "FAILOVER").equals("+OK\r\n"));
                assertEquals("-UNBLOCKED force unblock from blocking operation, instance state changed "
                        + "(master -> replica?)\r\n", popper.reply());
                assertTrue(popper.closedByServer());
            }
        }
    }
}
