package dev.clusteremu.server;

import dev.clusteremu.cluster.DataSide;
import dev.clusteremu.server.net.ClientPause;

/**
 * The node's answers to its cluster layer: keys from the keyspace, replication from the node's
 * {@link dev.clusteremu.server.replication.Replication}, write pauses from its client pause.
 */
public final class NodeDataSide implements DataSide {
    private final RedisNode node;

    NodeDataSide(RedisNode node) {
        this.node = node;
    }

    @Override
    public long replicationOffset() {
        return node.replication().offset();
    }

    @Override
    public long countKeysInSlot(int slot) {
        return node.keyspace().countKeysInSlot(slot);
    }

    @Override
    public long keyCount() {
        return node.keyspace().size();
    }

    @Override
    public void deleteKeysInSlot(int slot) {
        node.keyspace().deleteKeysInSlot(slot);
    }

    @Override
    public void flushAll() {
        node.keyspace().clear();
    }

    @Override
    public void replicateFrom(String ip, int port) {
        node.replication().setMaster(ip, port);
    }

    @Override
    public void stopReplicating() {
        node.replication().unsetMaster();
    }

    @Override
    public boolean isReplicationConfigured() {
        return node.replication().isReplica();
    }

    @Override
    public long masterDataAgeMs() {
        return node.replication().masterDataAgeMs();
    }

    /**
     * A manual failover pauses writes on the master (pauseClients with PAUSE_DURING_FAILOVER and
     * CLIENT_PAUSE_WRITE) so its offset holds still while the replica catches up.
     */
    @Override
    public void pauseWrites(long untilMs) {
        node.clientPause().pause(ClientPause.Purpose.FAILOVER, untilMs, ClientPause.Type.WRITE);
    }

    @Override
    public void unpauseWrites() {
        node.clientPause().unpause(ClientPause.Purpose.FAILOVER);
    }

    /** A PUBLISH or PUBLISHSHARD from the bus reaches this node's subscribers, and goes no further. */
    @Override
    public void publish(byte[] channel, byte[] message, boolean sharded) {
        node.pubsub().publish(channel, message, sharded);
    }

    /**
     * {@code slot} is being deleted from this node's shard (clusterDelSlot when myself serves the slot's
     * owner's slots: the owner itself or one of its replicas): the subscribers of the slot's shard channels
     * are unsubscribed with an sunsubscribe push (removeChannelsInSlot).
     */
    @Override
    public void removeChannelsInSlot(int slot) {
        node.pubsub().removeChannelsInSlot(slot);
    }

    /** The master this node replicates, or null when it is a master. */
    public String masterHost() {
        return node.replication().masterHost();
    }

    public int masterPort() {
        return node.replication().masterPort();
    }
}
