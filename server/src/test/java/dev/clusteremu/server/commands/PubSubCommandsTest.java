package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.TestPorts;

/**
 * Pub/Sub's cluster side within a node: shard channels routed by slot with their own rules (no ASK for a
 * migrating slot, cluster-allow-pubsubshard-when-down), and the sunsubscribe pushes subscribers get when
 * the slot of their shard channels leaves the node's shard. Exact bytes, over real sockets.
 */
class PubSubCommandsTest {
    /** This family's ports: 7970-7999 (their bus ports, +10000, must be free too). */
    private static final int FIRST_PORT = 7970;
    private static final int LAST_PORT = 7999;
    /** "{b}" hashes to slot 3300, which the first of three masters owns (0-5460). */
    private static final int SLOT = 3300;

    private static EmulatedCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmulatedCluster.builder().ports(freePorts(3)).replicas(0).start();
        if (!cluster.awaitStateOk(30_000)) {
            throw new IllegalStateException("cluster did not reach state ok");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void removingASlotUnsubscribesItsShardChannelsWithAPushEach() {
        try (RespClient a = new RespClient(port(0)); RespClient b = new RespClient(port(0))) {
            assertEquals(">3\r\n$10\r\nssubscribe\r\n$4\r\n{b}y\r\n:1\r\n", resp3(a).call("SSUBSCRIBE", "{b}y"));
            assertEquals(">3\r\n$10\r\nssubscribe\r\n$4\r\n{b}x\r\n:2\r\n", a.call("SSUBSCRIBE", "{b}x"));
            assertEquals(">3\r\n$10\r\nssubscribe\r\n$3\r\nbar\r\n:3\r\n", a.call("SSUBSCRIBE", "bar"));
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$4\r\n{b}x\r\n:1\r\n", a.call("SUBSCRIBE", "{b}x"));
            assertEquals("*3\r\n$10\r\nssubscribe\r\n$4\r\n{b}x\r\n:1\r\n", b.call("SSUBSCRIBE", "{b}x"));

            RedisNode node = cluster.server(0);
            node.call(() -> {
                node.data().removeChannelsInSlot(SLOT);
                return null;
            });
            // Channel by channel in byte order, each subscriber in turn, with what it has left.
            assertEquals(">3\r\n$12\r\nsunsubscribe\r\n$4\r\n{b}x\r\n:2\r\n", a.reply());
            assertEquals(">3\r\n$12\r\nsunsubscribe\r\n$4\r\n{b}y\r\n:1\r\n", a.reply());
            assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$4\r\n{b}x\r\n:0\r\n", b.reply());
            // b has no subscription left: it is out of Pub/Sub mode.
            assertEquals("$-1\r\n", b.call("GET", "{b}k"));
            assertEquals("*1\r\n$3\r\nbar\r\n", b.call("PUBSUB", "SHARDCHANNELS"));
            // The global channel of the same name is untouched.
            assertEquals(":1\r\n", b.call("PUBLISH", "{b}x", "still here"));
            assertEquals(">3\r\n$7\r\nmessage\r\n$4\r\n{b}x\r\n$10\r\nstill here\r\n", a.reply());
        }
    }

    @Test
    void aMigratingSlotsShardChannelsStayWithItsOwnerUntilHandedOver() {
        String target = cluster.node(1).id();
        String source = cluster.node(0).id();
        try (RespClient owner = new RespClient(port(0)); RespClient importer = new RespClient(port(1))) {
            assertEquals("+OK\r\n", importer.call("CLUSTER", "SETSLOT", String.valueOf(SLOT), "IMPORTING", source));
            assertEquals("+OK\r\n", owner.call("CLUSTER", "SETSLOT", String.valueOf(SLOT), "MIGRATING", target));
            try {
                // Keys missing from a migrating slot are asked for at the target; channels are not keys.
                assertEquals("-ASK 3300 127.0.0.1:" + port(1) + "\r\n", owner.call("GET", "{b}missing"));
                assertEquals(":0\r\n", owner.call("SPUBLISH", "{b}m", "x"));
                assertEquals("-MOVED 3300 127.0.0.1:" + port(0) + "\r\n", importer.call("SPUBLISH", "{b}m", "x"));
                assertEquals("+OK\r\n", importer.call("ASKING"));
                assertEquals(":0\r\n", importer.call("SPUBLISH", "{b}m", "x"));
            } finally {
                owner.call("CLUSTER", "SETSLOT", String.valueOf(SLOT), "STABLE");
                importer.call("CLUSTER", "SETSLOT", String.valueOf(SLOT), "STABLE");
            }
        }
    }

    @Test
    void aDownClusterServesShardChannelsOnlyWhileAllowed() throws Exception {
        try (RespClient c = new RespClient(port(0))) {
            assertEquals("+OK\r\n", c.call("CLUSTER", "DELSLOTS", "0"));
            try {
                awaitClusterState(c, "fail");
                assertEquals("-CLUSTERDOWN The cluster is down\r\n", c.call("GET", "{b}k"));
                assertEquals(":0\r\n", c.call("SPUBLISH", "{b}m", "x"));
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-allow-pubsubshard-when-down", "no"));
                assertEquals("-CLUSTERDOWN The cluster is down\r\n", c.call("SPUBLISH", "{b}m", "x"));
                assertEquals("-CLUSTERDOWN The cluster is down\r\n", c.call("SSUBSCRIBE", "{b}m"));
                // Global channels are not routed at all.
                assertEquals(":0\r\n", c.call("PUBLISH", "{b}m", "x"));
            } finally {
                c.call("CONFIG", "SET", "cluster-allow-pubsubshard-when-down", "yes");
                c.call("CLUSTER", "ADDSLOTS", "0");
                awaitClusterState(c, "ok");
            }
        }
    }

    @Test
    void messagesFromOtherClientsArriveWithoutTheSubscriberAskingAnything() {
        try (RespClient sub = new RespClient(port(2)); RespClient pub = new RespClient(port(2))) {
            assertEquals("*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n", sub.call("PSUBSCRIBE", "*"));
            for (int i = 0; i < 100; i++) {
                assertEquals(":1\r\n", pub.call("PUBLISH", "ch" + i, "m"));
            }
            for (int i = 0; i < 100; i++) {
                String channel = "ch" + i;
                assertEquals("*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$" + channel.length() + "\r\n" + channel
                        + "\r\n$1\r\nm\r\n", sub.reply());
            }
        }
    }

    private static RespClient resp3(RespClient c) {
        c.call("HELLO", "3");
        return c;
    }

    private static int port(int i) {
        return cluster.node(i).port();
    }

    private static void awaitClusterState(RespClient c, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!c.call("CLUSTER", "INFO").contains("cluster_state:" + state + "\r\n")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster_state never became " + state);
            }
            Thread.sleep(20);
        }
    }

    private static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }
}
