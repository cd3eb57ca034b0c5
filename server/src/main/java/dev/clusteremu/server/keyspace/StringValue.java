package dev.clusteremu.server.keyspace;

import java.util.Arrays;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * A string value, in one of Redis's three string encodings, which OBJECT ENCODING reports:
 * <ul>
 * <li>int: a number stored as a long, for strings that string2ll parses and that are at most 20 bytes;</li>
 * <li>embstr: an immutable string of at most 44 bytes (OBJ_ENCODING_EMBSTR_SIZE_LIMIT);</li>
 * <li>raw: any other string, and every string that APPEND or SETRANGE modified.</li>
 * </ul>
 * Which encoding a value gets depends on the command that made it, exactly as in Redis: SET and friends
 * pick the smallest (tryObjectEncoding), INCRBYFLOAT never makes int (createStringObject), APPEND and
 * SETRANGE always leave raw (dbUnshareStringValue).
 *
 * <p>Only a raw value that owns its buffer is ever modified in place ({@link #unshare}), so the argument
 * arrays a value was made from are never written to. Its buffer has spare room so that a run of APPENDs
 * costs amortized O(1) per byte, as sds does.
 */
public final class StringValue implements RedisObject {
    /** OBJECT ENCODING's names for the string encodings. */
    public enum Encoding {
        INT("int"), EMBSTR("embstr"), RAW("raw");

        private final String encodingName;

        Encoding(String encodingName) {
            this.encodingName = encodingName;
        }
    }

    /** OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to 44 bytes fit in one allocation with their header. */
    public static final int EMBSTR_SIZE_LIMIT = 44;
    /** tryObjectEncoding only tries to read strings of at most 20 bytes as numbers. */
    private static final int INT_MAX_LENGTH = 20;
    /** SDS_MAX_PREALLOC: growth doubles the buffer below 1 MB and adds 1 MB above. */
    private static final int MAX_PREALLOC = 1024 * 1024;
    /** The largest Java array. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Encoding encoding;
    private final long intValue;
    /** The bytes, null for int; for raw, only the first {@link #len} are the value. */
    private byte[] buf;
    private int len;
    private final boolean ownsBuffer;

    private StringValue(Encoding encoding, long intValue, byte[] buf, int len, boolean ownsBuffer) {
        this.encoding = encoding;
        this.intValue = intValue;
        this.buf = buf;
        this.len = len;
        this.ownsBuffer = ownsBuffer;
    }

    /**
     * The value for bytes a client sent, in the smallest encoding that holds them (tryObjectEncoding).
     * The array is kept, not copied: the caller must not modify it afterwards.
     */
    public static StringValue of(byte[] bytes) {
        if (bytes.length <= INT_MAX_LENGTH && RedisNumbers.isLong(bytes)) {
            return ofLong(RedisNumbers.parseLong(bytes));
        }
        return create(bytes);
    }

    /** An int-encoded value (createStringObjectFromLongLongForValue). */
    public static StringValue ofLong(long value) {
        return new StringValue(Encoding.INT, value, null, 0, false);
    }

    /** A value that is never int-encoded: embstr up to 44 bytes, raw above (createStringObject). */
    public static StringValue create(byte[] bytes) {
        Encoding e = bytes.length <= EMBSTR_SIZE_LIMIT ? Encoding.EMBSTR : Encoding.RAW;
        return new StringValue(e, 0, bytes, bytes.length, false);
    }

    /**
     * A raw value owning {@code bytes}, whatever their length (createObject(OBJ_STRING, sds)): what BITOP and
     * the HyperLogLog commands store. The caller must not use the array afterwards.
     */
    public static StringValue raw(byte[] bytes) {
        return new StringValue(Encoding.RAW, 0, bytes, bytes.length, true);
    }

    /** A raw value of {@code length} zero bytes that owns its buffer (SETRANGE on a missing key). */
    public static StringValue zeros(int length) {
        return new StringValue(Encoding.RAW, 0, new byte[length], length, true);
    }

    @Override
    public ObjectType type() {
        return ObjectType.STRING;
    }

    @Override
    public String encodingName() {
        return encoding.encodingName;
    }

    public Encoding encoding() {
        return encoding;
    }

    /** Whether the value is int-encoded; then {@link #intValue()} holds it. */
    public boolean isInt() {
        return encoding == Encoding.INT;
    }

    /** The number of an int-encoded value. */
    public long intValue() {
        return intValue;
    }

    /** The length in bytes (stringObjectLen). */
    public int length() {
        return encoding == Encoding.INT ? RedisNumbers.decimalLength(intValue) : len;
    }

    /**
     * The bytes the value's buffer has room for (sdsalloc): its length, or more after in-place growth;
     * the length for int and embstr values. For memory accounting.
     */
    public int capacity() {
        return encoding == Encoding.RAW ? Math.max(len, buf.length) : length();
    }

    /**
     * The value's bytes, exactly {@link #length()} of them. For an int, a fresh array; otherwise the value's
     * own array, which callers must neither modify nor keep beyond the current command.
     */
    public byte[] bytes() {
        if (encoding == Encoding.INT) {
            return RedisNumbers.toBytes(intValue);
        }
        if (buf.length != len) {
            // Trim the spare room once, so that reading a grown string costs no copy the next time.
            buf = Arrays.copyOf(buf, len);
        }
        return buf;
    }

    /** Whether the value reads as a 64-bit integer under string2ll rules (getLongLongFromObject). */
    public boolean isLong() {
        return encoding == Encoding.INT || RedisNumbers.isLong(buf, 0, len);
    }

    /** The value as a 64-bit integer; only when {@link #isLong()}. */
    public long toLong() {
        return encoding == Encoding.INT ? intValue : RedisNumbers.parseLong(buf, 0, len);
    }

    /**
     * This value if it is raw and owns its buffer, else a raw copy that does (dbUnshareStringValue): the
     * only kind of value {@link #append} and {@link #setRange} may modify.
     */
    public StringValue unshare() {
        if (encoding == Encoding.RAW && ownsBuffer) {
            return this;
        }
        byte[] copy = bytes().clone();
        return new StringValue(Encoding.RAW, 0, copy, copy.length, true);
    }

    /** dupStringObject: this value itself unless it owns a buffer that APPEND or SETRANGE may change. */
    @Override
    public StringValue duplicate() {
        if (encoding != Encoding.RAW || !ownsBuffer) {
            return this;
        }
        byte[] copy = Arrays.copyOf(buf, len);
        return new StringValue(Encoding.RAW, 0, copy, len, false);
    }

    /** Appends {@code tail} in place; the value must come from {@link #unshare}. Returns the new length. */
    public int append(byte[] tail) {
        requireOwned();
        makeRoomFor(len + tail.length);
        System.arraycopy(tail, 0, buf, len, tail.length);
        len += tail.length;
        return len;
    }

    /**
     * Overwrites the bytes at {@code offset} with {@code value}, first padding with zero bytes up to the
     * offset; the value must come from {@link #unshare}. Returns the new length.
     */
    public int setRange(int offset, byte[] value) {
        requireOwned();
        int end = offset + value.length;
        if (end > len) {
            makeRoomFor(end);
            Arrays.fill(buf, len, end, (byte) 0);
            len = end;
        }
        System.arraycopy(value, 0, buf, offset, value.length);
        return len;
    }

    /**
     * Pads the value with zero bytes up to {@code length} bytes if it is shorter (sdsgrowzero); the value
     * must come from {@link #unshare}. Returns whether it grew.
     */
    public boolean growZero(int length) {
        requireOwned();
        if (length <= len) {
            return false;
        }
        makeRoomFor(length);
        Arrays.fill(buf, len, length, (byte) 0);
        len = length;
        return true;
    }

    /**
     * The buffer of a value from {@link #unshare}, whose first {@link #length()} bytes are the value: for
     * commands that change bits in place (SETBIT, BITFIELD, PFADD). Valid until the value next grows.
     */
    public byte[] mutableBytes() {
        requireOwned();
        return buf;
    }

    private void requireOwned() {
        if (encoding != Encoding.RAW || !ownsBuffer) {
            throw new IllegalStateException("modifying a shared or encoded string: unshare() it first");
        }
    }

    /** Grows the buffer to hold {@code needed} bytes with sds's greedy preallocation. */
    private void makeRoomFor(int needed) {
        if (needed <= buf.length) {
            return;
        }
        long capacity = needed < MAX_PREALLOC ? 2L * needed : (long) needed + MAX_PREALLOC;
        buf = Arrays.copyOf(buf, (int) Math.min(capacity, MAX_ARRAY));
    }
}
