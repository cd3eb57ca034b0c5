package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Failure detection and failover at the cluster level, with a short cluster-node-timeout: the replica of a
 * stopped or hung master wins an election, takes its slots, and the old master rejoins as its replica.
 */
class FailoverTest {
    private static final long NODE_TIMEOUT = 2000;

    /**
     * How long a hung master sleeps. Its replica must win the election meanwhile, which takes about the node
     * timeout to flag the master PFAIL, a gossip round or two to agree on FAIL, then the replica's election
     * delay (500 ms plus up to 500 ms random) and a vote round: some 5 s. Ten node timeouts give a loaded
     * machine four times that; a slow machine then lengthens the wait for the failover, not the sleep.
     */
    private static final Duration HANG = Duration.ofMillis(10 * NODE_TIMEOUT);

    @Test
    void aStoppedMastersReplicaIsPromotedAndTheOldMasterRejoinsAsItsReplica() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            // A replica that never synced would not fail over.
            nodes.awaitReplicasSynced();
            String oldMaster = nodes.myId(0);
            String replica = nodes.myId(3);

            assertEquals(Reply.error("MOVED 12182 127.0.0.1:" + nodes.port(2)), nodes.call(0, "GET", "foo"));
            try (RespClient c = nodes.client(0)) {
                c.send("SHUTDOWN", "NOSAVE");
                // Shutting down saves nodes.conf (with an fsync) first: a generous wait for the close.
                assertTrue(c.isClosedByPeer(RespClient.DEFAULT_TIMEOUT),
                        "SHUTDOWN closes the connection without a reply");
            }

            Wait.until("the replica is a master serving the old master's slots", () ->
                    nodes.nodesLine(1, replica).contains(" master - ") && nodes.nodesLine(1, replica).endsWith(" 0-5460"));
            Wait.until("the stopped master is flagged fail", () -> nodes.nodesLine(1, oldMaster).contains("master,fail"));
            for (int i : new int[] {1, 2, 3, 4, 5}) {
                Wait.until("cluster_state:ok on node " + i, () -> nodes.clusterInfo(i, "cluster_state").equals("ok"));
            }
            assertTrue(nodes.call(3, "CLUSTER", "NODES").asString().contains("myself,master"));

            nodes.startNode(0);
            Wait.until("the old master came back as a replica of its successor", () ->
                    nodes.nodesLine(0, oldMaster).contains("myself,slave " + replica));
            Wait.until("the others see it as a replica, no longer failed", () ->
                    nodes.nodesLine(1, oldMaster).contains(" slave " + replica + " "));
            nodes.awaitEveryNode("cluster_state", "ok");
        }
    }

    @Test
    void aHungMasterIsFailedOverAndRejoinsAsAReplicaWhenItWakesUp() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            nodes.awaitReplicasSynced();
            String hung = nodes.myId(1);
            String replica = nodes.myId(4);
            try (RespClient c = nodes.client(1).timeout(HANG.plus(RespClient.DEFAULT_TIMEOUT))) {
                // Sleeps well past the node timeout: the others see no PONG and fail it over meanwhile.
                c.send("DEBUG", "SLEEP", Long.toString(HANG.toSeconds()));
                Wait.until("the replica took over", () -> nodes.nodesLine(0, replica).contains(" master - "));
                assertEquals(Reply.status("OK"), c.read());
            }
            Wait.until("the woken node learned it lost its slots and follows the new master", () ->
                    nodes.nodesLine(1, hung).contains("myself,slave " + replica));
            nodes.awaitEveryNode("cluster_state", "ok");
        }
    }

    @Test
    void aMasterPartitionedFromTheMajorityIsReplacedAndRejoinsAsAReplicaAfterHealing() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            nodes.awaitReplicasSynced();
            String isolated = nodes.myId(0);
            String replica = nodes.myId(3);
            nodes.partition(java.util.List.of(0), java.util.List.of(1, 2, 3, 4, 5));
            Wait.until("the majority failed the isolated master over", () ->
                    nodes.nodesLine(1, replica).contains(" master - ") && nodes.nodesLine(1, isolated).contains("fail"));
            Wait.until("the isolated master, in the minority, says the cluster is down", () ->
                    nodes.clusterInfo(0, "cluster_state").equals("fail"));
            nodes.heal();
            Wait.until("after healing it learned of the failover and follows its successor", () ->
                    nodes.nodesLine(0, isolated).contains("myself,slave " + replica));
            nodes.awaitEveryNode("cluster_state", "ok");
        }
    }

    @Test
    void clusterFailoverTakeoverSwapsRolesWithoutAnElection() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            String master = nodes.myId(2);
            String replica = nodes.myId(5);
            assertEquals(Reply.error("ERR You should send CLUSTER FAILOVER to a replica"),
                    nodes.call(2, "CLUSTER", "FAILOVER"));
            assertEquals(Reply.status("OK"), nodes.call(5, "CLUSTER", "FAILOVER", "TAKEOVER"));
            Wait.until("roles swapped", () -> nodes.nodesLine(0, replica).contains(" master - ")
                    && nodes.nodesLine(0, master).contains(" slave " + replica + " "));
            nodes.awaitEveryNode("cluster_state", "ok");
        }
    }
}
