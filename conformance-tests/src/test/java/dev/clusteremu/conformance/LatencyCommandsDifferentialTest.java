package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.clusteremu.server.EmulatedCluster;

/**
 * LATENCY against redis-server 7.0: the latency monitor's events (LATEST, HISTORY, GRAPH, DOCTOR, RESET)
 * with latency-monitor-threshold, produced by DEBUG SLEEP on servers that allow DEBUG; the per-command
 * histograms of LATENCY HISTOGRAM and INFO latencystats with latency-tracking; HELP and the errors.
 * Latencies and times are the servers' own: they are masked, while what they must satisfy (a cumulative
 * distribution ending at the number of calls, a sample at least as slow as the sleep) is checked.
 */
@ExtendWith(DifferentialExtension.class)
class LatencyCommandsDifferentialTest {

    /** Digits of a text reply (times, latencies, ages), as the servers' own, become '#'. */
    private static final ReplyMasker DIGITS = reply -> {
        String text = textOf(reply);
        return text == null ? reply : Reply.bulk(text.replaceAll("[0-9]+", "#"));
    };

    /**
     * LATENCY DOCTOR ends with advice about transparent huge pages when the process uses some; the JVM's
     * use of them is not the redis-server's, so that advice is left out (and, when it was the only one,
     * the report reads as without advice).
     */
    private static final ReplyMasker WITHOUT_HUGE_PAGES_ADVICE = reply -> {
        String text = textOf(reply);
        if (text == null) {
            return reply;
        }
        String masked = text.replaceAll("- I detected a non zero amount of anonymous huge pages[^\n]*\n", "");
        if (masked.endsWith("\nI have a few advices for you:\n\n") && !masked.contains("latency spikes")) {
            masked = "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                    + "things over.\n";
        }
        return Reply.bulk(masked);
    };

