package dev.clusteremu.cluster;

import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.cluster.wire.ClusterMessage;
import dev.clusteremu.cluster.wire.MessageBody;
import dev.clusteremu.cluster.wire.MessageHeader;
import dev.clusteremu.cluster.wire.MessageType;

/**
 * Replica promotion (cluster.c, "SLAVE node specific functions", "slave migration", "manual failover"):
 * votes given by masters, the replica's election, manual failover and replica migration.
 *
 * <p>An election: when its master is FAIL, a replica waits 500 ms (for the FAIL to spread) + up to 500 ms
 * random (to avoid split votes) + 1 s per replica with a better offset (so the most up-to-date one usually
 * wins), bumps currentEpoch and asks every node for a vote. Each master votes once per epoch. A majority
 * of the slot-owning masters makes the replica the new master with configEpoch = the election epoch, which
 * beats the old master's claim everywhere.
 */
final class Failover {
    /** CLUSTER_CANT_FAILOVER_* reasons, logged when a replica is stuck. */
    static final int CANT_NONE = 0;
    static final int CANT_DATA_AGE = 1;
    static final int CANT_WAITING_DELAY = 2;
    static final int CANT_EXPIRED = 3;
    static final int CANT_WAITING_VOTES = 4;
    static final long CANT_FAILOVER_RELOG_PERIOD_MS = 300_000;
    /** Time limit of a manual failover (CLUSTER_MF_TIMEOUT); the master pauses writes twice as long. */
    static final long MF_TIMEOUT = 5000;
    static final int MF_PAUSE_MULT = 2;
    /** An orphaned master must stay orphaned this long before a replica migrates to it. */
    static final long REPLICA_MIGRATION_DELAY = 5000;

    private final Cluster cluster;
    private final ClusterState state;
    private long lastCantFailoverLog;

