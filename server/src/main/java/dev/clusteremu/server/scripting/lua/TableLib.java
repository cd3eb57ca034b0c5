package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;

/** Lua 5.1's table library (ltablib.c), including its quicksort, whose exact steps decide the result of a sort with an inconsistent comparator. */
public final class TableLib {
    private TableLib() {
    }

    public static void open(LuaTable g) {
        LuaTable t = new LuaTable(0, 9);
        BaseLib.reg(t, "concat", TableLib::concat);
        BaseLib.reg(t, "foreach", TableLib::foreach);
        BaseLib.reg(t, "foreachi", TableLib::foreachi);
        BaseLib.reg(t, "getn", (l, a) -> Args.ret((double) Args.checkTable(a, 1).length()));
        BaseLib.reg(t, "maxn", TableLib::maxn);
        BaseLib.reg(t, "insert", TableLib::insert);
        BaseLib.reg(t, "remove", TableLib::remove);
        BaseLib.reg(t, "setn", (l, a) -> {
            Args.checkTable(a, 1);
            throw l.error("'setn' is obsolete");
        });
        BaseLib.reg(t, "sort", TableLib::sort);
        g.rawset("table", t);
    }

    private static Object[] foreachi(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        int n = t.length();
        if (!(Args.arg(a, 2) instanceof LuaFunction f)) {
            throw Args.typeError(a, 2, "function");
        }
        for (int i = 1; i <= n; i++) {
            Object r = l.call1(f, (double) i, t.getInt(i));
            if (r != null) {
                return Args.ret(r);
            }
        }
        return Args.none();
    }

    private static Object[] foreach(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        if (!(Args.arg(a, 2) instanceof LuaFunction f)) {
            throw Args.typeError(a, 2, "function");
        }
        Object[] kv = t.next(null);
        while (kv != null) {
            Object r = l.call1(f, kv[0], kv[1]);
            if (r != null) {
                return Args.ret(r);
            }
            kv = t.next(kv[0]);
        }
        return Args.none();
    }

    private static Object[] maxn(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        double max = 0;
        Object[] kv = t.next(null);
        while (kv != null) {
            if (kv[0] instanceof Double d && d > max) {
                max = d;
            }
            kv = t.next(kv[0]);
        }
        return Args.ret(max);
    }

    private static Object[] insert(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        int e = t.length() + 1;
        int pos;
        switch (a.length) {
            case 2 -> pos = e;
            case 3 -> {
                pos = Args.checkInt(a, 2);
                if (pos > e) {
                    e = pos;
                }
                for (int i = e; i > pos; i--) {
                    t.rawset(i, t.getInt(i - 1));
                }
            }
            default -> throw l.error("wrong number of arguments to 'insert'");
        }
        t.rawset(pos, a[a.length - 1]);
        return Args.none();
    }

    private static Object[] remove(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        int e = t.length();
        int pos = Args.optInt(a, 2, e);
        if (!(1 <= pos && pos <= e)) {
            return Args.none();
        }
        Object removed = t.getInt(pos);
        for (; pos < e; pos++) {
            t.rawset(pos, t.getInt(pos + 1));
        }
        t.rawset(e, null);
        return Args.ret(removed);
    }

    private static Object[] concat(LuaThread l, Object[] a) {
        LuaString sep = Args.optString(a, 2, LuaString.EMPTY);
        LuaTable t = Args.checkTable(a, 1);
        int i = Args.optInt(a, 3, 1);
        int last = Args.isNoneOrNil(a, 4) ? t.length() : Args.checkInt(a, 4);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (; i < last; i++) {
            addField(l, b, t, i);
            b.writeBytes(sep.bytes());
        }
        if (i == last) {
            addField(l, b, t, i);
        }
        return Args.ret(LuaString.wrap(b.toByteArray()));
    }

    private static void addField(LuaThread l, ByteArrayOutputStream b, LuaTable t, int i) {
        Object v = t.getInt(i);
        LuaString s = LuaValues.toLuaString(v);
        if (s == null) {
            // Redis's Lua names the offending type (a patch over 5.1.5's "invalid value (at index %d)").
            throw l.error("invalid value (" + LuaValues.typeName(v) + ") at index " + i + " in table for 'concat'");
        }
        b.writeBytes(s.bytes());
    }

    private static Object[] sort(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        int n = t.length();
        Object comp = null;
        if (a.length >= 2) {
            if (!(a[1] instanceof LuaFunction)) {
                throw Args.typeError(a, 2, "function");
            }
            comp = a[1];
        }
        new Sorter(l, t, comp).auxsort(1, n);
        return Args.none();
    }

    /** auxsort: quicksort with median of three, recursing into the smaller half. */
    private static final class Sorter {
        private final LuaThread l;
        private final LuaTable t;
        private final Object comp;

        Sorter(LuaThread l, LuaTable t, Object comp) {
            this.l = l;
            this.t = t;
            this.comp = comp;
        }

        private boolean less(Object a, Object b) {
            if (comp != null) {
                return LuaValues.truthy(l.call1(comp, a, b));
            }
            return Vm.lessThan(l, a, b);
        }

        private Object get(int i) {
            return t.getInt(i);
        }

        private void set(int i, Object v) {
            t.rawset(i, v);
        }

        void auxsort(int lo, int up) {
            while (lo < up) {
                Object al = get(lo);
                Object au = get(up);
                if (less(au, al)) {
                    set(lo, au);
                    set(up, al);
                }
                if (up - lo == 1) {
                    break;
                }
                int i = (lo + up) / 2;
                Object ai = get(i);
                al = get(lo);
                if (less(ai, al)) {
                    set(i, al);
                    set(lo, ai);
                } else {
                    au = get(up);
                    if (less(au, ai)) {
                        set(i, au);
                        set(up, ai);
                    }
                }
                if (up - lo == 2) {
                    break;
                }
                Object pivot = get(i);
                Object au1 = get(up - 1);
                set(i, au1);
                set(up - 1, pivot);
                i = lo;
                int j = up - 1;
                while (true) {
                    Object x;
                    while (true) {
                        x = get(++i);
                        if (!less(x, pivot)) {
                            break;
                        }
                        if (i > up) {
                            throw l.error("invalid order function for sorting");
                        }
                    }
                    Object y;
                    while (true) {
                        y = get(--j);
                        if (!less(pivot, y)) {
                            break;
                        }
                        if (j < lo) {
                            throw l.error("invalid order function for sorting");
                        }
                    }
                    if (j < i) {
                        break;
                    }
                    set(i, y);
                    set(j, x);
                }
                Object a1 = get(up - 1);
                Object a2 = get(i);
                set(up - 1, a2);
                set(i, a1);
                int j2;
                if (i - lo < up - i) {
                    j2 = lo;
                    i = i - 1;
                    lo = i + 2;
                } else {
                    j2 = i + 1;
                    i = up;
                    up = j2 - 2;
                }
                auxsort(j2, i);
            }
        }
    }
}
