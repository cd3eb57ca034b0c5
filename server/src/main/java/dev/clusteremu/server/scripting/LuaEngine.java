package dev.clusteremu.server.scripting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.scripting.lua.Args;
import dev.clusteremu.server.scripting.lua.BaseLib;
import dev.clusteremu.server.scripting.lua.BitLib;
import dev.clusteremu.server.scripting.lua.Builtin;
import dev.clusteremu.server.scripting.lua.CjsonLib;
import dev.clusteremu.server.scripting.lua.CmsgpackLib;
import dev.clusteremu.server.scripting.lua.LuaClosure;
import dev.clusteremu.server.scripting.lua.LuaError;
import dev.clusteremu.server.scripting.lua.LuaFunction;
import dev.clusteremu.server.scripting.lua.LuaState;
import dev.clusteremu.server.scripting.lua.LuaString;
import dev.clusteremu.server.scripting.lua.LuaTable;
import dev.clusteremu.server.scripting.lua.LuaThread;
import dev.clusteremu.server.scripting.lua.LuaValues;
import dev.clusteremu.server.scripting.lua.MathLib;
import dev.clusteremu.server.scripting.lua.Rand48;
import dev.clusteremu.server.scripting.lua.StringLib;
import dev.clusteremu.server.scripting.lua.StructLib;
import dev.clusteremu.server.scripting.lua.TableLib;

/**
 * A Lua interpreter set up as Redis sets up its own (script_lua.c, eval.c, function_lua.c): the libraries
 * Redis loads, the {@code redis} API, Redis's pcall and math.random, and the sandbox — globals locked
 * read-only (writes fail with "Attempt to modify a readonly table"), reads of unknown globals failing with
 * "Script attempted to access nonexistent global variable". EVAL scripts share one such interpreter;
 * functions have another, whose libraries run at load time with nothing but {@code redis.register_function},
 * {@code redis.log} and the version fields in view.
 */
final class LuaEngine {
    /** Which of Redis's two interpreters this is. */
    enum Kind { EVAL, FUNCTION }

    static final String REDIS_VERSION = "7.0.15";
    static final int REDIS_VERSION_NUM = 0x07000f;

    /** The outcome of a call: the value returned, or the error the error handler turned it into. */
    record Outcome(Object value, Object error) {
        boolean failed() {
            return error != null;
        }
    }

    /** A function registered by a library being loaded. */
    record Registered(String name, String description, EnumSet<ScriptFlag> flags, LuaFunction callback) {
    }

    /** What FUNCTION LOAD collects while a library's code runs (loadCtx). */
    static final class LoadContext {
        final List<Registered> functions = new ArrayList<>();
        final long startNanos = System.nanoTime();
        final long timeoutMillis;

        LoadContext(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }
    }

    private final Kind kind;
    private final Scripting scripting;
    private final LuaState state;
    final Client client;
    /** The run in progress (the registry's run context), or null. */
    private ScriptRun current;
    /** The library being loaded (the registry's load context), or null. */
    private LoadContext loading;
    /** The globals with the libraries; for functions, the table behind the empty, locked globals. */
    private final LuaTable globals;
    /** Functions only: the metatable of the visible globals, whose __index switches at load time. */
    private LuaTable shieldMeta;
    /** Functions only: what a library's code sees while it loads. */
    private LuaTable libraryApi;

    LuaEngine(Kind kind, Scripting scripting, Client client, Rand48 random) {
        this.kind = kind;
        this.state = new LuaState(random);
        this.scripting = scripting;
        this.client = client;
        this.globals = state.globals();
        build();
    }

    LuaState state() {
        return state;
    }

    Kind kind() {
        return kind;
    }

