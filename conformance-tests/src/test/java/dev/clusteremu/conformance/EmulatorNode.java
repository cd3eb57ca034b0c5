package dev.clusteremu.conformance;

import java.time.Duration;
import java.util.List;

import dev.clusteremu.server.EmulatedCluster;

/** Emulated nodes started in this JVM on free port pairs, as differential and black-box targets. */
public final class EmulatorNode implements RedisTarget {
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    private final EmulatedCluster cluster;
    private final int port;
    private boolean closed;

    private EmulatorNode(EmulatedCluster cluster, int port) {
        this.cluster = cluster;
        this.port = port;
    }

    /** One emulated node owning all 16384 slots with cluster_state:ok, built as by hand: ADDSLOTSRANGE. */
    public static EmulatorNode singleMasterCluster() {
        int port = FreePorts.clusterPort();
        EmulatedCluster cluster;
        try {
            cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).start();
        } catch (Exception e) {
            FreePorts.release(port);
            throw new IllegalStateException("emulator did not start on port " + port, e);
        }
        EmulatorNode node = new EmulatorNode(cluster, port);
        try (RespClient client = RespClient.connect(node)) {
            Reply added = client.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            if (!added.equals(Reply.status("OK"))) {
                throw new IllegalStateException("CLUSTER ADDSLOTSRANGE 0 16383 answered " + added);
            }
            long deadline = System.nanoTime() + START_DEADLINE.toNanos();
            while (!client.call("CLUSTER", "INFO").asString().contains("cluster_state:ok\r\n")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(node.description() + " did not reach cluster_state:ok");
                }
                Thread.sleep(20);
            }
            return node;
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String description() {
        return "emulator 127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            cluster.close();
            FreePorts.release(port);
        }
    }
}
