package dev.clusteremu.server.rdb;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * Reads the ziplist byte layout (ziplist.c) that Redis before 7.0 saved small hashes, sorted sets and lists
 * in (RDB types 10, 12, 13 and the nodes of type 14). Redis 7.0 never writes one but loads them all,
 * converting each to a listpack; so does the emulator, through the elements this returns.
 *
 * <p>Layout: total bytes (u32 LE), offset of the last entry (u32 LE), entry count (u16 LE, 65535 when it
 * does not fit), the entries, and the end byte 0xFF. An entry is the previous entry's length (1 byte, or
 * 0xFE and a u32 LE), its encoding, and its data: a string with a 6, 14 (big-endian) or 32-bit (big-endian)
 * length, or an integer of 8, 16, 24, 32 or 64 bits, or 0-12 in the encoding byte itself.
 */
public final class Ziplist {

    private static final int HEADER_SIZE = 10;
    private static final int END = 0xFF;
    /** ZIP_BIG_PREVLEN: a previous-entry length of 254 or more takes 5 bytes. */
    private static final int BIG_PREVLEN = 0xFE;
    private static final int COUNT_UNKNOWN = 0xFFFF;

    private static final int STR_14B = 0x40;
    private static final int STR_32B = 0x80;
    private static final int INT_16B = 0xC0;
    private static final int INT_32B = 0xD0;
    private static final int INT_64B = 0xE0;
    private static final int INT_24B = 0xF0;
    private static final int INT_8B = 0xFE;
    private static final int INT_IMM_MIN = 0xF1;
    private static final int INT_IMM_MAX = 0xFD;

    private Ziplist() {
    }

    /**
     * The elements of a ziplist, integers as their decimal spelling, after the checks of
     * ziplistValidateIntegrity in deep mode: lengths within bounds, each entry's previous-length equal to
     * the previous entry's size, the tail offset on the last entry, the count, and the terminator.
     *
     * @throws RdbFormatException when {@code blob} is not a well-formed ziplist
     */
    public static List<byte[]> decode(byte[] blob) throws RdbFormatException {
        if (blob.length < HEADER_SIZE + 1 || u32(blob, 0) != blob.length) {
            throw corrupt("header");
        }
        long tail = u32(blob, 4);
        int declared = (blob[8] & 0xff) | (blob[9] & 0xff) << 8;
        int last = blob.length - 1;
        List<byte[]> elements = new ArrayList<>();
        int pos = HEADER_SIZE;
        int previousSize = 0;
        int lastEntry = HEADER_SIZE;
        while (pos < last) {
            int start = pos;
            int prevlen = blob[pos] & 0xff;
            if (prevlen == BIG_PREVLEN) {
                need(pos, 5, last);
                long big = u32(blob, pos + 1);
                prevlen = big > Integer.MAX_VALUE ? -1 : (int) big;
                pos += 5;
            } else {
                pos += 1;
            }
            if (prevlen != previousSize) {
                throw corrupt("previous entry length");
            }
            need(pos, 1, last);
            int enc = blob[pos] & 0xff;
            byte[] element;
            if ((enc & 0xC0) == 0) {
                int len = enc & 0x3F;
                element = slice(blob, pos + 1, len, last);
                pos += 1 + len;
            } else if ((enc & 0xC0) == STR_14B) {
                need(pos, 2, last);
                int len = ((enc & 0x3F) << 8) | (blob[pos + 1] & 0xff);
                element = slice(blob, pos + 2, len, last);
                pos += 2 + len;
            } else if (enc == STR_32B) {
                need(pos, 5, last);
                long len = (blob[pos + 1] & 0xffL) << 24 | (blob[pos + 2] & 0xffL) << 16
                        | (blob[pos + 3] & 0xffL) << 8 | (blob[pos + 4] & 0xffL);
                if (len > last - pos - 5) {
                    throw corrupt("string length");
                }
                element = slice(blob, pos + 5, (int) len, last);
                pos += 5 + (int) len;
            } else if (enc >= INT_IMM_MIN && enc <= INT_IMM_MAX) {
                element = RedisNumbers.toBytes((enc & 0x0F) - 1);
                pos += 1;
            } else {
                int bytes = switch (enc) {
                    case INT_8B -> 1;
                    case INT_16B -> 2;
                    case INT_24B -> 3;
                    case INT_32B -> 4;
                    case INT_64B -> 8;
                    default -> throw corrupt("encoding " + enc);
                };
                need(pos, 1 + bytes, last);
                long v = 0;
                for (int i = bytes - 1; i >= 0; i--) {
                    v = (v << 8) | (blob[pos + 1 + i] & 0xff);
                }
                int unused = 64 - 8 * bytes;
                element = RedisNumbers.toBytes((v << unused) >> unused);
                pos += 1 + bytes;
            }
            previousSize = pos - start;
            lastEntry = start;
            elements.add(element);
        }
        if (pos != last || (blob[last] & 0xff) != END) {
            throw corrupt("terminator");
        }
        if (tail != lastEntry) {
            throw corrupt("tail offset");
        }
        if (declared != COUNT_UNKNOWN && declared != elements.size()) {
            throw corrupt("entry count");
        }
        return elements;
    }

    private static byte[] slice(byte[] blob, int from, int len, int limit) throws RdbFormatException {
        if (from > limit || len > limit - from) {
            throw corrupt("string length");
        }
        byte[] out = new byte[len];
        System.arraycopy(blob, from, out, 0, len);
        return out;
    }

    private static void need(int pos, int bytes, int limit) throws RdbFormatException {
        if (bytes > limit - pos) {
            throw corrupt("entry beyond the end");
        }
    }

    private static long u32(byte[] b, int pos) {
        return (b[pos] & 0xffL) | (b[pos + 1] & 0xffL) << 8 | (b[pos + 2] & 0xffL) << 16 | (b[pos + 3] & 0xffL) << 24;
    }

    private static RdbFormatException corrupt(String what) {
        return new RdbFormatException("Ziplist integrity check failed: " + what);
    }
}