    private void build() {
        LuaTable g = globals;
        BaseLib.open(state, g);
        TableLib.open(g);
        StringLib.open(state, g);
        MathLib.open(g);
        CjsonLib.open(g);
        StructLib.open(g);
        CmsgpackLib.open(g);
        BitLib.open(g);
        reg(g, "pcall", this::redisPcall);
        LuaTable redis = new LuaTable();
        reg(redis, "call", (l, a) -> redisCall(l, a, true));
        reg(redis, "pcall", (l, a) -> redisCall(l, a, false));
        registerLog(redis);
        registerVersion(redis);
        reg(redis, "setresp", this::setResp);
        reg(redis, "sha1hex", (l, a) -> {
            if (a.length != 1) {
                throw new LuaError(Conversions.errorTable(Conversions.bytes("wrong number of arguments")));
            }
            LuaString s = LuaValues.toLuaString(a[0]);
            return Args.ret(LuaString.of(sha1hex(s == null ? new byte[0] : s.bytes())));
        });
        reg(redis, "error_reply", (l, a) -> {
            if (a.length != 1 || !(a[0] instanceof LuaString s)) {
                return Args.ret(Conversions.errorTable(Conversions.bytes("wrong number or type of arguments")));
            }
            byte[] err = s.bytes();
            if (err.length == 0 || err[0] != '-') {
                byte[] e = new byte[err.length + 1];
                e[0] = '-';
                System.arraycopy(err, 0, e, 1, err.length);
                err = e;
            }
            return Args.ret(Conversions.errorTable(err));
        });
        reg(redis, "status_reply", (l, a) -> {
            if (a.length != 1 || !(a[0] instanceof LuaString s)) {
                return Args.ret(Conversions.errorTable(Conversions.bytes("wrong number or type of arguments")));
            }
            LuaTable t = new LuaTable();
            t.rawset("ok", s);
            return Args.ret(t);
        });
        reg(redis, "set_repl", this::setRepl);
        redis.rawset("REPL_NONE", 0.0);
        redis.rawset("REPL_AOF", (double) ScriptRun.PROPAGATE_AOF);
        redis.rawset("REPL_SLAVE", (double) ScriptRun.PROPAGATE_REPL);
        redis.rawset("REPL_REPLICA", (double) ScriptRun.PROPAGATE_REPL);
        redis.rawset("REPL_ALL", (double) (ScriptRun.PROPAGATE_AOF | ScriptRun.PROPAGATE_REPL));
        reg(redis, "acl_check_cmd", this::aclCheckCmd);
        if (kind == Kind.EVAL) {
            reg(redis, "breakpoint", (l, a) -> Args.ret(Boolean.FALSE));
            reg(redis, "debug", (l, a) -> Args.none());
            reg(redis, "replicate_commands", (l, a) -> Args.ret(Boolean.TRUE));
        }
        g.rawset("redis", redis);
        if (kind == Kind.EVAL) {
            reg(g, "__redis__err__handler", (l, a) -> Args.ret(handlerTable(l, Args.arg(a, 1), null, -1)));
            setErrorMetatable(g);
            protect(g);
            return;
        }
        LuaTable apiRedis = new LuaTable();
        reg(apiRedis, "register_function", this::registerFunction);
        registerLog(apiRedis);
        registerVersion(apiRedis);
        setErrorMetatable(apiRedis);
        libraryApi = new LuaTable();
        libraryApi.rawset("redis", apiRedis);
        setErrorMetatable(libraryApi);
        protect(libraryApi);
        setErrorMetatable(g);
        protect(g);
        LuaTable shield = new LuaTable();
        shieldMeta = new LuaTable();
        shieldMeta.rawset("__index", g);
        shieldMeta.setReadonly(true);
        shield.setMetatable(shieldMeta);
        shield.setReadonly(true);
        state.setGlobals(shield);
    }

    private static void reg(LuaTable t, String name, Builtin.Body body) {
        t.rawset(name, new Builtin(name, body));
    }

    private void registerLog(LuaTable redis) {
        reg(redis, "log", this::log);
        redis.rawset("LOG_DEBUG", (double) NodeLog.DEBUG);
        redis.rawset("LOG_VERBOSE", (double) NodeLog.VERBOSE);
        redis.rawset("LOG_NOTICE", (double) NodeLog.NOTICE);
        redis.rawset("LOG_WARNING", (double) NodeLog.WARNING);
    }

    private static void registerVersion(LuaTable redis) {
        redis.rawset("REDIS_VERSION_NUM", (double) REDIS_VERSION_NUM);
        redis.rawset("REDIS_VERSION", LuaString.of(REDIS_VERSION));
    }

    /** luaSetErrorMetatable: reading a missing key fails, naming it as a global variable. */
    private static void setErrorMetatable(LuaTable t) {
        LuaTable mt = new LuaTable();
        reg(mt, "__index", (l, a) -> {
            if (a.length != 2) {
                throw l.error("Wrong number of arguments to luaProtectedTableError");
            }
            LuaString name = LuaValues.toLuaString(a[1]);
            if (name == null) {
                throw l.error("Second argument to luaProtectedTableError must be a string or number");
            }
            throw l.error("Script attempted to access nonexistent global variable '"
                    + new String(Conversions.cString(name.bytes()), StandardCharsets.ISO_8859_1) + "'");
        });
        t.setMetatable(mt);
    }

