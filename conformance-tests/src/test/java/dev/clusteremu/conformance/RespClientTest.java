package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The raw client against a scripted peer (exact bytes in, exact replies out) and against real Redis. */
class RespClientTest {

    /** A peer that writes exactly what a test gives it: one accepted connection on a loopback port. */
    private static final class ScriptedPeer implements AutoCloseable {
        private final ServerSocket server;
        private final RespClient client;
        private final Socket peer;

        ScriptedPeer() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            client = RespClient.connect(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort());
            peer = server.accept();
        }

        void write(String bytes) throws IOException {
            peer.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            peer.getOutputStream().flush();
        }

        byte[] readExactly(int n) throws IOException {
            InputStream in = peer.getInputStream();
            return in.readNBytes(n);
        }

        void hangUp() throws IOException {
            peer.close();
        }

        @Override
        public void close() throws IOException {
            client.close();
            peer.close();
            server.close();
        }
    }

    @Test
    void readsEveryResp2ReplyType() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("+OK\r\n-ERR syntax error\r\n:-42\r\n$3\r\na\u0000b\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n"
                    + "*3\r\n:1\r\n$1\r\nx\r\n*1\r\n$-1\r\n");
            assertEquals(Reply.status("OK"), peer.client.read());
            assertEquals(Reply.error("ERR syntax error"), peer.client.read());
            assertEquals(-42, peer.client.read().asLong());
            assertEquals(new Reply.Bulk(new byte[] {'a', 0, 'b'}), peer.client.read());
            assertEquals(Reply.bulk(""), peer.client.read());
            assertEquals(Reply.Nil.NULL_BULK, peer.client.read());
            assertEquals(Reply.Nil.NULL_ARRAY, peer.client.read());
            assertEquals(Reply.array(), peer.client.read());
            assertEquals(Reply.array(Reply.integer(1), Reply.bulk("x"), Reply.array(Reply.Nil.NULL_BULK)),
                    peer.client.read());
        }
    }

    @Test
    void readsEveryResp3ReplyType() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("_\r\n%2\r\n+a\r\n:1\r\n$1\r\nb\r\n#t\r\n~2\r\n:1\r\n:2\r\n,3.141\r\n,-inf\r\n#f\r\n"
                    + "=15\r\ntxt:hello\nworld\r\n(1234567999999999999999999999999999999\r\n"
                    + ">2\r\n$7\r\nmessage\r\n:42\r\n|1\r\n+ttl\r\n:3600\r\n$5\r\nreply\r\n!9\r\nERR oops!\r\n");
            assertEquals(Reply.Nil.NULL, peer.client.read());
            assertEquals(new Reply.Map(List.of(new Reply.Entry(Reply.status("a"), Reply.integer(1)),
                    new Reply.Entry(Reply.bulk("b"), new Reply.Bool(true)))), peer.client.read());
            assertEquals(new Reply.Set(List.of(Reply.integer(1), Reply.integer(2))), peer.client.read());
            assertEquals(new Reply.Double("3.141"), peer.client.read());
            assertEquals(new Reply.Double("-inf"), peer.client.read());
            assertEquals(new Reply.Bool(false), peer.client.read());
            assertEquals(new Reply.Verbatim("txt", "hello\nworld".getBytes(StandardCharsets.UTF_8)), peer.client.read());
            assertEquals(new Reply.BigNumber("1234567999999999999999999999999999999"), peer.client.read());
            assertEquals(new Reply.Push(List.of(Reply.bulk("message"), Reply.integer(42))), peer.client.read());
            assertEquals(new Reply.Attribute(List.of(new Reply.Entry(Reply.status("ttl"), Reply.integer(3600))),
                    Reply.bulk("reply")), peer.client.read());
            assertEquals(new Reply.Error("ERR oops!", true), peer.client.read());
        }
    }

    @Test
    void canonicalFormShowsTypesCompactly() {
        Reply reply = Reply.array(Reply.status("OK"), Reply.integer(1), Reply.Nil.NULL_BULK,
                Reply.array(Reply.bulk("a\r\n\u0000\""), Reply.error("ERR x"), Reply.Nil.NULL_ARRAY, Reply.Nil.NULL),
                new Reply.Map(List.of(new Reply.Entry(Reply.bulk("k"), new Reply.Double("1.5")))),
                new Reply.Set(List.of(new Reply.Bool(true))),
                new Reply.Verbatim("txt", new byte[] {'h', (byte) 0xff}),
                new Reply.BigNumber("12"),
                new Reply.Push(List.of(Reply.integer(2))),
                new Reply.Attribute(List.of(new Reply.Entry(Reply.status("a"), Reply.integer(3))), Reply.bulk("r")),
                new Reply.Error("ERR blob", true));
        assertEquals("[+OK, 1, (nil), [\"a\\r\\n\\x00\\\"\", -ERR x, (nil-array), (null)], {\"k\": (double) 1.5},"
                + " ~{(true)}, (verbatim txt) \"h\\xff\", (bignum) 12, >[2], |{+a: 3} \"r\", !\"ERR blob\"]",
                reply.toString());
    }

    @Test
    void repliesAreEqualByValueAndType() {
        assertEquals(new Reply.Bulk(new byte[] {1, 2}), new Reply.Bulk(new byte[] {1, 2}));
        assertEquals(new Reply.Bulk(new byte[] {1, 2}).hashCode(), new Reply.Bulk(new byte[] {1, 2}).hashCode());
        assertNotEquals(Reply.integer(1), Reply.bulk("1"));
        assertNotEquals(Reply.status("OK"), Reply.bulk("OK"));
        assertNotEquals(Reply.Nil.NULL_BULK, Reply.Nil.NULL);
        assertNotEquals(Reply.Nil.NULL_BULK, Reply.Nil.NULL_ARRAY);
        assertNotEquals(Reply.error("ERR x"), new Reply.Error("ERR x", true));
        assertNotEquals(Reply.array(Reply.integer(1)), new Reply.Set(List.of(Reply.integer(1))));
    }

    @Test
    void sendWritesOneMultibulkCommand() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.client.send("SET", "k", "v\u00e9");
            byte[] expected = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\u00c3\u00a9\r\n".getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(expected, peer.readExactly(expected.length));
            peer.client.send(new byte[] {'G', 'E', 'T'}, new byte[] {0, (byte) 0xff});
            byte[] binary = "*2\r\n$3\r\nGET\r\n$2\r\n\u0000\u00ff\r\n".getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(binary, peer.readExactly(binary.length));
        }
    }

    @Test
    void readRawReplyReturnsTheExactBytesOfOneReply() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("*2\r\n$1\r\na\r\n:1\r\n+OK\r\n");
            assertArrayEquals("*2\r\n$1\r\na\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII), peer.client.readRawReply());
            assertEquals(Reply.status("OK"), peer.client.read());
        }
    }

    @Test
    void seesThePeerCloseTheConnectionAfterItsLastReply() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("-ERR Protocol error: invalid multibulk length\r\n");
            peer.hangUp();
            assertFalse(peer.client.isClosedByPeer(), "an unread reply comes before the close");
            assertEquals(Reply.error("ERR Protocol error: invalid multibulk length"), peer.client.read());
            assertTrue(peer.client.isClosedByPeer());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, peer.client::read);
            assertInstanceOf(EOFException.class, e.getCause());
        }
    }

    @Test
    void anIdleConnectionIsNotClosed() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            assertFalse(peer.client.isClosedByPeer(Duration.ofMillis(100)));
        }
    }

    @Test
    void aReplyThatNeverComesFailsTheReadAfterTheTimeout() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.client.timeout(Duration.ofMillis(100));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> peer.client.call("BLPOP", "q", "0"));
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
        }
    }

    @Test
    void rejectsMalformedReplies() throws IOException {
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("$3\r\nabcX\r\n");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, peer.client::read);
            assertInstanceOf(ProtocolException.class, e.getCause());
        }
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("+OK\n");
            assertThrows(UncheckedIOException.class, peer.client::read);
        }
        try (ScriptedPeer peer = new ScriptedPeer()) {
            peer.write("?what\r\n");
            assertThrows(UncheckedIOException.class, peer.client::read);
        }
    }

    /** Real Redis's DEBUG PROTOCOL emits one reply of each RESP3 type; the reader must take them all. */
    @Test
    void readsEveryResp3TypeRedisEmits() {
        try (RealRedisNode node = RealRedisNode.builder().config("enable-debug-command", "yes").start();
             RespClient client = RespClient.connect(node)) {
            byte[] binary = {0, (byte) 0xff, '\r', '\n'};
            assertEquals(new Reply.Bulk(binary), client.call("ECHO".getBytes(StandardCharsets.US_ASCII), binary));
            client.call("HELLO", "3");
            assertEquals(Reply.bulk("Hello World"), client.call("DEBUG", "PROTOCOL", "string"));
            assertEquals(Reply.integer(12345), client.call("DEBUG", "PROTOCOL", "integer"));
            assertEquals(new Reply.Double("3.141"), client.call("DEBUG", "PROTOCOL", "double"));
            assertEquals(new Reply.BigNumber("1234567999999999999999999999999999999"),
                    client.call("DEBUG", "PROTOCOL", "bignum"));
            assertEquals(Reply.Nil.NULL, client.call("DEBUG", "PROTOCOL", "null"));
            assertEquals(Reply.array(Reply.integer(0), Reply.integer(1), Reply.integer(2)),
                    client.call("DEBUG", "PROTOCOL", "array"));
            assertEquals(new Reply.Set(List.of(Reply.integer(0), Reply.integer(1), Reply.integer(2))),
                    client.call("DEBUG", "PROTOCOL", "set"));
            assertEquals(new Reply.Map(List.of(new Reply.Entry(Reply.integer(0), new Reply.Bool(false)),
                            new Reply.Entry(Reply.integer(1), new Reply.Bool(true)),
                            new Reply.Entry(Reply.integer(2), new Reply.Bool(false)))),
                    client.call("DEBUG", "PROTOCOL", "map"));
            assertEquals(new Reply.Attribute(List.of(new Reply.Entry(Reply.bulk("key-popularity"),
                            Reply.array(Reply.bulk("key:123"), Reply.integer(90)))),
                            Reply.bulk("Some real reply following the attribute")),
                    client.call("DEBUG", "PROTOCOL", "attrib"));
            assertEquals(new Reply.Push(List.of(Reply.bulk("server-cpu-usage"), Reply.integer(42))),
                    client.call("DEBUG", "PROTOCOL", "push"));
            assertEquals(Reply.bulk("Some real reply following the push reply"), client.read());
            assertEquals(new Reply.Verbatim("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.UTF_8)),
                    client.call("DEBUG", "PROTOCOL", "verbatim"));
            assertEquals(new Reply.Bool(true), client.call("DEBUG", "PROTOCOL", "true"));
            assertEquals(new Reply.Bool(false), client.call("DEBUG", "PROTOCOL", "false"));
        }
    }
}
