package dev.clusteremu.server.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.clusteremu.server.rdb.Listpack;

/**
 * A list, in Redis 7.0's only list encoding, the quicklist (quicklist.c): a doubly linked list of nodes,
 * each a listpack of consecutive elements.
 *
 * <p>Why mirror the nodes rather than keep one array: DUMP, MIGRATE and full syncs save a list node by node
 * (RDB_TYPE_LIST_QUICKLIST_2), so where Redis splits and merges nodes is on the wire. Each node keeps its
 * elements and the byte size its listpack would have (lpBytes: Listpack's entry sizes plus the 7 bytes of
 * header and terminator), and every operation places elements, opens nodes, splits and merges them under
 * the same rules and with the same size estimates as quicklist.c, so the node layout, and with it every
 * DUMP payload, is Redis's.
 *
 * <p>The fill (list-max-listpack-size when the list was created) caps a node: negative, by listpack bytes
 * (-1 to -5: 4, 8, 16, 32, 64 KB); positive, by element count, never beyond the 8 KB safety limit. An
 * element of 1 GB or more gets a "plain" node of its own. Compression (list-compress-depth) is not
 * modeled: nodes are always kept raw, as Redis keeps them at the default depth 0.
 */
public final class ListValue implements RedisObject {
    /** optimization_level: the node size limits in bytes of fills -1 to -5. */
    private static final long[] OPTIMIZATION_LEVEL = {4096, 8192, 16384, 32768, 65536};
    /** SIZE_SAFETY_LIMIT: a count-limited node still never grows past 8 KB. */
    private static final long SIZE_SAFETY_LIMIT = 8192;
    /**
     * SIZE_ESTIMATE_OVERHEAD: whether an element fits is judged on its raw length plus 8 bytes, an
     * overestimate of its listpack encoding that Redis prefers to an exact computation.
     */
    private static final long SIZE_ESTIMATE_OVERHEAD = 8;
    /** The header and terminator counted twice when two listpacks are merged into one (lpMerge). */
    private static final long MERGE_SAVED_BYTES = 11;
    /** packed_threshold: an element this large or larger goes into a plain node of its own. */
    private static final long PACKED_THRESHOLD = 1L << 30;
    /** FILL_MAX on 64-bit (QL_FILL_BITS 16) and the smallest fill: quicklistSetFill clamps to these. */
    private static final int FILL_MAX = (1 << 15) - 1;
    private static final int FILL_MIN = -5;

    /** One quicklist node: a listpack of elements, or a plain node holding one large element. */
    private static final class Node {
        Node prev;
        Node next;
        final List<byte[]> entries;
        /** lpBytes of the listpack, or the element's length for a plain node (node->sz). */
        long sz;
        final boolean plain;

        Node(List<byte[]> entries, boolean plain) {
            this.entries = entries;
            this.plain = plain;
            this.sz = plain ? entries.get(0).length : listpackBytes(entries);
        }

        int count() {
            return entries.size();
        }
    }

    /** A position: a node and the offset of an element in it. */
    private record Position(Node node, int offset) {
    }

    private final int fill;
    private Node head;
    private Node tail;
    private long count;
    /** The number of nodes (quicklist->len). */
    private int len;

    private ListValue(int fill) {
        this.fill = fill;
    }

    /** An empty list with the fill {@code listMaxListpackSize} gives, clamped as quicklistSetFill clamps it. */
    public static ListValue create(long listMaxListpackSize) {
        return new ListValue((int) Math.max(FILL_MIN, Math.min(FILL_MAX, listMaxListpackSize)));
    }

    @Override
    public ObjectType type() {
        return ObjectType.LIST;
    }

    @Override
    public String encodingName() {
        return "quicklist";
    }

    /**
     * quicklistDup: a list with the same fill and the same nodes, each holding the same elements (the
     * element arrays are shared: nothing writes into them).
     */
    @Override
    public ListValue duplicate() {
        ListValue copy = new ListValue(fill);
        for (Node node = head; node != null; node = node.next) {
            copy.insertNode(copy.tail, new Node(new ArrayList<>(node.entries), node.plain), true);
        }
        copy.count = count;
        return copy;
    }

