package dev.clusteremu.server.keyspace;

import java.util.Arrays;

/**
 * A member interval of ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX (zlexrangespec). Each bound is "[member"
 * (inclusive), "(member" (exclusive), "-" (below every string) or "+" (above every string); the infinite
 * bounds count as exclusive, as zslParseLexRangeItem makes them.
 */
public final class LexRange {
    /** One bound: a member, or an infinity (-1 for "-", +1 for "+") with a null member. */
    private record Bound(byte[] member, int infinity, boolean exclusive) {
    }

    private final Bound min;
    private final Bound max;

    private LexRange(Bound min, Bound max) {
        this.min = min;
        this.max = max;
    }

    /** Parses "min" and "max" (zslParseLexRange), or returns null when either is not a valid item. */
    public static LexRange parse(byte[] min, byte[] max) {
        Bound lo = parseItem(min);
        Bound hi = parseItem(max);
        return lo == null || hi == null ? null : new LexRange(lo, hi);
    }

    private static Bound parseItem(byte[] item) {
        if (item.length == 0) {
            return null;
        }
        return switch (item[0]) {
            case '+' -> endsAfterFirst(item) ? new Bound(null, 1, true) : null;
            case '-' -> endsAfterFirst(item) ? new Bound(null, -1, true) : null;
            case '(' -> new Bound(Arrays.copyOfRange(item, 1, item.length), 0, true);
            case '[' -> new Bound(Arrays.copyOfRange(item, 1, item.length), 0, false);
            default -> null;
        };
    }

    /** "+" and "-" must stand alone; Redis reads them as C strings, so a NUL byte also ends them. */
    private static boolean endsAfterFirst(byte[] item) {
        return item.length == 1 || item[1] == 0;
    }

    /** sdscmplex: the infinities below or above everything, equal to themselves; members byte by byte. */
    private static int compare(Bound a, Bound b) {
        if (a.infinity != 0 && a.infinity == b.infinity) {
            return 0;
        }
        if (a.infinity < 0 || b.infinity > 0) {
            return -1;
        }
        if (a.infinity > 0 || b.infinity < 0) {
            return 1;
        }
        return Arrays.compareUnsigned(a.member, b.member);
    }

    private static int compare(byte[] value, Bound b) {
        if (b.infinity != 0) {
            return -b.infinity;
        }
        return Arrays.compareUnsigned(value, b.member);
    }

    /** Whether {@code value} is on the right side of the lower bound (zslLexValueGteMin). */
    public boolean aboveMin(byte[] value) {
        int cmp = compare(value, min);
        return min.exclusive ? cmp > 0 : cmp >= 0;
    }

    /** Whether {@code value} is on the right side of the upper bound (zslLexValueLteMax). */
    public boolean belowMax(byte[] value) {
        int cmp = compare(value, max);
        return max.exclusive ? cmp < 0 : cmp <= 0;
    }

    /** Whether no member can be in the range (the first test of zslIsInLexRange). */
    public boolean isEmpty() {
        int cmp = compare(min, max);
        return cmp > 0 || (cmp == 0 && (min.exclusive || max.exclusive));
    }
}
