package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.clusteremu.server.resp.Strtod;

/**
 * lua-cjson 2.1.0 ("cjson"), which Redis bundles: encode and decode with its configuration functions.
 * Numbers are written "%.14g" (encode_number_precision), keys in the order the table yields them, arrays
 * recognised as tables of positive integer keys that are not excessively sparse; decoding errors name the
 * token and the 1-based character ("Expected value but found T_END at character 1").
 */
public final class CjsonLib {
    private static final String[] ESCAPES = escapes();
    private static final String[] TOKEN_NAMES = {"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END",
        "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR",
        "T_UNKNOWN"};
    private static final int T_OBJ_BEGIN = 0;
    private static final int T_OBJ_END = 1;
    private static final int T_ARR_BEGIN = 2;
    private static final int T_ARR_END = 3;
    private static final int T_STRING = 4;
    private static final int T_NUMBER = 5;
    private static final int T_BOOLEAN = 6;
    private static final int T_NULL = 7;
    private static final int T_COLON = 8;
    private static final int T_COMMA = 9;
    private static final int T_END = 10;
    private static final int T_ERROR = 12;

    /** One module instance's settings (json_config_t); cjson.new() makes another. */
    private static final class Config {
        int sparseConvert;
        int sparseRatio = 2;
        int sparseSafe = 10;
        int encodeMaxDepth = 1000;
        int decodeMaxDepth = 1000;
        int encodeInvalidNumbers;
        int decodeInvalidNumbers = 1;
        int encodeKeepBuffer = 1;
        int encodeNumberPrecision = 14;
    }

    private CjsonLib() {
    }

    public static void open(LuaTable g) {
        g.rawset("cjson", module());
    }

