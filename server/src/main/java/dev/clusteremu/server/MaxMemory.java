package dev.clusteremu.server;

import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.keyspace.Eviction;
import dev.clusteremu.server.keyspace.KeyAccess;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ObjectSize;

/**
 * A node's memory as maxmemory sees it, and eviction (evict.c's getMaxmemoryState and performEvictions).
 *
 * <p>Used memory is an estimate, not the JVM heap, which every node of the process shares: the
 * used_memory_startup of an empty Redis 7.0.15 cluster node, plus the main dict's bucket arrays, plus each
 * key's MEMORY USAGE ({@link ObjectSize}: what redis-server would report for the same key). Client buffers,
 * the replication backlog and other overheads are not counted. So a node evicts what a Redis node holding
 * the same keys would, and an emptied node is back at its startup figure.
 *
 * <p>Like Redis, eviction runs before each command (and after CONFIG SET maxmemory); replicas leave it to
 * their master (replica-ignore-maxmemory) and nothing is evicted while clients are paused. Evicted keys
 * count in evicted_keys, invalidate WATCH and tracking, and reach replicas as DEL (or UNLINK under
 * lazyfree-lazy-eviction). Owned by the node's loop.
 */
public final class MaxMemory {
    /** used_memory_startup of a Redis 7.0.15 cluster node: what it allocates before holding any key. */
    public static final long STARTUP_BYTES = 1_600_048;
    /** sizeof(dictEntry), sizeof(robj) and the slot-list metadata of a key, as MEMORY STATS counts them. */
    private static final long DICT_ENTRY = 24;
    private static final long ROBJ = 16;
    private static final long SLOT_METADATA = 16;

    private final RedisNode node;
    private final Eviction eviction;

    MaxMemory(RedisNode node) {
        this.node = node;
        this.eviction = new Eviction(node.keyspace());
    }

    /** used_memory: the startup figure, the key table and every key (see the class comment). */
    public long usedMemory() {
        Keyspace ks = node.keyspace();
        return STARTUP_BYTES + ks.hashtableBytes() + ks.datasetBytes();
    }

    /**
     * The figures of getMemoryOverheadData (MEMORY STATS, INFO memory): the overhead is the startup memory
     * plus, per key, its dictEntry, robj header and slot-list metadata, and the bucket arrays of the main
     * and expires dicts; the dataset is the rest.
     */
    public record Overhead(long total, long startup, long peak, long keys, long hashtableMain,
            long hashtableExpires, long slotToKeys) {

        /** overhead.total. */
        public long overheadTotal() {
            return startup + hashtableMain + hashtableExpires + slotToKeys;
        }

        /** dataset.bytes. */
        public long dataset() {
            return total - overheadTotal();
        }

        /** What is used beyond the startup memory (at least 1, as Redis divides by it). */
        public long netUsage() {
            return total > startup ? total - startup : 1;
        }
    }

    /** The node's memory overhead report now, which also records the peak. */
    public Overhead overhead() {
        Keyspace ks = node.keyspace();
        long total = usedMemory();
        long keys = ks.size();
        long peak = node.stats().memoryPeak(total);
        if (keys == 0) {
            return new Overhead(total, STARTUP_BYTES, peak, 0, 0, 0, 0);
        }
        long expires = ks.expiresCount();
        long main = keys * DICT_ENTRY + ks.hashtableBytes() + keys * ROBJ;
        long expiresTable = expires == 0 ? 0 : expires * DICT_ENTRY + 8 * Math.max(4, Long.highestOneBit(expires - 1) << 1);
        return new Overhead(total, STARTUP_BYTES, peak, keys, main, expiresTable, keys * SLOT_METADATA);
    }

    /** The eviction policy in force (maxmemory-policy). */
    public Eviction.Policy policy() {
        return Eviction.Policy.named(node.config().maxMemoryPolicy);
    }

    /**
     * How each key's access is recorded: LFU counters under an LFU policy, else the LRU clock. Read at every
     * key lookup, so it looks at the policy's name rather than parsing it.
     */
    KeyAccess.Policy accessPolicy() {
        return new KeyAccess.Policy() {
            @Override
            public boolean lfu() {
                return node.config().maxMemoryPolicy.endsWith("-lfu");
            }

            @Override
            public int lfuLogFactor() {
                return (int) (long) (Long) ConfigTable.valueOf(node, "lfu-log-factor");
            }

            @Override
            public int lfuDecayTime() {
                return (int) (long) (Long) ConfigTable.valueOf(node, "lfu-decay-time");
            }

            @Override
            public boolean sharesIntegers() {
                String policy = node.config().maxMemoryPolicy;
                return node.config().maxMemory == 0 || !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
            }
        };
    }

    /**
     * performEvictions: frees memory down to maxmemory by the policy. Returns false (EVICT_FAIL) when over
     * the limit with nothing left to evict, or under noeviction; true when within the limit, when no
     * limit is set, and where eviction doesn't apply (a replica ignoring maxmemory, paused clients).
     */
    public boolean performEvictions() {
        long max = node.config().maxMemory;
        if (max == 0 || Long.compareUnsigned(usedMemory(), max) <= 0 || !safeToEvict()) {
            return true;
        }
        boolean lazy = (Boolean) ConfigTable.valueOf(node, "lazyfree-lazy-eviction");
        int samples = (int) (long) (Long) ConfigTable.valueOf(node, "maxmemory-samples");
        return eviction.perform(this::usedMemory, max, policy(), samples, key -> {
            node.stats().keyEvicted();
            node.replication().stream().propagateDeletion(key, lazy);
        });
    }

    /** isSafeToPerformEvictions: not on a replica that ignores maxmemory, not while clients are paused. */
    private boolean safeToEvict() {
        if (node.replication().isReplica() && (Boolean) ConfigTable.valueOf(node, "replica-ignore-maxmemory")) {
            return false;
        }
        return !node.clientPause().isPaused();
    }
}
