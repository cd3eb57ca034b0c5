package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.clusteremu.cluster.KeySlot;

import org.junit.jupiter.api.Test;

class KeyspaceTest {
    private long now = 1_000_000;
    private final Keyspace ks = new Keyspace(() -> now);

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    private void set(String key, String value) {
        ks.setKey(b(key), StringValue.of(b(value)), false);
    }

    private List<String> keysInSlot(int slot, int max) {
        List<String> out = new ArrayList<>();
        for (byte[] k : ks.keysInSlot(slot, max)) {
            out.add(s(k));
        }
        return out;
    }

    @Test
    void slotIndexCountsAndListsNewestFirst() {
        int slot = KeySlot.of(b("{user1000}"));
        set("{user1000}.a", "1");
        set("{user1000}.b", "2");
        set("{user1000}.c", "3");
        set("other", "x");
        assertEquals(3, ks.countKeysInSlot(slot));
        assertEquals(List.of("{user1000}.c", "{user1000}.b", "{user1000}.a"), keysInSlot(slot, 10));
        assertEquals(List.of("{user1000}.c", "{user1000}.b"), keysInSlot(slot, 2));
        assertEquals(List.of(), keysInSlot(slot, 0));

        // Overwriting keeps a key's place; deleting unlinks it from the middle.
        set("{user1000}.a", "again");
        ks.delete(b("{user1000}.b"));
        assertEquals(List.of("{user1000}.c", "{user1000}.a"), keysInSlot(slot, 10));
        assertEquals(2, ks.countKeysInSlot(slot));
        assertEquals(3, ks.size());
    }

    @Test
    void deleteKeysInSlotDeletesOnlyThatSlot() {
        int slot = KeySlot.of(b("{t}"));
        for (int i = 0; i < 100; i++) {
            set("{t}" + i, "v");
            ks.setExpire(b("{t}" + i), now + 1000);
        }
        set("elsewhere", "v");
        assertEquals(100, ks.deleteKeysInSlot(slot));
        assertEquals(0, ks.countKeysInSlot(slot));
        assertEquals(List.of(), keysInSlot(slot, 10));
        assertEquals(1, ks.size());
        assertEquals(0, ks.expiresCount());
        assertTrue(ks.existsNoSideEffects(b("elsewhere")));
    }

    @Test
    void clearDropsEverything() {
        set("a", "1");
        ks.setExpire(b("a"), now + 10);
        ks.clear();
        assertEquals(0, ks.size());
        assertEquals(0, ks.expiresCount());
        assertEquals(0, ks.countKeysInSlot(KeySlot.of(b("a"))));
        assertNull(ks.randomKey());
        set("a", "2");
        assertEquals(1, ks.size());
    }

    @Test
    void keyExpiresOnceTheClockIsPastItsTime() {
        set("k", "v");
        ks.setExpire(b("k"), now + 100);
        assertEquals(1, ks.expiresCount());
        now += 100;
        // At exactly the expire time the key is still alive (keyIsExpired: now > when).
        assertNotNull(ks.lookupRead(b("k")));
        now += 1;
        assertFalse(ks.existsNoSideEffects(b("k")));
        assertEquals(1, ks.size(), "looking without side effects deletes nothing");
        assertEquals(now - 1, ks.getExpire(b("k")));
        assertNull(ks.peek(b("k")));
        assertNull(ks.lookupRead(b("k")));
        assertEquals(0, ks.size(), "a lookup deletes the expired key");
        assertEquals(0, ks.expiresCount());
        assertEquals(1, ks.expiredKeys());
        assertEquals(-1, ks.getExpire(b("k")));
    }

    @Test
    void lookupsCountHitsAndMissesOnlyForReads() {
        set("k", "v");
        ks.lookupRead(b("k"));
        ks.lookupRead(b("missing"));
        ks.lookupWrite(b("k"));
        ks.lookupWrite(b("missing"));
        ks.existsNoSideEffects(b("k"));
        assertEquals(1, ks.keyspaceHits());
        assertEquals(1, ks.keyspaceMisses());
    }

    @Test
    void setKeyRemovesTheExpireUnlessKeepTtl() {
        set("k", "v");
        ks.setExpire(b("k"), now + 100);
        ks.setKey(b("k"), StringValue.of(b("w")), true);
        assertEquals(now + 100, ks.getExpire(b("k")));
        ks.setKey(b("k"), StringValue.of(b("x")), false);
        assertEquals(-1, ks.getExpire(b("k")));
        assertEquals(0, ks.expiresCount());
        assertFalse(ks.removeExpire(b("k")));
    }

