package dev.clusteremu.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.cluster.wire.MessageType;

/**
 * One node's view of the cluster ({@code clusterState} in cluster.h): the node table, epochs, who owns
 * each slot, open slots, and the bookkeeping of elections and stats. The table operations here keep the
 * cross references consistent (slot owners, master/replica links, failure reports), as
 * clusterAddNode / clusterDelNode / clusterAddSlot / clusterDelSlot do.
 */
final class ClusterState {
    static final int STATE_OK = 0;
    static final int STATE_FAIL = 1;

    // Things to do before the event loop sleeps again (CLUSTER_TODO_*), set during a tick, done once.
    static final int TODO_HANDLE_FAILOVER = 1;
    static final int TODO_UPDATE_STATE = 1 << 1;
    static final int TODO_SAVE_CONFIG = 1 << 2;
    static final int TODO_FSYNC_CONFIG = 1 << 3;
    static final int TODO_HANDLE_MANUALFAILOVER = 1 << 4;

    /** FORGET keeps a node id out of the table this long, so gossip from nodes that still know it can't
     *  re-add it while redis-cli sends FORGET to every node (CLUSTER_BLACKLIST_TTL). */
    static final long BLACKLIST_TTL_MS = 60_000;

    ClusterNode myself;
    long currentEpoch;
    long lastVoteEpoch;
    int state = STATE_FAIL;
    /** Number of masters serving at least one slot: the electorate for failure agreement and votes. */
    int size = 1;
    final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    final Map<String, Long> blacklist = new HashMap<>();
    final ClusterNode[] slots = new ClusterNode[KeySlot.SLOTS];
    final ClusterNode[] migratingSlotsTo = new ClusterNode[KeySlot.SLOTS];
    final ClusterNode[] importingSlotsFrom = new ClusterNode[KeySlot.SLOTS];
    /** Slots whose owner stopped claiming them in its PINGs; we keep the binding but send no UPDATE about it. */
    final SlotBitmap ownerNotClaimingSlot = new SlotBitmap();

    // Replica election state.
    long failoverAuthTime;
    int failoverAuthCount;
    boolean failoverAuthSent;
    int failoverAuthRank;
    long failoverAuthEpoch;
    int cantFailoverReason;

    // Manual failover state.
    long mfEnd;
    ClusterNode mfReplica;
    long mfMasterOffset = -1;
    boolean mfCanStart;

    int todoBeforeSleep;
    /** Called before a slot that myself's shard served is unassigned (sharded pub/sub cleanup). */
    java.util.function.IntConsumer onSlotRemoved = slot -> { };

    /** Whether {@code node} is {@code owner}'s master or one of its master's replicas (clusterGetNodesServingMySlots). */
    private static boolean servesSameSlots(ClusterNode owner, ClusterNode node) {
        ClusterNode primary = owner.isMaster() ? owner : owner.master;
        if (primary == null || node == null) {
            return false;
        }
        return node == primary || primary.replicas.contains(node);
    }

    /** Called when a todo flag is set, so the owner can schedule its before-sleep pass. */
    Runnable onTodo = () -> { };
    final long[] messagesSent = new long[MessageType.COUNT];
    final long[] messagesReceived = new long[MessageType.COUNT];
    int pfailNodes;
    long linksBufferLimitExceeded;

