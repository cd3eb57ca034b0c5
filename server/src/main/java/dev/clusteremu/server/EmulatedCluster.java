package dev.clusteremu.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.cluster.config.ConfigFormatException;
import dev.clusteremu.cluster.config.NodesConf;
import dev.clusteremu.server.commands.Commands;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Several nodes in this JVM, each a full Redis Cluster node on its own ports and its own event loop
 * thread. Either bare (orphan masters, to be joined by hand with CLUSTER MEET) or bootstrapped into a
 * ready cluster the way {@code redis-cli --cluster create} lays one out.
 */
public final class EmulatedCluster implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<RedisNode> nodes;

    private EmulatedCluster(EventLoopGroup group, List<RedisNode> nodes) {
        this.group = group;
        this.nodes = nodes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<RedisNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public RedisNode node(int i) {
        return nodes.get(i);
    }

    /** Whether every running node reports cluster_state:ok. */
    public boolean allStateOk() {
        for (RedisNode n : nodes) {
            if (n.isRunning() && !n.call(() -> n.cluster().isStateOk())) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every node reports cluster_state:ok; false if it didn't happen in time. */
    public boolean awaitStateOk(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (allStateOk()) {
                return true;
            }
            Thread.sleep(5);
        }
        return allStateOk();
    }

    /** Stops every node (each saves its nodes.conf) and releases the threads. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (RedisNode n : nodes) {
            stops.add(n.stop());
        }
        for (CompletableFuture<Void> f : stops) {
            f.join();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** How to start the nodes. */
    public static final class Builder {
        private List<Integer> ports = List.of(7000, 7001, 7002, 7003, 7004, 7005);
        private int replicas = 1;
        private boolean bare;
        private Path dir;
        private long nodeTimeout = 15000;
        private String bind = "127.0.0.1";
        private String announceIp = "";
        private PrintStream logSink;
        private int logLevel = NodeLog.NOTICE;

        public Builder ports(List<Integer> p) {
            this.ports = List.copyOf(p);
            return this;
        }

        public Builder replicas(int r) {
            this.replicas = r;
            return this;
        }

        /** Orphan nodes that know nobody, as six fresh redis-server processes would be. */
        public Builder bare(boolean b) {
            this.bare = b;
            return this;
        }

        /** Where nodes-&lt;port&gt;.conf files live; null keeps configs in memory only. */
        public Builder dir(Path d) {
            this.dir = d;
            return this;
        }

        public Builder nodeTimeout(long ms) {
            this.nodeTimeout = ms;
            return this;
        }

        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        public Builder announceIp(String ip) {
            this.announceIp = ip;
            return this;
        }

        public Builder log(PrintStream sink, int level) {
            this.logSink = sink;
            this.logLevel = level;
            return this;
        }

        /**
         * Starts every node. Nodes that find their nodes.conf in {@link #dir} load it; the others, unless
         * bare, start from the bootstrap layout, with no writable delay since there is nothing to catch
         * up with.
         */
        public EmulatedCluster start() throws IOException, ConfigFormatException, InterruptedException {
            List<NodesConf> layout = bare ? null : ClusterBootstrap.configs(ports, randomIds(ports.size()),
                    announceIp.isEmpty() ? reachableIp(bind) : announceIp, replicas);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(ports.size(),
                    new DefaultThreadFactory("clusteremu-node", true), NioIoHandler.newFactory());
            List<RedisNode> started = new ArrayList<>();
            try {
                for (int i = 0; i < ports.size(); i++) {
                    int port = ports.get(i);
                    NodeOptions options = new NodeOptions(port, bind, dir, announceIp, nodeTimeout, logSink, logLevel);
                    RedisNode node = new RedisNode(options, group.next(), Commands.table(), System::currentTimeMillis);
                    boolean hasConfig = dir != null && Files.exists(dir.resolve(node.config().clusterConfigFile));
                    if (layout != null && !hasConfig) {
                        node.config().cluster.writableDelay = 0;
                    }
                    node.start(layout == null ? null : layout.get(i));
                    started.add(node);
                }
            } catch (IOException | ConfigFormatException | InterruptedException | RuntimeException e) {
                new EmulatedCluster(group, started).close();
                throw e;
            }
            return new EmulatedCluster(group, started);
        }

        private static List<String> randomIds(int n) {
            List<String> ids = new ArrayList<>();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < 40; c++) {
                    sb.append(Character.forDigit(r.nextInt(16), 16));
                }
                ids.add(sb.toString());
            }
            return ids;
        }

        /** The address peers use when nodes bind a wildcard: loopback, since all nodes are in this JVM. */
        private static String reachableIp(String bind) {
            return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        }
    }
}
