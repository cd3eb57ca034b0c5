package dev.clusteremu.server.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments the way Redis's {@code sdssplitargs} (sds.c) does, so that
 * {@code telnet}-style input ({@code SET "a key" 'it\'s'}) yields the same argv as on redis-server.
 *
 * <p>Rules mirrored:
 * <ul>
 *   <li>blanks (space, \t, \n, \v, \f, \r) separate arguments; yet only space, \t, \n and \r end an
 *       unquoted argument, so a \v or \f inside one is kept;</li>
 *   <li>a double quote starts a quoted part with the escapes \xHH (two hex digits), \n \r \t \b \a, and a
 *       backslash before any other byte yields that byte;</li>
 *   <li>a single quote starts a quoted part where only \' is an escape;</li>
 *   <li>a quote may open in the middle of an argument ({@code foo"bar"} is "foobar"), but a closing quote
 *       must be followed by a blank or the end of the line, and every quote must close; otherwise the
 *       whole line is refused.</li>
 * </ul>
 */
public final class InlineArgs {

    private InlineArgs() {
    }

    /**
     * The arguments of {@code line[from, to)}, or null when Redis would answer "unbalanced quotes".
     * The range holds no NUL byte: the decoder only takes a line up to its first NUL, as strchr does.
     */
    public static byte[][] split(byte[] line, int from, int to) {
        List<byte[]> args = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int p = from;
        while (true) {
            while (p < to && isBlank(line[p])) {
                p++;
            }
            if (p == to) {
                return args.toArray(new byte[0][]);
            }
            current.reset();
            int quote = 0;
            boolean done = false;
            while (!done) {
                if (quote == '"') {
                    if (p == to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < to && line[p + 1] == 'x'
                            && isHexDigit(line[p + 2]) && isHexDigit(line[p + 3])) {
                        current.write(Character.digit(line[p + 2], 16) * 16 + Character.digit(line[p + 3], 16));
                        p += 4;
                    } else if (c == '\\' && p + 1 < to) {
                        current.write(unescape(line[p + 1]));
                        p += 2;
                    } else if (c == '"') {
                        if (p + 1 < to && !isBlank(line[p + 1])) {
                            return null;
                        }
                        p++;
                        done = true;
                    } else {
                        current.write(c);
                        p++;
                    }
                } else if (quote == '\'') {
                    if (p == to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < to && line[p + 1] == '\'') {
                        current.write('\'');
                        p += 2;
                    } else if (c == '\'') {
                        if (p + 1 < to && !isBlank(line[p + 1])) {
                            return null;
                        }
                        p++;
                        done = true;
                    } else {
                        current.write(c);
                        p++;
                    }
                } else if (p == to) {
                    done = true;
                } else {
                    byte c = line[p++];
                    switch (c) {
                        case ' ', '\n', '\r', '\t' -> done = true;
                        case '"', '\'' -> quote = c;
                        default -> current.write(c);
                    }
                }
            }
            args.add(current.toByteArray());
        }
    }

    /** C's isspace in the "C" locale, which is what Redis runs its ctype calls under. */
    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isHexDigit(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 0x07;
            default -> c;
        };
    }
}
