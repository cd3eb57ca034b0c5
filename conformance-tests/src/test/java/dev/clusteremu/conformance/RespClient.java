package dev.clusteremu.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw, blocking RESP connection for tests: it writes exactly the bytes asked for and reads replies
 * without interpreting them, so tests see what a client library would hide (reply types, the exact
 * bytes, the server closing the connection).
 *
 * <p>Replies are read with a generous timeout ({@link #DEFAULT_TIMEOUT}); a reply that does not come in
 * that time fails the read with an {@link UncheckedIOException} and leaves the connection unusable.
 * Every I/O failure is reported unchecked so tests read as a list of commands.
 */
public final class RespClient implements AutoCloseable {

    /** How long a read waits for a reply before the test fails: long enough for a loaded CI machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How long silence must last before a connection is taken to be open and idle. A server closes the
     * connection right after writing the reply to a protocol error, so a close shows up well within this.
     */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(500);

    /** What {@link #await} saw. */
    enum Arrival { DATA, CLOSED, NOTHING }

    private final Socket socket;
    private final OutputStream out;
    private final RespReader reader;
    private final String peer;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean closedByPeer;

    private RespClient(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new RespReader(socket.getInputStream());
        this.peer = peer;
    }

    /** Opens a connection to {@code target}. */
    public static RespClient connect(RedisTarget target) {
        return connect(target.host(), target.port());
    }

    /** Opens a connection to {@code host:port}, waiting at most {@link #DEFAULT_TIMEOUT} to connect. */
    public static RespClient connect(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) DEFAULT_TIMEOUT.toMillis());
            return new RespClient(socket, host + ":" + port);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** Sets how long later reads wait for a reply (for commands that block on purpose); returns this. */
    public RespClient timeout(Duration readTimeout) {
        this.timeout = readTimeout;
        return this;
    }

    /** Writes {@code argv} as one multibulk command without waiting for the reply. */
    public void send(String... argv) {
        sendRaw(command(argv));
    }

    /** Writes {@code argv} (binary arguments) as one multibulk command without waiting for the reply. */
    public void send(byte[]... argv) {
        sendRaw(command(argv));
    }

    /** Writes {@code bytes} as they are, in one write: inline commands, pipelines, malformed input. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + peer, e);
        }
    }

    /** Reads exactly one reply. */
    public Reply read() {
        return readFrame().reply();
    }

    /** Reads exactly one reply and returns the bytes it was made of, for byte-for-byte comparisons. */
    public byte[] readRawReply() {
        return readFrame().bytes();
    }

    /** Sends {@code argv} and reads its reply. */
    public Reply call(String... argv) {
        send(argv);
        return read();
    }

    /** Sends binary {@code argv} and reads its reply. */
    public Reply call(byte[]... argv) {
        send(argv);
        return read();
    }

    /**
     * True if the server has closed this connection (end of stream or reset), waiting up to
     * {@link #QUIET_PERIOD} for the close to arrive. Unread replies are left unread: a connection with
     * data still to read is reported open, as the close can only be seen after them.
     */
    public boolean isClosedByPeer() {
        return isClosedByPeer(QUIET_PERIOD);
    }

    /** As {@link #isClosedByPeer()}, waiting up to {@code wait} for the close. */
    public boolean isClosedByPeer(Duration wait) {
        return await(wait) == Arrival.CLOSED;
    }

    /** Closes the connection from this side. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    /** The multibulk encoding of {@code argv} (UTF-8): {@code *<n>\r\n} then {@code $<len>\r\n<arg>\r\n} each. */
    public static byte[] command(String... argv) {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(args);
    }

    /** The multibulk encoding of binary {@code argv}. */
    public static byte[] command(byte[]... argv) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        encoded.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : argv) {
            encoded.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            encoded.writeBytes(arg);
            encoded.writeBytes(new byte[] {'\r', '\n'});
        }
        return encoded.toByteArray();
    }

    /** Reads one reply with its bytes; an end of stream or reset marks the connection closed by the peer. */
    RespReader.Frame readFrame() {
        try {
            socket.setSoTimeout(millis(timeout));
            return reader.readFrame();
        } catch (EOFException | SocketException e) {
            closedByPeer = true;
            throw new UncheckedIOException("connection to " + peer + " closed while reading a reply", e);
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no reply from " + peer + " within " + timeout, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a reply from " + peer, e);
        }
    }

    /**
     * Waits up to {@code wait} for something from the server: bytes to read, or the end of the connection.
     * Consumes nothing.
     */
    Arrival await(Duration wait) {
        if (closedByPeer) {
            return Arrival.CLOSED;
        }
        try {
            socket.setSoTimeout(millis(wait));
            if (reader.fillIfEmpty()) {
                return Arrival.DATA;
            }
            closedByPeer = true;
            return Arrival.CLOSED;
        } catch (SocketTimeoutException e) {
            return Arrival.NOTHING;
        } catch (SocketException e) {
            // A server that closes a connection with unread input in its socket buffer sends a reset.
            closedByPeer = true;
            return Arrival.CLOSED;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from " + peer, e);
        }
    }

    private static int millis(Duration duration) {
        // SO_TIMEOUT 0 would mean "wait forever".
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the connection is being discarded.
        }
    }
}
