package dev.clusteremu.server.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The texts LATENCY GRAPH and LATENCY DOCTOR answer (latency.c's latencyCommandGenSparkeline and
 * createLatencyReport), from the monitor's samples. The doctor's advice covers the events this node
 * records: slow commands, slow fast commands, slow AOF renames, and transparent huge pages.
 */
public final class LatencyReports {
    /** LATENCY_GRAPH_COLS. */
    private static final int GRAPH_COLUMNS = 80;
    private static final int GRAPH_ROWS = 4;

    private LatencyReports() {
    }

    /** The settings the doctor's advice depends on. */
    public record Settings(long thresholdMs, long slowlogLogSlowerThan) {
    }

    /**
     * LATENCY GRAPH: a title line with the high, low and all-time high, a rule, and the sparkline of the
     * event's samples labelled with how long ago each was taken (seconds, minutes, hours or days).
     */
    public static String graph(String event, LatencyMonitor monitor, long nowSeconds) {
        Sparkline line = new Sparkline();
        long min = 0;
        long max = 0;
        boolean first = true;
        for (LatencyMonitor.Sample s : monitor.history(event)) {
            if (first) {
                min = s.latency();
                max = s.latency();
                first = false;
            } else {
                max = Math.max(max, s.latency());
                min = Math.min(min, s.latency());
            }
            int elapsed = (int) (nowSeconds - s.time());
            String label;
            if (elapsed < 60) {
                label = elapsed + "s";
            } else if (elapsed < 3600) {
                label = elapsed / 60 + "m";
            } else if (elapsed < 3600 * 24) {
                label = elapsed / 3600 + "h";
            } else {
                label = elapsed / (3600 * 24) + "d";
            }
            line.add(s.latency(), label);
        }
        return event + " - high " + max + " ms, low " + min + " ms (all time high " + monitor.max(event) + " ms)\n"
                + "-".repeat(GRAPH_COLUMNS) + "\n" + line.render(GRAPH_COLUMNS, GRAPH_ROWS);
    }

    /** The statistics of one event (analyzeLatencyForEvent), integer arithmetic as in Redis. */
    private record Stats(long samples, long avg, long mad, long period) {
        static Stats of(List<LatencyMonitor.Sample> history, long nowSeconds) {
            long samples = 0;
            long sum = 0;
            long oldest = 0;
            for (LatencyMonitor.Sample s : history) {
                samples++;
                sum += s.latency();
                if (oldest == 0 || s.time() < oldest) {
                    oldest = s.time();
                }
            }
            if (samples == 0) {
                return new Stats(0, 0, 0, 0);
            }
            long avg = sum / samples;
            long period = nowSeconds - oldest;
            if (period == 0) {
                period = 1;
            }
            long deviations = 0;
            for (LatencyMonitor.Sample s : history) {
                deviations += Math.abs(avg - s.latency());
            }
            return new Stats(samples, avg, deviations / samples, period);
        }
    }

