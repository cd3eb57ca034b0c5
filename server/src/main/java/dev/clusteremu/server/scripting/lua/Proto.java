package dev.clusteremu.server.scripting.lua;

/** A function prototype (Proto in lobject.h): the parsed body and what a call needs to set up its frame. */
final class Proto {
    /** Where an upvalue comes from when a closure is made: a local slot of the enclosing function, or one of its upvalues. */
    record UpvalDesc(String name, boolean fromLocal, int index) {
    }

    final String source;
    final int lineDefined;
    LocalVar[] params;
    /** LUA_COMPAT_VARARG: the implicit 'arg' local of a vararg function, or null. */
    LocalVar argVar;
    boolean isVararg;
    /** VARARG_NEEDSARG: the body never uses '...', so 'arg' receives the extra arguments as a table. */
    boolean needsArg;
    int maxSlots;
    UpvalDesc[] upvals;
    Stat.Block body;

    Proto(String source, int lineDefined) {
        this.source = source;
        this.lineDefined = lineDefined;
    }
}
