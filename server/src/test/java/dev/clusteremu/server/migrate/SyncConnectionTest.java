package dev.clusteremu.server.migrate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocking reads and writes with timeouts, as syncio.c does them, against a plain server socket. */
class SyncConnectionTest {
    private ServerSocket server;
    private SyncConnection conn;
    private Socket peer;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        conn = SyncConnection.open("127.0.0.1", server.getLocalPort(), 5000);
        peer = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        conn.close();
        peer.close();
        server.close();
    }

    private void peerWrites(String s) throws IOException {
        OutputStream out = peer.getOutputStream();
        out.write(s.getBytes(ISO_8859_1));
        out.flush();
    }

    private static String text(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    @Test
    void linesComeWithoutTheirLineEnd() throws IOException {
        peerWrites("+OK\r\n-ERR no\r\nbare\n\r\n");
        assertEquals("+OK", text(conn.readLine(1023, 1000)));
        assertEquals("-ERR no", text(conn.readLine(1023, 1000)));
        assertEquals("bare", text(conn.readLine(1023, 1000)));
        assertEquals("", text(conn.readLine(1023, 1000)));
    }

    @Test
    void aLineIsCutAtTheBufferSizeAndItsRestReadNext() throws IOException {
        peerWrites("abcdefgh\r\n");
        assertEquals("abcde", text(conn.readLine(5, 1000)));
        assertEquals("fgh", text(conn.readLine(5, 1000)));
    }

    @Test
    void aLoneNewlineCountsAsAFailedRead() throws IOException {
        peerWrites("\n");
        assertThrows(EOFException.class, () -> conn.readLine(1023, 1000));
    }

    @Test
    void silenceIsATimeoutAndAClosedPeerIsNot() throws IOException {
        assertThrows(SocketTimeoutException.class, () -> conn.readLine(1023, 50));
        peer.close();
        assertThrows(EOFException.class, () -> conn.readLine(1023, 1000));
    }

    @Test
    void writesArriveWhole() throws IOException {
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Thread reader = new Thread(() -> {
            try {
                assertArrayEquals(data, peer.getInputStream().readNBytes(data.length));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        reader.start();
        conn.write(data, 0, data.length, 5000);
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWriteThatCannotDrainTimesOut() {
        byte[] data = new byte[64 << 20];
        assertThrows(SocketTimeoutException.class, () -> conn.write(data, 0, data.length, 200));
    }

    @Test
    void aRefusedConnectionFailsOnItsFirstWriteNotOnOpen() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (SyncConnection refused = SyncConnection.open("127.0.0.1", port, 1000)) {
            assertThrows(ConnectException.class, () -> refused.write(new byte[] {1}, 0, 1, 1000));
        }
    }

    @Test
    void anUnresolvableHostFailsOnOpen() {
        assertThrows(IOException.class, () -> SyncConnection.open("nosuchhost.invalid", 6379, 1000));
    }
}
