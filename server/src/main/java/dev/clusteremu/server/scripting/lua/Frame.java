package dev.clusteremu.server.scripting.lua;

/** The activation of a Lua function: its local slots, varargs, current line and what it returns. */
final class Frame extends CallInfo {
    final LuaThread l;
    final LuaClosure closure;
    final Object[] slots;
    Object[] varargs = LuaValues.NONE;
    Object[] ret = LuaValues.NONE;
    /** Set by a tail call ({@code return f(...)}): the function the caller runs in place of this frame. */
    boolean tailCall;
    Object tailFn;
    Object[] tailArgs;
    VarInfo tailSite;
    int line;

    Frame(LuaThread l, LuaClosure closure, Object[] slots) {
        this.l = l;
        this.closure = closure;
        this.slots = slots;
        this.line = closure.proto.lineDefined;
    }

    @Override
    int currentLine() {
        return line;
    }

    @Override
    String source() {
        return closure.proto.source;
    }
}
