package dev.clusteremu.server.keyspace;

/**
 * A score interval of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE and friends (zrangespec): each bound inclusive,
 * or exclusive when it was written with a leading "(".
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

    /** Whether {@code value} is on the right side of the lower bound (zslValueGteMin). */
    public boolean aboveMin(double value) {
        return minExclusive ? value > min : value >= min;
    }

    /** Whether {@code value} is on the right side of the upper bound (zslValueLteMax). */
    public boolean belowMax(double value) {
        return maxExclusive ? value < max : value <= max;
    }

    /** Whether no score can be in the range (the first test of zslIsInRange). */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }
}
