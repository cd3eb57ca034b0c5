package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The seed's manual walkthrough, as a user would do it with six redis-server processes: CLUSTER MEET,
 * ADDSLOTS, REPLICATE, then MOVED, KEYSLOT, CLUSTER SLOTS, and a restart that keeps ids and slots.
 */
class ClusterWalkthroughTest {
    /** A CLUSTER NODES line: id ip:port@cport flags master ping pong epoch link [slots]. */
    private static final Pattern NODES_LINE = Pattern.compile(
            "[0-9a-f]{40} 127\\.0\\.0\\.1:\\d+@\\d+ (myself,)?(master|slave) ([0-9a-f]{40}|-) \\d+ \\d+ \\d+ connected"
                    + "( \\d+-\\d+)?");

    private static String[] addslots(int from, int to) {
        List<String> argv = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int s = from; s <= to; s++) {
            argv.add(Integer.toString(s));
        }
        return argv.toArray(new String[0]);
    }

    @Test
    void sixBareNodesBecomeAClusterByHand() {
        try (EmulatedNodes nodes = EmulatedNodes.bare(6)) {
            for (int i = 1; i < 6; i++) {
                assertEquals(Reply.status("OK"),
                        nodes.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.port(i))));
            }
            nodes.awaitEveryNode("cluster_known_nodes", "6");
            assertEquals("fail", nodes.clusterInfo(0, "cluster_state"));
            assertEquals(Reply.error("CLUSTERDOWN Hash slot not served"), nodes.call(0, "SET", "foo", "bar"));

            assertEquals(Reply.status("OK"), nodes.call(0, addslots(0, 5000)));
            assertEquals(Reply.status("OK"), nodes.call(1, addslots(5001, 10000)));
            assertEquals(Reply.status("OK"), nodes.call(2, addslots(10001, 16383)));
            assertEquals(Reply.error("ERR Slot 0 is already busy"), nodes.call(0, "CLUSTER", "ADDSLOTS", "0"));
            for (int i = 0; i < 3; i++) {
                String master = nodes.myId(i);
                int replica = i + 3;
                Wait.until("replica knows its master", () -> nodes.call(replica, "CLUSTER", "NODES").asString()
                        .contains(master));
                assertEquals(Reply.status("OK"), nodes.call(replica, "CLUSTER", "REPLICATE", master));
            }
            nodes.awaitEveryNode("cluster_state", "ok");
            nodes.awaitEveryNode("cluster_slots_assigned", "16384");

            String[] lines = nodes.call(0, "CLUSTER", "NODES").asString().split("\n");
            assertEquals(6, lines.length);
            for (String line : lines) {
                assertTrue(NODES_LINE.matcher(line).matches(), "CLUSTER NODES line in Redis's format: " + line);
            }

            assertEquals(Reply.error("MOVED 12182 127.0.0.1:" + nodes.port(2)), nodes.call(0, "SET", "foo", "bar"));
            assertEquals(Reply.integer(12182), nodes.call(0, "CLUSTER", "KEYSLOT", "foo"));
            assertEquals(Reply.status("OK"), nodes.call(2, "SET", "foo", "bar"));
            assertEquals(Reply.bulk("bar"), nodes.call(2, "GET", "foo"));

            List<Reply> slots = nodes.call(0, "CLUSTER", "SLOTS").asList();
            assertEquals(3, slots.size());
            List<Reply> first = slots.get(0).asList();
            assertEquals(Reply.integer(0), first.get(0));
            assertEquals(Reply.integer(5000), first.get(1));
            List<Reply> master = first.get(2).asList();
            assertEquals(Reply.bulk("127.0.0.1"), master.get(0));
            assertEquals(Reply.integer(nodes.port(0)), master.get(1));
            assertEquals(Reply.bulk(nodes.myId(0)), master.get(2));
        }
    }

    @Test
    void aRestartOnTheSameDirKeepsIdsSlotsAndRoles() {
        try (EmulatedNodes nodes = EmulatedNodes.bare(3)) {
            for (int i = 1; i < 3; i++) {
                nodes.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.port(i)));
            }
            nodes.awaitEveryNode("cluster_known_nodes", "3");
            nodes.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "8000");
            nodes.call(1, "CLUSTER", "ADDSLOTSRANGE", "8001", "16383");
            String master = nodes.myId(0);
            // cluster_known_nodes counts handshake nodes too: wait until the replica knows its master's id.
            Wait.until("replica knows its master", () -> nodes.call(2, "CLUSTER", "NODES").asString().contains(master));
            assertEquals(Reply.status("OK"), nodes.call(2, "CLUSTER", "REPLICATE", master));
            nodes.awaitEveryNode("cluster_state", "ok");
            // Three orphan masters, each with configEpoch 0, bump the current epoch until the masters' config
            // epochs differ (clusterHandleConfigEpochCollision); the others learn the new current epoch by gossip.
            Wait.until("the epochs settled", () -> {
                String current = nodes.clusterInfo(0, "cluster_current_epoch");
                return !nodes.clusterInfo(0, "cluster_my_epoch").equals(nodes.clusterInfo(1, "cluster_my_epoch"))
                        && current.equals(nodes.clusterInfo(1, "cluster_current_epoch"))
                        && current.equals(nodes.clusterInfo(2, "cluster_current_epoch"));
            });
            List<String> ids = List.of(nodes.myId(0), nodes.myId(1), nodes.myId(2));
            String epoch = nodes.clusterInfo(0, "cluster_current_epoch");

            nodes.stop();
            nodes.start();

            assertEquals(ids, List.of(nodes.myId(0), nodes.myId(1), nodes.myId(2)));
            assertEquals(epoch, nodes.clusterInfo(0, "cluster_current_epoch"));
            nodes.awaitEveryNode("cluster_state", "ok");
            String myLine = nodes.call(0, "CLUSTER", "NODES").asString().lines()
                    .filter(l -> l.contains("myself")).findFirst().orElseThrow();
            assertTrue(myLine.endsWith(" connected 0-8000"), myLine);
            String replicaLine = nodes.call(2, "CLUSTER", "NODES").asString().lines()
                    .filter(l -> l.contains("myself")).findFirst().orElseThrow();
            assertTrue(replicaLine.contains("myself,slave " + master), replicaLine);
        }
    }
}
