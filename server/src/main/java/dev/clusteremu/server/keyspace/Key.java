package dev.clusteremu.server.keyspace;

import java.util.Arrays;

import dev.clusteremu.cluster.KeySlot;

/** A key: its bytes, with the hash and slot computed once. */
public final class Key {
    private final byte[] bytes;
    private final int hash;
    private final int slot;

    public Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
        this.slot = KeySlot.of(bytes);
    }

    public byte[] bytes() {
        return bytes;
    }

    public int slot() {
        return slot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
