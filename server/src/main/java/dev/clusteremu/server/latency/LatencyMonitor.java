package dev.clusteremu.server.latency;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor (latency.c): per event ("command", "fast-command", "command-unblocking", ...), the
 * latest samples that reached latency-monitor-threshold, at most one per second (the worst of that
 * second), in a ring of the last 160, and the worst ever seen. Events appear on their first sample and
 * go only with LATENCY RESET. Owned by the node's loop.
 */
public final class LatencyMonitor {
    /** LATENCY_TS_LEN: samples kept per event. */
    static final int HISTORY_LENGTH = 160;

    /** One sample: the Unix second it was taken in and the latency, in milliseconds. */
    public record Sample(long time, long latency) {
    }

    /** One event's time series (latencyTimeSeries): a ring of samples, the next index, the maximum. */
    static final class TimeSeries {
        private final long[] times = new long[HISTORY_LENGTH];
        private final long[] latencies = new long[HISTORY_LENGTH];
        private int next;
        private long max;

        /** The samples, oldest first; slots never written (time 0) are skipped. */
        List<Sample> samples() {
            List<Sample> out = new ArrayList<>();
            for (int j = 0; j < HISTORY_LENGTH; j++) {
                int i = (next + j) % HISTORY_LENGTH;
                if (times[i] != 0) {
                    out.add(new Sample(times[i], latencies[i]));
                }
            }
            return out;
        }

        /** The newest slot, written or not (LATENCY LATEST reads it as it is). */
        Sample latest() {
            int last = (next + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
            return new Sample(times[last], latencies[last]);
        }

        long max() {
            return max;
        }
    }

    private final Map<String, TimeSeries> events = new LinkedHashMap<>();

    /**
     * latencyAddSampleIfNeeded: records {@code latencyMs} for {@code event} if the monitor is on (a
     * threshold above 0) and the latency reaches it.
     */
    public void addSampleIfNeeded(String event, long latencyMs, long thresholdMs, long nowSeconds) {
        if (thresholdMs != 0 && latencyMs >= thresholdMs) {
            addSample(event, latencyMs, nowSeconds);
        }
    }

    /**
     * latencyAddSample: a sample in the same second as the event's newest one only raises it; otherwise
     * it takes the next slot of the ring. Latencies are 32-bit unsigned in Redis.
     */
    public void addSample(String event, long latencyMs, long nowSeconds) {
        TimeSeries ts = events.computeIfAbsent(event, e -> new TimeSeries());
        long latency = latencyMs & 0xffffffffL;
        if (latency > ts.max) {
            ts.max = latency;
        }
        int prev = (ts.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
        if (ts.times[prev] == nowSeconds) {
            if (latency > ts.latencies[prev]) {
                ts.latencies[prev] = latency;
            }
            return;
        }
        ts.times[ts.next] = nowSeconds;
        ts.latencies[ts.next] = latency;
        ts.next = (ts.next + 1) % HISTORY_LENGTH;
    }

    /** latencyResetEvent: forgets the event named (case-insensitive), or every event; returns how many went. */
    public int reset(String event) {
        int resets = 0;
        for (Iterator<String> it = events.keySet().iterator(); it.hasNext();) {
            String name = it.next();
            if (event == null || name.equalsIgnoreCase(event)) {
                it.remove();
                resets++;
            }
        }
        return resets;
    }

    /** Whether any event was recorded since the last reset. */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The events' names, in the order they were first recorded. */
    public List<String> eventNames() {
        return new ArrayList<>(events.keySet());
    }

    /** The newest sample of {@code event} (LATENCY LATEST), or null for an unknown event. */
    public Sample latest(String event) {
        TimeSeries ts = events.get(event);
        return ts == null ? null : ts.latest();
    }

    /** The worst latency {@code event} ever had, or 0. */
    public long max(String event) {
        TimeSeries ts = events.get(event);
        return ts == null ? 0 : ts.max();
    }

    /** The samples of {@code event}, oldest first (LATENCY HISTORY); null for an unknown event. */
    public List<Sample> history(String event) {
        TimeSeries ts = events.get(event);
        return ts == null ? null : ts.samples();
    }
}
