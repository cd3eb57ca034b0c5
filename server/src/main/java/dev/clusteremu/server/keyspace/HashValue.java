package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.function.BiConsumer;

import dev.clusteremu.server.rdb.Listpack;

/**
 * A hash value (t_hash.c) in one of Redis 7.0's two encodings, which OBJECT ENCODING reports:
 * <ul>
 * <li>listpack: the field/value pairs in insertion order (an update keeps the field's place, a delete
 * closes the gap), looked up by a linear scan as lpFind does. Every hash starts here.</li>
 * <li>hashtable: a dict of fields, in no particular order.</li>
 * </ul>
 * A hash converts to hashtable once it holds more than hash-max-listpack-entries pairs, or when a field or
 * value longer than hash-max-listpack-value bytes is written into it, or when its listpack would pass 1 GB;
 * it never converts back (hashTypeConvert panics on the way back). The callers pass the limits, which are
 * CONFIG parameters.
 *
 * <p>The listpack form is kept as its pairs plus the byte size the listpack would have; the listpack bytes
 * themselves depend only on the pairs (see {@link Listpack}), so they are written when the hash is dumped.
 */
public final class HashValue implements RedisObject {
    /** OBJECT ENCODING's names for the hash encodings. */
    public enum Encoding {
        LISTPACK("listpack"), HASHTABLE("hashtable");

        private final String encodingName;

        Encoding(String encodingName) {
            this.encodingName = encodingName;
        }
    }

    private static final int INITIAL_PAIRS = 4;

    /** Listpack form: fields[i] and values[i] for i &lt; count, in listpack order; null when hashtable. */
    private byte[][] fields;
    private byte[][] values;
    private int count;
    /** lpBytes of the listpack holding these pairs: what lpSafeToAdd compares with its limit. */
    private long listpackBytes;
    /** Hashtable form; null when listpack. */
    private ElementTable table;

    private HashValue() {
        fields = new byte[INITIAL_PAIRS][];
        values = new byte[INITIAL_PAIRS][];
        listpackBytes = Listpack.emptySize();
    }

    private HashValue(HashValue from) {
        if (from.table != null) {
            table = from.table.duplicate();
        } else {
            fields = Arrays.copyOf(from.fields, from.fields.length);
            values = Arrays.copyOf(from.values, from.values.length);
            count = from.count;
            listpackBytes = from.listpackBytes;
        }
    }

    /** An empty listpack-encoded hash (createHashObject), to be filled before it is stored under a key. */
    public static HashValue create() {
        return new HashValue();
    }

    @Override
    public ObjectType type() {
        return ObjectType.HASH;
    }

    @Override
    public String encodingName() {
        return encoding().encodingName;
    }

    /** hashTypeDup: the same pairs in the same encoding and order; field and value arrays are shared. */
    @Override
    public HashValue duplicate() {
        return new HashValue(this);
    }

    public Encoding encoding() {
        return table == null ? Encoding.LISTPACK : Encoding.HASHTABLE;
    }

    /** lpBytes of the listpack form. */
    long listpackBytes() {
        return listpackBytes;
    }

    /** The hashtable form, or null for a listpack hash. */
    ElementTable table() {
        return table;
    }

    /** The number of fields (hashTypeLength). */
    public int size() {
        return table == null ? count : table.size();
    }

    /** The value of {@code field}, or null when the hash has no such field. Callers must not modify it. */
    public byte[] get(byte[] field) {
        if (table != null) {
            ElementTable.Element e = table.find(field);
            return e == null ? null : e.value;
        }
        int i = indexOf(field);
        return i < 0 ? null : values[i];
    }

    private int indexOf(byte[] field) {
        for (int i = 0; i < count; i++) {
            if (Arrays.equals(fields[i], field)) {
                return i;
            }
        }
        return -1;
    }

    /** The field at {@code i} (0 &lt;= i &lt; size) in iteration order: listpack order, or the table's. */
    public byte[] fieldAt(int i) {
        return table == null ? fields[i] : table.at(i).key();
    }

    /** The value of the field at {@code i}, as {@link #fieldAt}. */
    public byte[] valueAt(int i) {
        return table == null ? values[i] : table.at(i).value;
    }

