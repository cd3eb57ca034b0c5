package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.clusteremu.server.TestPorts;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server 7.0 in a temp dir on a port of this package's range (7550-7599, bus port +10000 free
 * too), with a minimal binary-safe RESP client. Tests using it call {@link #assumeInstalled()} first.
 */
final class RealRedis implements AutoCloseable {

    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    static final Path REDIS_CHECK_RDB = Path.of("/usr/bin/redis-check-rdb");
    private static final int FIRST_PORT = 7550;
    private static final int LAST_PORT = 7599;

    /** An error reply. */
    record Error(String message) {
    }

    final Path dir;
    final int port;
    private final Process process;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), "needs /usr/bin/redis-server (Redis 7.0)");
    }

    /** Starts a server in a fresh temp dir with persistence off, plus {@code extraArgs}. */
    static RealRedis start(String... extraArgs) throws Exception {
        return start(Files.createTempDirectory("rdb-redis"), extraArgs);
    }

    /** Starts a server in {@code dir} (which it deletes on close) with persistence off, plus {@code extraArgs}. */
    static RealRedis start(Path dir, String... extraArgs) throws Exception {
        return new RealRedis(dir, freePort(), extraArgs);
    }

    private RealRedis(Path dir, int port, String... extraArgs) throws Exception {
        this.dir = dir;
        this.port = port;
        List<String> cmd = new ArrayList<>(List.of(REDIS_SERVER.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(List.of(extraArgs));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                connect();
                Object pong = call("PING");
                if ("PONG".equals(pong)) {
                    return;
                }
                socket.close(); // still LOADING
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                String log = Files.readString(dir.resolve("redis.log"));
                close();
                throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + log);
            }
            Thread.sleep(50);
        }
    }

    private void connect() throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
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

    /** Sends a command of text arguments and returns its reply. */
    Object call(String... args) throws IOException {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(UTF_8);
        }
        return call(bytes);
    }

    /**
     * Sends a command and returns its reply: String (status), Error, Long, byte[] (bulk, null for nil) or
     * List (array).
     */
    Object call(byte[]... args) throws IOException {
        out.write(("*" + args.length + "\r\n").getBytes(UTF_8));
        for (byte[] a : args) {
            out.write(("$" + a.length + "\r\n").getBytes(UTF_8));
            out.write(a);
            out.write("\r\n".getBytes(UTF_8));
        }
        out.flush();
        return readReply();
    }

    private Object readReply() throws IOException {
        int kind = in.read();
        String line = readLine();
        switch (kind) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(readReply());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + kind);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\r'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.write(c);
        }
        in.read();
        return line.toString(UTF_8);
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.close();
        }
        process.destroy();
        process.waitFor();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
