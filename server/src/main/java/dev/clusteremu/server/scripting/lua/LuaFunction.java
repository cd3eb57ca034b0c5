package dev.clusteremu.server.scripting.lua;

/** A Lua function value: a closure of Lua code or a builtin written in Java (a "C function"). */
public abstract sealed class LuaFunction extends LuaRef permits LuaClosure, Builtin {
}
