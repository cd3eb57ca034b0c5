package dev.clusteremu.server.keyspace;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The shape of a Redis radix tree (rax.c) holding a set of keys, without the values: enough to know how many
 * nodes the tree has, which XINFO STREAM reports as radix-tree-nodes for a stream's tree of listpacks.
 *
 * <p>Why simulate rather than count: a rax is not a canonical compressed trie. Its shape depends on the
 * order of insertions and deletions (a node of one child may stay uncompressed after a removal, compressed
 * chains are only merged in some cases), so the only way to report Redis's number is to apply the same
 * splits, child additions, removals and recompressions raxInsert and raxRemove apply. Nodes are: compressed
 * (a run of bytes with one child), or plain (one byte per child, sorted), either of them possibly marking
 * the end of a key; the head always exists.
 */
final class RaxShape {
    private static final byte[] NO_BYTES = new byte[0];
    private static final Node[] NO_CHILDREN = new Node[0];

    private static final class Node {
        boolean compressed;
        boolean key;
        byte[] chars = NO_BYTES;
        Node[] children = NO_CHILDREN;

        int size() {
            return chars.length;
        }

        /** raxNodeLastChildPtr's target: the only child of a compressed node, else the last one. */
        Node lastChild() {
            return children[children.length - 1];
        }
    }

    /** Where a walk stopped: the node, its parent link, how far into the key and into a compressed node. */
    private static final class Walk {
        Node node;
        Node parent;
        int childIndex;
        int consumed;
        int splitPos;
        final Deque<Node> stack = new ArrayDeque<>();
    }

    private Node head = new Node();
    /** rax->numnodes: the head counts from the start. */
    private long nodes = 1;

    /** rax->numnodes. */
    long nodeCount() {
        return nodes;
    }

    /**
     * rax->numnodes of a tree holding the keys {@code sorted} (ascending as unsigned bytes, distinct) that
     * was built by insertions in any order, and, when the keys all have one length (stream IDs), by
     * removals too. Those keep a rax in its compact form, a function of the key set alone: every node is
     * the end of a key, a branch (one byte per child), or one run of bytes shared by every key below it.
     * So the count follows from the keys without building the tree.
     */
    static long nodeCountOf(List<byte[]> sorted) {
        return sorted.isEmpty() ? 1 : nodesFrom(sorted, 0, sorted.size(), 0);
    }

    /** The nodes of the subtree at {@code depth} holding keys {@code lo..hi-1}, which share that prefix. */
    private static long nodesFrom(List<byte[]> keys, int lo, int hi, int depth) {
        int from = lo;
        if (keys.get(from).length == depth) {
            from++;
            if (from == hi) {
                return 1;
            }
        }
        byte[] first = keys.get(from);
        byte[] last = keys.get(hi - 1);
        int end = Math.min(first.length, last.length);
        int p = depth;
        while (p < end && first[p] == last[p]) {
            p++;
        }
        if (p > depth) {
            return 1 + nodesFrom(keys, from, hi, p);
        }
        long n = 1;
        int i = from;
        while (i < hi) {
            byte c = keys.get(i)[depth];
            int j = i + 1;
            while (j < hi && keys.get(j)[depth] == c) {
                j++;
            }
            n += nodesFrom(keys, i, j, depth + 1);
            i = j;
        }
        return n;
    }

    /** raxLowWalk: follows {@code s} from the head as far as the tree goes. */
    private Walk walk(byte[] s) {
        Walk w = new Walk();
        Node h = head;
        int i = 0;
        int j = 0;
        while (h.size() > 0 && i < s.length) {
            if (h.compressed) {
                for (j = 0; j < h.size() && i < s.length; j++, i++) {
                    if (h.chars[j] != s[i]) {
                        break;
                    }
                }
                if (j != h.size()) {
                    break;
                }
            } else {
                for (j = 0; j < h.size(); j++) {
                    if (h.chars[j] == s[i]) {
                        break;
                    }
                }
                if (j == h.size()) {
                    break;
                }
                i++;
            }
            w.stack.push(h);
            int child = h.compressed ? 0 : j;
            w.parent = h;
            w.childIndex = child;
            h = h.children[child];
            j = 0;
        }
        w.node = h;
        w.consumed = i;
        w.splitPos = h.compressed ? j : 0;
        return w;
    }

    private void link(Node parent, int childIndex, Node node) {
        if (parent == null) {
            head = node;
        } else {
            parent.children[childIndex] = node;
        }
    }

