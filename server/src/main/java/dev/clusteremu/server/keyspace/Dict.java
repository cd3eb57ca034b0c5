package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Redis's dict (dict.c): a chained hash table of byte-string keys over power-of-two bucket arrays, grown and
 * shrunk by incremental rehashing, with a SCAN cursor that survives resizes.
 *
 * <p>Entries are intrusive ({@link DictEntry} subclasses), so the table allocates nothing per key beyond the
 * entry its owner already holds.
 *
 * <p>Rehashing: when the table must change size, a second bucket array is allocated and every later
 * operation moves one bucket across (_dictRehashStep), so no single call pays for a whole resize; during
 * that time lookups search both arrays and additions go to the new one. {@link #rehashFor} lets a timer
 * finish the job in bounded slices, as databasesCron does.
 *
 * <p>SCAN: the cursor is a bucket index counted in reverse-binary order (dictScan). Incrementing the
 * reversed bits visits every bucket of a 2^n table once, and because the high bits of an index are the ones
 * that change least often in that order, a bucket visited in a small table maps to buckets already visited
 * in a larger one and vice versa. So an entry present for the whole scan is always returned, whatever
 * resizes happen between calls; an entry may be returned more than once.
 */
public final class Dict<E extends DictEntry> {
    /** DICT_HT_INITIAL_SIZE: the first bucket array of a dict has 4 buckets. */
    private static final int INITIAL_SIZE = 4;
    /** HASHTABLE_MIN_FILL: an array less than 10% full is shrunk (htNeedsResize). */
    private static final int MIN_FILL_PERCENT = 10;
    /** The largest power-of-two Java array; a table stops growing there and its chains get longer. */
    private static final int MAX_SIZE = 1 << 30;
    /** Buckets moved per slice when rehashing against a time budget, as dictRehashMilliseconds does. */
    private static final int REHASH_SLICE = 100;
    /** dictRehash gives up a step after visiting 10 empty buckets per bucket it was asked to move. */
    private static final int EMPTY_VISITS_PER_BUCKET = 10;
    private static final DictEntry[] EMPTY = new DictEntry[0];
    /** Redis seeds its hash function at random at startup, so bucket order differs from run to run. */
    private static final int SEED = ThreadLocalRandom.current().nextInt();

    private DictEntry[] table0 = EMPTY;
    /** The array being rehashed into; null when not rehashing. */
    private DictEntry[] table1;
    private int used0;
    private int used1;
    /** The next bucket of table0 to move; -1 when not rehashing. */
    private int rehashIndex = -1;

    /** The hash of a key: MurmurHash3 (x86, 32-bit) with a per-process random seed. */
    public static int hash(byte[] key) {
        int h = SEED;
        int len = key.length;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            int k = (key[i] & 0xff) | (key[i + 1] & 0xff) << 8 | (key[i + 2] & 0xff) << 16 | key[i + 3] << 24;
            h ^= mixKey(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (key[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (key[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= key[i] & 0xff;
                h ^= mixKey(k);
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixKey(int k) {
        return Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
    }

    /** The bytes of the bucket arrays as Redis allocates them: 8 per bucket, both tables while rehashing. */
    public long bucketBytes() {
        return 8L * (table0.length + (table1 == null ? 0 : table1.length));
    }

    /** The number of entries. */
    public int size() {
        return used0 + used1;
    }

    /** The entry whose key equals {@code key} (of hash {@code hash}), or null. */
    @SuppressWarnings("unchecked")
    public E find(byte[] key, int hash) {
        if (size() == 0) {
            return null;
        }
        if (isRehashing()) {
            rehash(1);
        }
        DictEntry e = findIn(table0, key, hash);
        if (e == null && table1 != null) {
            e = findIn(table1, key, hash);
        }
        return (E) e;
    }

    private static DictEntry findIn(DictEntry[] table, byte[] key, int hash) {
        for (DictEntry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** Adds an entry whose key is not in the dict yet (the caller checked with {@link #find}). */
    public void add(E entry) {
        if (isRehashing()) {
            rehash(1);
        }
        expandIfNeeded();
        insert(entry);
    }

    /**
     * Adds {@code entry} unless its key is there (dictAddRaw); returns whether it was added. As in Redis,
     * the rehash step and the growth check come before the lookup, so even a key already present may
     * start a resize: MEMORY USAGE sees the bucket arrays that follow.
     */
    public boolean addIfAbsent(E entry) {
        if (isRehashing()) {
            rehash(1);
        }
        expandIfNeeded();
        if (findIn(table0, entry.key, entry.hash) != null
                || table1 != null && findIn(table1, entry.key, entry.hash) != null) {
            return false;
        }
        insert(entry);
        return true;
    }

    private void insert(E entry) {
        DictEntry[] table = table1 != null ? table1 : table0;
        int index = entry.hash & (table.length - 1);
        entry.next = table[index];
        table[index] = entry;
        if (table == table1) {
            used1++;
        } else {
            used0++;
        }
    }

    /** Removes and returns the entry whose key equals {@code key}, or returns null. */
    @SuppressWarnings("unchecked")
    public E unlink(byte[] key, int hash) {
        if (size() == 0) {
            return null;
        }
        if (isRehashing()) {
            rehash(1);
        }
        DictEntry e = unlinkFrom(table0, key, hash);
        if (e != null) {
            used0--;
        } else if (table1 != null) {
            e = unlinkFrom(table1, key, hash);
            if (e != null) {
                used1--;
            }
        }
        if (e != null && used0 == 0 && table1 != null) {
            finishRehash();
        }
        return (E) e;
    }

    private static DictEntry unlinkFrom(DictEntry[] table, byte[] key, int hash) {
        int index = hash & (table.length - 1);
        DictEntry prev = null;
        for (DictEntry e = table[index]; e != null; prev = e, e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    table[index] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                return e;
            }
        }
        return null;
    }

    /**
     * Starts shrinking the table when it is less than 10% full (tryResizeHashTables): the new size is the
     * smallest power of two holding every entry, at least 4.
     */
    public void shrinkIfNeeded() {
        if (!isRehashing() && table0.length > INITIAL_SIZE
                && (long) used0 * 100 / table0.length < MIN_FILL_PERCENT) {
            resize(Math.max(used0, INITIAL_SIZE));
        }
    }

    /** Drops every entry and the bucket arrays. */
    public void clear() {
        table0 = EMPTY;
        table1 = null;
        used0 = 0;
        used1 = 0;
        rehashIndex = -1;
    }

    /**
     * One SCAN step (dictScan): calls {@code fn} for every entry of the bucket(s) the cursor names and
     * returns the next cursor, 0 when the scan is complete. {@code fn} must not modify the dict.
     */
    @SuppressWarnings("unchecked")
    public long scan(long cursor, Consumer<? super E> fn) {
        if (size() == 0) {
            return 0;
        }
        long v = cursor;
        if (!isRehashing()) {
            long mask = table0.length - 1;
            emit(table0[(int) (v & mask)], fn);
            v = nextCursor(v, mask);
        } else {
            DictEntry[] small = table0;
            DictEntry[] large = table1;
            if (small.length > large.length) {
                small = table1;
                large = table0;
            }
            long smallMask = small.length - 1;
            long largeMask = large.length - 1;
            emit(small[(int) (v & smallMask)], fn);
            // Then every bucket of the larger array that the smaller array's bucket expands into: the
            // indexes that agree with the cursor on the smaller mask's bits.
            do {
                emit(large[(int) (v & largeMask)], fn);
                v = nextCursor(v, largeMask);
            } while ((v & (smallMask ^ largeMask)) != 0);
        }
        return v;
    }

    /**
     * Increments the cursor's reversed bits within the mask: setting the bits above the mask first makes
     * the carry run through them and vanish, leaving only masked bits.
     */
    private static long nextCursor(long v, long mask) {
        return Long.reverse(Long.reverse(v | ~mask) + 1);
    }

    @SuppressWarnings("unchecked")
    private static <E extends DictEntry> void emit(DictEntry e, Consumer<? super E> fn) {
        while (e != null) {
            DictEntry next = e.next;
            fn.accept((E) e);
            e = next;
        }
    }

    /** Whether a resize is in progress. */
    public boolean isRehashing() {
        return table1 != null;
    }

    /**
     * Moves buckets to the new array in slices of 100 until the rehash completes or about
     * {@code budgetMicros} have passed (incrementallyRehash). Returns whether a rehash is still in progress.
     */
    public boolean rehashFor(long budgetMicros) {
        long deadline = System.nanoTime() + budgetMicros * 1000;
        while (isRehashing() && rehash(REHASH_SLICE)) {
            if (System.nanoTime() >= deadline) {
                return true;
            }
        }
        return isRehashing();
    }

    /** The bucket count of the main array, and of the array being rehashed into (0 when none). */
    int[] bucketCounts() {
        return new int[] {table0.length, table1 == null ? 0 : table1.length};
    }

    private void expandIfNeeded() {
        if (isRehashing()) {
            return;
        }
        if (table0.length == 0) {
            table0 = new DictEntry[INITIAL_SIZE];
        } else if (used0 >= table0.length) {
            resize(used0 + 1);
        }
    }

    /** Starts rehashing into an array of the smallest power of two at least {@code minSize}. */
    private void resize(int minSize) {
        int size = INITIAL_SIZE;
        while (size < minSize && size < MAX_SIZE) {
            size <<= 1;
        }
        if (size != table0.length) {
            table1 = new DictEntry[size];
            rehashIndex = 0;
        }
    }

    /**
     * Moves up to {@code buckets} non-empty buckets of table0 into table1 (dictRehash); returns whether
     * more remain. Gives up early after visiting too many empty buckets, so one step stays cheap.
     */
    private boolean rehash(int buckets) {
        int emptyVisits = buckets * EMPTY_VISITS_PER_BUCKET;
        int mask1 = table1.length - 1;
        while (buckets-- > 0 && used0 != 0) {
            while (table0[rehashIndex] == null) {
                rehashIndex++;
                if (--emptyVisits == 0) {
                    return true;
                }
            }
            DictEntry e = table0[rehashIndex];
            while (e != null) {
                DictEntry next = e.next;
                int index = e.hash & mask1;
                e.next = table1[index];
                table1[index] = e;
                used0--;
                used1++;
                e = next;
            }
            table0[rehashIndex++] = null;
        }
        if (used0 == 0) {
            finishRehash();
            return false;
        }
        return true;
    }

    private void finishRehash() {
        table0 = table1;
        used0 = used1;
        table1 = null;
        used1 = 0;
        rehashIndex = -1;
    }
}
