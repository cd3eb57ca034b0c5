package dev.clusteremu.server;

import dev.clusteremu.cluster.DataSide;

/**
 * The node's answers to its cluster layer. Replication is recorded (role, master address, as INFO
 * replication reports them); the PSYNC link itself belongs to the replication component.
 */
public final class NodeDataSide implements DataSide {
    private final RedisNode node;
    private String masterHost;
    private int masterPort;
    private long replicationDownSince;

    NodeDataSide(RedisNode node) {
        this.node = node;
    }

    @Override
    public long replicationOffset() {
        return 0;
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
        if (masterHost == null) {
            replicationDownSince = node.now();
        }
        masterHost = ip;
        masterPort = port;
        node.log().notice("Connecting to MASTER " + ip + ":" + port);
    }

    @Override
    public void stopReplicating() {
        if (masterHost != null) {
            node.log().notice("MASTER MODE enabled");
        }
        masterHost = null;
        masterPort = 0;
    }

    @Override
    public boolean isReplicationConfigured() {
        return masterHost != null;
    }

    @Override
    public long masterDataAgeMs() {
        return node.now() - replicationDownSince;
    }

    @Override
    public void pauseWrites(long untilMs) {
        node.log().notice("Pausing writes until " + untilMs);
    }

    @Override
    public void unpauseWrites() {
        node.log().notice("Writes resumed");
    }

    @Override
    public void publish(byte[] channel, byte[] message, boolean sharded) {
        // No subscribers can exist yet: pub/sub arrives with its own commands.
    }

    public String masterHost() {
        return masterHost;
    }

    public int masterPort() {
        return masterPort;
    }
}
