package dev.clusteremu.server.scripting.lua;

/**
 * Argument checks of the auxiliary library (lauxlib.c) for builtins: each failure is the ArgError
 * luaL_argerror would raise ("table expected, got nil"), positions counted from 1.
 */
public final class Args {
    private Args() {
    }

    /** Argument {@code n} (1-based), or null when absent. */
    public static Object arg(Object[] a, int n) {
        return n <= a.length ? a[n - 1] : null;
    }

    /** luaL_typename: "no value" for an absent argument. */
    static String typeName(Object[] a, int n) {
        return n > a.length ? "no value" : LuaValues.typeName(a[n - 1]);
    }

    /** luaL_typerror. */
    public static ArgError typeError(Object[] a, int n, String expected) {
        return new ArgError(n, expected + " expected, got " + typeName(a, n));
    }

    public static boolean isNoneOrNil(Object[] a, int n) {
        return n > a.length || a[n - 1] == null;
    }

    public static void checkAny(Object[] a, int n) {
        if (n > a.length) {
            throw new ArgError(n, "value expected");
        }
    }

    public static LuaTable checkTable(Object[] a, int n) {
        if (arg(a, n) instanceof LuaTable t) {
            return t;
        }
        throw typeError(a, n, "table");
    }

    /** luaL_checknumber: numbers and numeric strings. */
    public static double checkNumber(Object[] a, int n) {
        Double d = LuaValues.toNumber(arg(a, n));
        if (d == null) {
            throw typeError(a, n, "number");
        }
        return d;
    }

    public static double optNumber(Object[] a, int n, double def) {
        return isNoneOrNil(a, n) ? def : checkNumber(a, n);
    }

    /** luaL_checkint. */
    public static int checkInt(Object[] a, int n) {
        return LuaValues.toInt(checkNumber(a, n));
    }

    public static int optInt(Object[] a, int n, int def) {
        return isNoneOrNil(a, n) ? def : checkInt(a, n);
    }

    /** luaL_checkinteger (a C ptrdiff_t). */
    public static long checkInteger(Object[] a, int n) {
        return LuaValues.toLong(checkNumber(a, n));
    }

    public static long optInteger(Object[] a, int n, long def) {
        return isNoneOrNil(a, n) ? def : checkInteger(a, n);
    }

    /** luaL_checklstring: strings, and numbers as "%.14g". */
    public static LuaString checkString(Object[] a, int n) {
        LuaString s = LuaValues.toLuaString(arg(a, n));
        if (s == null) {
            throw typeError(a, n, "string");
        }
        return s;
    }

    public static LuaString optString(Object[] a, int n, LuaString def) {
        return isNoneOrNil(a, n) ? def : checkString(a, n);
    }

    /** Results as an array. */
    public static Object[] ret(Object... values) {
        return values;
    }

    /** Nothing returned. */
    public static Object[] none() {
        return LuaValues.NONE;
    }
}
