package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.TestPorts;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbSaveInfo;
import dev.clusteremu.server.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The replica side of Redis 7.0's replication protocol, byte for byte, against a master played by hand: the
 * handshake a replica sends, the RDB it loads, the stream it applies and acknowledges, and how it
 * reconnects and continues. The node is a lone emulated node told to replicate the fake master, as its
 * cluster layer would tell it.
 */
class ReplicaSideProtocolTest {
    private static final int FIRST_PORT = 7660;
    private static final int LAST_PORT = 7699;
    private static final String MASTER_ID = "a".repeat(40);

    private EmulatedCluster cluster;
    private RedisNode node;
    private ServerSocket fakeMaster;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        int nodePort = freePort(true);
        cluster = EmulatedCluster.builder().ports(List.of(nodePort)).bare(true)
                .log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE).start();
        node = cluster.server(0);
        fakeMaster = new ServerSocket(freePort(false), 50, InetAddress.getByName("127.0.0.1"));
        fakeMaster.setSoTimeout(60_000);
    }

    @AfterEach
    void stop() throws IOException {
        cluster.close();
        fakeMaster.close();
    }

    private static int freePort(boolean withBus) {
        for (int p = FIRST_PORT; p <= LAST_PORT; p++) {
            if (TestPorts.isFree(p) && (!withBus || TestPorts.isFree(p + 10000))) {
                return p;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    private void replicateFakeMaster() {
        node.call(() -> {
            node.data().replicateFrom("127.0.0.1", fakeMaster.getLocalPort());
            return null;
        });
    }

    private String nodeInfo(String field) {
        String text = node.call(() -> {
            StringBuilder sb = new StringBuilder();
            node.replication().info((name, value) -> sb.append(name).append(':').append(value).append('\n'));
            return sb.toString();
        });
        for (String line : text.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    private String value(String key) {
        return node.call(() -> {
            Object v = node.keyspace().peek(key.getBytes(ISO_8859_1));
            return v == null ? null : new String(((StringValue) v).bytes(), ISO_8859_1);
        });
    }

    /** An RDB as a Redis 7.0 master makes it for a replica, with the given string keys. */
    private static byte[] rdb(long offset, String... keyValues) {
        ByteBuf out = Unpooled.buffer();
        RdbEncoder rdb = new RdbEncoder(out);
        rdb.writeHeader();
        rdb.writeInfoAuxFields(0, 0, new RdbSaveInfo(0, MASTER_ID, offset), false);
        rdb.writeSelectDb(0);
        rdb.writeResizeDb(keyValues.length / 2, 0);
        for (int i = 0; i < keyValues.length; i += 2) {
            rdb.writeStringKeyValue(keyValues[i].getBytes(ISO_8859_1), keyValues[i + 1].getBytes(ISO_8859_1), -1);
        }
        rdb.writeEof();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** The master's end of one connection from the replica. */
    private static final class MasterEnd implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        MasterEnd(ServerSocket listener) throws IOException {
            socket = listener.accept();
            socket.setSoTimeout(60_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Reads exactly {@code n} bytes, as text. */
        String read(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            return new String(b, ISO_8859_1);
        }

        /** Reads one command the replica sent, raw. */
        String command() throws IOException {
            StringBuilder raw = new StringBuilder();
            String header = line();
            raw.append(header);
            int argc = Integer.parseInt(header.substring(1, header.length() - 2));
            for (int i = 0; i < argc; i++) {
                String len = line();
                raw.append(len);
                raw.append(read(Integer.parseInt(len.substring(1, len.length() - 2)) + 2));
            }
            return raw.toString();
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            do {
                c = in.read();
                if (c < 0) {
                    throw new IOException("closed");
                }
                sb.append((char) c);
            } while (c != '\n');
            return sb.toString();
        }

        void write(String s) throws IOException {
            out.write(s.getBytes(ISO_8859_1));
            out.flush();
        }

        void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** Whether the replica closed the connection (the next read sees its end). */
        boolean closedByReplica() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The handshake a Redis 7.0 replica sends, up to PSYNC, which is returned. */
    private String handshake(MasterEnd m) throws IOException {
        assertEquals(Resp.command("PING"), m.command());
        m.write("+PONG\r\n");
        assertEquals(Resp.command("REPLCONF", "listening-port", Integer.toString(node.port())), m.command());
        assertEquals(Resp.command("REPLCONF", "capa", "eof", "capa", "psync2"), m.command());
        m.write("+OK\r\n+OK\r\n");
        return m.command();
    }

    @Test
    void aReplicaHandshakesLoadsTheRdbAppliesTheStreamAndAcknowledgesIt() throws Exception {
        String ownId = nodeInfo("master_replid");
        replicateFakeMaster();
        long offset;
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            // A master turned replica offers its own history: the new master may be its former replica.
            assertEquals(Resp.command("PSYNC", ownId, "1"), handshake(m));
            m.write("\n\n+FULLRESYNC " + MASTER_ID + " 100\r\n");
            String mark = "m".repeat(40);
            m.write("$EOF:" + mark + "\r\n");
            m.write(rdb(100, "a", "1", "b", "2"));
            m.write(mark);
            // After an EOF-marked RDB the replica acknowledges at once: that starts the stream.
            assertEquals(Resp.command("REPLCONF", "ACK", "100"), m.command());
            assertEquals("1", value("a"));
            String stream = Resp.command("SELECT", "0") + Resp.command("SET", "c", "3") + Resp.command("MULTI")
                    + Resp.command("DEL", "a") + Resp.command("SET", "d", "4") + Resp.command("EXEC")
                    + Resp.command("ping");
            m.write(stream);
            m.write(Resp.command("REPLCONF", "GETACK", "*"));
            // The GETACK is answered with the offset before it.
            offset = 100 + stream.length();
            assertEquals(Resp.command("REPLCONF", "ACK", Long.toString(offset)), m.command());
            assertNull(value("a"));
            assertEquals("2", value("b"));
            assertEquals("3", value("c"));
            assertEquals("4", value("d"));
            assertEquals("up", nodeInfo("master_link_status"));
            offset += Resp.command("REPLCONF", "GETACK", "*").length();
            long expected = offset;
            assertEquals(Long.toString(expected), nodeInfo("slave_repl_offset"));
            assertEquals(MASTER_ID, nodeInfo("master_replid"));
            assertEquals(Long.toString(expected), nodeInfo("master_repl_offset"));
        }
        // The link drops: the replica caches what it applied and continues from there.
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            assertEquals(Resp.command("PSYNC", MASTER_ID, Long.toString(offset + 1)), handshake(m));
            String newId = "b".repeat(40);
            m.write("+CONTINUE " + newId + "\r\n" + Resp.command("SET", "e", "5") + Resp.command("REPLCONF", "GETACK", "*"));
            offset += Resp.command("SET", "e", "5").length();
            assertEquals(Resp.command("REPLCONF", "ACK", Long.toString(offset)), m.command());
            assertEquals("5", value("e"));
            assertEquals(newId, nodeInfo("master_replid"));
            assertEquals(MASTER_ID, nodeInfo("master_replid2"));
        }
    }

    @Test
    void anRdbWithKeysThisNodeCantHoldFailsTheSyncLoudlyAndIsRetried() throws Exception {
        replicateFakeMaster();
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            handshake(m);
            ByteBuf out = Unpooled.buffer();
            RdbEncoder rdb = new RdbEncoder(out);
            rdb.writeHeader();
            rdb.writeSelectDb(0);
            // A module value: a module type id, then its opcode-annotated data, here only the EOF opcode.
            rdb.writeType(RdbType.MODULE_2);
            rdb.writeString("s".getBytes(ISO_8859_1));
            rdb.writeLength(0x1234);
            rdb.writeLength(0);
            rdb.writeEof();
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            m.write("+FULLRESYNC " + MASTER_ID + " 7\r\n$" + bytes.length + "\r\n");
            m.write(bytes);
            assertTrue(m.closedByReplica());
        }
        try (MasterEnd again = new MasterEnd(fakeMaster)) {
            assertEquals(Resp.command("PING"), again.command());
        }
        assertEquals("down", nodeInfo("master_link_status"));
        assertEquals(0L, (long) node.call(() -> node.keyspace().size()));
        assertTrue(log.toString(ISO_8859_1).contains("Failed trying to load the MASTER synchronization DB from disk: "
                + "Key 's' is a module value, which this emulator can't hold yet"), log.toString(ISO_8859_1));
    }

    @Test
    void aMasterThatRefusesPsyncForNowIsTriedAgain() throws Exception {
        replicateFakeMaster();
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            handshake(m);
            m.write("-NOMASTERLINK Can't SYNC while not connected with my master\r\n");
            assertTrue(m.closedByReplica());
        }
        try (MasterEnd again = new MasterEnd(fakeMaster)) {
            assertEquals(Resp.command("PING"), again.command());
        }
        assertTrue(log.toString(ISO_8859_1).contains("Master is currently unable to PSYNC but should be in the future: "
                + "-NOMASTERLINK Can't SYNC while not connected with my master"));
    }

    @Test
    void aReplicaPassesItsMastersStreamOnUnchangedToItsOwnReplicas() throws Exception {
        replicateFakeMaster();
        try (FakeReplica sub = new FakeReplica(node.port())) {
            assertEquals("+OK\r\n", sub.call("REPLCONF", "capa", "eof", "capa", "psync2"));
            sub.send("PSYNC", "?", "-1");
            // A replica can't pass on a stream it does not have yet.
            assertEquals("-NOMASTERLINK Can't SYNC while not connected with my master", sub.reply());
        }
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            handshake(m);
            byte[] rdb = rdb(50, "k", "v");
            m.write("+FULLRESYNC " + MASTER_ID + " 50\r\n$" + rdb.length + "\r\n");
            m.write(rdb);
            String set = Resp.command("SET", "x", "1");
            m.write(set);
            try (FakeReplica sub = new FakeReplica(node.port())) {
                assertEquals("+OK\r\n", sub.call("REPLCONF", "capa", "eof", "capa", "psync2"));
                // It serves its master's history, at the offset it applied.
                long offset = 50 + set.length();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Long.toString(offset).equals(nodeInfo("slave_repl_offset"))) {
                    assertTrue(System.nanoTime() < deadline, "the replica never applied the SET");
                }
                sub.send("PSYNC", "?", "-1");
                assertEquals("+FULLRESYNC " + MASTER_ID + " " + offset, sub.reply());
                sub.payload();
                sub.send("REPLCONF", "ACK", Long.toString(offset));
                String more = Resp.command("SET", "y", "2") + Resp.command("ping");
                m.write(more);
                // Byte for byte what the master sent: the master's own stream needs no SELECT of ours.
                assertEquals(Resp.command("SET", "y", "2"), sub.command());
                assertEquals(Resp.command("ping"), sub.command());
            }
        }
    }

    @Test
    void aReplicaCutOffFromItsMasterServesStaleDataUnlessToldNotTo() throws Exception {
        replicateFakeMaster();
        try (MasterEnd m = new MasterEnd(fakeMaster); FakeReplica client = new FakeReplica(node.port())) {
            assertEquals(":0\r\n", client.call("DBSIZE"));
            assertEquals("+OK\r\n", client.call("CONFIG", "SET", "replica-serve-stale-data", "no"));
            assertEquals("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n",
                    client.call("DBSIZE"));
            assertTrue(client.call("INFO", "replication").contains("master_link_status:down"));
        }
    }

    @Test
    void aReplicaAcknowledgesEverySecondAndAnswersRoleWithItsLink() throws Exception {
        replicateFakeMaster();
        try (MasterEnd m = new MasterEnd(fakeMaster)) {
            handshake(m);
            byte[] rdb = rdb(5);
            m.write("+FULLRESYNC " + MASTER_ID + " 5\r\n$" + rdb.length + "\r\n");
            m.write(rdb);
            m.write(Resp.command("SET", "k", "v"));
            // With a $<len> RDB the stream follows at once, and the cron ACKs it.
            String ack;
            do {
                ack = m.command();
            } while (!ack.equals(Resp.command("REPLCONF", "ACK", Long.toString(5 + Resp.command("SET", "k", "v").length()))));
            String role = node.call(() -> {
                ByteBuf buf = Unpooled.buffer();
                dev.clusteremu.server.resp.RespWriter w = new dev.clusteremu.server.resp.RespWriter(buf, 2);
                node.replication().link.role(w);
                return buf.toString(ISO_8859_1);
            });
            assertEquals("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + fakeMaster.getLocalPort()
                    + "\r\n$9\r\nconnected\r\n:" + (5 + Resp.command("SET", "k", "v").length()) + "\r\n", role);
        }
    }
}
