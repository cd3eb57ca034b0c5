package dev.clusteremu.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.cluster.NetworkFaults;
import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.cluster.config.ConfigFormatException;
import dev.clusteremu.cluster.config.NodesConf;
import dev.clusteremu.server.commands.Commands;
import dev.clusteremu.server.config.ConfigTable;
import io.netty.channel.EventLoop;
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
    private final Builder settings;
    private final EventLoop[] loops;
    private final RedisNode[] nodes;
    private final EmulatedNode[] handles;
    /** The config each node had when it last stopped, to restart it when configs live in memory only. */
    private final NodesConf[] lastConfigs;
    private final NetworkFaults faults = new NetworkFaults();
    /** Ports this cluster picked itself, released to the JVM's pool when it closes. */
    private List<Integer> reservedPorts = List.of();

    private EmulatedCluster(EventLoopGroup group, Builder settings) {
        this.group = group;
        this.settings = settings;
        int n = settings.ports.size();
        this.loops = new EventLoop[n];
        this.nodes = new RedisNode[n];
        this.handles = new EmulatedNode[n];
        this.lastConfigs = new NodesConf[n];
        for (int i = 0; i < n; i++) {
            loops[i] = group.next();
            handles[i] = new EmulatedNode(this, i);
        }
    }

    /**
     * Loads now what all nodes share, the command and config tables (a few thousand classes on a cold
     * JVM), unless already loaded. Never needed: a launcher may call it on a second thread while it reads
     * its arguments, so that its nodes start sooner.
     */
    public static void preload() {
        Commands.table();
        ConfigTable.standard();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The current instance of every node, stopped ones included. */
    public List<RedisNode> nodes() {
        List<RedisNode> list = new ArrayList<>();
        for (RedisNode n : nodes) {
            if (n != null) {
                list.add(n);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** Node i, across its restarts: its port, id and role, and the faults to inject into it. */
    public EmulatedNode node(int i) {
        return handles[i];
    }

    /** The running instance of node i (replaced by each restart), for white-box tests. */
    public RedisNode server(int i) {
        return nodes[i];
    }

    /** Every node, in port order. */
    public List<EmulatedNode> nodeHandles() {
        return List.of(handles);
    }

    /** The nodes' addresses, to give a cluster client as its seeds. */
    public List<InetSocketAddress> seeds() {
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int p : settings.ports) {
            seeds.add(new InetSocketAddress(hostOf(), p));
        }
        return seeds;
    }

    /**
     * Empties every running node's keyspace at once (masters and replicas alike, so they stay equal):
     * what tests do between cases.
     */
    public void flushAll() {
        for (RedisNode n : nodes) {
            if (n != null && n.isRunning()) {
                n.call(() -> {
                    n.keyspace().clear();
                    return null;
                });
            }
        }
    }

    /** Waits until every running node reports cluster_state:ok; fails after 60 s. */
    public void awaitStateOk() throws InterruptedException {
        if (!awaitStateOk(60_000)) {
            throw new IllegalStateException("cluster_state did not become ok on every node within 60 s");
        }
    }

    int portOf(int i) {
        return settings.ports.get(i);
    }

    String hostOf() {
        return settings.announceIp.isEmpty() ? Builder.reachableIp(settings.bind) : settings.announceIp;
    }

    /** Stops node i (it saves its nodes.conf, as on SIGTERM) and waits until its ports are closed. */
    public void stopNode(int i) {
        RedisNode node = nodes[i];
        if (node != null && node.isRunning()) {
            lastConfigs[i] = node.call(() -> node.cluster().toNodesConf());
            node.stop().join();
            awaitPortsReleased(node);
        }
    }

    /**
     * Waits until a stopped node's client and bus ports can be bound again, so that "stopped" means its
     * ports are closed and a restart finds them free, however it stopped (stopNode or its own SHUTDOWN).
     */
    private void awaitPortsReleased(RedisNode node) {
        try {
            for (int port : new int[] {node.config().port, node.cluster().busPort()}) {
                if (!FreePortPairs.awaitBindable(settings.bind, port, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("port " + port + " still bound 10 s after its node stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts node i again on the same ports and event loop, from its nodes.conf (or, without a dir, from the
     * config it had when it stopped): the same id, epochs, slots and peers, as a restarted redis-server.
     * Like Redis, a restarted master waits the writable delay before it reports cluster_state:ok.
     */
    public RedisNode startNode(int i) throws IOException, ConfigFormatException, InterruptedException {
        if (nodes[i] != null && nodes[i].isRunning()) {
            throw new IllegalStateException("node " + i + " is running");
        }
        if (nodes[i] != null) {
            awaitPortsReleased(nodes[i]);
        }
        RedisNode node = newNode(i);
        node.start(lastConfigs[i]);
        nodes[i] = node;
        return node;
    }

    /**
     * Cuts the network between two groups of nodes (by index): their bus and replication traffic is lost on
     * the wire, in both directions, until {@link #heal()}. Within each group, traffic flows.
     */
    public void partition(java.util.Collection<Integer> sideA, java.util.Collection<Integer> sideB) {
        for (int a : sideA) {
            for (int b : sideB) {
                faults.partition(settings.ports.get(a), settings.ports.get(b));
            }
        }
    }

    /** Ends every partition. */
    public void heal() {
        faults.healAll();
    }

    /**
     * Hangs node i for {@code millis}, as DEBUG SLEEP does: its thread sleeps, so it answers nothing (clients,
     * bus, cron) until it wakes, then carries on with what queued up meanwhile.
     */
    public void pause(int i, long millis) {
        loops[i].execute(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Completes when every node has stopped, however (SHUTDOWN on each, or {@link #close}). */
    public CompletableFuture<Void> allStopped() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RedisNode n : nodes) {
            if (n != null) {
                all.add(n.terminated());
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    private RedisNode newNode(int i) {
        Builder b = settings;
        NodeOptions options = new NodeOptions(b.ports.get(i), b.bind, b.dir, b.announceIp, b.nodeTimeout, b.logSink,
                b.logLevel, faults);
        RedisNode node = new RedisNode(options, loops[i], Commands.table(), System::currentTimeMillis);
        // The nodes share one directory, as their nodes-<port>.conf files do: each gets its own dump file
        // and append only directory, named as utils/create-cluster names them, unless told otherwise.
        if (b.dir != null) {
            Map<String, String> perNode = Map.of("dbfilename", "dump-" + options.port() + ".rdb",
                    "appendfilename", "appendonly-" + options.port() + ".aof",
                    "appenddirname", "appendonlydir-" + options.port());
            perNode.forEach((name, value) -> {
                if (!b.config.containsKey(name)) {
                    ConfigTable.standard().applyAtStart(node, name, value);
                }
            });
        }
        b.config.forEach((name, value) -> ConfigTable.standard().applyAtStart(node, name, value));
        return node;
    }

    private boolean hasConfigFile(RedisNode node) {
        return settings.dir != null && Files.exists(settings.dir.resolve(node.config().clusterConfigFile));
    }

    /** Whether every running node reports cluster_state:ok. */
    public boolean allStateOk() {
        for (RedisNode n : nodes) {
            if (n != null && n.isRunning() && !n.call(() -> n.cluster().isStateOk())) {
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
            if (n != null) {
                stops.add(n.stop());
            }
        }
        for (CompletableFuture<Void> f : stops) {
            f.join();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        FreePortPairs.release(reservedPorts);
    }

    /** How to start the nodes. */
    public static final class Builder {
        /** Fixed client ports, or null to pick free port pairs at start. */
        private List<Integer> ports;
        private int masters = 3;
        private int replicas = 1;
        private boolean bare;
        private Path dir;
        private long nodeTimeout = 15000;
        private String bind = "127.0.0.1";
        private String announceIp = "";
        private PrintStream logSink;
        private int logLevel = NodeLog.NOTICE;
        private Map<String, String> config = new LinkedHashMap<>();

        public Builder ports(List<Integer> p) {
            this.ports = List.copyOf(p);
            return this;
        }

        /**
         * The number of masters when ports are picked automatically (the default: 3): the cluster then has
         * masters * (replicas + 1) nodes on free port pairs.
         */
        public Builder masters(int m) {
            this.masters = m;
            return this;
        }

        /** Replicas per master (default 1): the same as {@link #replicas(int)}. */
        public Builder replicasPerMaster(int r) {
            return replicas(r);
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

        /**
         * A redis.conf directive for every node, applied at start as redis-server's {@code --name value}
         * (immutable ones included), e.g. {@code config("cluster-require-full-coverage", "no")}. An unknown
         * name or bad value fails {@link #start()} with Redis's reason.
         */
        public Builder config(String name, String value) {
            this.config.put(name, value);
            return this;
        }

        /** Several directives, see {@link #config(String, String)}. */
        public Builder configs(Map<String, String> directives) {
            this.config.putAll(directives);
            return this;
        }

        /**
         * enable-debug-command: "no" (Redis's default), "yes", or "local" (loopback clients only). DEBUG SLEEP,
         * which hangs one node, needs it.
         */
        public Builder enableDebugCommand(String value) {
            return config("enable-debug-command", value);
        }

        public Builder log(PrintStream sink, int level) {
            this.logSink = sink;
            this.logLevel = level;
            return this;
        }

        /**
         * Starts every node. Nodes that find their nodes.conf in {@link #dir} load it; the others, unless
         * bare, start from the bootstrap layout, with no writable delay since there is nothing to catch
         * up with, and then this returns once every node reports cluster_state:ok. Without fixed ports,
         * free port pairs are picked (and picked again if another process wins one meanwhile).
         */
        public EmulatedCluster start() throws IOException, ConfigFormatException, InterruptedException {
            if (ports != null) {
                return startOn(ports);
            }
            // Free ports were free a moment ago; another process may still win one. Try again on others.
            IOException lastBindFailure = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                List<Integer> picked = FreePortPairs.reserve(masters * (replicas + 1), bind);
                try {
                    EmulatedCluster cluster = startOn(picked);
                    cluster.reservedPorts = picked;
                    return cluster;
                } catch (java.net.BindException e) {
                    FreePortPairs.release(picked);
                    lastBindFailure = e;
                } catch (IOException | ConfigFormatException | InterruptedException | RuntimeException e) {
                    FreePortPairs.release(picked);
                    throw e;
                }
            }
            throw lastBindFailure;
        }

        private EmulatedCluster startOn(List<Integer> nodePorts)
                throws IOException, ConfigFormatException, InterruptedException {
            Builder settings = this.copy();
            settings.ports = List.copyOf(nodePorts);
            List<NodesConf> layout = bare ? null : ClusterBootstrap.configs(settings.ports, randomIds(nodePorts.size()),
                    announceIp.isEmpty() ? reachableIp(bind) : announceIp, replicas);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(nodePorts.size(),
                    new DefaultThreadFactory("clusteremu-node", true), NioIoHandler.newFactory());
            EmulatedCluster cluster = new EmulatedCluster(group, settings);
            boolean bootstrapped = false;
            try {
                for (int i = 0; i < nodePorts.size(); i++) {
                    RedisNode node = cluster.newNode(i);
                    if (layout != null && !cluster.hasConfigFile(node)) {
                        node.config().cluster.writableDelay = 0;
                        bootstrapped = true;
                    }
                    node.start(layout == null ? null : layout.get(i));
                    cluster.nodes[i] = node;
                }
                if (bootstrapped) {
                    // A new cluster is ready when every node says so; clients can then route from any node.
                    cluster.awaitStateOk();
                }
            } catch (IOException | ConfigFormatException | InterruptedException | RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }

        private Builder copy() {
            Builder b = new Builder();
            b.ports = ports;
            b.masters = masters;
            b.replicas = replicas;
            b.bare = bare;
            b.dir = dir;
            b.nodeTimeout = nodeTimeout;
            b.bind = bind;
            b.announceIp = announceIp;
            b.logSink = logSink;
            b.logLevel = logLevel;
            b.config = new LinkedHashMap<>(config);
            return b;
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
        static String reachableIp(String bind) {
            return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        }
    }
}
