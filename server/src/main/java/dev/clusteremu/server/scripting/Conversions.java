package dev.clusteremu.server.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.scripting.lua.LuaString;
import dev.clusteremu.server.scripting.lua.LuaTable;
import dev.clusteremu.server.scripting.lua.LuaValues;

/**
 * The conversions between Redis replies and Lua values (script_lua.c): a command's reply, as the script's
 * client received it in RESP2 or RESP3, becomes a Lua value (redisProtocolToLuaType); a script's return
 * value becomes the reply to the caller (luaReplyToRedisReply). Tables are built with the same sequence
 * of stores Redis's C code makes, so they end up laid out — and iterated — the same.
 */
final class Conversions {
    /** LUAI_MAXCSTACK: the Lua stack slots the reply conversion may use before giving up. */
    private static final int MAX_STACK = 8000;
    private static final LuaString ERR = LuaString.of("err");
    private static final LuaString OK = LuaString.of("ok");
    private static final LuaString DOUBLE = LuaString.of("double");
    private static final LuaString BIG_NUMBER = LuaString.of("big_number");
    private static final LuaString VERBATIM = LuaString.of("verbatim_string");
    private static final LuaString FORMAT = LuaString.of("format");
    private static final LuaString STRING = LuaString.of("string");
    private static final LuaString MAP = LuaString.of("map");
    private static final LuaString SET = LuaString.of("set");
    private static final LuaString IGNORE_STATS = LuaString.of("ignore_error_stats_update");

    private Conversions() {
    }

    // ------------------------------------------------------------------------------------------------
    // Redis reply → Lua
    // ------------------------------------------------------------------------------------------------

    /** Parses one reply at the start of {@code reply} into a Lua value. */
    static Object toLua(byte[] reply) {
        return new Parser(reply).parse(true);
    }

    /** A RESP2/RESP3 reader over a complete, well-formed reply (the node wrote it). */
    private static final class Parser {
        private final byte[] p;
        private int pos;

        Parser(byte[] p) {
            this.p = p;
        }

        private int lineEnd() {
            int i = pos;
            while (p[i] != '\r') {
                i++;
            }
            return i;
        }

        private String line() {
            int end = lineEnd();
            String s = new String(p, pos + 1, end - pos - 1, StandardCharsets.ISO_8859_1);
            pos = end + 2;
            return s;
        }

        private byte[] lineBytes() {
            int end = lineEnd();
            byte[] b = Arrays.copyOfRange(p, pos + 1, end);
            pos = end + 2;
            return b;
        }

        private byte[] bulk(int len) {
            byte[] b = Arrays.copyOfRange(p, pos, pos + len);
            pos += len + 2;
            return b;
        }

