package dev.clusteremu.server.scripting.lua;

/** One activation on a thread's call stack (CallInfo in lstate.h): a Lua function's frame or a builtin's. */
abstract class CallInfo {
    /** Tail calls this frame replaced, which lua_getstack counts as levels of their own. */
    int tailcalls;

    /** The current line, or -1 for a builtin. */
    abstract int currentLine();

    /** The source of the running function: the chunk name, or "=[C]" for a builtin. */
    abstract String source();

    /** A builtin's activation. */
    static final class C extends CallInfo {
        final Builtin fn;

        C(Builtin fn) {
            this.fn = fn;
        }

        @Override
        int currentLine() {
            return -1;
        }

        @Override
        String source() {
            return "=[C]";
        }
    }
}
