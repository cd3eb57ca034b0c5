package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.FreePorts;
import dev.clusteremu.cluster.KeySlot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.clusteremu.cluster.NodeFlags.MASTER;
import static dev.clusteremu.cluster.NodeFlags.MYSELF;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.line;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our nodes.conf against redis-server 7.0's, in both directions, on ports from {@link FreePorts}. */
class RedisNodesConfInteropTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsRedis() {
        RealRedisServer.assumeInstalled();
    }

    @Test
    void fileWrittenByRedisParsesAndRendersBackByteForByte() throws Exception {
        int port = FreePorts.clusterPort();
        String myid;
        try (RealRedisServer redis = RealRedisServer.start(port, dir, "nodes.conf")) {
            // SET-CONFIG-EPOCH is only allowed while the node knows no other node and has epoch 0.
            assertEquals("OK", redis.cli("cluster", "set-config-epoch", "5"));
            assertEquals("OK", redis.cli("cluster", "addslotsrange", "0", "100"));
            assertEquals("OK", redis.cli("cluster", "saveconfig"));
            myid = redis.cli("cluster", "myid");
        }
        String text = Files.readString(dir.resolve("nodes.conf"), StandardCharsets.ISO_8859_1);

        NodesConf conf = NodesConf.parse(text);
        NodeLine myself = conf.myself();
        assertEquals(myid, myself.id());
        assertEquals(port, myself.port());
        assertEquals(port + FreePorts.BUS_PORT_OFFSET, myself.cport());
        assertEquals(MYSELF | MASTER, myself.flags());
        assertEquals(slots(0, 100), myself.slots());
        assertEquals(5, myself.configEpoch());
        assertEquals(5, conf.currentEpoch());
        assertEquals(0, conf.lastVoteEpoch());
        assertEquals(text, NodesConf.render(conf));
    }

    @Test
    void redisLoadsAFileWeSaved() throws Exception {
        String myId = "0123456789abcdef0123456789abcdef01234567";
        String peerId = "fedcba9876543210fedcba9876543210fedcba98";
        int port = FreePorts.clusterPort();
        // Nothing listens on the peer's ports, so Redis lists it disconnected, as the file says.
        int peerPort = FreePorts.clusterPort();
        NodeLine myself = line(myId, "127.0.0.1", port, port + FreePorts.BUS_PORT_OFFSET, "", MYSELF | MASTER, null,
                0, 0, 7, true, slots(0, KeySlot.SLOTS - 1));
        NodeLine peer = line(peerId, "127.0.0.1", peerPort, peerPort + FreePorts.BUS_PORT_OFFSET, "", MASTER, null,
                0, 0, 0, false, slots());
        NodesConfFile.save(dir.resolve("nodes.conf"), new NodesConf(List.of(myself, peer), 7, 0));

        try (RealRedisServer redis = RealRedisServer.start(port, dir, "nodes.conf")) {
            assertEquals(myId, redis.cli("cluster", "myid"));

            Map<String, NodeLine> nodes = new TreeMap<>();
            for (String text : redis.cli("cluster", "nodes").split("\n")) {
                NodeLine node = NodeLineFormat.parse(text);
                nodes.put(node.id(), node);
            }
            assertEquals(List.of(myId, peerId), new ArrayList<>(nodes.keySet()));
            // Times are Redis's own clock readings; everything else must be what we wrote.
            assertEquals(NodeLineFormat.format(myself), NodeLineFormat.format(withoutTimes(nodes.get(myId))));
            assertEquals(NodeLineFormat.format(peer), NodeLineFormat.format(withoutTimes(nodes.get(peerId))));

            Map<String, String> info = redis.cli("cluster", "info").lines()
                    .map(l -> l.split(":", 2))
                    .filter(kv -> kv.length == 2)
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1].strip(), (a, b) -> b));
            assertEquals("7", info.get("cluster_current_epoch"));
            assertEquals("7", info.get("cluster_my_epoch"));
        }
    }

    private static NodeLine withoutTimes(NodeLine n) {
        return new NodeLine(n.id(), n.ip(), n.port(), n.cport(), n.hostname(), n.flags(), n.masterId(), 0, 0,
                n.configEpoch(), n.connected(), n.slots(), n.migrating(), n.importing());
    }
}
