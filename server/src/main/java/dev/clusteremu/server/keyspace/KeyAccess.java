package dev.clusteremu.server.keyspace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The access data Redis keeps in each value's 24-bit {@code lru} field (evict.c), for OBJECT IDLETIME /
 * FREQ and for the LRU and LFU eviction policies. The field has one of two meanings, chosen by
 * maxmemory-policy at the time it is written:
 * <ul>
 * <li>LRU: the LRU clock of the last access, seconds modulo 2^24 (LRU_CLOCK);</li>
 * <li>LFU: the last decrement time in minutes modulo 2^16 (ldt, upper 16 bits) and a logarithmic access
 * counter (lower 8 bits), which starts at {@link #LFU_INIT_VAL} so that new keys are not evicted first.</li>
 * </ul>
 * As in Redis, switching policies at runtime leaves the old meaning in place until keys are accessed again.
 */
public final class KeyAccess {
    /** LRU_CLOCK_MAX: the LRU clock wraps at 24 bits. */
    static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    /** LRU_CLOCK_RESOLUTION: the LRU clock ticks once a second. */
    static final long LRU_CLOCK_RESOLUTION_MS = 1000;
    /** LFU_INIT_VAL: a new key's counter, so that it survives a while before being judged unpopular. */
    static final int LFU_INIT_VAL = 5;

    /** The policy parameters an access is recorded under; read at each access. */
    public interface Policy {
        /** Whether maxmemory-policy is an LFU one (MAXMEMORY_FLAG_LFU). */
        boolean lfu();

        /** lfu-log-factor. */
        int lfuLogFactor();

        /** lfu-decay-time, in minutes. */
        int lfuDecayTime();

        /**
         * Whether the integers 0..9999 are shared objects: unless maxmemory is set with an LRU or LFU
         * policy, which needs access data per value (MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
         */
        boolean sharesIntegers();
    }

    /** The default policy (noeviction): LRU data, LFU parameters at their defaults. */
    static final Policy LRU = new Policy() {
        @Override
        public boolean lfu() {
            return false;
        }

        @Override
        public int lfuLogFactor() {
            return 10;
        }

        @Override
        public int lfuDecayTime() {
            return 1;
        }

        @Override
        public boolean sharesIntegers() {
            return true;
        }
    };

    private KeyAccess() {
    }

    /** LRU_CLOCK() at {@code nowMs}. */
    static int lruClock(long nowMs) {
        return (int) ((nowMs / LRU_CLOCK_RESOLUTION_MS) & LRU_CLOCK_MAX);
    }

    /** The field of a value just created (createObject): the LRU clock, or LFU data for a new key. */
    static int initial(Policy policy, long nowMs) {
        return policy.lfu() ? (lfuTimeInMinutes(nowMs) << 8) | LFU_INIT_VAL : lruClock(nowMs);
    }

    /** The field after an access (lookupKey without LOOKUP_NOTOUCH): the clock, or a decayed then bumped counter. */
    static int accessed(int field, Policy policy, long nowMs) {
        if (!policy.lfu()) {
            return lruClock(nowMs);
        }
        int counter = logIncrement(decayedCounter(field, policy, nowMs), policy.lfuLogFactor());
        return (lfuTimeInMinutes(nowMs) << 8) | counter;
    }

    /** estimateObjectIdleTime: milliseconds since the recorded LRU clock, allowing for one wrap of the clock. */
    static long idleMillis(int field, long nowMs) {
        long clock = lruClock(nowMs);
        long lru = field & LRU_CLOCK_MAX;
        long ticks = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
        return ticks * LRU_CLOCK_RESOLUTION_MS;
    }

    /**
     * LFUDecrAndReturn: the counter less one per lfu-decay-time minutes elapsed since the last decrement,
     * not below 0. The field itself is not updated: only a real access does that.
     */
    static int decayedCounter(int field, Policy policy, long nowMs) {
        int ldt = (field >>> 8) & 0xffff;
        int counter = field & 0xff;
        long periods = policy.lfuDecayTime() == 0 ? 0 : lfuTimeElapsed(ldt, nowMs) / policy.lfuDecayTime();
        return periods > counter ? 0 : counter - (int) periods;
    }

    /** The LFU field RESTORE FREQ sets (objectSetLRUOrLFU): the counter as given, decremented now. */
    static int withFrequency(int counter, long nowMs) {
        return (lfuTimeInMinutes(nowMs) << 8) | (counter & 0xff);
    }

    /** The LRU field for an idle time restored with RESTORE IDLETIME (objectSetLRUOrLFU). */
    static int withIdleSeconds(long idleSeconds, long nowMs) {
        long clock = lruClock(nowMs);
        long ticks = idleSeconds * 1000 / LRU_CLOCK_RESOLUTION_MS;
        long lru = clock - ticks;
        if (lru < 0) {
            lru += LRU_CLOCK_MAX;
        }
        return (int) (lru & LRU_CLOCK_MAX);
    }

    /**
     * LFULogIncr: increments the counter with probability 1 / ((counter - LFU_INIT_VAL) * log_factor + 1),
     * saturating at 255, so that it grows with the logarithm of the number of accesses.
     */
    private static int logIncrement(int counter, int logFactor) {
        if (counter == 255) {
            return 255;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * logFactor + 1);
        return r < p ? counter + 1 : counter;
    }

    /** LFUGetTimeInMinutes: Unix minutes, low 16 bits. */
    private static int lfuTimeInMinutes(long nowMs) {
        return (int) ((nowMs / 1000 / 60) & 0xffff);
    }

    /** LFUTimeElapsed: minutes since {@code ldt}, taking the 16-bit time to have wrapped at most once. */
    private static long lfuTimeElapsed(int ldt, long nowMs) {
        int now = lfuTimeInMinutes(nowMs);
        return now >= ldt ? now - ldt : 65535 - ldt + now;
    }
}
