package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clusteremu.server.EmulatedCluster;

/**
 * redis-py's cluster client (Debian's python3-redis, RedisCluster) used as an application uses it, against a
 * 3+3 emulated cluster: commands over every slot, a pipeline across slots, the data types, MULTI/EXEC and
 * WATCH on a hash tag through the owning node, pub/sub, and scripts (register_script's EVALSHA with its
 * NOSCRIPT fallback, EVAL). The client runs as a separate Python process, as it would in an application.
 */
class RedisPyClusterTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void commonRedisPyUsageWorks(@TempDir Path dir) throws Exception {
        assumeTrue(hasRedisPy(), "python3 with redis-py not found: apt-get install python3-redis to run this test");
        Path script = dir.resolve("redis_py_cluster.py");
        try (InputStream in = RedisPyClusterTest.class.getResourceAsStream("/redis_py_cluster.py")) {
            Files.copy(in, script);
        }
        try (EmulatedCluster cluster = EmulatedCluster.builder().masters(3).replicasPerMaster(1).start()) {
            Process python = new ProcessBuilder(PYTHON.toString(), script.toString(),
                    Integer.toString(cluster.node(0).port())).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, python.waitFor(), output);
            assertEquals(List.of("strings across slots ok", "pipeline across slots ok", "data types ok",
                    "transactions on a hash tag ok", "pub/sub ok", "scripts ok"), output.lines().toList());
        }
    }

    private static boolean hasRedisPy() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import redis.cluster").redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
