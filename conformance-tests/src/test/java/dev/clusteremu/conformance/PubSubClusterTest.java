package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Pub/Sub across a cluster, over the cluster bus: PUBLISH on any node reaches the subscribers of every
 * node, SPUBLISH those of the channel's shard (its master and replicas), and a shard channel of another
 * slot is redirected; in an emulated cluster, and in a cluster mixing redis-server and emulator nodes,
 * where the bus messages cross kinds both ways.
 */
class PubSubClusterTest {

    @Test
    void publishOnOneNodeReachesTheSubscribersOfEveryNode() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            awaitFullMesh(nodes);
            List<RespClient> subscribers = new ArrayList<>();
            try {
                for (int i = 0; i < nodes.size(); i++) {
                    RespClient sub = nodes.client(i);
                    subscribers.add(sub);
                    assertEquals(push("subscribe", "news", 1), sub.call("SUBSCRIBE", "news"));
                }
                RespClient patternSubscriber = nodes.client(4);
                subscribers.add(patternSubscriber);
                assertEquals(push("psubscribe", "n*", 1), patternSubscriber.call("PSUBSCRIBE", "n*"));

                for (int publisher = 0; publisher < nodes.size(); publisher++) {
                    String message = "from node " + publisher;
                    // The reply counts the publishing node's own receivers only, as in Redis.
                    long local = publisher == 4 ? 2 : 1;
                    assertEquals(Reply.integer(local), nodes.call(publisher, "PUBLISH", "news", message));
                    for (int i = 0; i < nodes.size(); i++) {
                        assertEquals(push("message", "news", message), subscribers.get(i).read());
                    }
                    assertEquals(Reply.array(Reply.bulk("pmessage"), Reply.bulk("n*"), Reply.bulk("news"),
                            Reply.bulk(message)), patternSubscriber.read());
                }
                assertEquals(Reply.integer(0), nodes.call(2, "PUBLISH", "nobody-listens", "x"));
            } finally {
                subscribers.forEach(RespClient::close);
            }
        }
    }

    @Test
    void shardMessagesReachTheirShardOnlyAndOtherSlotsAreRedirected() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            awaitFullMesh(nodes);
            String channel = "orders";
            int slot = (int) nodes.call(0, "CLUSTER", "KEYSLOT", channel).asLong();
            int master = ownerOf(nodes, slot);
            int replica = replicaOf(nodes, master);
            Wait.until("the master knows its replica", () -> nodes.nodesLine(master, nodes.myId(replica))
                    .contains(" slave " + nodes.myId(master) + " "));

            try (RespClient onMaster = nodes.client(master); RespClient onReplica = nodes.client(replica)) {
                assertEquals(push("ssubscribe", channel, 1), onMaster.call("SSUBSCRIBE", channel));
                // A replica of the owner serves shard channels without READONLY.
                assertEquals(push("ssubscribe", channel, 1), onReplica.call("SSUBSCRIBE", channel));
                for (int i = 0; i < nodes.size(); i++) {
                    if (i != master && i != replica) {
                        assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + nodes.port(master)),
                                nodes.call(i, "SSUBSCRIBE", channel));
                        assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + nodes.port(master)),
                                nodes.call(i, "SPUBLISH", channel, "x"));
                    }
                }
                assertEquals(Reply.error("CROSSSLOT Keys in request don't hash to the same slot"),
                        nodes.call(master, "SSUBSCRIBE", channel, "other-" + channel));

                assertEquals(Reply.integer(1), nodes.call(master, "SPUBLISH", channel, "from the master"));
                assertEquals(push("smessage", channel, "from the master"), onMaster.read());
                assertEquals(push("smessage", channel, "from the master"), onReplica.read());
                assertEquals(Reply.integer(1), nodes.call(replica, "SPUBLISH", channel, "from the replica"));
                assertEquals(push("smessage", channel, "from the replica"), onReplica.read());
                assertEquals(push("smessage", channel, "from the replica"), onMaster.read());
                // A global PUBLISH of the same name is another channel altogether.
                assertEquals(Reply.integer(0), nodes.call(master, "PUBLISH", channel, "global"));
                assertEquals(Reply.integer(1), nodes.call(master, "SPUBLISH", channel, "last"));
                assertEquals(push("smessage", channel, "last"), onMaster.read());
                assertEquals(push("smessage", channel, "last"), onReplica.read());
            }
        }
    }

    @Test
    void publishAndSpublishCrossBetweenRedisServerAndEmulatorNodes() {
        RedisBinaries.assumeRedisServer();
        RealRedisNode realMaster = RealRedisNode.startClusterNode();
        RealRedisNode realReplica = null;
        try (EmulatedNodes emus = EmulatedNodes.bare(2)) {
            realReplica = RealRedisNode.startClusterNode();
            RealRedisNode r1 = realReplica;
            // Real master R0 with emulator replica E1; emulator master E0 with real replica R1.
            call(realMaster, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(0)));
            emus.call(1, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(realMaster.port()));
            call(r1, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(0)));
            Wait.until("four known nodes everywhere", () -> info(realMaster, "cluster_known_nodes").equals("4")
                    && info(r1, "cluster_known_nodes").equals("4")
                    && emus.clusterInfo(0, "cluster_known_nodes").equals("4")
                    && emus.clusterInfo(1, "cluster_known_nodes").equals("4"));
            assertEquals(Reply.status("OK"), call(realMaster, "CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
            assertEquals(Reply.status("OK"), emus.call(0, "CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
            Wait.until("every slot known everywhere", () -> info(r1, "cluster_slots_assigned").equals("16384")
                    && emus.clusterInfo(1, "cluster_slots_assigned").equals("16384"));
            String realMasterId = call(realMaster, "CLUSTER", "MYID").asString();
            String emuMasterId = emus.myId(0);
            assertEquals(Reply.status("OK"), emus.call(1, "CLUSTER", "REPLICATE", realMasterId));
            assertEquals(Reply.status("OK"), call(r1, "CLUSTER", "REPLICATE", emuMasterId));
            Wait.until("cluster_state:ok everywhere and each master knows its replica", () ->
                    info(realMaster, "cluster_state").equals("ok") && info(r1, "cluster_state").equals("ok")
                            && emus.clusterInfo(0, "cluster_state").equals("ok")
                            && emus.clusterInfo(1, "cluster_state").equals("ok")
                            && call(realMaster, "CLUSTER", "REPLICAS", realMasterId).asList().size() == 1
                            && emus.call(0, "CLUSTER", "REPLICAS", emuMasterId).asList().size() == 1);
            // cluster_known_nodes counts handshake nodes too; a PUBLISH goes only over connected links, and
            // only from a sender the receiving node knows by its id.
            List<RedisTarget> all = List.of(realMaster, r1, target(emus, 0), target(emus, 1));
            Wait.until("every node knows every node by its id, over a connected link", () -> {
                for (RedisTarget t : all) {
                    List<String> lines = call(t, "CLUSTER", "NODES").asString().lines().toList();
                    if (lines.size() != all.size()
                            || lines.stream().anyMatch(l -> l.contains("handshake") || !l.contains(" connected"))) {
                        return false;
                    }
                }
                return true;
            });

            List<RespClient> subscribers = new ArrayList<>();
            try {
                for (RedisTarget t : all) {
                    RespClient sub = RespClient.connect(t);
                    subscribers.add(sub);
                    assertEquals(push("subscribe", "mixed", 1), sub.call("SUBSCRIBE", "mixed"));
                }
                for (RedisTarget publisher : all) {
                    String message = "from " + publisher.port();
                    assertEquals(Reply.integer(1), call(publisher, "PUBLISH", "mixed", message));
                    for (RespClient sub : subscribers) {
                        assertEquals(push("message", "mixed", message), sub.read());
                    }
                }
            } finally {
                subscribers.forEach(RespClient::close);
            }

            // "bar" (slot 5061) is the real master's, "foo" (slot 12182) the emulator master's.
            try (RespClient realMasterSub = RespClient.connect(realMaster);
                 RespClient emuReplicaSub = RespClient.connect(target(emus, 1));
                 RespClient emuMasterSub = RespClient.connect(target(emus, 0));
                 RespClient realReplicaSub = RespClient.connect(r1)) {
                assertEquals(push("ssubscribe", "bar", 1), realMasterSub.call("SSUBSCRIBE", "bar"));
                assertEquals(push("ssubscribe", "bar", 1), emuReplicaSub.call("SSUBSCRIBE", "bar"));
                assertEquals(push("ssubscribe", "foo", 1), emuMasterSub.call("SSUBSCRIBE", "foo"));
                assertEquals(push("ssubscribe", "foo", 1), realReplicaSub.call("SSUBSCRIBE", "foo"));

                assertEquals(Reply.integer(1), call(realMaster, "SPUBLISH", "bar", "real to emulator"));
                assertEquals(push("smessage", "bar", "real to emulator"), realMasterSub.read());
                assertEquals(push("smessage", "bar", "real to emulator"), emuReplicaSub.read());
                assertEquals(Reply.integer(1), emus.call(1, "SPUBLISH", "bar", "emulator to real"));
                assertEquals(push("smessage", "bar", "emulator to real"), emuReplicaSub.read());
                assertEquals(push("smessage", "bar", "emulator to real"), realMasterSub.read());
                assertEquals(Reply.integer(1), emus.call(0, "SPUBLISH", "foo", "emulator to real"));
                assertEquals(push("smessage", "foo", "emulator to real"), emuMasterSub.read());
                assertEquals(push("smessage", "foo", "emulator to real"), realReplicaSub.read());
                assertEquals(Reply.integer(1), call(r1, "SPUBLISH", "foo", "real to emulator"));
                assertEquals(push("smessage", "foo", "real to emulator"), realReplicaSub.read());
                assertEquals(push("smessage", "foo", "real to emulator"), emuMasterSub.read());

                assertEquals(Reply.error("MOVED 12182 127.0.0.1:" + emus.port(0)),
                        call(realMaster, "SPUBLISH", "foo", "x"));
                assertEquals(Reply.error("MOVED 5061 127.0.0.1:" + realMaster.port()),
                        emus.call(0, "SSUBSCRIBE", "bar"));
            }
        } finally {
            realMaster.close();
            if (realReplica != null) {
                realReplica.close();
            }
        }
    }

    /** A (RESP2) subscription reply or message: [kind, channel, count or payload]. */
    static Reply push(String kind, String channel, long count) {
        return Reply.array(Reply.bulk(kind), Reply.bulk(channel), Reply.integer(count));
    }

    static Reply push(String kind, String channel, String payload) {
        return Reply.array(Reply.bulk(kind), Reply.bulk(channel), Reply.bulk(payload));
    }

    /**
     * Waits until every node knows every other one, with its role, over a connected link: a node ignores
     * a PUBLISH from a node it does not know yet and sends one only where it has a link, as Redis does.
     */
    static void awaitFullMesh(EmulatedNodes nodes) {
        nodes.awaitEveryNode("cluster_state", "ok");
        Wait.until("every node knows every node, connected, and the three replicas", () -> {
            for (int i = 0; i < nodes.size(); i++) {
                List<String> lines = nodes.call(i, "CLUSTER", "NODES").asString().lines().toList();
                if (lines.size() != nodes.size() || lines.stream().anyMatch(l -> !l.contains(" connected"))
                        || lines.stream().filter(l -> l.contains("slave ")).count() != 3) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The index of the master serving {@code slot}. */
    private static int ownerOf(EmulatedNodes nodes, int slot) {
        for (int i = 0; i < nodes.size(); i++) {
            for (Reply range : nodes.call(i, "CLUSTER", "SLOTS").asList()) {
                List<Reply> r = range.asList();
                if (r.get(0).asLong() <= slot && slot <= r.get(1).asLong()) {
                    int port = (int) r.get(2).asList().get(1).asLong();
                    for (int j = 0; j < nodes.size(); j++) {
                        if (nodes.port(j) == port) {
                            return j;
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no owner for slot " + slot);
    }

    /** The index of a replica of node {@code master}. */
    private static int replicaOf(EmulatedNodes nodes, int master) {
        String masterId = nodes.myId(master);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.nodesLine(i, nodes.myId(i)).contains("slave " + masterId + " ")) {
                return i;
            }
        }
        throw new IllegalStateException("node " + master + " has no replica");
    }

    private static RedisTarget target(EmulatedNodes nodes, int i) {
        return new RedisTarget() {
            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return nodes.port(i);
            }

            @Override
            public String description() {
                return "emulator node " + i;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Reply call(RedisTarget target, String... argv) {
        try (RespClient c = RespClient.connect(target)) {
            return c.call(argv);
        }
    }

    private static String info(RedisTarget target, String field) {
        for (String l : call(target, "CLUSTER", "INFO").asString().split("\r\n")) {
            if (l.startsWith(field + ":")) {
                return l.substring(field.length() + 1);
            }
        }
        throw new IllegalStateException(field);
    }
}
