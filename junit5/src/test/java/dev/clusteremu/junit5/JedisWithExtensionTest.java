package dev.clusteremu.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.clusteremu.server.EmulatedCluster;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** A JedisCluster against the class's cluster, from its seeds; the cluster is emptied between tests. */
@EmulatedRedisCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JedisWithExtensionTest {

    private static JedisCluster jedis(List<InetSocketAddress> seeds) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (InetSocketAddress a : seeds) {
            nodes.add(new HostAndPort(a.getHostString(), a.getPort()));
        }
        return new JedisCluster(nodes);
    }

    @Test
    @Order(1)
    void writesAndReadsAcrossTheCluster(@ClusterSeeds List<InetSocketAddress> seeds, EmulatedCluster cluster) {
        assertEquals(6, seeds.size());
        assertEquals(6, cluster.nodeHandles().size());
        try (JedisCluster jedis = jedis(seeds)) {
            for (int i = 0; i < 100; i++) {
                jedis.set("user:" + i, "name:" + i);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("name:" + i, jedis.get("user:" + i));
            }
        }
    }

    @Test
    @Order(2)
    void eachTestStartsWithAnEmptyCluster(@ClusterSeeds List<InetSocketAddress> seeds) {
        try (JedisCluster jedis = jedis(seeds)) {
            assertNull(jedis.get("user:1"));
        }
    }
}
