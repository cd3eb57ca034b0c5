package dev.clusteremu.server.scripting.lua;

import java.util.Arrays;

/**
 * A Lua thread (lua_State): the main one or a coroutine's. It holds the call stack, by which errors are
 * positioned ("user_script:3: ...") and error levels counted, and the count of nested calls made from
 * builtins and metamethods, which Lua limits (LUAI_MAXCCALLS) and which a coroutine may not yield across.
 *
 * <p>All calls go through {@link #call} (a call made by Lua code) or {@link #callFromBuiltin} (luaD_call:
 * a call made by a builtin or a metamethod). The Java thread running a Lua thread is bound to it, so that
 * errors raised anywhere find their position.
 */
public final class LuaThread {
    private static final ThreadLocal<LuaThread> CURRENT = new ThreadLocal<>();
    /**
     * Activations a thread may hold: Lua 5.1 doubles its CallInfo array up to 16384 and fails the next
     * growth with "stack overflow" (the array would exceed LUAI_MAXCALLS = 20000).
     */
    private static final int MAX_CALLS = 16383;
    /** LUAI_MAXCCALLS. */
    static final int MAX_C_CALLS = 200;

    final LuaState state;
    /** The coroutine this thread runs, held weakly so that an abandoned one can be reclaimed. */
    java.lang.ref.WeakReference<LuaCoroutine> self;
    private CallInfo[] stack = new CallInfo[16];
    private int top;
    int nCcalls;
    int baseCcalls;

    LuaThread(LuaState state) {
        this.state = state;
    }

    /** The Lua thread the calling Java thread runs, or null. */
    public static LuaThread current() {
        return CURRENT.get();
    }

