package dev.clusteremu.server.keyspace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
 * adds a 24-byte dictEntry and the 16 bytes of cluster slot-list metadata. Listpacks and intsets take
 * their byte size rounded to a size class, since Redis reallocates them to fit on every change (stream
 * nodes excepted: they are preallocated, see {@link Listpack#allocatedBytes}).
 *
 * <p>Aggregates are measured as objectComputeSize measures them: the fixed structures, plus the average of
 * the first {@code samples} elements (dict entries, skiplist nodes, quicklist nodes, stream nodes) times
 * their number. Where Redis's first elements are those of a hash table's bucket order, which its random
 * hash seed makes arbitrary, the model takes them in its own table order; with SAMPLES 0 (all), or when
 * the elements are alike, the figure is Redis's, but for a dict halfway through a rehash: the number of
 * steps a rehash takes, and so when the old bucket array goes, also depends on where the seed put the
 * elements. Skiplist node levels are random draws in both.
 */
public final class ObjectSize {
    /** sizeof(robj). */
    static final int ROBJ = 16;
    /** sizeof(dictEntry): key, value and next pointers. */
    static final int DICT_ENTRY = 24;
    /** clusterDictEntryMetadata: the previous and next keys of the same slot. */
    static final int SLOT_METADATA = 16;
    /** OBJ_COMPUTE_SIZE_DEF_SAMPLES: MEMORY USAGE samples 5 elements unless told otherwise. */
    public static final long DEFAULT_SAMPLES = 5;
    /** sizeof(dict): the type, two table pointers, two counts, rehashidx, pauserehash, two exponents. */
    static final int DICT = 56;
    /** sizeof(struct dictEntry*): one bucket of a dict's table. */
    static final int BUCKET = 8;
    /** sizeof(quicklist) and sizeof(quicklistNode). */
    static final int QUICKLIST = 40;
    static final int QUICKLIST_NODE = 40;
    /** sizeof(intset): the encoding and length header. */
    static final int INTSET_HEADER = 8;
    /** sizeof(zset) (dict and skiplist pointers) and sizeof(zskiplist) (header, tail, length, level). */
    static final int ZSET = 16;
    static final int ZSKIPLIST = 32;
    /** sizeof(zskiplistNode) without levels (ele, score, backward), and each zskiplistLevel (forward, span). */
    static final int ZSKIPLIST_NODE = 24;
    static final int ZSKIPLIST_LEVEL = 16;
    /** ZSKIPLIST_MAXLEVEL: the header node has every level. */
    static final int ZSKIPLIST_MAXLEVEL = 32;
    /** sizeof(stream): rax pointer, length, three IDs, entries_added, cgroups pointer. */
    static final int STREAM = 80;
    /** sizeof(streamCG), sizeof(streamConsumer) and sizeof(streamNACK) in 7.0. */
    static final int STREAM_CG = 40;
    static final int STREAM_CONSUMER = 24;
    static final int STREAM_NACK = 24;
    /** sizeof(streamID): what streamRadixTreeMemoryUsage counts per key. */
    static final int STREAM_ID = 16;
    /** streamRadixTreeMemoryUsage per node: sizeof(raxNode) plus a fixed 30 longs of overhead. */
    static final int RAX_NODE = 4 + 8 * 30;

    private ObjectSize() {
    }

    /** MEMORY USAGE of {@code key} holding {@code value}, sampling {@link #DEFAULT_SAMPLES} elements. */
    public static long keyUsage(byte[] key, RedisObject value) {
        return keyUsage(key, value, DEFAULT_SAMPLES);
    }

    /**
     * MEMORY USAGE of {@code key} holding {@code value}: the value as objectComputeSize measures it with
     * {@code samples} elements (Long.MAX_VALUE for all), the key's sds and its dict entry.
     */
    public static long keyUsage(byte[] key, RedisObject value, long samples) {
        return valueSize(value, samples) + sdsAllocation(key.length, key.length, true) + DICT_ENTRY
                + SLOT_METADATA;
    }

    /** objectComputeSize with the default sampling. */
    public static long valueSize(RedisObject value) {
        return valueSize(value, DEFAULT_SAMPLES);
    }

    /**
     * objectComputeSize: the bytes of the value's robj and everything it owns, aggregates estimated from
     * their first {@code samples} (at least 1) elements.
     */
    public static long valueSize(RedisObject value, long samples) {
        return switch (value.type()) {
            case STRING -> stringSize((StringValue) value);
            case LIST -> listSize((ListValue) value, samples);
            case SET -> setSize((SetValue) value, samples);
            case ZSET -> zsetSize((ZSetValue) value, samples);
            case HASH -> hashSize((HashValue) value, samples);
            case STREAM -> streamSize((StreamValue) value, samples);
        };
    }

    private static long stringSize(StringValue s) {
        return switch (s.encoding()) {
            case INT -> ROBJ;
            case EMBSTR -> jemallocSize(ROBJ + 3 + s.length() + 1);
            case RAW -> ROBJ + sdsAllocation(s.length(), s.capacity(), false);
        };
    }

    /** The quicklist and its first nodes (node struct and listpack, or plain element), averaged over all. */
    private static long listSize(ListValue l, long samples) {
        long[] sizes = l.headNodeSizes(Math.max(samples, 1));
        long elesize = 0;
        for (long sz : sizes) {
            elesize += QUICKLIST_NODE + jemallocSize(sz);
        }
        return average(ROBJ + QUICKLIST, elesize, sizes.length, l.nodeCount());
    }

    /** An intset's allocation, or a dict of members (dictEntry and sds each). */
    private static long setSize(SetValue s, long samples) {
        ElementTable table = s.table();
        if (table == null) {
            return ROBJ + jemallocSize(INTSET_HEADER + (long) s.size() * s.intsetWidth());
        }
        int n = (int) Math.min(samples, table.size());
        long elesize = 0;
        for (int i = 0; i < n; i++) {
            elesize += DICT_ENTRY + elementSds(table.at(i).key());
        }
        return average(ROBJ + DICT + table.bucketBytes(), elesize, n, table.size());
    }

    /** A listpack's allocation, or the zset, its skiplist (header and nodes) and its dict. */
    private static long zsetSize(ZSetValue z, long samples) {
        ZSkiplist zsl = z.skiplist();
        if (zsl == null) {
            return ROBJ + jemallocSize(z.listpackBytes());
        }
        long base = ROBJ + ZSET + ZSKIPLIST + DICT + zsl.dict.bucketBytes()
                + jemallocSize(ZSKIPLIST_NODE + ZSKIPLIST_LEVEL * ZSKIPLIST_MAXLEVEL);
        long elesize = 0;
        int n = 0;
        for (ZSkiplist.Node x = zsl.first(); x != null && n < samples; x = x.next()) {
            elesize += elementSds(x.key()) + DICT_ENTRY
                    + jemallocSize(ZSKIPLIST_NODE + (long) ZSKIPLIST_LEVEL * x.forward.length);
            n++;
        }
        return average(base, elesize, n, zsl.length());
    }

    /** A listpack's allocation, or a dict of fields and values (dictEntry and two sds each). */
    private static long hashSize(HashValue h, long samples) {
        ElementTable table = h.table();
        if (table == null) {
            return ROBJ + jemallocSize(h.listpackBytes());
        }
        int n = (int) Math.min(samples, table.size());
        long elesize = 0;
        for (int i = 0; i < n; i++) {
            ElementTable.Element e = table.at(i);
            elesize += elementSds(e.key()) + elementSds(e.value) + DICT_ENTRY;
        }
        return average(ROBJ + DICT + table.bucketBytes(), elesize, n, table.size());
    }

    /**
     * The stream, its node tree, its nodes' listpacks (the first ones sampled and averaged over all but the
     * last, which is added as it is, being usually not full) and its consumer groups: each group's PEL with
     * its NACKs and each consumer with its name and PEL.
     */
    private static long streamSize(StreamValue s, long samples) {
        int numele = s.nodeCount();
        long asize = ROBJ + STREAM + radixTreeUsage(numele, s.radixTreeNodes());
        long lpsize = 0;
        long sampled = 0;
        for (Listpack lp : s.nodes().values()) {
            if (sampled >= samples) {
                break;
            }
            lpsize += lp.allocatedBytes();
            sampled++;
        }
        if (numele <= sampled) {
            asize += lpsize;
        } else {
            asize += lpsize / sampled * (numele - 1) + s.nodes().lastEntry().getValue().allocatedBytes();
        }
        for (StreamGroup g : s.groups().values()) {
            asize += STREAM_CG + pelUsage(g.pel().navigableKeySet()) + (long) STREAM_NACK * g.pel().size();
            for (StreamGroup.Consumer c : g.consumers().values()) {
                asize += STREAM_CONSUMER + c.name().length + pelUsage(c.pel().navigableKeySet());
            }
        }
        return asize;
    }

    /** streamRadixTreeMemoryUsage of a PEL: its IDs and the nodes of the rax they form. */
    private static long pelUsage(Collection<StreamId> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (StreamId id : ids) {
            keys.add(id.encode());
        }
        return radixTreeUsage(ids.size(), RaxShape.nodeCountOf(keys));
    }

    /** streamRadixTreeMemoryUsage: a streamID per key and a fixed estimate per node. */
    private static long radixTreeUsage(long keys, long nodes) {
        return keys * STREAM_ID + nodes * RAX_NODE;
    }

    /**
     * {@code base} plus the average of {@code elesize} over {@code samples} elements times {@code count},
     * computed in double and truncated, as objectComputeSize adds it to its size_t total.
     */
    private static long average(long base, long elesize, long samples, long count) {
        if (samples == 0) {
            return base;
        }
        return (long) (base + (double) elesize / samples * count);
    }

    /** sdsZmallocSize of a hash field or value or a set or zset member: an exact sdsnewlen copy. */
    private static long elementSds(byte[] s) {
        return sdsAllocation(s.length, s.length, true);
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
