package dev.clusteremu.server.keyspace;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Key eviction for maxmemory (evict.c's performEvictions with its eviction pool). Used memory is the
 * node's estimate ({@link ObjectSize}), so what a key frees is exactly its MEMORY USAGE.
 *
 * <p>The approximated LRU / LFU / TTL policies sample maxmemory-samples keys at a time (from all keys, or
 * only those with an expire for the volatile-* policies) into a pool of the 16 best candidates kept across
 * calls, ordered by "idle" score (idle time, 255 - frequency, or how soon the key expires), and evict the
 * best; a pooled key deleted meanwhile is a ghost and skipped. The random policies pick any key of the
 * chosen set. Owned by the node's loop.
 */
public final class Eviction {
    /** EVPOOL_SIZE: candidates kept between sampling rounds. */
    private static final int POOL_SIZE = 16;

    /** maxmemory-policy values, as CONFIG spells them. */
    public enum Policy {
        VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM,
        NOEVICTION;

        /** The policy named as in redis.conf ("allkeys-lru"). */
        public static Policy named(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        /** MAXMEMORY_FLAG_LFU. */
        public boolean isLfu() {
            return this == VOLATILE_LFU || this == ALLKEYS_LFU;
        }

        boolean allKeys() {
            return this == ALLKEYS_LRU || this == ALLKEYS_LFU || this == ALLKEYS_RANDOM;
        }

        boolean random() {
            return this == ALLKEYS_RANDOM || this == VOLATILE_RANDOM;
        }
    }

    private final Keyspace keyspace;
    /** The pool in ascending idle order, best candidate last; the filled slots come first, then empty ones. */
    private final byte[][] poolKeys = new byte[POOL_SIZE][];
    private final long[] poolIdle = new long[POOL_SIZE];

    public Eviction(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /**
     * Evicts keys until {@code usedMemory} is at most {@code maxMemory}. Returns false (EVICT_FAIL) when
     * that can't be done: the policy is noeviction, or no key of the policy's set is left. Each evicted
     * key is passed to {@code evicted} after its deletion (to be counted and propagated).
     */
    public boolean perform(LongSupplier usedMemory, long maxMemory, Policy policy, int samples,
            Consumer<byte[]> evicted) {
        if (Long.compareUnsigned(usedMemory.getAsLong(), maxMemory) <= 0) {
            return true;
        }
        if (policy == Policy.NOEVICTION) {
            return false;
        }
        while (Long.compareUnsigned(usedMemory.getAsLong(), maxMemory) > 0) {
            byte[] victim = policy.random() ? keyspace.sampleKey(!policy.allKeys()) : bestFromPool(policy, samples);
            if (victim == null) {
                return false;
            }
            keyspace.evict(victim, evicted);
        }
        return true;
    }

    /** Refills the pool until it yields a key still present; null when the policy's set is empty. */
    private byte[] bestFromPool(Policy policy, int samples) {
        boolean volatileOnly = !policy.allKeys();
        while (true) {
            if ((volatileOnly ? keyspace.expiresCount() : keyspace.size()) == 0) {
                return null;
            }
            populate(policy, volatileOnly, samples);
            for (int k = POOL_SIZE - 1; k >= 0; k--) {
                byte[] key = poolKeys[k];
                if (key == null) {
                    continue;
                }
                poolKeys[k] = null;
                poolIdle[k] = 0;
                boolean present = volatileOnly ? keyspace.getExpire(key) != -1 : keyspace.peekIncludingExpired(key) != null;
                if (present) {
                    return key;
                }
            }
        }
    }

    /** evictionPoolPopulate: samples keys and inserts those better than the pool's worst, in idle order. */
    private void populate(Policy policy, boolean volatileOnly, int samples) {
        long now = keyspace.now();
        for (int s = 0; s < samples; s++) {
            byte[] key = keyspace.sampleKey(volatileOnly);
            if (key == null) {
                return;
            }
            long idle = switch (policy) {
                case VOLATILE_LRU, ALLKEYS_LRU -> KeyAccess.idleMillis(keyspace.accessField(key), now);
                case VOLATILE_LFU, ALLKEYS_LFU ->
                        255 - KeyAccess.decayedCounter(keyspace.accessField(key), keyspace.accessPolicy(), now);
                // The sooner it expires, the better a candidate.
                default -> Long.MAX_VALUE - keyspace.getExpire(key);
            };
            insert(key, idle);
        }
    }

    private void insert(byte[] key, long idle) {
        int k = 0;
        while (k < POOL_SIZE && poolKeys[k] != null && poolIdle[k] < idle) {
            k++;
        }
        if (k == 0 && poolKeys[POOL_SIZE - 1] != null) {
            return; // worse than the worst of a full pool
        }
        boolean emptySlot = k < POOL_SIZE && poolKeys[k] == null;
        if (!emptySlot && poolKeys[POOL_SIZE - 1] == null) {
            // Room on the right: shift the better ones right.
            System.arraycopy(poolKeys, k, poolKeys, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolIdle, k, poolIdle, k + 1, POOL_SIZE - k - 1);
        } else if (!emptySlot) {
            // Full: drop the worst (leftmost) and insert just left of the better ones.
            k--;
            System.arraycopy(poolKeys, 1, poolKeys, 0, k);
            System.arraycopy(poolIdle, 1, poolIdle, 0, k);
        }
        poolKeys[k] = key;
        poolIdle[k] = idle;
    }
}
