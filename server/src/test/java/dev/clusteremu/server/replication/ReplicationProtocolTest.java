package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.TestPorts;
import dev.clusteremu.server.rdb.RdbKey;
import dev.clusteremu.server.rdb.RdbReader;
import dev.clusteremu.server.rdb.RdbVisitor;

/**
 * The master side of Redis 7.0's replication protocol, byte for byte, against a replica played by hand:
 * the handshake, full and partial resyncs, the stream with its rewritten commands, ACKs and WAIT, and the
 * client pause of a manual failover. Keys are tagged {b}, whose slot the first of three masters owns.
 */
class ReplicationProtocolTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 7660;
    private static final int LAST_PORT = 7699;

    private static EmulatedCluster cluster;
    private static RedisNode master;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().ports(freePorts(3)).replicas(0).start();
        if (!cluster.awaitStateOk(60_000)) {
            throw new IllegalStateException("cluster did not reach state ok");
        }
        master = cluster.server(0);
        port = master.port();
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

    /** What a full sync gave a replica: the history and offset announced, and the RDB's contents. */
    private record FullSync(String replid, long offset, Map<String, String> aux, Map<String, String> keys) {
    }

    /** Redis 7.0's handshake up to +FULLRESYNC and the RDB, as a replica listening on 7777. */
    private static FullSync fullSync(FakeReplica r, String... psync) throws IOException {
        assertEquals("+PONG\r\n", r.call("PING"));
        assertEquals("+OK\r\n", r.call("REPLCONF", "listening-port", "7777"));
        assertEquals("+OK\r\n", r.call("REPLCONF", "capa", "eof", "capa", "psync2"));
        r.send(psync.length == 0 ? new String[] {"PSYNC", "?", "-1"} : psync);
        String[] fullresync = r.reply().split(" ");
        assertEquals("+FULLRESYNC", fullresync[0]);
        assertTrue(fullresync[1].matches("[0-9a-f]{40}"), fullresync[1]);
        Map<String, String> aux = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        RdbReader.read(new ByteArrayInputStream(r.payload()), new RdbVisitor<byte[]>() {
            @Override
            public void aux(byte[] name, byte[] value) {
                aux.put(new String(name, ISO_8859_1), new String(value, ISO_8859_1));
            }

            @Override
            public void keyValue(RdbKey key, byte[] value) {
                keys.put(new String(key.key(), ISO_8859_1), new String(value, ISO_8859_1));
            }
        });
        return new FullSync(fullresync[1], Long.parseLong(fullresync[2]), aux, keys);
    }

    private static String info(FakeReplica c, String field) {
        String text = c.call("INFO", "all");
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    @Test
    void aFullSyncSendsFullresyncThenAnEofMarkedRdbOfThatOffsetThenTheStreamFromTheFirstAck() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            assertEquals("+OK\r\n", client.call("SET", "{b}before", "1"));
            FullSync sync = fullSync(replica);
            assertEquals(sync.replid, sync.aux.get("repl-id"));
            assertEquals(Long.toString(sync.offset), sync.aux.get("repl-offset"));
            assertEquals("0", sync.aux.get("repl-stream-db"));
            assertEquals("7.0.15", sync.aux.get("redis-ver"));
            assertEquals("1", sync.keys.get("{b}before"));

            assertEquals("+OK\r\n", client.call("SET", "{b}after", "2"));
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));
            // A new replica's stream starts by selecting the db.
            assertEquals(Resp.command("SELECT", "0"), replica.commandNotPing());
            assertEquals(Resp.command("SET", "{b}after", "2"), replica.commandNotPing());
            assertEquals(sync.replid, info(client, "master_replid"));
        }
    }

    @Test
    void theOldSyncGetsABulkRdbAndTheStreamRightBehindIt() {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            replica.send("SYNC");
            String header = replica.reply();
            assertTrue(header.matches("\\$[0-9]+"), header);
            assertTrue(new String(replica.bytes(Integer.parseInt(header.substring(1))), ISO_8859_1).startsWith("REDIS0010"));
            client.call("SET", "{b}old", "sync");
            assertEquals(Resp.command("SELECT", "0"), replica.commandNotPing());
            assertEquals(Resp.command("SET", "{b}old", "sync"), replica.commandNotPing());
        }
    }

    @Test
    void withoutDisklessSyncTheRdbGoesAsABulkOfKnownLengthAndTheStreamFollowsAtOnce() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            assertEquals("+OK\r\n", client.call("CONFIG", "SET", "repl-diskless-sync", "no"));
            try {
                assertEquals("+OK\r\n", replica.call("REPLCONF", "capa", "eof", "capa", "psync2"));
                replica.send("PSYNC", "?", "-1");
                assertTrue(replica.reply().startsWith("+FULLRESYNC "));
                String header = replica.reply();
                assertTrue(header.matches("\\$[0-9]+"), header);
                replica.bytes(Integer.parseInt(header.substring(1)));
                client.call("SET", "{b}disk", "1");
                assertEquals(Resp.command("SELECT", "0"), replica.commandNotPing());
                assertEquals(Resp.command("SET", "{b}disk", "1"), replica.commandNotPing());
            } finally {
                client.call("CONFIG", "SET", "repl-diskless-sync", "yes");
            }
        }
    }

    @Test
    void anRdbOnlyReplicaGetsTheRdbAndIsDisconnected() throws IOException {
        try (FakeReplica replica = new FakeReplica(port)) {
            assertEquals("+OK\r\n", replica.call("REPLCONF", "rdb-only", "1"));
            FullSync sync = fullSync(replica);
            assertEquals(sync.replid, sync.aux.get("repl-id"));
            assertTrue(replica.closedByMaster());
        }
    }

    @Test
    void writesGoOutAsTheChangeTheyMadeWithAbsoluteTimes() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            FullSync sync = fullSync(replica);
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));

            long before = System.currentTimeMillis();
            assertEquals("+OK\r\n", client.call("SET", "{b}k", "v", "EX", "100"));
            long after = System.currentTimeMillis();
            assertEquals(Resp.command("SELECT", "0"), replica.commandNotPing());
            String set = replica.commandNotPing();
            assertTrue(set.startsWith(Resp.command("SET", "{b}k", "v", "PXAT").replace("*4", "*5")), set);
            long pxat = Long.parseLong(set.split("\r\n")[10]);
            assertTrue(pxat >= before + 100_000 && pxat <= after + 100_000, set);

            client.call("SET", "{b}k", "w", "GET");
            assertEquals(Resp.command("SET", "{b}k", "w"), replica.commandNotPing());
            client.call("INCRBYFLOAT", "{b}f", "1.5");
            assertEquals(Resp.command("SET", "{b}f", "1.5", "KEEPTTL"), replica.commandNotPing());
            client.call("GETEX", "{b}f", "PXAT", "99999999999999");
            assertEquals(Resp.command("PEXPIREAT", "{b}f", "99999999999999"), replica.commandNotPing());
            client.call("GETEX", "{b}f", "PERSIST");
            assertEquals(Resp.command("PERSIST", "{b}f"), replica.commandNotPing());
            client.call("GETEX", "{b}f", "PERSIST");
            client.call("GETEX", "{b}f", "PXAT", "1");
            // The PERSIST that changed nothing went nowhere.
            assertEquals(Resp.command("DEL", "{b}f"), replica.commandNotPing());
            client.call("EXPIREAT", "{b}k", "99999999999", "NX");
            assertEquals(Resp.command("PEXPIREAT", "{b}k", "99999999999000", "NX"), replica.commandNotPing());
            client.call("PEXPIREAT", "{b}k", "99999999999999");
            assertEquals(Resp.command("PEXPIREAT", "{b}k", "99999999999999"), replica.commandNotPing());
            client.call("EXPIRE", "{b}k", "-1");
            assertEquals(Resp.command("DEL", "{b}k"), replica.commandNotPing());
            client.call("SETEX", "{b}s", "100", "v");
            assertTrue(replica.commandNotPing().startsWith("*5\r\n$3\r\nSET\r\n$4\r\n{b}s\r\n$1\r\nv\r\n$4\r\nPXAT\r\n"));
            client.call("GETSET", "{b}s", "w");
            assertEquals(Resp.command("SET", "{b}s", "w"), replica.commandNotPing());
            client.call("GETDEL", "{b}s");
            assertEquals(Resp.command("DEL", "{b}s"), replica.commandNotPing());
            client.call("DEL", "{b}none");
            client.call("APPEND", "{b}a", "x");
            client.call("APPEND", "{b}a", "y");
            // The DEL that deleted nothing went nowhere; APPEND on an existing string did go.
            assertEquals(Resp.command("APPEND", "{b}a", "x"), replica.commandNotPing());
            assertEquals(Resp.command("APPEND", "{b}a", "y"), replica.commandNotPing());
            client.call("FLUSHALL");
            assertEquals(Resp.command("FLUSHALL"), replica.commandNotPing());
            // Even when it had nothing to flush: the replica might have something.
            client.call("FLUSHALL");
            assertEquals(Resp.command("FLUSHALL"), replica.commandNotPing());
        }
    }

    @Test
    void anExpiredKeyGoesOutAsADelWrappedWithTheWriteThatFoundIt() throws Exception {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            FullSync sync = fullSync(replica);
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));
            client.call("SET", "{b}x", "v", "PX", "1");
            assertTrue(replica.commandNotPing().contains("SELECT"));
            assertTrue(replica.commandNotPing().startsWith("*5\r\n$3\r\nSET\r\n$4\r\n{b}x\r\n"));
            Thread.sleep(5);
            client.call("SET", "{b}x", "w");
            // Either the active expire cycle deleted it first, or the SET found it expired: then both go
            // out in one transaction.
            String next = replica.commandNotPing();
            if (next.equals(Resp.command("MULTI"))) {
                assertEquals(Resp.command("DEL", "{b}x"), replica.commandNotPing());
                assertEquals(Resp.command("SET", "{b}x", "w"), replica.commandNotPing());
                assertEquals(Resp.command("EXEC"), replica.commandNotPing());
            } else {
                assertEquals(Resp.command("DEL", "{b}x"), next);
                assertEquals(Resp.command("SET", "{b}x", "w"), replica.commandNotPing());
            }
        }
    }

    @Test
    void aReplicaThatLostItsLinkContinuesWithTheBytesItMissed() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica first = new FakeReplica(port)) {
            FullSync sync = fullSync(first);
            first.send("REPLCONF", "ACK", Long.toString(sync.offset));
            long okBefore = Long.parseLong(info(client, "sync_partial_ok"));
            client.call("SET", "{b}p", "1");
            client.call("INCR", "{b}p");
            String missed = first.commandNotPing() + first.commandNotPing() + first.commandNotPing();
            try (FakeReplica second = new FakeReplica(port)) {
                assertEquals("+OK\r\n", second.call("REPLCONF", "capa", "eof", "capa", "psync2"));
                second.send("PSYNC", sync.replid, Long.toString(sync.offset + 1));
                assertEquals("+CONTINUE " + sync.replid, second.reply());
                String got = second.commandNotPing() + second.commandNotPing() + second.commandNotPing();
                assertEquals(missed, got);
            }
            assertEquals(okBefore + 1, Long.parseLong(info(client, "sync_partial_ok")));
        }
    }

    @Test
    void aPsyncThatCantContinueIsAFullSyncCountedAsAFailedPartialOneUnlessItAskedForAFullOne() throws IOException {
        try (FakeReplica client = new FakeReplica(port)) {
            long err = Long.parseLong(info(client, "sync_partial_err"));
            long full = Long.parseLong(info(client, "sync_full"));
            try (FakeReplica r = new FakeReplica(port)) {
                fullSync(r, "PSYNC", "a".repeat(40), "1");
            }
            try (FakeReplica r = new FakeReplica(port)) {
                fullSync(r, "PSYNC", "?", "-1");
            }
            assertEquals(err + 1, Long.parseLong(info(client, "sync_partial_err")));
            assertEquals(full + 2, Long.parseLong(info(client, "sync_full")));
        }
    }

    @Test
    void aReplicaWithoutPsync2GetsAPlainContinue() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica first = new FakeReplica(port)) {
            FullSync sync = fullSync(first);
            try (FakeReplica second = new FakeReplica(port)) {
                second.send("PSYNC", sync.replid, Long.toString(sync.offset + 1));
                assertEquals("+CONTINUE", second.reply());
            }
        }
    }

    @Test
    void replicationCommandsRefuseBadInputWithRedisErrors() {
        try (FakeReplica c = new FakeReplica(port)) {
            assertEquals("-ERR syntax error\r\n", c.call("REPLCONF", "a"));
            assertEquals("-ERR Unrecognized REPLCONF option: foo\r\n", c.call("REPLCONF", "foo", "bar"));
            assertEquals("-ERR value is not an integer or out of range\r\n",
                    c.call("REPLCONF", "listening-port", "x"));
            assertEquals("-ERR value is out of range, value must between 0 and 1\r\n",
                    c.call("REPLCONF", "rdb-only", "2"));
            assertEquals("-ERR Unsupported rdb-filter-only option: x\r\n", c.call("REPLCONF", "rdb-filter-only", "x"));
            assertEquals("-ERR Missing rdb-filter-only values\r\n", c.call("REPLCONF", "rdb-filter-only", "'a"));
            assertEquals("+OK\r\n", c.call("REPLCONF", "capa", "x"));
            assertEquals("-ERR REPLCONF ip-address provided by replica instance is too long: 300 bytes\r\n",
                    c.call("REPLCONF", "ip-address", "a".repeat(300)));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("PSYNC", "a", "b"));
            assertEquals("-ERR wrong number of arguments for 'psync' command\r\n", c.call("PSYNC", "a"));
            assertEquals("-ERR timeout is not an integer or out of range\r\n", c.call("WAIT", "1", "x"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("WAIT", "x", "1"));
            assertEquals("-ERR timeout is negative\r\n", c.call("WAIT", "1", "-1"));
            assertEquals(":0\r\n", c.call("WAIT", "0", "0"));
        }
    }

    @Test
    void waitBlocksUntilTheReplicaAcknowledgesTheClientsLastWriteAndRepliesStayInOrder() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            FullSync sync = fullSync(replica);
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));
            long offset = sync.offset;
            assertEquals("+OK\r\n", client.call("SET", "{b}w", "1"));
            // WAIT blocks; the PING behind it waits its turn.
            client.send("WAIT", "1", "0");
            client.send("PING");
            String cmd;
            while (!(cmd = replica.command()).equals(Resp.command("REPLCONF", "GETACK", "*"))) {
                offset += cmd.length();
            }
            // The GETACK itself was not applied yet when the replica answers it.
            replica.send("REPLCONF", "ACK", Long.toString(offset));
            assertEquals(":1", client.reply());
            assertEquals("+PONG", client.reply());
            assertTrue(client.call("INFO", "replication").contains(",port=7777,state=online,offset=" + offset + ","));
        }
    }

    @Test
    void waitTimesOutWithTheReplicasThatDidAcknowledge() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            FullSync sync = fullSync(replica);
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));
            client.call("SET", "{b}t", "1");
            assertEquals(":0\r\n", client.call("WAIT", "1", "50"));
        }
    }

    @Test
    void aReplicaConnectionIsListedAsOneAndMayNotTouchKeys() throws IOException {
        try (FakeReplica client = new FakeReplica(port); FakeReplica replica = new FakeReplica(port)) {
            FullSync sync = fullSync(replica);
            replica.send("REPLCONF", "ACK", Long.toString(sync.offset));
            String list = client.call("CLIENT", "LIST", "TYPE", "replica");
            assertTrue(list.contains(" flags=S "), list);
            replica.send("GET", "{b}k");
            assertEquals("-ERR Replica can't interact with the keyspace", replica.replyNotPing());
            String role = client.call("ROLE");
            assertTrue(role.startsWith("*3\r\n$6\r\nmaster\r\n:"), role);
            assertTrue(role.contains("*3\r\n$9\r\n127.0.0.1\r\n$4\r\n7777\r\n$"), role);
        }
    }

    @Test
    void pausedWritesWaitInOrderWhileReadsGoOn() throws Exception {
        try (FakeReplica writer = new FakeReplica(port); FakeReplica reader = new FakeReplica(port)) {
            assertEquals("+OK\r\n", writer.call("SET", "{b}r", "old"));
            master.call(() -> {
                master.data().pauseWrites(master.now() + 60_000);
                return null;
            });
            try {
                writer.send("SET", "{b}r", "new");
                writer.send("GET", "{b}r");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!reader.call("CLIENT", "LIST").contains(" flags=b ")) {
                    assertTrue(System.nanoTime() < deadline, "the write never blocked");
                }
                assertEquals("$3\r\nold\r\n", reader.call("GET", "{b}r"));
                assertTrue(reader.call("INFO", "clients").contains("blocked_clients:1\r\n"));
            } finally {
                master.call(() -> {
                    master.data().unpauseWrites();
                    return null;
                });
            }
            assertEquals("+OK", writer.reply());
            assertEquals("$3", writer.reply());
            assertEquals("new", writer.reply());
        }
    }

    @Test
    void aWritePauseEndsOnItsOwn() throws Exception {
        try (FakeReplica writer = new FakeReplica(port)) {
            master.call(() -> {
                master.data().pauseWrites(master.now() + 100);
                return null;
            });
            assertEquals("+OK\r\n", writer.call("SET", "{b}q", "1"));
        }
    }
}
