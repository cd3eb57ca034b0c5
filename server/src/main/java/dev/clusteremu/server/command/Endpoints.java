package dev.clusteremu.server.command;

import dev.clusteremu.cluster.ClusterNode;
import dev.clusteremu.server.ServerConfig;

/**
 * How a node is named to clients (getPreferredEndpoint), after cluster-preferred-endpoint-type: its ip,
 * its announced hostname ("?" when it has none), or nothing ("unknown-endpoint": clients use the address
 * they already talk to). MOVED, ASK, CLUSTER SLOTS and CLUSTER SHARDS all name nodes this way.
 */
public final class Endpoints {
    public static final String IP = "ip";
    public static final String HOSTNAME = "hostname";
    public static final String UNKNOWN = "unknown-endpoint";

    private Endpoints() {
    }

    public static String preferred(ServerConfig config, ClusterNode node) {
        return switch (config.clusterPreferredEndpointType) {
            case HOSTNAME -> node.hostname().isEmpty() ? "?" : node.hostname();
            case UNKNOWN -> "";
            default -> node.ip();
        };
    }
}
