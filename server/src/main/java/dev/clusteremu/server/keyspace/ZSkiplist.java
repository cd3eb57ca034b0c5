package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "skiplist" encoding of sorted sets (zset in server.h): a skip list ordered by score then member, whose
 * links carry spans so ranks cost O(log n), plus a {@link Dict} from member to node for O(1) score lookups
 * and ZSCAN's cursor. The nodes are the dict's entries, so each member is stored once, as Redis shares one
 * sds between its dict and skip list.
 *
 * <p>Ranks here are 1-based, as in t_zset.c (zslGetRank, zslGetElementByRank).
 */
final class ZSkiplist {
    /** ZSKIPLIST_MAXLEVEL: enough for 2^64 elements. */
    private static final int MAX_LEVEL = 32;
    /** ZSKIPLIST_P: a node reaches each next level with probability 1/4. */
    private static final int LEVEL_UP_ONE_IN = 4;
    private static final byte[] NO_MEMBER = new byte[0];
    /** A time budget that lets {@link Dict#rehashFor} run to completion. */
    private static final long UNBOUNDED_MICROS = 86_400_000_000L;

    /** One element: its member (the dict key), score, backward link and forward links with spans. */
    static final class Node extends DictEntry {
        double score;
        Node backward;
        final Node[] forward;
        final long[] span;

        Node(byte[] member, double score, int level) {
            super(member);
            this.score = score;
            this.forward = new Node[level];
            this.span = new long[level];
        }

        Node next() {
            return forward[0];
        }
    }

    final Dict<Node> dict = new Dict<>();
    private final Node header = new Node(NO_MEMBER, 0, MAX_LEVEL);
    private Node tail;
    private long length;
    private int level = 1;

    long length() {
        return length;
    }

    /**
     * A skip list of the same members and scores, built as zsetDup builds it: inserting from the highest
     * ranked element down, each node with a level of its own draw, into a dict presized for them (so no
     * rehash is left in progress).
     */
    ZSkiplist duplicate() {
        ZSkiplist copy = new ZSkiplist();
        for (Node x = tail; x != null; x = x.backward) {
            copy.insert(x.score, x.key);
        }
        copy.dict.rehashFor(UNBOUNDED_MICROS);
        return copy;
    }

    /** The lowest-ranked node, or null. */
    Node first() {
        return header.forward[0];
    }

    /** The highest-ranked node, or null. */
    Node last() {
        return tail;
    }

    Node find(byte[] member) {
        return dict.find(member, Dict.hash(member));
    }

    /** zslRandomLevel: level k+1 with probability (1/4)^k. */
    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && random.nextInt(LEVEL_UP_ONE_IN) == 0) {
            lvl++;
        }
        return lvl;
    }

    /** Skip list order: by score, then by member bytes (sdscmp: unsigned, a prefix first). */
    private static boolean before(Node x, double score, byte[] member) {
        return x.score < score || (x.score == score && Arrays.compareUnsigned(x.key, member) < 0);
    }

    /** Adds a member that is not in the set (zslInsert + dictAdd). */
    void insert(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        long[] rank = new long[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && before(x.forward[i], score, member)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        Node node = new Node(member, score, lvl);
        for (int i = 0; i < lvl; i++) {
            node.forward[i] = update[i].forward[i];
            update[i].forward[i] = node;
            node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.forward[0] != null) {
            node.forward[0].backward = node;
        } else {
            tail = node;
        }
        length++;
        dict.add(node);
    }

    /** Unlinks {@code x}, whose predecessors at each level are {@code update} (zslDeleteNode). */
    private void unlinkNode(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** The predecessors of the position of (score, member) at each level. */
    private Node[] predecessors(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && before(x.forward[i], score, member)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        return update;
    }

    /** Removes a member; returns whether it was there (zsetRemoveFromSkiplist). */
    boolean remove(byte[] member) {
        Node node = dict.unlink(member, Dict.hash(member));
        if (node == null) {
            return false;
        }
        unlinkNode(node, predecessors(node.score, member));
        dict.shrinkIfNeeded();
        return true;
    }

    /**
     * Changes the score of a member's node (zslUpdateScore): in place when the order stays the same,
     * otherwise by unlinking and reinserting it.
     */
    void updateScore(Node node, double newScore) {
        boolean stays = (node.backward == null || node.backward.score < newScore)
                && (node.forward[0] == null || node.forward[0].score > newScore);
        if (stays) {
            node.score = newScore;
            return;
        }
        unlinkNode(node, predecessors(node.score, node.key));
        dict.unlink(node.key, node.hash);
        insert(newScore, node.key);
    }

    /** The 1-based rank of a node (zslGetRank). */
    long rank(Node node) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (before(x.forward[i], node.score, node.key)
                    || x.forward[i] == node)) {
                rank += x.span[i];
                x = x.forward[i];
            }
            if (x == node) {
                return rank;
            }
        }
        return 0;
    }

    /** The node of 1-based {@code rank}, or null (zslGetElementByRank). */
    Node byRank(long rank) {
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Ranges
    // ---------------------------------------------------------------------------------------------------

    /** Whether some element can lie in the score range (zslIsInRange). */
    private boolean isInRange(ScoreRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.score)) {
            return false;
        }
        Node x = header.forward[0];
        return x != null && range.belowMax(x.score);
    }

    /** The first node in the score range, or null (zslFirstInRange). */
    Node firstInRange(ScoreRange range) {
        if (!isInRange(range)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !range.aboveMin(x.forward[i].score)) {
                x = x.forward[i];
            }
        }
        x = x.forward[0];
        return range.belowMax(x.score) ? x : null;
    }

    /** The last node in the score range, or null (zslLastInRange). */
    Node lastInRange(ScoreRange range) {
        if (!isInRange(range)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && range.belowMax(x.forward[i].score)) {
                x = x.forward[i];
            }
        }
        return range.aboveMin(x.score) ? x : null;
    }

    /** Whether some element can lie in the lex range (zslIsInLexRange). */
    private boolean isInLexRange(LexRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.key)) {
            return false;
        }
        Node x = header.forward[0];
        return x != null && range.belowMax(x.key);
    }

    /** The first node in the lex range, or null (zslFirstInLexRange). */
    Node firstInLexRange(LexRange range) {
        if (!isInLexRange(range)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !range.aboveMin(x.forward[i].key)) {
                x = x.forward[i];
            }
        }
        x = x.forward[0];
        return range.belowMax(x.key) ? x : null;
    }

    /** The last node in the lex range, or null (zslLastInLexRange). */
    Node lastInLexRange(LexRange range) {
        if (!isInLexRange(range)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && range.belowMax(x.forward[i].key)) {
                x = x.forward[i];
            }
        }
        return range.aboveMin(x.key) ? x : null;
    }
}
