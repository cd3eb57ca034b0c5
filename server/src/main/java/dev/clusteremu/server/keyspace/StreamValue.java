package dev.clusteremu.server.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A stream (t_stream.c), laid out as Redis lays it out so that RDB files and DUMP payloads match byte for
 * byte: entries live in nodes, each a {@link Listpack} filed under its master ID (the ID of the entry that
 * opened it) in ID order, as in Redis's radix tree of listpacks.
 *
 * <p>A node's listpack starts with the master entry: count of live entries, count of deleted entries,
 * number of master fields, the master fields, and a 0. Each entry then follows as: flags (1 deleted, 2
 * same fields as the master), ms and seq deltas from the master ID, [number of fields], [fields and]
 * values, and lp-count, the number of elements of the entry, so the node can be walked backwards. XDEL
 * and trimming inside a node only flag entries as deleted; a node goes when its last live entry does.
 *
 * <p>Beside the entries: the length, the last, first and largest deleted IDs, the count of entries ever
 * added, and the consumer groups by name.
 */
public final class StreamValue implements RedisObject {
    /** STREAM_ITEM_FLAG_DELETED. */
    static final int FLAG_DELETED = 1;
    /** STREAM_ITEM_FLAG_SAMEFIELDS: the entry's fields are the master's and are not repeated. */
    static final int FLAG_SAMEFIELDS = 2;
    /** STREAM_LISTPACK_MAX_SIZE: a node never grows past 1 GB, whatever stream-node-max-bytes says. */
    private static final long LISTPACK_MAX_SIZE = 1L << 30;
    /**
     * STREAM_LISTPACK_MAX_PRE_ALLOCATE: a new node is allocated this large (or stream-node-max-bytes if
     * smaller) so that it does not need a reallocation on every XADD.
     */
    private static final int LISTPACK_MAX_PRE_ALLOCATE = 4096;

    private final TreeMap<StreamId, Listpack> nodes = new TreeMap<>();
    private final RaxShape rax = new RaxShape();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedEntryId = StreamId.MIN;
    private long entriesAdded;
    private final TreeMap<byte[], StreamGroup> groups = new TreeMap<>(Arrays::compareUnsigned);

