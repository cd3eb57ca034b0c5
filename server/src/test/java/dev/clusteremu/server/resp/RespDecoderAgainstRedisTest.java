package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clusteremu.server.TestPorts;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the same bytes to a real redis-server 7.0 and to {@link RespDecoder} and compares what a client
 * would read back. Skipped when /usr/bin/redis-server is absent.
 */
class RespDecoderAgainstRedisTest {

    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    /** The port range reserved for this module's real-server tests (a bus port, +10000, must be free too). */
    private static final int FIRST_PORT = 7150;
    private static final int LAST_PORT = 7199;
    private static final String PASSWORD = "pw";
    private static final byte[] AUTH = "AUTH pw\r\n".getBytes(ISO_8859_1);

    private static Process redis;
    private static Path dir;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), "needs /usr/bin/redis-server (Redis 7.0)");
        port = freePort();
        dir = Files.createTempDirectory("resp-decoder-redis");
        redis = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--requirepass", PASSWORD, "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !redis.isAlive()) {
                    fail("redis-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static int freePort() {
        for (int p = FIRST_PORT; p <= LAST_PORT; p++) {
            if (TestPorts.isFree(p) && TestPorts.isFree(p + 10000)) {
                return p;
            }
        }
        Assumptions.abort("no free port in " + FIRST_PORT + "-" + LAST_PORT);
        return -1;
    }

    /** Everything redis-server sends back for {@code input} until it closes the connection. */
    private static String redisReplyUntilClose(byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(input);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                reply.write(buf, 0, n);
            }
            return reply.toString(ISO_8859_1);
        }
    }

    /** One reply from redis-server for an input that does not make it close the connection. */
    private static String redisReply(byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(input);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            while (!isCompleteReply(reply.toByteArray())) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                reply.write(b);
            }
            return reply.toString(ISO_8859_1);
        }
    }

    /** Whether {@code r} holds "+OK\r\n" then one whole simple, error or bulk reply. */
    private static boolean isCompleteReply(byte[] r) {
        String s = new String(r, ISO_8859_1);
        if (!s.startsWith("+OK\r\n") || s.length() < 8 || !s.endsWith("\r\n")) {
            return false;
        }
        String reply = s.substring(5);
        if (reply.charAt(0) != '$') {
            return true;
        }
        int header = reply.indexOf("\r\n");
        int len = Integer.parseInt(reply.substring(1, header));
        return len < 0 || reply.length() == header + 2 + len + 2;
    }

    /** What our decoder yields for {@code input} read whole: argvs and at most one protocol error. */
    private static List<Object> decode(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        List<Object> out = new java.util.ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            out.add(m);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static byte[] authenticated(String request) {
        byte[] body = request.getBytes(ISO_8859_1);
        byte[] all = new byte[AUTH.length + body.length];
        System.arraycopy(AUTH, 0, all, 0, AUTH.length);
        System.arraycopy(body, 0, all, AUTH.length, body.length);
        return all;
    }

    @Test
    void protocolErrorRepliesMatchRedis() throws IOException {
        String[] requests = {
            "ECHO \"abc\r\n", "ECHO 'a'b\r\n", "x".repeat(70_000), "*" + "1".repeat(70_000), "*x\r\n", "*-0\r\n",
            "*2147483648\r\n", "*1\r\nfoo\r\n", "*1\r\n\r$4\r\n", "*1\r\n\u00e9\r\n", "*1\r\n$" + "1".repeat(70_000),
            "*1\r\n$-1\r\n", "*1\r\n$+4\r\n", "*1\r\n$536870913\r\n", "*1\r\n" + "x".repeat(70_000),
            "*1\r\n$" + "9".repeat(30) + "\r\n",
        };
        for (String request : requests) {
            byte[] input = authenticated(request);
            List<Object> decoded = decode(input);
            assertEquals(2, decoded.size(), request);
            String ours = "+OK\r\n" + new String(((ProtocolError) decoded.get(1)).reply(), ISO_8859_1);
            assertEquals(redisReplyUntilClose(input), ours, shorten(request));
        }
    }

    @Test
    void unauthenticatedLimitErrorsMatchRedis() throws IOException {
        for (String request : new String[] {"*11\r\n", "*1\r\n$16385\r\n"}) {
            byte[] input = request.getBytes(ISO_8859_1);
            RespDecoder decoder = new RespDecoder();
            decoder.setAuthenticated(false);
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            channel.writeInbound(Unpooled.wrappedBuffer(input));
            ProtocolError error = channel.readInbound();
            channel.finishAndReleaseAll();
            assertEquals(redisReplyUntilClose(input), new String(error.reply(), ISO_8859_1), request);
        }
    }

    /**
     * Random inline ECHO lines of quotes, escapes and blanks: where Redis echoes, we must have split the same
     * single argument; where it refuses the line, we must report the same protocol error.
     */
    @Test
    void inlineSplittingMatchesRedisOnRandomLines() throws IOException {
        char[] alphabet = {'a', 'x', '4', 'F', 'n', '"', '"', '\'', '\'', '\\', '\\', ' ', '\t', '\u000b', '\r'};
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            StringBuilder arg = new StringBuilder();
            for (int n = 1 + random.nextInt(10); n > 0; n--) {
                arg.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String request = "ECHO " + arg + "\r\n";
            byte[] input = authenticated(request);
            List<Object> decoded = decode(input);
            Object result = decoded.get(1);
            if (result instanceof ProtocolError error) {
                assertEquals(redisReplyUntilClose(input), "+OK\r\n" + new String(error.reply(), ISO_8859_1),
                        request);
                continue;
            }
            byte[][] argv = (byte[][]) result;
            String expected;
            if (argv.length == 2) {
                expected = "$" + argv[1].length + "\r\n" + new String(argv[1], ISO_8859_1) + "\r\n";
            } else {
                expected = "-ERR wrong number of arguments for 'echo' command\r\n";
            }
            assertEquals("+OK\r\n" + expected, redisReply(input), request);
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
