package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * duplicate() of every aggregate type, as COPY uses it: the copy is equal to the original, in the same
 * encoding, and a change to either leaves the other as it was.
 */
class ValueDuplicationTest {
    private static final long ENTRIES = 128;
    private static final long VALUE = 64;

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    // ---- hashes ----

    private static Map<String, String> pairs(HashValue h) {
        Map<String, String> out = new LinkedHashMap<>();
        h.forEach((f, v) -> out.put(s(f), s(v)));
        return out;
    }

    private static HashValue hash(int fields) {
        HashValue h = HashValue.create();
        for (int i = 0; i < fields; i++) {
            h.set(b("f" + i), b("v" + i), ENTRIES, VALUE);
        }
        return h;
    }

    @Test
    void aCopiedListpackHashKeepsItsOrderAndChangesAlone() {
        HashValue h = hash(5);
        h.delete(b("f1"));
        HashValue copy = h.duplicate();
        assertNotSame(h, copy);
        assertEquals("listpack", copy.encodingName());
        assertEquals(List.copyOf(pairs(h).entrySet()), List.copyOf(pairs(copy).entrySet()));
        assertEquals(ObjectSize.valueSize(h), ObjectSize.valueSize(copy));

        copy.set(b("f0"), b("changed"), ENTRIES, VALUE);
        copy.set(b("new"), b("x"), ENTRIES, VALUE);
        h.delete(b("f2"));
        assertEquals("v0", s(h.get(b("f0"))));
        assertNull(h.get(b("new")));
        assertEquals("v2", s(copy.get(b("f2"))));
        assertEquals(5, copy.size());
        assertEquals(3, h.size());
    }

    @Test
    void aCopiedHashtableHashHoldsTheSamePairsAndChangesAlone() {
        HashValue h = hash(300);
        HashValue copy = h.duplicate();
        assertEquals("hashtable", copy.encodingName());
        assertEquals(pairs(h), pairs(copy));

        copy.delete(b("f7"));
        copy.set(b("f8"), b("changed"), ENTRIES, VALUE);
        h.set(b("f9"), b("changed too"), ENTRIES, VALUE);
        assertEquals("v7", s(h.get(b("f7"))));
        assertEquals("v8", s(h.get(b("f8"))));
        assertNull(copy.get(b("f7")));
        assertEquals("v9", s(copy.get(b("f9"))));
        assertEquals(300, h.size());
        assertEquals(299, copy.size());
    }

    // ---- sets ----

