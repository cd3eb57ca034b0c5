package dev.clusteremu.server.scripting.lua;

/**
 * luaL_argerror before it knows the function's name: argument {@code narg} is bad because of
 * {@code message}. The caller, which knows how the function was named at the call site, renders it.
 */
public final class ArgError extends RuntimeException {
    private final int narg;

    public ArgError(int narg, String message) {
        super(message, null, false, false);
        this.narg = narg;
    }

    public int narg() {
        return narg;
    }
}