    Failover(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    // ---- voting (the master side) ----

    /** Grants our vote to {@code node} if every rule allows it (clusterSendFailoverAuthIfNeeded). */
    void handleAuthRequest(ClusterNode node, MessageHeader request) {
        ClusterNode myself = state.myself;
        ClusterNode master = node.master;
        boolean forceAck = (request.messageFlags() & MessageHeader.FLAG_FORCEACK) != 0;
        long now = cluster.now();

        // Only masters serving slots vote: they are the electorate the quorum is counted on.
        if (myself.isReplica() || myself.slotCount() == 0) {
            return;
        }
        if (request.currentEpoch() < state.currentEpoch) {
            cluster.log.warning("Failover auth denied to " + node.name + ": reqEpoch (" + request.currentEpoch()
                    + ") < curEpoch(" + state.currentEpoch + ")");
            return;
        }
        if (state.lastVoteEpoch == state.currentEpoch) {
            cluster.log.warning("Failover auth denied to " + node.name + ": already voted for epoch "
                    + state.currentEpoch);
            return;
        }
        if (node.isMaster() || master == null || (!master.isFailed() && !forceAck)) {
            if (node.isMaster()) {
                cluster.log.warning("Failover auth denied to " + node.name + ": it is a master node");
            } else if (master == null) {
                cluster.log.warning("Failover auth denied to " + node.name + ": I don't know its master");
            } else {
                cluster.log.warning("Failover auth denied to " + node.name + ": its master is up");
            }
            return;
        }
        // One vote per master per two timeouts: not needed for safety, but keeps elections orderly.
        long sinceVote = now - master.votedTime;
        if (sinceVote < cluster.settings.nodeTimeout * 2) {
            cluster.log.warning("Failover auth denied to " + node.name + ": can't vote about this master before "
                    + (cluster.settings.nodeTimeout * 2 - sinceVote) + " milliseconds");
            return;
        }
        // The claimed slots must not belong, in our view, to a master with a newer config.
        byte[] claimed = request.myslots();
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (!SlotBitmap.test(claimed, j) || state.isSlotUnclaimed(j)
                    || state.slots[j].configEpoch <= request.configEpoch()) {
                continue;
            }
            cluster.log.warning("Failover auth denied to " + node.name + ": slot " + j + " epoch ("
                    + state.slots[j].configEpoch + ") > reqEpoch (" + request.configEpoch() + ")");
            return;
        }
        state.lastVoteEpoch = state.currentEpoch;
        master.votedTime = now;
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_FSYNC_CONFIG);
        if (node.link != null) {
            node.link.send(new ClusterMessage(cluster.gossip.header(MessageType.FAILOVER_AUTH_ACK),
                    MessageBody.Empty.INSTANCE));
        }
        cluster.log.warning("Failover auth granted to " + node.name + " for epoch " + state.currentEpoch);
    }

    /** Counts a vote from a slot-owning master for the election we started. */
    void handleAuthAck(ClusterNode sender, long senderCurrentEpoch) {
        if (sender.isMaster() && sender.slotCount() > 0 && senderCurrentEpoch >= state.failoverAuthEpoch) {
            state.failoverAuthCount++;
            state.todo(ClusterState.TODO_HANDLE_FAILOVER);
        }
    }

    // ---- the election (the replica side) ----

    /** Our rank among our master's replicas: how many that can fail over have a greater offset. */
    int replicaRank() {
        ClusterNode master = state.myself.master;
        if (master == null) {
            return 0;
        }
        long myOffset = cluster.data.replicationOffset();
        int rank = 0;
        for (ClusterNode r : master.replicas) {
            if (r != state.myself && !r.hasFlag(NodeFlags.NOFAILOVER) && r.replOffset > myOffset) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Runs (a step of) the election when our master is FAIL or a manual failover may start
     * (clusterHandleSlaveFailover): schedule, ask for votes, and with a majority take over.
     */
    void handleReplicaFailover() {
        ClusterNode myself = state.myself;
        long now = cluster.now();
        long authAge = now - state.failoverAuthTime;
        int neededQuorum = state.size / 2 + 1;
        boolean manualFailover = state.mfEnd != 0 && state.mfCanStart;
        long authTimeout = Math.max(cluster.settings.nodeTimeout * 2, 2000);
        long authRetryTime = authTimeout * 2;
        state.todoBeforeSleep &= ~ClusterState.TODO_HANDLE_FAILOVER;

        if (myself.isMaster() || myself.master == null || (!myself.master.isFailed() && !manualFailover)
                || (cluster.settings.replicaNoFailover && !manualFailover) || myself.master.slotCount() == 0) {
            state.cantFailoverReason = CANT_NONE;
            return;
        }

        // Being cut off from the master for the time it took to flag it FAIL is expected; beyond the
        // validity limit our data is too old to take over (unless the operator asked for it).
        long dataAge = cluster.data.masterDataAgeMs();
        if (dataAge > cluster.settings.nodeTimeout) {
            dataAge -= cluster.settings.nodeTimeout;
        }
        if (cluster.settings.replicaValidityFactor != 0 && dataAge > cluster.settings.replPingReplicaPeriod * 1000L
                + cluster.settings.nodeTimeout * cluster.settings.replicaValidityFactor) {
            if (!manualFailover) {
                logCantFailover(CANT_DATA_AGE);
                return;
            }
        }

        if (authAge > authRetryTime) {
            state.failoverAuthTime = now + 500 + ThreadLocalRandom.current().nextInt(500);
            state.failoverAuthCount = 0;
            state.failoverAuthSent = false;
            state.failoverAuthRank = replicaRank();
            state.failoverAuthTime += state.failoverAuthRank * 1000L;
            if (state.mfEnd != 0) {
                // The operator asked: no reason to wait.
                state.failoverAuthTime = now;
                state.failoverAuthRank = 0;
                state.todo(ClusterState.TODO_HANDLE_FAILOVER);
            }
            cluster.log.warning("Start of election delayed for " + (state.failoverAuthTime - now)
                    + " milliseconds (rank #" + state.failoverAuthRank + ", offset " + cluster.data.replicationOffset()
                    + ").");
            // Tell the other replicas our offset, so that they can rank themselves against it.
            cluster.gossip.broadcastPong(true);
            return;
        }

        if (!state.failoverAuthSent && state.mfEnd == 0) {
            int newRank = replicaRank();
            if (newRank > state.failoverAuthRank) {
                long addedDelay = (newRank - state.failoverAuthRank) * 1000L;
                state.failoverAuthTime += addedDelay;
                state.failoverAuthRank = newRank;
                cluster.log.warning("Replica rank updated to #" + newRank + ", added " + addedDelay
                        + " milliseconds of delay.");
            }
        }

        if (now < state.failoverAuthTime) {
            logCantFailover(CANT_WAITING_DELAY);
            return;
        }
        if (authAge > authTimeout) {
            logCantFailover(CANT_EXPIRED);
            return;
        }

        if (!state.failoverAuthSent) {
            state.currentEpoch++;
            state.failoverAuthEpoch = state.currentEpoch;
            cluster.log.warning("Starting a failover election for epoch " + state.currentEpoch + ".");
            MessageHeader hdr = cluster.gossip.header(MessageType.FAILOVER_AUTH_REQUEST);
            if (state.mfEnd != 0) {
                // Manual failover: masters vote even though our master is up.
                hdr = hdr.withMessageFlags(hdr.messageFlags() | MessageHeader.FLAG_FORCEACK);
            }
            cluster.gossip.broadcast(new ClusterMessage(hdr, MessageBody.Empty.INSTANCE));
            state.failoverAuthSent = true;
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE
                    | ClusterState.TODO_FSYNC_CONFIG);
            return;
        }

        if (state.failoverAuthCount >= neededQuorum) {
            cluster.log.warning("Failover election won: I'm the new master.");
            if (myself.configEpoch < state.failoverAuthEpoch) {
                myself.configEpoch = state.failoverAuthEpoch;
                cluster.log.warning("configEpoch set to " + myself.configEpoch + " after successful failover");
            }
            replaceMyMaster();
        } else {
            logCantFailover(CANT_WAITING_VOTES);
        }
    }

    /**
     * The end of every failover (clusterFailoverReplaceYourMaster): become master, take the old master's
     * slots, persist, and PONG everyone so the cluster learns the new config at once.
     */
    void replaceMyMaster() {
        ClusterNode myself = state.myself;
        ClusterNode oldMaster = myself.master;
        if (myself.isMaster() || oldMaster == null) {
            return;
        }
        state.setNodeAsMaster(myself);
        cluster.log.setRole(false);
        cluster.data.stopReplicating();
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (oldMaster.slots.get(j)) {
                state.deleteSlot(j);
                state.addSlot(myself, j);
            }
        }
        cluster.stateEvaluator.update();
        cluster.saveConfig(true);
        cluster.gossip.broadcastPong(false);
        resetManualFailover();
    }

    private void logCantFailover(int reason) {
        long now = cluster.now();
        if (reason == state.cantFailoverReason && now - lastCantFailoverLog < CANT_FAILOVER_RELOG_PERIOD_MS) {
            return;
        }
        state.cantFailoverReason = reason;
        // Stay quiet while the master failed only recently: this log is for replicas stuck for long.
        ClusterNode master = state.myself.master;
        if (master != null && master.isFailed() && now - master.failTime < cluster.settings.nodeTimeout + 5000) {
            return;
        }
        String msg = switch (reason) {
            case CANT_DATA_AGE -> "Disconnected from master for longer than allowed. Please check the "
                    + "'cluster-replica-validity-factor' configuration option.";
            case CANT_WAITING_DELAY -> "Waiting the delay before I can start a new failover.";
            case CANT_EXPIRED -> "Failover attempt expired.";
            case CANT_WAITING_VOTES -> "Waiting for votes, but majority still not reached.";
            default -> "Unknown reason code.";
        };
        lastCantFailoverLog = now;
        cluster.log.warning("Currently unable to failover: " + msg);
    }

    // ---- replica migration ----

    /**
     * Moves myself to an orphaned master (clusterHandleReplicaMigration) if my master keeps more than
     * migration-barrier working replicas and I am the replica with the smallest id among the masters with
     * the most replicas. The orphan must stay orphaned a while, to let its own replicas announce themselves
     * after a failover.
     */
    void handleReplicaMigration(int maxReplicas) {
        ClusterNode myself = state.myself;
        ClusterNode myMaster = myself.master;
        if (state.state != ClusterState.STATE_OK || myMaster == null) {
            return;
        }
        int okReplicas = 0;
        for (ClusterNode r : myMaster.replicas) {
            if (!r.isFailed() && !r.isTimedOut()) {
                okReplicas++;
            }
        }
        if (okReplicas <= cluster.settings.migrationBarrier) {
            return;
        }
        long now = cluster.now();
        ClusterNode target = null;
        ClusterNode candidate = myself;
        for (ClusterNode node : state.nodeList()) {
            int nodeOkReplicas = node.isMaster() ? node.nonFailingReplicas() : 0;
            boolean orphaned = !node.isReplica() && !node.isFailed() && node.hasFlag(NodeFlags.MIGRATE_TO)
                    && nodeOkReplicas == 0;
            if (orphaned) {
                if (target == null && node.slotCount() > 0) {
                    target = node;
                }
                if (node.orphanedTime == 0) {
                    node.orphanedTime = now;
                }
            } else {
                node.orphanedTime = 0;
            }
            if (nodeOkReplicas == maxReplicas) {
                for (ClusterNode r : node.replicas) {
                    if (r.name.compareTo(candidate.name) < 0) {
                        candidate = r;
                    }
                }
            }
        }
        if (target != null && candidate == myself && now - target.orphanedTime > REPLICA_MIGRATION_DELAY) {
            cluster.log.warning("Migrating to orphaned master " + target.name);
            cluster.setMaster(target);
        }
    }

    // ---- manual failover ----

    /** Clears manual failover state on either side; a paused master resumes writes. */
    void resetManualFailover() {
        if (state.mfReplica != null) {
            cluster.data.unpauseWrites();
        }
        state.mfEnd = 0;
        state.mfCanStart = false;
        state.mfReplica = null;
        state.mfMasterOffset = -1;
    }

    void checkManualFailoverTimeout() {
        if (state.mfEnd != 0 && state.mfEnd < cluster.now()) {
            cluster.log.warning("Manual failover timed out.");
            resetManualFailover();
        }
    }

    /** Replica side: once our offset reaches the paused master's, the election may start. */
    void handleManualFailover() {
        if (state.mfEnd == 0 || state.mfCanStart || state.mfMasterOffset == -1) {
            return;
        }
        if (state.mfMasterOffset == cluster.data.replicationOffset()) {
            state.mfCanStart = true;
            cluster.log.warning("All master replication stream processed, manual failover can start.");
            state.todo(ClusterState.TODO_HANDLE_FAILOVER);
            return;
        }
        state.todo(ClusterState.TODO_HANDLE_MANUALFAILOVER);
    }

    /** Master side of MFSTART: pause writes, remember the replica, and PING it with our (now final) offset. */
    void handleManualFailoverStart(BusLink link, ClusterNode replica) {
        long now = cluster.now();
        resetManualFailover();
        state.mfEnd = now + MF_TIMEOUT;
        state.mfReplica = replica;
        cluster.data.pauseWrites(now + MF_TIMEOUT * MF_PAUSE_MULT);
        cluster.log.warning("Manual failover requested by replica " + replica.name + ".");
        cluster.gossip.sendPing(link, MessageType.PING);
    }

    /** Replica side: the first header from our paused master carries the offset we must reach. */
    void noteMasterOffsetIfPaused(ClusterNode sender, MessageHeader hdr) {
        if (state.mfEnd != 0 && state.myself.isReplica() && state.myself.master == sender
                && (hdr.messageFlags() & MessageHeader.FLAG_PAUSED) != 0 && state.mfMasterOffset == -1) {
            state.mfMasterOffset = sender.replOffset;
            state.todo(ClusterState.TODO_HANDLE_MANUALFAILOVER);
            cluster.log.warning("Received replication offset for paused master manual failover: "
                    + state.mfMasterOffset);
        }
    }

    /**
     * CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica, after the caller checked its preconditions. Default:
     * ask the master to pause (MFSTART) and fail over once caught up. FORCE: elect at once. TAKEOVER: no
     * election at all, a new configEpoch of our own.
     */
    void startManualFailover(boolean force, boolean takeover) {
        resetManualFailover();
        state.mfEnd = cluster.now() + MF_TIMEOUT;
        if (takeover) {
            cluster.log.warning("Taking over the master (user request).");
            cluster.epochs.bumpWithoutConsensus();
            replaceMyMaster();
        } else if (force) {
            cluster.log.warning("Forced failover user request accepted.");
            state.mfCanStart = true;
        } else {
            cluster.log.warning("Manual failover user request accepted.");
            ClusterNode master = state.myself.master;
            if (master.link != null) {
                master.link.send(new ClusterMessage(cluster.gossip.header(MessageType.MFSTART),
                        MessageBody.Empty.INSTANCE));
            }
        }
    }
}
