package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Function libraries carried by full syncs between the emulator and redis-server 7.0, both ways: the
 * master's RDB holds each library as a FUNCTION2 record, which the replica loads (replacing its own
 * libraries) and runs; later library changes arrive through the replication stream.
 */
class FunctionReplicationInteropTest {
    private static final String READER = "#!lua name=reader\nredis.register_function{function_name='read', "
            + "callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";
    private static final String WRITER = "#!lua name=writer\nredis.register_function('write', function(keys, args) "
            + "return redis.call('set', keys[1], args[1]) end)";
    private static final String LATER = "#!lua name=later\nredis.register_function{function_name='later', "
            + "callback=function() return 'later' end, flags={'no-writes'}}";

    private static Reply call(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            return c.call(argv);
        }
    }

    private static Reply replicaCall(int port, String... argv) {
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

    /** Loads the libraries on the master, makes {@code replica} replicate it, and checks what it got. */
    private static void checkReplicaGetsFunctions(int master, String masterId, int replica, Runnable replicate) {
        assertEquals(Reply.bulk("reader"), call(master, "FUNCTION", "LOAD", READER));
        assertEquals(Reply.bulk("writer"), call(master, "FUNCTION", "LOAD", WRITER));
        assertEquals(Reply.status("OK"), call(master, "FCALL", "write", "1", "k", "v"));
        assertEquals(Reply.bulk("stale"), call(replica, "FUNCTION", "LOAD",
                "#!lua name=stale\nredis.register_function('stale', function() return 1 end)"));
        replicate.run();
        Wait.until("the replica's link is up", () -> field(replica, "replication", "master_link_status").equals("up"));
        // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
        Wait.until("the replica's cluster state is ok",
                () -> call(replica, "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
        Wait.until("the replica loaded the master's libraries",
                () -> field(replica, "memory", "number_of_libraries").equals("2"));
        assertEquals(ReplyMasker.unordered().mask(call(master, "FUNCTION", "LIST", "WITHCODE")),
                ReplyMasker.unordered().mask(call(replica, "FUNCTION", "LIST", "WITHCODE")));
        assertEquals(Reply.bulk("v"), replicaCall(replica, "FCALL_RO", "read", "1", "k"));
        assertEquals(Reply.bulk("later"), call(master, "FUNCTION", "LOAD", LATER));
        Wait.until("the replica got the library loaded later",
                () -> replicaCall(replica, "FCALL_RO", "later", "0").equals(Reply.bulk("later")));
        assertEquals(Reply.status("OK"), call(master, "FUNCTION", "DELETE", "writer"));
        Wait.until("the replica dropped the deleted library",
                () -> field(replica, "memory", "number_of_libraries").equals("2"));
    }

    @Test
    void aRealReplicaLoadsAnEmulatedMastersFunctions() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            String masterId = emu.myId(0);
            checkReplicaGetsFunctions(master, masterId, real.port(), () -> {
                assertEquals(Reply.status("OK"), call(real.port(), "CLUSTER", "MEET", "127.0.0.1",
                        Integer.toString(master)));
                Wait.until("the real node replicates the emulated master",
                        () -> call(real.port(), "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
            });
        }
    }

    @Test
    void anEmulatedReplicaLoadsARealMastersFunctions() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            int replica = emu.port(0);
            assertEquals(Reply.status("OK"), call(real.port(), "CONFIG", "SET", "repl-diskless-sync-delay", "0"));
            String masterId = call(real.port(), "CLUSTER", "MYID").asString();
            checkReplicaGetsFunctions(real.port(), masterId, replica, () -> {
                assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "MEET", "127.0.0.1",
                        Integer.toString(real.port())));
                Wait.until("the emulated node knows the real master's slots",
                        () -> emu.clusterInfo(0, "cluster_slots_assigned").equals("16384"));
                assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "REPLICATE", masterId));
            });
        }
    }
}
