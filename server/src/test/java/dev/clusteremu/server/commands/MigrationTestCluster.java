package dev.clusteremu.server.commands;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.EmulatedCluster;

/**
 * A ready three-master cluster in this JVM for the migration command tests, on free ports of 7700-7739
 * (this family's range; the bus ports, +10000, must be free too). Master i owns the i-th third of the
 * slots: {a} (slot 15495) lives on node 2, {b} (3300) on node 0, {c} (7365) on node 1.
 */
final class MigrationTestCluster implements AutoCloseable {
    private static final int FIRST_PORT = 7700;
    private static final int LAST_PORT = 7739;

    private final EmulatedCluster cluster;

    private MigrationTestCluster(EmulatedCluster cluster) {
        this.cluster = cluster;
    }

    static MigrationTestCluster start() throws Exception {
        EmulatedCluster c = EmulatedCluster.builder().ports(freePorts(3)).replicas(0).start();
        if (!c.awaitStateOk(30_000)) {
            c.close();
            throw new IllegalStateException("cluster did not reach state ok");
        }
        return new MigrationTestCluster(c);
    }

    int port(int i) {
        return cluster.node(i).port();
    }

    String id(int i) {
        return cluster.node(i).id();
    }

    EmulatedCluster cluster() {
        return cluster;
    }

    /** Empties every node's keyspace. */
    void reset() {
        for (int i = 0; i < 3; i++) {
            try (RespClient c = new RespClient(port(i))) {
                c.call("FLUSHALL");
            }
        }
    }

    @Override
    public void close() {
        cluster.close();
    }

    private static List<Integer> freePorts(int n) {
        List<Integer> ports = new ArrayList<>();
        for (int p = FIRST_PORT; p <= LAST_PORT && ports.size() < n; p++) {
            if (isFree(p) && isFree(p + 10000)) {
                ports.add(p);
            }
        }
        if (ports.size() < n) {
            throw new IllegalStateException("no " + n + " free ports in " + FIRST_PORT + "-" + LAST_PORT);
        }
        return ports;
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
