package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;

/**
 * Lists and sorted sets between real redis-server 7.0 nodes and emulated ones: full syncs both ways carry
 * every layout (quicklists of several nodes, listpack and skiplist sets, expire times) and the replica
 * dumps each key to the master's bytes; blocking pops served on the master reach the replica as the pops
 * that ran; and DEBUG DIGEST-VALUE, which redis-cli --cluster compares across a migration, is Redis's.
 */
class ListAndSortedSetReplicationInteropTest {

    private static Reply call(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            return c.call(argv);
        }
    }

    private static Reply replicaRead(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            c.call("READONLY");
            return c.call(argv);
        }
    }

    private static String field(int port, String section, String field) {
        for (String line : call(port, "INFO", section).asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    /** Lists and sorted sets of every layout under tag {prefix}; returns their keys. */
    private static List<String> writeDataset(int port, String prefix) {
        List<String> keys = new ArrayList<>();
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            for (int k = 0; k < 12; k++) {
                String key = "{" + prefix + "}list" + k;
                List<String> push = new ArrayList<>(List.of("RPUSH", key));
                for (int i = 0; i < 40 * k + 1; i++) {
                    push.add(i % 3 == 0 ? Integer.toString(i * 31) : "e" + "w".repeat((i * k) % 120));
                }
                c.call(push.toArray(String[]::new));
                if (k % 4 == 1) {
                    c.call("PEXPIRE", key, Long.toString(900_000 + k));
                }
                keys.add(key);
            }
            for (int k = 0; k < 8; k++) {
                String key = "{" + prefix + "}zset" + k;
                List<String> zadd = new ArrayList<>(List.of("ZADD", key));
                for (int i = 0; i < 50 * k + 1; i++) {
                    zadd.add(i % 2 == 0 ? Integer.toString(i - 20) : (i / 7.0) + "");
                    zadd.add("m" + "n".repeat(i % 70) + i);
                }
                c.call(zadd.toArray(String[]::new));
                if (k % 3 == 2) {
                    c.call("PEXPIRE", key, Long.toString(800_000 + k));
                }
                keys.add(key);
            }
        }
        return keys;
    }

    /** Pops the replica must apply as they ran: served blocking pops of each kind, and immediate ones. */
    private static void servePops(int port, String prefix) {
        String list = "{" + prefix + "}list5";
        String zset = "{" + prefix + "}zset4";
        String fresh = "{" + prefix + "}fresh";
        try (RespClient blocked1 = RespClient.connect("127.0.0.1", port).timeout(Duration.ofSeconds(20));
                RespClient blocked2 = RespClient.connect("127.0.0.1", port).timeout(Duration.ofSeconds(20));
                RespClient writer = RespClient.connect("127.0.0.1", port)) {
            blocked1.send("BLMOVE", fresh, list, "LEFT", "RIGHT", "0");
            blocked2.send("BZMPOP", "0", "1", fresh + "z", "MAX", "COUNT", "2");
            Wait.until("two clients are blocked",
                    () -> writer.call("INFO", "clients").asString().contains("blocked_clients:2\r\n"));
            writer.call("RPUSH", fresh, "moved", "left-behind");
            writer.call("ZADD", fresh + "z", "1", "x", "2", "y", "3", "z");
            blocked1.read();
            blocked2.read();
            writer.call("BLPOP", list, "0");
            writer.call("BZPOPMIN", zset, "0");
            writer.call("BLMPOP", "0", "2", fresh + "none", list, "RIGHT", "COUNT", "3");
            writer.call("ZMPOP", "1", zset, "MAX", "COUNT", "5");
            writer.call("LREM", list, "2", "0");
            writer.call("ZREMRANGEBYSCORE", zset, "(0", "3");
        }
    }

    /** The replica dumps every key to its master's bytes, with the same expire time. */
    private static void assertSameDataset(int master, int replica, List<String> keys) {
        Wait.until("the replica has as many keys as its master",
                () -> call(master, "DBSIZE").equals(replicaRead(replica, "DBSIZE")));
        try (RespClient m = RespClient.connect("127.0.0.1", master); RespClient r = RespClient.connect("127.0.0.1",
                replica)) {
            r.call("READONLY");
            for (String key : keys) {
                assertEquals(m.call("DUMP", key), r.call("DUMP", key), key);
                assertEquals(m.call("PEXPIRETIME", key), r.call("PEXPIRETIME", key), key);
            }
        }
    }

    private static List<String> withServedKeys(List<String> keys, String prefix) {
        List<String> all = new ArrayList<>(keys);
        all.add("{" + prefix + "}fresh");
        all.add("{" + prefix + "}freshz");
        return all;
    }

    @Test
    void anEmulatedReplicaLoadsListsAndSortedSetsFromARealMaster() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            int replica = emu.port(0);
            List<String> keys = writeDataset(real.port(), "r");
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(real.port())));
            String masterId = call(real.port(), "CLUSTER", "MYID").asString();
            Wait.until("the emulated node knows the real master's slots",
                    () -> emu.clusterInfo(0, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "REPLICATE", masterId));
            Wait.until("the emulated replica's link is up",
                    () -> field(replica, "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the emulated replica's cluster state is ok",
                    () -> call(replica, "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameDataset(real.port(), replica, keys);
            servePops(real.port(), "r");
            Wait.until("both report the same offset", () -> field(real.port(), "replication", "master_repl_offset")
                    .equals(field(replica, "replication", "slave_repl_offset")));
            assertSameDataset(real.port(), replica, withServedKeys(keys, "r"));
        }
    }

    @Test
    void aRealReplicaLoadsListsAndSortedSetsFromAnEmulatedMasterAndItsServedPops() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            List<String> keys = writeDataset(master, "e");
            assertEquals(Reply.status("OK"), call(real.port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(master)));
            String masterId = emu.myId(0);
            Wait.until("the real node replicates the emulated master",
                    () -> call(real.port(), "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
            Wait.until("the real replica's link is up",
                    () -> field(real.port(), "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the real replica's cluster state is ok",
                    () -> call(real.port(), "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameDataset(master, real.port(), keys);
            servePops(master, "e");
            Wait.until("both report the same offset", () -> field(master, "replication", "master_repl_offset")
                    .equals(field(real.port(), "replication", "slave_repl_offset")));
            assertSameDataset(master, real.port(), withServedKeys(keys, "e"));
        }
    }

    @Test
    void digestsOfListsAndSortedSetsEqualRedis() throws Exception {
        RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        try (RealRedisNode real = RealRedisNode.builder().config("enable-debug-command", "yes").start();
                EmulatedCluster emulator = EmulatedCluster.builder().ports(List.of(port)).bare(true)
                        .enableDebugCommand("yes").start()) {
            call(real.port(), "CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            call(port, "CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            Wait.until("both serve every slot", () -> call(real.port(), "CLUSTER", "INFO").asString()
                    .startsWith("cluster_state:ok") && call(port, "CLUSTER", "INFO").asString()
                    .startsWith("cluster_state:ok"));
            List<String> keys = writeDataset(real.port(), "g");
            writeDataset(port, "g");
            for (int p : new int[] {real.port(), port}) {
                call(p, "ZADD", "{g}zero", "-0", "a", "0.1", "b", "inf", "c");
                call(p, "CONFIG", "SET", "zset-max-listpack-entries", "0");
                call(p, "ZADD", "{g}zero-skiplist", "-0", "a", "0.1", "b", "-inf", "c");
            }
            keys.add("{g}zero");
            keys.add("{g}zero-skiplist");
            for (String key : keys) {
                assertEquals(call(real.port(), "DEBUG", "DIGEST-VALUE", key), call(port, "DEBUG", "DIGEST-VALUE", key),
                        key);
            }
            assertEquals(call(real.port(), "DEBUG", "DIGEST"), call(port, "DEBUG", "DIGEST"));
        } finally {
            FreePorts.release(port);
        }
    }
}
