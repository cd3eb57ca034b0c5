package dev.clusteremu.server.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The histogram reports what Redis 7.0's HdrHistogram (hdr_init(1, 1e9, 2)) reports for the same
 * durations: the expected buckets and percentiles below were printed by that C library, iterated as
 * fillCommandCDF iterates it and read as hdr_value_at_percentile reads it.
 */
class LatencyHistogramTest {

    private static String buckets(long... nanos) {
        LatencyHistogram h = new LatencyHistogram();
        for (long n : nanos) {
            h.record(n);
        }
        List<String> out = new ArrayList<>();
        for (LatencyHistogram.CumulativeBucket b : h.cumulativeBuckets()) {
            out.add(b.micros() + "=" + b.cumulativeCount());
        }
        return h.totalCount() + ": " + String.join(" ", out);
    }

    private static long percentile(double p, long... nanos) {
        LatencyHistogram h = new LatencyHistogram();
        for (long n : nanos) {
            h.record(n);
        }
        return h.valueAtPercentile(p);
    }

    @Test
    void durationsBelowOneMicrosecondReportInTheFirstBucket() {
        assertEquals("1: 1=1", buckets(0));
        assertEquals(1, percentile(50, 0));
    }

    @Test
    void bucketsAreTheHighestValuesOfTheCountersAtEachPowerOfTwoLevel() {
        assertEquals("11: 1=4 2=5 4=6 8=7 33=8 132=9 8454=10 1073741=11",
                buckets(1000, 2000, 3000, 5000, 1, 999, 1024, 1_000_000_000, 33_000, 123_456, 7_777_777));
        assertEquals("5: 8=4 264=5", buckets(5000, 5000, 5000, 6000, 250_000));
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = (i + 1) * 1000L;
        }
        assertEquals("100: 1=1 2=2 4=4 8=8 16=16 33=33 66=66 132=100", buckets(hundred));
    }

    @Test
    void durationsAreClampedToOneSecond() {
        assertEquals("2: 1073741=2", buckets(1_000_000_000, 5_000_000_000L));
    }

    @Test
    void percentilesAreTheEquivalentRangesHighestValues() {
        long[] five = {5000, 5000, 5000, 6000, 250_000};
        assertEquals(4992, percentile(0, five));
        assertEquals(5023, percentile(50, five));
        assertEquals(250_879, percentile(99, five));
        assertEquals(250_879, percentile(100, five));
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = (i + 1) * 1000L;
        }
        assertEquals(1000, percentile(0, hundred));
        assertEquals(50_175, percentile(50, hundred));
        assertEquals(99_327, percentile(99, hundred));
        assertEquals(100_351, percentile(99.9, hundred));
    }
}
