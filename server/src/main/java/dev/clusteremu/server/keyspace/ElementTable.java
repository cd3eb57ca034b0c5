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

    /** A table with room for {@code expected} elements before its dense array grows (dictExpand). */
    ElementTable(int expected) {
        dense = new Element[Math.max(expected, INITIAL_DENSE)];
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
        int n = dict.size() - 1;
        if (n == dense.length) {
            dense = Arrays.copyOf(dense, n * 2);
        }
        e.index = n;
        dense[n] = e;
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

    /** The element at {@code i}, 0 &lt;= i &lt; size, in the table's iteration order. */
    Element at(int i) {
        return dense[i];
    }

    /** One SCAN step over the dict (dictScan); returns the next cursor, 0 when done. */
    long scan(long cursor, Consumer<Element> fn) {
        return dict.scan(cursor, fn);
    }
}
