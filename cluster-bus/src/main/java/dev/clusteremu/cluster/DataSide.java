package dev.clusteremu.cluster;

/**
 * What the cluster layer asks of, and tells, the data side of its node (keyspace, replication, pub/sub,
 * client pauses; implemented by the server module). All calls happen on the node's event loop.
 */
public interface DataSide {

    /** The replication offset to advertise in bus headers: master_repl_offset, or a replica's processed offset. */
    long replicationOffset();

    /** Keys stored in {@code slot}. */
    long countKeysInSlot(int slot);

    /** Keys stored in the node's only database. */
    long keyCount();

    /** Deletes every key of {@code slot}: after an UPDATE took the slot away while we still held keys. */
    void deleteKeysInSlot(int slot);

    /** Flushes every key: a replica turned master by CLUSTER RESET empties its dataset. */
    void flushAll();

    /** Myself became a replica of the node at ip:port, or its address changed (replicationSetMaster). */
    void replicateFrom(String ip, int port);

    /** Myself stopped being a replica (replicationUnsetMaster): after a promotion or CLUSTER RESET. */
    void stopReplicating();

    /** Whether a master is configured for replication (Redis's server.masterhost != NULL). */
    boolean isReplicationConfigured();

    /**
     * Milliseconds since we last heard from our master: since its last interaction while the link is up,
     * or since the link went down. A replica with data older than the validity limit won't fail over.
     */
    long masterDataAgeMs();

    /** Pauses writes from clients until {@code untilMs} (a master during a manual failover). */
    void pauseWrites(long untilMs);

    /** Ends a write pause started by {@link #pauseWrites}. */
    void unpauseWrites();

    /**
     * A slot is being unassigned (clusterDelSlot) while myself is in the shard that served it — its owner's
     * master is myself, or I replicate that master: the sharded channels of the slot end here, their
     * subscribers are told (removeChannelsInSlot). Called before the slot is cleared.
     */
    void removeChannelsInSlot(int slot);

    /** Delivers a PUBLISH (or sharded PUBLISHSHARD) that another node propagated over the bus. */
    void publish(byte[] channel, byte[] message, boolean sharded);
}
