package dev.clusteremu.server;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One node of an {@link EmulatedCluster}, across its restarts: stop it, start it again from its
 * nodes.conf, restart it, or hang it for a while — the faults a test injects.
 */
public final class EmulatedNode {
    private final EmulatedCluster cluster;
    private final int index;

    EmulatedNode(EmulatedCluster cluster, int index) {
        this.cluster = cluster;
        this.index = index;
    }

    /** The node's position in the cluster's port list. */
    public int index() {
        return index;
    }

    public int port() {
        return cluster.portOf(index);
    }

    /** The address clients connect to. */
    public InetSocketAddress address() {
        return new InetSocketAddress(cluster.hostOf(), port());
    }

    /** The node id (CLUSTER MYID); it survives restarts, as it does in nodes.conf. */
    public String id() {
        RedisNode n = server();
        return n.call(() -> n.cluster().myself().name());
    }

    /** Whether the node is currently a master (it may have become one by failover, or a replica). */
    public boolean isMaster() {
        RedisNode n = server();
        return n.call(() -> n.cluster().myself().isMaster());
    }

    public boolean isRunning() {
        return server().isRunning();
    }

    /** Stops the node (it saves its nodes.conf), as killing its redis-server would; the others go on. */
    public void stop() {
        cluster.stopNode(index);
    }

    /** Starts the stopped node again on its ports, with the id, epochs, slots and peers it had. */
    public void start() {
        try {
            cluster.startNode(index);
        } catch (Exception e) {
            throw new IllegalStateException("node " + index + " did not start", e);
        }
    }

    public void restart() {
        stop();
        start();
    }

    /** Hangs the node for {@code duration}, as DEBUG SLEEP: no replies, no heartbeats, then it carries on. */
    public void pause(Duration duration) {
        cluster.pause(index, duration.toMillis());
    }

    /** The running instance behind this node, for white-box tests (replaced by each restart). */
    public RedisNode server() {
        return cluster.server(index);
    }

    @Override
    public String toString() {
        return "node " + index + " on port " + port();
    }
}
