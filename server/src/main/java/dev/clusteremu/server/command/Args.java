package dev.clusteremu.server.command;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.clusteremu.server.resp.RedisNumbers;

/** Argument parsing shared by handlers, with Redis's error texts. */
public final class Args {
    public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    public static final String SYNTAX_ERROR = "ERR syntax error";

    private Args() {
    }

    /** The argument as a string, one char per byte (names, options, ids: ASCII in practice). */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** Case-insensitive comparison of an argument with an ASCII keyword. */
    public static boolean is(byte[] arg, String keyword) {
        if (arg.length != keyword.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            if (Character.toLowerCase((char) (arg[i] & 0xff)) != Character.toLowerCase(keyword.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static String lower(byte[] arg) {
        return text(arg).toLowerCase(Locale.ROOT);
    }

    /** A signed 64-bit integer as Redis parses it (string2ll), or "value is not an integer or out of range". */
    public static long integer(byte[] arg) {
        if (!RedisNumbers.isLong(arg, 0, arg.length)) {
            throw new CommandError(NOT_AN_INTEGER);
        }
        return RedisNumbers.parseLong(arg, 0, arg.length);
    }
}
