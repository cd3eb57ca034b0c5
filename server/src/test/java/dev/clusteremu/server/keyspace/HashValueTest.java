package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class HashValueTest {
    private static final long ENTRIES = 512;
    private static final long VALUE = 64;

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static List<String> fields(HashValue h) {
        List<String> out = new ArrayList<>();
        h.forEach((f, v) -> out.add(new String(f, ISO_8859_1)));
        return out;
    }

    @Test
    void aListpackKeepsInsertionOrderThroughUpdatesAndDeletes() {
        HashValue h = HashValue.create();
        for (String f : List.of("z", "y", "x", "w")) {
            assertFalse(h.set(b(f), b("1"), ENTRIES, VALUE));
        }
        assertTrue(h.set(b("y"), b("2"), ENTRIES, VALUE));
        assertTrue(h.delete(b("x")));
        assertFalse(h.delete(b("x")));
        h.set(b("x"), b("3"), ENTRIES, VALUE);
        assertEquals(List.of("z", "y", "w", "x"), fields(h));
        assertArrayEquals(b("2"), h.get(b("y")));
        assertNull(h.get(b("nope")));
        assertEquals("listpack", h.encodingName());
    }

    @Test
    void itConvertsToHashtablePastTheEntryLimitAndNeverBack() {
        HashValue h = HashValue.create();
        for (int i = 0; i < 3; i++) {
            h.set(b("f" + i), b("v"), 3, VALUE);
        }
        assertEquals(HashValue.Encoding.LISTPACK, h.encoding());
        h.set(b("f3"), b("v"), 3, VALUE);
        assertEquals(HashValue.Encoding.HASHTABLE, h.encoding());
        h.delete(b("f0"));
        h.delete(b("f1"));
        assertEquals(HashValue.Encoding.HASHTABLE, h.encoding());
        assertEquals(2, h.size());
    }

    @Test
    void aFieldOrValueOverTheValueLimitConvertsBeforeItIsWritten() {
        HashValue longValue = HashValue.create();
        longValue.set(b("f"), b("x".repeat(65)), ENTRIES, VALUE);
        assertEquals("hashtable", longValue.encodingName());
        HashValue exact = HashValue.create();
        exact.set(b("f".repeat(64)), b("x".repeat(64)), ENTRIES, VALUE);
        assertEquals("listpack", exact.encodingName());
        HashValue tried = HashValue.create();
        byte[][] argv = {b("HSET"), b("h"), b("a"), b("1"), b("b"), b("y".repeat(65))};
        tried.convertIfTooLong(argv, 2, 3, VALUE);
        assertEquals(HashValue.Encoding.LISTPACK, tried.encoding());
        tried.convertIfTooLong(argv, 2, 5, VALUE);
        assertEquals(HashValue.Encoding.HASHTABLE, tried.encoding());
    }

    @Test
    void theListpackSafetyLimitCountsTheBytesTheListpackWouldTake() {
        HashValue h = HashValue.create();
        assertTrue(h.isSafeToAdd((1L << 30) - 7));
        assertFalse(h.isSafeToAdd((1L << 30) - 6));
        h.set(b("f"), b("v"));
        // Header, end byte, and two one-byte strings with their encodings and backlens.
        assertFalse(h.isSafeToAdd((1L << 30) - 7 - 6 + 1));
    }

    @Property
    void everyEncodingHoldsWhatAMapHolds(@ForAll @Size(max = 60) List<@IntRange(max = 30) Integer> ops,
                                         @ForAll @IntRange(min = 0, max = 8) int entryLimit) {
        HashValue h = HashValue.create();
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            String field = "f" + ops.get(i) % 10;
            if (ops.get(i) >= 20) {
                assertEquals(model.remove(field) != null, h.delete(b(field)));
            } else {
                String value = ops.get(i) % 7 == 0 ? "long".repeat(20) : Integer.toString(i);
                assertEquals(model.put(field, value) != null, h.set(b(field), b(value), entryLimit, VALUE));
            }
            assertEquals(model.size(), h.size());
        }
        Map<String, String> held = new HashMap<>();
        h.forEach((f, v) -> held.put(new String(f, ISO_8859_1), new String(v, ISO_8859_1)));
        assertEquals(model, held);
    }
}
