package dev.clusteremu.server.hyperloglog;

/**
 * MurmurHash2, 64-bit version (Austin Appleby's MurmurHash64A), as hyperloglog.c uses it: input words are
 * read little-endian whatever the platform, so that every Redis build, and this one, hashes an element to
 * the same register and run of zeros.
 */
public final class MurmurHash64A {
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private MurmurHash64A() {
    }

    /** The 64-bit hash of {@code data} with {@code seed} (a 32-bit unsigned seed, as Redis passes it). */
    public static long hash(byte[] data, long seed) {
        int len = data.length;
        long h = seed ^ (len * M);
        int words = len & ~7;
        for (int i = 0; i < words; i += 8) {
            long k = littleEndian(data, i, 8);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = len & 7;
        if (tail != 0) {
            h ^= littleEndian(data, words, tail);
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }

    private static long littleEndian(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }
}
