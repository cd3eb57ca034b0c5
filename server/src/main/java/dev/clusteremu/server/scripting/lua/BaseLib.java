package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;

/**
 * The base library of Lua 5.1 (lbaselib.c) as Redis's scripts see it, with the coroutine library. The
 * functions Redis leaves out of its sandbox (print, dofile, loadfile, getfenv, setfenv, newproxy, module,
 * require) are not here at all.
 */
public final class BaseLib {
    private static final LuaString TOSTRING = LuaString.of("__tostring");
    private static final LuaString METATABLE = LuaString.of("__metatable");
    /** LUAI_MAXCSTACK: the values a builtin may push. */
    private static final int MAX_C_STACK = 8000;

    private BaseLib() {
    }

    /** Registers the base functions, _G, _VERSION and the coroutine table in {@code g}. */
    public static void open(LuaState state, LuaTable g) {
        g.rawset("_G", g);
        reg(g, "assert", BaseLib::assertFn);
        reg(g, "collectgarbage", BaseLib::collectgarbage);
        reg(g, "error", BaseLib::error);
        reg(g, "gcinfo", (l, a) -> Args.ret((double) 64));
        reg(g, "getmetatable", BaseLib::getmetatable);
        reg(g, "loadstring", BaseLib::loadstring);
        reg(g, "load", BaseLib::load);
        reg(g, "next", BaseLib::next);
        reg(g, "pcall", BaseLib::pcall);
        reg(g, "rawequal", (l, a) -> {
            Args.checkAny(a, 1);
            Args.checkAny(a, 2);
            return Args.ret(LuaTable.rawEquals(a[0], a[1]));
        });
        reg(g, "rawget", (l, a) -> {
            LuaTable t = Args.checkTable(a, 1);
            Args.checkAny(a, 2);
            return Args.ret(t.get(a[1]));
        });
        reg(g, "rawset", (l, a) -> {
            LuaTable t = Args.checkTable(a, 1);
            Args.checkAny(a, 2);
            Args.checkAny(a, 3);
            t.rawset(a[1], a[2]);
            return Args.ret(t);
        });
        reg(g, "select", BaseLib::select);
        reg(g, "setmetatable", BaseLib::setmetatable);
        reg(g, "tonumber", BaseLib::tonumber);
        reg(g, "tostring", (l, a) -> {
            Args.checkAny(a, 1);
            return Args.ret(tostring(l, a[0]));
        });
        reg(g, "type", (l, a) -> {
            Args.checkAny(a, 1);
            return Args.ret(LuaString.of(LuaValues.typeName(a[0])));
        });
        reg(g, "unpack", BaseLib::unpack);
        reg(g, "xpcall", BaseLib::xpcall);
        g.rawset("_VERSION", LuaString.of("Lua 5.1"));
        Builtin next = (Builtin) g.get("next");
        Builtin ipairsAux = new Builtin("ipairs_aux", (l, a) -> {
            int i = Args.checkInt(a, 2);
            LuaTable t = Args.checkTable(a, 1);
            i++;
            Object v = t.getInt(i);
            return v == null ? Args.none() : Args.ret((double) i, v);
        });
        reg(g, "ipairs", (l, a) -> Args.ret(ipairsAux, Args.checkTable(a, 1), 0.0));
        reg(g, "pairs", (l, a) -> Args.ret(next, Args.checkTable(a, 1), null));
        g.rawset("coroutine", coroutines(state));
    }

    static void reg(LuaTable t, String name, Builtin.Body body) {
        t.rawset(name, new Builtin(name, body));
    }

    /** luaB_tostring: __tostring, else the value's own text. */
    public static LuaString tostring(LuaThread l, Object v) {
        Object tm = l.metamethod(v, TOSTRING);
        if (tm != null) {
            Object r = l.call1(tm, v);
            LuaString s = LuaValues.toLuaString(r);
            return s != null ? s : LuaValues.rawToString(r);
        }
        return LuaValues.rawToString(v);
    }

    private static Object[] assertFn(LuaThread l, Object[] a) {
        Args.checkAny(a, 1);
        if (!LuaValues.truthy(a[0])) {
            throw l.error(Args.optString(a, 2, LuaString.of("assertion failed!")).toString());
        }
        return a;
    }

    private static final String[] GC_OPTIONS = {"stop", "restart", "collect", "count", "step", "setpause",
        "setstepmul"};