    /** One entry: its ID and its fields and values, interleaved. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    @Override
    public ObjectType type() {
        return ObjectType.STREAM;
    }

    @Override
    public String encodingName() {
        return "stream";
    }

    /**
     * streamDup: a copy of every node's listpack filed under the same master IDs (the node tree is built
     * afresh by inserting them in order, so its shape is that of a new tree), the same length, IDs and
     * counters, and a copy of every consumer group with its consumers and pending entries.
     */
    @Override
    public StreamValue duplicate() {
        StreamValue copy = new StreamValue();
        for (Map.Entry<StreamId, Listpack> node : nodes.entrySet()) {
            copy.nodes.put(node.getKey(), node.getValue().copy());
            copy.rax.insert(node.getKey().encode());
        }
        copy.length = length;
        copy.firstId = firstId;
        copy.lastId = lastId;
        copy.maxDeletedEntryId = maxDeletedEntryId;
        copy.entriesAdded = entriesAdded;
        for (Map.Entry<byte[], StreamGroup> g : groups.entrySet()) {
            copy.groups.put(g.getKey(), g.getValue().duplicate());
        }
        return copy;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Metadata
    // ---------------------------------------------------------------------------------------------------------

    /** The number of live entries. */
    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    /** The ID of the first live entry, 0-0 when empty. */
    public StreamId firstId() {
        return firstId;
    }

    /** The largest ID ever deleted, 0-0 if none. */
    public StreamId maxDeletedEntryId() {
        return maxDeletedEntryId;
    }

    /** How many entries were ever added. */
    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID: moves the last ID, and optionally the added count and the largest deleted ID. */
    public void setLastId(StreamId id) {
        this.lastId = id;
    }

    public void setEntriesAdded(long entriesAdded) {
        this.entriesAdded = entriesAdded;
    }

    public void setMaxDeletedEntryId(StreamId id) {
        this.maxDeletedEntryId = id;
    }

    /** raxSize of the node tree: how many nodes (listpacks) hold the entries. */
    public int nodeCount() {
        return nodes.size();
    }

    /** rax->numnodes of the node tree, as XINFO STREAM's radix-tree-nodes. */
    public long radixTreeNodes() {
        return rax.nodeCount();
    }

    /** The nodes by master ID, in order, for serialization. */
    public NavigableMap<StreamId, Listpack> nodes() {
        return nodes;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Node layout
    // ---------------------------------------------------------------------------------------------------------

    /** Where an entry of a node lies: its flags element, its ID, field count and first field (or value). */
    private record Slot(int flagsPos, int flags, StreamId id, int fieldCount, int dataPos) {
        boolean deleted() {
            return (flags & FLAG_DELETED) != 0;
        }
    }

    /** A node's listpack read once: the master fields and the slots of its entries, in order. */
    private record Layout(Listpack lp, int[] masterFields, List<Slot> slots) {
        Entry entry(Slot s) {
            byte[][] fv = new byte[s.fieldCount() * 2][];
            int p = s.dataPos();
            boolean same = (s.flags() & FLAG_SAMEFIELDS) != 0;
            for (int i = 0; i < s.fieldCount(); i++) {
                if (same) {
                    fv[2 * i] = lp.bytesAt(masterFields[i]);
                } else {
                    fv[2 * i] = lp.bytesAt(p);
                    p = lp.next(p);
                }
                fv[2 * i + 1] = lp.bytesAt(p);
                p = lp.next(p);
            }
            return new Entry(s.id(), fv);
        }
    }

    private static Layout layout(StreamId master, Listpack lp) {
        int p = lp.next(lp.next(lp.first()));
        int masterFieldCount = (int) lp.longAt(p);
        int[] masterFields = new int[masterFieldCount];
        for (int i = 0; i < masterFieldCount; i++) {
            p = lp.next(p);
            masterFields[i] = p;
        }
        p = lp.next(lp.next(p));
        List<Slot> slots = new ArrayList<>();
        while (p >= 0) {
            int flagsPos = p;
            int flags = (int) lp.longAt(p);
            p = lp.next(p);
            long ms = master.ms() + lp.longAt(p);
            p = lp.next(p);
            long seq = master.seq() + lp.longAt(p);
            p = lp.next(p);
            int fieldCount;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                fieldCount = masterFieldCount;
            } else {
                fieldCount = (int) lp.longAt(p);
                p = lp.next(p);
            }
            slots.add(new Slot(flagsPos, flags, new StreamId(ms, seq), fieldCount, p));
            int skip = (flags & FLAG_SAMEFIELDS) != 0 ? fieldCount : 2 * fieldCount;
            for (int i = 0; i < skip; i++) {
                p = lp.next(p);
            }
            p = lp.next(p);
        }
        return new Layout(lp, masterFields, slots);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading entries
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Visits the live entries with {@code start <= id <= end}, in ID order or reversed, until {@code visitor}
     * returns false (streamIteratorStart/GetID): the walk starts at the node that may hold the first ID of
     * the range and stops at the first entry past it.
     */
    public void range(StreamId start, StreamId end, boolean rev, Predicate<Entry> visitor) {
        walk(start, end, rev, false, (layout, slot) -> visitor.test(layout.entry(slot)));
    }

    private interface SlotVisitor {
        boolean visit(Layout layout, Slot slot);
    }

    private void walk(StreamId start, StreamId end, boolean rev, boolean withTombstones, SlotVisitor visitor) {
        if (!rev) {
            StreamId from = nodes.floorKey(start);
            Map<StreamId, Listpack> tail = from == null ? nodes : nodes.tailMap(from, true);
            for (Map.Entry<StreamId, Listpack> node : tail.entrySet()) {
                Layout layout = layout(node.getKey(), node.getValue());
                for (Slot s : layout.slots()) {
                    if ((s.deleted() && !withTombstones) || s.id().compareTo(start) < 0) {
                        continue;
                    }
                    if (s.id().compareTo(end) > 0 || !visitor.visit(layout, s)) {
                        return;
                    }
                }
            }
        } else {
            StreamId from = nodes.floorKey(end);
            Map<StreamId, Listpack> head = from == null ? nodes.descendingMap() : nodes.headMap(from, true).descendingMap();
            for (Map.Entry<StreamId, Listpack> node : head.entrySet()) {
                Layout layout = layout(node.getKey(), node.getValue());
                List<Slot> slots = layout.slots();
                for (int i = slots.size() - 1; i >= 0; i--) {
                    Slot s = slots.get(i);
                    if ((s.deleted() && !withTombstones) || s.id().compareTo(end) > 0) {
                        continue;
                    }
                    if (s.id().compareTo(start) < 0 || !visitor.visit(layout, s)) {
                        return;
                    }
                }
            }
        }
    }

    /** The live entry with this ID, or null (streamEntryExists with its content). */
    public Entry get(StreamId id) {
        Entry[] found = new Entry[1];
        range(id, id, false, e -> {
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /**
     * streamGetEdgeID: the first or last entry's ID, tombstones included or not; when there is none, the
     * largest ID for the first edge and 0-0 for the last.
     */
    public StreamId edgeId(boolean first, boolean skipTombstones) {
        StreamId[] found = new StreamId[1];
        walk(StreamId.MIN, StreamId.MAX, !first, !skipTombstones, (layout, slot) -> {
            found[0] = slot.id();
            return false;
        });
        if (found[0] == null) {
            return first ? StreamId.MAX : StreamId.MIN;
        }
        return found[0];
    }

    /** streamLastValidID: the last live entry's ID (0-0 when empty). */
    public StreamId lastValidId() {
        return edgeId(false, true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Adding
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The ID the next entry gets (the ID part of streamAppendItem): {@code given} as it is, or with its
     * sequence generated when {@code seqGiven} is false (the last sequence + 1 in the last ID's millisecond,
     * else 0), or for no given ID the current time and sequence 0, never going back in time. Null when the
     * ID is not above the last one. Callers check {@link #sequenceExhausted} first for "ms-*".
     */
    public StreamId nextId(StreamId given, boolean seqGiven, long nowMs) {
        StreamId id;
        if (given != null) {
            if (seqGiven || lastId.ms() != given.ms()) {
                id = given;
            } else {
                id = new StreamId(lastId.ms(), lastId.seq() + 1);
            }
        } else if (Long.compareUnsigned(nowMs, lastId.ms()) > 0) {
            id = new StreamId(nowMs, 0);
        } else {
            id = lastId.next();
            if (id == null) {
                return null;
            }
        }
        return id.compareTo(lastId) > 0 ? id : null;
    }

    /** Whether "ms-*" cannot get a sequence: the last ID has that millisecond and the largest sequence. */
    public boolean sequenceExhausted(StreamId given) {
        return lastId.ms() == given.ms() && lastId.seq() == -1L;
    }

    /**
     * Adds an entry with {@code id} (above the last ID) and the fields and values {@code fv[from..]}
     * (streamAppendItem's storing part). It goes to the last node unless that node reached
     * {@code nodeMaxBytes} (counting the new fields and values) or {@code nodeMaxEntries} (live and deleted),
     * 0 meaning no limit; a new node takes the entry's fields as its master fields.
     */
    public void append(StreamId id, byte[][] fv, int from, long nodeMaxBytes, long nodeMaxEntries) {
        int numFields = (fv.length - from) / 2;
        long valuesSize = 0;
        for (int i = from; i < fv.length; i++) {
            valuesSize += fv[i].length;
        }
        Map.Entry<StreamId, Listpack> tail = nodes.lastEntry();
        Listpack lp = tail == null ? null : tail.getValue();
        if (lp != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : nodeMaxBytes;
            boolean full = lp.totalBytes() + valuesSize >= maxBytes;
            if (!full && nodeMaxEntries != 0) {
                int first = lp.first();
                full = lp.longAt(first) + lp.longAt(lp.next(first)) >= nodeMaxEntries;
            }
            if (full) {
                // A full node gives back its preallocated room before the next node opens.
                lp.shrinkToFit();
                lp = null;
            }
        }
        int flags = 0;
        StreamId master;
        if (lp == null) {
            master = id;
            lp = new Listpack(nodeMaxBytes > 0 && nodeMaxBytes < LISTPACK_MAX_PRE_ALLOCATE
                    ? (int) nodeMaxBytes : LISTPACK_MAX_PRE_ALLOCATE);
            lp.appendInteger(1);
            lp.appendInteger(0);
            lp.appendInteger(numFields);
            for (int i = 0; i < numFields; i++) {
                lp.append(fv[from + 2 * i]);
            }
            lp.appendInteger(0);
            nodes.put(id, lp);
            rax.insert(id.encode());
            flags = FLAG_SAMEFIELDS;
        } else {
            master = tail.getKey();
            int first = lp.first();
            lp.replaceInteger(first, lp.longAt(first) + 1);
            int p = lp.next(lp.next(first));
            long masterFields = lp.longAt(p);
            if (masterFields == numFields) {
                boolean same = true;
                for (int i = 0; i < numFields && same; i++) {
                    p = lp.next(p);
                    same = lp.equalsAt(p, fv[from + 2 * i]);
                }
                if (same) {
                    flags = FLAG_SAMEFIELDS;
                }
            }
        }
        boolean same = flags == FLAG_SAMEFIELDS;
        lp.appendInteger(flags);
        lp.appendInteger(id.ms() - master.ms());
        lp.appendInteger(id.seq() - master.seq());
        if (!same) {
            lp.appendInteger(numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                lp.append(fv[from + 2 * i]);
            }
            lp.append(fv[from + 2 * i + 1]);
        }
        lp.appendInteger(3L + numFields + (same ? 0 : numFields + 1));
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deleting
    // ---------------------------------------------------------------------------------------------------------

    /**
     * streamDeleteItem: flags the live entry with this ID as deleted, dropping its node if it was the node's
     * last live entry. Returns whether there was one. The first and largest deleted IDs are the caller's
     * (XDEL's) to update.
     */
    public boolean delete(StreamId id) {
        Map.Entry<StreamId, Listpack> node = nodes.floorEntry(id);
        if (node == null) {
            return false;
        }
        Listpack lp = node.getValue();
        for (Slot s : layout(node.getKey(), lp).slots()) {
            if (s.id().equals(id) && !s.deleted()) {
                lp.replaceInteger(s.flagsPos(), s.flags() | FLAG_DELETED);
                int first = lp.first();
                long live = lp.longAt(first);
                if (live == 1) {
                    removeNode(node.getKey());
                } else {
                    lp.replaceInteger(first, live - 1);
                    int deleted = lp.next(first);
                    lp.replaceInteger(deleted, lp.longAt(deleted) + 1);
                }
                length--;
                return true;
            }
        }
        return false;
    }

    private void removeNode(StreamId master) {
        nodes.remove(master);
        rax.remove(master.encode());
    }

    /** XDEL's bookkeeping after deleting {@code id}: the largest deleted ID. */
    public void noteDeleted(StreamId id) {
        if (id.compareTo(maxDeletedEntryId) > 0) {
            maxDeletedEntryId = id;
        }
    }

    /** After deletions: the first ID is the first live entry's, or 0-0 for an empty stream. */
    public void refreshFirstId() {
        firstId = length == 0 ? StreamId.MIN : edgeId(true, true);
    }

    /**
     * streamTrim: removes the oldest entries until at most {@code maxLen} remain (by length) or none below
     * {@code minId} remain (by ID), working node by node: a whole node goes when it can; otherwise, unless
     * {@code approx}, entries of the first node left are flagged deleted. With {@code limit} non zero, stops
     * before removing a node that would take the count past it. Returns how many entries went.
     *
     * @param maxLen the length to trim to, or -1 to trim by {@code minId}
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        boolean byLength = maxLen >= 0;
        long deleted = 0;
        Iterator<Map.Entry<StreamId, Listpack>> it = nodes.entrySet().iterator();
        while (it.hasNext()) {
            if (byLength && length <= maxLen) {
                break;
            }
            Map.Entry<StreamId, Listpack> node = it.next();
            Listpack lp = node.getValue();
            int first = lp.first();
            long entries = lp.longAt(first);
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            Layout layout = null;
            boolean removeNode;
            if (byLength) {
                removeNode = length - entries >= maxLen;
            } else {
                layout = layout(node.getKey(), lp);
                List<Slot> slots = layout.slots();
                removeNode = slots.get(slots.size() - 1).id().compareTo(minId) < 0;
            }
            if (removeNode) {
                it.remove();
                rax.remove(node.getKey().encode());
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            if (layout == null) {
                layout = layout(node.getKey(), lp);
            }
            long deletedFromNode = 0;
            for (Slot s : layout.slots()) {
                boolean stop = byLength ? length <= maxLen : s.id().compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                if (!s.deleted()) {
                    lp.replaceInteger(s.flagsPos(), s.flags() | FLAG_DELETED);
                    deletedFromNode++;
                    length--;
                }
            }
            deleted += deletedFromNode;
            lp.replaceInteger(first, entries - deletedFromNode);
            int marked = lp.next(first);
            lp.replaceInteger(marked, lp.longAt(marked) + deletedFromNode);
            break;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (deleted > 0) {
            firstId = edgeId(true, true);
        }
        return deleted;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Consumer group counters
    // ---------------------------------------------------------------------------------------------------------

    /**
     * streamRangeHasTombstones: whether an entry between {@code start} and {@code end} (null: unbounded) may
     * have been deleted, judged by the largest deleted ID alone.
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedEntryId.isZero() || firstId.compareTo(maxDeletedEntryId) > 0) {
            return false;
        }
        StreamId from = start == null ? StreamId.MIN : start;
        StreamId to = end == null ? StreamId.MAX : end;
        return from.compareTo(maxDeletedEntryId) <= 0 && maxDeletedEntryId.compareTo(to) <= 0;
    }

    /**
     * streamEstimateDistanceFromFirstEverEntry: the logical read counter of {@code id} (how many entries
     * were added up to it) when it can be known: for the last ID, for IDs at or before the first entry of a
     * stream without deletions among its entries, and for any ID of an empty or never used stream; else
     * {@link StreamGroup#INVALID_ENTRIES_READ}.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return StreamGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedEntryId.isZero() || maxDeletedEntryId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return StreamGroup.INVALID_ENTRIES_READ;
    }

    /** streamReplyWithCGLag's value: entries not yet delivered to the group, or null when unknowable. */
    public Long lag(StreamGroup group) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (group.entriesRead() != StreamGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(group.lastId(), null)) {
            return entriesAdded - group.entriesRead();
        }
        long read = estimateDistanceFromFirstEverEntry(group.lastId());
        return read == StreamGroup.INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Consumer groups
    // ---------------------------------------------------------------------------------------------------------

    /** The groups by name. */
    public TreeMap<byte[], StreamGroup> groups() {
        return groups;
    }

    public StreamGroup group(byte[] name) {
        return groups.get(name);
    }

    /** streamCreateCG: a new group, or null if one has that name. */
    public StreamGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        if (groups.containsKey(name)) {
            return null;
        }
        StreamGroup g = new StreamGroup(lastDelivered, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups.remove(name) != null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Loading (RDB)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Adds a node as loaded from an RDB file or DUMP payload; false when its listpack is not a well-formed
     * stream node (streamValidateListpackIntegrity, deep) or the master ID is already used.
     */
    public boolean loadNode(StreamId master, Listpack lp) {
        if (nodes.containsKey(master) || !isWellFormedNode(lp)) {
            return false;
        }
        nodes.put(master, lp);
        rax.insert(master.encode());
        return true;
    }

    /** The metadata saved after the nodes. */
    public void loadMetadata(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedEntryId,
            long entriesAdded) {
        this.length = length;
        this.lastId = lastId;
        this.firstId = firstId;
        this.maxDeletedEntryId = maxDeletedEntryId;
        this.entriesAdded = entriesAdded;
    }

    /**
     * Whether {@code lp} has a stream node's layout: the master entry (counts, field count, fields, a 0
     * terminator), then as many entries as the counts say, each with integer flags, ID deltas and field
     * count, as many fields and values as announced, and an lp-count matching them, nothing after.
     */
    static boolean isWellFormedNode(Listpack lp) {
        int p = lp.first();
        Long live = p < 0 ? null : lp.integerAt(p);
        p = live == null ? -1 : lp.next(p);
        Long deleted = p < 0 ? null : lp.integerAt(p);
        p = deleted == null ? -1 : lp.next(p);
        Long masterFields = p < 0 ? null : lp.integerAt(p);
        if (masterFields == null || masterFields < 0) {
            return false;
        }
        for (long j = 0; j <= masterFields && p >= 0; j++) {
            p = lp.next(p);
        }
        Long zero = p < 0 ? null : lp.integerAt(p);
        if (zero == null || zero != 0) {
            return false;
        }
        p = lp.next(p);
        for (long n = live + deleted; n > 0; n--) {
            Long flags = p < 0 ? null : lp.integerAt(p);
            if (flags == null) {
                return false;
            }
            long fields = masterFields;
            long elements = 3;
            for (int k = 0; k < 2 && p >= 0; k++) {
                p = lp.next(p);
                if (p < 0 || lp.integerAt(p) == null) {
                    return false;
                }
            }
            p = lp.next(p);
            if ((flags & FLAG_SAMEFIELDS) == 0) {
                Long count = p < 0 ? null : lp.integerAt(p);
                if (count == null || count < 0) {
                    return false;
                }
                fields = count;
                elements += fields + 1;
                for (long j = 0; j <= fields && p >= 0; j++) {
                    p = lp.next(p);
                }
            }
            for (long j = 0; j < fields && p >= 0; j++) {
                p = lp.next(p);
            }
            Long lpCount = p < 0 ? null : lp.integerAt(p);
            if (lpCount == null || lpCount != fields + elements) {
                return false;
            }
            p = lp.next(p);
        }
        return p < 0;
    }
}
