package dev.clusteremu.cluster;

/**
 * Rebinding slots when a master publishes a newer claim (clusterUpdateSlotsConfigWith), by PING/PONG or
 * UPDATE. The greater configEpoch wins each slot. If that leaves myself (or my master) without slots, the
 * winner is the new master of our shard and we follow it; a master that lost some slots but not all drops
 * the keys it still held for them.
 */
final class SlotConfig {
    private final Cluster cluster;
    private final ClusterState state;

    SlotConfig(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    void updateSlotsConfigWith(ClusterNode sender, long senderConfigEpoch, byte[] claimed) {
        ClusterNode myself = state.myself;
        if (sender == myself) {
            cluster.log.warning("Discarding UPDATE message about myself.");
            return;
        }
        ClusterNode curMaster = myself.isMaster() ? myself : myself.master;
        ClusterNode newMaster = null;
        int[] dirtySlots = new int[KeySlot.SLOTS];
        int dirtyCount = 0;
        int senderSlots = 0;
        int migratedOurSlots = 0;

        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (SlotBitmap.test(claimed, j)) {
                senderSlots++;
                if (state.slots[j] == sender) {
                    state.ownerNotClaimingSlot.clear(j);
                    continue;
                }
                // An importing slot is closed by hand (redis-cli), even if the source already gave it away.
                if (state.importingSlotsFrom[j] != null) {
                    continue;
                }
                if (state.isSlotUnclaimed(j) || state.slots[j].configEpoch < senderConfigEpoch) {
                    if (state.slots[j] == myself && cluster.data.countKeysInSlot(j) > 0) {
                        dirtySlots[dirtyCount++] = j;
                    }
                    if (state.slots[j] == curMaster) {
                        newMaster = sender;
                        migratedOurSlots++;
                    }
                    state.deleteSlot(j);
                    state.addSlot(sender, j);
                    state.ownerNotClaimingSlot.clear(j);
                    state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE
                            | ClusterState.TODO_FSYNC_CONFIG);
                }
            } else if (state.slots[j] == sender) {
                // The owner stopped claiming it (it moved away): keep the binding to avoid a CLUSTERDOWN
                // window, but remember not to spread this stale ownership with UPDATE messages.
                state.ownerNotClaimingSlot.set(j);
            }
        }

        if (newMaster != null && curMaster.slotCount() == 0
                && (cluster.settings.allowReplicaMigration || senderSlots == migratedOurSlots)) {
            cluster.log.warning("Configuration change detected. Reconfiguring myself as a replica of " + sender.name);
            cluster.setMaster(sender);
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_FSYNC_CONFIG);
        } else if (myself.master != null && myself.master.master != null && myself.master.master != myself) {
            // My master became a replica when its last slot left: follow the grandmaster instead. (A replica
            // of a replica of myself can only come from TAKEOVER misuse: leave that to the operator.)
            cluster.log.warning("I'm a sub-replica! Reconfiguring myself as a replica of grandmaster "
                    + myself.master.master.name);
            cluster.setMaster(myself.master.master);
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_FSYNC_CONFIG);
        } else if (dirtyCount > 0) {
            for (int i = 0; i < dirtyCount; i++) {
                cluster.data.deleteKeysInSlot(dirtySlots[i]);
            }
        }
    }
}
