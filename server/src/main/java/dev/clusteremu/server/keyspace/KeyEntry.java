package dev.clusteremu.server.keyspace;

import dev.clusteremu.cluster.KeySlot;

/**
 * A key of the keyspace with everything about it in one object: the value, the expire time, the links of
 * its slot's key list (the clusterDictEntryMetadata of Redis 7.0) and its positions in the keyspace's dense
 * arrays (for fair random picks and for sampling keys with a TTL).
 */
final class KeyEntry extends DictEntry {
    /** No expire set, as getExpire reports it. */
    static final long NO_EXPIRE = -1;

    final int slot;
    RedisObject value;
    /** Unix time in milliseconds at which the key expires, or {@link #NO_EXPIRE}. */
    long expireAt = NO_EXPIRE;
    KeyEntry prevInSlot;
    KeyEntry nextInSlot;
    /** Index in the keyspace's array of all keys. */
    int denseIndex;
    /** Index in the keyspace's array of keys with an expire; -1 when none is set. */
    int volatileIndex = -1;
    /** The robj's lru field: LRU clock or LFU data, as {@link KeyAccess} reads it. */
    int lru;
    /** What MEMORY USAGE reports for this key ({@link ObjectSize#keyUsage}), counted in the dataset size. */
    long memory;

    KeyEntry(byte[] key, RedisObject value) {
        super(key);
        this.slot = KeySlot.of(key);
        this.value = value;
    }

    boolean hasExpire() {
        return expireAt != NO_EXPIRE;
    }
}
