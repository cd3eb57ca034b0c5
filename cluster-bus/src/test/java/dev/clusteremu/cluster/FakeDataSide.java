package dev.clusteremu.cluster;

/** A data side with no keys, recording what the cluster layer told it. */
final class FakeDataSide implements DataSide {
    volatile String replicatingFrom;
    volatile long offset;

    @Override
    public long replicationOffset() {
        return offset;
    }

    @Override
    public long countKeysInSlot(int slot) {
        return 0;
    }

    @Override
    public long keyCount() {
        return 0;
    }

    @Override
    public void deleteKeysInSlot(int slot) {
    }

    @Override
    public void flushAll() {
    }

    @Override
    public void replicateFrom(String ip, int port) {
        replicatingFrom = ip + ":" + port;
    }

    @Override
    public void stopReplicating() {
        replicatingFrom = null;
    }

    @Override
    public boolean isReplicationConfigured() {
        return replicatingFrom != null;
    }

    @Override
    public long masterDataAgeMs() {
        return 0;
    }

    @Override
    public void pauseWrites(long untilMs) {
    }

    @Override
    public void unpauseWrites() {
    }

    @Override
    public void removeChannelsInSlot(int slot) {
    }

    @Override
    public void publish(byte[] channel, byte[] message, boolean sharded) {
    }
}
