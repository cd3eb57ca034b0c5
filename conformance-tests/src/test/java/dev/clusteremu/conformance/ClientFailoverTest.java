package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Cluster clients across failovers, as applications live through them: a manual failover (CLUSTER
 * FAILOVER) loses no acknowledged write, and after an automatic failover (a master stopped) the same
 * client objects keep working once the replica has taken over.
 */
class ClientFailoverTest {
    private static final long NODE_TIMEOUT = 2000;
    private static final int KEYS = 10_000;

    @Test
    void jedisClusterLosesNoAcknowledgedWriteAcrossAManualFailover() throws Exception {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT);
                JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(1))))) {
            nodes.awaitEveryNode("cluster_state", "ok");
            Wait.until("replicas synced", () -> nodes.call(3, "INFO", "replication").asString()
                    .contains("master_link_status:up"));
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < KEYS; i++) {
                        if ("OK".equals(jedis.set("k:" + i, "v:" + i))) {
                            acknowledged.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            Wait.until("writes under way", () -> acknowledged.get() > 1000);
            Wait.until("the replica accepted CLUSTER FAILOVER",
                    () -> nodes.call(3, "CLUSTER", "FAILOVER").equals(Reply.status("OK")));
            writer.join(Wait.DEADLINE.toMillis());
            assertEquals(null, failure.get(), "no error surfaced to the application");
            assertEquals(KEYS, acknowledged.get());
            Wait.until("roles swapped", () -> nodes.nodesLine(1, nodes.myId(3)).contains(" master - "));
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v:" + i, jedis.get("k:" + i), "acknowledged write k:" + i);
            }
        }
    }

    @Test
    void jedisClusterKeepsWorkingAfterAMasterStopsAndItsReplicaTakesOver() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT);
                JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(1))))) {
            nodes.awaitEveryNode("cluster_state", "ok");
            // A replica that never synced would not fail over.
            nodes.awaitReplicasSynced();
            for (int i = 0; i < 300; i++) {
                jedis.set("before:" + i, "x");
            }
            String replica = nodes.myId(4);
            nodes.stopNode(1);
            Wait.until("replica 4 took over", () -> nodes.nodesLine(0, replica).contains(" master - "));
            Wait.until("the same client writes in every slot again", () -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        jedis.set("after:" + i, "y");
                    }
                    return true;
                } catch (RuntimeException stillFailingOver) {
                    return false;
                }
            });
            for (int i = 0; i < 300; i++) {
                assertEquals("y", jedis.get("after:" + i));
            }
        }
    }

    @Test
    void lettuceWithAdaptiveRefreshKeepsWorkingAcrossBothKindsOfFailover() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1, NODE_TIMEOUT)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            // A manual failover waits for the replica to catch up; a replica that never synced won't fail over.
            nodes.awaitReplicasSynced();
            RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(nodes.port(1)).withTimeout(Duration.ofSeconds(5)).build());
            // As recommended for failover: adaptive and periodic topology refresh, and commands for a node
            // that is gone are rejected rather than queued until it comes back.
            client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions
                    .builder().enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(Duration.ofMillis(200))
                    .enablePeriodicRefresh(Duration.ofSeconds(1)).build())
                    .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                var redis = connection.sync();
                // Connections to the nodes open lazily; until they are up, commands are rejected (see above).
                keepsWriting(redis, "a:");
                // Manual failover of master 0.
                Wait.until("replica 3 accepted CLUSTER FAILOVER",
                        () -> nodes.call(3, "CLUSTER", "FAILOVER").equals(Reply.status("OK")));
                Wait.until("replica 3 is master", () -> nodes.nodesLine(1, nodes.myId(3)).contains(" master - "));
                keepsWriting(redis, "b:");
                for (int i = 0; i < 300; i++) {
                    assertEquals("x", redis.get("a:" + i), "written before the manual failover");
                }
                // Automatic failover: master 2 stops, its replica 5 is elected.
                String replica = nodes.myId(5);
                nodes.stopNode(2);
                Wait.until("replica 5 took over", () -> nodes.nodesLine(0, replica).contains(" master - "));
                keepsWriting(redis, "c:");
            } finally {
                client.shutdown();
            }
        }
    }

    /** Once the new master serves its slots, the same client object writes and reads again in every slot. */
    private static void keepsWriting(io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> redis,
            String prefix) {
        AtomicBoolean ok = new AtomicBoolean();
        Wait.until("the client writes everywhere again", () -> {
            try {
                for (int i = 0; i < 300; i++) {
                    redis.set(prefix + i, "x");
                }
                ok.set(true);
                return true;
            } catch (RuntimeException stillFailingOver) {
                return false;
            }
        });
        assertTrue(ok.get());
        for (int i = 0; i < 300; i++) {
            assertEquals("x", redis.get(prefix + i));
        }
    }
}