    /** luaSetTableProtectionRecursively: the table, every table reachable from it, and their metatables. */
    private static void protect(LuaTable t) {
        if (t.isReadonly()) {
            return;
        }
        t.setReadonly(true);
        Object[] kv = t.next(null);
        while (kv != null) {
            if (kv[1] instanceof LuaTable inner) {
                protect(inner);
            }
            kv = t.next(kv[0]);
        }
        if (t.metatable() != null) {
            protect(t.metatable());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Compiling and calling
    // ------------------------------------------------------------------------------------------------

    /** luaL_loadbuffer: the compiled chunk, or a {@link LuaError} carrying the syntax error text. */
    LuaClosure compile(byte[] code, String chunkName) {
        return state.load(code, chunkName);
    }

    /**
     * luaCallFunction, on the Lua thread: KEYS and ARGV as globals for EVAL (arguments for a function),
     * the call under the run's hook, and on failure what Redis's error handler makes of the error.
     */
    Outcome call(ScriptRun run, LuaFunction fn, byte[][] keys, byte[][] args) {
        current = run;
        state.setHook(run::checkKilled);
        try {
            LuaTable keysTable = array(keys);
            LuaTable argsTable = array(args);
            Object[] result;
            if (kind == Kind.EVAL) {
                globals.setReadonly(false);
                globals.rawset("KEYS", keysTable);
                globals.rawset("ARGV", argsTable);
                globals.setReadonly(true);
                result = state.call(fn);
            } else {
                result = state.call(fn, keysTable, argsTable);
            }
            return new Outcome(result.length == 0 ? null : result[0], null);
        } catch (LuaError e) {
            return new Outcome(null, handleError(e));
        } finally {
            state.setHook(null);
            current = null;
        }
    }

    private static LuaTable array(byte[][] items) {
        LuaTable t = new LuaTable();
        for (int j = 0; j < items.length; j++) {
            t.rawset(j + 1, LuaString.wrap(items[j]));
        }
        return t;
    }

    /**
     * __redis__err__handler: a non-table error becomes {err = 'ERR ' .. tostring(err)}; the table gets the
     * source and line of where the error surfaced. If that itself fails, the error is Lua's "error in
     * error handling" string.
     */
    private Object handleError(LuaError e) {
        try {
            Object[] r = state.call(new Builtin("error_handler",
                    (l, a) -> Args.ret(handlerTable(l, e.value(), e.source(), e.line()))));
            return r[0];
        } catch (LuaError again) {
            return LuaString.of("error in error handling");
        }
    }

    private static Object handlerTable(LuaThread l, Object err, String source, int line) {
        if (!(err instanceof LuaTable)) {
            LuaString text = BaseLib.tostring(l, err);
            byte[] b = new byte[text.length() + 4];
            System.arraycopy(Conversions.bytes("ERR "), 0, b, 0, 4);
            System.arraycopy(text.bytes(), 0, b, 4, text.length());
            LuaTable t = new LuaTable();
            t.rawset("err", LuaString.wrap(b));
            err = t;
        }
        if (source != null) {
            l.setIndex(err, LuaString.of("source"), LuaString.of(source));
            l.setIndex(err, LuaString.of("line"), (double) line);
        }
        return err;
    }

    // ------------------------------------------------------------------------------------------------
    // The redis API
    // ------------------------------------------------------------------------------------------------

    private ScriptRun running(String what) {
        ScriptRun run = current;
        if (run == null) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes(what + " can only be called inside a script invocation")));
        }
        return run;
    }

    /** luaArgsToRedisArgv: strings as they are, numbers as "%.17g"; null with {@code error[0]} set otherwise. */
    private static byte[][] toArgv(Object[] a, String[] error) {
        if (a.length == 0) {
            error[0] = "Please specify at least one argument for this redis lib call";
            return null;
        }
        byte[][] argv = new byte[a.length][];
        for (int j = 0; j < a.length; j++) {
            if (a[j] instanceof Double d) {
                argv[j] = Conversions.bytes(RedisNumbers.formatG17(d));
            } else if (a[j] instanceof LuaString s) {
                argv[j] = s.bytes();
            } else {
                error[0] = "Lua redis lib command arguments must be strings or integers";
                return null;
            }
        }
        return argv;
    }

    /** luaRedisGenericCommand: redis.call raises an error reply, redis.pcall returns it as a table. */
    private Object[] redisCall(LuaThread l, Object[] a, boolean raise) {
        ScriptRun run = running("redis.call/pcall");
        String[] error = new String[1];
        byte[][] argv = toArgv(a, error);
        if (argv == null) {
            LuaTable err = Conversions.errorTable(Conversions.bytes(error[0]));
            if (raise) {
                throw new LuaError(err);
            }
            return Args.ret(err);
        }
        ScriptCalls.Result r = run.onLoop(() -> ScriptCalls.call(scripting, run, argv));
        if (raise && r.error()) {
            throw new LuaError(r.value());
        }
        return Args.ret(r.value());
    }

    /**
     * Redis's pcall (luaRedisPcall): Lua's, except that an error table with an "err" string is returned as
     * that string, as errors were strings before Redis 7.
     */
    private Object[] redisPcall(LuaThread l, Object[] a) {
        Object fn = a.length == 0 ? Boolean.TRUE : a[0];
        Object[] rest = a.length == 0 ? a : java.util.Arrays.copyOfRange(a, 1, a.length);
        Object[] r = BaseLib.protectedCall(l, fn, rest);
        if (r[0] == Boolean.FALSE && r[1] instanceof LuaTable t) {
            Object err = l.index(t, LuaString.of("err"));
            if (err instanceof LuaString || err instanceof Double) {
                return Args.ret(Boolean.FALSE, err);
            }
            return Args.ret(Boolean.FALSE, t, err);
        }
        return r;
    }

    private Object[] log(LuaThread l, Object[] a) {
        if (a.length < 2) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("redis.log() requires two arguments or more.")));
        }
        Double level = LuaValues.toNumber(a[0]);
        if (level == null) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("First argument must be a number (log level).")));
        }
        int lv = LuaValues.toInt(level);
        if (lv < NodeLog.DEBUG || lv > NodeLog.WARNING) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("Invalid debug level.")));
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (int j = 1; j < a.length; j++) {
            LuaString s = LuaValues.toLuaString(a[j]);
            if (s != null) {
                if (!first) {
                    sb.append(' ');
                }
                sb.append(s);
                first = false;
            }
        }
        scripting.log(lv, sb.toString());
        return Args.none();
    }

    private Object[] setResp(LuaThread l, Object[] a) {
        ScriptRun run = running("redis.setresp");
        if (a.length != 1) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("redis.setresp() requires one argument.")));
        }
        Double n = LuaValues.toNumber(a[0]);
        int resp = n == null ? 0 : LuaValues.toInt(n);
        if (resp != 2 && resp != 3) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("RESP version must be 2 or 3.")));
        }
        run.protocol = resp;
        return Args.none();
    }

    private Object[] setRepl(LuaThread l, Object[] a) {
        ScriptRun run = running("redis.set_repl");
        if (a.length != 1) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("redis.set_repl() requires two arguments.")));
        }
        Double n = LuaValues.toNumber(a[0]);
        int flags = n == null ? 0 : LuaValues.toInt(n);
        if ((flags & ~(ScriptRun.PROPAGATE_AOF | ScriptRun.PROPAGATE_REPL)) != 0) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes(
                    "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")));
        }
        run.replFlags = flags;
        return Args.none();
    }

    private Object[] aclCheckCmd(LuaThread l, Object[] a) {
        ScriptRun run = running("redis.acl_check_cmd");
        String[] error = new String[1];
        byte[][] argv = toArgv(a, error);
        if (argv == null) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes(error[0])));
        }
        Boolean allowed = run.onLoop(() -> ScriptCalls.aclAllows(run, argv));
        if (allowed == null) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("Invalid command passed to redis.acl_check_cmd()")));
        }
        return Args.ret(allowed);
    }

    static String sha1hex(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Function libraries
    // ------------------------------------------------------------------------------------------------

    /**
     * luaEngineCreate, on the Lua thread: compiles a library's code and runs it with only the library API
     * in view, collecting what it registers. Returns null, or the error FUNCTION LOAD answers.
     */
    String loadLibrary(byte[] code, LoadContext ctx) {
        LuaClosure fn;
        shieldMeta.setReadonly(false);
        shieldMeta.rawset("__index", libraryApi);
        shieldMeta.setReadonly(true);
        try {
            try {
                fn = state.load(code, "@user_function");
            } catch (LuaError e) {
                return "Error compiling function: " + e.getMessage();
            }
            loading = ctx;
            state.setHook(() -> {
                if (ctx.timeoutMillis > 0 && (System.nanoTime() - ctx.startNanos) / 1_000_000 > ctx.timeoutMillis) {
                    state.hookNow();
                    throw new LuaError(Conversions.errorTable(Conversions.bytes("FUNCTION LOAD timeout")));
                }
            });
            try {
                state.call(fn);
            } catch (LuaError e) {
                return "Error registering functions: " + errorMessage(e.value());
            }
            return null;
        } finally {
            state.setHook(null);
            loading = null;
            shieldMeta.setReadonly(false);
            shieldMeta.rawset("__index", globals);
            shieldMeta.setReadonly(true);
        }
    }

    /** luaExtractErrorInformation's message: "ERR " and a string error, or a table's err field. */
    private static String errorMessage(Object err) {
        String msg = null;
        if (err instanceof LuaString || err instanceof Double) {
            msg = "ERR " + cText(LuaValues.toLuaString(err));
        }
        if (err instanceof LuaTable t) {
            LuaString e = LuaValues.toLuaString(t.getStr(LuaString.of("err")));
            if (e != null) {
                msg = cText(e);
            }
        }
        return msg == null ? "" : msg;
    }

    private static String cText(LuaString s) {
        return new String(Conversions.cString(s.bytes()), StandardCharsets.ISO_8859_1);
    }

    /** redis.register_function, positional (name, callback) or named ({function_name=, callback=, ...}). */
    private Object[] registerFunction(LuaThread l, Object[] a) {
        LoadContext ctx = loading;
        if (ctx == null) {
            throw registerError("redis.register_function can only be called on FUNCTION LOAD command");
        }
        if (a.length < 1 || a.length > 2) {
            throw registerError("wrong number of arguments to redis.register_function");
        }
        String name;
        String description = null;
        EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        LuaFunction callback;
        if (a.length == 1) {
            if (!(a[0] instanceof LuaTable t)) {
                throw registerError("calling redis.register_function with a single argument is only applicable to "
                        + "Lua table (representing named arguments).");
            }
            name = null;
            callback = null;
            Object[] kv = t.next(null);
            while (kv != null) {
                LuaString key = LuaValues.toLuaString(kv[0]);
                if (key == null) {
                    throw registerError("named argument key given to redis.register_function is not a string");
                }
                String k = cText(key);
                Object v = kv[1];
                if (k.equalsIgnoreCase("function_name")) {
                    LuaString s = LuaValues.toLuaString(v);
                    if (s == null) {
                        throw registerError("function_name argument given to redis.register_function must be a string");
                    }
                    name = s.toString();
                } else if (k.equalsIgnoreCase("description")) {
                    LuaString s = LuaValues.toLuaString(v);
                    if (s == null) {
                        throw registerError("description argument given to redis.register_function must be a string");
                    }
                    description = s.toString();
                } else if (k.equalsIgnoreCase("callback")) {
                    if (!(v instanceof LuaFunction f)) {
                        throw registerError("callback argument given to redis.register_function must be a function");
                    }
                    callback = f;
                } else if (k.equalsIgnoreCase("flags")) {
                    if (!(v instanceof LuaTable ft)) {
                        throw registerError("flags argument to redis.register_function must be a table representing "
                                + "function flags");
                    }
                    flags = readFlags(l, ft);
                    if (flags == null) {
                        throw registerError("unknown flag given");
                    }
                } else {
                    throw registerError("unknown argument given to redis.register_function");
                }
                kv = t.next(kv[0]);
            }
            if (name == null) {
                throw registerError("redis.register_function must get a function name argument");
            }
            if (callback == null) {
                throw registerError("redis.register_function must get a callback argument");
            }
        } else {
            LuaString s = LuaValues.toLuaString(a[0]);
            if (s == null) {
                throw registerError("first argument to redis.register_function must be a string");
            }
            if (!(a[1] instanceof LuaFunction f)) {
                throw registerError("second argument to redis.register_function must be a function");
            }
            name = s.toString();
            callback = f;
        }
        if (!Functions.isValidName(name)) {
            throw registerError("Library names can only contain letters, numbers, or underscores(_) and must be at "
                    + "least one character long");
        }
        for (Registered r : ctx.functions) {
            if (r.name().equals(name)) {
                throw registerError("Function already exists in the library");
            }
        }
        ctx.functions.add(new Registered(name, description, flags, callback));
        return Args.none();
    }

    /** luaRegisterFunctionReadFlags: flags[1], flags[2], ... up to the first nil; null for an unknown one. */
    private static EnumSet<ScriptFlag> readFlags(LuaThread l, LuaTable t) {
        EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        for (int j = 1;; j++) {
            Object v = l.index(t, (double) j);
            if (v == null) {
                return flags;
            }
            LuaString s = LuaValues.toLuaString(v);
            if (s == null) {
                return null;
            }
            ScriptFlag f = ScriptFlag.of(s.toString(), true);
            if (f == null) {
                return null;
            }
            flags.add(f);
        }
    }

    private static LuaError registerError(String msg) {
        return new LuaError(Conversions.errorTable(Conversions.bytes(msg)));
    }
}
