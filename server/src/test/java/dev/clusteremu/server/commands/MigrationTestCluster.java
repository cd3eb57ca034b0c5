package dev.clusteremu.server.commands;

import java.util.List;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

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
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }
}
