package dev.clusteremu.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.clusteremu.server.EmulatedCluster;

/**
 * Emulated nodes in this JVM on free port pairs, with their nodes-&lt;port&gt;.conf in a temp dir that
 * outlives a restart: the emulator as six redis-server processes would be for a walkthrough.
 */
public final class EmulatedNodes implements AutoCloseable {
    private final int[] ports;
    private final Path dir;
    private final boolean bare;
    private final int replicas;
    private final long nodeTimeout;
    private EmulatedCluster cluster;

    private EmulatedNodes(int n, boolean bare, int replicas, long nodeTimeout) {
        this.ports = FreePorts.clusterPorts(n);
        this.bare = bare;
        this.replicas = replicas;
        this.nodeTimeout = nodeTimeout;
        try {
            this.dir = Files.createTempDirectory("clusteremu-nodes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** {@code n} orphan masters that know nobody. */
    public static EmulatedNodes bare(int n) {
        return new EmulatedNodes(n, true, 0, 15000);
    }

    /** {@code n} orphan masters with the given cluster-node-timeout. */
    public static EmulatedNodes bare(int n, long nodeTimeout) {
        return new EmulatedNodes(n, true, 0, nodeTimeout);
    }

    /** A ready cluster as {@code redis-cli --cluster create --cluster-replicas R} would build on n nodes. */
    public static EmulatedNodes ready(int n, int replicas) {
        return new EmulatedNodes(n, false, replicas, 15000);
    }

    /** A ready cluster with the given cluster-node-timeout, for failure and failover tests. */
    public static EmulatedNodes ready(int n, int replicas, long nodeTimeout) {
        return new EmulatedNodes(n, false, replicas, nodeTimeout);
    }

    /** (Re)starts every node from its nodes.conf in {@link #dir()} if it has one. */
    public void start() {
        List<Integer> list = new ArrayList<>();
        for (int p : ports) {
            list.add(p);
        }
        try {
            cluster = EmulatedCluster.builder().ports(list).bare(bare).replicas(replicas).dir(dir)
                    .nodeTimeout(nodeTimeout).enableDebugCommand("local").start();
        } catch (Exception e) {
            throw new IllegalStateException("emulator did not start on ports " + list, e);
        }
    }

    /** Stops every node (each saves its nodes.conf); {@link #start()} brings them back. */
    public void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Stops node i alone (it saves its nodes.conf), as killing one redis-server would. */
    public void stopNode(int i) {
        cluster.stopNode(i);
    }

    /** Starts node i again from its nodes.conf, as restarting that redis-server would. */
    public void startNode(int i) {
        try {
            cluster.startNode(i);
        } catch (Exception e) {
            throw new IllegalStateException("node " + i + " did not restart", e);
        }
    }

    /** Cuts bus and replication traffic between two groups of nodes (by index) until {@link #heal()}. */
    public void partition(List<Integer> sideA, List<Integer> sideB) {
        cluster.partition(sideA, sideB);
    }

    public void heal() {
        cluster.heal();
    }

    /** The CLUSTER NODES line node {@code viewer} has about node {@code subject}. */
    public String nodesLine(int viewer, String subjectId) {
        return call(viewer, "CLUSTER", "NODES").asString().lines().filter(l -> l.startsWith(subjectId + " "))
                .findFirst().orElse("");
    }

    public int port(int i) {
        return ports[i];
    }

    public int size() {
        return ports.length;
    }

    public Path dir() {
        return dir;
    }

    public RespClient client(int i) {
        return RespClient.connect("127.0.0.1", ports[i]);
    }

    /** Sends one command to node i on a fresh connection. */
    public Reply call(int i, String... argv) {
        try (RespClient c = client(i)) {
            return c.call(argv);
        }
    }

    public String myId(int i) {
        return call(i, "CLUSTER", "MYID").asString();
    }

    /** The value of one field of node i's CLUSTER INFO. */
    public String clusterInfo(int i, String field) {
        for (String line : call(i, "CLUSTER", "INFO").asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new IllegalStateException("no " + field + " in CLUSTER INFO of node " + i);
    }

    /** Waits (generous deadline) until every node's CLUSTER INFO field has the value. */
    public void awaitEveryNode(String field, String value) {
        Wait.until(field + ":" + value + " on every node", () -> {
            for (int i = 0; i < ports.length; i++) {
                if (!clusterInfo(i, field).equals(value)) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Waits (generous deadline) until every replica reports master_link_status:up. A replica syncs a moment
     * after the cluster is ok, and one that never synced won't fail over: the age of its data is unknown
     * (cluster-replica-validity-factor), as on redis-server.
     */
    public void awaitReplicasSynced() {
        Wait.until("master_link_status:up on every replica", () -> {
            for (int i = 0; i < ports.length; i++) {
                String replication = call(i, "INFO", "replication").asString();
                if (replication.contains("\r\nrole:slave\r\n")
                        && !replication.contains("\r\nmaster_link_status:up\r\n")) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        stop();
        for (int p : ports) {
            FreePorts.release(p);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