    /**
     * Each command's histogram_usec becomes "cdf of N" when it is a cumulative distribution (strictly
     * rising bucket bounds and counts) that ends at the command's calls, N; anything else stays as it is.
     */
    private static final ReplyMasker HISTOGRAMS = reply -> {
        if (!(reply instanceof Reply.Map) && !(reply instanceof Reply.Array)) {
            return reply;
        }
        List<Reply> flat = flatten(reply);
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(flat.get(i));
            out.add(maskHistogram(flat.get(i + 1)));
        }
        return new Reply.Array(sortedPairs(out));
    };

    private static Reply maskHistogram(Reply entry) {
        List<Reply> fields = flatten(entry);
        if (fields.size() != 4 || !fields.get(0).equals(Reply.bulk("calls"))) {
            return entry;
        }
        long calls = fields.get(1).asLong();
        List<Reply> buckets = flatten(fields.get(3));
        long previousBound = -1;
        long previousCount = 0;
        for (int i = 0; i + 1 < buckets.size(); i += 2) {
            long bound = buckets.get(i).asLong();
            long count = buckets.get(i + 1).asLong();
            if (bound <= previousBound || count <= previousCount) {
                return entry;
            }
            previousBound = bound;
            previousCount = count;
        }
        return previousCount == calls ? Reply.array(Reply.bulk("calls"), fields.get(1), Reply.status("cdf of " + calls))
                : entry;
    }

    /** A map's keys and values in order, or an array's elements (a map's RESP2 form). */
    private static List<Reply> flatten(Reply reply) {
        if (reply instanceof Reply.Map map) {
            List<Reply> out = new ArrayList<>();
            for (Reply.Entry e : map.entries()) {
                out.add(e.key());
                out.add(e.value());
            }
            return out;
        }
        return reply.asList();
    }

    /** Key/value pairs sorted by key: LATENCY HISTOGRAM lists commands in Redis's hash table order. */
    private static List<Reply> sortedPairs(List<Reply> flat) {
        List<Reply[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.add(new Reply[] {flat.get(i), flat.get(i + 1)});
        }
        pairs.sort((a, b) -> a[0].toString().compareTo(b[0].toString()));
        List<Reply> out = new ArrayList<>();
        for (Reply[] p : pairs) {
            out.add(p[0]);
            out.add(p[1]);
        }
        return out;
    }

    /** INFO latencystats' lines, sorted (Redis lists commands in hash table order), with the values masked. */
    private static final ReplyMasker PERCENTILES = reply -> {
        String text = textOf(reply);
        if (text == null) {
            return reply;
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
        lines.replaceAll(line -> line.replaceAll("=[0-9]+\\.[0-9]{3}", "=<usec>"));
        lines.sort(null);
        return Reply.bulk(String.join("\n", lines));
    };

    private static String textOf(Reply reply) {
        if (reply instanceof Reply.Bulk b) {
            return new String(b.bytes(), StandardCharsets.UTF_8);
        }
        return reply instanceof Reply.Verbatim v ? new String(v.text(), StandardCharsets.UTF_8) : null;
    }

    @Test
    void withoutEventsTheMonitorIsEmpty(DifferentialSession session) {
        session.check("CONFIG", "SET", "latency-monitor-threshold", "0");
        session.check("LATENCY", "RESET");
        session.check("LATENCY", "LATEST");
        session.check("LATENCY", "HISTORY", "command");
        session.check("LATENCY", "GRAPH", "command");
        session.check("LATENCY", "RESET", "command", "fast-command");
        session.check("LATENCY", "DOCTOR");
        // The monitor on, yet with no events: at the largest threshold Redis allows (LLONG_MAX ms) nothing,
        // however starved the machine, can become one, while a threshold of 0 would switch the monitor off.
        session.check("CONFIG", "SET", "latency-monitor-threshold", Long.toString(Long.MAX_VALUE));
        try {
            session.checkMasked(WITHOUT_HUGE_PAGES_ADVICE, "LATENCY", "DOCTOR");
        } finally {
            session.check("CONFIG", "SET", "latency-monitor-threshold", "0");
        }
        session.check("LATENCY", "HELP");
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("LATENCY", "DOCTOR");
        session.check("LATENCY", "LATEST");
    }

    @Test
    void badArgumentsAreRefused(DifferentialSession session) {
        session.check("LATENCY");
        session.check("LATENCY", "NOSUCH");
        session.check("LATENCY", "LATEST", "extra");
        session.check("LATENCY", "DOCTOR", "extra");
        session.check("LATENCY", "HISTORY");
        session.check("LATENCY", "HISTORY", "a", "b");
        session.check("LATENCY", "GRAPH");
        session.check("LATENCY", "GRAPH", "nosuch");
        session.check("LATENCY", "HELP", "extra");
        session.check("CONFIG", "SET", "latency-monitor-threshold", "-1");
        session.checkMasked(CollectionMaskers.unorderedPairs(), "CONFIG", "GET", "latency-*");
    }

    @Test
    void histogramsCountEveryCallOfACommand(DifferentialSession session) {
        session.check("CONFIG", "RESETSTAT");
        for (int i = 0; i < 5; i++) {
            session.check("SET", "{h}k", Integer.toString(i));
        }
        session.check("GET", "{h}k");
        session.check("GET", "{h}missing");
        session.check("INCR", "{h}k");
        session.check("LPUSH", "{h}k", "x");
        session.check("CLIENT", "GETNAME");
        session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM", "set", "get", "lpush", "incr");
        session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM", "client", "nosuch", "client|getname", "GET", "get");
        session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM");
        session.check("LATENCY", "HISTOGRAM", "nosuch", "client|nosuch", "get|x", "a|b|c");
        session.checkMasked(PERCENTILES, "INFO", "latencystats");
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM", "set", "get");
    }

    @Test
    void latencyTrackingSettingsAreHonoured(DifferentialSession session) {
        session.check("CONFIG", "RESETSTAT");
        try {
            session.check("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 99.99 100");
            session.check("SET", "{h}k", "v");
            session.checkMasked(PERCENTILES, "INFO", "latencystats");
            session.check("CONFIG", "SET", "latency-tracking", "no");
            session.check("SET", "{h}k", "v");
            session.check("INFO", "latencystats");
            session.check("CONFIG", "SET", "latency-tracking", "yes");
            session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM", "set");
            session.check("CONFIG", "RESETSTAT");
            session.check("LATENCY", "HISTOGRAM", "set");
        } finally {
            session.check("CONFIG", "SET", "latency-tracking", "yes");
            session.check("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
        }
    }

    @Test
    void blockedCommandsEnterTheirHistogramOnlyWhenServed(DifferentialSession session) {
        session.check("CONFIG", "RESETSTAT");
        session.check("BLPOP", "{h}list", "0.01");
        session.check("LATENCY", "HISTOGRAM", "blpop");
        session.check("RPUSH", "{h}list", "a");
        session.check("BLPOP", "{h}list", "0");
        session.checkMasked(HISTOGRAMS, "LATENCY", "HISTOGRAM", "blpop");
    }

    @Test
    void commandsDescribeThemselvesAsRedisDoes(DifferentialSession session) {
        session.check("COMMAND", "INFO", "latency|doctor", "latency|graph", "latency|help", "latency|histogram",
                "latency|history", "latency|latest", "latency|reset");
        session.checkMasked(DatabaseAndModuleCommandsDifferentialTest.subcommandsUnordered(), "COMMAND", "INFO",
                "latency");
        session.checkMasked(ReplyMasker.unordered(), "COMMAND", "LIST", "FILTERBY", "PATTERN", "latency*");
    }

    /** A redis-server and an emulated node, both allowing DEBUG, for events made by DEBUG SLEEP. */
    private static final class DebugTargets implements AutoCloseable {
        private final RealRedisNode real;
        private final EmulatedCluster emulated;
        private final int port;

        DebugTargets() throws Exception {
            RedisBinaries.assumeRedisServer();
            port = FreePorts.clusterPort();
            real = RealRedisNode.builder().config("enable-debug-command", "yes").start();
            try {
                emulated = EmulatedCluster.builder().ports(List.of(port)).bare(true).enableDebugCommand("yes").start();
            } catch (Exception e) {
                real.close();
                FreePorts.release(port);
                throw e;
            }
        }

        DifferentialSession session() {
            RedisTarget candidate = new RedisTarget() {
                @Override
                public String host() {
                    return "127.0.0.1";
                }

                @Override
                public int port() {
                    return port;
                }

                @Override
                public String description() {
                    return "emulator 127.0.0.1:" + port;
                }

                @Override
                public void close() {
                    emulated.close();
                }
            };
            return DifferentialSession.open(real, candidate);
        }

        @Override
        public void close() {
            try {
                emulated.close();
            } finally {
                FreePorts.release(port);
                real.close();
            }
        }
    }

    /**
     * The latency monitor's threshold while slow commands are made: every command a server runs in the test
     * is measured against it, so it is far above what a starved machine adds to an ordinary command, and the
     * only events are the DEBUG SLEEPs below.
     */
    private static final int THRESHOLD_MS = 500;

    /** The first slow command's sleep; the second sleeps {@link #SECOND_SLEEP_MS}, less, above the threshold. */
    private static final int FIRST_SLEEP_MS = 900;
    private static final int SECOND_SLEEP_MS = 600;

    @Test
    void slowCommandsBecomeEventsOfTheMonitor() throws Exception {
        try (DebugTargets targets = new DebugTargets(); DifferentialSession session = targets.session()) {
            session.check("CONFIG", "SET", "latency-monitor-threshold", Integer.toString(THRESHOLD_MS));
            session.check("DEBUG", "SLEEP", "0");
            session.check("LATENCY", "LATEST");
            session.check("DEBUG", "SLEEP", seconds(FIRST_SLEEP_MS));
            session.checkMasked(latestAtLeast(FIRST_SLEEP_MS), "LATENCY", "LATEST");
            session.checkMasked(DIGITS, "LATENCY", "GRAPH", "command");
            long second = System.currentTimeMillis() / 1000;
            Wait.until("the next second", () -> System.currentTimeMillis() / 1000 > second);
            session.check("DEBUG", "SLEEP", seconds(SECOND_SLEEP_MS));
            session.checkMasked(latencyAtLeast(SECOND_SLEEP_MS), "LATENCY", "HISTORY", "command");
            session.checkMasked(DIGITS, "LATENCY", "GRAPH", "command");
            session.checkMasked(DIGITS.andThen(WITHOUT_HUGE_PAGES_ADVICE), "LATENCY", "DOCTOR");
            session.check("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            session.checkMasked(DIGITS.andThen(WITHOUT_HUGE_PAGES_ADVICE), "LATENCY", "DOCTOR");
            session.check("LATENCY", "RESET", "COMMAND", "nosuch");
            session.check("LATENCY", "LATEST");
            session.check("LATENCY", "HISTORY", "command");
        }
    }

    /**
     * LATENCY LATEST's [event, time, latency, worst] entries, sorted by event: a time within the last minute
     * and latencies of at least {@code min} ms become placeholders.
     */
    private static ReplyMasker latestAtLeast(long min) {
        return reply -> {
            if (!(reply instanceof Reply.Array events)) {
                return reply;
            }
            long now = System.currentTimeMillis() / 1000;
            List<Reply> out = new ArrayList<>();
            for (Reply event : events.elements()) {
                List<Reply> f = event.asList();
                long time = f.get(1).asLong();
                boolean recent = time <= now && time > now - 60;
                out.add(recent && f.get(2).asLong() >= min && f.get(3).asLong() >= min
                        ? Reply.array(f.get(0), Reply.status("<time>"), Reply.status(">= " + min + " ms"),
                                Reply.status(">= " + min + " ms"))
                        : event);
            }
            return ReplyMasker.unordered().mask(new Reply.Array(out));
        };
    }

    private static String seconds(int millis) {
        return Double.toString(millis / 1000.0);
    }

    /**
     * LATENCY HISTORY's [time, latency] pairs: a time within the last minute and a latency of at least
     * {@code min} ms become placeholders; a first sample of at least {@link #FIRST_SLEEP_MS} is told from a
     * later one.
     */
    private static ReplyMasker latencyAtLeast(long min) {
        return reply -> {
            if (!(reply instanceof Reply.Array samples)) {
                return reply;
            }
            long now = System.currentTimeMillis() / 1000;
            List<Reply> out = new ArrayList<>();
            for (Reply sample : samples.elements()) {
                long time = sample.asList().get(0).asLong();
                long latency = sample.asList().get(1).asLong();
                boolean recent = time <= now && time > now - 60;
                out.add(recent && latency >= min
                        ? Reply.array(Reply.status("<time>"),
                                Reply.status(">= " + (latency >= FIRST_SLEEP_MS ? FIRST_SLEEP_MS : min) + " ms"))
                        : sample);
            }
            return new Reply.Array(out);
        };
    }
}
