package dev.clusteremu.server.scripting.lua;

/**
 * The operations of Lua 5.1's virtual machine (lvm.c) on values: indexing with __index/__newindex chains,
 * arithmetic with string coercion and metamethods, comparison, equality, concatenation and length, each
 * failing with the message Lua gives, naming the offending variable when the VM can tell.
 */
final class Vm {
    static final LuaString INDEX = LuaString.of("__index");
    static final LuaString NEWINDEX = LuaString.of("__newindex");
    static final LuaString CALL = LuaString.of("__call");
    static final LuaString ADD = LuaString.of("__add");
    static final LuaString SUB = LuaString.of("__sub");
    static final LuaString MUL = LuaString.of("__mul");
    static final LuaString DIV = LuaString.of("__div");
    static final LuaString MOD = LuaString.of("__mod");
    static final LuaString POW = LuaString.of("__pow");
    static final LuaString UNM = LuaString.of("__unm");
    static final LuaString LEN = LuaString.of("__len");
    static final LuaString LT = LuaString.of("__lt");
    static final LuaString LE = LuaString.of("__le");
    static final LuaString EQ = LuaString.of("__eq");
    static final LuaString CONCAT = LuaString.of("__concat");
    /** MAXTAGLOOP: how many __index/__newindex tables a lookup follows before giving up. */
    private static final int MAX_TAG_LOOP = 100;

    private Vm() {
    }

    static Object[] prepend(Object first, Object[] rest) {
        Object[] a = new Object[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    /** luaV_gettable: {@code t[key]}; {@code info} names {@code t} for the error when it cannot be indexed. */
    static Object index(LuaThread l, Object t, Object key, VarInfo info) {
        for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
            Object tm;
            if (t instanceof LuaTable table) {
                Object v = table.get(key);
                LuaTable mt = table.metatable();
                if (v != null || mt == null || (tm = mt.getStr(INDEX)) == null) {
                    return v;
                }
            } else if ((tm = l.metamethod(t, INDEX)) == null) {
                throw l.typeError(t, loop == 0 ? info : null, "index");
            }
            if (tm instanceof LuaFunction) {
                return l.call1(tm, t, key);
            }
            t = tm;
        }
        throw LuaError.runtime("loop in gettable");
    }

    /** luaV_settable: {@code t[key] = val}. */
    static void setIndex(LuaThread l, Object t, Object key, Object val, VarInfo info) {
        for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
            Object tm;
            if (t instanceof LuaTable table) {
                if (table.isReadonly()) {
                    throw LuaError.runtime("Attempt to modify a readonly table");
                }
                Object old = table.get(key);
                LuaTable mt = table.metatable();
                if (old != null || mt == null || (tm = mt.getStr(NEWINDEX)) == null) {
                    table.rawset(key, val);
                    return;
                }
                // luaH_set created the key before the metamethod was looked up: keep that side effect.
                table.rawset(key, null);
            } else if ((tm = l.metamethod(t, NEWINDEX)) == null) {
                throw l.typeError(t, loop == 0 ? info : null, "index");
            }
            if (tm instanceof LuaFunction) {
                l.callFromBuiltin(tm, t, key, val);
                return;
            }
            t = tm;
        }
        throw LuaError.runtime("loop in settable");
    }

    /** Arithmetic (Arith in lvm.c): numbers or numeric strings, else the metamethod of either operand. */
    static Object arith(LuaThread l, LuaString event, Object a, Object b, VarInfo ia, VarInfo ib) {
        Double x = LuaValues.toNumber(a);
        Double y = LuaValues.toNumber(b);
        if (x != null && y != null) {
            return compute(event, x, y);
        }
        Object tm = l.metamethod(a, event);
        if (tm == null) {
            tm = l.metamethod(b, event);
        }
        if (tm != null) {
            return l.call1(tm, a, b);
        }
        if (x == null) {
            throw l.typeError(a, ia, "perform arithmetic on");
        }
        throw l.typeError(b, ib, "perform arithmetic on");
    }

    static double compute(LuaString event, double a, double b) {
        if (event == ADD) {
            return a + b;
        } else if (event == SUB) {
            return a - b;
        } else if (event == MUL) {
            return a * b;
        } else if (event == DIV) {
            return a / b;
        } else if (event == MOD) {
            return a - Math.floor(a / b) * b;
        } else if (event == POW) {
            return pow(a, b);
        }
        return -a;
    }

    /** C99's pow: 1 to any power, and -1 to an infinite one, is 1 (Java's Math.pow says NaN there). */
    static double pow(double x, double y) {
        if (x == 1.0 || x == -1.0 && Double.isInfinite(y)) {
            return 1.0;
        }
        return StrictMath.pow(x, y);
    }

