package dev.clusteremu.server.rdb;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * The listpack byte layout of Redis 7.0 (listpack.c), in which small hashes, sorted sets and list nodes are
 * kept in memory and saved to RDB as one string.
 *
 * <p>Layout: total bytes (u32 LE), element count (u16 LE, 65535 when it does not fit), the entries, and the
 * end byte 0xFF. An entry is its encoding and data, then a "backlen": the length of encoding + data written
 * backwards in 7-bit groups, so the list can be walked from either end.
 *
 * <p>An element that string2ll reads as a 64-bit integer ("123", "-5"; never "007" or "+1") is always stored
 * as an integer in the smallest of six integer encodings, anything else as a string with a 6, 12 or 32-bit
 * length (lpEncodeGetType). The bytes of a listpack are therefore a function of its elements alone, which
 * is why the emulator keeps the elements and writes the listpack only when it is dumped: the result is
 * Redis's, byte for byte. Integers read back as their decimal spelling, which is the string they came from.
 */
public final class Listpack {

    /** LP_HDR_SIZE: the u32 total length and the u16 element count. */
    public static final int HEADER_SIZE = 6;
    /** The one-byte terminator. */
    public static final int END_SIZE = 1;
    /** LISTPACK_MAX_SAFETY_SIZE: Redis keeps listpacks below 1 GB (lpSafeToAdd), converting beyond. */
    public static final long MAX_SAFETY_SIZE = 1L << 30;

    /** LP_HDR_NUMELE_UNKNOWN: the count field when the element count does not fit 16 bits. */
    private static final int NUMELE_UNKNOWN = 0xFFFF;
    private static final int END = 0xFF;

    private static final int ENC_6BIT_STR = 0x80;
    private static final int ENC_13BIT_INT = 0xC0;
    private static final int ENC_12BIT_STR = 0xE0;
    private static final int ENC_32BIT_STR = 0xF0;
    private static final int ENC_16BIT_INT = 0xF1;
    private static final int ENC_24BIT_INT = 0xF2;
    private static final int ENC_32BIT_INT = 0xF3;
    private static final int ENC_64BIT_INT = 0xF4;

    private Listpack() {
    }

    /**
     * The bytes {@code element} takes in a listpack, backlen included: what lpInsert adds to the total
     * length, and so what lpSafeToAdd's limit counts.
     */
    public static long entrySize(byte[] element) {
        long encoded = encodedSize(element);
        return encoded + backlenSize(encoded);
    }

    /** The bytes of a listpack holding nothing: header and terminator. */
    public static long emptySize() {
        return HEADER_SIZE + END_SIZE;
    }

    /** Encoding and data of one element, without its backlen (lpEncodeGetType's enclen). */
    private static long encodedSize(byte[] element) {
        if (RedisNumbers.isLong(element)) {
            long v = RedisNumbers.parseLong(element);
            if (v >= 0 && v <= 127) {
                return 1;
            } else if (v >= -4096 && v <= 4095) {
                return 2;
            } else if (v >= -32768 && v <= 32767) {
                return 3;
            } else if (v >= -8388608 && v <= 8388607) {
                return 4;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return 5;
            }
            return 9;
        }
        int len = element.length;
        return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5L + len;
    }

