package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The "hashtable" encoding of hashes and sets: a {@link Dict} of elements (set members, or hash fields with
 * their values), so lookups are O(1) and SSCAN/HSCAN get Redis's reverse-binary cursor, plus a dense array
 * of the same elements for O(1) uniform random picks (dictGetFairRandomKey) and index-based iteration.
 * Iteration order is the dense array's, which, as a hash table's order in Redis, promises nothing.
 */
final class ElementTable {
    private static final int INITIAL_DENSE = 8;
    /** A time budget that lets {@link Dict#rehashFor} run to completion. */
    private static final long UNBOUNDED_MICROS = 86_400_000_000L;

    /** One member or field, with its value for hashes and its position in the dense array. */
    static final class Element extends DictEntry {
        byte[] value;
        int index;

        Element(byte[] key, byte[] value) {
            super(key);
            this.value = value;
        }
    }

    private final Dict<Element> dict = new Dict<>();
    private Element[] dense;
    /**
     * How many elements the table was presized for (dictExpand): until it holds more, a resize is
     * completed at once, so that once filled the table has the single bucket array, without a rehash in
     * progress, that Redis's presized dict has.
     */
    private final int presized;

    /** A table presized for {@code expected} elements (dictExpand), 0 for none. */
    ElementTable(int expected) {
        dense = new Element[Math.max(expected, INITIAL_DENSE)];
        presized = expected;
    }

    int size() {
        return dict.size();
    }

    /** The element named {@code key}, or null. */
    Element find(byte[] key) {
        return dict.find(key, Dict.hash(key));
    }

    /** Adds an element whose key is not in the table yet (the caller checked with {@link #find}). */
    void add(byte[] key, byte[] value) {
        Element e = new Element(key, value);
        dict.add(e);
        placed(e);
    }

    /**
     * Adds an element named {@code key} unless there is one (dictAddRaw); returns whether it was added.
     * Like dictAddRaw, this takes one rehash step and checks for growth whether or not the key is there,
     * where a lookup followed by an addition would take two steps: the pace of a rehash, and so the bucket
     * arrays MEMORY USAGE counts, depend on it.
     */
    boolean addIfAbsent(byte[] key, byte[] value) {
        Element e = new Element(key, value);
        if (!dict.addIfAbsent(e)) {
            return false;
        }
        placed(e);
        return true;
    }

    /** Gives a new element its place at the end of the dense array; completes the resize of a presized table. */
    private void placed(Element e) {
        int n = dict.size() - 1;
        if (n == dense.length) {
            dense = Arrays.copyOf(dense, n * 2);
        }
        e.index = n;
        dense[n] = e;
        if (n < presized && dict.isRehashing()) {
            dict.rehashFor(UNBOUNDED_MICROS);
        }
    }

    /** Removes the element named {@code key}; returns whether it was there. */
    boolean remove(byte[] key) {
        Element e = dict.unlink(key, Dict.hash(key));
        if (e == null) {
            return false;
        }
        int last = dict.size();
        Element moved = dense[last];
        dense[e.index] = moved;
        moved.index = e.index;
        dense[last] = null;
        if (dense.length > INITIAL_DENSE && last < dense.length / 4) {
            dense = Arrays.copyOf(dense, dense.length / 2);
        }
        // Redis checks htNeedsResize after every delete from a hash or set (hashTypeDelete, setTypeRemove).
        dict.shrinkIfNeeded();
        return true;
    }

    /**
     * A table of the same elements in the same iteration order, presized for them as hashTypeDup and
     * setTypeDup presize the copy, sharing only the key and value arrays, which nothing changes in place.
     */
    ElementTable duplicate() {
        int n = size();
        ElementTable copy = new ElementTable(n);
        for (int i = 0; i < n; i++) {
            copy.add(dense[i].key(), dense[i].value);
        }
        return copy;
    }

    /** The bytes of the dict's bucket arrays (dictSlots times a pointer). */
    long bucketBytes() {
        return dict.bucketBytes();
    }

    /** The element at {@code i}, 0 &lt;= i &lt; size, in the table's iteration order. */
    Element at(int i) {
        return dense[i];
    }

    /** One SCAN step over the dict (dictScan); returns the next cursor, 0 when done. */
    long scan(long cursor, Consumer<Element> fn) {
        return dict.scan(cursor, fn);
    }
}