    /**
     * LATENCY DOCTOR (createLatencyReport): a line per event with its statistics, then advice gathered
     * from the events seen and from the process (transparent huge pages in use), in Redis's words.
     */
    public static String doctor(LatencyMonitor monitor, Settings settings, long nowSeconds) {
        if (monitor.isEmpty() && settings.thresholdMs() == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may "
                    + "use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we "
                    + "weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder report = new StringBuilder();
        boolean slowlogTuning = false;
        boolean slowlogEnabled = false;
        boolean slowlogInspect = false;
        boolean largeObjects = false;
        boolean scheduler = false;
        boolean writeLoadInfo = false;
        boolean dataWriteback = false;
        boolean ssd = false;
        boolean localDisk = false;
        int advices = 0;
        int eventNum = 0;
        for (String event : monitor.eventNames()) {
            eventNum++;
            if (eventNum == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking "
                        + "about it, do you Dave?\n\n");
            }
            Stats ls = Stats.of(monitor.history(event), nowSeconds);
            report.append(String.format(Locale.ROOT, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, "
                    + "period %.2f sec). Worst all time event %dms.", eventNum, event, ls.samples(), ls.avg(),
                    ls.mad(), (double) ls.period() / ls.samples(), monitor.max(event)));
            if (event.equalsIgnoreCase("command")) {
                if (settings.slowlogLogSlowerThan() < 0) {
                    slowlogEnabled = true;
                    advices++;
                } else if (settings.slowlogLogSlowerThan() / 1000 > settings.thresholdMs()) {
                    slowlogTuning = true;
                    advices++;
                }
                slowlogInspect = true;
                largeObjects = true;
                advices += 2;
            }
            if (event.equalsIgnoreCase("fast-command")) {
                scheduler = true;
                advices++;
            }
            if (event.equalsIgnoreCase("aof-rename")) {
                writeLoadInfo = true;
                dataWriteback = true;
                ssd = true;
                localDisk = true;
                advices += 4;
            }
            report.append('\n');
        }
        boolean disableThp = anonHugePagesBytes() > 0;
        if (disableThp) {
            advices++;
        }
        if (eventNum == 0 && advices == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                    + "things over.\n");
            return report.toString();
        }
        if (advices == 0) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use "
                    + "the Redis community to get some help, providing this report in your help request.\n");
            return report.toString();
        }
        report.append("\nI have a few advices for you:\n\n");
        long suggestedSlowlog = settings.thresholdMs() * 1000;
        if (slowlogEnabled) {
            report.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
                    + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than "
                    + suggestedSlowlog + "'. If the Slow log is disabled Redis is not able to log slow commands "
                    + "execution for you.\n");
        }
        if (slowlogTuning) {
            report.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                    + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " + suggestedSlowlog
                    + "'.\n");
        }
        if (slowlogInspect) {
            report.append("- Check your Slow Log to understand what are the commands you are running which are too "
                    + "slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (scheduler) {
            report.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
                    + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                    + "system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are "
                    + "using Jemalloc. However this may create fragmentation problems.\n");
        }
        if (localDisk) {
            report.append("- It is strongly advised to use local disks for persistence, especially if you are using "
                    + "AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n");
        }
        if (ssd) {
            report.append("- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and "
                    + "AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD "
                    + "disks can be a good option. However Redis should perform reasonably with high load using "
                    + "normal disks. Use this advice as a last resort.\n");
        }
        if (dataWriteback) {
            report.append("- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared "
                    + "to data=ordered, however this mode of operation provides less guarantees, and sometimes it can "
                    + "happen that after a hard crash the AOF file will have a half-written command at the end and "
                    + "will require to be repaired before Redis restarts.\n");
        }
        if (writeLoadInfo) {
            report.append("- Latency during the AOF atomic rename operation or when the final difference is flushed "
                    + "to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing "
                    + "the AOF buffer to get very large. If possible try to send less commands to accomplish the same "
                    + "work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n");
        }
        if (largeObjects) {
            report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                    + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                    + "fragment those objects into multiple smaller objects.\n");
        }
        if (disableThp) {
            report.append("- I detected a non zero amount of anonymous huge pages used by your process. This creates "
                    + "very serious latency events in different conditions, especially when Redis is persisting on "
                    + "disk. To disable THP support use the command 'echo never > "
                    + "/sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so "
                    + "that the command will be executed again after a reboot. Note that even if you have already "
                    + "disabled THP, you still need to restart the Redis process to get rid of the huge pages already "
                    + "created.\n");
        }
        return report.toString();
    }

    /**
     * THPGetAnonHugePagesSize: the AnonHugePages of this process's mappings, in bytes, from
     * /proc/self/smaps (0 where there is no such file).
     */
    private static long anonHugePagesBytes() {
        Path smaps = Path.of("/proc/self/smaps");
        if (!Files.isReadable(smaps)) {
            return 0;
        }
        long kb = 0;
        try (var lines = Files.lines(smaps)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("AnonHugePages:")) {
                    String[] parts = line.substring("AnonHugePages:".length()).trim().split("\\s+");
                    kb += Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return kb * 1024;
    }
}
