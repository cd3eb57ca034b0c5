package dev.clusteremu.cluster;

/**
 * Computes cluster_state (clusterUpdateState): FAIL when, with full coverage required, a slot is unassigned
 * or owned by a FAIL node, or when we can reach only a minority of the slot-owning masters. A master is
 * slow to report OK on purpose: right after start, and after being in a minority, it waits so that it can
 * learn of a failover before accepting writes for slots it may have lost.
 */
final class StateEvaluator {
    /** Bounds of the rejoin delay after being in a minority partition (CLUSTER_MAX/MIN_REJOIN_DELAY). */
    static final long MAX_REJOIN_DELAY = 5000;
    static final long MIN_REJOIN_DELAY = 500;

    private final Cluster cluster;
    private final ClusterState state;
    private long firstCallTime;
    private long amongMinorityTime;

    StateEvaluator(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    void update() {
        state.todoBeforeSleep &= ~ClusterState.TODO_UPDATE_STATE;
        long now = cluster.now();
        ClusterNode myself = state.myself;
        if (firstCallTime == 0) {
            firstCallTime = now;
        }
        if (myself.isMaster() && state.state == ClusterState.STATE_FAIL
                && now - firstCallTime < cluster.settings.writableDelay) {
            return;
        }

        int newState = ClusterState.STATE_OK;
        if (cluster.settings.requireFullCoverage) {
            for (int j = 0; j < KeySlot.SLOTS; j++) {
                ClusterNode owner = state.slots[j];
                if (owner == null || owner.isFailed()) {
                    newState = ClusterState.STATE_FAIL;
                    break;
                }
            }
        }

        int reachableMasters = 0;
        state.size = 0;
        for (ClusterNode n : state.nodes.values()) {
            if (n.isMaster() && n.slotCount() > 0) {
                state.size++;
                if (!n.hasFlag(NodeFlags.FAIL | NodeFlags.PFAIL)) {
                    reachableMasters++;
                }
            }
        }
        if (reachableMasters < state.size / 2 + 1) {
            newState = ClusterState.STATE_FAIL;
            amongMinorityTime = now;
        }

        if (newState != state.state) {
            long rejoinDelay = Math.max(MIN_REJOIN_DELAY, Math.min(MAX_REJOIN_DELAY, cluster.settings.nodeTimeout));
            if (newState == ClusterState.STATE_OK && myself.isMaster() && now - amongMinorityTime < rejoinDelay) {
                return;
            }
            cluster.log.warning("Cluster state changed: " + (newState == ClusterState.STATE_OK ? "ok" : "fail"));
            state.state = newState;
        }
    }
}
