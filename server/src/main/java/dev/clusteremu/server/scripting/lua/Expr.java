package dev.clusteremu.server.scripting.lua;

import java.util.Arrays;

/**
 * An expression of a parsed chunk, evaluated against a frame. Calls and '...' can produce several values
 * ({@link #evalMulti}); everywhere else a value is one value (the first, or nil). Each node keeps the line
 * Lua's code generator gives the instruction, for error positions.
 */
abstract class Expr {
    final int line;

    Expr(int line) {
        this.line = line;
    }

    abstract Object eval(Frame f);

    Object[] evalMulti(Frame f) {
        return new Object[] {eval(f)};
    }

    /** Whether the expression may yield several values (a call or '...'). */
    boolean isMulti() {
        return false;
    }

    /** What getobjname would say about the register holding this value, or null. */
    VarInfo info() {
        return null;
    }

    /** Evaluates a list, expanding its last expression to all its values (explist). */
    static Object[] evalList(Frame f, Expr[] exprs) {
        int n = exprs.length;
        if (n == 0) {
            return LuaValues.NONE;
        }
        Expr last = exprs[n - 1];
        if (!last.isMulti()) {
            Object[] r = new Object[n];
            for (int i = 0; i < n; i++) {
                r[i] = exprs[i].eval(f);
            }
            return r;
        }
        Object[] head = new Object[n - 1];
        for (int i = 0; i < n - 1; i++) {
            head[i] = exprs[i].eval(f);
        }
        Object[] tail = last.evalMulti(f);
        if (head.length == 0) {
            return tail;
        }
        Object[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }

    static Object first(Object[] values) {
        return values.length == 0 ? null : values[0];
    }

    // ------------------------------------------------------------------------------------------------

    static final class Const extends Expr {
        final Object value;

        Const(int line, Object value) {
            super(line);
            this.value = value;
        }

        @Override
        Object eval(Frame f) {
            return value;
        }
    }

    static final class Vararg extends Expr {
        Vararg(int line) {
            super(line);
        }

        @Override
        Object eval(Frame f) {
            return first(f.varargs);
        }

        @Override
        Object[] evalMulti(Frame f) {
            return f.varargs;
        }

        @Override
        boolean isMulti() {
            return true;
        }
    }

    static final class Local extends Expr {
        final LocalVar var;

        Local(int line, LocalVar var) {
            super(line);
            this.var = var;
        }

        @Override
        Object eval(Frame f) {
            Object v = f.slots[var.slot];
            return var.captured ? ((Cell) v).v : v;
        }

        @Override
        VarInfo info() {
            return new VarInfo("local", var.name);
        }
    }

    static final class Upval extends Expr {
        final int index;
        final String name;

        Upval(int line, int index, String name) {
            super(line);
            this.index = index;
            this.name = name;
        }

        @Override
        Object eval(Frame f) {
            return f.closure.upvals[index].v;
        }

        @Override
        VarInfo info() {
            return new VarInfo("upvalue", name);
        }
    }

    static final class Global extends Expr {
        final LuaString name;

        Global(int line, LuaString name) {
            super(line);
            this.name = name;
        }

        @Override
        Object eval(Frame f) {
            LuaTable env = f.closure.env;
            Object v = env.getStr(name);
            if (v != null || env.metatable() == null) {
                return v;
            }
            f.line = line;
            return Vm.index(f.l, env, name, null);
        }

        @Override
        VarInfo info() {
            return new VarInfo("global", name.toString());
        }
    }

    static final class Index extends Expr {
        final Expr obj;
        final Expr key;

        Index(int line, Expr obj, Expr key) {
            super(line);
            this.obj = obj;
            this.key = key;
        }

        @Override
        Object eval(Frame f) {
            Object o = obj.eval(f);
            Object k = key.eval(f);
            if (o instanceof LuaTable t && t.metatable() == null) {
                return t.get(k);
            }
            f.line = line;
            return Vm.index(f.l, o, k, obj.info());
        }

        @Override
        VarInfo info() {
            return new VarInfo("field", key instanceof Const c && c.value instanceof LuaString s ? s.toString() : "?");
        }
    }

    static final class Call extends Expr {
        final Expr fn;
        final Expr[] args;

        Call(int line, Expr fn, Expr[] args) {
            super(line);
            this.fn = fn;
            this.args = args;
        }

        @Override
        Object eval(Frame f) {
            return first(evalMulti(f));
        }

        @Override
        Object[] evalMulti(Frame f) {
            Object fv = fn.eval(f);
            Object[] a = evalList(f, args);
            f.line = line;
            return f.l.call(fv, a, fn.info());
        }

        @Override
        boolean isMulti() {
            return true;
        }
    }

    static final class MethodCall extends Expr {
        final Expr obj;
        final LuaString name;
        final Expr[] args;

        MethodCall(int line, Expr obj, LuaString name, Expr[] args) {
            super(line);
            this.obj = obj;
            this.name = name;
            this.args = args;
        }

        @Override
        Object eval(Frame f) {
            return first(evalMulti(f));
        }

        @Override
        Object[] evalMulti(Frame f) {
            Object o = obj.eval(f);
            f.line = line;
            Object fv = Vm.index(f.l, o, name, obj.info());
            Object[] rest = evalList(f, args);
            Object[] a = Vm.prepend(o, rest);
            f.line = line;
            return f.l.call(fv, a, new VarInfo("method", name.toString()));
        }

        @Override
        boolean isMulti() {
            return true;
        }
    }

    static final class Function extends Expr {
        final Proto proto;

        Function(int line, Proto proto) {
            super(line);
            this.proto = proto;
        }

        @Override
        Object eval(Frame f) {
            Proto.UpvalDesc[] descs = proto.upvals;
            Cell[] upvals = new Cell[descs.length];
            for (int i = 0; i < descs.length; i++) {
                Proto.UpvalDesc d = descs[i];
                upvals[i] = d.fromLocal() ? (Cell) f.slots[d.index()] : f.closure.upvals[d.index()];
            }
            return new LuaClosure(proto, upvals, f.closure.env);
        }
    }

    static final class Paren extends Expr {
        final Expr inner;

        Paren(int line, Expr inner) {
            super(line);
            this.inner = inner;
        }

        @Override
        Object eval(Frame f) {
            return inner.eval(f);
        }

        @Override
        VarInfo info() {
            return inner.info();
        }
    }

    /** + - * / % ^ */
    static final class Arith extends Expr {
        final LuaString event;
        final Expr a;
        final Expr b;

        Arith(int line, LuaString event, Expr a, Expr b) {
            super(line);
            this.event = event;
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            Object y = b.eval(f);
            if (x instanceof Double dx && y instanceof Double dy) {
                return Vm.compute(event, dx, dy);
            }
            f.line = line;
            return Vm.arith(f.l, event, x, y, a.info(), b.info());
        }
    }

    static final class Neg extends Expr {
        final Expr a;

        Neg(int line, Expr a) {
            super(line);
            this.a = a;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            if (x instanceof Double d) {
                return -d;
            }
            f.line = line;
            return Vm.arith(f.l, Vm.UNM, x, x, a.info(), a.info());
        }
    }

    static final class Not extends Expr {
        final Expr a;

        Not(int line, Expr a) {
            super(line);
            this.a = a;
        }

        @Override
        Object eval(Frame f) {
            return !LuaValues.truthy(a.eval(f));
        }
    }

    static final class Len extends Expr {
        final Expr a;

        Len(int line, Expr a) {
            super(line);
            this.a = a;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            f.line = line;
            return Vm.length(f.l, x, a.info());
        }
    }

    /** a .. b .. c: all operands first, then joined from the right as luaV_concat does. */
    static final class Concat extends Expr {
        final Expr[] parts;

        Concat(int line, Expr[] parts) {
            super(line);
            this.parts = parts;
        }

        @Override
        Object eval(Frame f) {
            int n = parts.length;
            Object[] v = new Object[n];
            boolean plain = true;
            for (int i = 0; i < n; i++) {
                v[i] = parts[i].eval(f);
                plain &= v[i] instanceof LuaString;
            }
            if (plain) {
                int len = 0;
                for (Object o : v) {
                    len += ((LuaString) o).length();
                }
                byte[] r = new byte[len];
                int pos = 0;
                for (Object o : v) {
                    byte[] b = ((LuaString) o).bytes();
                    System.arraycopy(b, 0, r, pos, b.length);
                    pos += b.length;
                }
                return LuaString.wrap(r);
            }
            f.line = line;
            Object acc = v[n - 1];
            for (int i = n - 2; i >= 0; i--) {
                acc = Vm.concat(f.l, v[i], acc, parts[i].info(), parts[i + 1].info());
            }
            return acc;
        }
    }

    static final class Eq extends Expr {
        final Expr a;
        final Expr b;
        final boolean negate;

        Eq(int line, Expr a, Expr b, boolean negate) {
            super(line);
            this.a = a;
            this.b = b;
            this.negate = negate;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            Object y = b.eval(f);
            f.line = line;
            return Vm.equals(f.l, x, y) != negate;
        }
    }

    /** a < b, a <= b; a > b and a >= b compile to them with the operands swapped, as in Lua. */
    static final class Less extends Expr {
        final Expr a;
        final Expr b;
        final boolean swap;
        final boolean orEqual;

        Less(int line, Expr a, Expr b, boolean swap, boolean orEqual) {
            super(line);
            this.a = a;
            this.b = b;
            this.swap = swap;
            this.orEqual = orEqual;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            Object y = b.eval(f);
            if (swap) {
                Object t = x;
                x = y;
                y = t;
            }
            if (x instanceof Double dx && y instanceof Double dy) {
                return orEqual ? dx <= dy : dx < dy;
            }
            f.line = line;
            return orEqual ? Vm.lessEqual(f.l, x, y) : Vm.lessThan(f.l, x, y);
        }
    }

    static final class And extends Expr {
        final Expr a;
        final Expr b;

        And(int line, Expr a, Expr b) {
            super(line);
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            return LuaValues.truthy(x) ? b.eval(f) : x;
        }

        /**
         * getobjname: the left operand's TEST (an instruction that sets A in 5.1) or LOADBOOL is the last write
         * it sees, unless the left operand is a constant that is always true (no test, no jump).
         */
        @Override
        VarInfo info() {
            return reduce(a) instanceof Const c && LuaValues.truthy(c.value) ? b.info() : null;
        }
    }

    /** What an and/or of constants leaves of its code: the right operand when the left one needs no test. */
    static Expr reduce(Expr e) {
        if (e instanceof Paren p) {
            return reduce(p.inner);
        }
        if (e instanceof And x && reduce(x.a) instanceof Const c && LuaValues.truthy(c.value)) {
            return reduce(x.b);
        }
        if (e instanceof Or x && reduce(x.a) instanceof Const c && !LuaValues.truthy(c.value)) {
            return reduce(x.b);
        }
        return e;
    }

    static final class Or extends Expr {
        final Expr a;
        final Expr b;

        Or(int line, Expr a, Expr b) {
            super(line);
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(Frame f) {
            Object x = a.eval(f);
            return LuaValues.truthy(x) ? x : b.eval(f);
        }

        /** As for and, with a constant that is always false (nil or false: luaK_goiffalse). */
        @Override
        VarInfo info() {
            return reduce(a) instanceof Const c && !LuaValues.truthy(c.value) ? b.info() : null;
        }
    }

    /**
     * A table constructor: preallocated as NEWTABLE sizes it from the item counts, record fields stored as
     * they come, positional items stored in batches of 50 (SETLIST), the last expanded when multi-valued.
     */
    static final class Table extends Expr {
        /** LFIELDS_PER_FLUSH. */
        private static final int FIELDS_PER_FLUSH = 50;

        final int narray;
        final int nhash;
        /** Items in source order: for a positional item the key is null. */
        final Expr[] keys;
        final Expr[] values;

        Table(int line, int narray, int nhash, Expr[] keys, Expr[] values) {
            super(line);
            this.narray = narray;
            this.nhash = nhash;
            this.keys = keys;
            this.values = values;
        }

        @Override
        Object eval(Frame f) {
            LuaTable t = new LuaTable(narray, nhash);
            Object[] pending = new Object[FIELDS_PER_FLUSH];
            int npending = 0;
            int stored = 0;
            int n = values.length;
            for (int i = 0; i < n; i++) {
                if (npending == FIELDS_PER_FLUSH) {
                    stored = setList(t, pending, npending, stored);
                    npending = 0;
                }
                if (keys[i] != null) {
                    Object k = keys[i].eval(f);
                    Object v = values[i].eval(f);
                    f.line = line;
                    t.rawset(k, v);
                } else if (i == n - 1 && values[i].isMulti()) {
                    Object[] rest = values[i].evalMulti(f);
                    Object[] all = Arrays.copyOf(pending, npending + rest.length);
                    System.arraycopy(rest, 0, all, npending, rest.length);
                    stored = setList(t, all, all.length, stored);
                    npending = 0;
                } else {
                    pending[npending++] = values[i].eval(f);
                }
            }
            if (npending > 0) {
                setList(t, pending, npending, stored);
            }
            return t;
        }

        /** OP_SETLIST: items stored from the last down, after growing the array part if they go beyond it. */
        private static int setList(LuaTable t, Object[] items, int count, int stored) {
            int last = stored + count;
            if (last > t.arraySize()) {
                t.resizeArray(last);
            }
            for (int j = count - 1; j >= 0; j--) {
                t.rawset(stored + j + 1, items[j]);
            }
            return last;
        }
    }
}
