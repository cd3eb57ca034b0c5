package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Pub/Sub as Java teams use it against a cluster: Jedis (RESP2, a blocking subscriber thread) and Lettuce
 * (RESP3 pushes, a listener), global channels, patterns and shard channels, on an emulated 3+3 cluster.
 */
class PubSubClientsTest {
    /** How long a client may take to hand over a message: generous, never a measure of speed. */
    private static final long WAIT_SECONDS = 30;

    @Test
    void jedisClusterSubscribesPublishesAndShardsChannels() throws Exception {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            PubSubClusterTest.awaitFullMesh(nodes);
            try (JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(0))))) {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                JedisPubSub listener = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        received.add(channel + " " + message);
                    }

                    @Override
                    public void onPMessage(String pattern, String channel, String message) {
                        received.add(pattern + " " + channel + " " + message);
                    }
                };
                Thread subscriber = new Thread(() -> jedis.subscribe(listener, "events"), "jedis-subscriber");
                subscriber.start();
                Wait.until("the subscription", () -> listener.getSubscribedChannels() == 1);
                listener.psubscribe("ev*");
                Wait.until("the pattern subscription", () -> listener.getSubscribedChannels() == 2);
                for (int i = 0; i < 20; i++) {
                    jedis.publish("events", "m" + i);
                    assertEquals("events m" + i, received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                    assertEquals("ev* events m" + i, received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                }
                listener.unsubscribe();
                listener.punsubscribe();
                subscriber.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

                BlockingQueue<String> sharded = new LinkedBlockingQueue<>();
                JedisShardedPubSub shardListener = new JedisShardedPubSub() {
                    @Override
                    public void onSMessage(String channel, String message) {
                        sharded.add(channel + " " + message);
                    }
                };
                Thread shardSubscriber = new Thread(() -> jedis.ssubscribe(shardListener, "{orders}a", "{orders}b"),
                        "jedis-shard-subscriber");
                shardSubscriber.start();
                Wait.until("the shard subscriptions", () -> shardListener.getSubscribedChannels() == 2);
                assertEquals(1L, jedis.spublish("{orders}a", "first"));
                assertEquals("{orders}a first", sharded.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                assertEquals(1L, jedis.spublish("{orders}b", "second"));
                assertEquals("{orders}b second", sharded.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                shardListener.sunsubscribe();
                shardSubscriber.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            }
        }
    }

    @Test
    void lettuceClusterPubSubReceivesPushesFromEveryNodeAndShard() throws Exception {
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            PubSubClusterTest.awaitFullMesh(nodes);
            RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.port(0)));
            try (StatefulRedisClusterPubSubConnection<String, String> pubsub = client.connectPubSub();
                 StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                pubsub.addListener(new RedisClusterPubSubAdapter<>() {
                    @Override
                    public void message(RedisClusterNode node, String channel, String message) {
                        received.add(channel + " " + message);
                    }

                    @Override
                    public void message(RedisClusterNode node, String pattern, String channel, String message) {
                        received.add(pattern + " " + channel + " " + message);
                    }

                    @Override
                    public void smessage(RedisClusterNode node, String channel, String message) {
                        received.add("shard " + channel + " " + message);
                    }
                });
                pubsub.sync().subscribe("events");
                pubsub.sync().psubscribe("ev*");
                // A publish reaches the subscriber whichever node takes it: each master in turn.
                for (int i = 0; i < 3; i++) {
                    connection.getConnection("127.0.0.1", nodes.port(i)).sync().publish("events", "via " + i);
                    assertEquals("events via " + i, received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                    assertEquals("ev* events via " + i, received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                }

                pubsub.sync().ssubscribe("{orders}a");
                assertEquals(1L, connection.sync().spublish("{orders}a", "sharded"));
                assertEquals("shard {orders}a sharded", received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            } finally {
                client.shutdown();
            }
        }
    }
}
