package dev.clusteremu.server.commands;

import java.util.List;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * A ready three-master cluster in this JVM for command tests, on free ports of 7400-7439 (this family's
 * range; the bus ports, +10000, must be free too). Keys tagged {@link #TAG} live on the first node.
 */
final class TestCluster implements AutoCloseable {
    /** "{b}" hashes to slot 3300, which the first of three masters owns (0-5460). */
    static final String TAG = "{b}";
    static final int TAG_SLOT = KeySlot.of(TAG.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    private static final int FIRST_PORT = 7400;
    private static final int LAST_PORT = 7439;

    private final EmulatedCluster cluster;

    private TestCluster(EmulatedCluster cluster) {
        this.cluster = cluster;
    }

    static TestCluster start() throws Exception {
        EmulatedCluster c = EmulatedCluster.builder().ports(freePorts(3)).replicas(0).start();
        if (!c.awaitStateOk(30_000)) {
            c.close();
            throw new IllegalStateException("cluster did not reach state ok");
        }
        return new TestCluster(c);
    }

    /** The client port of the node owning {@link #TAG}'s slot. */
    int port() {
        return cluster.node(0).port();
    }

    /** The client port of the node owning slot 16383. */
    int lastPort() {
        return cluster.node(2).port();
    }

    EmulatedCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.close();
    }

    /** Ports p of this family's range whose client and bus ports (p, p + 10000) are both free. */
    static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }
}
