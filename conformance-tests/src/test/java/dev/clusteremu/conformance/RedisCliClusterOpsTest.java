package dev.clusteremu.conformance;

import static dev.clusteremu.conformance.ClusterOps.address;
import static dev.clusteremu.conformance.ClusterOps.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.JedisCluster;

/**
 * The rest of the {@code redis-cli --cluster} toolset against emulated nodes: info, call, set-timeout,
 * fix of a slot a migration left open, and import from a standalone redis-server. Where the output does
 * not depend on the cluster's shape, it is compared with what redis-cli prints for a real redis-server.
 */
class RedisCliClusterOpsTest {

    /** Node ids (whole or cut to 8 characters) and ports differ between any two clusters. */
    private static String masked(String output, int port) {
        return output.replace(Integer.toString(port), "<port>").replaceAll("\\b[0-9a-f]{40}\\b", "<id>")
                .replaceAll("\\([0-9a-f]{8}\\.\\.\\.\\)", "(<id>...)");
    }

    @Test
    void infoAndSetTimeoutPrintWhatTheyPrintForRedisServer() {
        RedisBinaries.assumeRedisCli();
        try (RedisTarget real = RealRedisNode.singleMasterCluster(); RedisTarget emulated = EmulatorNode.singleMasterCluster()) {
            for (List<String> args : List.of(List.of("info"), List.of("check"), List.of("call", "DBSIZE"),
                    List.of("set-timeout", "10000"))) {
                String realOut = masked(runOn(real.port(), args), real.port());
                String emulatedOut = masked(runOn(emulated.port(), args), emulated.port());
                assertEquals(realOut, emulatedOut, "redis-cli --cluster " + args);
            }
            try (RespClient client = RespClient.connect(emulated)) {
                assertEquals(Reply.array(Reply.bulk("cluster-node-timeout"), Reply.bulk("10000")),
                        client.call("CONFIG", "GET", "cluster-node-timeout"));
            }
        }
    }

    /** {@code redis-cli --cluster <subcommand> 127.0.0.1:<port> <rest...>}'s output. */
    private static String runOn(int port, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(args.get(0));
        argv.add(address(port));
        argv.addAll(args.subList(1, args.size()));
        return cluster(argv.toArray(String[]::new)).stdout();
    }

    @Test
    void infoCallAndSetTimeoutCoverEveryNode() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            ClusterOps.writeKeys(nodes.port(0), 1000);

            String info = cluster("info", address(nodes.port(3))).stdout();
            assertTrue(info.contains("[OK] 1000 keys in 3 masters."), info);
            long listed = 0;
            Matcher m = Pattern.compile("-> (\\d+) keys \\| (\\d+) slots \\| 1 slaves\\.").matcher(info);
            int masters = 0;
            while (m.find()) {
                listed += Long.parseLong(m.group(1));
                masters++;
            }
            assertEquals(3, masters, info);
            assertEquals(1000, listed, info);

            // Every node answers, replicas included: once they have synced, each key is counted twice.
            Wait.until("replicas hold their masters' keys", () -> {
                long total = 0;
                for (int i = 0; i < 6; i++) {
                    total += nodes.call(i, "DBSIZE").asLong();
                }
                return total == 2000;
            });
            String call = cluster("call", address(nodes.port(0)), "DBSIZE").stdout();
            long total = 0;
            for (int i = 0; i < 6; i++) {
                Matcher line = Pattern.compile(Pattern.quote(address(nodes.port(i))) + ": (\\d+)").matcher(call);
                assertTrue(line.find(), call);
                total += Long.parseLong(line.group(1));
            }
            assertEquals(2000, total, call);

