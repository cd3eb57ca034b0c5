package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Streams, HyperLogLogs and bitmaps replicated between the emulator and real redis-server 7.0 nodes of one
 * cluster, both ways: what the master holds when the replica syncs travels in the RDB (stream type 19 with
 * its consumer groups, HLL and bitmap strings), what is written afterwards travels as the commands the
 * master propagates; the replica must then read exactly what its master reads.
 */
class TypesReplicationInteropTest {
    /**
     * Times differ between master and replica, and so do a group's entries-read and lag: XREADGROUP
     * advances the read counter on the master, but the XCLAIM ... LASTID it propagates moves only the last
     * ID on the replica. Redis's replicas show the same (an emulated replica of a real master and a real
     * replica of an emulated master agree), so these are masked.
     */
    private static final ReplyMasker MASKED = StreamMasks.times()
            .andThen(StreamMasks.valuesOf("entries-read", "lag"));
    private static final List<String> KEYS = List.of("{t}stream", "{t}grouped", "{t}sparse", "{t}dense", "{t}bits",
            "{t}merged", "{t}later");

    private static Reply call(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
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

    /** Writes of every kind, some before the replica syncs (RDB), some after (replication stream). */
    private static void write(int port, boolean afterSync) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            if (!afterSync) {
                for (int i = 1; i <= 150; i++) {
                    c.call("XADD", "{t}stream", "MAXLEN", "~", "120", i + "-" + (i % 4), "field", "value" + i, "n",
                            Integer.toString(i));
                }
                c.call("XDEL", "{t}stream", "100-0", "101-1");
                for (int i = 1; i <= 20; i++) {
                    c.call("XADD", "{t}grouped", i + "-0", "f", "v" + i);
                }
                c.call("XGROUP", "CREATE", "{t}grouped", "g", "0");
                c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "5", "STREAMS", "{t}grouped", ">");
                c.call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "3", "STREAMS", "{t}grouped", ">");
                c.call("XACK", "{t}grouped", "g", "2-0");
                for (int i = 0; i < 100; i++) {
                    c.call("PFADD", "{t}sparse", "element-" + i);
                }
                c.call("PFCOUNT", "{t}sparse");
                for (int i = 0; i < 5000; i += 500) {
                    String[] argv = new String[502];
                    argv[0] = "PFADD";
                    argv[1] = "{t}dense";
                    for (int j = 0; j < 500; j++) {
                        argv[2 + j] = "d" + (i + j);
                    }
                    c.call(argv);
                }
                c.call("SETBIT", "{t}bits", "1000", "1");
                c.call("BITFIELD", "{t}bits", "SET", "i16", "#3", "-1234");
                return;
            }
            c.call("XADD", "{t}stream", "MAXLEN", "~", "100", "200-*", "field", "later");
            c.call("XADD", "{t}stream", "*", "field", "now");
            c.call("XTRIM", "{t}stream", "MINID", "~", "60");
            c.call("XREADGROUP", "GROUP", "g", "carol", "STREAMS", "{t}grouped", ">");
            c.call("XREADGROUP", "GROUP", "g", "dave", "NOACK", "STREAMS", "{t}grouped", "0");
            c.call("XCLAIM", "{t}grouped", "g", "erin", "0", "1-0", "3-0");
            c.call("XAUTOCLAIM", "{t}grouped", "g", "frank", "0", "0", "COUNT", "2");
            c.call("XGROUP", "CREATE", "{t}grouped", "g2", "$");
            c.call("XGROUP", "SETID", "{t}grouped", "g2", "10-0");
            c.call("XDEL", "{t}grouped", "12-0");
            c.call("XADD", "{t}later", "1-1", "created", "after the sync");
            c.call("PFADD", "{t}sparse", "one-more");
            c.call("PFCOUNT", "{t}sparse");
            c.call("PFMERGE", "{t}merged", "{t}sparse", "{t}dense");
            c.call("SETBIT", "{t}bits", "5000", "1");
            c.call("BITOP", "NOT", "{t}bits", "{t}bits");
        }
    }

    /** The replica reads what its master reads: entries, groups (times masked), HLL and bitmap bytes. */
    private static void assertSameValues(int masterPort, int replicaPort) {
        Wait.until("the replica caught up", () -> field(masterPort, "replication", "master_repl_offset")
                .equals(field(replicaPort, "replication", "slave_repl_offset")));
        try (RespClient master = RespClient.connect("127.0.0.1", masterPort);
             RespClient replica = RespClient.connect("127.0.0.1", replicaPort)) {
            replica.call("READONLY");
            for (String key : KEYS) {
                assertEquals(master.call("TYPE", key), replica.call("TYPE", key), key);
                if (master.call("TYPE", key).equals(Reply.status("stream"))) {
                    assertEquals(master.call("XRANGE", key, "-", "+"), replica.call("XRANGE", key, "-", "+"), key);
                    assertEquals(MASKED.mask(master.call("XINFO", "STREAM", key, "FULL", "COUNT", "0")),
                            MASKED.mask(replica.call("XINFO", "STREAM", key, "FULL", "COUNT", "0")), key);
                    assertEquals(MASKED.mask(master.call("XINFO", "GROUPS", key)),
                            MASKED.mask(replica.call("XINFO", "GROUPS", key)), key);
                } else {
                    assertEquals(master.call("GET", key), replica.call("GET", key), key);
                    assertEquals(master.call("DUMP", key), replica.call("DUMP", key), key);
                }
            }
            assertEquals(master.call("DUMP", "{t}stream"), replica.call("DUMP", "{t}stream"));
        }
    }

    @Test
    void aRealReplicaReadsWhatAnEmulatedMasterHolds() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            write(master, false);
            assertEquals(Reply.status("OK"), call(real.port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(master)));
            String masterId = emu.myId(0);
            Wait.until("the real node knows the emulated master and its slots",
                    () -> call(real.port(), "CLUSTER", "NODES").asString().contains(masterId + " 127.0.0.1:" + master));
            Wait.until("the real node replicates the emulated master",
                    () -> call(real.port(), "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
            Wait.until("the real replica's link is up",
                    () -> field(real.port(), "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the real replica's cluster state is ok",
                    () -> call(real.port(), "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameValues(master, real.port());
            write(master, true);
            assertSameValues(master, real.port());
        }
    }

    @Test
    void anEmulatedReplicaReadsWhatARealMasterHolds() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            int replica = emu.port(0);
            write(real.port(), false);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(real.port())));
            String masterId = call(real.port(), "CLUSTER", "MYID").asString();
            Wait.until("the emulated node knows the real master's slots",
                    () -> emu.clusterInfo(0, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "REPLICATE", masterId));
            // A real master waits repl-diskless-sync-delay (5 s) before it streams the RDB.
            Wait.until("the emulated replica's link is up",
                    () -> field(replica, "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the emulated replica's cluster state is ok",
                    () -> call(replica, "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameValues(real.port(), replica);
            write(real.port(), true);
            assertSameValues(real.port(), replica);
        }
    }
}