    /** lpEncodeBacklen's size: 7 bits per byte. */
    private static int backlenSize(long l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** The listpack holding {@code elements} in order, byte for byte as Redis builds it with lpAppend. */
    public static byte[] encode(List<byte[]> elements) {
        long total = emptySize();
        for (byte[] e : elements) {
            total += entrySize(e);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a listpack of " + total + " bytes");
        }
        byte[] out = new byte[(int) total];
        putU32(out, 0, total);
        int count = elements.size() < NUMELE_UNKNOWN ? elements.size() : NUMELE_UNKNOWN;
        out[4] = (byte) count;
        out[5] = (byte) (count >>> 8);
        int pos = HEADER_SIZE;
        for (byte[] e : elements) {
            int start = pos;
            pos = putEntry(out, pos, e);
            pos = putBacklen(out, pos, pos - start);
        }
        out[pos] = (byte) END;
        return out;
    }

    /** Writes the encoding and data of one element at {@code pos}; returns the position after them. */
    private static int putEntry(byte[] out, int pos, byte[] e) {
        if (RedisNumbers.isLong(e)) {
            return putInteger(out, pos, RedisNumbers.parseLong(e));
        }
        int len = e.length;
        if (len < 64) {
            out[pos++] = (byte) (ENC_6BIT_STR | len);
        } else if (len < 4096) {
            out[pos++] = (byte) (ENC_12BIT_STR | (len >>> 8));
            out[pos++] = (byte) len;
        } else {
            out[pos++] = (byte) ENC_32BIT_STR;
            putU32(out, pos, len);
            pos += 4;
        }
        System.arraycopy(e, 0, out, pos, len);
        return pos + len;
    }

    /** lpEncodeIntegerGetType: the smallest integer encoding, two's complement little-endian. */
    private static int putInteger(byte[] out, int pos, long v) {
        if (v >= 0 && v <= 127) {
            out[pos++] = (byte) v;
            return pos;
        }
        int bytes;
        if (v >= -4096 && v <= 4095) {
            long u = v & 0x1FFF;
            out[pos++] = (byte) (ENC_13BIT_INT | (u >>> 8));
            out[pos++] = (byte) u;
            return pos;
        } else if (v >= -32768 && v <= 32767) {
            out[pos++] = (byte) ENC_16BIT_INT;
            bytes = 2;
        } else if (v >= -8388608 && v <= 8388607) {
            out[pos++] = (byte) ENC_24BIT_INT;
            bytes = 3;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out[pos++] = (byte) ENC_32BIT_INT;
            bytes = 4;
        } else {
            out[pos++] = (byte) ENC_64BIT_INT;
            bytes = 8;
        }
        for (int i = 0; i < bytes; i++) {
            out[pos++] = (byte) (v >>> (8 * i));
        }
        return pos;
    }

    /** lpEncodeBacklen: the most significant 7-bit group first, every byte but the first flagged 0x80. */
    private static int putBacklen(byte[] out, int pos, long l) {
        int n = backlenSize(l);
        for (int i = 0; i < n; i++) {
            int shift = 7 * (n - 1 - i);
            int group = (int) ((l >>> shift) & 127);
            out[pos++] = (byte) (i == 0 ? group : group | 128);
        }
        return pos;
    }

    private static void putU32(byte[] out, int pos, long v) {
        for (int i = 0; i < 4; i++) {
            out[pos + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * The elements of a listpack, integers as their decimal spelling. The whole structure is checked (as
     * lpValidateIntegrity does in deep mode): the header's length and count, each entry's encoding, data
     * and backlen within bounds, and the terminator as the last byte.
     *
     * @throws RdbFormatException when {@code blob} is not a well-formed listpack
     */
    public static List<byte[]> decode(byte[] blob) throws RdbFormatException {
        if (blob.length < HEADER_SIZE + END_SIZE || u32(blob, 0) != blob.length) {
            throw corrupt("header");
        }
        int declared = (blob[4] & 0xff) | (blob[5] & 0xff) << 8;
        List<byte[]> elements = new ArrayList<>();
        int pos = HEADER_SIZE;
        int last = blob.length - END_SIZE;
        while (pos < last) {
            int start = pos;
            int enc = blob[pos] & 0xff;
            byte[] element;
            if ((enc & 0x80) == 0) {
                element = RedisNumbers.toBytes(enc);
                pos += 1;
            } else if ((enc & 0xC0) == ENC_6BIT_STR) {
                int len = enc & 0x3F;
                element = slice(blob, pos + 1, len, last);
                pos += 1 + len;
            } else if ((enc & 0xE0) == ENC_13BIT_INT) {
                need(pos, 2, last);
                long u = ((enc & 0x1F) << 8) | (blob[pos + 1] & 0xff);
                element = RedisNumbers.toBytes(u >= 4096 ? u - 8192 : u);
                pos += 2;
            } else if ((enc & 0xF0) == ENC_12BIT_STR) {
                need(pos, 2, last);
                int len = ((enc & 0x0F) << 8) | (blob[pos + 1] & 0xff);
                element = slice(blob, pos + 2, len, last);
                pos += 2 + len;
            } else if (enc == ENC_32BIT_STR) {
                need(pos, 5, last);
                long len = u32(blob, pos + 1);
                if (len > last - pos - 5) {
                    throw corrupt("string length");
                }
                element = slice(blob, pos + 5, (int) len, last);
                pos += 5 + (int) len;
            } else if (enc >= ENC_16BIT_INT && enc <= ENC_64BIT_INT) {
                int bytes = switch (enc) {
                    case ENC_16BIT_INT -> 2;
                    case ENC_24BIT_INT -> 3;
                    case ENC_32BIT_INT -> 4;
                    default -> 8;
                };
                need(pos, 1 + bytes, last);
                long v = 0;
                for (int i = bytes - 1; i >= 0; i--) {
                    v = (v << 8) | (blob[pos + 1 + i] & 0xff);
                }
                int unused = 64 - 8 * bytes;
                element = RedisNumbers.toBytes((v << unused) >> unused);
                pos += 1 + bytes;
            } else {
                throw corrupt("encoding " + enc);
            }
            long encoded = pos - start;
            int backlen = backlenSize(encoded);
            need(pos, backlen, last);
            byte[] expected = new byte[backlen];
            putBacklen(expected, 0, encoded);
            for (int i = 0; i < backlen; i++) {
                if (blob[pos + i] != expected[i]) {
                    throw corrupt("backlen");
                }
            }
            pos += backlen;
            elements.add(element);
        }
        if (pos != last || (blob[last] & 0xff) != END) {
            throw corrupt("terminator");
        }
        if (declared != NUMELE_UNKNOWN && declared != elements.size()) {
            throw corrupt("element count");
        }
        return elements;
    }

    private static byte[] slice(byte[] blob, int from, int len, int limit) throws RdbFormatException {
        if (len < 0 || from > limit || len > limit - from) {
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
        return new RdbFormatException("Listpack integrity check failed: " + what);
    }
}