    /** Calls {@code fn} with every field and its value, in iteration order. */
    public void forEach(BiConsumer<byte[], byte[]> fn) {
        int n = size();
        for (int i = 0; i < n; i++) {
            fn.accept(fieldAt(i), valueAt(i));
        }
    }

    /**
     * One HSCAN step over a hashtable-encoded hash (dictScan): calls {@code fn} for each pair of the bucket(s)
     * at {@code cursor} and returns the next cursor, 0 when done. A listpack hash has no cursor: HSCAN
     * returns it whole.
     */
    public long scan(long cursor, BiConsumer<byte[], byte[]> fn) {
        if (table == null) {
            throw new IllegalStateException("a listpack hash is scanned whole");
        }
        return table.scan(cursor, e -> fn.accept(e.key(), e.value));
    }

    /**
     * hashTypeTryConversion: converts a listpack hash to hashtable before {@code args[from..to]} (fields and
     * values about to be written) go in, when one is longer than {@code maxListpackValue} or all of them
     * together would take the listpack past 1 GB.
     */
    public void convertIfTooLong(byte[][] args, int from, int to, long maxListpackValue) {
        if (table != null) {
            return;
        }
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (args[i].length > maxListpackValue) {
                convertToHashtable();
                return;
            }
            sum += args[i].length;
        }
        if (!isSafeToAdd(sum)) {
            convertToHashtable();
        }
    }

    /** lpSafeToAdd: whether {@code bytes} more keep the listpack within Redis's 1 GB safety limit. */
    public boolean isSafeToAdd(long bytes) {
        return listpackBytes + bytes <= Listpack.MAX_SAFETY_SIZE;
    }

    /**
     * hashTypeSet: sets {@code field} to {@code value}, converting to hashtable first when either is longer
     * than {@code maxListpackValue}, and afterwards when the hash then holds more than
     * {@code maxListpackEntries} fields. Returns true when the field existed (an update), false when added.
     * The arrays are kept, not copied: callers must not modify them afterwards.
     */
    public boolean set(byte[] field, byte[] value, long maxListpackEntries, long maxListpackValue) {
        if (table == null && (field.length > maxListpackValue || value.length > maxListpackValue)) {
            convertToHashtable();
        }
        boolean update = set(field, value);
        if (table == null && count > maxListpackEntries) {
            convertToHashtable();
        }
        return update;
    }

    /**
     * Sets {@code field} to {@code value} in the current encoding, without any conversion: what the RDB
     * loader does while it decides the encoding itself. Returns true when the field existed.
     */
    public boolean set(byte[] field, byte[] value) {
        if (table != null) {
            ElementTable.Element e = table.find(field);
            if (e != null) {
                e.value = value;
                return true;
            }
            table.add(field, value);
            return false;
        }
        int i = indexOf(field);
        if (i >= 0) {
            listpackBytes += Listpack.entrySize(value) - Listpack.entrySize(values[i]);
            values[i] = value;
            return true;
        }
        if (count == fields.length) {
            fields = Arrays.copyOf(fields, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        fields[count] = field;
        values[count] = value;
        count++;
        listpackBytes += Listpack.entrySize(field) + Listpack.entrySize(value);
        return false;
    }

    /** hashTypeDelete: removes {@code field}; returns whether it was there. */
    public boolean delete(byte[] field) {
        if (table != null) {
            return table.remove(field);
        }
        int i = indexOf(field);
        if (i < 0) {
            return false;
        }
        listpackBytes -= Listpack.entrySize(fields[i]) + Listpack.entrySize(values[i]);
        int tail = count - i - 1;
        System.arraycopy(fields, i + 1, fields, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        count--;
        fields[count] = null;
        values[count] = null;
        return true;
    }

    /** hashTypeConvert to OBJ_ENCODING_HT; a hashtable hash stays as it is. */
    public void convertToHashtable() {
        if (table != null) {
            return;
        }
        ElementTable converted = new ElementTable(count);
        for (int i = 0; i < count; i++) {
            converted.add(fields[i], values[i]);
        }
        table = converted;
        fields = null;
        values = null;
        count = 0;
    }
}