        /** One reply; {@code build} false when only skipping it (an attribute's contents). */
        Object parse(boolean build) {
            byte type = p[pos];
            switch (type) {
                case ':': {
                    return (double) Long.parseLong(line());
                }
                case '$': {
                    int len = Integer.parseInt(line());
                    if (len < 0) {
                        return Boolean.FALSE;
                    }
                    return LuaString.wrap(bulk(len));
                }
                case '+': {
                    LuaTable t = new LuaTable();
                    t.rawset(OK, LuaString.wrap(lineBytes()));
                    return t;
                }
                case '-': {
                    byte[] msg = lineBytes();
                    LuaTable t = errorTable(concat(new byte[] {'-'}, msg));
                    t.rawset(IGNORE_STATS, Boolean.TRUE);
                    return t;
                }
                case '*': {
                    int len = Integer.parseInt(line());
                    if (len < 0) {
                        return Boolean.FALSE;
                    }
                    LuaTable t = build ? new LuaTable() : null;
                    for (int j = 0; j < len; j++) {
                        Object v = parse(build);
                        if (build) {
                            t.rawset((double) (j + 1), v);
                        }
                    }
                    return t;
                }
                case '%': {
                    int len = Integer.parseInt(line());
                    LuaTable inner = build ? new LuaTable() : null;
                    for (int j = 0; j < len; j++) {
                        Object k = parse(build);
                        Object v = parse(build);
                        if (build) {
                            inner.rawset(k, v);
                        }
                    }
                    return build ? single(MAP, inner) : null;
                }
                case '~': {
                    int len = Integer.parseInt(line());
                    LuaTable inner = build ? new LuaTable() : null;
                    for (int j = 0; j < len; j++) {
                        Object k = parse(build);
                        if (build) {
                            inner.rawset(k, Boolean.TRUE);
                        }
                    }
                    return build ? single(SET, inner) : null;
                }
                case '_': {
                    pos = lineEnd() + 2;
                    return null;
                }
                case '#': {
                    return line().equals("t");
                }
                case ',': {
                    String s = line();
                    double d = switch (s) {
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        case "nan", "-nan" -> Double.NaN;
                        default -> Double.parseDouble(s);
                    };
                    return single(DOUBLE, d);
                }
                case '(': {
                    return single(BIG_NUMBER, LuaString.wrap(lineBytes()));
                }
                case '=': {
                    int len = Integer.parseInt(line());
                    byte[] b = bulk(len);
                    LuaTable inner = new LuaTable();
                    inner.rawset(STRING, LuaString.wrap(Arrays.copyOfRange(b, 4, b.length)));
                    inner.rawset(FORMAT, LuaString.wrap(Arrays.copyOf(b, 3)));
                    return single(VERBATIM, inner);
                }
                case '|': {
                    int len = Integer.parseInt(line());
                    for (int j = 0; j < len; j++) {
                        parse(false);
                        parse(false);
                    }
                    return parse(build);
                }
                default:
                    throw new IllegalStateException("not a RESP reply: " + (char) type);
            }
        }
    }

