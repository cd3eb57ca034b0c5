package dev.clusteremu.conformance;

import static dev.clusteremu.conformance.ClusterOps.address;
import static dev.clusteremu.conformance.ClusterOps.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The operator's walkthrough with the real redis-cli 7.0 against emulated nodes: create a cluster, fill it,
 * reshard, add a master and a replica, rebalance onto the new master, remove the replica. After each step
 * every key is still readable and {@code --cluster check} finds the cluster clean, exactly as with
 * redis-server.
 */
class ReshardingTest {
    private static final int KEYS = 10_000;

    @Test
    void slotsMoveWithTheirKeysThroughReshardAddNodeRebalanceAndDelNode() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.bare(6); EmulatedNodes extra = EmulatedNodes.bare(2)) {
            List<String> create = new ArrayList<>(List.of("create"));
            for (int i = 0; i < 6; i++) {
                create.add(address(nodes.port(i)));
            }
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            cluster(create.toArray(String[]::new));
            nodes.awaitEveryNode("cluster_state", "ok");
            ClusterOps.writeKeys(nodes.port(0), KEYS);

            // Reshard: the first 1000 slots of master 0 move to master 1, with their keys.
            String from = nodes.myId(0);
            String to = nodes.myId(1);
            RedisCli.Result reshard = cluster("reshard", address(nodes.port(0)), "--cluster-from", from,
                    "--cluster-to", to, "--cluster-slots", "1000", "--cluster-yes");
            assertTrue(reshard.stdout().contains("Moving slot 999 from " + address(nodes.port(0)) + " to "
                    + address(nodes.port(1))), reshard.stdout());
            for (int viewer = 0; viewer < 6; viewer++) {
                int v = viewer;
                Wait.until("node " + v + " sees slots 0-999 on master 1", () ->
                        ClusterOps.slotsOf(nodes, v, to).containsAll(ClusterOps.range(0, 999))
                                && ClusterOps.slotsOf(nodes, v, from).equals(ClusterOps.range(1000, 5460)));
            }
            assertEquals(0, nodes.call(0, "CLUSTER", "COUNTKEYSINSLOT", "999").asLong());
            ClusterOps.assertKeysReadable(nodes.port(2), KEYS);
            ClusterOps.awaitCheckClean(nodes.port(3));

            // add-node: a new master, then a replica of it.
            cluster("add-node", address(extra.port(0)), address(nodes.port(0)));
            String newMaster = extra.myId(0);
            Wait.until("every node knows the new master", () -> {
                for (int i = 0; i < 6; i++) {
                    if (nodes.nodesLine(i, newMaster).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            // add-node first checks the cluster, the new master included: it must have learned every slot's
            // owner from their PINGs, a moment after the others learned of it.
            ClusterOps.awaitCheckClean(nodes.port(0));
            cluster("add-node", address(extra.port(1)), address(nodes.port(0)), "--cluster-slave",
                    "--cluster-master-id", newMaster);
            String newReplica = extra.myId(1);
            Wait.until("the new replica replicates the new master", () ->
                    nodes.nodesLine(0, newReplica).contains(" slave " + newMaster + " "));
            ClusterOps.awaitCheckClean(nodes.port(0));

            // A node that just joined answers CLUSTERDOWN (to the RESTORE-ASKING of a rebalance too) until its
            // own view of the cluster is ok, as a redis-server does; an operator waits for it the same way.
            Wait.until("the new master's cluster state is ok", () -> extra.clusterInfo(0, "cluster_state").equals("ok"));
            // rebalance onto the empty master: 16384 / 4 slots each.
            cluster("rebalance", address(nodes.port(0)), "--cluster-use-empty-masters");
            Wait.until("the new master owns 4096 slots in every view", () -> {
                for (int i = 0; i < 6; i++) {
                    if (ClusterOps.slotsOf(nodes, i, newMaster).size() != 4096) {
                        return false;
                    }
                }
                return ClusterOps.slotsOf(extra, 0, newMaster).size() == 4096;
            });
            ClusterOps.assertKeysReadable(extra.port(0), KEYS);
            long onNewMaster = extra.call(0, "DBSIZE").asLong();
            assertTrue(onNewMaster > 0, "the new master holds keys: " + onNewMaster);
            ClusterOps.awaitCheckClean(nodes.port(0));

            // del-node: the replica leaves; every node forgets it and it forgets them.
            cluster("del-node", address(nodes.port(0)), newReplica);
            Wait.until("no node knows the removed replica", () -> {
                for (int i = 0; i < 6; i++) {
                    if (!nodes.nodesLine(i, newReplica).isEmpty()) {
                        return false;
                    }
                }
                return extra.nodesLine(0, newReplica).isEmpty();
            });
            assertEquals("1", extra.clusterInfo(1, "cluster_known_nodes"));
            ClusterOps.awaitCheckClean(nodes.port(0));
            ClusterOps.assertKeysReadable(nodes.port(5), KEYS);
            assertEquals(Set.of(), ClusterOps.slotsOf(extra, 1, newReplica));
        }
    }
}
