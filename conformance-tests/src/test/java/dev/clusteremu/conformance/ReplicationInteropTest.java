package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Replication between the emulator and real redis-server 7.0 nodes in one cluster, both ways: a real
 * replica syncs from an emulated master (and reads the emulator's RDB and stream), and an emulated replica
 * syncs from a real master (and reads Redis's). Each side must end up with the other's data, key for key and
 * expire time for expire time, follow new writes, and resume after a lost link without a full sync.
 */
class ReplicationInteropTest {
    private static final int KEYS = 200;

    private static Reply call(RedisTarget target, String... argv) {
        try (RespClient c = RespClient.connect(target)) {
            return c.call(argv);
        }
    }

    private static Reply call(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            return c.call(argv);
        }
    }

    /** A read served by a replica (READONLY). */
    private static Reply replicaRead(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            assertEquals(Reply.status("OK"), c.call("READONLY"));
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

    private static String clusterInfo(int port, String field) {
        for (String line : call(port, "CLUSTER", "INFO").asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in CLUSTER INFO");
    }

    /** Keys of every kind a string keyspace holds: plain, with expire times, counters, floats. */
    private static List<String> writeDataset(int masterPort, String prefix) {
        List<String> keys = new ArrayList<>();
        try (RespClient c = RespClient.connect("127.0.0.1", masterPort)) {
            for (int i = 0; i < KEYS; i++) {
                String key = "{" + prefix + "}" + i;
                keys.add(key);
                switch (i % 5) {
                    case 0 -> c.call("SET", key, "value-" + i);
                    case 1 -> c.call("SET", key, "ttl-" + i, "EX", Integer.toString(1000 + i));
                    case 2 -> c.call("SET", key, "x".repeat(100 + i), "PX", Integer.toString(500_000 + i));
                    case 3 -> c.call("INCRBY", key, Integer.toString(i));
                    default -> c.call("INCRBYFLOAT", key, i + ".25");
                }
            }
        }
        return keys;
    }

    /** The replica holds exactly the master's keys: same count, same values, same absolute expire times. */
    private static void assertSameDataset(int masterPort, int replicaPort, List<String> keys) {
        Wait.until("the replica has as many keys as its master",
                () -> call(masterPort, "DBSIZE").equals(replicaRead(replicaPort, "DBSIZE")));
        try (RespClient master = RespClient.connect("127.0.0.1", masterPort);
                RespClient replica = RespClient.connect("127.0.0.1", replicaPort)) {
            replica.call("READONLY");
            for (String key : keys) {
                assertEquals(master.call("GET", key), replica.call("GET", key), key);
                assertEquals(master.call("PEXPIRETIME", key), replica.call("PEXPIRETIME", key), key);
            }
        }
    }

    /** Writes that propagate rewritten, then waits until the replica shows their effect. */
    private static void assertFollowsNewWrites(int masterPort, int replicaPort, List<String> keys) {
        try (RespClient c = RespClient.connect("127.0.0.1", masterPort)) {
            c.call("SET", keys.get(0), "changed", "PX", "900000");
            c.call("INCRBYFLOAT", keys.get(4), "0.5");
            c.call("EXPIRE", keys.get(3), "5000");
            c.call("GETEX", keys.get(1), "PERSIST");
            c.call("DEL", keys.get(5));
            c.call("APPEND", keys.get(10), "-more");
        }
        Wait.until("the replica applied the new writes",
                () -> replicaRead(replicaPort, "GET", keys.get(10)).equals(call(masterPort, "GET", keys.get(10))));
        assertSameDataset(masterPort, replicaPort, keys);
    }

    @Test
    void aRealReplicaSyncsFromAnEmulatedMasterAndFollowsIt() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            List<String> keys = writeDataset(master, "e");
            assertEquals(Reply.status("OK"), call(real, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(master)));
            String masterId = emu.myId(0);
            Wait.until("the real node knows the emulated master and its slots",
                    () -> call(real, "CLUSTER", "NODES").asString().contains(masterId + " 127.0.0.1:" + master)
                            && clusterInfo(real.port(), "cluster_slots_assigned").equals("16384"));
            Wait.until("the real node replicates the emulated master",
                    () -> call(real, "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
            Wait.until("the real replica's link is up", () -> field(real.port(), "replication",
                    "master_link_status").equals("up"));
            assertSameDataset(master, real.port(), keys);
            assertFollowsNewWrites(master, real.port(), keys);

            long partialOk = Long.parseLong(field(master, "stats", "sync_partial_ok"));
            long full = Long.parseLong(field(master, "stats", "sync_full"));
            assertEquals(Reply.integer(1), emu.call(0, "CLIENT", "KILL", "TYPE", "replica"));
            call(master, "SET", keys.get(20), "while-away");
            Wait.until("the real replica continued", () -> Long.parseLong(field(master, "stats", "sync_partial_ok"))
                    == partialOk + 1 && field(real.port(), "replication", "master_link_status").equals("up"));
            assertEquals(full, Long.parseLong(field(master, "stats", "sync_full")));
            Wait.until("the real replica got the write made while away",
                    () -> replicaRead(real.port(), "GET", keys.get(20)).equals(Reply.bulk("while-away")));
            Wait.until("both report the same offset", () -> field(master, "replication", "master_repl_offset")
                    .equals(field(real.port(), "replication", "slave_repl_offset")));
        }
    }

    @Test
    void anEmulatedReplicaSyncsFromARealMasterAndFollowsIt() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            int replica = emu.port(0);
            List<String> keys = writeDataset(real.port(), "r");
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(real.port())));
            String masterId = call(real, "CLUSTER", "MYID").asString();
            Wait.until("the emulated node knows the real master's slots",
                    () -> emu.clusterInfo(0, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "REPLICATE", masterId));
            // A real master waits repl-diskless-sync-delay (5 s) before it streams the RDB.
            Wait.until("the emulated replica's link is up",
                    () -> field(replica, "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the emulated replica's cluster state is ok",
                    () -> call(replica, "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameDataset(real.port(), replica, keys);
            assertFollowsNewWrites(real.port(), replica, keys);

            long partialOk = Long.parseLong(field(real.port(), "stats", "sync_partial_ok"));
            assertEquals(Reply.integer(1), emu.call(0, "CLIENT", "KILL", "TYPE", "master"));
            call(real, "SET", keys.get(30), "while-away");
            Wait.until("the emulated replica continued",
                    () -> Long.parseLong(field(real.port(), "stats", "sync_partial_ok")) == partialOk + 1
                            && field(replica, "replication", "master_link_status").equals("up"));
            Wait.until("the emulated replica got the write made while away",
                    () -> replicaRead(replica, "GET", keys.get(30)).equals(Reply.bulk("while-away")));
            Wait.until("both report the same offset", () -> field(real.port(), "replication", "master_repl_offset")
                    .equals(field(replica, "replication", "slave_repl_offset")));
            assertTrue(clusterInfo(replica, "cluster_state").equals("ok"));
            Reply role = emu.call(0, "ROLE");
            assertEquals(Reply.bulk("connected"), role.asList().get(3));
        }
    }
}