    private static LuaTable module() {
        Config cfg = new Config();
        LuaTable t = new LuaTable(0, 13);
        BaseLib.reg(t, "encode", (l, a) -> {
            if (a.length != 1) {
                throw new ArgError(1, "expected 1 argument");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            encode(l, cfg, a[0], 0, out);
            return Args.ret(LuaString.wrap(out.toByteArray()));
        });
        BaseLib.reg(t, "decode", (l, a) -> {
            if (a.length != 1) {
                throw new ArgError(1, "expected 1 argument");
            }
            return Args.ret(new Decoder(l, cfg, Args.checkString(a, 1).bytes()).decode());
        });
        BaseLib.reg(t, "encode_sparse_array", (l, a) -> {
            argCount(a, 3);
            Object convert = enumOption(a, 1, () -> cfg.sparseConvert, v -> cfg.sparseConvert = v, null);
            double ratio = intOption(a, 2, () -> cfg.sparseRatio, v -> cfg.sparseRatio = v, 0, Integer.MAX_VALUE);
            double safe = intOption(a, 3, () -> cfg.sparseSafe, v -> cfg.sparseSafe = v, 0, Integer.MAX_VALUE);
            return Args.ret(convert, ratio, safe);
        });
        BaseLib.reg(t, "encode_max_depth", (l, a) -> {
            argCount(a, 1);
            return Args.ret(intOption(a, 1, () -> cfg.encodeMaxDepth, v -> cfg.encodeMaxDepth = v, 1, Integer.MAX_VALUE));
        });
        BaseLib.reg(t, "decode_max_depth", (l, a) -> {
            argCount(a, 1);
            return Args.ret(intOption(a, 1, () -> cfg.decodeMaxDepth, v -> cfg.decodeMaxDepth = v, 1, Integer.MAX_VALUE));
        });
        BaseLib.reg(t, "encode_number_precision", (l, a) -> {
            argCount(a, 1);
            return Args.ret(intOption(a, 1, () -> cfg.encodeNumberPrecision, v -> cfg.encodeNumberPrecision = v, 1, 14));
        });
        BaseLib.reg(t, "encode_keep_buffer", (l, a) -> {
            argCount(a, 1);
            return Args.ret(enumOption(a, 1, () -> cfg.encodeKeepBuffer, v -> cfg.encodeKeepBuffer = v, null));
        });
        BaseLib.reg(t, "encode_invalid_numbers", (l, a) -> {
            argCount(a, 1);
            return Args.ret(enumOption(a, 1, () -> cfg.encodeInvalidNumbers, v -> cfg.encodeInvalidNumbers = v,
                    new String[] {"off", "on", "null"}));
        });
        BaseLib.reg(t, "decode_invalid_numbers", (l, a) -> {
            argCount(a, 1);
            return Args.ret(enumOption(a, 1, () -> cfg.decodeInvalidNumbers, v -> cfg.decodeInvalidNumbers = v, null));
        });
        BaseLib.reg(t, "new", (l, a) -> Args.ret(module()));
        t.rawset("null", LuaUserdata.NULL);
        t.rawset("_NAME", LuaString.of("cjson"));
        t.rawset("_VERSION", LuaString.of("2.1.0"));
        return t;
    }

    private static void argCount(Object[] a, int max) {
        if (a.length > max) {
            throw new ArgError(max + 1, "found too many arguments");
        }
    }

    /** json_enum_option: a boolean option (off/on) or one of {@code options}; answers the setting. */
    private static Object enumOption(Object[] a, int idx, java.util.function.IntSupplier get,
            java.util.function.IntConsumer set, String[] options) {
        boolean bool = options == null;
        String[] opts = bool ? new String[] {"off", "on"} : options;
        if (!Args.isNoneOrNil(a, idx)) {
            if (a[idx - 1] instanceof Boolean b) {
                set.accept(b ? 1 : 0);
            } else {
                String s = Args.checkString(a, idx).toString();
                int i = java.util.Arrays.asList(opts).indexOf(s);
                if (i < 0) {
                    throw new ArgError(idx, "invalid option '" + s + "'");
                }
                set.accept(i);
            }
        }
        int v = get.getAsInt();
        if (v == 0 || v == 1) {
            return v == 1;
        }
        return LuaString.of(opts[v]);
    }

    /** json_integer_option (whose range error names argument 1 whatever the option, as the library does). */
    private static double intOption(Object[] a, int idx, java.util.function.IntSupplier get,
            java.util.function.IntConsumer set, int min, int max) {
        if (!Args.isNoneOrNil(a, idx)) {
            long v = Args.checkInteger(a, idx);
            if (!(min <= v && v <= max)) {
                throw new ArgError(1, "expected integer between " + min + " and " + max);
            }
            set.accept((int) v);
        }
        return get.getAsInt();
    }

    // ------------------------------------------------------------------------------------------------
    // Encoding
    // ------------------------------------------------------------------------------------------------

    private static String[] escapes() {
        String[] e = new String[256];
        for (int c = 0; c < 32; c++) {
            e[c] = String.format("\\u%04x", c);
        }
        e['\b'] = "\\b";
        e['\t'] = "\\t";
        e['\n'] = "\\n";
        e['\f'] = "\\f";
        e['\r'] = "\\r";
        e['"'] = "\\\"";
        e['/'] = "\\/";
        e['\\'] = "\\\\";
        e[127] = "\\u007f";
        return e;
    }

    private static LuaError exception(LuaThread l, Object v, String reason) {
        return l.error("Cannot serialise " + LuaValues.typeName(v) + ": " + reason);
    }

    private static void encode(LuaThread l, Config cfg, Object v, int depth, ByteArrayOutputStream out) {
        if (v instanceof LuaString s) {
            appendString(s, out);
        } else if (v instanceof Double d) {
            appendNumber(l, cfg, d, out);
        } else if (v instanceof Boolean b) {
            out.writeBytes(ascii(b ? "true" : "false"));
        } else if (v instanceof LuaTable t) {
            depth++;
            if (depth > cfg.encodeMaxDepth) {
                throw l.error("Cannot serialise, excessive nesting (" + depth + ")");
            }
            int len = arrayLength(l, cfg, t);
            if (len > 0) {
                out.write('[');
                for (int i = 1; i <= len; i++) {
                    if (i > 1) {
                        out.write(',');
                    }
                    encode(l, cfg, t.getInt(i), depth, out);
                }
                out.write(']');
            } else {
                appendObject(l, cfg, t, depth, out);
            }
        } else if (v == null || v == LuaUserdata.NULL) {
            out.writeBytes(ascii("null"));
        } else {
            throw exception(l, v, "type not supported");
        }
    }

    /** lua_array_length: the largest key if every key is a positive integer, -1 if not (or too sparse). */
    private static int arrayLength(LuaThread l, Config cfg, LuaTable t) {
        double max = 0;
        int items = 0;
        Object[] kv = t.next(null);
        while (kv != null) {
            if (kv[0] instanceof Double k && k != 0 && Math.floor(k) == k && k >= 1) {
                if (k > max) {
                    max = k;
                }
                items++;
                kv = t.next(kv[0]);
                continue;
            }
            return -1;
        }
        int imax = (int) max;
        if (cfg.sparseRatio > 0 && imax > (long) items * cfg.sparseRatio && imax > cfg.sparseSafe) {
            if (cfg.sparseConvert == 0) {
                throw exception(l, t, "excessively sparse array");
            }
            return -1;
        }
        return imax;
    }

    private static void appendObject(LuaThread l, Config cfg, LuaTable t, int depth, ByteArrayOutputStream out) {
        out.write('{');
        boolean comma = false;
        Object[] kv = t.next(null);
        while (kv != null) {
            if (comma) {
                out.write(',');
            }
            comma = true;
            if (kv[0] instanceof Double d) {
                out.write('"');
                appendNumber(l, cfg, d, out);
                out.writeBytes(ascii("\":"));
            } else if (kv[0] instanceof LuaString s) {
                appendString(s, out);
                out.write(':');
            } else {
                throw exception(l, kv[0], "table key must be a number or string");
            }
            encode(l, cfg, kv[1], depth, out);
            kv = t.next(kv[0]);
        }
        out.write('}');
    }

    private static void appendNumber(LuaThread l, Config cfg, double d, ByteArrayOutputStream out) {
        boolean invalid = Double.isInfinite(d) || Double.isNaN(d);
        if (cfg.encodeInvalidNumbers == 0) {
            if (invalid) {
                throw exception(l, d, "must not be NaN or Inf");
            }
        } else if (cfg.encodeInvalidNumbers == 1) {
            if (Double.isNaN(d)) {
                out.writeBytes(ascii("nan"));
                return;
            }
        } else if (invalid) {
            out.writeBytes(ascii("null"));
            return;
        }
        out.writeBytes(ascii(new CFormat("", -1, cfg.encodeNumberPrecision).floating('g', d)));
    }

    private static void appendString(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : s.bytes()) {
            String esc = ESCAPES[b & 0xff];
            if (esc != null) {
                out.writeBytes(ascii(esc));
            } else {
                out.write(b);
            }
        }
        out.write('"');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------------------------------------
    // Decoding
    // ------------------------------------------------------------------------------------------------

    /** json_parse_t with its tokenizer; the input is a C string (it ends at its first NUL). */
    private static final class Decoder {
        private final LuaThread l;
        private final Config cfg;
        private final byte[] data;
        private int ptr;
        private int depth;
        private int type;
        private int index;
        private Object value;
        private String error;

        Decoder(LuaThread l, Config cfg, byte[] json) {
            this.l = l;
            this.cfg = cfg;
            int n = 0;
            while (n < json.length && json[n] != 0) {
                n++;
            }
            this.data = java.util.Arrays.copyOf(json, n);
            if (json.length >= 2 && (json[0] == 0 || json[1] == 0)) {
                throw l.error("JSON parser does not support UTF-16 or UTF-32");
            }
        }

        private int ch(int i) {
            return i < data.length ? data[i] & 0xff : 0;
        }

        Object decode() {
            next();
            Object v = value();
            next();
            if (type != T_END) {
                throw parseError("the end");
            }
            return v;
        }

        private LuaError parseError(String expected) {
            String found = type == T_ERROR ? error : TOKEN_NAMES[type];
            return l.error("Expected " + expected + " but found " + found + " at character " + (index + 1));
        }

        private void tokenError(String what) {
            type = T_ERROR;
            index = ptr;
            error = what;
        }

        private void next() {
            int c;
            while ((c = ch(ptr)) == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ptr++;
            }
            index = ptr;
            switch (c) {
                case '{' -> single(T_OBJ_BEGIN);
                case '}' -> single(T_OBJ_END);
                case '[' -> single(T_ARR_BEGIN);
                case ']' -> single(T_ARR_END);
                case ':' -> single(T_COLON);
                case ',' -> single(T_COMMA);
                case 0 -> type = T_END;
                case '"' -> string();
                default -> {
                    if (c == '-' || c >= '0' && c <= '9') {
                        if (cfg.decodeInvalidNumbers == 0 && invalidNumber()) {
                            tokenError("invalid number");
                        } else {
                            number();
                        }
                    } else if (startsWith("true")) {
                        type = T_BOOLEAN;
                        value = Boolean.TRUE;
                        ptr += 4;
                    } else if (startsWith("false")) {
                        type = T_BOOLEAN;
                        value = Boolean.FALSE;
                        ptr += 5;
                    } else if (startsWith("null")) {
                        type = T_NULL;
                        ptr += 4;
                    } else if ((c == 'i' || c == 'I' || c == 'n' || c == 'N' || c == '+')
                            && cfg.decodeInvalidNumbers != 0 && invalidNumber()) {
                        number();
                    } else {
                        tokenError("invalid token");
                    }
                }
            }
        }

        private void single(int t) {
            type = t;
            ptr++;
        }

        private boolean startsWith(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (ch(ptr + i) != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWithIgnoreCase(int p, String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.toLowerCase(ch(p + i)) != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean invalidNumber() {
            int p = ptr;
            if (ch(p) == '+') {
                return true;
            }
            if (ch(p) == '-') {
                p++;
            }
            if (ch(p) == '0') {
                int c2 = ch(p + 1);
                return (c2 | 0x20) == 'x' || c2 >= '0' && c2 <= '9';
            } else if (ch(p) <= '9') {
                return false;
            }
            return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
        }

        private void number() {
            Strtod.Parsed p = Strtod.prefix(java.util.Arrays.copyOfRange(data, ptr, data.length));
            type = T_NUMBER;
            if (p.end() == 0) {
                tokenError("invalid number");
                return;
            }
            value = p.value();
            ptr += p.end();
        }

        private void string() {
            ptr++;
            ByteArrayOutputStream tmp = new ByteArrayOutputStream();
            int c;
            while ((c = ch(ptr)) != '"') {
                if (c == 0) {
                    tokenError("unexpected end of string");
                    return;
                }
                if (c == '\\') {
                    int e = ch(ptr + 1);
                    int t = switch (e) {
                        case '"' -> '"';
                        case '\\' -> '\\';
                        case '/' -> '/';
                        case 'b' -> '\b';
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'f' -> '\f';
                        case 'r' -> '\r';
                        case 'u' -> 'u';
                        default -> 0;
                    };
                    if (t == 'u') {
                        if (unicodeEscape(tmp)) {
                            continue;
                        }
                        tokenError("invalid unicode escape code");
                        return;
                    }
                    if (t == 0) {
                        tokenError("invalid escape code");
                        return;
                    }
                    ptr++;
                    c = t;
                }
                tmp.write(c);
                ptr++;
            }
            ptr++;
            type = T_STRING;
            value = LuaString.wrap(tmp.toByteArray());
        }

        private int hex4(int p) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(ch(p + i), 16);
                if (d < 0) {
                    return -1;
                }
                v = v << 4 | d;
            }
            return v;
        }

        private boolean unicodeEscape(ByteArrayOutputStream tmp) {
            int escapeLen = 6;
            int cp = hex4(ptr + 2);
            if (cp < 0) {
                return false;
            }
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0x400) != 0) {
                    return false;
                }
                if (ch(ptr + escapeLen) != '\\' || ch(ptr + escapeLen + 1) != 'u') {
                    return false;
                }
                int low = hex4(ptr + 2 + escapeLen);
                if (low < 0 || (low & 0xFC00) != 0xDC00) {
                    return false;
                }
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                escapeLen = 12;
            }
            if (cp < 0x80) {
                tmp.write(cp);
            } else if (cp < 0x800) {
                tmp.write(0xC0 | cp >> 6);
                tmp.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                tmp.write(0xE0 | cp >> 12);
                tmp.write(0x80 | cp >> 6 & 0x3F);
                tmp.write(0x80 | cp & 0x3F);
            } else if (cp <= 0x10FFFF) {
                tmp.write(0xF0 | cp >> 18);
                tmp.write(0x80 | cp >> 12 & 0x3F);
                tmp.write(0x80 | cp >> 6 & 0x3F);
                tmp.write(0x80 | cp & 0x3F);
            } else {
                return false;
            }
            ptr += escapeLen;
            return true;
        }

