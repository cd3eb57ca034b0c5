package dev.clusteremu.server.keyspace;

import java.util.Arrays;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * A listpack (listpack.c) kept in its serialized form: a growable byte array holding a 6-byte header (total
 * bytes as a 32-bit and the element count as a 16-bit little-endian number, 65535 meaning "count them"),
 * the elements, and a 0xFF terminator. Each element is its encoding and data followed by a "backlen" (the
 * size of encoding and data, 1 to 5 bytes written so that it reads backwards), so a listpack can be walked
 * both ways.
 *
 * <p>Encodings: a 7-bit unsigned integer in one byte; 13, 16, 24, 32 and 64-bit signed integers; strings
 * with a 6, 12 or 32-bit length. A string that reads as a canonical 64-bit integer (lpStringToInt64) is
 * stored as an integer in its smallest encoding, as Redis stores it. Streams keep their nodes in this form
 * because RDB files and DUMP payloads carry listpacks byte for byte.
 *
 * <p>Elements are addressed by their offset in the array; offsets after a change in size move.
 *
 * <p>Beside the bytes, the listpack keeps the size of the allocation Redis would hold for it
 * (lp_malloc_size), which MEMORY USAGE reports for stream nodes: a new stream node is preallocated, grows
 * only when an element no longer fits the allocation, and is reallocated to its exact size (rounded up to
 * the allocator's size class) whenever it shrinks.
 */
public final class Listpack {
    /** LP_HDR_SIZE: total bytes (4) and number of elements (2). */
    public static final int HEADER_SIZE = 6;
    private static final int EOF = 0xFF;
    /** LP_HDR_NUMELE_UNKNOWN: the element count no longer fits the header and must be counted. */
    private static final int NUMELE_UNKNOWN = 0xFFFF;
    /** LONG_STR_SIZE: strings of 21 bytes or more are never read as integers. */
    private static final int LONG_STR_SIZE = 21;

    private byte[] buf;
    private int size;
    /** lp_malloc_size: the usable size of the allocation holding the listpack. */
    private long allocated;

    /** An empty listpack (lpNew) in an allocation of at least {@code capacity} bytes. */
    public Listpack(int capacity) {
        buf = new byte[64];
        size = HEADER_SIZE + 1;
        allocated = ObjectSize.jemallocSize(Math.max(capacity, size));
        setTotalBytes(size);
        setNumElements(0);
        buf[HEADER_SIZE] = (byte) EOF;
    }

    /** A listpack of {@code bytes}, allocated to fit as an RDB load or a copy allocates it. */
    private Listpack(byte[] bytes) {
        buf = bytes;
        size = bytes.length;
        allocated = ObjectSize.jemallocSize(size);
    }

    /**
     * The listpack {@code bytes} hold, after checking every element (lpValidateIntegrity in deep mode): the
     * header's size matches, each element's encoding and backlen agree and stay inside, the count matches
     * (unless unknown) and the terminator ends it. Null if any check fails. The array is kept, not copied.
     */
    public static Listpack validated(byte[] bytes) {
        if (bytes.length < HEADER_SIZE + 1 || readLE(bytes, 0, 4) != bytes.length
                || (bytes[bytes.length - 1] & 0xff) != EOF) {
            return null;
        }
        Listpack lp = new Listpack(bytes);
        long count = 0;
        int p = HEADER_SIZE;
        while ((bytes[p] & 0xff) != EOF) {
            int next = lp.validatedNext(p);
            if (next < 0) {
                return null;
            }
            p = next;
            count++;
        }
        if (p != bytes.length - 1) {
            return null;
        }
        int numele = (int) readLE(bytes, 4, 2);
        return numele == NUMELE_UNKNOWN || numele == count ? lp : null;
    }

    /** lpValidateNext: the offset after the element at {@code p}, or -1 if it is malformed or runs out. */
    private int validatedNext(int p) {
        int b = buf[p] & 0xff;
        int lenBytes = (b & 0xf0) == 0xe0 ? 2 : b == 0xf0 ? 5 : isKnownEncoding(b) ? 1 : 0;
        if (lenBytes == 0 || p + lenBytes > size - 1) {
            return -1;
        }
        long encoded = encodedSize(p);
        long entry = encoded + backlenSize(encoded);
        if (p + entry > size - 1) {
            return -1;
        }
        int next = (int) (p + entry);
        long backlen = decodeBacklen(next - 1);
        if (backlen < 0 || backlen + backlenSize(encoded) != entry) {
            return -1;
        }
        return next;
    }

    private static boolean isKnownEncoding(int b) {
        return (b & 0x80) == 0 || (b & 0xc0) == 0x80 || (b & 0xe0) == 0xc0 || (b >= 0xf1 && b <= 0xf4);
    }

    /** A copy of the listpack's bytes, exactly {@link #totalBytes()} of them. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    /** lpBytes: the size of the listpack, header and terminator included. */
    public int totalBytes() {
        return size;
    }

    /** A copy that can be changed independently, allocated to fit (streamDup copies lpBytes bytes). */
    public Listpack copy() {
        return new Listpack(toBytes());
    }

    /** lp_malloc_size: the bytes of the allocation Redis would hold for this listpack. */
    public long allocatedBytes() {
        return allocated;
    }

    /** lpShrinkToFit: gives back the allocation beyond the listpack's size. */
    public void shrinkToFit() {
        if (size < allocated) {
            allocated = ObjectSize.jemallocSize(size);
        }
    }

    /**
     * lpInsert's reallocation: a listpack growing past its allocation is reallocated to the new size, and
     * one that shrinks is always reallocated to it.
     */
    private void resized(int newSize) {
        if ((newSize > size && newSize > allocated) || newSize < size) {
            allocated = ObjectSize.jemallocSize(newSize);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Walking
    // ---------------------------------------------------------------------------------------------------------

    /** The offset of the first element, or -1 if the listpack is empty. */
    public int first() {
        return (buf[HEADER_SIZE] & 0xff) == EOF ? -1 : HEADER_SIZE;
    }

    /** The offset of the last element, or -1 if the listpack is empty. */
    public int last() {
        return prev(size - 1);
    }

    /** The offset of the element after the one at {@code p}, or -1 if it was the last. */
    public int next(int p) {
        long encoded = encodedSize(p);
        int q = (int) (p + encoded + backlenSize(encoded));
        return (buf[q] & 0xff) == EOF ? -1 : q;
    }

    /** The offset of the element before the one at {@code p} (or before the terminator), or -1. */
    public int prev(int p) {
        if (p <= HEADER_SIZE) {
            return -1;
        }
        long encoded = decodeBacklen(p - 1);
        return (int) (p - backlenSize(encoded) - encoded);
    }

    /** The size of the encoding and data of the element at {@code p} (lpCurrentEncodedSizeUnsafe). */
    private long encodedSize(int p) {
        int b = buf[p] & 0xff;
        if ((b & 0x80) == 0) {
            return 1;
        } else if ((b & 0xc0) == 0x80) {
            return 1 + (b & 0x3f);
        } else if ((b & 0xe0) == 0xc0) {
            return 2;
        } else if ((b & 0xf0) == 0xe0) {
            return 2 + (((b & 0x0f) << 8) | (buf[p + 1] & 0xff));
        }
        return switch (b) {
            case 0xf1 -> 3;
            case 0xf2 -> 4;
            case 0xf3 -> 5;
            case 0xf4 -> 9;
            case 0xf0 -> 5 + readLE(buf, p + 1, 4);
            default -> throw new IllegalStateException("bad listpack encoding " + b);
        };
    }

    /** lpEncodeBacklen's size: how many bytes the backlen of an element of {@code len} bytes takes. */
    private static int backlenSize(long len) {
        if (len <= 127) {
            return 1;
        } else if (len < 16383) {
            return 2;
        } else if (len < 2097151) {
            return 3;
        } else if (len < 268435455) {
            return 4;
        }
        return 5;
    }

    /** lpDecodeBacklen of the backlen ending at {@code p}; -1 if it uses more than five bytes. */
    private long decodeBacklen(int p) {
        long value = 0;
        int shift = 0;
        while (true) {
            int b = buf[p] & 0xff;
            value |= (long) (b & 127) << shift;
            if ((b & 128) == 0) {
                return value;
            }
            shift += 7;
            p--;
            if (shift > 28 || p < HEADER_SIZE) {
                return -1;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading elements
    // ---------------------------------------------------------------------------------------------------------

    /** Whether the element at {@code p} is string-encoded. */
    public boolean isString(int p) {
        int b = buf[p] & 0xff;
        return (b & 0xc0) == 0x80 || (b & 0xf0) == 0xe0 || b == 0xf0;
    }

    /**
     * The element at {@code p} as a 64-bit integer (lpGetIntegerIfValid): an integer element as it is, a
     * string element if it spells one; null otherwise.
     */
    public Long integerAt(int p) {
        if (!isString(p)) {
            return intValue(p);
        }
        byte[] s = bytesAt(p);
        return RedisNumbers.isLong(s) ? RedisNumbers.parseLong(s) : null;
    }

    /** {@link #integerAt} for elements the format guarantees are integers (stream counters, flags, ids). */
    public long longAt(int p) {
        Long v = integerAt(p);
        if (v == null) {
            throw new IllegalStateException("listpack element at " + p + " is not an integer");
        }
        return v;
    }

    /** The element at {@code p} as bytes (lpGet): an integer element as its decimal digits. */
    public byte[] bytesAt(int p) {
        int b = buf[p] & 0xff;
        int start;
        int len;
        if ((b & 0xc0) == 0x80) {
            start = p + 1;
            len = b & 0x3f;
        } else if ((b & 0xf0) == 0xe0) {
            start = p + 2;
            len = ((b & 0x0f) << 8) | (buf[p + 1] & 0xff);
        } else if (b == 0xf0) {
            start = p + 5;
            len = (int) readLE(buf, p + 1, 4);
        } else {
            return RedisNumbers.toBytes(intValue(p));
        }
        return Arrays.copyOfRange(buf, start, start + len);
    }

    /** Whether the element at {@code p} equals {@code s} as lpGet would render it. */
    public boolean equalsAt(int p, byte[] s) {
        return Arrays.equals(bytesAt(p), s);
    }

    private long intValue(int p) {
        int b = buf[p] & 0xff;
        if ((b & 0x80) == 0) {
            return b;
        } else if ((b & 0xe0) == 0xc0) {
            long v = ((b & 0x1f) << 8) | (buf[p + 1] & 0xff);
            return v >= 1 << 12 ? v - (1 << 13) : v;
        }
        return switch (b) {
            case 0xf1 -> (short) readLE(buf, p + 1, 2);
            case 0xf2 -> (readLE(buf, p + 1, 3) << 40) >> 40;
            case 0xf3 -> (int) readLE(buf, p + 1, 4);
            case 0xf4 -> readLE(buf, p + 1, 8);
            default -> throw new IllegalStateException("not an integer encoding " + b);
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing elements
    // ---------------------------------------------------------------------------------------------------------

    /** lpAppend: appends {@code s}, as an integer if it spells one (lpStringToInt64), else as a string. */
    public void append(byte[] s) {
        insert(size - 1, encode(s));
    }

    /** lpAppendInteger: appends {@code v} in its smallest integer encoding. */
    public void appendInteger(long v) {
        insert(size - 1, encodeInteger(v));
    }

    /**
     * lpReplaceInteger: replaces the element at {@code p} with {@code v}; the elements after it move if the
     * size changes, the element itself stays at {@code p}.
     */
    public void replaceInteger(int p, long v) {
        long encoded = encodedSize(p);
        int oldLen = (int) (encoded + backlenSize(encoded));
        byte[] element = encodeInteger(v);
        int delta = element.length - oldLen;
        resized(size + delta);
        ensureCapacity(size + delta);
        System.arraycopy(buf, p + oldLen, buf, p + element.length, size - p - oldLen);
        System.arraycopy(element, 0, buf, p, element.length);
        size += delta;
        setTotalBytes(size);
    }

    /** Writes {@code element} (encoding, data and backlen) at {@code p}, before what is there. */
    private void insert(int p, byte[] element) {
        resized(size + element.length);
        ensureCapacity(size + element.length);
        System.arraycopy(buf, p, buf, p + element.length, size - p);
        System.arraycopy(element, 0, buf, p, element.length);
        size += element.length;
        setTotalBytes(size);
        int numele = (int) readLE(buf, 4, 2);
        if (numele != NUMELE_UNKNOWN) {
            setNumElements(numele + 1);
        }
    }

    /** An element holding {@code s}: an integer encoding when it spells a canonical integer. */
    private static byte[] encode(byte[] s) {
        if (s.length > 0 && s.length < LONG_STR_SIZE && RedisNumbers.isLong(s)) {
            return encodeInteger(RedisNumbers.parseLong(s));
        }
        int len = s.length;
        int header = len < 64 ? 1 : len < 4096 ? 2 : 5;
        byte[] body = new byte[header + len];
        if (len < 64) {
            body[0] = (byte) (0x80 | len);
        } else if (len < 4096) {
            body[0] = (byte) (0xe0 | (len >> 8));
            body[1] = (byte) len;
        } else {
            body[0] = (byte) 0xf0;
            writeLE(body, 1, 4, len);
        }
        System.arraycopy(s, 0, body, header, len);
        return withBacklen(body);
    }

    /** lpEncodeIntegerGetType: {@code v} in the smallest of the integer encodings that holds it. */
    private static byte[] encodeInteger(long v) {
        byte[] body;
        if (v >= 0 && v <= 127) {
            body = new byte[] {(byte) v};
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1 << 13) + v : v;
            body = new byte[] {(byte) (0xc0 | (u >> 8)), (byte) u};
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            body = integerBody(0xf1, v, 2);
        } else if (v >= -8388608 && v <= 8388607) {
            body = integerBody(0xf2, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            body = integerBody(0xf3, v, 4);
        } else {
            body = integerBody(0xf4, v, 8);
        }
        return withBacklen(body);
    }

    private static byte[] integerBody(int encoding, long v, int bytes) {
        byte[] body = new byte[1 + bytes];
        body[0] = (byte) encoding;
        writeLE(body, 1, bytes, v);
        return body;
    }

    /** The element: encoding and data, then lpEncodeBacklen of their size. */
    private static byte[] withBacklen(byte[] body) {
        long l = body.length;
        int n = backlenSize(l);
        byte[] element = Arrays.copyOf(body, body.length + n);
        int at = body.length;
        // The first backlen byte carries the highest 7 bits without a continuation flag; each following one
        // carries the next 7 bits with bit 7 set, so reading backwards from the end finds the low bits first.
        for (int i = 0; i < n; i++) {
            int shift = 7 * (n - 1 - i);
            int bits = (int) ((l >>> shift) & 127);
            element[at + i] = (byte) (i == 0 ? bits : bits | 128);
        }
        return element;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    private void setTotalBytes(int v) {
        writeLE(buf, 0, 4, v);
    }

    private void setNumElements(int v) {
        writeLE(buf, 4, 2, v);
    }

    private static long readLE(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    private static void writeLE(byte[] b, int off, int n, long v) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
