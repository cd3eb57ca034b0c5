package dev.clusteremu.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.TestPorts;

/**
 * What transactions, evictions and WATCH do on the replication link: EXEC propagates its writes wrapped in
 * MULTI/EXEC when there are several (propagatePendingCommands), a replica applies them, and a replica's
 * WATCH is touched by its master's stream.
 */
class TransactionReplicationTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 7900;
    private static final int LAST_PORT = 7915;

    private static EmulatedCluster cluster;
    private static int masterPort;
    private static int replicaPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(freePorts(6)).masters(3).replicasPerMaster(1).start();
        if (!cluster.awaitStateOk(60_000)) {
            throw new IllegalStateException("cluster did not reach state ok");
        }
        // A replica syncs a moment after the cluster is ok, and its full sync makes the master SELECT again
        // in the stream every replica reads: the tests' own replicas must not see that SELECT mid-test.
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (RedisNode n : cluster.nodes()) {
            while (!n.call(() -> !n.replication().isReplica() || n.replication().isLinkUp())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replica on " + n.port() + " did not sync");
                }
                Thread.sleep(20);
            }
        }
        masterPort = cluster.server(0).port();
        replicaPort = cluster.nodes().stream()
                .filter(n -> n.call(() -> n.replication().isReplica() && n.replication().masterPort() == masterPort))
                .findFirst().orElseThrow().port();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }

    /** A fake replica of the master, fully synced and acknowledged, its SELECT consumed by a first write. */
    private static FakeReplica syncedReplica(FakeReplica client) {
        FakeReplica replica = new FakeReplica(masterPort);
        assertEquals("+PONG\r\n", replica.call("PING"));
        assertEquals("+OK\r\n", replica.call("REPLCONF", "listening-port", "7777"));
        assertEquals("+OK\r\n", replica.call("REPLCONF", "capa", "eof", "capa", "psync2"));
        replica.send("PSYNC", "?", "-1");
        String[] fullresync = replica.reply().split(" ");
        replica.payload();
        replica.send("REPLCONF", "ACK", fullresync[2]);
        client.call("SET", "{b}warmup", "1");
        assertEquals(Resp.command("SELECT", "0"), replica.commandNotPing());
        assertEquals(Resp.command("SET", "{b}warmup", "1"), replica.commandNotPing());
        return replica;
    }

    @Test
    void execWithSeveralWritesPropagatesThemInMultiExec() {
        try (FakeReplica client = new FakeReplica(masterPort); FakeReplica replica = syncedReplica(client)) {
            assertEquals("+OK\r\n", client.call("MULTI"));
            assertEquals("+QUEUED\r\n", client.call("SET", "{b}a", "1", "EX", "100"));
            assertEquals("+QUEUED\r\n", client.call("GET", "{b}a"));
            assertEquals("+QUEUED\r\n", client.call("INCR", "{b}n"));
            assertEquals("+QUEUED\r\n", client.call("INCR", "{b}a"));
            String exec = client.call("EXEC");
            assertEquals("*4\r\n+OK\r\n$1\r\n1\r\n:1\r\n:2\r\n", exec);
            assertEquals(Resp.command("MULTI"), replica.commandNotPing());
            // Each command goes out as it ran, rewritten as it rewrites itself.
            assertTrue(replica.commandNotPing().startsWith("*5\r\n$3\r\nSET\r\n$4\r\n{b}a\r\n$1\r\n1\r\n$4\r\nPXAT\r\n"));
            assertEquals(Resp.command("INCR", "{b}n"), replica.commandNotPing());
            assertEquals(Resp.command("INCR", "{b}a"), replica.commandNotPing());
            assertEquals(Resp.command("EXEC"), replica.commandNotPing());
        }
    }

    @Test
    void execWithOneWriteOrNoneIsNotWrapped() {
        try (FakeReplica client = new FakeReplica(masterPort); FakeReplica replica = syncedReplica(client)) {
            client.call("MULTI");
            client.call("GET", "{b}x");
            client.call("SET", "{b}x", "1");
            client.call("DEL", "{b}missing");
            assertEquals("*3\r\n$-1\r\n+OK\r\n:0\r\n", client.call("EXEC"));
            client.call("MULTI");
            client.call("GET", "{b}x");
            client.call("EXEC");
            client.call("SET", "{b}marker", "1");
            assertEquals(Resp.command("SET", "{b}x", "1"), replica.commandNotPing());
            assertEquals(Resp.command("SET", "{b}marker", "1"), replica.commandNotPing());
        }
    }

    @Test
    void aDiscardedOrAbortedTransactionPropagatesNothing() {
        try (FakeReplica client = new FakeReplica(masterPort); FakeReplica replica = syncedReplica(client)) {
            client.call("MULTI");
            client.call("SET", "{b}y", "1");
            client.call("DISCARD");
            client.call("MULTI");
            client.call("SET", "{b}y", "1");
            client.call("SET", "{b}y");
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.call("EXEC"));
            client.call("SET", "{b}marker", "2");
            assertEquals(Resp.command("SET", "{b}marker", "2"), replica.commandNotPing());
        }
    }

    @Test
    void aReplicaAppliesItsMastersTransactionsAndItsWatchersSeeThem() throws Exception {
        try (FakeReplica master = new FakeReplica(masterPort); FakeReplica reader = new FakeReplica(replicaPort)) {
            assertEquals("+OK\r\n", reader.call("READONLY"));
            assertEquals("+OK\r\n", reader.call("WATCH", "{b}w"));
            master.call("MULTI");
            master.call("SET", "{b}w", "1");
            master.call("INCR", "{b}w");
            assertEquals("*2\r\n+OK\r\n:2\r\n", master.call("EXEC"));
            assertEquals(":1\r\n", master.call("WAIT", "1", "5000"));
            assertEquals("$1\r\n2\r\n", reader.call("GET", "{b}w"));
            // The master's stream touched the watched key: the replica's EXEC fails.
            assertEquals("+OK\r\n", reader.call("MULTI"));
            assertEquals("+QUEUED\r\n", reader.call("GET", "{b}w"));
            assertEquals("*-1\r\n", reader.call("EXEC"));
            // Without a change since WATCH, a read-only transaction runs on the replica.
            assertEquals("+OK\r\n", reader.call("WATCH", "{b}w"));
            assertEquals("+OK\r\n", reader.call("MULTI"));
            assertEquals("+QUEUED\r\n", reader.call("GET", "{b}w"));
            assertEquals("*1\r\n$1\r\n2\r\n", reader.call("EXEC"));
            // A write inside is redirected to the master, which dooms the transaction.
            assertEquals("+OK\r\n", reader.call("MULTI"));
            assertTrue(reader.call("SET", "{b}w", "3").startsWith("-MOVED 3300 "));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", reader.call("EXEC"));
        }
    }

    @Test
    void askingBeforeMultiCoversTheWholeTransactionOnAnImportingSlot() {
        int importer = cluster.server(1).port();
        try (FakeReplica owner = new FakeReplica(masterPort); FakeReplica target = new FakeReplica(importer)) {
            String ownerId = owner.call("CLUSTER", "MYID").split("\r\n")[1];
            assertEquals("+OK\r\n", target.call("CLUSTER", "SETSLOT", "3300", "IMPORTING", ownerId));
            try {
                // Without ASKING the slot is still the owner's: queueing is refused, the transaction doomed.
                assertEquals("+OK\r\n", target.call("MULTI"));
                assertTrue(target.call("SET", "{b}asked", "1").startsWith("-MOVED 3300 "));
                assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", target.call("EXEC"));
                // ASKING sent before MULTI holds until EXEC.
                assertEquals("+OK\r\n", target.call("ASKING"));
                assertEquals("+OK\r\n", target.call("MULTI"));
                assertEquals("+QUEUED\r\n", target.call("SET", "{b}asked", "1"));
                assertEquals("+QUEUED\r\n", target.call("GET", "{b}asked"));
                assertEquals("*2\r\n+OK\r\n$1\r\n1\r\n", target.call("EXEC"));
                assertTrue(target.call("GET", "{b}asked").startsWith("-MOVED 3300 "));
            } finally {
                target.call("ASKING");
                target.call("DEL", "{b}asked");
                target.call("CLUSTER", "SETSLOT", "3300", "STABLE");
            }
        }
    }

    @Test
    void evictedKeysReachReplicasAsDels() {
        try (FakeReplica client = new FakeReplica(masterPort); FakeReplica replica = syncedReplica(client)) {
            try {
                client.call("SET", "{b}e", "x");
                assertEquals(Resp.command("SET", "{b}e", "x"), replica.commandNotPing());
                client.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random", "maxmemory", "1");
                assertTrue(client.call("SET", "{b}f", "1").startsWith("-OOM "));
                String del = replica.commandNotPing();
                assertTrue(del.startsWith("*2\r\n$3\r\nDEL\r\n"), del);
            } finally {
                client.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
            }
        }
    }
}
