package dev.clusteremu.server.scripting.lua;

/**
 * A local variable as the parser resolved it: its frame slot, and whether some closure captures it (then
 * the slot holds a {@link Cell} that the closures share, created afresh each time the declaration runs).
 */
final class LocalVar {
    final String name;
    final int slot;
    boolean captured;

    LocalVar(String name, int slot) {
        this.name = name;
        this.slot = slot;
    }
}
