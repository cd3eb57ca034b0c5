package dev.clusteremu.server.scripting.lua;

/** A local variable captured by a closure (an upvalue): the box the function and its closures share. */
final class Cell {
    Object v;

    Cell(Object v) {
        this.v = v;
    }
}
