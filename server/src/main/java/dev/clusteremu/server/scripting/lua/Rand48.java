package dev.clusteremu.server.scripting.lua;

/**
 * redisLrand48 and redisSrand48 (rand.c): the 48-bit linear congruential generator of drand48, which
 * math.random draws from. Redis keeps one for the whole process, shared by EVAL scripts and functions and
 * untouched by SCRIPT FLUSH, so a node keeps one too.
 */
public final class Rand48 {
    private long x = 0x1234ABCD330EL;

    /** The next value, 31 bits. */
    synchronized int next() {
        x = (x * 0x5DEECE66DL + 0xB) & 0xFFFFFFFFFFFFL;
        return (int) (x >>> 17);
    }

    /** Seeds the generator: the seed's 32 bits above 0x330E. */
    synchronized void seed(int seed) {
        x = ((long) seed << 16 | 0x330E) & 0xFFFFFFFFFFFFL;
    }
}