    /** raxInsert of a key that is not in the tree yet (the stream inserts each node key once). */
    void insert(byte[] s) {
        Walk w = walk(s);
        Node h = w.node;
        int i = w.consumed;
        if (i == s.length && (!h.compressed || w.splitPos == 0)) {
            h.key = true;
            return;
        }
        Node parent = w.parent;
        int childIndex = w.childIndex;
        if (h.compressed) {
            // Split the compressed node at the first differing byte: [trimmed] -> split -> [postfix] -> next.
            int j = w.splitPos;
            Node next = h.children[0];
            Node split = new Node();
            split.chars = new byte[] {h.chars[j]};
            if (j == 0) {
                split.key = h.key;
                link(parent, childIndex, split);
            } else {
                Node trimmed = new Node();
                trimmed.chars = Arrays.copyOf(h.chars, j);
                trimmed.compressed = j > 1;
                trimmed.key = h.key;
                trimmed.children = new Node[] {split};
                link(parent, childIndex, trimmed);
                nodes++;
            }
            int postfixLen = h.size() - j - 1;
            Node postfix = next;
            if (postfixLen > 0) {
                postfix = new Node();
                postfix.chars = Arrays.copyOfRange(h.chars, j + 1, h.size());
                postfix.compressed = postfixLen > 1;
                postfix.children = new Node[] {next};
                nodes++;
            }
            split.children = new Node[] {postfix};
            h = split;
        }
        while (i < s.length) {
            Node child = new Node();
            if (h.size() == 0 && s.length - i > 1) {
                h.compressed = true;
                h.chars = Arrays.copyOfRange(s, i, s.length);
                h.children = new Node[] {child};
                i = s.length;
            } else {
                addChild(h, s[i], child);
                i++;
            }
            nodes++;
            h = child;
        }
        h.key = true;
    }

    /** raxAddChild: a new child under byte {@code c}, children kept sorted by unsigned byte. */
    private static void addChild(Node n, byte c, Node child) {
        int pos = 0;
        while (pos < n.size() && (n.chars[pos] & 0xff) <= (c & 0xff)) {
            pos++;
        }
        byte[] chars = new byte[n.size() + 1];
        Node[] children = new Node[n.size() + 1];
        System.arraycopy(n.chars, 0, chars, 0, pos);
        System.arraycopy(n.children, 0, children, 0, pos);
        chars[pos] = c;
        children[pos] = child;
        System.arraycopy(n.chars, pos, chars, pos + 1, n.size() - pos);
        System.arraycopy(n.children, pos, children, pos + 1, n.size() - pos);
        n.chars = chars;
        n.children = children;
    }

    /**
     * raxRemove: unmarks the key, frees the chain of nodes that only led to it, and recompresses the
     * single-child chain around the point of removal, as Redis does (and only as far as Redis does).
     */
    void remove(byte[] s) {
        Walk w = walk(s);
        Node h = w.node;
        if (w.consumed != s.length || (h.compressed && w.splitPos != 0) || !h.key) {
            return;
        }
        h.key = false;
        Deque<Node> stack = w.stack;
        boolean tryCompress = false;
        if (h.size() == 0) {
            Node child = null;
            while (h != head) {
                child = h;
                nodes--;
                h = stack.pop();
                if (h.key || (!h.compressed && h.size() != 1)) {
                    break;
                }
            }
            if (child != null) {
                removeChild(h, child);
                if (h.size() == 1 && !h.key) {
                    tryCompress = true;
                }
            }
        } else if (h.size() == 1) {
            tryCompress = true;
        }
        if (tryCompress) {
            recompress(h, stack);
        }
    }

    /** raxRemoveChild: a compressed parent becomes an empty plain node; a plain one loses that child. */
    private static void removeChild(Node parent, Node child) {
        if (parent.compressed) {
            parent.compressed = false;
            parent.chars = NO_BYTES;
            parent.children = NO_CHILDREN;
            return;
        }
        int at = 0;
        while (parent.children[at] != child) {
            at++;
        }
        byte[] chars = new byte[parent.size() - 1];
        Node[] children = new Node[parent.size() - 1];
        System.arraycopy(parent.chars, 0, chars, 0, at);
        System.arraycopy(parent.children, 0, children, 0, at);
        System.arraycopy(parent.chars, at + 1, chars, at, parent.size() - at - 1);
        System.arraycopy(parent.children, at + 1, children, at, parent.size() - at - 1);
        parent.chars = chars;
        parent.children = children;
    }

    /**
     * The compression step of raxRemove: climbs to the top of the single-child, non-key chain holding
     * {@code h}, then merges that chain down to the first key or branching node into one compressed node.
     */
    private void recompress(Node h, Deque<Node> stack) {
        Node parent;
        while (true) {
            parent = stack.poll();
            if (parent == null || parent.key || (!parent.compressed && parent.size() != 1)) {
                break;
            }
            h = parent;
        }
        Node start = h;
        int chainNodes = 1;
        Node n = h;
        while (n.size() != 0) {
            n = n.lastChild();
            if (n.key || (!n.compressed && n.size() != 1)) {
                break;
            }
            chainNodes++;
        }
        if (chainNodes == 1) {
            return;
        }
        Node merged = new Node();
        merged.compressed = true;
        nodes++;
        byte[] chars = NO_BYTES;
        n = start;
        while (n.size() != 0) {
            byte[] joined = Arrays.copyOf(chars, chars.length + n.size());
            System.arraycopy(n.chars, 0, joined, chars.length, n.size());
            chars = joined;
            n = n.lastChild();
            nodes--;
            if (n.key || (!n.compressed && n.size() != 1)) {
                break;
            }
        }
        merged.chars = chars;
        merged.children = new Node[] {n};
        if (parent == null) {
            head = merged;
        } else {
            for (int i = 0; i < parent.children.length; i++) {
                if (parent.children[i] == start) {
                    parent.children[i] = merged;
                }
            }
        }
    }
}
