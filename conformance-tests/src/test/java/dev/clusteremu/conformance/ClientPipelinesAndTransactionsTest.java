package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Pipelines and transactions as applications write them with Jedis and Lettuce, against a 3+3 emulated
 * cluster: a pipeline of commands over many slots (each client splits it by node), and MULTI/EXEC with WATCH
 * on keys of one hash tag, on the node that owns it.
 */
class ClientPipelinesAndTransactionsTest {
    private static EmulatedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().masters(3).replicasPerMaster(1).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jedisPipelinesAcrossSlotsAndTransactsOnAHashTag() {
        try (JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", cluster.node(0).port())))) {
            List<Response<Long>> counters = new ArrayList<>();
            try (ClusterPipeline pipeline = jedis.pipelined()) {
                for (int i = 0; i < 200; i++) {
                    counters.add(pipeline.incr("jedis:counter:" + i));
                }
                pipeline.sync();
            }
            for (Response<Long> counter : counters) {
                assertEquals(1L, counter.get());
            }

            // JedisCluster has no MULTI of its own: a transaction runs on a connection to the tag's owner.
            int slot = JedisClusterCRC16.getSlot("{jt}a");
            try (Connection owner = jedis.getConnectionFromSlot(slot); Transaction tx = new Transaction(owner)) {
                tx.set("{jt}a", "1");
                tx.incr("{jt}a");
                tx.lpush("{jt}list", "x", "y");
                assertEquals(List.of("OK", 2L, 2L), tx.exec());
            }
            // A watched key changed by another connection before EXEC: the transaction is discarded.
            try (Connection owner = jedis.getConnectionFromSlot(slot); Transaction tx = new Transaction(owner, false)) {
                tx.watch("{jt}a");
                jedis.set("{jt}a", "changed");
                tx.multi();
                tx.set("{jt}a", "mine");
                assertNull(tx.exec());
            }
            assertEquals("changed", jedis.get("{jt}a"));
        }
    }

    @Test
    void lettucePipelinesAcrossSlotsAndTransactsOnTheOwningNode() throws Exception {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.node(0).port()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
            // Lettuce opens the connections it routes by slot lazily, and a flush issued while one is still
            // connecting leaves the commands queued for it unsent (the same against redis-server; lettuce
            // issues #1065, #2420): a first routed pass over the same keys opens them all.
            List<RedisFuture<String>> warmUp = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                warmUp.add(async.get("lettuce:counter:" + i));
            }
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(30), warmUp.toArray(new RedisFuture[0])));
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> counters = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                counters.add(async.incr("lettuce:counter:" + i));
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(30), counters.toArray(new RedisFuture[0])));
            connection.setAutoFlushCommands(true);
            for (RedisFuture<Long> counter : counters) {
                assertEquals(1L, counter.get(30, TimeUnit.SECONDS));
            }

            String owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot("{lt}a")).getNodeId();
            StatefulRedisConnection<String, String> node = connection.getConnection(owner);
            RedisCommands<String, String> sync = node.sync();
            sync.multi();
            sync.set("{lt}a", "1");
            sync.incr("{lt}a");
            sync.rpush("{lt}list", "x");
            TransactionResult result = sync.exec();
            assertEquals(List.of("OK", 2L, 1L), result.stream().toList());

            sync.watch("{lt}a");
            connection.sync().set("{lt}a", "changed");
            sync.multi();
            sync.set("{lt}a", "mine");
            assertTrue(sync.exec().wasDiscarded());
            assertEquals("changed", connection.sync().get("{lt}a"));
        } finally {
            client.shutdown();
        }
    }
}