    private static Object[] collectgarbage(LuaThread l, Object[] a) {
        String opt = Args.optString(a, 1, LuaString.of("collect")).toString();
        int o = java.util.Arrays.asList(GC_OPTIONS).indexOf(opt);
        if (o < 0) {
            throw new ArgError(1, "invalid option '" + opt + "'");
        }
        Args.optInt(a, 2, 0);
        return switch (opt) {
            case "count" -> Args.ret(64.0);
            case "step" -> Args.ret(Boolean.FALSE);
            case "setpause", "setstepmul" -> Args.ret(200.0);
            default -> Args.ret(0.0);
        };
    }

    private static Object[] error(LuaThread l, Object[] a) {
        int level = Args.optInt(a, 2, 1);
        Object msg = Args.arg(a, 1);
        if ((msg instanceof LuaString || msg instanceof Double) && level > 0) {
            String where = l.where(level);
            LuaString s = LuaValues.toLuaString(msg);
            byte[] w = where.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] r = new byte[w.length + s.length()];
            System.arraycopy(w, 0, r, 0, w.length);
            System.arraycopy(s.bytes(), 0, r, w.length, s.length());
            msg = LuaString.wrap(r);
        }
        throw new LuaError(msg);
    }

    private static Object[] getmetatable(LuaThread l, Object[] a) {
        Args.checkAny(a, 1);
        LuaTable mt = l.state.metatable(a[0]);
        if (mt == null) {
            return Args.ret((Object) null);
        }
        Object protectedValue = mt.getStr(METATABLE);
        return Args.ret(protectedValue != null ? protectedValue : mt);
    }

    private static Object[] setmetatable(LuaThread l, Object[] a) {
        Object mt = Args.arg(a, 2);
        LuaTable t = Args.checkTable(a, 1);
        if (mt != null && !(mt instanceof LuaTable)) {
            throw new ArgError(2, "nil or table expected");
        }
        if (t.metatable() != null && t.metatable().getStr(METATABLE) != null) {
            throw l.error("cannot change a protected metatable");
        }
        t.setMetatable((LuaTable) mt);
        return Args.ret(t);
    }

    private static Object[] next(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        Object[] kv = t.next(Args.arg(a, 2));
        return kv == null ? Args.ret((Object) null) : kv;
    }

    private static Object[] select(LuaThread l, Object[] a) {
        int n = a.length;
        if (Args.arg(a, 1) instanceof LuaString s && s.length() > 0 && s.byteAt(0) == '#') {
            return Args.ret((double) (n - 1));
        }
        int i = Args.checkInt(a, 1);
        if (i < 0) {
            i = n + i;
        } else if (i > n) {
            i = n;
        }
        if (i < 1) {
            throw new ArgError(1, "index out of range");
        }
        return java.util.Arrays.copyOfRange(a, i, n);
    }

    private static Object[] tonumber(LuaThread l, Object[] a) {
        int base = Args.optInt(a, 2, 10);
        if (base == 10) {
            Args.checkAny(a, 1);
            Double d = LuaValues.toNumber(a[0]);
            return Args.ret(d);
        }
        LuaString s = Args.checkString(a, 1);
        if (base < 2 || base > 36) {
            throw new ArgError(2, "base out of range");
        }
        byte[] b = s.bytes();
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        byte[] c = java.util.Arrays.copyOf(b, len);
        long[] r = LuaValues.strtoul(c, base);
        if (r != null) {
            int end = (int) r[1];
            while (end < len && LuaValues.isSpace(c[end])) {
                end++;
            }
            if (end == len) {
                return Args.ret(LuaValues.unsignedToDouble(r[0]));
            }
        }
        return Args.ret((Object) null);
    }

    private static Object[] unpack(LuaThread l, Object[] a) {
        LuaTable t = Args.checkTable(a, 1);
        int i = Args.optInt(a, 2, 1);
        int e = Args.isNoneOrNil(a, 3) ? t.length() : Args.checkInt(a, 3);
        if (i > e) {
            return Args.none();
        }
        long n = (long) e - i + 1;
        if (n <= 0 || n + a.length > MAX_C_STACK) {
            throw l.error("too many results to unpack");
        }
        Object[] r = new Object[(int) n];
        for (int k = 0; k < n; k++) {
            r[k] = t.getInt(i + k);
        }
        return r;
    }

    /** luaB_pcall: true and the results, or false and the error value. */
    private static Object[] pcall(LuaThread l, Object[] a) {
        Args.checkAny(a, 1);
        return protectedCall(l, a[0], java.util.Arrays.copyOfRange(a, 1, a.length));
    }

    /** lua_pcall from a builtin: {true, results...} or {false, error}. */
    public static Object[] protectedCall(LuaThread l, Object fn, Object[] args) {
        int depth = l.depth();
        int ccalls = l.nCcalls;
        try {
            return Vm.prepend(Boolean.TRUE, l.callFromBuiltin(fn, args));
        } catch (LuaError e) {
            return Args.ret(Boolean.FALSE, e.value());
        } catch (StackOverflowError e) {
            l.unwindTo(depth, ccalls);
            return Args.ret(Boolean.FALSE, LuaString.of("stack overflow"));
        }
    }

    private static Object[] xpcall(LuaThread l, Object[] a) {
        Args.checkAny(a, 2);
        Object handler = a[1];
        try {
            return Vm.prepend(Boolean.TRUE, l.callFromBuiltin(a[0]));
        } catch (LuaError e) {
            if (!(handler instanceof LuaFunction)) {
                return Args.ret(Boolean.FALSE, LuaString.of("error in error handling"));
            }
            try {
                return Args.ret(Boolean.FALSE, l.call1(handler, e.value()));
            } catch (LuaError again) {
                return Args.ret(Boolean.FALSE, LuaString.of("error in error handling"));
            }
        }
    }

    private static Object[] loadstring(LuaThread l, Object[] a) {
        LuaString s = Args.checkString(a, 1);
        LuaString name = Args.optString(a, 2, s);
        return loadAux(l, s.bytes(), name.toString());
    }

    private static Object[] load(LuaThread l, Object[] a) {
        LuaString name = Args.optString(a, 2, LuaString.of("=(load)"));
        if (!(Args.arg(a, 1) instanceof LuaFunction reader)) {
            throw Args.typeError(a, 1, "function");
        }
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        try {
            while (true) {
                Object piece = l.call1(reader);
                if (piece == null) {
                    break;
                }
                LuaString s = LuaValues.toLuaString(piece);
                if (s == null) {
                    throw l.error("reader function must return a string");
                }
                if (s.length() == 0) {
                    break;
                }
                chunk.writeBytes(s.bytes());
            }
        } catch (LuaError e) {
            return Args.ret(null, e.value());
        }
        return loadAux(l, chunk.toByteArray(), name.toString());
    }

    private static Object[] loadAux(LuaThread l, byte[] chunk, String name) {
        try {
            return Args.ret(l.state.load(l, chunk, name));
        } catch (LuaError e) {
            return Args.ret(null, e.value());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // coroutine
    // ------------------------------------------------------------------------------------------------

    private static LuaTable coroutines(LuaState state) {
        LuaTable co = new LuaTable(0, 6);
        reg(co, "create", (l, a) -> {
            if (!(Args.arg(a, 1) instanceof LuaClosure)) {
                throw new ArgError(1, "Lua function expected");
            }
            return Args.ret(new LuaCoroutine(l.state, a[0]));
        });
        reg(co, "resume", (l, a) -> {
            if (!(Args.arg(a, 1) instanceof LuaCoroutine c)) {
                throw new ArgError(1, "coroutine expected");
            }
            return c.resume(l, java.util.Arrays.copyOfRange(a, 1, a.length));
        });
        reg(co, "running", (l, a) -> Args.ret(LuaCoroutine.of(l)));
        reg(co, "status", (l, a) -> {
            if (!(Args.arg(a, 1) instanceof LuaCoroutine c)) {
                throw new ArgError(1, "coroutine expected");
            }
            return Args.ret(LuaString.of(c.status(l)));
        });
        reg(co, "wrap", (l, a) -> {
            if (!(Args.arg(a, 1) instanceof LuaClosure)) {
                throw new ArgError(1, "Lua function expected");
            }
            LuaCoroutine c = new LuaCoroutine(l.state, a[0]);
            return Args.ret(new Builtin("wrap", (l2, a2) -> {
                Object[] r = c.resume(l2, a2);
                if (r[0] == Boolean.FALSE) {
                    Object err = r[1];
                    if (err instanceof LuaString || err instanceof Double) {
                        err = LuaString.of(l2.where(1) + LuaValues.toLuaString(err));
                    }
                    throw new LuaError(err);
                }
                return java.util.Arrays.copyOfRange(r, 1, r.length);
            }));
        });
        reg(co, "yield", (l, a) -> LuaCoroutine.yield(l, a));
        return co;
    }
}
