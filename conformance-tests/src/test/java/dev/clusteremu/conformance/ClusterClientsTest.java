package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** The cluster clients Java teams use, against a ready emulated cluster: topology discovery and routing. */
class ClusterClientsTest {

    @Test
    void jedisClusterRoutesEveryKeyToItsMaster() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            try (JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(4))))) {
                for (int i = 0; i < 200; i++) {
                    assertEquals("OK", jedis.set("key:" + i, "value:" + i));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, jedis.get("key:" + i));
                }
                // Jedis learns nodes from CLUSTER SLOTS, which, as in Redis, lists a replica only once its
                // replication offset is non-zero (after its master's first PING or write): the three masters,
                // and the replicas too if they got that far by the time Jedis asked.
                for (int i = 0; i < 3; i++) {
                    assertTrue(jedis.getClusterNodes().containsKey("127.0.0.1:" + nodes.port(i)));
                }
                assertEquals(1L, jedis.incr("{user}:visits"));
                assertEquals("OK", jedis.mset("{user}:a", "1", "{user}:b", "2"));
                assertEquals(java.util.List.of("1", "2"), jedis.mget("{user}:a", "{user}:b"));
            }
        }
    }

    @Test
    void lettuceClusterClientRoutesEveryKeyToItsMaster() {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.port(0)));
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                RedisAdvancedClusterCommands<String, String> redis = connection.sync();
                for (int i = 0; i < 200; i++) {
                    assertEquals("OK", redis.set("key:" + i, "value:" + i));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, redis.get("key:" + i));
                }
                assertEquals(6, client.getPartitions().size());
                assertEquals(16384, client.getPartitions().stream().mapToInt(p -> p.getSlots().size()).sum());
                assertEquals("OK", redis.mset(java.util.Map.of("a", "1", "b", "2", "c", "3")));
                assertEquals(3, redis.mget("a", "b", "c").size());
            } finally {
                client.shutdown();
            }
        }
    }
}
