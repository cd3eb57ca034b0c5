package dev.clusteremu.cluster;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * A node's log in redis-server's format ({@code pid:role dd Mon yyyy HH:mm:ss.mmm <level> message}), so a
 * learner can read handshakes, gossip, failure detection and failovers the way Redis reports them. The
 * node's client port stands in for the pid, since all nodes share one process.
 */
public final class NodeLog {
    public static final int DEBUG = 0;
    public static final int VERBOSE = 1;
    public static final int NOTICE = 2;
    public static final int WARNING = 3;
    private static final char[] LEVEL_MARKS = {'.', '-', '*', '#'};
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final PrintStream sink;
    private final IntSupplier level;
    private final String pid;
    private volatile char role = 'M';

    public NodeLog(PrintStream sink, int level, String pid) {
        this(sink, () -> level, pid);
    }

    /** A log whose level is read at each call, so that CONFIG SET loglevel takes effect at once. */
    public NodeLog(PrintStream sink, IntSupplier level, String pid) {
        this.sink = sink;
        this.level = level;
        this.pid = pid;
    }

    /** A log that drops everything. */
    public static NodeLog silent() {
        return new NodeLog(null, WARNING + 1, "0");
    }

    /** The redis.conf name of a level. */
    public static String levelName(int level) {
        return switch (level) {
            case DEBUG -> "debug";
            case VERBOSE -> "verbose";
            case NOTICE -> "notice";
            default -> "warning";
        };
    }

    /** Parses a redis.conf loglevel name (debug, verbose, notice, warning); -1 if unknown. */
    public static int levelOf(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> DEBUG;
            case "verbose" -> VERBOSE;
            case "notice" -> NOTICE;
            case "warning" -> WARNING;
            default -> -1;
        };
    }

    public void setRole(boolean replica) {
        role = replica ? 'S' : 'M';
    }

    public boolean enabled(int at) {
        return sink != null && at >= level.getAsInt();
    }

    public void log(int at, String message) {
        if (enabled(at)) {
            sink.println(pid + ":" + role + " " + TIME.format(Instant.now()) + " " + LEVEL_MARKS[at] + " " + message);
        }
    }

    public void debug(String message) {
        log(DEBUG, message);
    }

    public void verbose(String message) {
        log(VERBOSE, message);
    }

    public void notice(String message) {
        log(NOTICE, message);
    }

    public void warning(String message) {
        log(WARNING, message);
    }
}
