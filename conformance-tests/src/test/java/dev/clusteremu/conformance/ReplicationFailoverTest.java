package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.ClusterBootstrap;

/**
 * A manual failover (CLUSTER FAILOVER on a replica) over real replication: the master pauses its writes
 * until the replica applied everything, the replica takes over with every write, and the old master
 * follows it, continuing its own history (PSYNC2: the new master keeps the old id as its replid2) instead
 * of loading a full copy.
 */
class ReplicationFailoverTest {

    private static Map<String, String> info(EmulatedNodes nodes, int i, String section) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : nodes.call(i, "INFO", section).asString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static Reply readOnReplica(EmulatedNodes nodes, int r, String... argv) {
        try (RespClient c = nodes.client(r)) {
            c.call("READONLY");
            return c.call(argv);
        }
    }

    @Test
    void aManualFailoverKeepsEveryWriteAndTheOldMasterContinuesAsAReplica() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            Wait.until("replica 3 synced", () -> info(nodes, 3, "replication").get("master_link_status").equals("up"));
            int[] range = ClusterBootstrap.slotRange(0, 3);
            List<String> keys = new ArrayList<>();
            for (int j = 0; keys.size() < 100; j++) {
                int slot = KeySlot.of(("f" + j).getBytes(UTF_8));
                if (slot >= range[0] && slot <= range[1]) {
                    keys.add("f" + j);
                }
            }
            try (RespClient c = nodes.client(0)) {
                for (String key : keys) {
                    c.call("SET", key, key, "EX", "10000");
                }
            }
            String oldReplid = info(nodes, 0, "replication").get("master_replid");

            // Refused until the replica's bus link to its master is up, as in Redis.
            Wait.until("the replica accepted CLUSTER FAILOVER",
                    () -> nodes.call(3, "CLUSTER", "FAILOVER").equals(Reply.status("OK")));
            Wait.until("the replica took over and its old master follows it", () -> {
                Map<String, String> newMaster = info(nodes, 3, "replication");
                Map<String, String> oldMaster = info(nodes, 0, "replication");
                return newMaster.get("role").equals("master") && oldMaster.get("role").equals("slave")
                        && oldMaster.get("master_port").equals(Integer.toString(nodes.port(3)))
                        && oldMaster.get("master_link_status").equals("up");
            });
            Map<String, String> stats = info(nodes, 3, "stats");
            assertEquals("1", stats.get("sync_partial_ok"));
            assertEquals("0", stats.get("sync_full"));
            assertEquals(oldReplid, info(nodes, 3, "replication").get("master_replid2"));
            for (String key : keys) {
                assertEquals(Reply.bulk(key), nodes.call(3, "GET", key));
                assertEquals(Reply.bulk(key), readOnReplica(nodes, 0, "GET", key));
            }

            nodes.call(3, "SET", keys.get(0), "after");
            Wait.until("the old master applies the new master's writes",
                    () -> readOnReplica(nodes, 0, "GET", keys.get(0)).equals(Reply.bulk("after")));
            int slot = KeySlot.of(keys.get(1).getBytes(UTF_8));
            assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + nodes.port(3)),
                    nodes.call(0, "SET", keys.get(1), "x"));
        }
    }
}
