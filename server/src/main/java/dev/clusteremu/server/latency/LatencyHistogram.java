package dev.clusteremu.server.latency;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's latency histogram, as Redis keeps one per command with HdrHistogram (hdr_init(1, 1e9, 2)):
 * durations in nanoseconds from 1 ns to 1 s, with two significant digits. Values fall into buckets of
 * 256 sub-buckets, each bucket twice as wide as the one before, so a value shares its counter with the
 * others of its "equivalent range". The indexing below is HdrHistogram's, so the same durations land in
 * the same counters and LATENCY HISTOGRAM and INFO latencystats report what Redis would.
 */
public final class LatencyHistogram {
    /** LATENCY_HISTOGRAM_MIN_VALUE and _MAX_VALUE: what is recorded is clamped to [1 ns, 1 s]. */
    private static final long LOWEST = 1;
    private static final long HIGHEST = 1_000_000_000L;
    /**
     * Two significant digits need single-unit resolution up to 2 x 10^2 = 200, so 256 sub-buckets
     * (2^8): the top half of each bucket is new, the bottom half overlaps the bucket before.
     */
    private static final int SUB_BUCKET_COUNT_MAGNITUDE = 8;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_COUNT = 1 << SUB_BUCKET_COUNT_MAGNITUDE;
    private static final int SUB_BUCKET_HALF_COUNT = SUB_BUCKET_COUNT / 2;
    private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
    /** Buckets needed so that 256 << (buckets - 1) exceeds the highest value: 23 for 1 s. */
    private static final int BUCKET_COUNT = bucketsToCover(HIGHEST);
    private static final int COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;
    /** fillCommandCDF's log iteration: the first reporting level is 1024 ns, each next one twice that. */
    private static final long FIRST_REPORTING_LEVEL = 1024;

    private final long[] counts = new long[COUNTS_LEN];
    private long totalCount;

    /** One bucket of LATENCY HISTOGRAM: the top of its range in microseconds, and how many took at most that. */
    public record CumulativeBucket(long micros, long cumulativeCount) {
    }

    /** updateCommandLatencyHistogram: records a duration, clamped to [1 ns, 1 s]. */
    public void record(long nanos) {
        long v = Math.max(LOWEST, Math.min(HIGHEST, nanos));
        counts[countsIndex(v)]++;
        totalCount++;
    }

    /** How many durations were recorded: LATENCY HISTOGRAM's "calls". */
    public long totalCount() {
        return totalCount;
    }

    /**
     * fillCommandCDF: the cumulative distribution at reporting levels 1024 ns, 2048 ns, ... - HdrHistogram's
     * logarithmic iteration. At each level the iteration stops on the first counter whose range reaches the
     * level, so a bucket reads as that counter's highest value (in whole microseconds) with every duration
     * up to it; levels that add nothing are left out.
     */
    public List<CumulativeBucket> cumulativeBuckets() {
        List<CumulativeBucket> out = new ArrayList<>();
        int index = -1;
        long value = 0;
        long highest = 0;
        long cumulative = 0;
        long previous = 0;
        long level = FIRST_REPORTING_LEVEL;
        long levelLowest = lowestEquivalent(level);
        while (cumulative < totalCount || index < COUNTS_LEN && valueAtIndex(index + 1) > levelLowest) {
            while (value < levelLowest && index < COUNTS_LEN) {
                index++;
                if (index < COUNTS_LEN) {
                    cumulative += counts[index];
                    value = valueAtIndex(index);
                    highest = lowestEquivalent(value) + rangeSize(value) - 1;
                }
            }
            if (value >= levelLowest) {
                level *= 2;
                levelLowest = lowestEquivalent(level);
            }
            if (cumulative > previous) {
                out.add(new CumulativeBucket(highest / 1000, cumulative));
            }
            previous = cumulative;
        }
        return out;
    }

    /**
     * hdr_value_at_percentile: the highest value equivalent to the first counter at which the cumulative
     * count reaches the percentile's share of all durations (rounded half up, at least one), in
     * nanoseconds; the lowest equivalent value for the 0th percentile.
     */
    public long valueAtPercentile(double percentile) {
        double requested = Math.min(percentile, 100.0);
        long countAtPercentile = Math.max(1, (long) (requested / 100 * totalCount + 0.5));
        long cumulative = 0;
        long value = 0;
        for (int i = 0; i < COUNTS_LEN; i++) {
            cumulative += counts[i];
            if (cumulative >= countAtPercentile) {
                value = valueAtIndex(i);
                break;
            }
        }
        if (percentile == 0.0) {
            return lowestEquivalent(value);
        }
        return lowestEquivalent(value) + rangeSize(value) - 1;
    }

    private static int bucketsToCover(long value) {
        long smallestUntrackable = SUB_BUCKET_COUNT;
        int buckets = 1;
        while (smallestUntrackable <= value) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return buckets;
    }

    private static int bucketIndex(long value) {
        int pow2Ceiling = 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        return pow2Ceiling - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
    }

    private static int subBucketIndex(long value, int bucket) {
        return (int) (value >>> bucket);
    }

    private static int countsIndex(long value) {
        int bucket = bucketIndex(value);
        int sub = subBucketIndex(value, bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub - SUB_BUCKET_HALF_COUNT);
    }

    private static long valueAtIndex(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            sub -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) sub << bucket;
    }

    private static long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (long) subBucketIndex(value, bucket) << bucket;
    }

    /** hdr_size_of_equivalent_value_range: how many values share this value's counter. */
    private static long rangeSize(long value) {
        int bucket = bucketIndex(value);
        int sub = subBucketIndex(value, bucket);
        return 1L << (sub >= SUB_BUCKET_COUNT ? bucket + 1 : bucket);
    }
}
