package dev.clusteremu.cluster;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.cluster.wire.MessageType;

/**
 * The cluster's 10 Hz timer (clusterCron): reconnect links, expire handshakes, ping, detect timeouts,
 * and drive replica duties. The cadence matters: failure detection and the election delays are stated in
 * terms of these ticks.
 */
final class ClusterCron {
    static final long PERIOD_MS = 100;

    private final Cluster cluster;
    private final ClusterState state;
    private long iteration;

    ClusterCron(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    void run() {
        iteration++;
        long now = cluster.now();
        ClusterSettings s = cluster.settings;
        cluster.updateMyselfAnnounced();

        // A node still in HANDSHAKE after this long never answered: forget it. At least 1 s, so that a
        // tiny node timeout doesn't make MEET impossible.
        long handshakeTimeout = Math.max(s.nodeTimeout, 1000);
        state.pfailNodes = 0;
        for (ClusterNode node : state.nodeList()) {
            if (node.hasFlag(NodeFlags.MYSELF | NodeFlags.NOADDR)) {
                continue;
            }
            if (node.isTimedOut()) {
                state.pfailNodes++;
            }
            if (node.inHandshake() && now - node.ctime > handshakeTimeout) {
                state.deleteNode(node);
                continue;
            }
            if (node.link == null) {
                cluster.transport.connect(node);
            }
        }

        // Once a second, ping the node with the oldest pong among 5 random ones.
        if (iteration % 10 == 0) {
            pingOldestOfRandomFive();
        }

        int orphanedMasters = 0;
        int maxReplicas = 0;
        int myMastersReplicas = 0;
        boolean updateState = false;
        for (ClusterNode node : state.nodeList()) {
            now = cluster.now();
            if (node.hasFlag(NodeFlags.MYSELF | NodeFlags.NOADDR | NodeFlags.HANDSHAKE)) {
                continue;
            }
            if (state.myself.isReplica() && node.isMaster() && !node.isFailed()) {
                int okReplicas = node.nonFailingReplicas();
                // Orphaned: serves slots, has no working replica, but used to have one (MIGRATE_TO).
                if (okReplicas == 0 && node.slotCount() > 0 && node.hasFlag(NodeFlags.MIGRATE_TO)) {
                    orphanedMasters++;
                }
                maxReplicas = Math.max(maxReplicas, okReplicas);
                if (state.myself.master == node) {
                    myMastersReplicas = okReplicas;
                }
            }

            long pingDelay = now - node.pingSent;
            long dataDelay = now - node.dataReceived;
            // Connected, waiting for a pong over half the timeout, and no traffic at all: the link may be
            // dead even if the node is alive. Reconnect.
            if (node.link != null && now - node.link.ctime > s.nodeTimeout && node.pingSent != 0
                    && pingDelay > s.nodeTimeout / 2 && dataDelay > s.nodeTimeout / 2) {
                node.link.close();
            }
            // Nobody is pinged less often than every half node timeout.
            if (node.link != null && node.pingSent == 0 && now - node.pongReceived > s.nodeTimeout / 2) {
                cluster.gossip.sendPing(node.link, MessageType.PING);
                continue;
            }
            if (state.mfEnd != 0 && state.myself.isMaster() && state.mfReplica == node && node.link != null) {
                // A replica is doing a manual failover with us: keep it updated with our offset.
                cluster.gossip.sendPing(node.link, MessageType.PING);
                continue;
            }
            if (node.pingSent == 0) {
                continue;
            }
            // Any data received counts as a sign of life, not only the pong.
            long nodeDelay = Math.min(pingDelay, dataDelay);
            if (nodeDelay > s.nodeTimeout && !node.hasFlag(NodeFlags.PFAIL | NodeFlags.FAIL)) {
                cluster.log.debug("*** NODE " + node.name + " possibly failing");
                node.flags |= NodeFlags.PFAIL;
                updateState = true;
            }
        }

        ClusterNode myself = state.myself;
        if (myself.isReplica() && !cluster.data.isReplicationConfigured() && myself.master != null
                && myself.master.hasAddress()) {
            cluster.data.replicateFrom(myself.master.ip, myself.master.port);
        }

        cluster.failover.checkManualFailoverTimeout();
        if (myself.isReplica()) {
            cluster.failover.handleManualFailover();
            cluster.failover.handleReplicaFailover();
            // Only consider migrating when some master has at least two working replicas to spare one.
            if (orphanedMasters > 0 && maxReplicas >= 2 && myMastersReplicas == maxReplicas
                    && s.allowReplicaMigration) {
                cluster.failover.handleReplicaMigration(maxReplicas);
            }
        }

        if (updateState || state.state == ClusterState.STATE_FAIL) {
            cluster.stateEvaluator.update();
        }
    }

    private void pingOldestOfRandomFive() {
        List<ClusterNode> all = state.nodeList();
        ClusterNode minPongNode = null;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int j = 0; j < 5; j++) {
            ClusterNode n = all.get(random.nextInt(all.size()));
            if (n.link == null || n.pingSent != 0 || n.hasFlag(NodeFlags.MYSELF | NodeFlags.HANDSHAKE)) {
                continue;
            }
            if (minPongNode == null || minPongNode.pongReceived > n.pongReceived) {
                minPongNode = n;
            }
        }
        if (minPongNode != null) {
            cluster.log.debug("Pinging node " + minPongNode.name);
            cluster.gossip.sendPing(minPongNode.link, MessageType.PING);
        }
    }
}