        private Object value() {
            switch (type) {
                case T_STRING, T_NUMBER, T_BOOLEAN:
                    return value;
                case T_NULL:
                    return LuaUserdata.NULL;
                case T_OBJ_BEGIN:
                    return object();
                case T_ARR_BEGIN:
                    return array();
                default:
                    throw parseError("value");
            }
        }

        private void descend() {
            depth++;
            if (depth > cfg.decodeMaxDepth) {
                throw l.error("Found too many nested data structures (" + depth + ") at character " + ptr);
            }
        }

        private LuaTable object() {
            descend();
            LuaTable t = new LuaTable();
            next();
            if (type == T_OBJ_END) {
                depth--;
                return t;
            }
            while (true) {
                if (type != T_STRING) {
                    throw parseError("object key string");
                }
                Object key = value;
                next();
                if (type != T_COLON) {
                    throw parseError("colon");
                }
                next();
                t.rawset(key, value());
                next();
                if (type == T_OBJ_END) {
                    depth--;
                    return t;
                }
                if (type != T_COMMA) {
                    throw parseError("comma or object end");
                }
                next();
            }
        }

        private LuaTable array() {
            descend();
            LuaTable t = new LuaTable();
            next();
            if (type == T_ARR_END) {
                depth--;
                return t;
            }
            for (int i = 1;; i++) {
                t.rawset(i, value());
                next();
                if (type == T_ARR_END) {
                    depth--;
                    return t;
                }
                if (type != T_COMMA) {
                    throw parseError("comma or array end");
                }
                next();
            }
        }
    }
}
