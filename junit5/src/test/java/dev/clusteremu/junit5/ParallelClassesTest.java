package dev.clusteremu.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.clusteremu.server.EmulatedCluster;

/**
 * Two test classes with their own clusters, run in parallel in one JVM: both clusters are up at the same
 * time (the classes meet at a barrier) on disjoint ports, and both classes pass.
 */
class ParallelClassesTest {
    static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);
    static final Set<Integer> PORTS_IN_USE = ConcurrentHashMap.newKeySet();
    static final Set<String> OVERLAPS = Collections.synchronizedSet(new HashSet<>());

    @Test
    void twoClassesWithTheirOwnClustersRunConcurrentlyWithoutPortClashes() {
        var results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(FirstFixture.class), selectClass(SecondFixture.class))
                .execute().testEvents();
        results.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertTrue(OVERLAPS.isEmpty(), "ports used by both clusters: " + OVERLAPS);
        assertEquals(24, PORTS_IN_USE.size(), "two clusters of 6 nodes, each with a client and a bus port");
    }

    static void useWhileTheOtherRuns(EmulatedCluster cluster) throws Exception {
        for (var node : cluster.nodeHandles()) {
            for (int p : new int[] {node.port(), node.port() + 10000}) {
                if (!PORTS_IN_USE.add(p)) {
                    OVERLAPS.add(Integer.toString(p));
                }
            }
        }
        BOTH_RUNNING.await(60, TimeUnit.SECONDS);
        assertTrue(cluster.allStateOk());
    }

    @EmulatedRedisCluster
    static class FirstFixture {
        @Test
        void runs(EmulatedCluster cluster) throws Exception {
            useWhileTheOtherRuns(cluster);
        }
    }

    @EmulatedRedisCluster
    static class SecondFixture {
        @Test
        void runs(EmulatedCluster cluster) throws Exception {
            useWhileTheOtherRuns(cluster);
        }
    }
}
