package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedisCliTest {

    @Test
    void runsACommandAndCapturesItsOutput() {
        try (RealRedisNode node = RealRedisNode.startStandalone()) {
            RedisCli.Result result = RedisCli.run("-p", Integer.toString(node.port()), "PING");
            assertEquals(new RedisCli.Result(0, "PONG\n", ""), result);
        }
    }

    @Test
    void feedsStandardInput() {
        try (RealRedisNode node = RealRedisNode.startStandalone();
             RespClient client = RespClient.connect(node)) {
            String port = Integer.toString(node.port());
            RedisCli.Result result = RedisCli.run(List.of("-p", port, "-x", "SET", "k"), "from stdin", Duration.ofSeconds(30));
            assertEquals(new RedisCli.Result(0, "OK\n", ""), result);
            assertEquals(Reply.bulk("from stdin"), client.call("GET", "k"));
        }
    }

    @Test
    void reportsAFailedConnectionThroughItsExitCode() {
        RedisBinaries.assumeRedisCli();
        int port = FreePorts.clusterPort();
        try {
            RedisCli.Result result = RedisCli.run("-p", Integer.toString(port), "PING");
            assertNotEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("Connection refused") || result.stderr().contains("Connection refused"),
                    result.toString());
        } finally {
            FreePorts.release(port);
        }
    }
}
