package dev.clusteremu.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.cluster.config.ConfigFormatException;
import dev.clusteremu.server.ClusterBootstrap;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Starts Redis Cluster nodes in this JVM and keeps them running until SIGINT or SIGTERM: by default a
 * ready cluster laid out as {@code redis-cli --cluster create --cluster-replicas N} lays one out, with
 * {@code --bare} orphan nodes to join by hand. Prints exactly one line on stdout when the nodes are ready;
 * the nodes' logs follow it (or go to {@code --logfile}).
 */
@Command(name = "emu", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts Redis 7.0 Cluster nodes in one JVM: each node has its client port (RESP2/RESP3) "
                + "and its cluster bus on port+10000, and keeps its nodes-<port>.conf, as redis-server does.",
            "Stops every node, after it saved its nodes-<port>.conf, on Ctrl-C (SIGINT) or SIGTERM."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT or SIGTERM, or every node stopped by SHUTDOWN (or --help, --version)",
            "1:could not start: a port in use, a bad --dir or --logfile, a corrupt file",
            "2:bad usage: an unknown option, a bad value, too few nodes for --replicas"},
        footerHeading = "%nExamples:%n",
        footer = {"  emu --ports 7000-7005                 a ready cluster: 3 masters, 3 replicas",
            "  emu --ports 7000-7008 --replicas 2    3 masters with 2 replicas each",
            "  emu --ports 7000-7005 --bare          6 orphan nodes to join with CLUSTER MEET"})
