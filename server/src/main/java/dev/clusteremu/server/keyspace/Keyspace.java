package dev.clusteremu.server.keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.clusteremu.cluster.KeySlot;

/**
 * The node's only database (db 0 in cluster mode), with a per-slot key index so that COUNTKEYSINSLOT is
 * O(1) and GETKEYSINSLOT is O(count).
 */
public final class Keyspace {
    private final LongSupplier clock;
    private final Map<Key, Object> values = new HashMap<>();
    private final Map<Key, Long> expires = new HashMap<>();
    private final long[] slotCounts = new long[KeySlot.SLOTS];

    public Keyspace(LongSupplier clock) {
        this.clock = clock;
    }

    public long size() {
        return values.size();
    }

    public long countKeysInSlot(int slot) {
        return slotCounts[slot];
    }

    public List<byte[]> keysInSlot(int slot, int max) {
        List<byte[]> out = new ArrayList<>();
        for (Key k : values.keySet()) {
            if (out.size() >= max) {
                break;
            }
            if (k.slot() == slot) {
                out.add(k.bytes());
            }
        }
        return out;
    }

    public int deleteKeysInSlot(int slot) {
        List<Key> doomed = new ArrayList<>();
        for (Key k : values.keySet()) {
            if (k.slot() == slot) {
                doomed.add(k);
            }
        }
        for (Key k : doomed) {
            values.remove(k);
            expires.remove(k);
        }
        slotCounts[slot] = 0;
        return doomed.size();
    }

    public void clear() {
        values.clear();
        expires.clear();
        java.util.Arrays.fill(slotCounts, 0);
    }

    /** Whether the key exists and is not logically expired, without deleting it or touching stats. */
    public boolean existsNoSideEffects(byte[] key) {
        Key k = new Key(key);
        if (!values.containsKey(k)) {
            return false;
        }
        Long at = expires.get(k);
        return at == null || at > clock.getAsLong();
    }

    public Object get(byte[] key) {
        Key k = new Key(key);
        Long at = expires.get(k);
        if (at != null && at <= clock.getAsLong()) {
            values.remove(k);
            expires.remove(k);
            slotCounts[k.slot()]--;
            return null;
        }
        return values.get(k);
    }

    public void set(byte[] key, Object value) {
        Key k = new Key(key);
        if (values.put(k, value) == null) {
            slotCounts[k.slot()]++;
        }
        expires.remove(k);
    }
}
