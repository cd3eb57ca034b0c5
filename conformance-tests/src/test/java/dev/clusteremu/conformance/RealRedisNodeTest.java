package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class RealRedisNodeTest {

    @Test
    void singleMasterClusterOwnsEverySlotAndIsOk() throws IOException {
        try (RealRedisNode node = RealRedisNode.singleMasterCluster(); RespClient client = RespClient.connect(node)) {
            String info = client.call("CLUSTER", "INFO").asString();
            assertTrue(info.startsWith("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"),
                    info);
            assertTrue(Files.exists(node.dir().resolve("nodes-" + node.port() + ".conf")));
            assertEquals(node.port() + 10000, node.busPort());
            try (Socket bus = new Socket(node.host(), node.busPort())) {
                assertTrue(bus.isConnected(), "the cluster bus listens on port + 10000");
            }
            assertEquals(Reply.status("OK"), client.call("SET", "foo", "bar"));
        }
    }

    @Test
    void clusterNodeStartsWithTheGivenNodeTimeoutAndNoPersistence() {
        try (RealRedisNode node = RealRedisNode.builder().clusterNodeTimeout(Duration.ofMillis(2500)).start();
             RespClient client = RespClient.connect(node)) {
            assertEquals(Reply.array(Reply.bulk("cluster-node-timeout"), Reply.bulk("2500")),
                    client.call("CONFIG", "GET", "cluster-node-timeout"));
            assertEquals(Reply.array(Reply.bulk("save"), Reply.bulk("")), client.call("CONFIG", "GET", "save"));
            assertEquals(Reply.array(Reply.bulk("appendonly"), Reply.bulk("no")),
                    client.call("CONFIG", "GET", "appendonly"));
            assertTrue(client.call("CLUSTER", "INFO").asString().startsWith("cluster_state:fail\r\n"));
        }
    }

    @Test
    void standaloneNodeRunsWithoutClusterMode() {
        try (RealRedisNode node = RealRedisNode.startStandalone(); RespClient client = RespClient.connect(node)) {
            assertFalse(node.isClusterEnabled());
            assertTrue(client.call("INFO", "cluster").asString().contains("cluster_enabled:0\r\n"));
            assertEquals(Reply.status("OK"), client.call("SELECT", "1"));
        }
    }

    @Test
    void closeKillsTheServerAndDeletesItsDirectory() {
        RealRedisNode node = RealRedisNode.startClusterNode();
        Path dir = node.dir();
        node.close();
        assertFalse(Files.exists(dir));
        assertThrows(UncheckedIOException.class, () -> RespClient.connect(node).close());
    }
}
