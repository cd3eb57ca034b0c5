package dev.clusteremu.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Spring Data Redis in cluster mode (Lettuce underneath), configured from the seeds. */
@EmulatedRedisCluster
class SpringDataRedisWithExtensionTest {

    @Test
    void templateOperationsRouteThroughTheCluster(@ClusterSeeds List<InetSocketAddress> seeds) {
        List<String> nodes = new ArrayList<>();
        for (InetSocketAddress a : seeds) {
            nodes.add(a.getHostString() + ":" + a.getPort());
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(nodes));
        factory.afterPropertiesSet();
        factory.start();
        try {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            template.opsForValue().set("greeting", "hello");
            assertEquals("hello", template.opsForValue().get("greeting"));
            assertEquals(3L, template.opsForValue().increment("visits", 3));
        } finally {
            factory.destroy();
        }
    }
}