    /** A random node name: 40 lowercase hex chars, as getRandomHexChars makes them. */
    static String randomName() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[40];
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.forDigit(r.nextInt(16), 16);
        }
        return new String(c);
    }

    /** Whether {@code name} is a well-formed node id: exactly 40 chars of [a-z0-9] (verifyClusterNodeId). */
    static boolean isValidName(String name) {
        if (name == null || name.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9')) {
                return false;
            }
        }
        return true;
    }

    void todo(int flags) {
        todoBeforeSleep |= flags;
        onTodo.run();
    }

    ClusterNode lookup(String name) {
        return isValidName(name) ? nodes.get(name) : null;
    }

    List<ClusterNode> nodeList() {
        return new ArrayList<>(nodes.values());
    }

    void addNode(ClusterNode node) {
        if (nodes.putIfAbsent(node.name, node) != null) {
            throw new IllegalStateException("node already known: " + node.name);
        }
    }

    /**
     * Removes a node from the table (clusterDelNode): its slots become unassigned, its open-slot marks go,
     * the failure reports it sent are dropped, its replicas forget their master, and its links close.
     */
    void deleteNode(ClusterNode node) {
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (importingSlotsFrom[j] == node) {
                importingSlotsFrom[j] = null;
            }
            if (migratingSlotsTo[j] == node) {
                migratingSlotsTo[j] = null;
            }
            if (slots[j] == node) {
                deleteSlot(j);
            }
        }
        for (ClusterNode other : nodes.values()) {
            if (other != node) {
                FailureDetector.deleteReport(other, node);
            }
        }
        for (ClusterNode replica : node.replicas) {
            replica.master = null;
        }
        if (node.isReplica() && node.master != null) {
            node.master.removeReplica(node);
        }
        nodes.remove(node.name);
        if (node.link != null) {
            node.link.close();
        }
        if (node.inboundLink != null) {
            node.inboundLink.close();
        }
    }

    /** Gives a handshake node its real name once the peer told us (clusterRenameNode). */
    void renameNode(ClusterNode node, String newName) {
        nodes.remove(node.name);
        node.name = newName;
        addNode(node);
    }

    // ---- slots ----

    /** Assigns a free slot to {@code node}; false if the slot already has an owner. */
    boolean addSlot(ClusterNode node, int slot) {
        if (slots[slot] != null) {
            return false;
        }
        setSlotBit(node, slot);
        slots[slot] = node;
        return true;
    }

    /** Unassigns a slot; false if it had no owner. */
    boolean deleteSlot(int slot) {
        ClusterNode owner = slots[slot];
        if (owner == null) {
            return false;
        }
        if (servesSameSlots(owner, myself)) {
            onSlotRemoved.accept(slot);
        }
        owner.slots.clear(slot);
        slots[slot] = null;
        return true;
    }

    int deleteNodeSlots(ClusterNode node) {
        int deleted = 0;
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (node.slots.get(j)) {
                deleteSlot(j);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Sets a slot bit on a node. A master getting its first slot becomes a valid replica migration target
     * if any master has replicas, so that new masters added to a cluster with replicas get one
     * (redis/redis#3043).
     */
    private void setSlotBit(ClusterNode node, int slot) {
        if (!node.slots.set(slot) && node.slots.count() == 1 && mastersHaveReplicas()) {
            node.flags |= NodeFlags.MIGRATE_TO;
        }
    }

    private boolean mastersHaveReplicas() {
        for (ClusterNode n : nodes.values()) {
            if (!n.isReplica() && !n.replicas.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Clears every importing/migrating mark (at start, and when myself turns into a replica). */
    void closeAllSlots() {
        java.util.Arrays.fill(migratingSlotsTo, null);
        java.util.Arrays.fill(importingSlotsFrom, null);
    }

    /** A slot is unclaimed when nobody owns it, or when its owner stopped claiming it in its PINGs. */
    boolean isSlotUnclaimed(int slot) {
        return slots[slot] == null || ownerNotClaimingSlot.get(slot);
    }

    // ---- roles ----

    /** Turns a node we believed a replica into a master (clusterSetNodeAsMaster). */
    void setNodeAsMaster(ClusterNode node) {
        if (node.isMaster()) {
            return;
        }
        if (node.master != null) {
            node.master.removeReplica(node);
            if (node != myself) {
                // It failed over a master that had replicas: it may need one too.
                node.flags |= NodeFlags.MIGRATE_TO;
            }
        }
        node.flags &= ~NodeFlags.SLAVE;
        node.flags |= NodeFlags.MASTER;
        node.master = null;
        todo(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
    }

    // ---- epochs ----

    /** The greatest configEpoch known, or currentEpoch if greater (clusterGetMaxEpoch). */
    long maxEpoch() {
        long max = 0;
        for (ClusterNode n : nodes.values()) {
            max = Math.max(max, n.configEpoch);
        }
        return Math.max(max, currentEpoch);
    }

    // ---- blacklist ----

    void blacklistAdd(String name, long now) {
        blacklistCleanup(now);
        blacklist.put(name, now + BLACKLIST_TTL_MS);
    }

    boolean blacklisted(String name, long now) {
        blacklistCleanup(now);
        return blacklist.containsKey(name);
    }

    private void blacklistCleanup(long now) {
        // Redis stores expiry in whole seconds and drops entries strictly past it; ms precision is finer
        // but never earlier.
        for (Iterator<Long> it = blacklist.values().iterator(); it.hasNext(); ) {
            if (it.next() < now) {
                it.remove();
            }
        }
    }
}
