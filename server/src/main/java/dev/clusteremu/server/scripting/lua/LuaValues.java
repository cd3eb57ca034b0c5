package dev.clusteremu.server.scripting.lua;

import java.nio.charset.StandardCharsets;

import dev.clusteremu.server.resp.Strtod;

/** Conversions and names every part of the engine shares (lobject.c, lapi.c, ltm.c's type names). */
public final class LuaValues {
    static final Object[] NONE = new Object[0];

    private LuaValues() {
    }

    /** lua_typename of a value. */
    public static String typeName(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Double) {
            return "number";
        }
        if (v instanceof LuaString) {
            return "string";
        }
        if (v instanceof LuaTable) {
            return "table";
        }
        if (v instanceof LuaFunction) {
            return "function";
        }
        if (v instanceof LuaCoroutine) {
            return "thread";
        }
        return "userdata";
    }

    /** Lua truth: everything but nil and false. */
    public static boolean truthy(Object v) {
        return v != null && v != Boolean.FALSE;
    }

    /** lua_tolstring without metamethods: strings as they are, numbers as "%.14g"; null otherwise. */
    public static LuaString toLuaString(Object v) {
        if (v instanceof LuaString s) {
            return s;
        }
        if (v instanceof Double d) {
            return LuaString.of(CFormat.g14(d));
        }
        return null;
    }

    /** lua_tonumber: numbers, and strings that read whole as a number (luaO_str2d); null otherwise. */
    public static Double toNumber(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof LuaString s) {
            return str2d(s.bytes());
        }
        return null;
    }

    /**
     * luaO_str2d: strtod over the C string (up to the first NUL), then a hexadecimal strtoul retry when
     * strtod stopped at an 'x'; only trailing white space may follow. Null when not a number.
     */
    public static Double str2d(byte[] s) {
        int len = 0;
        while (len < s.length && s[len] != 0) {
            len++;
        }
        byte[] c = len == s.length ? s : java.util.Arrays.copyOf(s, len);
        Strtod.Parsed p = Strtod.prefix(c);
        if (p.end() == 0) {
            return null;
        }
        double result = p.value();
        int end = p.end();
        if (end < len && (c[end] == 'x' || c[end] == 'X')) {
            long[] parsed = strtoul(c, 16);
            if (parsed == null) {
                end = 0;
            } else {
                result = unsignedToDouble(parsed[0]);
                end = (int) parsed[1];
            }
        }
        while (end < len && isSpace(c[end])) {
            end++;
        }
        return end == len ? result : null;
    }

    /**
     * C's strtoul in {@code base}: {value, end index}, end 0 when no digit was read. Overflow saturates at
     * ULONG_MAX; a minus sign negates modulo 2^64.
     */
    static long[] strtoul(byte[] s, int base) {
        int i = 0;
        while (i < s.length && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (base == 16 && i + 1 < s.length && s[i] == '0' && (s[i + 1] | 0x20) == 'x'
                && i + 2 < s.length && digit(s[i + 2]) >= 0 && digit(s[i + 2]) < 16) {
            i += 2;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        while (i < s.length) {
            int d = digit(s[i]);
            if (d < 0 || d >= base) {
                break;
            }
            long next = value * base + d;
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = next;
            i++;
        }
        if (i == start) {
            return null;
        }
        if (overflow) {
            value = -1L;
        } else if (negative) {
            value = -value;
        }
        return new long[] {value, i};
    }

    private static int digit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int c = b | 0x20;
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 10;
        }
        return -1;
    }

    static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** C isspace in the C locale. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    /**
     * lua_Number to integer as x86-64 C code converts it (cvttsd2si): truncation, and the "integer
     * indefinite" LONG_MIN for NaN and values out of range.
     */
    public static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** luaL_checkint's conversion: to a 64-bit integer, then to C int (the low 32 bits). */
    public static int toInt(double d) {
        return (int) toLong(d);
    }

    /** The address part of %p: "0x7f..." for objects; "(nil)" for the NULL light userdata. */
    static String pointer(Object v) {
        if (v instanceof LuaRef r) {
            return "0x" + Long.toHexString(r.address());
        }
        if (v == LuaUserdata.NULL) {
            return "(nil)";
        }
        return "0x" + Integer.toHexString(System.identityHashCode(v));
    }

    /** IntPoint: the low 32 bits of an object's address, by which tables hash it. */
    static int address(Object v) {
        if (v instanceof LuaRef r) {
            return (int) r.address();
        }
        return v == LuaUserdata.NULL ? 0 : System.identityHashCode(v);
    }

    /** The text luaL_tolstring gives a value without __tostring: "nil", "true", "table: 0x...", ... */
    public static LuaString rawToString(Object v) {
        if (v == null) {
            return LuaString.of("nil");
        }
        if (v instanceof Boolean b) {
            return LuaString.of(b ? "true" : "false");
        }
        LuaString s = toLuaString(v);
        if (s != null) {
            return s;
        }
        return LuaString.of(typeName(v) + ": " + pointer(v));
    }

    /** Java text from ISO-8859-1 bytes. */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
