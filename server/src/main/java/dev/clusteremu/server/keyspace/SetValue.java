package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.function.Consumer;

import dev.clusteremu.server.rdb.Intset;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * A set value (t_set.c) in one of Redis 7.0's two encodings, which OBJECT ENCODING reports:
 * <ul>
 * <li>intset: a sorted array of 64-bit integers, for sets whose members all read as integers under
 * string2ll rules ("12", "-5"; not "012" or "1.0"), iterated in ascending order;</li>
 * <li>hashtable: a dict of members, in no particular order.</li>
 * </ul>
 * Redis 7.0 has no listpack sets. An intset converts to hashtable when a non-integer member is added or
 * when it grows past set-max-intset-entries (capped at 2^30) members; a hashtable set never converts back.
 * The intset also keeps its element width (see {@link Intset}), which only grows, for its DUMP to be Redis's.
 */
public final class SetValue implements RedisObject {
    /** OBJECT ENCODING's names for the set encodings. */
    public enum Encoding {
        INTSET("intset"), HASHTABLE("hashtable");

        private final String encodingName;

        Encoding(String encodingName) {
            this.encodingName = encodingName;
        }
    }

    /** setTypeAdd limits intsets to 2^30 members whatever set-max-intset-entries says. */
    private static final long MAX_INTSET_ENTRIES = 1L << 30;
    private static final int INITIAL_INTS = 4;

    /** Intset form: the members ascending, the first {@link #count} of them; null when hashtable. */
    private long[] ints;
    private int count;
    /** The intset's element width in bytes: 2, 4 or 8. */
    private int width;
    /** Hashtable form; null when intset. */
    private ElementTable table;

    private SetValue(long[] ints, int count, int width, ElementTable table) {
        this.ints = ints;
        this.count = count;
        this.width = width;
        this.table = table;
    }

    /** An empty intset (createIntsetObject), 16-bit wide, to be filled before it is stored under a key. */
    public static SetValue createIntset() {
        return new SetValue(new long[INITIAL_INTS], 0, Intset.WIDTH_16, null);
    }

    /** An empty hashtable set (createSetObject) presized for {@code expected} members. */
    public static SetValue createHashtable(int expected) {
        return new SetValue(null, 0, 0, new ElementTable(expected));
    }

    /**
     * setTypeCreate: an empty set of the encoding that can hold {@code firstMember}: an intset for an
     * integer, else a hashtable.
     */
    public static SetValue createFor(byte[] firstMember) {
        return RedisNumbers.isLong(firstMember) ? createIntset() : createHashtable(0);
    }

    /**
     * An intset holding {@code sorted} (ascending, distinct, non-empty) at {@code width}, as an RDB holds
     * it; the array is kept.
     */
    public static SetValue ofIntset(long[] sorted, int width) {
        return new SetValue(sorted, sorted.length, width, null);
    }

    @Override
    public ObjectType type() {
        return ObjectType.SET;
    }

    @Override
    public String encodingName() {
        return encoding().encodingName;
    }

    /** setTypeDup: the same members in the same encoding (an intset keeps its width). */
    @Override
    public SetValue duplicate() {
        if (table != null) {
            return new SetValue(null, 0, 0, table.duplicate());
        }
        return new SetValue(Arrays.copyOf(ints, ints.length), count, width, null);
    }

    public Encoding encoding() {
        return table == null ? Encoding.INTSET : Encoding.HASHTABLE;
    }

    /** The hashtable form, or null for an intset. */
    ElementTable table() {
        return table;
    }

    /** The number of members (setTypeSize). */
    public int size() {
        return table == null ? count : table.size();
    }

    /** The member at {@code i} (0 &lt;= i &lt; size) in iteration order: ascending, or the table's. */
    public byte[] memberAt(int i) {
        return table == null ? RedisNumbers.toBytes(ints[i]) : table.at(i).key();
    }

    /** The intset's members ascending, the first {@link #size()} of the array; only for an intset. */
    public long[] intsetMembers() {
        return ints;
    }

    /** The intset's element width in bytes (2, 4 or 8); only for an intset. */
    public int intsetWidth() {
        return width;
    }

    /** setTypeIsMember. */
    public boolean contains(byte[] member) {
        if (table != null) {
            return table.find(member) != null;
        }
        return RedisNumbers.isLong(member) && indexOf(RedisNumbers.parseLong(member)) >= 0;
    }

    /** Binary search of the intset: the index of {@code v}, or -(insertion point) - 1. */
    private int indexOf(long v) {
        return Arrays.binarySearch(ints, 0, count, v);
    }

    /**
     * setTypeAdd: adds {@code member} (kept, not copied), converting an intset to hashtable when the member
     * is not an integer or the intset would pass {@code maxIntsetEntries}. Returns whether it was added.
     */
    public boolean add(byte[] member, long maxIntsetEntries) {
        if (table != null) {
            return table.addIfAbsent(member, null);
        }
        if (!RedisNumbers.isLong(member)) {
            convertToHashtable(count);
            table.add(member, null);
            return true;
        }
        if (!addInteger(RedisNumbers.parseLong(member))) {
            return false;
        }
        if (count > Math.min(maxIntsetEntries, MAX_INTSET_ENTRIES)) {
            convertToHashtable(count);
        }
        return true;
    }

    /** intsetAdd: inserts {@code v} in order, widening every element if it needs more bytes. */
    private boolean addInteger(long v) {
        int at = indexOf(v);
        if (at >= 0) {
            return false;
        }
        at = -at - 1;
        if (count == ints.length) {
            ints = Arrays.copyOf(ints, count * 2);
        }
        System.arraycopy(ints, at, ints, at + 1, count - at);
        ints[at] = v;
        count++;
        width = Math.max(width, Intset.widthOf(v));
        return true;
    }

    /** setTypeRemove: removes {@code member}; returns whether it was there. An intset keeps its width. */
    public boolean remove(byte[] member) {
        if (table != null) {
            return table.remove(member);
        }
        if (!RedisNumbers.isLong(member)) {
            return false;
        }
        int at = indexOf(RedisNumbers.parseLong(member));
        if (at < 0) {
            return false;
        }
        System.arraycopy(ints, at + 1, ints, at, count - at - 1);
        count--;
        return true;
    }

    /** setTypeConvert to OBJ_ENCODING_HT, presized for {@code expected} members. */
    public void convertToHashtable(int expected) {
        if (table != null) {
            return;
        }
        ElementTable converted = new ElementTable(Math.max(expected, count));
        for (int i = 0; i < count; i++) {
            converted.add(RedisNumbers.toBytes(ints[i]), null);
        }
        table = converted;
        ints = null;
        count = 0;
        width = 0;
    }

    /**
     * One SSCAN step over a hashtable-encoded set (dictScan): calls {@code fn} for each member of the
     * bucket(s) at {@code cursor} and returns the next cursor, 0 when done. An intset has no cursor: SSCAN
     * returns it whole.
     */
    public long scan(long cursor, Consumer<byte[]> fn) {
        if (table == null) {
            throw new IllegalStateException("an intset is scanned whole");
        }
        return table.scan(cursor, e -> fn.accept(e.key()));
    }
}
