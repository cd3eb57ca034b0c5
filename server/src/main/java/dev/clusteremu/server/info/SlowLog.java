package dev.clusteremu.server.info;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The slow log (slowlog.c): the commands that ran for at least slowlog-log-slower-than microseconds, newest
 * first, at most slowlog-max-len of them, each with a growing id, its Unix time, its duration, its
 * arguments (at most 32, each at most 128 bytes, secrets redacted), the client's address and name.
 * Owned by the node's loop.
 */
public final class SlowLog {
    /** SLOWLOG_ENTRY_MAX_ARGC: arguments kept per entry, the last one standing for the rest. */
    private static final int MAX_ARGC = 32;
    /** SLOWLOG_ENTRY_MAX_STRING: bytes kept per argument. */
    private static final int MAX_STRING = 128;

    private record Entry(long id, long time, long duration, byte[][] argv, String peer, String name) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /**
     * slowlogPushEntryIfNeeded: logs {@code client}'s command {@code argv}, which took
     * {@code durationMicros}, if that reaches {@code slowerThan} (negative disables the log), then trims the
     * log to {@code maxLen}.
     */
    public void pushIfNeeded(Client client, byte[][] argv, long durationMicros, long unixSeconds, long slowerThan,
            long maxLen) {
        if (slowerThan < 0) {
            return;
        }
        if (durationMicros >= slowerThan) {
            entries.addFirst(new Entry(nextId++, unixSeconds, durationMicros, trimmed(argv),
                    ClientLine.address(client.channel().remoteAddress()), client.name()));
        }
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** SLOWLOG RESET. */
    public void reset() {
        entries.clear();
    }

    /** SLOWLOG LEN. */
    public int size() {
        return entries.size();
    }

    /** SLOWLOG GET: the newest {@code count} entries as [id, time, duration, [args], peer, name]. */
    public void write(RespWriter r, long count) {
        int n = (int) Math.min(count, entries.size());
        r.array(n);
        Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < n; i++) {
            Entry e = it.next();
            r.array(6);
            r.integer(e.id);
            r.integer(e.time);
            r.integer(e.duration);
            r.array(e.argv.length);
            for (byte[] arg : e.argv) {
                r.bulk(arg);
            }
            r.bulk(e.peer);
            r.bulk(e.name);
        }
    }

    /** slowlogCreateEntry's argument vector: capped in count and in length. */
    private static byte[][] trimmed(byte[][] argv) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (argc != argv.length && j == argc - 1) {
                out[j] = ascii("... (" + (argv.length - argc + 1) + " more arguments)");
            } else if (argv[j].length > MAX_STRING) {
                byte[] tail = ascii("... (" + (argv[j].length - MAX_STRING) + " more bytes)");
                byte[] s = new byte[MAX_STRING + tail.length];
                System.arraycopy(argv[j], 0, s, 0, MAX_STRING);
                System.arraycopy(tail, 0, s, MAX_STRING, tail.length);
                out[j] = s;
            } else {
                out[j] = argv[j];
            }
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
