package dev.clusteremu.server.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the zipmap byte layout (zipmap.c) in which Redis 2.4 and earlier saved small hashes (RDB type 9).
 * Redis 7.0 still loads it, converting it to a listpack; so does the emulator, through the fields and values
 * this returns.
 *
 * <p>Layout: a count byte (meaningless from 254 up), then per pair the field's length, the field, the
 * value's length, a "free" byte counting unused bytes after the value, the value and those free bytes; then
 * the end byte 0xFF. A length is one byte below 254, else 254 and a u32 (little-endian, as every machine
 * Redis ran on wrote it).
 */
public final class Zipmap {

    private static final int BIGLEN = 254;
    private static final int END = 0xFF;

    private Zipmap() {
    }

    /**
     * The fields and values of a zipmap, alternating, after the checks of zipmapValidateIntegrity in deep
     * mode: every length within bounds, at least one pair, the count byte (when below 254) right, and the
     * terminator as the last byte.
     *
     * @throws RdbFormatException when {@code blob} is not a well-formed, non-empty zipmap
     */
    public static List<byte[]> decode(byte[] blob) throws RdbFormatException {
        if (blob.length < 2 || (blob[blob.length - 1] & 0xff) != END) {
            throw corrupt();
        }
        int last = blob.length - 1;
        List<byte[]> elements = new ArrayList<>();
        int pos = 1;
        while ((blob[pos] & 0xff) != END) {
            long fieldLen = length(blob, pos, last);
            pos += lengthSize(blob[pos]);
            elements.add(slice(blob, pos, fieldLen, last));
            pos += (int) fieldLen;
            long valueLen = length(blob, pos, last);
            pos += lengthSize(blob[pos]);
            if (pos >= last) {
                throw corrupt();
            }
            int free = blob[pos++] & 0xff;
            elements.add(slice(blob, pos, valueLen, last));
            pos += (int) valueLen;
            if (free > last - pos) {
                throw corrupt();
            }
            pos += free;
        }
        int count = blob[0] & 0xff;
        if (pos != last || elements.isEmpty() || (count != BIGLEN && count != elements.size() / 2)) {
            throw corrupt();
        }
        return elements;
    }

    private static int lengthSize(byte first) {
        return (first & 0xff) < BIGLEN ? 1 : 5;
    }

    private static long length(byte[] blob, int pos, int last) throws RdbFormatException {
        int first = blob[pos] & 0xff;
        if (first < BIGLEN) {
            return first;
        }
        if (first == END || 5 > last - pos) {
            throw corrupt();
        }
        return (blob[pos + 1] & 0xffL) | (blob[pos + 2] & 0xffL) << 8 | (blob[pos + 3] & 0xffL) << 16
                | (blob[pos + 4] & 0xffL) << 24;
    }

    private static byte[] slice(byte[] blob, int from, long len, int limit) throws RdbFormatException {
        if (from > limit || len > limit - from) {
            throw corrupt();
        }
        byte[] out = new byte[(int) len];
        System.arraycopy(blob, from, out, 0, (int) len);
        return out;
    }

    private static RdbFormatException corrupt() {
        return new RdbFormatException("Zipmap integrity check failed.");
    }
}
