package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Real redis-server 7.0 nodes and emulator nodes in one cluster, joined by CLUSTER MEET in both directions:
 * the emulator's bus is Redis's bus.
 */
class MixedClusterTest {

    @Test
    void realAndEmulatedNodesFormOneClusterAndServeKeysAcrossKinds() {
        RedisBinaries.assumeRedisServer();
        RedisBinaries.assumeRedisCli();
        List<RealRedisNode> reals = new ArrayList<>();
        try (EmulatedNodes emus = EmulatedNodes.bare(3)) {
            for (int i = 0; i < 3; i++) {
                reals.add(RealRedisNode.startClusterNode());
            }
            // real -> emulator, emulator -> real, and each kind among itself through gossip.
            Nodes.call(reals.get(0), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(0)));
            emus.call(1, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(reals.get(1).port()));
            emus.call(2, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(reals.get(2).port()));
            Nodes.call(reals.get(2), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(1)));
            Nodes.call(reals.get(1), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(0)));
            Wait.until("six known nodes everywhere", () -> {
                for (RealRedisNode r : reals) {
                    if (!Nodes.clusterInfo(r, "cluster_known_nodes").equals("6")) {
                        return false;
                    }
                }
                for (int i = 0; i < 3; i++) {
                    if (!emus.clusterInfo(i, "cluster_known_nodes").equals("6")) {
                        return false;
                    }
                }
                return true;
            });

            // Slots on both kinds: real 0-5460, emulator 5461-10922, real 10923-16383.
            assertEquals(Reply.status("OK"), Nodes.call(reals.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460"));
            assertEquals(Reply.status("OK"), emus.call(0, "CLUSTER", "ADDSLOTSRANGE", "5461", "10922"));
            assertEquals(Reply.status("OK"), Nodes.call(reals.get(1), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383"));
            // Replicas across kinds: emulator of real, real of emulator, emulator of real.
            String real0 = Nodes.call(reals.get(0), "CLUSTER", "MYID").asString();
            String emu0 = emus.myId(0);
            String real1 = Nodes.call(reals.get(1), "CLUSTER", "MYID").asString();
            Wait.until("masters' slots known", () -> Nodes.clusterInfo(reals.get(2), "cluster_slots_assigned")
                    .equals("16384")
                    && emus.clusterInfo(1, "cluster_slots_assigned").equals("16384")
                    && emus.clusterInfo(2, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emus.call(1, "CLUSTER", "REPLICATE", real0));
            assertEquals(Reply.status("OK"), Nodes.call(reals.get(2), "CLUSTER", "REPLICATE", emu0));
            assertEquals(Reply.status("OK"), emus.call(2, "CLUSTER", "REPLICATE", real1));

            Wait.until("cluster_state:ok everywhere", () -> {
                for (RealRedisNode r : reals) {
                    if (!Nodes.clusterInfo(r, "cluster_state").equals("ok")) {
                        return false;
                    }
                }
                for (int i = 0; i < 3; i++) {
                    if (!emus.clusterInfo(i, "cluster_state").equals("ok")) {
                        return false;
                    }
                }
                return true;
            });

            // A real node lists the emulator's nodes, with their slots and roles, once gossip has spread them.
            String emu1 = emus.myId(1);
            Wait.until("real node sees the emulator master's slots and the emulator replica's role", () -> {
                String nodes = Nodes.call(reals.get(0), "CLUSTER", "NODES").asString();
                String emuMaster = Nodes.nodesLine(nodes, emu0);
                return emuMaster.endsWith(" connected 5461-10922") && emuMaster.contains(" master - ")
                        && Nodes.nodesLine(nodes, emu1).contains(" slave " + real0 + " ");
            });

            // Routing across kinds, as a cluster client (redis-cli -c) sees it.
            for (int i = 0; i < 30; i++) {
                String key = "key:" + i;
                int slot = (int) Nodes.call(reals.get(0), "CLUSTER", "KEYSLOT", key).asLong();
                RedisTarget owner = slot <= 5460 ? reals.get(0) : slot <= 10922 ? null : reals.get(1);
                Reply set = owner == null ? emus.call(0, "SET", key, "v" + i) : Nodes.call(owner, "SET", key, "v" + i);
                assertEquals(Reply.status("OK"), set);
                int expectedPort = owner == null ? emus.port(0) : owner.port();
                assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + expectedPort),
                        slot <= 5460 || slot > 10922 ? emus.call(0, "GET", key) : Nodes.call(reals.get(0), "GET", key));
            }
            RedisCli.Result set = RedisCli.run("-c", "-p", Integer.toString(reals.get(0).port()), "SET", "foo",
                    "from-real");
            assertEquals(0, set.exitCode(), set.toString());
            RedisCli.Result get = RedisCli.run("-c", "-p", Integer.toString(emus.port(2)), "GET", "foo");
            assertEquals("from-real", get.stdout().trim(), get.toString());
        } finally {
            reals.forEach(RealRedisNode::close);
        }
    }
}