    /** LLEN. */
    public long length() {
        return count;
    }

    // ---------------------------------------------------------------------------------------------------
    // Node sizing (_quicklistNodeAllowInsert, _quicklistNodeAllowMerge)
    // ---------------------------------------------------------------------------------------------------

    private static long listpackBytes(List<byte[]> entries) {
        long bytes = Listpack.emptySize();
        for (byte[] e : entries) {
            bytes += Listpack.entrySize(e);
        }
        return bytes;
    }

    private static boolean isLargeElement(long size) {
        return size >= PACKED_THRESHOLD;
    }

    /** Whether a node of {@code sz} bytes is within the byte limit of a negative fill. */
    private boolean meetsOptimizationLevel(long sz) {
        if (fill >= 0) {
            return false;
        }
        int level = -fill - 1;
        return level < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[level];
    }

    /** Whether an element of {@code size} raw bytes may join {@code node}. */
    private boolean allowInsert(Node node, long size) {
        if (node == null || node.plain || isLargeElement(size)) {
            return false;
        }
        long newSize = node.sz + size + SIZE_ESTIMATE_OVERHEAD;
        if (meetsOptimizationLevel(newSize)) {
            return true;
        } else if (newSize > SIZE_SAFETY_LIMIT) {
            return false;
        }
        return node.count() < fill;
    }

    /** Whether two neighbours may become one node. */
    private boolean allowMerge(Node a, Node b) {
        if (a == null || b == null || a.plain || b.plain) {
            return false;
        }
        long mergedSize = a.sz + b.sz - MERGE_SAVED_BYTES;
        if (meetsOptimizationLevel(mergedSize)) {
            return true;
        } else if (mergedSize > SIZE_SAFETY_LIMIT) {
            return false;
        }
        return a.count() + b.count() <= fill;
    }

    // ---------------------------------------------------------------------------------------------------
    // Node list maintenance
    // ---------------------------------------------------------------------------------------------------

    /** Links {@code node} after (or before) {@code old}, or as the only node when {@code old} is null. */
    private void insertNode(Node old, Node node, boolean after) {
        len++;
        if (old == null) {
            head = node;
            tail = node;
            return;
        }
        if (after) {
            node.prev = old;
            node.next = old.next;
            if (old.next != null) {
                old.next.prev = node;
            }
            old.next = node;
            if (tail == old) {
                tail = node;
            }
        } else {
            node.next = old;
            node.prev = old.prev;
            if (old.prev != null) {
                old.prev.next = node;
            }
            old.prev = node;
            if (head == old) {
                head = node;
            }
        }
    }

    /** Removes {@code node} with its elements (__quicklistDelNode). */
    private void deleteNode(Node node) {
        count -= node.count();
        unlink(node);
    }

    /** Takes {@code node} out of the chain; the caller accounts for its elements. */
    private void unlink(Node node) {
        len--;
        if (node.next != null) {
            node.next.prev = node.prev;
        }
        if (node.prev != null) {
            node.prev.next = node.next;
        }
        if (node == tail) {
            tail = node.prev;
        }
        if (node == head) {
            head = node.next;
        }
    }

    /** Removes the element at {@code offset} of {@code node}, and the node if that emptied it (quicklistDelIndex). */
    private void deleteIndex(Node node, int offset) {
        if (node.plain) {
            deleteNode(node);
            return;
        }
        byte[] removed = node.entries.remove(offset);
        count--;
        if (node.entries.isEmpty()) {
            unlink(node);
        } else {
            node.sz -= Listpack.entrySize(removed);
        }
    }

    private static Node packedNode(byte[] value) {
        List<byte[]> entries = new ArrayList<>();
        entries.add(value);
        return new Node(entries, false);
    }

    private static Node plainNode(byte[] value) {
        List<byte[]> entries = new ArrayList<>(1);
        entries.add(value);
        return new Node(entries, true);
    }

