package dev.clusteremu.server.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.clusteremu.server.rdb.Listpack;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * A sorted set, in one of Redis 7.0's two encodings (t_zset.c), which OBJECT ENCODING reports and DUMP
 * writes:
 * <ul>
 * <li>listpack: member/score pairs in one listpack, ordered by score then member. Kept here as that
 * sequence of pairs, with the byte size the listpack would have; a score is stored as the listpack stores
 * it (an integer when it is one, else its "%.17g" text), so -0 reads back as 0;</li>
 * <li>skiplist: a {@link ZSkiplist} with its member dict.</li>
 * </ul>
 * A set starts as a listpack when zset-max-listpack-entries and -value allow and becomes a skiplist as
 * soon as a new member is longer than zset-max-listpack-value or the set outgrows -entries; it goes back
 * only where Redis converts it back (after ZUNIONSTORE and friends, and on load).
 *
 * <p>Each operation follows the algorithm of its encoding, since where the set is not ordered the way an
 * operation assumes (lexicographical ranges over members of different scores) the result is whatever
 * that algorithm finds.
 */
public final class ZSetValue implements RedisObject {
    /** zsetAdd's options (ZADD_IN_*). */
    public static final int ADD_INCR = 1;
    public static final int ADD_NX = 1 << 1;
    public static final int ADD_XX = 1 << 2;
    public static final int ADD_GT = 1 << 3;
    public static final int ADD_LT = 1 << 4;
    /** zsetAdd's outcomes (ZADD_OUT_*). */
    public static final int ADDED = 1;
    public static final int UPDATED = 1 << 1;
    public static final int NOP = 1 << 2;
    public static final int NAN = 1 << 3;

    /** LISTPACK_MAX_SAFETY_SIZE: lpSafeToAdd keeps a listpack below 1 GB. */
    private static final long LISTPACK_SAFETY_SIZE = 1L << 30;
    /** double2ll's range: doubles within ±LLONG_MAX/2 that are integers are stored as integers. */
    private static final double LONG_SAFE = (double) (Long.MAX_VALUE / 2);

    /** A member and its score. */
    public record Entry(byte[] member, double score) {
    }

    /** What {@link #add} did: {@link #ADDED}, {@link #UPDATED}, {@link #NOP} or {@link #NAN} flags. */
    public record AddResult(int flags, double newScore) {
    }

    /** Receives elements of a walk over the set. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] member, double score);
    }

    /** The listpack encoding's pairs in listpack order; null when skiplist-encoded. */
    private List<Entry> listpack;
    /** lpBytes of the listpack: what lpSafeToAdd checks. */
    private long listpackBytes;
    /** The skiplist encoding; null when listpack-encoded. */
    private ZSkiplist skiplist;

    private ZSetValue(boolean asListpack) {
        if (asListpack) {
            listpack = new ArrayList<>();
            listpackBytes = Listpack.emptySize();
        } else {
            skiplist = new ZSkiplist();
        }
    }

    /** An empty listpack-encoded set (createZsetListpackObject). */
    public static ZSetValue newListpack() {
        return new ZSetValue(true);
    }

    /** An empty skiplist-encoded set (createZsetObject). */
    public static ZSetValue newSkiplist() {
        return new ZSetValue(false);
    }

    /**
     * A listpack-encoded set holding {@code pairs} in the given order, as a listpack loaded from an RDB
     * keeps them; the caller has checked that members are distinct.
     */
    public static ZSetValue ofListpack(List<Entry> pairs) {
        ZSetValue z = newListpack();
        for (Entry e : pairs) {
            double s = normalized(e.score);
            z.listpack.add(new Entry(e.member, s));
            z.listpackBytes += pairBytes(e.member, s);
        }
        return z;
    }

    @Override
    public ObjectType type() {
        return ObjectType.ZSET;
    }

    @Override
    public String encodingName() {
        return listpack != null ? "listpack" : "skiplist";
    }

