package dev.clusteremu.server;

import java.io.PrintStream;
import java.nio.file.Path;

import dev.clusteremu.cluster.NetworkFaults;
import dev.clusteremu.cluster.NodeLog;

/**
 * How to start one node.
 *
 * @param port         client port; the bus listens on port + 10000
 * @param bind         address both ports bind to
 * @param dir          directory of nodes-&lt;port&gt;.conf; null keeps the cluster config in memory only
 * @param announceIp   cluster-announce-ip, or "" to let peers see the socket address
 * @param nodeTimeout  cluster-node-timeout in ms
 * @param logSink      where the node logs in redis-server's format; null for no log
 * @param logLevel     a NodeLog level
 * @param faults       injected network partitions this node's traffic passes through
 */
public record NodeOptions(int port, String bind, Path dir, String announceIp, long nodeTimeout, PrintStream logSink,
        int logLevel, NetworkFaults faults) {

    public static NodeOptions of(int port) {
        return new NodeOptions(port, "127.0.0.1", null, "", 15000, null, NodeLog.NOTICE, NetworkFaults.NONE);
    }

    public NodeOptions withDir(Path newDir) {
        return new NodeOptions(port, bind, newDir, announceIp, nodeTimeout, logSink, logLevel, faults);
    }

    public NodeOptions withBind(String newBind) {
        return new NodeOptions(port, newBind, dir, announceIp, nodeTimeout, logSink, logLevel, faults);
    }

    public NodeOptions withAnnounceIp(String ip) {
        return new NodeOptions(port, bind, dir, ip, nodeTimeout, logSink, logLevel, faults);
    }

    public NodeOptions withNodeTimeout(long ms) {
        return new NodeOptions(port, bind, dir, announceIp, ms, logSink, logLevel, faults);
    }

    public NodeOptions withLog(PrintStream sink, int level) {
        return new NodeOptions(port, bind, dir, announceIp, nodeTimeout, sink, level, faults);
    }
}
