package dev.clusteremu.server.scripting.lua;

/**
 * A function written in Java, the engine's C function: it runs in its own call frame (so errors it raises
 * through {@link LuaThread#error} carry the position of its Lua caller, as luaL_error does) and reports
 * bad arguments with {@link ArgError}, which the call site turns into "bad argument #n to 'name' (...)".
 */
public final class Builtin extends LuaFunction {
    /** The body: arguments in, results out (an empty array for none). */
    @FunctionalInterface
    public interface Body {
        Object[] call(LuaThread l, Object[] args);
    }

    private final String name;
    private final Body body;

    public Builtin(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    /** The name the function was registered under (for diagnostics only: Lua names calls by call site). */
    public String name() {
        return name;
    }

    Object[] invoke(LuaThread l, Object[] args) {
        return body.call(l, args);
    }
}