    private static LuaTable single(LuaString key, Object value) {
        LuaTable t = new LuaTable();
        t.rawset(key, value);
        return t;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * luaPushErrorBuff: "-CODE msg" keeps its code, a message without a leading '-' gets ERR; the message
     * is cut at its first NUL (it is a C string) and trimmed of \r and \n at both ends.
     */
    static LuaTable errorTable(byte[] err) {
        err = cString(err);
        String code;
        byte[] msg;
        if (err.length > 0 && err[0] == '-') {
            int space = indexOf(err, (byte) ' ');
            if (space < 0) {
                msg = Arrays.copyOfRange(err, 1, err.length);
                code = "ERR";
            } else {
                msg = Arrays.copyOfRange(err, space + 1, err.length);
                code = new String(err, 1, space - 1, StandardCharsets.ISO_8859_1);
            }
        } else {
            msg = err;
            code = "ERR";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(code.getBytes(StandardCharsets.ISO_8859_1));
        out.write(' ');
        out.writeBytes(trimNewlines(msg));
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaString.wrap(out.toByteArray()));
        return t;
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static byte[] cString(byte[] b) {
        int n = indexOf(b, (byte) 0);
        return n < 0 ? b : Arrays.copyOf(b, n);
    }

    /** sdstrim(s, "\r\n"). */
    private static byte[] trimNewlines(byte[] b) {
        int start = 0;
        int end = b.length;
        while (start < end && (b[start] == '\r' || b[start] == '\n')) {
            start++;
        }
        while (end > start && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        return Arrays.copyOfRange(b, start, end);
    }

    /** sdsmapchars(s, "\r\n", "  "). */
    static byte[] mapNewlines(byte[] b) {
        byte[] r = b.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == '\r' || r[i] == '\n') {
                r[i] = ' ';
            }
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // Lua → reply
    // ------------------------------------------------------------------------------------------------

    /** What a reply conversion needs besides the value: the script client's protocol, and error accounting. */
    interface ErrorSink {
        /** Writes the error line {@code -msg} (newlines already handled), counting it unless {@code silent}. */
        void error(RespWriter r, byte[] line, boolean silent);
    }

    /**
     * luaReplyToRedisReply: strings as bulk strings, numbers truncated to integers, booleans as 1 and null
     * for a RESP2 script (true and false for a RESP3 one), tables with a single err, ok, double,
     * big_number, verbatim_string, map or set field as those replies, other tables as arrays up to their
     * first nil; anything else is null. {@code used} counts the Lua stack slots in use, which a deeply
     * nested (or self-referencing) table exhausts.
     */
    static void toReply(RespWriter r, Object v, int scriptProtocol, int used, ErrorSink errors) {
        if (used + 4 > MAX_STACK) {
            errors.error(r, bytes("-ERR reached lua stack limit"), false);
            return;
        }
        if (v instanceof LuaString s) {
            r.bulk(s.bytes());
        } else if (v instanceof Boolean b) {
            if (scriptProtocol == 2) {
                if (b) {
                    r.integer(1);
                } else {
                    r.nullBulk();
                }
            } else {
                r.bool(b);
            }
        } else if (v instanceof Double d) {
            r.integer(LuaValues.toLong(d));
        } else if (v instanceof LuaTable t) {
            tableToReply(r, t, scriptProtocol, used, errors);
        } else {
            r.nullBulk();
        }
    }

    private static void tableToReply(RespWriter r, LuaTable t, int scriptProtocol, int used, ErrorSink errors) {
        if (t.getStr(ERR) instanceof LuaString err) {
            byte[] line = concat(new byte[] {'-'}, cString(err.bytes()));
            errors.error(r, mapNewlines(trimTrailing(line)), t.getStr(IGNORE_STATS) == Boolean.TRUE);
            return;
        }
        if (t.getStr(OK) instanceof LuaString ok) {
            r.raw(concat(concat(new byte[] {'+'}, mapNewlines(cString(ok.bytes()))), bytes("\r\n")));
            return;
        }
        if (t.getStr(DOUBLE) instanceof Double d) {
            r.doubleValue(d);
            return;
        }
        if (t.getStr(BIG_NUMBER) instanceof LuaString big) {
            byte[] num = mapNewlines(big.bytes());
            if (r.protocol() == 2) {
                r.bulk(num);
            } else {
                r.raw(concat(concat(new byte[] {'('}, num), bytes("\r\n")));
            }
            return;
        }
        if (t.getStr(VERBATIM) instanceof LuaTable vt && vt.getStr(FORMAT) instanceof LuaString format
                && vt.getStr(STRING) instanceof LuaString str) {
            if (r.protocol() == 2) {
                r.bulk(str.bytes());
            } else {
                byte[] ext = Arrays.copyOf(format.bytes(), 3);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(bytes("=" + (str.length() + 4) + "\r\n"));
                out.writeBytes(ext);
                out.write(':');
                out.writeBytes(str.bytes());
                out.writeBytes(bytes("\r\n"));
                r.raw(out.toByteArray());
            }
            return;
        }
        if (t.getStr(MAP) instanceof LuaTable map) {
            r.map(count(map));
            Object[] kv = map.next(null);
            while (kv != null) {
                toReply(r, kv[0], scriptProtocol, used + 4, errors);
                toReply(r, kv[1], scriptProtocol, used + 3, errors);
                kv = map.next(kv[0]);
            }
            return;
        }
        if (t.getStr(SET) instanceof LuaTable set) {
            r.set(count(set));
            Object[] kv = set.next(null);
            while (kv != null) {
                toReply(r, kv[0], scriptProtocol, used + 3, errors);
                kv = set.next(kv[0]);
            }
            return;
        }
        int n = 0;
        while (t.getInt(n + 1) != null) {
            n++;
        }
        r.array(n);
        for (int j = 1; j <= n; j++) {
            toReply(r, t.getInt(j), scriptProtocol, used + 1, errors);
        }
    }

    private static int count(LuaTable t) {
        int n = 0;
        Object[] kv = t.next(null);
        while (kv != null) {
            n++;
            kv = t.next(kv[0]);
        }
        return n;
    }

    private static byte[] trimTrailing(byte[] b) {
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
