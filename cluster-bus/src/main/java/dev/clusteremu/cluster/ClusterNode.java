package dev.clusteremu.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One entry of a node's cluster table ({@code clusterNode} in cluster.h): what this node believes about a
 * peer, or about itself (flag MYSELF). Owned by the node's event loop; never shared between nodes.
 */
public final class ClusterNode {
    String name;
    int flags;
    long configEpoch;
    final SlotBitmap slots = new SlotBitmap();
    final List<ClusterNode> replicas = new ArrayList<>();
    /** The master of a replica; may be null even for a replica whose master we don't know. */
    ClusterNode master;
    final long ctime;
    long pingSent;
    long pongReceived;
    long dataReceived;
    long failTime;
    long votedTime;
    long replOffsetTime;
    long orphanedTime;
    long replOffset;
    String ip = "";
    String hostname = "";
    int port;
    int pport;
    int cport;
    /** Outbound link: the one we connect and PING on; a PONG counts only here. */
    BusLink link;
    /** Inbound link: accepted from this peer, used to answer its PINGs. */
    BusLink inboundLink;
    final List<FailureReport> failReports = new ArrayList<>();
    /** Number of the last PING whose gossip section carried this node, so one PING never repeats it. */
    long lastInPingGossip;

    ClusterNode(String name, int flags, long now) {
        this.name = name;
        this.flags = flags;
        this.ctime = now;
    }

    /** A failure report: master {@code reporter} said, last at {@code time}, that this node is PFAIL or FAIL. */
    static final class FailureReport {
        final ClusterNode reporter;
        long time;

        FailureReport(ClusterNode reporter, long time) {
            this.reporter = reporter;
            this.time = time;
        }
    }

    public String name() {
        return name;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isMaster() {
        return hasFlag(NodeFlags.MASTER);
    }

    public boolean isReplica() {
        return hasFlag(NodeFlags.SLAVE);
    }

    public boolean isMyself() {
        return hasFlag(NodeFlags.MYSELF);
    }

    public boolean inHandshake() {
        return hasFlag(NodeFlags.HANDSHAKE);
    }

    public boolean isFailed() {
        return hasFlag(NodeFlags.FAIL);
    }

    public boolean isTimedOut() {
        return hasFlag(NodeFlags.PFAIL);
    }

    public boolean hasAddress() {
        return !hasFlag(NodeFlags.NOADDR);
    }

    public long configEpoch() {
        return configEpoch;
    }

    public ClusterNode master() {
        return master;
    }

    public List<ClusterNode> replicas() {
        return Collections.unmodifiableList(replicas);
    }

    public int slotCount() {
        return slots.count();
    }

    public boolean ownsSlot(int slot) {
        return slots.get(slot);
    }

    public String ip() {
        return ip;
    }

    public String hostname() {
        return hostname;
    }

    public int port() {
        return port;
    }

    public int cport() {
        return cport;
    }

    public long pingSent() {
        return pingSent;
    }

    public long pongReceived() {
        return pongReceived;
    }

    public long replOffset() {
        return replOffset;
    }

    /** Whether we hold an outbound link to it, which CLUSTER NODES shows as "connected". */
    public boolean isConnected() {
        return link != null || isMyself();
    }

    /** The configEpoch shown for this node: a replica shows its master's. */
    public long shownConfigEpoch() {
        return isReplica() && master != null ? master.configEpoch : configEpoch;
    }

    // ---- master/replica bookkeeping (clusterNodeAddSlave / clusterNodeRemoveSlave) ----

    boolean addReplica(ClusterNode replica) {
        if (replicas.contains(replica)) {
            return false;
        }
        replicas.add(replica);
        // A master that has (had) replicas is a valid target for replica migration.
        flags |= NodeFlags.MIGRATE_TO;
        return true;
    }

    boolean removeReplica(ClusterNode replica) {
        boolean removed = replicas.remove(replica);
        if (replicas.isEmpty()) {
            flags &= ~NodeFlags.MIGRATE_TO;
        }
        return removed;
    }

    int nonFailingReplicas() {
        int ok = 0;
        for (ClusterNode r : replicas) {
            if (!r.isFailed()) {
                ok++;
            }
        }
        return ok;
    }

    @Override
    public String toString() {
        return name + " " + ip + ":" + port + "@" + cport + " " + NodeFlags.describe(flags);
    }
}
