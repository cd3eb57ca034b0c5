package dev.clusteremu.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;

/**
 * How long an automatic failover takes: a 3+3 cluster with cluster-node-timeout 2000 ms, a master stopped,
 * time until every remaining node reports cluster_state:ok again with the replica promoted. Redis's own
 * timers set the pace (node timeout for PFAIL, 500-1000 ms election delay), so this measures that the
 * emulator keeps them, not its speed. Usage: {@code FailoverBenchmark [runs]}.
 */
public final class FailoverBenchmark {
    private FailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Long> millis = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            try (EmulatedCluster cluster = EmulatedCluster.builder().masters(3).replicasPerMaster(1).nodeTimeout(2000)
                    .start()) {
                RedisNode replica = cluster.server(3);
                String stopped = cluster.node(0).id();
                long t0 = System.nanoTime();
                cluster.node(0).stop();
                while (!(replica.call(() -> replica.cluster().myself().isMaster()) && everyoneSawIt(cluster, stopped)
                        && cluster.allStateOk())) {
                    Thread.sleep(10);
                    if (System.nanoTime() - t0 > 60_000_000_000L) {
                        throw new IllegalStateException("no failover within 60 s");
                    }
                }
                millis.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        Collections.sort(millis);
        System.out.printf("failover (3+3, cluster-node-timeout 2000 ms, master stopped) until cluster_state:ok "
                + "everywhere, %d runs: median %d ms, min %d ms, max %d ms%n", runs, millis.get(runs / 2),
                millis.get(0), millis.get(runs - 1));
    }

    /** Whether every running node has seen the state go to fail and back: it knows the master failed. */
    private static boolean everyoneSawIt(EmulatedCluster cluster, String stopped) {
        for (int i = 1; i < 6; i++) {
            RedisNode n = cluster.server(i);
            if (!n.call(() -> n.cluster().lookup(stopped).isFailed())) {
                return false;
            }
        }
        return true;
    }
}
