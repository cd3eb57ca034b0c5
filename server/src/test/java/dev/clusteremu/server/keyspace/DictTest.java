package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

class DictTest {

    private static final class Entry extends DictEntry {
        Entry(String key) {
            super(key.getBytes(ISO_8859_1));
        }

        String name() {
            return new String(key(), ISO_8859_1);
        }
    }

    private static Entry add(Dict<Entry> d, String key) {
        Entry e = new Entry(key);
        d.add(e);
        return e;
    }

    private static Entry find(Dict<Entry> d, String key) {
        byte[] k = key.getBytes(ISO_8859_1);
        return d.find(k, Dict.hash(k));
    }

    private static Entry unlink(Dict<Entry> d, String key) {
        byte[] k = key.getBytes(ISO_8859_1);
        return d.unlink(k, Dict.hash(k));
    }

    @Test
    void findsWhatWasAddedUntilUnlinked() {
        Dict<Entry> d = new Dict<>();
        assertNull(find(d, "a"));
        Entry a = add(d, "a");
        add(d, "b");
        assertSame(a, find(d, "a"));
        assertEquals(2, d.size());
        assertSame(a, unlink(d, "a"));
        assertNull(find(d, "a"));
        assertNull(unlink(d, "a"));
        assertEquals(1, d.size());
    }

    @Test
    void growsByIncrementalRehashAndKeepsEveryKeyFindable() {
        Dict<Entry> d = new Dict<>();
        boolean sawRehash = false;
        for (int i = 0; i < 1000; i++) {
            add(d, "key:" + i);
            sawRehash |= d.isRehashing();
            // Every key stays findable while its bucket may be in either array.
            assertNotNull(find(d, "key:" + (i / 2)));
        }
        assertTrue(sawRehash);
        while (d.rehashFor(1000)) {
            // finish any resize in progress
        }
        assertEquals(1024, d.bucketCounts()[0]);
        for (int i = 0; i < 1000; i++) {
            assertNotNull(find(d, "key:" + i));
        }
    }

    @Test
    void shrinksBelowTenPercentFill() {
        Dict<Entry> d = new Dict<>();
        for (int i = 0; i < 1000; i++) {
            add(d, "key:" + i);
        }
        for (int i = 0; i < 990; i++) {
            unlink(d, "key:" + i);
        }
        while (d.rehashFor(1000)) {
            // finish the shrink
        }
        d.shrinkIfNeeded();
        while (d.rehashFor(1000)) {
            // and any further one
        }
        assertEquals(16, d.bucketCounts()[0]);
        assertEquals(10, d.size());
        for (int i = 990; i < 1000; i++) {
            assertNotNull(find(d, "key:" + i));
        }
    }

    @Test
    void scanOfAnEmptyDictEndsAtOnce() {
        Dict<Entry> d = new Dict<>();
        List<Entry> seen = new ArrayList<>();
        assertEquals(0, d.scan(12345, seen::add));
        assertTrue(seen.isEmpty());
    }

    @Test
    void scanOfAStableDictReturnsEveryKeyExactlyOnce() {
        Dict<Entry> d = new Dict<>();
        for (int i = 0; i < 500; i++) {
            add(d, "k" + i);
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, e -> seen.merge(e.name(), 1, Integer::sum));
        } while (cursor != 0);
        assertEquals(500, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1));
    }

    /**
     * The SCAN guarantee: whatever is added and removed between steps, and however the table grows, shrinks
     * or is caught mid-rehash, every key present for the whole scan is returned.
     */
    @Property(tries = 300)
    void scanReturnsEveryKeyPresentThroughout(@ForAll @IntRange(min = 0, max = 300) int stable,
            @ForAll("churn") List<Integer> steps) {
        Dict<Entry> d = new Dict<>();
        Set<String> stableKeys = new HashSet<>();
        for (int i = 0; i < stable; i++) {
            add(d, "stable:" + i);
            stableKeys.add("stable:" + i);
        }
        List<String> transientKeys = new ArrayList<>();
        int nextTransient = 0;
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = d.scan(cursor, e -> seen.add(e.name()));
            // Between scan steps, grow or shrink the table by a batch of transient keys.
            int change = step < steps.size() ? steps.get(step) : 0;
            step++;
            for (int i = 0; i < change; i++) {
                String k = "transient:" + nextTransient++;
                add(d, k);
                transientKeys.add(k);
            }
            for (int i = 0; i < -change && !transientKeys.isEmpty(); i++) {
                assertNotNull(unlink(d, transientKeys.remove(transientKeys.size() - 1)));
            }
            d.shrinkIfNeeded();
        } while (cursor != 0);
        Set<String> missed = new HashSet<>(stableKeys);
        missed.removeAll(seen);
        assertTrue(missed.isEmpty(), "missed " + missed);
    }

    @Provide
    Arbitrary<List<Integer>> churn() {
        return Arbitraries.integers().between(-400, 400).list().ofMaxSize(60);
    }
}
