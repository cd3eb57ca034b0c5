package dev.clusteremu.server.scripting.lua;

/**
 * Light userdata: a bare pointer value. The only one scripts meet is cjson.null, the NULL pointer, which
 * prints as "userdata: (nil)".
 */
public final class LuaUserdata {
    /** The NULL light userdata (cjson.null). */
    public static final LuaUserdata NULL = new LuaUserdata();

    private LuaUserdata() {
    }
}
