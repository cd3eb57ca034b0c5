package dev.clusteremu.server;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;
import dev.clusteremu.cluster.config.NodeLine;
import dev.clusteremu.cluster.config.NodesConf;

/**
 * The cluster {@code redis-cli --cluster create --cluster-replicas R} would build from a list of nodes,
 * written as each node's nodes.conf, so the nodes start already joined instead of going through MEET:
 * the first N/(R+1) nodes are masters with the slots split the way redis-cli splits them; replica i
 * follows master i mod masters; config epochs 1..N in node order (CLUSTER SET-CONFIG-EPOCH), so
 * currentEpoch is N everywhere. What the nodes do next — connect, PING, gossip — is the real protocol.
 */
public final class ClusterBootstrap {
    private ClusterBootstrap() {
    }

    /** How many masters N nodes give with R replicas each; redis-cli refuses fewer than 3. */
    public static int masterCount(int nodes, int replicas) {
        return nodes / (replicas + 1);
    }

    /** The slot range of master {@code i} of {@code masters}, computed in float as redis-cli does. */
    public static int[] slotRange(int i, int masters) {
        float slotsPerNode = KeySlot.SLOTS / (float) masters;
        long first = 0;
        float cursor = 0.0f;
        for (int m = 0; ; m++) {
            long last = Math.round((double) (cursor + slotsPerNode - 1));
            if (last > KeySlot.SLOTS || m == masters - 1) {
                last = KeySlot.SLOTS - 1;
            }
            if (last < first) {
                last = first;
            }
            if (m == i) {
                return new int[] {(int) first, (int) last};
            }
            first = last + 1;
            cursor += slotsPerNode;
        }
    }

    /**
     * One nodes.conf per node, in the order of {@code ports}.
     *
     * @param ids      node ids, one per port
     * @param ip       the address every node is reachable at
     */
    public static List<NodesConf> configs(List<Integer> ports, List<String> ids, String ip, int replicas) {
        int n = ports.size();
        int masters = masterCount(n, replicas);
        if (masters < 3) {
            throw new IllegalArgumentException("Redis Cluster requires at least 3 master nodes: not possible with "
                    + n + " nodes and " + replicas + " replicas per node (at least " + 3 * (replicas + 1)
                    + " nodes are required)");
        }
        List<NodesConf> confs = new ArrayList<>();
        for (int self = 0; self < n; self++) {
            List<NodeLine> lines = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                boolean isMaster = k < masters;
                int masterIndex = isMaster ? k : (k - masters) % masters;
                SlotBitmap slots = new SlotBitmap();
                if (isMaster) {
                    int[] range = slotRange(k, masters);
                    for (int s = range[0]; s <= range[1]; s++) {
                        slots.set(s);
                    }
                }
                int flags = (isMaster ? NodeFlags.MASTER : NodeFlags.SLAVE) | (k == self ? NodeFlags.MYSELF : 0);
                int port = ports.get(k);
                lines.add(new NodeLine(ids.get(k), ip, port, port + 10000, "", flags,
                        isMaster ? null : ids.get(masterIndex), 0, 0, masterIndex + 1L, k == self, slots,
                        new TreeMap<>(), new TreeMap<>()));
            }
            confs.add(new NodesConf(lines, n, 0));
        }
        return confs;
    }
}