public final class LaunchCommand implements Callable<Integer> {
    /** How long nodes get to agree on cluster_state:ok. Far more than they need: a fresh cluster agrees
     *  within a second, a restarted one after Redis's 2 s writable delay. */
    static final long READY_TIMEOUT_MS = 30_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--ports", defaultValue = "7000-7005", converter = PortList.Converter.class, paramLabel = "PORTS",
            description = {"Client ports: a range (7000-7005), a comma list (7000,7001,7002) or a mix "
                    + "(7000-7002,7005). Each node's cluster bus uses port+10000, so ports go up to "
                    + PortList.MAX_PORT + ".", "Default: ${DEFAULT-VALUE}."})
    PortList ports;

    @Option(names = "--replicas", defaultValue = "1", paramLabel = "N",
            description = {"Replicas per master, as redis-cli --cluster create --cluster-replicas N: the first "
                    + "ports/(N+1) ports become masters, with at least 3 masters. Ignored with --bare.",
                "Default: ${DEFAULT-VALUE}."})
    int replicas;

    @Option(names = "--bare",
            description = "Start orphan nodes that know nobody, to join by hand with CLUSTER MEET, CLUSTER ADDSLOTS "
                    + "and CLUSTER REPLICATE, as six fresh redis-server processes would be.")
    boolean bare;

    @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR",
            description = {"Directory of the nodes-<port>.conf files, created if missing. A node that finds its "
                    + "file loads it (its id, epochs, slots and peers) and is not bootstrapped again.",
                "Default: the current directory."})
    Path dir;

    @Option(names = "--cluster-node-timeout", defaultValue = "15000", paramLabel = "MS",
            description = {"cluster-node-timeout: how long a node may be unreachable before it is flagged as failing.",
                "Default: ${DEFAULT-VALUE}."})
    long nodeTimeout;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = {"Address the client and bus ports listen on.", "Default: ${DEFAULT-VALUE}."})
    String bind;

    @Option(names = "--announce-ip", defaultValue = "", paramLabel = "IP",
            description = {"cluster-announce-ip: the address the nodes give their peers, so that nodes in several "
                    + "JVMs or hosts can form one cluster.", "Default: none (peers use the address they see)."})
    String announceIp;

    @Option(names = "--loglevel", defaultValue = "notice", converter = LogLevelConverter.class, paramLabel = "LEVEL",
            description = {"debug, verbose, notice or warning, as redis-server's loglevel. notice (Redis's "
                    + "default) logs start-up and cluster events: handshakes, failures, failovers, state changes.",
                "Default: notice."})
    int logLevel;

    @Option(names = "--enable-debug-command", paramLabel = "no|yes|local", defaultValue = "no",
            description = "Redis's enable-debug-command: allow DEBUG (e.g. DEBUG SLEEP, which hangs one node) for "
                    + "everyone (yes), for loopback clients (local), or nobody (no, Redis's default).")
    String enableDebugCommand;

    @Option(names = "--cluster-require-full-coverage", paramLabel = "yes|no",
            description = "Redis's cluster-require-full-coverage (default yes).")
    String requireFullCoverage;

    @Option(names = "--cluster-allow-reads-when-down", paramLabel = "yes|no",
            description = "Redis's cluster-allow-reads-when-down (default no).")
    String allowReadsWhenDown;

    @Option(names = "--cluster-replica-no-failover", paramLabel = "yes|no",
            description = "Redis's cluster-replica-no-failover (default no).")
    String replicaNoFailover;

    @Option(names = "--cluster-replica-validity-factor", paramLabel = "N",
            description = "Redis's cluster-replica-validity-factor (default 10).")
    String replicaValidityFactor;

    @Option(names = "--cluster-migration-barrier", paramLabel = "N",
            description = "Redis's cluster-migration-barrier (default 1).")
    String migrationBarrier;

    @Option(names = "--cluster-allow-replica-migration", paramLabel = "yes|no",
            description = "Redis's cluster-allow-replica-migration (default yes).")
    String allowReplicaMigration;

    @Option(names = "--config", paramLabel = "NAME=VALUE",
            description = "Any redis.conf directive for every node, as redis-server's --NAME VALUE "
                    + "(repeatable), e.g. --config maxmemory=100mb.")
    List<String> configs = new ArrayList<>();

    @Option(names = "--logfile", paramLabel = "FILE",
            description = {"Append the node logs to FILE. Default: stdout, after the ready line."})
    Path logFile;

    private final CountDownLatch stopRequest = new CountDownLatch(1);

    /**
     * Starts the nodes, prints the ready line, and serves until {@link #stop} (SIGINT, SIGTERM, or a
     * test). Returns 0 after a clean stop, 1 when the nodes could not start; usage errors throw.
     */
    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int restarted = countConfigFiles();
        if (!bare && restarted == 0) {
            checkMasterCount();
        }
        if (!bare && restarted > 0 && restarted < ports.size()) {
            err.println(mixedConfigMessage(restarted));
            return 1;
        }
        Optional<String> busy = busyPort();
        if (busy.isPresent()) {
            err.println(busy.get());
            return 1;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            err.println("Can't use --dir " + dir + ": " + describe(e));
            return 1;
        }
        NodeLogSink logs;
        try {
            logs = new NodeLogSink(logFile);
        } catch (IOException e) {
            err.println("Can't open --logfile " + logFile + ": " + describe(e));
            return 1;
        }
        try (logs) {
            return serve(out, err, logs, restarted);
        }
    }

    /** Asks a running {@link #call} to stop the nodes and return 0; used by the signal handlers and tests. */
    void stop() {
        stopRequest.countDown();
    }

    private int serve(PrintWriter out, PrintWriter err, NodeLogSink logs, int restarted)
            throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        boolean fresh = restarted == 0;
        EmulatedCluster cluster;
        try {
            // Restarted nodes take everything from their nodes.conf, so no bootstrap layout is made for them
            // (nor checked against --replicas, which may differ from the one the cluster was created with).
            cluster = EmulatedCluster.builder().ports(ports.ports()).replicas(replicas).bare(bare || !fresh).dir(dir)
                    .nodeTimeout(nodeTimeout).bind(bind).announceIp(announceIp).log(logs.stream(), logLevel)
                    .enableDebugCommand(enableDebugCommand).configs(directives()).start();
        } catch (IOException | ConfigFormatException e) {
            logs.release();
            err.println("Could not start the nodes: " + describe(e));
            return 1;
        }
        try (cluster) {
            boolean ok = !(bare && fresh) && (fresh || anyNodeSeesAllSlotsAssigned(cluster))
                    && cluster.awaitStateOk(READY_TIMEOUT_MS);
            if (!ok && !bare && fresh) {
                logs.release();
                err.println("The new cluster did not reach cluster_state:ok within "
                        + TimeUnit.MILLISECONDS.toSeconds(READY_TIMEOUT_MS) + " s; stopping it.");
                return 1;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            out.println(readyLine(cluster, ok, restarted, ms));
            out.flush();
            logs.release();
            // Like a set of redis-server processes, the launcher ends when its last node is gone: after SIGINT
            // or SIGTERM, or once every node was stopped by SHUTDOWN.
            cluster.allStopped().thenRun(this::stop);
            try (StopSignals signals = StopSignals.install(this::stop)) {
                stopRequest.await();
            }
        }
        return 0;
    }

    /** The redis.conf directives the options set, in the order given, checked as redis-server checks them. */
    private Map<String, String> directives() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("enable-debug-command", enableDebugCommand);
        putIfSet(d, "cluster-require-full-coverage", requireFullCoverage);
        putIfSet(d, "cluster-allow-reads-when-down", allowReadsWhenDown);
        putIfSet(d, "cluster-replica-no-failover", replicaNoFailover);
        putIfSet(d, "cluster-replica-validity-factor", replicaValidityFactor);
        putIfSet(d, "cluster-migration-barrier", migrationBarrier);
        putIfSet(d, "cluster-allow-replica-migration", allowReplicaMigration);
        for (String c : configs) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--config takes NAME=VALUE, not " + c);
            }
            d.put(c.substring(0, eq), c.substring(eq + 1));
        }
        return d;
    }

    private static void putIfSet(Map<String, String> d, String name, String value) {
        if (value != null) {
            d.put(name, value);
        }
    }

    private void validate() {
        for (Map.Entry<String, String> e : directives().entrySet()) {
            try {
                ConfigTable.standard().checkAtStart(e.getKey(), e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new ParameterException(spec.commandLine(), bad.getMessage());
            }
        }
        if (replicas < 0) {
            throw new ParameterException(spec.commandLine(), "--replicas must be 0 or more, not " + replicas);
        }
        if (nodeTimeout < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--cluster-node-timeout must be 0 or more milliseconds, not " + nodeTimeout);
        }
    }

    /** redis-cli --cluster create refuses a layout with fewer than 3 masters; same rule, same words. */
    private void checkMasterCount() {
        if (ClusterBootstrap.masterCount(ports.size(), replicas) < 3) {
            throw new ParameterException(spec.commandLine(), String.format(
                    "*** ERROR: Invalid configuration for cluster creation.%n"
                    + "*** Redis Cluster requires at least 3 master nodes.%n"
                    + "*** This is not possible with %d nodes and %d replicas per node.%n"
                    + "*** At least %d nodes are required.", ports.size(), replicas, 3 * (replicas + 1)));
        }
    }

    private int countConfigFiles() {
        int n = 0;
        for (int port : ports.ports()) {
            if (Files.exists(configFile(port))) {
                n++;
            }
        }
        return n;
    }

    private Path configFile(int port) {
        return dir.resolve("nodes-" + port + ".conf");
    }

    /**
     * Why refuse: the nodes that have a file would come back as the cluster they knew, the others would be
     * bootstrapped as a new cluster naming ids that no longer answer; redis-cli --cluster create refuses
     * nodes that already know other nodes for the same reason.
     */
    private String mixedConfigMessage(int restarted) {
        int withFile = -1;
        int withoutFile = -1;
        for (int port : ports.ports()) {
            if (Files.exists(configFile(port))) {
                withFile = withFile < 0 ? port : withFile;
            } else {
                withoutFile = withoutFile < 0 ? port : withoutFile;
            }
        }
        return "Can't create a cluster from these nodes: " + restarted + " of " + ports.size()
                + " already have a config in " + shownDir() + " (like nodes-" + withFile + ".conf) and "
                + (ports.size() - restarted) + " don't (like nodes-" + withoutFile + ".conf).\n"
                + "Delete the nodes-<port>.conf files or pick another --dir to create a new cluster, "
                + "or use --bare to start the new nodes and add them by hand.";
    }

    /**
     * Finds a client or bus port that can't be listened on, before any node starts: a node that started
     * would save its nodes.conf, leaving a half-created cluster behind in --dir. The message is
     * redis-server's ("Could not create server TCP listening socket").
     */
    private Optional<String> busyPort() {
        for (int port : ports.ports()) {
            for (int p : new int[] {port, port + PortList.BUS_PORT_OFFSET}) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(bind, p));
                } catch (IOException e) {
                    return Optional.of("Could not create server TCP listening socket " + bind + ":" + p + ": "
                            + describe(e) + (p == port ? "" : " (the cluster bus port of " + port
                            + "; every node needs its port and port+" + PortList.BUS_PORT_OFFSET + " free)"));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean anyNodeSeesAllSlotsAssigned(EmulatedCluster cluster) {
        for (RedisNode node : cluster.nodes()) {
            boolean all = node.call(() -> {
                for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                    if (node.cluster().slotOwner(slot) == null) {
                        return false;
                    }
                }
                return true;
            });
            if (all) {
                return true;
            }
        }
        return false;
    }

    private String readyLine(EmulatedCluster cluster, boolean ok, int restarted, long ms) {
        int n = ports.size();
        String where = " on " + bind + " ports " + ports + " in " + ms + " ms";
        String from = "restarted from nodes-<port>.conf in " + shownDir();
        if (ok) {
            int masters = 0;
            for (RedisNode node : cluster.nodes()) {
                if (node.call(() -> node.cluster().myself().isMaster())) {
                    masters++;
                }
            }
            return "Cluster ready: " + count(n, "node") + " (" + count(masters, "master") + ", "
                    + count(n - masters, "replica") + ")" + where + (restarted > 0 ? ", " + from : "");
        }
        if (restarted == 0) {
            return count(n, "bare node") + where + "; join them with CLUSTER MEET";
        }
        return count(n, "node") + where + ", " + (restarted == n ? from : restarted + " " + from + " and "
                + (n - restarted) + " bare") + "; cluster_state is fail (see CLUSTER INFO)";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private String shownDir() {
        return dir.toAbsolutePath().normalize().toString();
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Where the node logs go: stdout, held back until the ready line, or a file they are appended to. */
    private static final class NodeLogSink implements AutoCloseable {
        private final HeldOutput held;
        private final PrintStream stream;

        NodeLogSink(Path file) throws IOException {
            if (file == null) {
                held = new HeldOutput(System.out);
                stream = new PrintStream(held, true, StandardCharsets.UTF_8);
            } else {
                held = null;
                stream = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
            }
        }

        PrintStream stream() {
            return stream;
        }

        void release() throws IOException {
            if (held != null) {
                held.release();
            }
        }

        @Override
        public void close() throws IOException {
            release();
            if (held == null) {
                stream.close();
            }
        }
    }

    /** Parses a redis.conf loglevel name into a NodeLog level. */
    static final class LogLevelConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int level = NodeLog.levelOf(value);
            if (level < 0) {
                throw new TypeConversionException("'" + value + "' is not a log level (debug, verbose, notice, warning)");
            }
            return level;
        }
    }
}
