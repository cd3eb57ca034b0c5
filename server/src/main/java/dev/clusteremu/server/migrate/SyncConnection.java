package dev.clusteremu.server.migrate;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A TCP connection used synchronously, with a timeout on every operation: what MIGRATE's connBlockingConnect,
 * connSyncWrite and connSyncReadLine (syncio.c) do on the calling thread. The caller blocks; nothing else
 * runs on its thread meanwhile, exactly as MIGRATE blocks a whole redis-server.
 *
 * <p>Timeouts surface as {@link SocketTimeoutException} (Redis's ETIMEDOUT) so that callers can tell them
 * from other failures: MIGRATE retries once after a failure that is not a timeout.
 */
final class SyncConnection implements Closeable {
    /** syncio's SYNCIO__RESOLUTION: waits shorter than 10 ms are rounded up. */
    private static final long RESOLUTION_MS = 10;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer input = ByteBuffer.allocate(16 * 1024).flip();
    private boolean connected;
    /** Why the connect failed after it started; thrown by the first {@link #write}. */
    private IOException failure;

    private SyncConnection(SocketChannel channel, Selector selector, boolean connected) {
        this.channel = channel;
        this.selector = selector;
        this.connected = connected;
    }

    /**
     * Starts connecting to {@code host:port} and waits up to {@code timeoutMs} for the connection
     * (connSocketBlockingConnect). Only a failure known at once — an unresolvable host, an impossible
     * address — is thrown here. A connection refused or still pending after the timeout is returned all
     * the same, as Redis returns it: the first write then fails (refused) or times out (pending), which
     * is why MIGRATE to a closed port answers "error or timeout writing".
     */
    static SyncConnection open(String host, int port, long timeoutMs) throws IOException {
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        boolean connected;
        try {
            channel.configureBlocking(false);
            connected = channel.connect(new InetSocketAddress(host, port));
            selector = Selector.open();
        } catch (IllegalArgumentException unresolvedOrInvalid) {
            closeQuietly(channel, selector);
            throw new IOException("cannot connect to " + host + ":" + port, unresolvedOrInvalid);
        } catch (IOException e) {
            closeQuietly(channel, selector);
            throw e;
        }
        SyncConnection conn = new SyncConnection(channel, selector, connected);
        if (!connected) {
            try {
                if (conn.await(SelectionKey.OP_CONNECT, timeoutMs)) {
                    conn.finishConnectIfReady();
                }
            } catch (IOException refused) {
                // Kept, so that the first write reports it, as in Redis.
                conn.failure = refused;
            }
        }
        return conn;
    }

    /**
     * Writes all of {@code data[off, off+len)} within {@code timeoutMs} (syncWrite), finishing a pending
     * connect first.
     *
     * @throws SocketTimeoutException when the time ran out; an unspecified part may have been written
     * @throws IOException when the connection failed or was closed
     */
    void write(byte[] data, int off, int len, long timeoutMs) throws IOException {
        if (failure != null) {
            throw failure;
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!connected) {
            waitUntil(SelectionKey.OP_CONNECT, deadline);
            finishConnectIfReady();
        }
        ByteBuffer buf = ByteBuffer.wrap(data, off, len);
        channel.write(buf);
        while (buf.hasRemaining()) {
            waitUntil(SelectionKey.OP_WRITE, deadline);
            channel.write(buf);
        }
    }

    /**
     * Reads one line (syncReadLine): the bytes up to "\n", without it and without a "\r" before it. At most
     * {@code maxBytes} bytes are taken; a longer line is cut there and its rest stays unread, as with
     * Redis's fixed 1024-byte buffer. Each byte may take up to {@code timeoutMs}.
     *
     * @throws SocketTimeoutException when a byte did not come in time
     * @throws EOFException when the peer closed the connection, or the line was empty ("\n" alone), which
     *     MIGRATE takes as a failed read too
     */
    byte[] readLine(int maxBytes, long timeoutMs) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int taken = 0;
        while (taken < maxBytes) {
            int c = readByte(timeoutMs);
            if (c == '\n') {
                if (taken == 0) {
                    throw new EOFException("empty line");
                }
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return Arrays.copyOf(bytes, end);
            }
            line.write(c);
            taken++;
        }
        return line.toByteArray();
    }

    private int readByte(long timeoutMs) throws IOException {
        if (!input.hasRemaining()) {
            long deadline = System.currentTimeMillis() + timeoutMs;
            input.clear();
            try {
                int n = channel.read(input);
                while (n == 0) {
                    waitUntil(SelectionKey.OP_READ, deadline);
                    n = channel.read(input);
                }
                if (n < 0) {
                    throw new EOFException("connection closed by the target");
                }
            } finally {
                input.flip();
            }
        }
        return input.get() & 0xff;
    }

    private void finishConnectIfReady() throws IOException {
        if (channel.finishConnect()) {
            connected = true;
            channel.socket().setTcpNoDelay(true);
        }
    }

    /** Waits for {@code op} for up to {@code timeoutMs} (aeWait); returns whether it became ready. */
    private boolean await(int op, long timeoutMs) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            return selector.select(Math.max(timeoutMs, RESOLUTION_MS)) > 0;
        } finally {
            key.interestOps(0);
            selector.selectedKeys().clear();
        }
    }

    private void waitUntil(int op, long deadline) throws IOException {
        long remaining = deadline - System.currentTimeMillis();
        if (remaining <= 0 || !await(op, remaining) && System.currentTimeMillis() >= deadline) {
            throw new SocketTimeoutException("timeout");
        }
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do about a socket that will not close.
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // Same.
            }
        }
    }
}
