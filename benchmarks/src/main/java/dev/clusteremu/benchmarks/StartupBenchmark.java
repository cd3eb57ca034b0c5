package dev.clusteremu.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.clusteremu.server.EmulatedCluster;

/**
 * Time from {@code EmulatedCluster.builder()...start()} to every node reporting cluster_state:ok, for an
 * in-process 3-master/3-replica cluster on free ports, after JVM warm-up. Prints the median and p90 over
 * the measured runs. Usage: {@code StartupBenchmark [warmupRuns] [measuredRuns]}.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            try (EmulatedCluster cluster = EmulatedCluster.builder().masters(3).replicasPerMaster(1).start()) {
                if (!cluster.awaitStateOk(10_000)) {
                    throw new IllegalStateException("cluster did not reach cluster_state:ok");
                }
                if (i >= warmup) {
                    micros.add((System.nanoTime() - t0) / 1000);
                }
            }
        }
        Collections.sort(micros);
        System.out.printf("in-process 3+3 start to cluster_state:ok, %d runs after %d warm-up: median %.1f ms, "
                + "p90 %.1f ms, min %.1f ms, max %.1f ms%n", runs, warmup, ms(micros, 0.5), ms(micros, 0.9),
                micros.get(0) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1000.0;
    }
}