    /**
     * zsetDup: the same elements in the same encoding; the member arrays are shared (nothing writes into
     * them).
     */
    @Override
    public ZSetValue duplicate() {
        ZSetValue copy = new ZSetValue(listpack != null);
        if (listpack != null) {
            copy.listpack.addAll(listpack);
            copy.listpackBytes = listpackBytes;
        } else {
            copy.skiplist = skiplist.duplicate();
        }
        return copy;
    }

    /** lpBytes of the listpack form. */
    long listpackBytes() {
        return listpackBytes;
    }

    /** The skiplist form, or null for a listpack. */
    ZSkiplist skiplist() {
        return skiplist;
    }

    public boolean isListpack() {
        return listpack != null;
    }

    /** ZCARD (zsetLength). */
    public long length() {
        return listpack != null ? listpack.size() : skiplist.length();
    }

    // ---------------------------------------------------------------------------------------------------
    // Scores in their listpack form
    // ---------------------------------------------------------------------------------------------------

    /** double2ll: whether {@code d} is an integer that a long holds without loss, in ±LLONG_MAX/2. */
    private static boolean isSafeLong(double d) {
        return d >= -LONG_SAFE && d <= LONG_SAFE && (long) d == d;
    }

    /**
     * d2string: a score as Redis writes it into a listpack and ZSCAN prints it: integers in decimal,
     * others as "%.17g", "inf"/"-inf", and "-0" for negative zero.
     */
    public static String d2string(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        } else if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        } else if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        } else if (isSafeLong(d)) {
            return Long.toString((long) d);
        }
        return RedisNumbers.formatG17(d);
    }

    /**
     * The listpack element a score is stored as (zzlInsertAt): an integer when double2ll accepts it (so -0
     * is 0), else its d2string text.
     */
    public static byte[] listpackScore(double score) {
        if (isSafeLong(score)) {
            return RedisNumbers.toBytes((long) score);
        }
        return d2string(score).getBytes(StandardCharsets.US_ASCII);
    }

    /** The score as it reads back from its listpack form (zzlGetScore): -0 becomes 0, nothing else changes. */
    private static double normalized(double score) {
        return score == 0 ? 0.0 : score;
    }

    private static long pairBytes(byte[] member, double score) {
        return Listpack.entrySize(member) + Listpack.entrySize(listpackScore(score));
    }

    // ---------------------------------------------------------------------------------------------------
    // Listpack primitives
    // ---------------------------------------------------------------------------------------------------

    /** zzlFind: the index of the pair of {@code member}, or -1. */
    private int listpackIndex(byte[] member) {
        for (int i = 0; i < listpack.size(); i++) {
            if (Arrays.equals(listpack.get(i).member, member)) {
                return i;
            }
        }
        return -1;
    }

    /** zzlInsert: before the first pair of a greater score, or of the same score and a greater member. */
    private void listpackInsert(byte[] member, double score) {
        double s = normalized(score);
        int i = 0;
        for (; i < listpack.size(); i++) {
            Entry e = listpack.get(i);
            if (e.score > s || (e.score == s && Arrays.compareUnsigned(e.member, member) > 0)) {
                break;
            }
        }
        listpack.add(i, new Entry(member, s));
        listpackBytes += pairBytes(member, s);
    }

    private void listpackDelete(int index) {
        Entry e = listpack.remove(index);
        listpackBytes -= pairBytes(e.member, e.score);
    }

    // ---------------------------------------------------------------------------------------------------
    // Conversions
    // ---------------------------------------------------------------------------------------------------

    /** zsetConvert to skiplist: every pair inserted in listpack order. */
    public void convertToSkiplist() {
        if (listpack == null) {
            return;
        }
        ZSkiplist zsl = new ZSkiplist();
        for (Entry e : listpack) {
            zsl.insert(e.score, e.member);
        }
        skiplist = zsl;
        listpack = null;
    }

    /**
     * zsetConvertToListpackIfNeeded: a skiplist becomes a listpack when it has at most {@code maxEntries}
     * members, none longer than {@code maxValue} (as the caller measured: {@code maxMemberLength}) and
     * {@code totalMemberLength} below the listpack safety size.
     */
    public void convertToListpackIfNeeded(long maxMemberLength, long totalMemberLength, long maxEntries,
                                          long maxValue) {
        if (listpack != null) {
            return;
        }
        if (skiplist.length() <= maxEntries && maxMemberLength <= maxValue
                && totalMemberLength <= LISTPACK_SAFETY_SIZE) {
            List<Entry> pairs = new ArrayList<>();
            long bytes = Listpack.emptySize();
            for (ZSkiplist.Node n = skiplist.first(); n != null; n = n.next()) {
                double s = normalized(n.score);
                pairs.add(new Entry(n.key(), s));
                bytes += pairBytes(n.key(), s);
            }
            listpack = pairs;
            listpackBytes = bytes;
            skiplist = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Members
    // ---------------------------------------------------------------------------------------------------

    /** ZSCORE (zsetScore): the member's score, or null. */
    public Double score(byte[] member) {
        if (listpack != null) {
            int i = listpackIndex(member);
            return i < 0 ? null : listpack.get(i).score;
        }
        ZSkiplist.Node n = skiplist.find(member);
        return n == null ? null : n.score;
    }

    /**
     * zsetAdd: adds {@code member} or updates its score under the ADD_* options; a listpack turns into a
     * skiplist first when a new member would exceed {@code maxEntries}, {@code maxValue} or the listpack
     * safety size. NaN, given or produced by INCR, changes nothing and is reported as {@link #NAN}.
     */
    public AddResult add(double score, byte[] member, int options, long maxEntries, long maxValue) {
        boolean incr = (options & ADD_INCR) != 0;
        boolean nx = (options & ADD_NX) != 0;
        boolean xx = (options & ADD_XX) != 0;
        boolean gt = (options & ADD_GT) != 0;
        boolean lt = (options & ADD_LT) != 0;
        if (Double.isNaN(score)) {
            return new AddResult(NAN, score);
        }
        if (listpack != null) {
            int i = listpackIndex(member);
            if (i >= 0) {
                if (nx) {
                    return new AddResult(NOP, score);
                }
                double current = listpack.get(i).score;
                double target = incr ? score + current : score;
                if (Double.isNaN(target)) {
                    return new AddResult(NAN, target);
                }
                if ((lt && target >= current) || (gt && target <= current)) {
                    return new AddResult(NOP, target);
                }
                if (target != current) {
                    listpackDelete(i);
                    listpackInsert(member, target);
                    return new AddResult(UPDATED, target);
                }
                return new AddResult(0, target);
            } else if (xx) {
                return new AddResult(NOP, score);
            } else if (listpack.size() + 1 > maxEntries || member.length > maxValue
                    || listpackBytes + member.length > LISTPACK_SAFETY_SIZE) {
                convertToSkiplist();
            } else {
                listpackInsert(member, score);
                return new AddResult(ADDED, score);
            }
        }
        ZSkiplist.Node n = skiplist.find(member);
        if (n != null) {
            if (nx) {
                return new AddResult(NOP, score);
            }
            double current = n.score;
            double target = incr ? score + current : score;
            if (Double.isNaN(target)) {
                return new AddResult(NAN, target);
            }
            if ((lt && target >= current) || (gt && target <= current)) {
                return new AddResult(NOP, target);
            }
            if (target != current) {
                skiplist.updateScore(n, target);
                return new AddResult(UPDATED, target);
            }
            return new AddResult(0, target);
        } else if (xx) {
            return new AddResult(NOP, score);
        }
        skiplist.insert(score, member);
        return new AddResult(ADDED, score);
    }

    /** zsetDel: removes {@code member}; returns whether it was there. */
    public boolean delete(byte[] member) {
        if (listpack != null) {
            int i = listpackIndex(member);
            if (i < 0) {
                return false;
            }
            listpackDelete(i);
            return true;
        }
        return skiplist.remove(member);
    }

    /** ZRANK / ZREVRANK (zsetRank): the 0-based rank of {@code member}, or -1. */
    public long rank(byte[] member, boolean reverse) {
        long length = length();
        long rank;
        if (listpack != null) {
            int i = listpackIndex(member);
            if (i < 0) {
                return -1;
            }
            rank = i + 1;
        } else {
            ZSkiplist.Node n = skiplist.find(member);
            if (n == null) {
                return -1;
            }
            rank = skiplist.rank(n);
        }
        return reverse ? length - rank : rank - 1;
    }

    /** The element of 0-based rank {@code index}, which must be in range. */
    public Entry entryAt(long index) {
        if (listpack != null) {
            return listpack.get((int) index);
        }
        ZSkiplist.Node n = skiplist.byRank(index + 1);
        return new Entry(n.key(), n.score);
    }

    /** Removes and returns the lowest-ranked element, or the highest when {@code max}; the set must not be empty. */
    public Entry pop(boolean max) {
        Entry e = entryAt(max ? length() - 1 : 0);
        delete(e.member);
        return e;
    }

    // ---------------------------------------------------------------------------------------------------
    // Walks
    // ---------------------------------------------------------------------------------------------------

    /** Every element in order (a listpack's stored order, a skiplist's rank order). */
    public void forEachAscending(EntryVisitor v) {
        if (listpack != null) {
            for (Entry e : listpack) {
                v.visit(e.member, e.score);
            }
        } else {
            for (ZSkiplist.Node n = skiplist.first(); n != null; n = n.next()) {
                v.visit(n.key(), n.score);
            }
        }
    }

    /** Every element from the last to the first (zuiInitIterator's order, and ZSET_2's save order). */
    public void forEachDescending(EntryVisitor v) {
        if (listpack != null) {
            for (int i = listpack.size() - 1; i >= 0; i--) {
                Entry e = listpack.get(i);
                v.visit(e.member, e.score);
            }
        } else {
            for (ZSkiplist.Node n = skiplist.last(); n != null; n = n.backward) {
                v.visit(n.key(), n.score);
            }
        }
    }

    /**
     * The elements of 0-based ranks {@code start} to {@code end} inclusive (both within the set), from
     * start or, when {@code reverse}, counted from the highest rank down (genericZrangebyrankCommand).
     */
    public void rangeByRank(long start, long end, boolean reverse, EntryVisitor v) {
        long n = end - start + 1;
        long length = length();
        if (listpack != null) {
            for (long k = 0; k < n; k++) {
                Entry e = listpack.get((int) (reverse ? length - 1 - start - k : start + k));
                v.visit(e.member, e.score);
            }
            return;
        }
        ZSkiplist.Node x = reverse ? skiplist.byRank(length - start) : skiplist.byRank(start + 1);
        for (long k = 0; k < n; k++) {
            v.visit(x.key(), x.score);
            x = reverse ? x.backward : x.next();
        }
    }

    // ---- score ranges: listpack scans (zzlFirstInRange, zzlLastInRange) or skiplist searches ----

    /** zzlIsInRange: the range is not empty and overlaps [first score, last score]. */
    private boolean listpackIsInRange(ScoreRange r) {
        return !r.isEmpty() && !listpack.isEmpty() && r.aboveMin(listpack.get(listpack.size() - 1).score)
                && r.belowMax(listpack.get(0).score);
    }

    private int listpackFirstInRange(ScoreRange r) {
        if (!listpackIsInRange(r)) {
            return -1;
        }
        for (int i = 0; i < listpack.size(); i++) {
            double s = listpack.get(i).score;
            if (r.aboveMin(s)) {
                return r.belowMax(s) ? i : -1;
            }
        }
        return -1;
    }

    private int listpackLastInRange(ScoreRange r) {
        if (!listpackIsInRange(r)) {
            return -1;
        }
        for (int i = listpack.size() - 1; i >= 0; i--) {
            double s = listpack.get(i).score;
            if (r.belowMax(s)) {
                return r.aboveMin(s) ? i : -1;
            }
        }
        return -1;
    }

    /**
     * ZRANGEBYSCORE's walk (genericZrangebyscoreCommand): from the first element in range (the last when
     * {@code reverse}), skips {@code offset} elements without looking at them, then visits elements while
     * they are within the far bound, at most {@code limit} of them (negative: no limit). A negative offset
     * skips everything. Returns how many were visited.
     */
    public long rangeByScore(ScoreRange r, long offset, long limit, boolean reverse, EntryVisitor v) {
        if (offset < 0 || (offset > 0 && offset >= length())) {
            return 0;
        }
        long emitted = 0;
        if (listpack != null) {
            int i = reverse ? listpackLastInRange(r) : listpackFirstInRange(r);
            if (i < 0) {
                return 0;
            }
            i += (int) (reverse ? -offset : offset);
            for (; i >= 0 && i < listpack.size() && emitted != limit; i += reverse ? -1 : 1) {
                Entry e = listpack.get(i);
                if (reverse ? !r.aboveMin(e.score) : !r.belowMax(e.score)) {
                    break;
                }
                v.visit(e.member, e.score);
                emitted++;
            }
            return emitted;
        }
        ZSkiplist.Node x = reverse ? skiplist.lastInRange(r) : skiplist.firstInRange(r);
        for (long k = 0; x != null && k < offset; k++) {
            x = reverse ? x.backward : x.next();
        }
        for (; x != null && emitted != limit; x = reverse ? x.backward : x.next()) {
            if (reverse ? !r.aboveMin(x.score) : !r.belowMax(x.score)) {
                break;
            }
            v.visit(x.key(), x.score);
            emitted++;
        }
        return emitted;
    }

    /** ZCOUNT: elements from the first in range while within the upper bound. */
    public long count(ScoreRange r) {
        if (listpack != null) {
            int i = listpackFirstInRange(r);
            long n = 0;
            for (; i >= 0 && i < listpack.size() && r.belowMax(listpack.get(i).score); i++) {
                n++;
            }
            return n;
        }
        ZSkiplist.Node first = skiplist.firstInRange(r);
        if (first == null) {
            return 0;
        }
        long n = skiplist.length() - (skiplist.rank(first) - 1);
        ZSkiplist.Node last = skiplist.lastInRange(r);
        if (last != null) {
            n -= skiplist.length() - skiplist.rank(last);
        }
        return n;
    }

    // ---- lex ranges ----

    /** zzlIsInLexRange: the range is not empty and overlaps [first member, last member]. */
    private boolean listpackIsInLexRange(LexRange r) {
        return !r.isEmpty() && !listpack.isEmpty() && r.aboveMin(listpack.get(listpack.size() - 1).member)
                && r.belowMax(listpack.get(0).member);
    }

    private int listpackFirstInLexRange(LexRange r) {
        if (!listpackIsInLexRange(r)) {
            return -1;
        }
        for (int i = 0; i < listpack.size(); i++) {
            byte[] m = listpack.get(i).member;
            if (r.aboveMin(m)) {
                return r.belowMax(m) ? i : -1;
            }
        }
        return -1;
    }

    private int listpackLastInLexRange(LexRange r) {
        if (!listpackIsInLexRange(r)) {
            return -1;
        }
        for (int i = listpack.size() - 1; i >= 0; i--) {
            byte[] m = listpack.get(i).member;
            if (r.belowMax(m)) {
                return r.aboveMin(m) ? i : -1;
            }
        }
        return -1;
    }

    /** ZRANGEBYLEX's walk (genericZrangebylexCommand), with {@link #rangeByScore}'s offset and limit rules. */
    public long rangeByLex(LexRange r, long offset, long limit, boolean reverse, EntryVisitor v) {
        if (offset < 0) {
            return 0;
        }
        long emitted = 0;
        if (listpack != null) {
            int i = reverse ? listpackLastInLexRange(r) : listpackFirstInLexRange(r);
            if (i < 0) {
                return 0;
            }
            long start = reverse ? i - offset : i + offset;
            for (long k = start; k >= 0 && k < listpack.size() && emitted != limit; k += reverse ? -1 : 1) {
                Entry e = listpack.get((int) k);
                if (reverse ? !r.aboveMin(e.member) : !r.belowMax(e.member)) {
                    break;
                }
                v.visit(e.member, e.score);
                emitted++;
            }
            return emitted;
        }
        ZSkiplist.Node x = reverse ? skiplist.lastInLexRange(r) : skiplist.firstInLexRange(r);
        for (long k = 0; x != null && k < offset; k++) {
            x = reverse ? x.backward : x.next();
        }
        for (; x != null && emitted != limit; x = reverse ? x.backward : x.next()) {
            if (reverse ? !r.aboveMin(x.key()) : !r.belowMax(x.key())) {
                break;
            }
            v.visit(x.key(), x.score);
            emitted++;
        }
        return emitted;
    }

    /** ZLEXCOUNT: elements from the first in range while within the upper bound. */
    public long lexCount(LexRange r) {
        if (listpack != null) {
            int i = listpackFirstInLexRange(r);
            long n = 0;
            for (; i >= 0 && i < listpack.size() && r.belowMax(listpack.get(i).member); i++) {
                n++;
            }
            return n;
        }
        ZSkiplist.Node first = skiplist.firstInLexRange(r);
        if (first == null) {
            return 0;
        }
        long n = skiplist.length() - (skiplist.rank(first) - 1);
        ZSkiplist.Node last = skiplist.lastInLexRange(r);
        if (last != null) {
            n -= skiplist.length() - skiplist.rank(last);
        }
        return n;
    }

    // ---- range deletions ----

    /** ZREMRANGEBYRANK: removes 0-based ranks {@code start} to {@code end} (both within the set). */
    public long removeRangeByRank(long start, long end) {
        long n = end - start + 1;
        if (listpack != null) {
            for (long k = 0; k < n; k++) {
                listpackDelete((int) start);
            }
            return n;
        }
        ZSkiplist.Node x = skiplist.byRank(start + 1);
        for (long k = 0; k < n; k++) {
            ZSkiplist.Node next = x.next();
            skiplist.remove(x.key());
            x = next;
        }
        return n;
    }

    /** ZREMRANGEBYSCORE: removes from the first element in range while within the upper bound. */
    public long removeRangeByScore(ScoreRange r) {
        long removed = 0;
        if (listpack != null) {
            int i = listpackFirstInRange(r);
            while (i >= 0 && i < listpack.size() && r.belowMax(listpack.get(i).score)) {
                listpackDelete(i);
                removed++;
            }
            return removed;
        }
        // zslDeleteRangeByScore: the first element at or above the lower bound, without zslIsInRange.
        ZSkiplist.Node x = skiplist.first();
        while (x != null && !r.aboveMin(x.score)) {
            x = x.next();
        }
        while (x != null && r.belowMax(x.score)) {
            ZSkiplist.Node next = x.next();
            skiplist.remove(x.key());
            removed++;
            x = next;
        }
        return removed;
    }

    /** ZREMRANGEBYLEX: removes from the first element in range while within the upper bound. */
    public long removeRangeByLex(LexRange r) {
        long removed = 0;
        if (listpack != null) {
            int i = listpackFirstInLexRange(r);
            while (i >= 0 && i < listpack.size() && r.belowMax(listpack.get(i).member)) {
                listpackDelete(i);
                removed++;
            }
            return removed;
        }
        // zslDeleteRangeByLex: the first element at or above the lower bound, without zslIsInLexRange.
        ZSkiplist.Node x = skiplist.first();
        while (x != null && !r.aboveMin(x.key())) {
            x = x.next();
        }
        while (x != null && r.belowMax(x.key())) {
            ZSkiplist.Node next = x.next();
            skiplist.remove(x.key());
            removed++;
            x = next;
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------------------
    // ZSCAN
    // ---------------------------------------------------------------------------------------------------

    /**
     * One ZSCAN step: a listpack returns everything at once with cursor 0; a skiplist walks its dict with
     * the reverse-binary cursor, one bucket per call (scanGenericCommand calls this until it has enough).
     */
    public long scan(long cursor, EntryVisitor v) {
        if (listpack != null) {
            forEachAscending(v);
            return 0;
        }
        return skiplist.dict.scan(cursor, n -> v.visit(n.key(), n.score));
    }
}