    /** luaV_lessthan. */
    static boolean lessThan(LuaThread l, Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return x < y;
        }
        if (a instanceof LuaString x && b instanceof LuaString y) {
            return x.compareTo(y) < 0;
        }
        if (sameType(a, b)) {
            Object r = orderMeta(l, a, b, LT);
            if (r != NO_META) {
                return LuaValues.truthy(r);
            }
        }
        throw orderError(a, b);
    }

    /** luaV_lessequal: __le, or not (b < a) through __lt. */
    static boolean lessEqual(LuaThread l, Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return x <= y;
        }
        if (a instanceof LuaString x && b instanceof LuaString y) {
            return x.compareTo(y) <= 0;
        }
        if (sameType(a, b)) {
            Object r = orderMeta(l, a, b, LE);
            if (r != NO_META) {
                return LuaValues.truthy(r);
            }
            r = orderMeta(l, b, a, LT);
            if (r != NO_META) {
                return !LuaValues.truthy(r);
            }
        }
        throw orderError(a, b);
    }

    private static final Object NO_META = new Object();

    /** call_orderTM: both operands must have the same metamethod. */
    private static Object orderMeta(LuaThread l, Object a, Object b, LuaString event) {
        Object tm1 = l.metamethod(a, event);
        if (tm1 == null) {
            return NO_META;
        }
        Object tm2 = l.metamethod(b, event);
        if (!LuaTable.rawEquals(tm1, tm2)) {
            return NO_META;
        }
        return l.call1(tm1, a, b);
    }

    private static boolean sameType(Object a, Object b) {
        return LuaValues.typeName(a).equals(LuaValues.typeName(b));
    }

    /** luaG_ordererror, which calls two types "two X values" when their names share the third letter. */
    private static LuaError orderError(Object a, Object b) {
        String t1 = LuaValues.typeName(a);
        String t2 = LuaValues.typeName(b);
        if (t1.charAt(2) == t2.charAt(2)) {
            return LuaError.runtime("attempt to compare two " + t1 + " values");
        }
        return LuaError.runtime("attempt to compare " + t1 + " with " + t2);
    }

    /** luaV_equalval: raw equality, else __eq when both are tables (or userdata) sharing it. */
    static boolean equals(LuaThread l, Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Double x) {
            return b instanceof Double y && x.doubleValue() == y.doubleValue();
        }
        if (a instanceof LuaString || a instanceof Boolean) {
            return a.equals(b);
        }
        if (a instanceof LuaTable x && b instanceof LuaTable y) {
            LuaTable mt1 = x.metatable();
            LuaTable mt2 = y.metatable();
            Object tm1 = mt1 == null ? null : mt1.getStr(EQ);
            if (tm1 == null) {
                return false;
            }
            if (mt1 != mt2) {
                Object tm2 = mt2 == null ? null : mt2.getStr(EQ);
                if (tm2 == null || !LuaTable.rawEquals(tm1, tm2)) {
                    return false;
                }
            }
            return LuaValues.truthy(l.call1(tm1, a, b));
        }
        return false;
    }

    /**
     * One step of luaV_concat: {@code a .. b} for strings and numbers, else __concat; the operand blamed
     * is the first one that is neither a string nor a number (luaG_concaterror).
     */
    static Object concat(LuaThread l, Object a, Object b, VarInfo ia, VarInfo ib) {
        if ((a instanceof LuaString || a instanceof Double) && (b instanceof LuaString || b instanceof Double)) {
            LuaString x = LuaValues.toLuaString(a);
            LuaString y = LuaValues.toLuaString(b);
            if (y.length() == 0) {
                return x;
            }
            byte[] r = new byte[x.length() + y.length()];
            System.arraycopy(x.bytes(), 0, r, 0, x.length());
            System.arraycopy(y.bytes(), 0, r, x.length(), y.length());
            return LuaString.wrap(r);
        }
        Object tm = l.metamethod(a, CONCAT);
        if (tm == null) {
            tm = l.metamethod(b, CONCAT);
        }
        if (tm != null) {
            return l.call1(tm, a, b);
        }
        if (a instanceof LuaString || a instanceof Double) {
            throw l.typeError(b, ib, "concatenate");
        }
        throw l.typeError(a, ia, "concatenate");
    }

    /** OP_LEN: a string's length, a table's border (no __len for tables in 5.1), else __len. */
    static Object length(LuaThread l, Object v, VarInfo info) {
        if (v instanceof LuaString s) {
            return (double) s.length();
        }
        if (v instanceof LuaTable t) {
            return (double) t.length();
        }
        Object tm = l.metamethod(v, LEN);
        if (tm == null) {
            throw l.typeError(v, info, "get length of");
        }
        return l.call1(tm, v, null);
    }
}