    private static void addEntry(Node node, int index, byte[] value) {
        node.entries.add(index, value);
        node.sz += Listpack.entrySize(value);
    }

    // ---------------------------------------------------------------------------------------------------
    // Push and pop
    // ---------------------------------------------------------------------------------------------------

    /** LPUSH (head) or RPUSH (tail) of one element (quicklistPushHead / quicklistPushTail). */
    public void push(byte[] value, boolean atHead) {
        Node end = atHead ? head : tail;
        if (isLargeElement(value.length)) {
            insertNode(end, plainNode(value), !atHead);
        } else if (allowInsert(end, value.length)) {
            addEntry(end, atHead ? 0 : end.count(), value);
        } else {
            insertNode(end, packedNode(value), !atHead);
        }
        count++;
    }

    /** LPOP (head) or RPOP (tail) of one element, or null when the list is empty (quicklistPopCustom). */
    public byte[] pop(boolean atHead) {
        Node node = atHead ? head : tail;
        if (node == null) {
            return null;
        }
        int offset = atHead ? 0 : node.count() - 1;
        byte[] value = node.entries.get(offset);
        deleteIndex(node, offset);
        return value;
    }

    // ---------------------------------------------------------------------------------------------------
    // Access by index
    // ---------------------------------------------------------------------------------------------------

    /**
     * The node and offset of element {@code index} (negative from the tail), or null when out of range
     * (quicklistGetIteratorAtIdx, which walks from whichever end is nearer).
     */
    private Position locate(long index) {
        long i = index < 0 ? count + index : index;
        if (i < 0 || i >= count) {
            return null;
        }
        if (i <= (count - 1) / 2) {
            long accum = 0;
            for (Node n = head; n != null; n = n.next) {
                if (accum + n.count() > i) {
                    return new Position(n, (int) (i - accum));
                }
                accum += n.count();
            }
        } else {
            long fromTail = count - 1 - i;
            long accum = 0;
            for (Node n = tail; n != null; n = n.prev) {
                if (accum + n.count() > fromTail) {
                    return new Position(n, n.count() - 1 - (int) (fromTail - accum));
                }
                accum += n.count();
            }
        }
        return null;
    }

    /** LINDEX: the element at {@code index} (negative from the tail), or null when out of range. */
    public byte[] get(long index) {
        Position p = locate(index);
        return p == null ? null : p.node.entries.get(p.offset);
    }

