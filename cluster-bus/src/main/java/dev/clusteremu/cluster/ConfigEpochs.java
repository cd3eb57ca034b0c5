package dev.clusteremu.cluster;

/**
 * configEpoch handling (cluster.c, "config epoch handling"). A configEpoch versions a master's claim on its
 * slots: the greater epoch wins. Epochs normally come from elections, which make them unique; the two
 * exceptions below assign one without consensus, and the collision rule repairs any duplicate.
 */
final class ConfigEpochs {
    private final Cluster cluster;
    private final ClusterState state;

    ConfigEpochs(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    /**
     * Gives myself a new, greatest configEpoch without asking anyone (clusterBumpConfigEpochWithoutConsensus),
     * unless it is already non-zero and the greatest known. Used when closing an imported slot (a vote per
     * slot would make resharding too slow) and by CLUSTER FAILOVER TAKEOVER. Returns whether it changed.
     */
    boolean bumpWithoutConsensus() {
        long maxEpoch = state.maxEpoch();
        ClusterNode myself = state.myself;
        if (myself.configEpoch == 0 || myself.configEpoch != maxEpoch) {
            state.currentEpoch++;
            myself.configEpoch = state.currentEpoch;
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_FSYNC_CONFIG);
            cluster.log.warning("New configEpoch set to " + myself.configEpoch);
            return true;
        }
        return false;
    }

    /**
     * Resolves two masters sharing a configEpoch (clusterHandleConfigEpochCollision).
     *
     * <p>BACKGROUND: elections can't produce equal epochs, but epochs taken without consensus can, and a new
     * cluster starts with every master at the same epoch. Equal epochs are harmless for disjoint slots but
     * would leave no winner if two masters ever claimed the same slots.
     *
     * <p>BEHAVIOR: the node with the lexicographically smaller id takes currentEpoch+1; the greatest id never
     * moves, so all colliding nodes end on distinct epochs.
     */
    void handleCollision(ClusterNode sender) {
        ClusterNode myself = state.myself;
        if (sender.configEpoch != myself.configEpoch || !sender.isMaster() || !myself.isMaster()) {
            return;
        }
        if (sender.name.compareTo(myself.name) <= 0) {
            return;
        }
        state.currentEpoch++;
        myself.configEpoch = state.currentEpoch;
        cluster.saveConfig(true);
        cluster.log.verbose("WARNING: configEpoch collision with node " + sender.name + ". configEpoch set to "
                + myself.configEpoch);
    }
}
