package dev.clusteremu.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real redis-server 7.0 child process: the reference every emulator behaviour is compared with.
 *
 * <p>Each node runs in its own temporary directory (nodes.conf, log) on a port from {@link FreePorts},
 * bound to 127.0.0.1, with persistence off ({@code save ""}, {@code appendonly no}) so that nothing
 * outlives the test. {@link #close()} kills the process and deletes the directory; nodes a test forgot to
 * close are killed when the JVM exits.
 */
public final class RealRedisNode implements RedisTarget {

    /** How long a node may take to answer PING, or a cluster to reach cluster_state:ok. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    /** Another process may take a port between FreePorts' bind test and redis-server's bind. */
    private static final int START_ATTEMPTS = 5;

    private static final Set<RealRedisNode> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(RealRedisNode::close)));
    }

    private final Process process;
    private final int port;
    private final boolean clusterEnabled;
    private final Path dir;

    private RealRedisNode(Process process, int port, boolean clusterEnabled, Path dir) {
        this.process = process;
        this.port = port;
        this.clusterEnabled = clusterEnabled;
        this.dir = dir;
    }

    /** A builder for a node with cluster-enabled yes and Redis's default cluster-node-timeout (15000 ms). */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a cluster-enabled node that knows only itself and owns no slots. */
    public static RealRedisNode startClusterNode() {
        return builder().start();
    }

    /** Starts a node with cluster-enabled no (a plain standalone server with 16 databases). */
    public static RealRedisNode startStandalone() {
        return builder().clusterEnabled(false).start();
    }

    /**
     * Starts a one-node cluster: a master that owns all 16384 slots, returned once CLUSTER INFO reports
     * cluster_state:ok. A master reports ok only 2 s after its first cluster state update
     * (CLUSTER_WRITABLE_DELAY in cluster.c: a rebooted master gives the cluster a chance to reconfigure it
     * before it accepts writes).
     */
    public static RealRedisNode singleMasterCluster() {
        RealRedisNode node = startClusterNode();
        try (RespClient client = RespClient.connect(node)) {
            Reply added = client.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            if (!added.equals(Reply.status("OK"))) {
                throw new IllegalStateException("CLUSTER ADDSLOTSRANGE 0 16383 answered " + added);
            }
            long deadline = System.nanoTime() + START_DEADLINE.toNanos();
            while (!client.call("CLUSTER", "INFO").asString().contains("cluster_state:ok\r\n")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(node + " did not reach cluster_state:ok within " + START_DEADLINE);
                }
                sleep(50);
            }
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
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

    /** The cluster bus port, client port + 10000; meaningful only when cluster mode is enabled. */
    public int busPort() {
        return port + FreePorts.BUS_PORT_OFFSET;
    }

    /** Whether the node runs with cluster-enabled yes. */
    public boolean isClusterEnabled() {
        return clusterEnabled;
    }

    /** The node's working directory (nodes-&lt;port&gt;.conf lives here); deleted by {@link #close()}. */
    public Path dir() {
        return dir;
    }

    /** The node's log file, handy in failure messages. */
    public Path logFile() {
        return dir.resolve("redis.log");
    }

    @Override
    public String description() {
        return "redis-server " + host() + ":" + port;
    }

    /** Kills the process (SIGTERM, then SIGKILL if it lingers), deletes its directory, frees its ports. */
    @Override
    public void close() {
        if (!RUNNING.remove(this)) {
            return;
        }
        stop(process);
        deleteRecursively(dir);
        FreePorts.release(port);
    }

    @Override
    public String toString() {
        return description();
    }

    /** Options of a node to start; each maps to one redis-server command line option. */
    public static final class Builder {

        private boolean clusterEnabled = true;
        private Duration clusterNodeTimeout = Duration.ofMillis(15000);
        private final Map<String, List<String>> config = new LinkedHashMap<>();

        private Builder() {
        }

        /** cluster-enabled yes (the default) or no. */
        public Builder clusterEnabled(boolean enabled) {
            this.clusterEnabled = enabled;
            return this;
        }

        /** cluster-node-timeout; 15000 ms unless set. */
        public Builder clusterNodeTimeout(Duration timeout) {
            this.clusterNodeTimeout = timeout;
            return this;
        }

        /** Any other redis.conf directive, e.g. {@code config("enable-debug-command", "yes")}. */
        public Builder config(String directive, String... values) {
            config.put(directive, List.of(values));
            return this;
        }

        /** Starts the node and returns once it answers PING. */
        public RealRedisNode start() {
            Path binary = RedisBinaries.assumeRedisServer();
            IllegalStateException failure = new IllegalStateException("redis-server did not start");
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                int port = FreePorts.clusterPort();
                Path dir = createTempDir();
                try {
                    return launch(binary, port, dir);
                } catch (IllegalStateException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }

        /** Runs redis-server on {@code port} in {@code dir}; on failure both are cleaned up and freed. */
        private RealRedisNode launch(Path binary, int port, Path dir) {
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--port", Integer.toString(port),
                    "--bind", "127.0.0.1",
                    "--dir", dir.toString(),
                    "--logfile", dir.resolve("redis.log").toString(),
                    "--daemonize", "no",
                    "--save", "",
                    "--appendonly", "no"));
            if (clusterEnabled) {
                command.addAll(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", Long.toString(clusterNodeTimeout.toMillis())));
            }
            config.forEach((directive, values) -> {
                command.add("--" + directive);
                command.addAll(values);
            });
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile())
                        .start();
            } catch (IOException e) {
                deleteRecursively(dir);
                FreePorts.release(port);
                throw new UncheckedIOException("cannot run " + binary, e);
            }
            RealRedisNode node = new RealRedisNode(process, port, clusterEnabled, dir);
            RUNNING.add(node);
            try {
                awaitPing(node);
                return node;
            } catch (IllegalStateException e) {
                String log = readLog(node);
                node.close();
                throw new IllegalStateException(e.getMessage() + "; its log:\n" + log, e);
            }
        }

        private static void awaitPing(RealRedisNode node) {
            long deadline = System.nanoTime() + START_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                if (!node.process.isAlive()) {
                    throw new IllegalStateException(node + " exited with status " + node.process.exitValue());
                }
                try (RespClient client = RespClient.connect(node)) {
                    // Whoever answers must be our child: another process may have bound the port first.
                    String info = client.call("INFO", "server").asString();
                    if (!info.contains("process_id:" + node.process.pid() + "\r\n")) {
                        throw new IllegalStateException(node + " is served by another process");
                    }
                    return;
                } catch (UncheckedIOException notListeningYet) {
                    sleep(20);
                }
            }
            throw new IllegalStateException(node + " did not answer PING within " + START_DEADLINE);
        }

        private static String readLog(RealRedisNode node) {
            StringBuilder log = new StringBuilder();
            for (Path file : List.of(node.logFile(), node.dir.resolve("stdout.log"))) {
                try {
                    log.append(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    log.append("(no ").append(file.getFileName()).append(")\n");
                }
            }
            return log.toString();
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("redis-node-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for redis-server", e);
            }
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