    /** Binds the calling Java thread to this Lua thread; returns the previous binding, to restore. */
    LuaThread bind() {
        LuaThread previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    static void restore(LuaThread previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** The shared state. */
    public LuaState state() {
        return state;
    }

    // ------------------------------------------------------------------------------------------------
    // Calls
    // ------------------------------------------------------------------------------------------------

    void push(CallInfo ci) {
        if (top >= MAX_CALLS) {
            throw LuaError.runtime("stack overflow");
        }
        if (top == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[top++] = ci;
    }

    void pop() {
        stack[--top] = null;
    }

    int depth() {
        return top;
    }

    /** After a Java stack overflow unwound past frames without running their cleanup: back to a known depth. */
    void unwindTo(int depth, int ccalls) {
        while (top > depth) {
            pop();
        }
        nCcalls = ccalls;
    }

    /**
     * Calls {@code fn} as Lua code does (OP_CALL): a closure runs its body; a builtin runs in a frame of its
     * own, its bad arguments reported under the name {@code site} gives the function; any other value is
     * called through its __call metamethod, or is "attempt to call ...".
     */
    public Object[] call(Object fn, Object[] args, VarInfo site) {
        if (fn instanceof LuaClosure c) {
            return c.invoke(this, args);
        }
        if (fn instanceof Builtin b) {
            push(new CallInfo.C(b));
            try {
                return b.invoke(this, args);
            } catch (ArgError e) {
                throw argError(e, site);
            } finally {
                pop();
            }
        }
        Object handler = metamethod(fn, Vm.CALL);
        if (!(handler instanceof LuaFunction)) {
            throw typeError(fn, site, "call");
        }
        return call(handler, Vm.prepend(fn, args), null);
    }

    /**
     * luaD_call: a call made by a builtin (pcall, table.sort's comparator, gsub's replacement...) or by a
     * metamethod. These nest at most LUAI_MAXCCALLS deep ("C stack overflow") and a coroutine cannot yield
     * across them.
     */
    public Object[] callFromBuiltin(Object fn, Object... args) {
        if (++nCcalls >= MAX_C_CALLS) {
            if (nCcalls == MAX_C_CALLS) {
                nCcalls--;
                throw LuaError.runtime("C stack overflow");
            } else if (nCcalls >= MAX_C_CALLS + (MAX_C_CALLS >> 3)) {
                nCcalls--;
                throw new LuaError(LuaString.of("error in error handling"));
            }
        }
        try {
            return call(fn, args, null);
        } finally {
            nCcalls--;
        }
    }

    /** The first result of a builtin-made call, or nil. */
    public Object call1(Object fn, Object... args) {
        Object[] r = callFromBuiltin(fn, args);
        return r.length == 0 ? null : r[0];
    }

    /** lua_gettable: {@code t[k]} with metamethods. */
    public Object index(Object t, Object k) {
        return Vm.index(this, t, k, null);
    }

    /** lua_settable: {@code t[k] = v} with metamethods and read-only checks. */
    public void setIndex(Object t, Object k, Object v) {
        Vm.setIndex(this, t, k, v, null);
    }

    /** The metamethod {@code event} of {@code v} (luaT_gettmbyobj), or null. */
    public Object metamethod(Object v, LuaString event) {
        LuaTable mt = state.metatable(v);
        return mt == null ? null : mt.getStr(event);
    }

    // ------------------------------------------------------------------------------------------------
    // Errors and positions
    // ------------------------------------------------------------------------------------------------

    /** luaL_error: {@code msg} prefixed with the position of the running builtin's caller. */
    public LuaError error(String msg) {
        return new LuaError(LuaString.of(where(1) + msg));
    }

    /** luaG_typeerror: "attempt to {op} {kind} '{name}' (a {type} value)", or without the name. */
    LuaError typeError(Object v, VarInfo info, String op) {
        String t = LuaValues.typeName(v);
        if (info != null && isLuaRunning()) {
            return LuaError.runtime("attempt to " + op + " " + info.kind() + " '" + info.name() + "' (a " + t + " value)");
        }
        return LuaError.runtime("attempt to " + op + " a " + t + " value");
    }

    private boolean isLuaRunning() {
        return top > 0 && stack[top - 1] instanceof Frame;
    }

    private LuaError argError(ArgError e, VarInfo site) {
        int narg = e.narg();
        String name = site == null ? null : site.name();
        if (site != null && site.kind().equals("method")) {
            narg--;
            if (narg == 0) {
                return error("calling '" + name + "' on bad self (" + e.getMessage() + ")");
            }
        }
        return error("bad argument #" + narg + " to '" + (name == null ? "?" : name) + "' (" + e.getMessage() + ")");
    }

    /** The "chunk:line: " of the running function if it is Lua code, else "" (luaG_runerror's addinfo). */
    String runtimePosition() {
        if (isLuaRunning()) {
            CallInfo ci = stack[top - 1];
            return chunkId(ci.source()) + ":" + ci.currentLine() + ": ";
        }
        return "";
    }

    /**
     * The activation {@code level} levels up (0 = the running function), counting tail calls the way
     * lua_getstack counts them; {@link #TAIL_CALL} for a level lost to a tail call; null past the bottom.
     */
    CallInfo level(int level) {
        int i = top - 1;
        while (level > 0 && i >= 0) {
            level--;
            if (stack[i] instanceof Frame) {
                level -= stack[i].tailcalls;
            }
            i--;
        }
        if (level == 0 && i >= 0) {
            return stack[i];
        }
        return level < 0 ? TAIL_CALL : null;
    }

    /** The stand-in for a level a tail call replaced: no source, no line. */
    static final CallInfo TAIL_CALL = new CallInfo() {
        @Override
        int currentLine() {
            return -1;
        }

        @Override
        String source() {
            return "=(tail call)";
        }
    };

    /** luaL_where: "chunk:line: " of the function {@code level} levels up, when it is Lua code with a line. */
    public String where(int level) {
        CallInfo ci = level(level);
        if (ci != null && ci.currentLine() > 0) {
            return chunkId(ci.source()) + ":" + ci.currentLine() + ": ";
        }
        return "";
    }

    /**
     * Records where an error being raised comes from, as Redis's error handler finds it: the running
     * function, or its caller when the running one is a builtin.
     */
    void locate(LuaError e) {
        CallInfo ci = level(0);
        if (ci instanceof CallInfo.C) {
            ci = level(1);
        }
        if (ci != null) {
            e.locate(ci.source(), ci.currentLine());
        }
    }

    /** luaO_chunkid: how a chunk name shows in messages ("@user_script" → "user_script"). */
    static String chunkId(String source) {
        if (source.startsWith("=")) {
            return source.length() > 60 ? source.substring(1, 60) : source.substring(1);
        }
        if (source.startsWith("@")) {
            String s = source.substring(1);
            int max = 60 - 8;
            return s.length() > max ? "..." + s.substring(s.length() - max) : s;
        }
        int len = 0;
        while (len < source.length() && source.charAt(len) != '\n' && source.charAt(len) != '\r') {
            len++;
        }
        int max = 60 - 17;
        if (len > max) {
            len = max;
        }
        if (len < source.length()) {
            return "[string \"" + source.substring(0, len) + "...\"]";
        }
        return "[string \"" + source + "\"]";
    }
}
