package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * A replica with appendonly yes: after the full sync it rewrites its AOF from the dataset its master sent
 * (restartAOFAfterSYNC), and its master's MULTI ... EXEC blocks are logged as the master logs them, wrapped
 * in MULTI/EXEC.
 */
class ReplicaAppendOnlyFileTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 25170;
    private static final int LAST_PORT = 25189;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    private String incr(int port, int seq) {
        try {
            return Files.readString(dir.resolve("appendonlydir-" + port).resolve("appendonly-" + port + ".aof." + seq
                    + ".incr.aof"), ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aReplicaRewritesItsAofAfterTheFullSyncAndLogsTransactionsWhole() throws Exception {
        List<Integer> ports = freePorts(2);
        int masterPort = ports.get(0);
        int replicaPort = ports.get(1);
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(ports).bare(true).dir(dir)
                .config("appendonly", "yes").log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE).start();
                RespClient master = new RespClient(masterPort); RespClient replica = new RespClient(replicaPort)) {
            master.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            waitUntil("the master serves every slot", () -> master.call("CLUSTER", "INFO").contains("cluster_state:ok"));
            assertEquals("+OK\r\n", master.call("SET", "{t}before", "sync"));
            String masterId = master.call("CLUSTER", "MYID").split("\r\n")[1];
            replica.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(masterPort));
            waitUntil("the replica knows its master",
                    () -> replica.call("CLUSTER", "NODES").contains(masterId + " 127.0.0.1:" + masterPort));
            assertEquals("+OK\r\n", replica.call("CLUSTER", "REPLICATE", masterId));
            waitUntil("the replica synced", () -> replica.call("INFO", "replication")
                    .contains("master_link_status:up"));
            // The start wrote base 1 and incr 1; the rewrite after the sync writes base 2 and incr 2.
            waitUntil("the replica rewrote its AOF after the sync", () -> {
                String info = replica.call("INFO", "persistence");
                return info.contains("aof_rewrites:1\r\n") && info.contains("aof_rewrite_in_progress:0\r\n")
                        && info.contains("aof_last_bgrewrite_status:ok\r\n");
            });
            assertTrue(Files.exists(dir.resolve("appendonlydir-" + replicaPort)
                    .resolve("appendonly-" + replicaPort + ".aof.2.base.rdb")));
            waitUntil("the master serves every slot", () -> master.call("CLUSTER", "INFO").contains("cluster_state:ok"));
            master.call("MULTI");
            master.call("SET", "{t}a", "1");
            master.call("INCR", "{t}n");
            assertEquals("*2\r\n+OK\r\n:1\r\n", master.call("EXEC"));
            assertEquals("+OK\r\n", master.call("SET", "{t}b", "2"));
            String logged = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                    + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$4\r\n{t}a\r\n$1\r\n1\r\n"
                    + "*2\r\n$4\r\nINCR\r\n$4\r\n{t}n\r\n*1\r\n$4\r\nEXEC\r\n"
                    + "*3\r\n$3\r\nSET\r\n$4\r\n{t}b\r\n$1\r\n2\r\n";
            waitUntil("the replica logged its master's last write",
                    () -> incr(replicaPort, 2).endsWith("{t}b\r\n$1\r\n2\r\n"));
            assertEquals(logged, incr(replicaPort, 2));
            // The master logged the same after its own first write.
            waitUntil("the master logged its last write", () -> incr(masterPort, 1).endsWith("{t}b\r\n$1\r\n2\r\n"));
            assertEquals(logged.replace("*1\r\n$5\r\nMULTI", "*3\r\n$3\r\nSET\r\n$9\r\n{t}before\r\n$4\r\nsync\r\n"
                    + "*1\r\n$5\r\nMULTI"), incr(masterPort, 1));
        }
    }
}
