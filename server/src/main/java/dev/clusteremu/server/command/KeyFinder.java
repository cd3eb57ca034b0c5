package dev.clusteremu.server.command;

/**
 * Finds the key positions of a command whose keys can't be described by first/last/step (movable keys:
 * EVAL's numkeys, MIGRATE's KEYS, ...). Returns positions in argv; may return an empty array.
 */
@FunctionalInterface
public interface KeyFinder {
    int[] keyPositions(byte[][] argv);
}
