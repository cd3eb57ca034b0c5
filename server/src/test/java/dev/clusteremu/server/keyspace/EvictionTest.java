package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The eviction policies on a keyspace with a clock the test moves: which keys each policy gives up first,
 * when eviction gives up, and the LRU and LFU access data it decides by.
 */
class EvictionTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Keyspace keyspace = new Keyspace(now::get);
    private final Eviction eviction = new Eviction(keyspace);
    private final List<String> evicted = new ArrayList<>();
    private boolean lfu;

    EvictionTest() {
        keyspace.setAccessPolicy(new KeyAccess.Policy() {
            @Override
            public boolean lfu() {
                return lfu;
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
                return false;
            }
        });
    }

    private static byte[] key(String k) {
        return k.getBytes(US_ASCII);
    }

    private void set(String k) {
        keyspace.setKey(key(k), StringValue.of(key("value-of-" + k)), false);
    }

    /** Evicts until the dataset is at most {@code bytes} (sampling 50 keys a round, so that small keyspaces are
     *  sampled whole); returns whether that was reached. */
    private boolean evictDownTo(long bytes, Eviction.Policy policy) {
        return eviction.perform(keyspace::datasetBytes, bytes, policy, 50,
                k -> evicted.add(new String(k, US_ASCII)));
    }

    @Test
    void allkeysLruEvictsTheKeysIdleLongestFirst() {
        for (int i = 0; i < 5; i++) {
            set("k" + i);
            now.addAndGet(10_000);
        }
        keyspace.lookupRead(key("k0"));
        long oneKey = keyspace.memoryUsage(key("k0"));
        assertTrue(evictDownTo(keyspace.datasetBytes() - 2 * oneKey, Eviction.Policy.ALLKEYS_LRU));
        assertEquals(List.of("k1", "k2"), evicted);
        assertNotNull(keyspace.peek(key("k0")));
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpireAndNeverAPersistentKey() {
        set("persistent");
        set("late");
        set("soon");
        keyspace.setExpire(key("late"), now.get() + 100_000);
        keyspace.setExpire(key("soon"), now.get() + 1_000);
        assertTrue(evictDownTo(keyspace.datasetBytes() - 1, Eviction.Policy.VOLATILE_TTL));
        assertEquals(List.of("soon"), evicted);
        assertFalse(evictDownTo(0, Eviction.Policy.VOLATILE_TTL));
        assertEquals(List.of("soon", "late"), evicted);
        assertNotNull(keyspace.peek(key("persistent")));
    }

    @Test
    void volatileRandomAndVolatileLruOnlyTakeKeysWithAnExpire() {
        set("a");
        set("b");
        set("c");
        keyspace.setExpire(key("b"), now.get() + 100_000);
        assertFalse(evictDownTo(0, Eviction.Policy.VOLATILE_RANDOM));
        assertEquals(List.of("b"), evicted);
        keyspace.setExpire(key("c"), now.get() + 100_000);
        assertFalse(evictDownTo(0, Eviction.Policy.VOLATILE_LRU));
        assertEquals(List.of("b", "c"), evicted);
        assertEquals(1, keyspace.size());
    }

    @Test
    void allkeysRandomEmptiesTheKeyspaceIfItMust() {
        for (int i = 0; i < 50; i++) {
            set("k" + i);
        }
        assertTrue(evictDownTo(0, Eviction.Policy.ALLKEYS_RANDOM));
        assertEquals(50, evicted.size());
        assertEquals(0, keyspace.size());
        assertEquals(0, keyspace.datasetBytes());
    }

    @Test
    void noevictionEvictsNothing() {
        set("a");
        assertFalse(evictDownTo(0, Eviction.Policy.NOEVICTION));
        assertTrue(evictDownTo(keyspace.datasetBytes(), Eviction.Policy.NOEVICTION));
        assertEquals(List.of(), evicted);
    }

    @Test
    void allkeysLfuEvictsTheLeastFrequentlyUsed() {
        lfu = true;
        set("cold");
        set("hot");
        for (int i = 0; i < 200; i++) {
            keyspace.lookupRead(key("hot"));
        }
        assertTrue(keyspace.frequency(key("hot")) > keyspace.frequency(key("cold")));
        assertTrue(evictDownTo(keyspace.datasetBytes() - 1, Eviction.Policy.ALLKEYS_LFU));
        assertEquals(List.of("cold"), evicted);
    }

    @Test
    void lfuCountersStartAtFiveAndDecayOnePerMinute() {
        lfu = true;
        set("k");
        assertEquals(5, keyspace.frequency(key("k")));
        keyspace.lookupRead(key("k"));
        assertEquals(6, keyspace.frequency(key("k")));
        now.addAndGet(3 * 60_000);
        assertEquals(3, keyspace.frequency(key("k")));
        now.addAndGet(60 * 60_000);
        assertEquals(0, keyspace.frequency(key("k")));
    }

    @Test
    void idleTimeCountsFromTheLastAccessButNotFromLookupsThatDontTouch() {
        set("k");
        now.addAndGet(5_000);
        assertEquals(5_000, keyspace.idleMillis(key("k")));
        keyspace.lookupReadNoTouch(key("k"));
        assertEquals(5_000, keyspace.idleMillis(key("k")));
        keyspace.lookupRead(key("k"));
        assertEquals(0, keyspace.idleMillis(key("k")));
        now.addAndGet(2_500);
        keyspace.restoreAccess(key("k"), -1, 100);
        assertEquals(100_000, keyspace.idleMillis(key("k")));
    }

    @Test
    void theDatasetSizeFollowsEveryChange() {
        set("a");
        long one = keyspace.datasetBytes();
        assertEquals(one, keyspace.memoryUsage(key("a")));
        set("b");
        assertEquals(2 * one, keyspace.datasetBytes());
        keyspace.delete(key("a"));
        assertEquals(one, keyspace.datasetBytes());
        keyspace.setExpire(key("b"), now.get() + 10);
        now.addAndGet(20);
        assertNull(keyspace.lookupRead(key("b")));
        assertEquals(0, keyspace.datasetBytes());
        set("c");
        keyspace.clear();
        assertEquals(0, keyspace.datasetBytes());
    }
}
