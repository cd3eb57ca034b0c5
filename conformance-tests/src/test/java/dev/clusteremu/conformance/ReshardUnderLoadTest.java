package dev.clusteremu.conformance;

import static dev.clusteremu.conformance.ClusterOps.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import redis.clients.jedis.JedisCluster;

/**
 * Applications keep working while redis-cli reshards: a JedisCluster and a Lettuce RedisClusterClient read
 * and write without pause during {@code --cluster reshard}, following ASK while a slot is open and MOVED
 * once it has moved. No operation fails and no write is lost.
 */
class ReshardUnderLoadTest {
    private static final int PRELOADED = 2_000;

    /** One client's loop: writes its own keys, reads them and the preloaded ones back, remembers what it wrote. */
    private static final class Worker implements Runnable {
        private final String name;
        private final BiFunction<String, String, String> set;
        private final Function<String, String> get;
        private final AtomicBoolean running;
        private final List<Throwable> failures;
        final Map<String, String> written = new ConcurrentHashMap<>();
        final AtomicLong operations = new AtomicLong();

        Worker(String name, BiFunction<String, String, String> set, Function<String, String> get,
                AtomicBoolean running, List<Throwable> failures) {
            this.name = name;
            this.set = set;
            this.get = get;
            this.running = running;
            this.failures = failures;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                for (long round = 0; running.get(); round++) {
                    String key = name + ":" + random.nextInt(5_000);
                    String value = "round:" + round;
                    check("SET " + key, "OK", set.apply(key, value));
                    written.put(key, value);
                    check("GET " + key, value, get.apply(key));
                    int old = random.nextInt(PRELOADED);
                    check("GET key:" + old, "value:" + old, get.apply("key:" + old));
                    operations.addAndGet(3);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        private void check(String what, String expected, String actual) {
            if (!expected.equals(actual)) {
                throw new AssertionError(name + ": " + what + " gave " + actual + ", expected " + expected);
            }
        }
    }

    @Test
    void jedisAndLettuceReadAndWriteThroughoutAReshard() throws Exception {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            ClusterOps.writeKeys(nodes.port(0), PRELOADED);

            AtomicBoolean running = new AtomicBoolean(true);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            RedisClusterClient lettuceClient = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.port(1)));
            try (JedisCluster jedis = ClusterOps.jedisCluster(nodes.port(2));
                    StatefulRedisClusterConnection<String, String> connection = lettuceClient.connect()) {
                RedisAdvancedClusterCommands<String, String> lettuce = connection.sync();
                Worker jedisWorker = new Worker("jedis", jedis::set, jedis::get, running, failures);
                Worker lettuceWorker = new Worker("lettuce", lettuce::set, lettuce::get, running, failures);
                List<Thread> threads = new ArrayList<>();
                for (Worker w : List.of(jedisWorker, lettuceWorker)) {
                    Thread t = new Thread(w, w.name + "-load");
                    threads.add(t);
                    t.start();
                }
                long before = jedisWorker.operations.get() + lettuceWorker.operations.get();
                try {
                    ClusterOps.cluster("reshard", address(nodes.port(0)), "--cluster-from", nodes.myId(0),
                            "--cluster-to", nodes.myId(2), "--cluster-slots", "2000", "--cluster-yes");
                } finally {
                    running.set(false);
                    for (Thread t : threads) {
                        t.join();
                    }
                }
                assertEquals(List.of(), failures, "no client operation may fail during the reshard");
                assertTrue(jedisWorker.operations.get() + lettuceWorker.operations.get() > before,
                        "the clients worked while the reshard ran");

                for (Worker w : List.of(jedisWorker, lettuceWorker)) {
                    for (Map.Entry<String, String> e : w.written.entrySet()) {
                        assertEquals(e.getValue(), jedis.get(e.getKey()), "jedis reads " + e.getKey());
                        assertEquals(e.getValue(), lettuce.get(e.getKey()), "lettuce reads " + e.getKey());
                    }
                }
                ClusterOps.assertKeysReadable(nodes.port(3), PRELOADED);
            } finally {
                lettuceClient.shutdown();
            }
            ClusterOps.awaitCheckClean(nodes.port(0));
        }
    }
}