            String setTimeout = cluster("set-timeout", address(nodes.port(0)), "10000").stdout();
            // Like a redis-server started without a config file, CONFIG REWRITE fails; the timeout is set all the same.
            assertTrue(setTimeout.contains("New node timeout set. 0 OK, 6 ERR."), setTimeout);
            for (int i = 0; i < 6; i++) {
                assertEquals(Reply.array(Reply.bulk("cluster-node-timeout"), Reply.bulk("10000")),
                        nodes.call(i, "CONFIG", "GET", "cluster-node-timeout"));
            }
        }
    }

    /** Keys that all hash to slot 3300 (tag {b}), which master 0 owns. */
    private static String slotKey(int i) {
        return "{b}:" + i;
    }

    private static void writeSlotKeys(EmulatedNodes nodes, int n) {
        try (JedisCluster jedis = ClusterOps.jedisCluster(nodes.port(0))) {
            for (int i = 0; i < n; i++) {
                jedis.set(slotKey(i), "v" + i);
            }
        }
    }

    private static void assertSlotKeysOn(EmulatedNodes nodes, int n, String ownerId) {
        for (int viewer = 0; viewer < 6; viewer++) {
            int v = viewer;
            Wait.until("node " + v + " sees slot 3300 on its new owner",
                    () -> ClusterOps.slotsOf(nodes, v, ownerId).contains(3300));
        }
        try (JedisCluster jedis = ClusterOps.jedisCluster(nodes.port(2))) {
            for (int i = 0; i < n; i++) {
                assertEquals("v" + i, jedis.get(slotKey(i)));
            }
        }
    }

    @Test
    void fixFinishesAMigrationThatOpenedTheSlotAndStopped() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            writeSlotKeys(nodes, 30);
            assertEquals(Reply.status("OK"), nodes.call(1, "CLUSTER", "SETSLOT", "3300", "IMPORTING", nodes.myId(0)));
            assertEquals(Reply.status("OK"), nodes.call(0, "CLUSTER", "SETSLOT", "3300", "MIGRATING", nodes.myId(1)));

            RedisCli.Result check = RedisCli.run("--cluster", "check", address(nodes.port(0)));
            assertEquals(1, check.exitCode(), check.toString());
            assertTrue(check.stdout().contains("[WARNING] The following slots are open: 3300."), check.stdout());

            String fix = cluster("fix", address(nodes.port(0))).stdout();
            assertTrue(fix.contains(">>> Case 1: Moving slot 3300 from " + address(nodes.port(0)) + " to "
                    + address(nodes.port(1))), fix);
            assertSlotKeysOn(nodes, 30, nodes.myId(1));
            assertEquals(30, nodes.call(1, "CLUSTER", "COUNTKEYSINSLOT", "3300").asLong());
            assertEquals(0, nodes.call(0, "CLUSTER", "COUNTKEYSINSLOT", "3300").asLong());
            ClusterOps.awaitCheckClean(nodes.port(0));
        }
    }

    @Test
    void fixRepairsAMigrationInterruptedHalfWay() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            // With keys on both sides the slot has two candidate owners: redis-cli picks one and gives it the
            // slot inside MULTI ... EXEC (clusterManagerSetSlotOwner).
            writeSlotKeys(nodes, 30);
            assertEquals(Reply.status("OK"), nodes.call(1, "CLUSTER", "SETSLOT", "3300", "IMPORTING", nodes.myId(0)));
            assertEquals(Reply.status("OK"), nodes.call(0, "CLUSTER", "SETSLOT", "3300", "MIGRATING", nodes.myId(1)));
            String[] migrate = {"MIGRATE", "127.0.0.1", Integer.toString(nodes.port(1)), "", "0", "5000", "KEYS",
                slotKey(0), slotKey(1), slotKey(2), slotKey(3), slotKey(4), slotKey(5), slotKey(6), slotKey(7),
                slotKey(8), slotKey(9)};
            assertEquals(Reply.status("OK"), nodes.call(0, migrate));

            cluster("fix", address(nodes.port(0)));
            // The node with most keys keeps the slot; the keys moved so far come back to it.
            assertSlotKeysOn(nodes, 30, nodes.myId(0));
            assertEquals(30, nodes.call(0, "CLUSTER", "COUNTKEYSINSLOT", "3300").asLong());
            assertEquals(0, nodes.call(1, "CLUSTER", "COUNTKEYSINSLOT", "3300").asLong());
            ClusterOps.awaitCheckClean(nodes.port(0));
        }
    }

    @Test
    void importCopiesOrMovesTheKeysOfAStandaloneRedisServer() {
        RedisBinaries.assumeRedisCli();
        try (RealRedisNode source = RealRedisNode.startStandalone(); EmulatedNodes nodes = EmulatedNodes.ready(6, 1);
                RespClient src = RespClient.connect(source)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            for (int i = 0; i < 300; i++) {
                src.call("SET", "imported:" + i, "v" + i);
            }
            for (int i = 0; i < 20; i++) {
                src.call("SET", "expiring:" + i, "e" + i, "PX", "100000");
            }

            cluster("import", address(nodes.port(0)), "--cluster-from", address(source.port()), "--cluster-copy");
            assertEquals(320, src.call("DBSIZE").asLong());
            try (JedisCluster jedis = ClusterOps.jedisCluster(nodes.port(1))) {
                for (int i = 0; i < 300; i++) {
                    assertEquals("v" + i, jedis.get("imported:" + i));
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals("e" + i, jedis.get("expiring:" + i));
                    long pttl = jedis.pttl("expiring:" + i);
                    assertTrue(pttl > 0 && pttl <= 100000, "pttl " + pttl);
                    assertEquals(-1, jedis.pttl("imported:" + i));
                }

                // Again without COPY: the keys exist in the cluster now, so REPLACE is needed, and they leave the source.
                src.call("SET", "imported:0", "new");
                cluster("import", address(nodes.port(0)), "--cluster-from", address(source.port()), "--cluster-replace");
                assertEquals(0, src.call("DBSIZE").asLong());
                assertEquals("new", jedis.get("imported:0"));
                assertEquals("v299", jedis.get("imported:299"));
            }
            ClusterOps.awaitCheckClean(nodes.port(0));
        }
    }

    @Test
    void importWithoutReplaceStopsAtAKeyTheClusterHas() {
        RedisBinaries.assumeRedisCli();
        try (RealRedisNode source = RealRedisNode.startStandalone(); EmulatedNodes nodes = EmulatedNodes.ready(6, 1);
                RespClient src = RespClient.connect(source)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            src.call("SET", "taken", "from-source");
            try (JedisCluster jedis = ClusterOps.jedisCluster(nodes.port(0))) {
                jedis.set("taken", "in-cluster");
            }
            RedisCli.Result result = RedisCli.run("--cluster", "import", address(nodes.port(0)), "--cluster-from",
                    address(source.port()));
            assertFalse(result.exitCode() == 0, result.toString());
            assertTrue(result.stdout().contains("ERR Target instance replied with error: BUSYKEY Target key name "
                    + "already exists."), result.toString());
            assertEquals(Reply.bulk("from-source"), src.call("GET", "taken"));
        }
    }
}
