package dev.clusteremu.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * Several cluster layers (no data side) on real loopback sockets, each on its own event loop, for tests of
 * the bus protocol: handshakes, gossip, epochs, failure detection.
 */
final class BusTestbed implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
    final List<Cluster> clusters = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();

    /** Starts a fresh node (random id, no config) on a free port pair. */
    Cluster start(long nodeTimeout) throws Exception {
        int port = freePortPair();
        ClusterSettings s = new ClusterSettings();
        s.nodeTimeout = nodeTimeout;
        s.writableDelay = 0;
        Cluster c = new Cluster(s, group.next(), new FakeDataSide(), System::currentTimeMillis, NodeLog.silent());
        c.start("127.0.0.1", port, null);
        clusters.add(c);
        ports.add(port);
        return c;
    }

    <T> T on(Cluster c, Callable<T> task) throws InterruptedException, ExecutionException {
        return c.loop.submit(task).get();
    }

    void run(Cluster c, Runnable task) throws InterruptedException, ExecutionException {
        c.loop.submit(task).get();
    }

    int port(Cluster c) {
        return ports.get(clusters.indexOf(c));
    }

    /** Polls until {@code condition} holds, failing after a generous deadline (not a timing assertion). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Stops one node (saves nothing: no config file) and closes its ports. */
    void stop(Cluster c) throws Exception {
        run(c, c::shutdown);
    }

    @Override
    public void close() throws Exception {
        for (Cluster c : clusters) {
            stop(c);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port > 55535) {
                continue;
            }
            try (ServerSocket a = new ServerSocket(port); ServerSocket b = new ServerSocket(port + 10000)) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no free port pair");
    }
}
