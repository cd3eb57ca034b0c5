package dev.clusteremu.cluster;

/**
 * A CLUSTER subcommand refused, with Redis's message (without the "ERR " prefix that the client port adds).
 * Thrown before anything changed: a refused command has no effect.
 */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message, null, false, false);
    }
}
