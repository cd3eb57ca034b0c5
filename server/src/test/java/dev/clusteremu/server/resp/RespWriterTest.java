package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class RespWriterTest {

    /** The bytes {@code reply} writes for a RESP{@code protocol} client, as an ISO-8859-1 string. */
    private static String written(int protocol, Consumer<RespWriter> reply) {
        ByteBuf out = Unpooled.buffer(4);
        try {
            reply.accept(new RespWriter(out, protocol));
            return new String(ByteBufUtil.getBytes(out), ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Asserts the bytes for RESP2 and RESP3. */
    private static void assertWrites(String resp2, String resp3, Consumer<RespWriter> reply) {
        assertEquals(resp2, written(2, reply), "RESP2");
        assertEquals(resp3, written(3, reply), "RESP3");
    }

    @Test
    void simpleAndOk() {
        assertWrites("+PONG\r\n", "+PONG\r\n", w -> w.simple("PONG"));
        assertWrites("+OK\r\n", "+OK\r\n", RespWriter::ok);
    }

    @Test
    void errorCarriesItsOwnCode() {
        assertWrites("-ERR unknown command\r\n", "-ERR unknown command\r\n", w -> w.error("ERR unknown command"));
        assertWrites("-MOVED 3999 127.0.0.1:6381\r\n", "-MOVED 3999 127.0.0.1:6381\r\n",
                w -> w.error("MOVED 3999 127.0.0.1:6381"));
    }

    @Test
    void errorIsKeptOnOneLine() {
        assertWrites("-ERR unknown command 'a b  c'\r\n", "-ERR unknown command 'a b  c'\r\n",
                w -> w.error("ERR unknown command 'a\nb\r\nc'"));
        assertWrites("-ERR Unknown node x\r\n", "-ERR Unknown node x\r\n", w -> w.error("ERR Unknown node x\r\n\n"));
        assertWrites("-ERR \u00e9 \u00ff\r\n", "-ERR \u00e9 \u00ff\r\n",
                w -> w.error(new byte[] {'E', 'R', 'R', ' ', (byte) 0xe9, '\n', (byte) 0xff}));
    }

    @Test
    void errorStringIsUtf8() {
        assertEquals(new String("-ERR caf\u00e9\r\n".getBytes(UTF_8), ISO_8859_1),
                written(2, w -> w.error("ERR caf\u00e9")));
    }

    @Test
    void integers() {
        assertWrites(":0\r\n", ":0\r\n", w -> w.integer(0));
        assertWrites(":1\r\n", ":1\r\n", w -> w.integer(1));
        assertWrites(":-1\r\n", ":-1\r\n", w -> w.integer(-1));
        assertWrites(":16384\r\n", ":16384\r\n", w -> w.integer(16384));
        assertWrites(":9223372036854775807\r\n", ":9223372036854775807\r\n", w -> w.integer(Long.MAX_VALUE));
        assertWrites(":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w -> w.integer(Long.MIN_VALUE));
    }

    @Test
    void bulks() {
        assertWrites("$5\r\nhello\r\n", "$5\r\nhello\r\n", w -> w.bulk(new byte[] {'h', 'e', 'l', 'l', 'o'}));
        assertWrites("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(new byte[0]));
        assertWrites("$4\r\n\r\n\0\u00ff\r\n", "$4\r\n\r\n\0\u00ff\r\n", w -> w.bulk(new byte[] {'\r', '\n', 0, -1}));
        assertWrites("$5\r\ncaf\u00c3\u00a9\r\n", "$5\r\ncaf\u00c3\u00a9\r\n", w -> w.bulk("caf\u00e9"));
        assertWrites("$3\r\n-42\r\n", "$3\r\n-42\r\n", w -> w.bulk(-42L));
        assertWrites("$1\r\n0\r\n", "$1\r\n0\r\n", w -> w.bulk(0L));
    }

    @Test
    void nullsFollowTheProtocol() {
        assertWrites("$-1\r\n", "_\r\n", RespWriter::nullBulk);
        assertWrites("*-1\r\n", "_\r\n", RespWriter::nullArray);
    }

    @Test
    void aggregateHeaders() {
        assertWrites("*0\r\n", "*0\r\n", w -> w.array(0));
        assertWrites("*3\r\n", "*3\r\n", w -> w.array(3));
        assertWrites("*0\r\n", "%0\r\n", w -> w.map(0));
        assertWrites("*14\r\n", "%7\r\n", w -> w.map(7));
        assertWrites("*0\r\n", "~0\r\n", w -> w.set(0));
        assertWrites("*2\r\n", "~2\r\n", w -> w.set(2));
        assertWrites("*3\r\n", ">3\r\n", w -> w.push(3));
        assertThrows(IllegalArgumentException.class, () -> written(3, w -> w.array(-1)));
    }

    @Test
    void doublesAsAddReplyDouble() {
        assertWrites("$3\r\n1.5\r\n", ",1.5\r\n", w -> w.doubleValue(1.5));
        assertWrites("$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n", w -> w.doubleValue(0.1));
        assertWrites("$23\r\n1.0000000000000001e+300\r\n", ",1.0000000000000001e+300\r\n", w -> w.doubleValue(1e300));
        assertWrites("$22\r\n1.0000000000000001e-05\r\n", ",1.0000000000000001e-05\r\n", w -> w.doubleValue(1e-5));
        assertWrites("$1\r\n0\r\n", ",0\r\n", w -> w.doubleValue(0.0));
        assertWrites("$2\r\n-0\r\n", ",-0\r\n", w -> w.doubleValue(-0.0));
        assertWrites("$3\r\n100\r\n", ",100\r\n", w -> w.doubleValue(100));
        assertWrites("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue(Double.POSITIVE_INFINITY));
        assertWrites("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.doubleValue(Double.NEGATIVE_INFINITY));
    }

    @Test
    void booleans() {
        assertWrites(":1\r\n", "#t\r\n", w -> w.bool(true));
        assertWrites(":0\r\n", "#f\r\n", w -> w.bool(false));
    }

    @Test
    void verbatimText() {
        assertWrites("$11\r\nline1\nline2\r\n", "=15\r\ntxt:line1\nline2\r\n", w -> w.verbatim("line1\nline2"));
        assertWrites("$0\r\n\r\n", "=4\r\ntxt:\r\n", w -> w.verbatim(""));
    }

    @Test
    void rawBytesPassThrough() {
        assertWrites("*1\r\n:5\r\n", "*1\r\n:5\r\n", w -> w.raw(new byte[] {'*', '1', '\r', '\n', ':', '5', '\r', '\n'}));
    }

    @Test
    void repliesChainAndProtocolSwitches() {
        ByteBuf out = Unpooled.buffer();
        RespWriter w = new RespWriter(out, 2);
        assertSame(out, w.buffer());
        w.map(1).bulk("proto").integer(2);
        w.setProtocol(3);
        assertEquals(3, w.protocol());
        w.map(1).bulk("proto").integer(3).nullBulk();
        assertArrayEquals("*2\r\n$5\r\nproto\r\n:2\r\n%1\r\n$5\r\nproto\r\n:3\r\n_\r\n".getBytes(ISO_8859_1),
                ByteBufUtil.getBytes(out));
        out.release();
        assertThrows(IllegalArgumentException.class, () -> w.setProtocol(4));
    }
}
