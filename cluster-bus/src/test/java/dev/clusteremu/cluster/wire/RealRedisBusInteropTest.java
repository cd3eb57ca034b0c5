package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusteremu.cluster.FreePorts;
import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speaks the bus to a real redis-server 7.0 with this codec: our MEET is accepted and answered with a PONG
 * we decode, answering the node's PING with our id completes the handshake on its side, and an announced
 * hostname arrives as a ping extension.
 */
class RealRedisBusInteropTest {

    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
    private static final int PORT = FreePorts.clusterPort();
    private static final int BUS_PORT = PORT + FreePorts.BUS_PORT_OFFSET;
    /** The node we pretend to be; nothing listens on its client port. */
    private static final int OUR_PORT = FreePorts.clusterPort();
    private static final int OUR_BUS_PORT = OUR_PORT + FreePorts.BUS_PORT_OFFSET;
    private static final String OUR_ID = "c0dec0dec0dec0dec0dec0dec0dec0dec0dec0de";
    private static final long DEADLINE_MS = 60_000;

    private static Path dir;
    private static Process redis;

    @BeforeAll
    static void startRedis() throws Exception {
        assumeTrue(Files.isExecutable(REDIS_SERVER) && Files.isExecutable(REDIS_CLI),
                "/usr/bin/redis-server (and redis-cli) absent: skipping interop with real Redis");
        dir = Files.createTempDirectory("bus-interop");
        redis = new ProcessBuilder(REDIS_SERVER.toString(), "--port", String.valueOf(PORT), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + PORT + ".conf",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        waitUntil(() -> "PONG".equals(cli("ping")), "redis-server answering on port " + PORT);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void meetIsAnsweredWithPongAndTheHandshakeAdoptsOurId() throws Exception {
        String redisId = cli("cluster", "myid");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket ourBus = new ServerSocket(OUR_BUS_PORT, 1, loopback);
                Socket link = new Socket(loopback, BUS_PORT)) {
            link.setSoTimeout((int) DEADLINE_MS);
            write(link, new ClusterMessage(ourHeader(MessageType.MEET), new MessageBody.Ping(List.of(), List.of())));

            ClusterMessage pong = readMessage(link.getInputStream());
            assertEquals(MessageType.PONG, pong.type());
            assertEquals(redisId, pong.header().sender());
            assertEquals(NodeFlags.MYSELF | NodeFlags.MASTER, pong.header().flags());
            assertEquals(PORT, pong.header().port());
            assertEquals(BUS_PORT, pong.header().cport());
            assertNull(pong.header().slaveof());

            // Redis knows us only by address so far: a handshake node with a random name.
            waitUntil(() -> nodeLine(OUR_PORT).contains(" handshake "), "a handshake node for 127.0.0.1:" + OUR_PORT);

            // It connects to our bus port and PINGs; our PONG tells it our real id.
            ourBus.setSoTimeout((int) DEADLINE_MS);
            try (Socket inbound = ourBus.accept()) {
                inbound.setSoTimeout((int) DEADLINE_MS);
                ClusterMessage ping = readMessage(inbound.getInputStream());
                assertEquals(MessageType.PING, ping.type());
                assertEquals(redisId, ping.header().sender());
                write(inbound, new ClusterMessage(ourHeader(MessageType.PONG),
                        new MessageBody.Ping(List.of(), List.of())));
                waitUntil(() -> nodeLine(OUR_PORT).startsWith(
                        OUR_ID + " 127.0.0.1:" + OUR_PORT + "@" + OUR_BUS_PORT + " master - "),
                        "CLUSTER NODES listing " + OUR_ID + " as a master");
            }
        }
    }

    @Test
    void pongCarriesTheAnnouncedHostnameAsAPingExtension() throws Exception {
        assertEquals("OK", cli("config", "set", "cluster-announce-hostname", "bus-interop.example"));
        try (Socket link = new Socket(InetAddress.getByName("127.0.0.1"), BUS_PORT)) {
            link.setSoTimeout((int) DEADLINE_MS);
            // A PING is answered with a PONG even from a sender the node does not know.
            write(link, new ClusterMessage(ourHeader(MessageType.PING), new MessageBody.Ping(List.of(), List.of())));
            ClusterMessage pong = readMessage(link.getInputStream());
            assertEquals(MessageType.PONG, pong.type());
            assertEquals(MessageHeader.FLAG_EXT_DATA, pong.header().messageFlags() & MessageHeader.FLAG_EXT_DATA);
            MessageBody.Ping body = (MessageBody.Ping) pong.body();
            assertEquals(List.of(PingExtension.hostname("bus-interop.example")), body.extensions());
        } finally {
            cli("config", "set", "cluster-announce-hostname", "");
        }
    }

    /** A slotless master with our id and ports, no announced ip (Redis takes the socket's address). */
    private static MessageHeader ourHeader(int type) {
        return new MessageHeader(type, OUR_PORT, 0, 0, 0, OUR_ID, new SlotBitmap().toBytes(), null, "", 0,
                OUR_BUS_PORT, NodeFlags.MASTER, 0, 0);
    }

    private static void write(Socket socket, ClusterMessage msg) throws IOException {
        ByteBuf out = Unpooled.buffer();
        BusMessageCodec.encode(msg, out);
        socket.getOutputStream().write(out.array(), out.arrayOffset() + out.readerIndex(), out.readableBytes());
        socket.getOutputStream().flush();
        out.release();
    }

    /** Reads one frame as clusterReadHandler does (8 bytes, then the rest of totlen) and decodes it. */
    private static ClusterMessage readMessage(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] preamble = new byte[8];
        data.readFully(preamble);
        ByteBuf frame = Unpooled.buffer().writeBytes(preamble);
        long totlen = frame.getUnsignedInt(4);
        assertEquals(MessageHeader.SIGNATURE, frame.getInt(0));
        assertTrue(totlen >= MessageHeader.SIZE && totlen < 1 << 20, "sane totlen " + totlen);
        byte[] rest = new byte[(int) totlen - 8];
        data.readFully(rest);
        frame.writeBytes(rest);
        try {
            ClusterMessage msg = assertInstanceOf(ClusterMessage.class, BusMessageCodec.decode(frame));
            assertEquals(totlen, BusMessageCodec.totlen(msg), "totlen follows the type's layout");
            return msg;
        } finally {
            frame.release();
        }
    }

    /** The CLUSTER NODES line for the node at 127.0.0.1:{@code port}, or "". */
    private static String nodeLine(int port) {
        String address = " 127.0.0.1:" + port + "@";
        return cli("cluster", "nodes").lines().filter(l -> l.contains(address)).findFirst().orElse("");
    }

    private static String cli(String... args) {
        String[] cmd = Stream.concat(Stream.of(REDIS_CLI.toString(), "-p", String.valueOf(PORT)), Stream.of(args))
                .toArray(String[]::new);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
