package dev.clusteremu.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.EmulatedCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Starts Redis Cluster nodes in this JVM and keeps them running until SIGINT/SIGTERM. */
@Command(name = "emu", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Redis 7.0 Cluster nodes in one JVM.")
public final class LaunchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ports", defaultValue = "7000-7005", description = "Client ports: a range (7000-7005) or a comma list.")
    String ports;

    @Option(names = "--replicas", defaultValue = "1", description = "Replicas per master.")
    int replicas;

    @Option(names = "--bare", description = "Orphan nodes that know nobody, to build the cluster by hand.")
    boolean bare;

    @Option(names = "--dir", defaultValue = ".", description = "Directory of the nodes-<port>.conf files.")
    Path dir;

    @Option(names = "--cluster-node-timeout", defaultValue = "15000", description = "cluster-node-timeout in ms.")
    long nodeTimeout;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind.")
    String bind;

    @Option(names = "--announce-ip", defaultValue = "", description = "cluster-announce-ip.")
    String announceIp;

    @Option(names = "--loglevel", defaultValue = "warning", description = "debug, verbose, notice or warning.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        List<Integer> portList = parsePorts(ports);
        long t0 = System.nanoTime();
        EmulatedCluster cluster = EmulatedCluster.builder().ports(portList).replicas(replicas).bare(bare).dir(dir)
                .nodeTimeout(nodeTimeout).bind(bind).announceIp(announceIp)
                .log(System.out, NodeLog.levelOf(logLevel)).start();
        if (!bare) {
            cluster.awaitStateOk(10_000);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println((bare ? "Started " + portList.size() + " bare nodes" : "Cluster ready") + " on ports "
                + ports + " in " + ms + " ms");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private List<Integer> parsePorts(String text) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String[] range = part.trim().split("-");
                int from = Integer.parseInt(range[0].trim());
                int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
                for (int p = from; p <= to; p++) {
                    out.add(p);
                }
            }
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --ports: " + text);
        }
        return out;
    }
}
