package dev.clusteremu.cluster.config;

/**
 * A nodes.conf file or CLUSTER NODES line that Redis 7.0 would refuse ("Unrecoverable error: corrupted
 * cluster config file."). The message says which field is wrong and, for a whole file, on which line.
 *
 * <p>Checked on purpose: the text comes from outside the program (a file on disk, a peer's reply), so a
 * bad one is an expected condition rather than a bug, and whoever reads it must decide what to do. Redis
 * refuses to start; a tool reading CLUSTER NODES may report and carry on. The compiler makes sure nobody
 * forgets to decide.
 */
public final class ConfigFormatException extends Exception {

    public ConfigFormatException(String message) {
        super(message);
    }
}
