package dev.clusteremu.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/** A Lettuce cluster client against the class's cluster, here 3 masters without replicas. */
@EmulatedRedisCluster(masters = 3, replicasPerMaster = 0)
class LettuceWithExtensionTest {

    @Test
    void discoversTheTopologyAndRoutes(EmulatedCluster cluster) {
        RedisClusterClient client = RedisClusterClient.create(
                RedisURI.create(cluster.node(0).address().getHostString(), cluster.node(0).port()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            assertEquals(3, client.getPartitions().size());
            for (int i = 0; i < 100; i++) {
                connection.sync().set("k" + i, "v" + i);
            }
            assertEquals("v42", connection.sync().get("k42"));
        } finally {
            client.shutdown();
        }
    }
}
