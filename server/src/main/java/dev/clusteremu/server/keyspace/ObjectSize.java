package dev.clusteremu.server.keyspace;

/**
 * How many bytes a key would take in a Redis 7.0 cluster node built with jemalloc (MEMORY USAGE's
 * objectComputeSize plus the key and its dict entry). The emulator's own objects live on the JVM heap,
 * whose figures are shared by every node of the process and say nothing about one node's dataset; this
 * model gives each node the figures a redis-server holding the same data would report, and drives
 * maxmemory and eviction.
 *
 * <p>The model: every allocation is rounded up to its jemalloc size class; a value is a 16-byte robj plus
 * its payload (an embstr shares one allocation with its robj, an int lives in the robj's pointer); strings
 * are sds with the smallest header for their length (keys below 32 bytes get the 1-byte sdshdr5); each key
 * adds a 24-byte dictEntry and the 16 bytes of cluster slot-list metadata. For strings this matches
 * redis-server's MEMORY USAGE byte for byte. Each data type adds its branch to {@link #valueSize}.
 */
public final class ObjectSize {
    /** sizeof(robj). */
    static final int ROBJ = 16;
    /** sizeof(dictEntry): key, value and next pointers. */
    static final int DICT_ENTRY = 24;
    /** clusterDictEntryMetadata: the previous and next keys of the same slot. */
    static final int SLOT_METADATA = 16;

    private ObjectSize() {
    }

    /** MEMORY USAGE of {@code key} holding {@code value}: the value, the key's sds and its dict entry. */
    public static long keyUsage(byte[] key, RedisObject value) {
        return valueSize(value) + sdsAllocation(key.length, key.length, true) + DICT_ENTRY + SLOT_METADATA;
    }

    /** objectComputeSize: the bytes of the value's robj and everything it owns. */
    public static long valueSize(RedisObject value) {
        if (value instanceof StringValue s) {
            return switch (s.encoding()) {
                case INT -> ROBJ;
                case EMBSTR -> jemallocSize(ROBJ + 3 + s.length() + 1);
                case RAW -> ROBJ + sdsAllocation(s.length(), s.capacity(), false);
            };
        }
        throw new IllegalArgumentException("no size model for " + value.type());
    }

    /**
     * The allocation of an sds of {@code length} bytes with room for {@code capacity}: header, bytes and
     * the terminating NUL, rounded to the size class. {@code key} strings may use sdshdr5 (sdsnewlen picks
     * it for lengths below 32); values made by sdsnewlen never are empty, so the same rule applies.
     */
    static long sdsAllocation(long length, long capacity, boolean key) {
        return jemallocSize(sdsHeader(capacity, key) + Math.max(length, capacity) + 1);
    }

    /** sdsReqType's header size for a string of {@code length} bytes. */
    private static int sdsHeader(long length, boolean mayUseType5) {
        if (length < 32 && mayUseType5) {
            return 1;
        }
        if (length < 1 << 8) {
            return 3;
        }
        if (length < 1 << 16) {
            return 5;
        }
        return length < 1L << 32 ? 9 : 17;
    }

    /**
     * jemalloc's size class for a request of {@code n} bytes (16-byte quantum): 8, then multiples of 16 up
     * to 128, then four classes per power of two (160, 192, 224, 256, 320, ...).
     */
    public static long jemallocSize(long n) {
        if (n <= 8) {
            return 8;
        }
        if (n <= 128) {
            return (n + 15) & ~15L;
        }
        int lg = 63 - Long.numberOfLeadingZeros(n - 1);
        long spacing = 1L << (lg - 2);
        return (n + spacing - 1) & ~(spacing - 1);
    }
}
