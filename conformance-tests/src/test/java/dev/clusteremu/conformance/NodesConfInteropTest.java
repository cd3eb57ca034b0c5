package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;

/**
 * nodes-&lt;port&gt;.conf is one format: a file the emulator writes loads in redis-server 7.0, and a file
 * redis-server writes loads in the emulator — same id, epochs, slots and peers.
 */
class NodesConfInteropTest {

    @Test
    void aFileTheEmulatorWritesLoadsInRedisServer() throws Exception {
        Path redis = RedisBinaries.assumeRedisServer();
        try (EmulatedNodes nodes = EmulatedNodes.bare(2)) {
            nodes.call(0, "CLUSTER", "SET-CONFIG-EPOCH", "7");
            nodes.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.port(1)));
            nodes.awaitEveryNode("cluster_known_nodes", "2");
            nodes.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "8191");
            nodes.call(1, "CLUSTER", "ADDSLOTSRANGE", "8192", "16383");
            nodes.awaitEveryNode("cluster_state", "ok");
            String id = nodes.myId(0);
            String peer = nodes.myId(1);
            String epoch = nodes.clusterInfo(0, "cluster_current_epoch");
            nodes.stop();

            Process real = startRedis(redis, nodes.port(0), nodes.dir());
            try (RespClient client = awaitPing(nodes.port(0))) {
                assertEquals(id, client.call("CLUSTER", "MYID").asString());
                String info = client.call("CLUSTER", "INFO").asString();
                assertTrue(info.contains("cluster_current_epoch:" + epoch + "\r\n"), info);
                assertTrue(info.contains("cluster_known_nodes:2\r\n"), info);
                String lines = client.call("CLUSTER", "NODES").asString();
                assertTrue(lines.lines().anyMatch(l -> l.startsWith(id + " 127.0.0.1:") && l.contains("myself,master")
                        && l.endsWith(" 0-8191")), lines);
                assertTrue(lines.lines().anyMatch(l -> l.startsWith(peer) && l.endsWith(" 8192-16383")), lines);
            } finally {
                stop(real);
            }
        }
    }

    @Test
    void aFileRedisServerWritesLoadsInTheEmulator() throws Exception {
        Path redis = RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        Path dir = Files.createTempDirectory("nodes-conf-interop");
        try {
            Process real = startRedis(redis, port, dir);
            String id;
            try (RespClient client = awaitPing(port)) {
                client.call("CLUSTER", "SET-CONFIG-EPOCH", "5");
                client.call("CLUSTER", "ADDSLOTSRANGE", "100", "200");
                client.call("CLUSTER", "ADDSLOTS", "300");
                client.call("CLUSTER", "SETSLOT", "300", "MIGRATING", client.call("CLUSTER", "MYID").asString());
                id = client.call("CLUSTER", "MYID").asString();
                client.call("CLUSTER", "SAVECONFIG");
            } finally {
                stop(real);
            }
            try (EmulatedCluster emulator = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).start();
                    RespClient client = RespClient.connect("127.0.0.1", port)) {
                assertEquals(id, client.call("CLUSTER", "MYID").asString());
                String info = client.call("CLUSTER", "INFO").asString();
                assertTrue(info.contains("cluster_my_epoch:5\r\n"), info);
                String myLine = client.call("CLUSTER", "NODES").asString().trim();
                assertTrue(myLine.startsWith(id + " "), myLine);
                assertTrue(myLine.endsWith(" connected 100-200 300 [300->-" + id + "]"), myLine);
                assertEquals(1, emulator.nodes().size());
            }
        } finally {
            FreePorts.release(port);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Process startRedis(Path binary, int port, Path dir) throws IOException {
        return new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    }

    private static RespClient awaitPing(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                RespClient c = RespClient.connect("127.0.0.1", port);
                if (c.call("PING").equals(Reply.status("PONG"))) {
                    return c;
                }
                c.close();
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }
}