    /**
     * LSET: replaces the element at {@code index} (quicklistReplaceEntry); false when out of range. The node
     * may outgrow its fill: Redis replaces in place without checking the size.
     */
    public boolean replace(long index, byte[] value) {
        Position p = locate(index);
        if (p == null) {
            return false;
        }
        Node node = p.node;
        if (!node.plain && !isLargeElement(value.length)) {
            byte[] old = node.entries.set(p.offset, value);
            node.sz += Listpack.entrySize(value) - Listpack.entrySize(old);
        } else if (node.plain) {
            if (isLargeElement(value.length)) {
                node.entries.set(0, value);
                node.sz = value.length;
            } else {
                insert(node, 0, value, true);
                deleteNode(node);
            }
        } else {
            // A large element splits the node after the old one, which is then the node's last.
            insert(node, p.offset, value, true);
            if (node.count() == 1) {
                deleteNode(node);
            } else {
                deleteIndex(node, node.count() - 1);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // Insertion next to an element (LINSERT)
    // ---------------------------------------------------------------------------------------------------

    /**
     * LINSERT: inserts {@code value} before or after the first element equal to {@code pivot}, searching
     * from the head; false when there is no such element.
     */
    public boolean insert(byte[] pivot, byte[] value, boolean after) {
        for (Node n = head; n != null; n = n.next) {
            for (int i = 0; i < n.count(); i++) {
                if (Arrays.equals(n.entries.get(i), pivot)) {
                    insert(n, i, value, after);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * _quicklistInsert: a new element next to the one at {@code offset} of {@code node}. Into that node
     * if it has room; else into the neighbour's near end when inserting at this node's edge and the
     * neighbour has room; else a new node at the edge; else the node is split at the offset, the element
     * joins the split-off part, and the neighbourhood is merged where the fill allows.
     */
    private void insert(Node node, int offset, byte[] value, boolean after) {
        long size = value.length;
        boolean full = !allowInsert(node, size);
        boolean atTail = after && offset == node.count() - 1;
        boolean atHead = !after && offset == 0;
        boolean availableNext = atTail && allowInsert(node.next, size);
        boolean availablePrev = atHead && allowInsert(node.prev, size);

        if (isLargeElement(size)) {
            if (node.plain || atTail || atHead) {
                insertNode(node, plainNode(value), after);
            } else {
                Node split = split(node, offset, after);
                Node plain = plainNode(value);
                insertNode(node, plain, after);
                insertNode(plain, split, after);
            }
        } else if (!full) {
            addEntry(node, after ? offset + 1 : offset, value);
        } else if (atTail && availableNext) {
            addEntry(node.next, 0, value);
        } else if (atHead && availablePrev) {
            addEntry(node.prev, node.prev.count(), value);
        } else if (atTail || atHead) {
            insertNode(node, packedNode(value), after);
        } else {
            Node split = split(node, offset, after);
            addEntry(split, after ? 0 : split.count(), value);
            insertNode(node, split, after);
            mergeNodes(node);
        }
        count++;
    }

    /**
     * _quicklistSplitNode: after, the new node takes the elements after {@code offset} and {@code node}
     * keeps those up to it; before, the new node takes those before {@code offset}. Returns the new node,
     * not yet linked.
     */
    private static Node split(Node node, int offset, boolean after) {
        List<byte[]> moved;
        if (after) {
            moved = new ArrayList<>(node.entries.subList(offset + 1, node.count()));
            node.entries.subList(offset + 1, node.count()).clear();
        } else {
            moved = new ArrayList<>(node.entries.subList(0, offset));
            node.entries.subList(0, offset).clear();
        }
        node.sz = listpackBytes(node.entries);
        return new Node(moved, false);
    }

    /**
     * _quicklistMergeNodes: after a split around {@code center}, merges the two nodes before it, the two
     * after it, then {@code center} with its previous node and the result with its next one, each where
     * the fill allows.
     */
    private void mergeNodes(Node center) {
        Node prev = center.prev;
        Node prevPrev = prev == null ? null : prev.prev;
        Node next = center.next;
        Node nextNext = next == null ? null : next.next;
        if (allowMerge(prev, prevPrev)) {
            merge(prevPrev, prev);
        }
        if (allowMerge(next, nextNext)) {
            merge(next, nextNext);
        }
        Node target = center;
        if (allowMerge(center, center.prev)) {
            target = merge(center.prev, center);
        }
        if (allowMerge(target, target.next)) {
            merge(target, target.next);
        }
    }

    /** Joins {@code b} into {@code a}, its left neighbour (lpMerge); returns the node that remains. */
    private Node merge(Node a, Node b) {
        a.entries.addAll(b.entries);
        a.sz = listpackBytes(a.entries);
        unlink(b);
        return a;
    }

    // ---------------------------------------------------------------------------------------------------
    // Deletion
    // ---------------------------------------------------------------------------------------------------

    /**
     * quicklistDelRange: deletes up to {@code n} elements from index {@code start} (negative from the
     * tail) towards the tail; nothing when start is out of range or n ≤ 0. Nodes emptied are removed,
     * others shrink in place: deletion never merges nodes.
     */
    public void deleteRange(long start, long n) {
        if (n <= 0) {
            return;
        }
        long extent = n;
        if (start >= 0 && extent > count - start) {
            extent = count - start;
        } else if (start < 0 && extent > -start) {
            extent = -start;
        }
        Position p = locate(start);
        if (p == null) {
            return;
        }
        Node node = p.node;
        int offset = p.offset;
        while (extent > 0) {
            Node next = node.next;
            long del = Math.min(node.count() - offset, extent);
            if ((offset == 0 && extent >= node.count()) || node.plain) {
                deleteNode(node);
            } else {
                List<byte[]> range = node.entries.subList(offset, offset + (int) del);
                for (byte[] e : range) {
                    node.sz -= Listpack.entrySize(e);
                }
                range.clear();
                count -= del;
                if (node.entries.isEmpty()) {
                    unlink(node);
                }
            }
            extent -= del;
            node = next;
            offset = 0;
        }
    }

    /**
     * LREM: removes elements equal to {@code element}, at most {@code max} of them (0 = all), scanning
     * from the head, or from the tail when {@code fromTail}. Returns how many were removed.
     */
    public long remove(byte[] element, long max, boolean fromTail) {
        long removed = 0;
        Node node = fromTail ? tail : head;
        while (node != null) {
            Node following = fromTail ? node.prev : node.next;
            int i = fromTail ? node.count() - 1 : 0;
            boolean nodeGone = false;
            while (!nodeGone && i >= 0 && i < node.count()) {
                if (Arrays.equals(node.entries.get(i), element)) {
                    nodeGone = node.count() == 1;
                    deleteIndex(node, i);
                    if (++removed == max) {
                        return removed;
                    }
                    if (fromTail) {
                        i--;
                    }
                } else {
                    i += fromTail ? -1 : 1;
                }
            }
            node = following;
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------------------
    // Iteration
    // ---------------------------------------------------------------------------------------------------

    /** Walks elements one by one from a starting index, towards the tail or towards the head. */
    public final class Cursor {
        private Node node;
        private int offset;
        private final boolean towardsTail;

        private Cursor(Position start, boolean towardsTail) {
            this.node = start == null ? null : start.node;
            this.offset = start == null ? 0 : start.offset;
            this.towardsTail = towardsTail;
        }

        public boolean hasNext() {
            return node != null;
        }

        /** The current element; the cursor then moves on. Only when {@link #hasNext()}. */
        public byte[] next() {
            byte[] value = node.entries.get(offset);
            if (towardsTail) {
                if (++offset == node.count()) {
                    node = node.next;
                    offset = 0;
                }
            } else if (--offset < 0) {
                node = node.prev;
                offset = node == null ? 0 : node.count() - 1;
            }
            return value;
        }
    }

    /**
     * A cursor at element {@code index} (negative from the tail) going towards the tail or the head
     * (listTypeInitIterator); it has nothing to return when the index is out of range.
     */
    public Cursor cursor(long index, boolean towardsTail) {
        return new Cursor(locate(index), towardsTail);
    }

    // ---------------------------------------------------------------------------------------------------
    // Nodes, for the RDB form
    // ---------------------------------------------------------------------------------------------------

    /** Receives one node of {@link #forEachNode}. */
    @FunctionalInterface
    public interface NodeVisitor {
        void visit(boolean plain, List<byte[]> entries);
    }

    /** The number of nodes (quicklist len). */
    public int nodeCount() {
        return len;
    }

    /**
     * The sizes (node->sz: lpBytes, or the element's length for a plain node) of up to {@code n} nodes
     * from the head, as MEMORY USAGE samples them.
     */
    long[] headNodeSizes(long n) {
        long[] sizes = new long[(int) Math.min(n, len)];
        Node node = head;
        for (int i = 0; i < sizes.length; i++, node = node.next) {
            sizes[i] = node.sz;
        }
        return sizes;
    }

    /** Visits the nodes from head to tail; the entries must not be modified. */
    public void forEachNode(NodeVisitor visitor) {
        for (Node node = head; node != null; node = node.next) {
            visitor.visit(node.plain, node.entries);
        }
    }

    /** Appends a node holding {@code entries} as they are (quicklistAppendListpack, for RDB loading). */
    public void appendNode(List<byte[]> entries) {
        Node node = new Node(new ArrayList<>(entries), false);
        insertNode(tail, node, true);
        count += node.count();
    }

    /** Appends a plain node holding one element (quicklistAppendPlainNode, for RDB loading). */
    public void appendPlainNode(byte[] element) {
        insertNode(tail, plainNode(element), true);
        count++;
    }
}
