package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * Integer arguments with bounds, with the texts of Redis's getRangeLongFromObjectOrReply and
 * getPositiveLongFromObjectOrReply: a command's own message, when it gives one, replaces both "not an
 * integer" and "out of range".
 */
final class RangeArgs {
    private RangeArgs() {
    }

    /** An integer within [min, max]; {@code message} (without "ERR ") or Redis's default texts otherwise. */
    static long inRange(byte[] arg, long min, long max, String message) {
        if (!RedisNumbers.isLong(arg)) {
            throw new CommandError(message != null ? "ERR " + message : Args.NOT_AN_INTEGER);
        }
        long v = RedisNumbers.parseLong(arg);
        if (v < min || v > max) {
            throw new CommandError(message != null ? "ERR " + message
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** A non-negative integer; "value is out of range, must be positive" unless {@code message} is given. */
    static long positive(byte[] arg, String message) {
        return inRange(arg, 0, Long.MAX_VALUE,
                message != null ? message : "value is out of range, must be positive");
    }
}
