package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Failover across kinds in a mixed cluster: a real redis-server replica of an emulator master takes over
 * when the emulator master stops, and an emulator replica of a real master takes over when the real one
 * stops, each with its master's data.
 */
class MixedFailoverTest {
    private static final long NODE_TIMEOUT = 2000;

    @Test
    void replicasOfEitherKindTakeOverFromMastersOfTheOtherKindWithTheirData() {
        RedisBinaries.assumeRedisServer();
        List<RealRedisNode> reals = new ArrayList<>();
        try (EmulatedNodes emus = EmulatedNodes.bare(3, NODE_TIMEOUT)) {
            for (int i = 0; i < 3; i++) {
                reals.add(RealRedisNode.builder().clusterNodeTimeout(Duration.ofMillis(NODE_TIMEOUT)).start());
            }
            for (int i = 0; i < 3; i++) {
                Nodes.call(reals.get(i), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(emus.port(i)));
            }
            Nodes.call(reals.get(0), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(reals.get(1).port()));
            Nodes.call(reals.get(0), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(reals.get(2).port()));
            Wait.until("six known nodes everywhere", () -> allKnowSix(reals, emus));

            // real 0 → emulator replica 1; emulator 0 → real replica 2; real 1 → emulator replica 2.
            Nodes.call(reals.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            emus.call(0, "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            Nodes.call(reals.get(1), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            String real0 = Nodes.call(reals.get(0), "CLUSTER", "MYID").asString();
            String emu0 = emus.myId(0);
            String real1 = Nodes.call(reals.get(1), "CLUSTER", "MYID").asString();
            Wait.until("every node knows every slot owner",
                    () -> Nodes.clusterInfo(reals.get(2), "cluster_slots_assigned").equals("16384")
                            && emus.clusterInfo(1, "cluster_slots_assigned").equals("16384")
                            && emus.clusterInfo(2, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emus.call(1, "CLUSTER", "REPLICATE", real0));
            assertEquals(Reply.status("OK"), Nodes.call(reals.get(2), "CLUSTER", "REPLICATE", emu0));
            assertEquals(Reply.status("OK"), emus.call(2, "CLUSTER", "REPLICATE", real1));
            Wait.until("cluster_state:ok everywhere", () -> allOk(reals, emus));

            List<String> emuKeys = keysInRange(5461, 10922, 50);
            List<String> realKeys = keysInRange(0, 5460, 50);
            for (String k : emuKeys) {
                assertEquals(Reply.status("OK"), emus.call(0, "SET", k, "v-" + k));
            }
            for (String k : realKeys) {
                assertEquals(Reply.status("OK"), Nodes.call(reals.get(0), "SET", k, "v-" + k));
            }
            Wait.until("the real replica of the emulator master has its keys",
                    () -> Nodes.call(reals.get(2), "DBSIZE").asLong() == emuKeys.size());
            Wait.until("the emulator replica of the real master has its keys",
                    () -> emus.call(1, "DBSIZE").asLong() == realKeys.size());

            // An emulator master stops: its real replica is elected and serves its keys.
            emus.stopNode(0);
            String real2 = Nodes.call(reals.get(2), "CLUSTER", "MYID").asString();
            Wait.until("the real replica took over the emulator master's slots", () -> {
                String own = Nodes.nodesLine(Nodes.call(reals.get(2), "CLUSTER", "NODES").asString(), real2);
                return own.contains("myself,master") && own.endsWith(" 5461-10922");
            });
            for (String k : emuKeys) {
                assertEquals(Reply.bulk("v-" + k), Nodes.call(reals.get(2), "GET", k));
            }

            // A real master stops: its emulator replica is elected and serves its keys.
            reals.get(0).close();
            String emu1 = emus.myId(1);
            Wait.until("the emulator replica took over the real master's slots", () ->
                    emus.nodesLine(1, emu1).contains("myself,master") && emus.nodesLine(1, emu1).endsWith(" 0-5460"));
            for (String k : realKeys) {
                assertEquals(Reply.bulk("v-" + k), emus.call(1, "GET", k));
            }
            Wait.until("the surviving nodes say ok", () -> Nodes.clusterInfo(reals.get(1), "cluster_state").equals("ok")
                    && emus.clusterInfo(1, "cluster_state").equals("ok"));
        } finally {
            reals.forEach(RealRedisNode::close);
        }
    }

    private static List<String> keysInRange(int from, int to, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n; i++) {
            int slot = dev.clusteremu.cluster.KeySlot.of(("mk" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (slot >= from && slot <= to) {
                keys.add("mk" + i);
            }
        }
        return keys;
    }

    private static boolean allKnowSix(List<RealRedisNode> reals, EmulatedNodes emus) {
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
    }

    private static boolean allOk(List<RealRedisNode> reals, EmulatedNodes emus) {
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
    }
}