    @Test
    void setExpireOnAMissingKeyIsABug() {
        assertThrows(IllegalStateException.class, () -> ks.setExpire(b("missing"), now));
    }

    @Test
    void expireIfNeededDeletesOnlyExpiredKeys() {
        set("live", "v");
        set("dead", "v");
        ks.setExpire(b("dead"), now - 1);
        assertFalse(ks.expireIfNeeded(b("live")));
        assertFalse(ks.expireIfNeeded(b("missing")));
        assertTrue(ks.expireIfNeeded(b("dead")));
        assertEquals(1, ks.size());
    }

    @Test
    void activeExpireCycleReclaimsExpiredKeysOnly() {
        for (int i = 0; i < 1000; i++) {
            set("k" + i, "v");
            if (i % 2 == 0) {
                ks.setExpire(b("k" + i), now + (i % 4 == 0 ? 10 : 1_000_000));
            }
        }
        set("persistent", "v");
        now += 11;
        int deleted = 0;
        for (int round = 0; round < 100 && ks.expiresCount() > 250; round++) {
            deleted += ks.activeExpireCycle(25_000);
        }
        assertEquals(250, deleted);
        assertEquals(751, ks.size());
        assertEquals(250, ks.expiresCount());
        assertEquals(250, ks.expiredKeys());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i % 4 != 0, ks.existsNoSideEffects(b("k" + i)), "k" + i);
        }
    }

    @Test
    void activeExpireCycleStopsWhenFewKeysAreExpired() {
        for (int i = 0; i < 100; i++) {
            set("k" + i, "v");
            ks.setExpire(b("k" + i), now + 1000);
        }
        assertEquals(0, ks.activeExpireCycle(25_000));
        assertEquals(100, ks.size());
    }

    @Test
    void randomKeyIsUniformAmongLiveKeys() {
        for (int i = 0; i < 10; i++) {
            set("k" + i, "v");
        }
        Map<String, Integer> counts = new HashMap<>();
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(s(ks.randomKey()), 1, Integer::sum);
        }
        assertEquals(10, counts.size());
        // Expected 2000 each; a fair pick lands within ±20% with overwhelming probability (sd ~ 42).
        for (int n : counts.values()) {
            assertTrue(n > 1600 && n < 2400, counts.toString());
        }
    }

    @Test
    void randomKeySkipsAndDeletesExpiredKeys() {
        set("live", "v");
        for (int i = 0; i < 50; i++) {
            set("dead" + i, "v");
            ks.setExpire(b("dead" + i), now - 1);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("live", s(ks.randomKey()));
        }
        ks.delete(b("live"));
        assertNull(ks.randomKey());
        assertEquals(0, ks.size());
    }

    @Test
    void forEachLiveKeySkipsExpiredKeysWithoutDeletingThem() {
        set("a", "1");
        set("b", "2");
        ks.setExpire(b("b"), now - 1);
        Set<String> seen = new HashSet<>();
        ks.forEachLiveKey(k -> seen.add(s(k)));
        assertEquals(Set.of("a"), seen);
        assertEquals(2, ks.size());
    }

    @Test
    void scanVisitsEveryKeyAcrossGrowth() {
        for (int i = 0; i < 100; i++) {
            set("stable" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        do {
            cursor = ks.scan(cursor, k -> seen.add(s(k)));
            // Grow for a while (a scan of an ever-growing table never ends), then let the scan finish.
            if (steps++ < 40) {
                for (int i = 0; i < 50; i++) {
                    set("new" + steps + ":" + i, "v");
                }
            }
        } while (cursor != 0);
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.contains("stable" + i));
        }
    }

    @Test
    void manyKeysSurviveResizesAndDeletes() {
        for (int i = 0; i < 20_000; i++) {
            set("k" + i, Integer.toString(i));
        }
        for (int i = 0; i < 20_000; i += 2) {
            assertTrue(ks.delete(b("k" + i)));
        }
        while (ks.rehashFor(10_000)) {
            // finish the resize in progress
        }
        assertEquals(10_000, ks.size());
        long total = 0;
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            total += ks.countKeysInSlot(slot);
        }
        assertEquals(10_000, total);
        for (int i = 1; i < 20_000; i += 2) {
            StringValue v = (StringValue) ks.lookupRead(b("k" + i));
            assertEquals(i, v.intValue());
        }
    }

    @Test
    void keysAreStoredWithoutCopying() {
        byte[] key = b("k");
        RedisObject v = StringValue.of(b("v"));
        ks.setKey(key, v, false);
        assertSame(v, ks.lookupRead(b("k")));
        assertArrayEquals(key, ks.keysInSlot(KeySlot.of(key), 1).get(0));
        assertSame(key, ks.randomKey());
    }
}
