package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.keyspace.LongDouble;
import dev.clusteremu.server.net.Client;

/** The timeout argument of the blocking commands (getTimeoutFromObjectOrReply with UNIT_SECONDS). */
final class BlockingTimeout {
    private static final long MILLIS_PER_SECOND = 1000;

    private BlockingTimeout() {
    }

    /**
     * The Unix time in ms at which a client blocked now with timeout {@code arg} gives up, or 0 to wait
     * forever. A deadline past the end of time (Redis's signed overflow) never comes: the client waits
     * forever.
     */
    static long deadline(Client c, byte[] arg) {
        long ms = millis(arg);
        if (ms == 0) {
            return 0;
        }
        long now = c.node().now();
        return ms > Long.MAX_VALUE - now ? 0 : ms + now;
    }

    /**
     * The timeout {@code arg} (seconds, as a long double: "0.1", "1e-3", "inf") in ms, 0 meaning none.
     * Redis computes {@code (long long) ceill(seconds * 1000)}, so fractions of a millisecond round up and
     * a tiny negative timeout is 0; infinities and values beyond the range convert to a negative number,
     * refused like a negative timeout.
     */
    static long millis(byte[] arg) {
        LongDouble seconds = LongDouble.parse(arg);
        if (seconds == null) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        long ms = seconds.multiply(MILLIS_PER_SECOND).ceilToLong();
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return ms;
    }
}
