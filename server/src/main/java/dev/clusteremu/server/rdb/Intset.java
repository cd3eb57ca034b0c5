package dev.clusteremu.server.rdb;

/**
 * The intset byte layout (intset.c) in which Redis keeps sets of integers and saves them to RDB as one
 * string (type 11): the encoding, i.e. the width of every element in bytes (2, 4 or 8; u32 LE), the count
 * (u32 LE), then the elements in ascending order, little-endian, all of that width.
 *
 * <p>The width is the smallest that held the largest-magnitude element ever added: adding 100000 to a set
 * of small numbers widens every element to 4 bytes, and removing it again does not narrow them back
 * (intsetRemove never downgrades). The in-memory set keeps its width for that reason, so a DUMP shows it.
 */
public final class Intset {

    /** INTSET_ENC_INT16, INT32, INT64: element widths in bytes. */
    public static final int WIDTH_16 = 2;
    public static final int WIDTH_32 = 4;
    public static final int WIDTH_64 = 8;

    private static final int HEADER_SIZE = 8;

    /** An intset's width and its elements, ascending. */
    public record Contents(int width, long[] elements) {
    }

    private Intset() {
    }

    /** _intsetValueEncoding: the width {@code v} needs. */
    public static int widthOf(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return WIDTH_64;
        } else if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            return WIDTH_32;
        }
        return WIDTH_16;
    }

    /** The intset of the first {@code count} of {@code sorted} (ascending, distinct) at {@code width}. */
    public static byte[] encode(long[] sorted, int count, int width) {
        byte[] out = new byte[HEADER_SIZE + count * width];
        putLE(out, 0, width, 4);
        putLE(out, 4, count, 4);
        for (int i = 0; i < count; i++) {
            putLE(out, HEADER_SIZE + i * width, sorted[i], width);
        }
        return out;
    }

    private static void putLE(byte[] out, int pos, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out[pos + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * The contents of an intset blob, checked as intsetValidateIntegrity does in deep mode: a known width,
     * a size that matches the count, at least one element, ascending without duplicates.
     *
     * @throws RdbFormatException when {@code blob} is not a well-formed, non-empty intset
     */
    public static Contents decode(byte[] blob) throws RdbFormatException {
        if (blob.length < HEADER_SIZE) {
            throw corrupt();
        }
        long width = getLE(blob, 0, 4) & 0xFFFFFFFFL;
        long count = getLE(blob, 4, 4) & 0xFFFFFFFFL;
        if ((width != WIDTH_16 && width != WIDTH_32 && width != WIDTH_64) || count == 0
                || HEADER_SIZE + count * width != blob.length) {
            throw corrupt();
        }
        long[] elements = new long[(int) count];
        for (int i = 0; i < count; i++) {
            elements[i] = getLE(blob, HEADER_SIZE + i * (int) width, (int) width);
            if (i > 0 && elements[i] <= elements[i - 1]) {
                throw corrupt();
            }
        }
        return new Contents((int) width, elements);
    }

    /** {@code bytes} little-endian bytes at {@code pos}, sign-extended. */
    private static long getLE(byte[] b, int pos, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xff);
        }
        int unused = 64 - 8 * bytes;
        return (v << unused) >> unused;
    }

    private static RdbFormatException corrupt() {
        return new RdbFormatException("Intset integrity check failed.");
    }
}
