package dev.clusteremu.server.scripting.lua;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One Lua universe (a lua_State with its global state): the globals, the string metatable, the main
 * thread, the random generator math.random draws from, and the count hook by which the embedder
 * interrupts long scripts (lua_sethook with LUA_MASKCOUNT).
 *
 * <p>Only one Java thread runs a given state at a time; the embedder hands it over with proper
 * synchronization (a coroutine's thread runs only while its resumer waits).
 */
public final class LuaState {
    /** Ticks (function entries and loop iterations) between two calls of the hook. */
    private static final int HOOK_PERIOD = 1000;

    private LuaTable globals = new LuaTable();
    private LuaTable stringMeta;
    final LuaThread main = new LuaThread(this);
    private int budget = HOOK_PERIOD;
    private Runnable hook;
    /** The wake-ups of coroutines not finished yet (run to make one's Java thread end). */
    final Set<Runnable> coroutines = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Rand48 random;

    public LuaTable globals() {
        return globals;
    }

    /** lua_replace(LUA_GLOBALSINDEX): chunks loaded from now on resolve their globals in {@code g}. */
    public void setGlobals(LuaTable g) {
        this.globals = g;
    }

    /** The metatable strings share (its __index is the string library). */
    public void setStringMetatable(LuaTable mt) {
        this.stringMeta = mt;
    }

    /** lua_getmetatable for any value. */
    public LuaTable metatable(Object v) {
        if (v instanceof LuaTable t) {
            return t.metatable();
        }
        if (v instanceof LuaString) {
            return stringMeta;
        }
        return null;
    }

    /**
     * Sets the hook run every so often while Lua code runs (null for none). It may throw a
     * {@link LuaError} to stop the script where it stands.
     */
    public void setHook(Runnable hook) {
        this.hook = hook;
        this.budget = HOOK_PERIOD;
    }

    /** Has the hook run again at the very next tick (once a kill is decided, every tick raises again). */
    public void hookNow() {
        budget = 1;
    }

    void tick() {
        if (--budget <= 0) {
            budget = HOOK_PERIOD;
            if (hook != null) {
                hook.run();
            }
        }
    }

    /**
     * Compiles a chunk (luaL_loadbuffer) into a function whose globals are {@link #globals()}. A syntax error
     * is thrown as a {@link LuaError} whose value is the message ("user_script:1: ... near '...'").
     */
    public LuaClosure load(byte[] chunk, String chunkName) {
        Proto p = Parser.parse(chunk, chunkName, main.nCcalls);
        return new LuaClosure(p, new Cell[0], globals);
    }

    /** Compiles from inside a running script (loadstring), counting the syntax nesting on top of its calls. */
    LuaClosure load(LuaThread l, byte[] chunk, String chunkName) {
        Proto p = Parser.parse(chunk, chunkName, l.nCcalls);
        return new LuaClosure(p, new Cell[0], globals);
    }

    /**
     * Calls {@code fn} from Java on the main thread, binding the calling Java thread to it for the call.
     * Errors propagate as {@link LuaError}; a Java stack exhausted by runaway recursion becomes Lua's
     * "stack overflow".
     */
    public Object[] call(Object fn, Object... args) {
        LuaThread previous = main.bind();
        try {
            return main.callFromBuiltin(fn, args);
        } catch (StackOverflowError e) {
            throw new LuaError(LuaString.of("stack overflow"));
        } finally {
            LuaThread.restore(previous);
        }
    }

    /** Ends the Java threads of the coroutines left suspended: the state is being discarded. */
    public void close() {
        Runnable[] wakeUps;
        synchronized (coroutines) {
            wakeUps = coroutines.toArray(new Runnable[0]);
            coroutines.clear();
        }
        for (Runnable r : wakeUps) {
            r.run();
        }
    }

    /** A state drawing math.random from {@code random}. */
    public LuaState(Rand48 random) {
        this.random = random;
    }

    /** The generator math.random draws from. */
    Rand48 random() {
        return random;
    }
}