    private static List<String> members(SetValue set) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(s(set.memberAt(i)));
        }
        return out;
    }

    @Test
    void aCopiedIntsetKeepsItsWidthAndChangesAlone() {
        SetValue set = SetValue.createIntset();
        for (String m : List.of("5", "-3", "70000", "12")) {
            set.add(b(m), 512);
        }
        set.remove(b("70000"));
        SetValue copy = set.duplicate();
        assertEquals("intset", copy.encodingName());
        assertEquals(4, copy.intsetWidth());
        assertEquals(members(set), members(copy));
        assertEquals(ObjectSize.valueSize(set), ObjectSize.valueSize(copy));

        copy.add(b("1"), 512);
        set.remove(b("5"));
        assertEquals(List.of("-3", "12"), members(set));
        assertEquals(List.of("-3", "1", "5", "12"), members(copy));
    }

    @Test
    void aCopiedHashtableSetHoldsTheSameMembersAndChangesAlone() {
        SetValue set = SetValue.createHashtable(0);
        for (int i = 0; i < 100; i++) {
            set.add(b("m" + i), 512);
        }
        SetValue copy = set.duplicate();
        assertEquals("hashtable", copy.encodingName());
        assertEquals(members(set), members(copy));

        copy.remove(b("m1"));
        set.add(b("extra"), 512);
        assertTrue(set.contains(b("m1")));
        assertFalse(copy.contains(b("extra")));
        assertEquals(101, set.size());
        assertEquals(99, copy.size());
    }

    // ---- lists ----

    private static List<List<String>> nodes(ListValue list) {
        List<List<String>> out = new ArrayList<>();
        list.forEachNode((plain, entries) -> {
            List<String> node = new ArrayList<>();
            entries.forEach(e -> node.add(s(e)));
            out.add(node);
        });
        return out;
    }

    @Test
    void aCopiedListKeepsItsNodesAndChangesAlone() {
        ListValue list = ListValue.create(3);
        for (int i = 0; i < 10; i++) {
            list.push(b("e" + i), false);
        }
        list.insert(b("e4"), b("inserted"), true);
        ListValue copy = list.duplicate();
        assertEquals("quicklist", copy.encodingName());
        assertEquals(nodes(list), nodes(copy));
        assertEquals(list.nodeCount(), copy.nodeCount());
        assertEquals(list.length(), copy.length());
        assertEquals(ObjectSize.valueSize(list), ObjectSize.valueSize(copy));

        List<List<String>> before = nodes(list);
        copy.push(b("tail"), false);
        copy.replace(0, b("changed"));
        copy.deleteRange(3, 2);
        assertEquals(before, nodes(list));
        list.pop(true);
        assertEquals("changed", s(copy.get(0)));
        assertEquals("tail", s(copy.get(-1)));
        assertEquals(10, list.length());
        assertEquals(10, copy.length());
    }

    // ---- sorted sets ----

    private static List<String> entries(ZSetValue z) {
        List<String> out = new ArrayList<>();
        z.forEachAscending((m, score) -> out.add(s(m) + "=" + score));
        return out;
    }

    private static ZSetValue zset(ZSetValue z, int members) {
        for (int i = 0; i < members; i++) {
            z.add(i % 7, b("m" + i), 0, ENTRIES, VALUE);
        }
        return z;
    }

    @Test
    void aCopiedListpackSortedSetKeepsItsOrderAndChangesAlone() {
        ZSetValue z = zset(ZSetValue.newListpack(), 10);
        ZSetValue copy = z.duplicate();
        assertEquals("listpack", copy.encodingName());
        assertEquals(entries(z), entries(copy));
        assertEquals(ObjectSize.valueSize(z), ObjectSize.valueSize(copy));

        copy.add(100, b("m0"), 0, ENTRIES, VALUE);
        z.delete(b("m1"));
        assertEquals(0.0, z.score(b("m0")));
        assertEquals(1.0, copy.score(b("m1")));
        assertEquals(9, copy.rank(b("m0"), false));
    }

    @Test
    void aCopiedSkiplistRanksTheSameMembersAndChangesAlone() {
        ZSetValue z = zset(ZSetValue.newSkiplist(), 500);
        ZSetValue copy = z.duplicate();
        assertEquals("skiplist", copy.encodingName());
        assertEquals(entries(z), entries(copy));
        for (int i = 0; i < 500; i += 37) {
            assertEquals(z.rank(b("m" + i), false), copy.rank(b("m" + i), false));
            assertEquals(z.rank(b("m" + i), true), copy.rank(b("m" + i), true));
        }

        copy.add(1000, b("m3"), 0, ENTRIES, VALUE);
        z.delete(b("m4"));
        assertEquals(3.0, z.score(b("m3")));
        assertEquals(499, copy.rank(b("m3"), false));
        assertEquals(4.0, copy.score(b("m4")));
        assertEquals(499, z.length());
        assertEquals(500, copy.length());
    }

    // ---- streams ----

    private static StreamValue stream(int entries) {
        StreamValue x = new StreamValue();
        for (int i = 1; i <= entries; i++) {
            x.append(new StreamId(i, 0), new byte[][] {b("f"), b("v" + i)}, 0, 4096, 100);
        }
        return x;
    }

    private static List<String> ids(StreamValue x) {
        List<String> out = new ArrayList<>();
        x.range(StreamId.MIN, StreamId.MAX, false, e -> out.add(e.id() + ":" + s(e.fieldsAndValues()[1])));
        return out;
    }

    @Test
    void aCopiedStreamKeepsEntriesCountersAndNodeBytes() {
        StreamValue x = stream(250);
        x.delete(new StreamId(3, 0));
        x.noteDeleted(new StreamId(3, 0));
        x.refreshFirstId();
        StreamValue copy = x.duplicate();
        assertEquals("stream", copy.encodingName());
        assertEquals(ids(x), ids(copy));
        assertEquals(x.length(), copy.length());
        assertEquals(x.lastId(), copy.lastId());
        assertEquals(x.firstId(), copy.firstId());
        assertEquals(x.maxDeletedEntryId(), copy.maxDeletedEntryId());
        assertEquals(x.entriesAdded(), copy.entriesAdded());
        assertEquals(x.radixTreeNodes(), copy.radixTreeNodes());
        assertEquals(x.nodes().keySet(), copy.nodes().keySet());
        x.nodes().forEach((id, lp) -> assertArrayEquals(lp.toBytes(), copy.nodes().get(id).toBytes()));
        // The last node of the original is still preallocated; its copy is allocated to fit.
        assertEquals(4096, x.nodes().lastEntry().getValue().allocatedBytes());
        assertTrue(copy.nodes().lastEntry().getValue().allocatedBytes() < 4096);

        List<String> before = ids(x);
        copy.append(new StreamId(1000, 0), new byte[][] {b("f"), b("late")}, 0, 4096, 100);
        copy.delete(new StreamId(100, 0));
        assertEquals(before, ids(x));
        assertTrue(ids(copy).contains("1000-0:late"));
        assertFalse(ids(copy).contains("100-0:v100"));
        assertTrue(ids(x).contains("100-0:v100"));
    }

    @Test
    void aCopiedStreamHasItsOwnGroupsConsumersAndPendingEntries() {
        StreamValue x = stream(10);
        StreamGroup g = x.createGroup(b("g"), new StreamId(5, 0), 5);
        StreamGroup.Consumer alice = g.createConsumer(b("alice"), 1000);
        g.createConsumer(b("bob"), 2000);
        for (int i = 1; i <= 5; i++) {
            StreamGroup.Nack nack = new StreamGroup.Nack(100 + i, i, null);
            g.pel().put(new StreamId(i, 0), nack);
            if (i != 5) {
                g.assign(new StreamId(i, 0), nack, alice);
            }
        }
        StreamValue copy = x.duplicate();
        StreamGroup cg = copy.group(b("g"));
        assertNotSame(g, cg);
        assertEquals(g.lastId(), cg.lastId());
        assertEquals(g.entriesRead(), cg.entriesRead());
        assertEquals(g.pel().keySet(), cg.pel().keySet());
        StreamGroup.Consumer calice = cg.consumer(b("alice"));
        assertEquals(1000, calice.seenTime());
        assertEquals(2000, cg.consumer(b("bob")).seenTime());
        assertEquals(alice.pel().keySet(), calice.pel().keySet());
        for (StreamId id : g.pel().keySet()) {
            StreamGroup.Nack original = g.pel().get(id);
            StreamGroup.Nack copied = cg.pel().get(id);
            assertNotSame(original, copied);
            assertEquals(original.deliveryTime(), copied.deliveryTime());
            assertEquals(original.deliveryCount(), copied.deliveryCount());
        }
        // The copy's NACKs are shared by its own group and consumer PELs, as in Redis.
        assertSame(calice, cg.pel().get(new StreamId(1, 0)).consumer());
        assertSame(cg.pel().get(new StreamId(2, 0)), calice.pel().get(new StreamId(2, 0)));
        assertNull(cg.pel().get(new StreamId(5, 0)).consumer());

        cg.removePending(new StreamId(1, 0), cg.pel().get(new StreamId(1, 0)));
        cg.pel().get(new StreamId(2, 0)).setDeliveryCount(99);
        cg.setLastId(new StreamId(9, 0));
        copy.destroyGroup(b("g"));
        assertEquals(5, g.pel().size());
        assertEquals(4, alice.pel().size());
        assertEquals(2, g.pel().get(new StreamId(2, 0)).deliveryCount());
        assertEquals(new StreamId(5, 0), g.lastId());
        assertSame(g, x.group(b("g")));
    }
}
