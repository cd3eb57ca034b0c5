package dev.clusteremu.server.scripting.lua;

/**
 * A Lua error in flight (lua_error): any Lua value, usually a message string or, for Redis's errors, a
 * table with an "err" field.
 *
 * <p>Where it was raised is recorded when it is created, as Redis's error handler records it with
 * debug.getinfo before the stack unwinds: the function that raised it, or, when that is a builtin (error,
 * redis.call, rawset...), the Lua function that called it — its source and current line become the
 * "on @user_script:1." of the error reply.
 */
public final class LuaError extends RuntimeException {
    private final transient Object value;
    private String source;
    private int line = -1;

    public LuaError(Object value) {
        super(null, null, false, false);
        this.value = value;
        LuaThread t = LuaThread.current();
        if (t != null) {
            t.locate(this);
        }
    }

    /**
     * luaG_runerror: {@code msg} prefixed with "chunk:line: " when the running function is Lua code, and
     * bare when it is a builtin (the error then comes from inside Lua's C API, as a read-only table's).
     */
    public static LuaError runtime(String msg) {
        LuaThread t = LuaThread.current();
        return new LuaError(LuaString.of(t == null ? msg : t.runtimePosition() + msg));
    }

    /** The error value. */
    public Object value() {
        return value;
    }

    /** The source of the function the error handler would point at ("@user_script"), or null. */
    public String source() {
        return source;
    }

    /** Its current line, or -1. */
    public int line() {
        return line;
    }

    void locate(String source, int line) {
        this.source = source;
        this.line = line;
    }

    @Override
    public String getMessage() {
        return value instanceof LuaString || value instanceof Double ? LuaValues.toLuaString(value).toString()
                : LuaValues.typeName(value) + " error object";
    }
}
