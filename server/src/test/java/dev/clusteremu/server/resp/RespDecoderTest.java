package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RespDecoderTest {

    /** Chunk sizes every input is fed in: byte by byte, a few odd splits, and all at once. */
    private static final int[] CHUNKS = {1, 2, 3, 5, 7, 13, Integer.MAX_VALUE};

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static List<String> cmd(String... args) {
        return List.of(args);
    }

    private static ProtocolError error(String message) {
        return new ProtocolError(message);
    }

    /** Feeds {@code input} in reads of {@code chunk} bytes and returns what came out, argvs as string lists. */
    private static List<Object> decode(RespDecoder decoder, byte[] input, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        for (int i = 0; i < input.length; i += chunk) {
            int n = Math.min(chunk, input.length - i);
            channel.writeInbound(Unpooled.wrappedBuffer(input, i, n));
        }
        List<Object> out = new ArrayList<>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            out.add(msg instanceof byte[][] argv ? strings(argv) : msg);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static List<String> strings(byte[][] argv) {
        return Arrays.stream(argv).map(a -> new String(a, ISO_8859_1)).toList();
    }

    private static void assertDecodes(String input, Object... expected) {
        assertDecodes(true, bytes(input), expected);
    }

    private static void assertDecodes(boolean authenticated, byte[] input, Object... expected) {
        for (int chunk : CHUNKS) {
            RespDecoder decoder = new RespDecoder();
            decoder.setAuthenticated(authenticated);
            assertEquals(List.of(expected), decode(decoder, input, chunk), "reads of " + chunk + " bytes");
        }
    }

    // ---------------------------------------------------------------- multibulk

    @Test
    void multibulkCommandDecodesToItsArguments() {
        assertDecodes("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", cmd("SET", "key", "value"));
    }

    @Test
    void pipelinedCommandsDecodeInOrder() {
        assertDecodes("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
                cmd("PING"), cmd("GET", "a"), cmd("PING"), cmd("ECHO", ""));
    }

    @Test
    void emptyAndNegativeMultibulkCountsYieldNothing() {
        assertDecodes("*0\r\n*-1\r\n*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n", cmd("PING"));
    }

    @Test
    void bulkPayloadMayHoldAnyBytes() {
        assertDecodes("*2\r\n$4\r\nECHO\r\n$6\r\n\r\n\0*$\n\r\n", cmd("ECHO", "\r\n\0*$\n"));
    }

    @Test
    void bytesAfterCrAndAfterBulkAreSkippedUnreadAsRedisDoes() {
        assertDecodes("*1\rX$4\r\nPINGxy*1\r\n$4\rzPING\r\n", cmd("PING"), cmd("PING"));
    }

    @Test
    void hugeClaimedCountWaitsForItsArguments() {
        assertDecodes("*2147483647\r\n$1\r\na\r\n");
    }

    @Test
    void manyArgumentsGrowTheArgv() {
        StringBuilder sb = new StringBuilder("*3000\r\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            sb.append('$').append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
            expected.add(Integer.toString(i));
        }
        RespDecoder decoder = new RespDecoder();
        assertEquals(List.of(expected), decode(decoder, bytes(sb.toString()), 4096));
    }

    @Test
    void fiveMegabyteBulkArrivesOverManyReads() {
        byte[] value = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(value);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + value.length + "\r\n"));
        input.writeBytes(value);
        input.writeBytes(bytes("\r\n*1\r\n$4\r\nPING\r\n"));
        byte[] wire = input.toByteArray();

        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        Random split = new Random(11);
        for (int i = 0; i < wire.length; ) {
            int n = Math.min(1 + split.nextInt(16 * 1024), wire.length - i);
            channel.writeInbound(Unpooled.wrappedBuffer(wire, i, n));
            i += n;
        }
        byte[][] set = channel.readInbound();
        assertEquals(List.of("SET", "big"), strings(Arrays.copyOf(set, 2)));
        assertArrayEquals(value, set[2]);
        byte[][] ping = channel.readInbound();
        assertEquals(List.of("PING"), strings(ping));
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    // ---------------------------------------------------------------- inline

    @Test
    void inlineCommandSplitsOnBlanks() {
        assertDecodes("SET key value\r\n \t GET   key  \nPING\r\r\n", cmd("SET", "key", "value"), cmd("GET", "key"),
                cmd("PING"));
    }

    @Test
    void emptyInlineLinesAreSkipped() {
        assertDecodes("\r\n\n   \r\nPING\r\n", cmd("PING"));
    }

    @Test
    void inlineDoubleQuotesHonourEscapes() {
        assertDecodes("ECHO \"a b\" \"\\x41\\x4g\\q\\\"\" \"\\n\\r\\t\\b\\a\\\\\" \"\"\r\n",
                cmd("ECHO", "a b", "Ax4gq\"", "\n\r\t\b\u0007\\", ""));
    }

    @Test
    void inlineSingleQuotesOnlyEscapeTheQuote() {
        assertDecodes("ECHO 'it\\'s' 'a\\nb' ''\r\n", cmd("ECHO", "it's", "a\\nb", ""));
    }

    @Test
    void inlineQuoteMayOpenInsideAnArgument() {
        assertDecodes("ECHO foo\"bar baz\"\r\n", cmd("ECHO", "foobar baz"));
    }

    @Test
    void inlineVerticalTabIsKeptInsideAnArgumentButSkippedBetween() {
        assertDecodes("ECHO \u000ba\u000bb\r\n", cmd("ECHO", "a\u000bb"));
    }

    @Test
    void longInlineLineIsAcceptedWhenItsNewlineArrivesWithIt() {
        String arg = "a".repeat(70_000);
        RespDecoder decoder = new RespDecoder();
        assertEquals(List.of(cmd("ECHO", arg)), decode(decoder, bytes("ECHO " + arg + "\r\n"), Integer.MAX_VALUE));
    }

    @Test
    void nulByteHidesTheLineEndAsStrchrDoes() {
        assertDecodes("ECHO \0\r\nPING\r\n");
        assertDecodes("*1\0\r\n$4\r\nPING\r\n");
        assertDecodes(true, bytes("ECHO \0" + "x".repeat(70_000)), error("Protocol error: too big inline request"));
    }

    // ---------------------------------------------------------------- protocol errors

    @Test
    void unbalancedQuotesAreAProtocolError() {
        assertDecodes("ECHO \"abc\r\n", error("Protocol error: unbalanced quotes in request"));
        assertDecodes("ECHO 'abc\r\n", error("Protocol error: unbalanced quotes in request"));
        assertDecodes("ECHO \"a\"b\r\n", error("Protocol error: unbalanced quotes in request"));
        assertDecodes("ECHO 'a'\"b\"\r\n", error("Protocol error: unbalanced quotes in request"));
        assertDecodes("ECHO \"x\\\r\n", error("Protocol error: unbalanced quotes in request"));
    }

    @Test
    void tooBigInlineRequest() {
        assertDecodes("x".repeat(64 * 1024));
        assertDecodes("x".repeat(64 * 1024 + 1), error("Protocol error: too big inline request"));
    }

    @Test
    void tooBigMultibulkCountString() {
        assertDecodes("*" + "1".repeat(64 * 1024), error("Protocol error: too big mbulk count string"));
    }

    @Test
    void invalidMultibulkLength() {
        for (String count : new String[] {"", "x", "-0", "01", "+1", "1 ", "2147483648", "99999999999999999999"}) {
            assertDecodes("*" + count + "\r\n", error("Protocol error: invalid multibulk length"));
        }
    }

    @Test
    void expectedDollarGotSomethingElse() {
        assertDecodes("*1\r\nfoo\r\n", error("Protocol error: expected '$', got 'f'"));
        assertDecodes("*1\r\n\r$4\r\n", error("Protocol error: expected '$', got ' '"));
        assertDecodes("*1\r\n\n$4\r\n", error("Protocol error: expected '$', got ' '"));
        assertDecodes("*2\r\n$4\r\nECHO\r\n*1\r\n", error("Protocol error: expected '$', got '*'"));
    }

    @Test
    void expectedDollarEchoesTheRawByte() {
        List<Object> out = decode(new RespDecoder(), bytes("*1\r\n\u00e9\r\n"), Integer.MAX_VALUE);
        ProtocolError error = (ProtocolError) out.get(0);
        assertArrayEquals(new byte[] {'-', 'E', 'R', 'R', ' ', 'P', 'r', 'o', 't', 'o', 'c', 'o', 'l', ' ', 'e', 'r',
            'r', 'o', 'r', ':', ' ', 'e', 'x', 'p', 'e', 'c', 't', 'e', 'd', ' ', '\'', '$', '\'', ',', ' ', 'g', 'o',
            't', ' ', '\'', (byte) 0xe9, '\'', '\r', '\n'}, error.reply());
    }

    @Test
    void tooBigBulkCountString() {
        assertDecodes("*1\r\n$" + "1".repeat(64 * 1024), error("Protocol error: too big bulk count string"));
        assertDecodes("*1\r\n" + "x".repeat(64 * 1024 + 1), error("Protocol error: too big bulk count string"));
    }

    @Test
    void invalidBulkLength() {
        for (String len : new String[] {"", "-1", "-0", "+4", "04", "x", "536870913", "9223372036854775807"}) {
            assertDecodes("*1\r\n$" + len + "\r\n", error("Protocol error: invalid bulk length"));
        }
    }

    @Test
    void longBulkCountLineIsInvalidRatherThanTooBigWhenItArrivesWhole() {
        assertEquals(List.of(error("Protocol error: invalid bulk length")),
                decode(new RespDecoder(), bytes("*1\r\n$" + "1".repeat(70_000) + "\r\n"), Integer.MAX_VALUE));
    }

    @Test
    void maxBulkLengthFollowsProtoMaxBulkLen() {
        RespDecoder decoder = new RespDecoder();
        decoder.setMaxBulkLength(4);
        assertEquals(List.of(cmd("PING"), error("Protocol error: invalid bulk length")),
                decode(decoder, bytes("*1\r\n$4\r\nPING\r\n*1\r\n$5\r\nHELLO\r\n"), Integer.MAX_VALUE));
    }

    @Test
    void unauthenticatedLimits() {
        assertDecodes(false, bytes("*11\r\n"), error("Protocol error: unauthenticated multibulk length"));
        assertDecodes(false, bytes("*1\r\n$16385\r\n"), error("Protocol error: unauthenticated bulk length"));
        assertDecodes(false, bytes("*11x\r\n"), error("Protocol error: invalid multibulk length"));
        assertDecodes(false, bytes("*1\r\n$536870913\r\n"), error("Protocol error: invalid bulk length"));
        String tenArgs = "*10\r\n" + "$1\r\na\r\n".repeat(9) + "$16384\r\n" + "b".repeat(16384) + "\r\n";
        List<String> expected = new ArrayList<>(List.of("a", "a", "a", "a", "a", "a", "a", "a", "a"));
        expected.add("b".repeat(16384));
        assertDecodes(false, bytes(tenArgs), expected);
    }

    @Test
    void authenticatingMidPipelineLiftsTheLimitsForTheNextCommand() {
        RespDecoder decoder = new RespDecoder();
        decoder.setAuthenticated(false);
        List<List<String>> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                List<String> argv = strings((byte[][]) msg);
                seen.add(argv);
                if (argv.get(0).equals("AUTH")) {
                    decoder.setAuthenticated(true);
                }
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("AUTH pw\r\n*11\r\n" + "$1\r\nx\r\n".repeat(11))));
        assertEquals(List.of(cmd("AUTH", "pw"), Collections.nCopies(11, "x")), seen);
        channel.finishAndReleaseAll();
    }

    @Test
    void commandsBeforeAProtocolErrorAreEmittedAndLaterInputIgnored() {
        assertDecodes("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\nfoo\r\n*1\r\n$4\r\nPING\r\nPING\r\n",
                cmd("PING"), cmd("ECHO", "hi"), error("Protocol error: expected '$', got 'f'"));
    }

    @Test
    void inputAfterAProtocolErrorInALaterReadIsIgnored() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("*x\r\n")));
        assertEquals(error("Protocol error: invalid multibulk length"), channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n*1\r\n$4\r\nPING\r\n")));
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void protocolErrorReplyIsErrWithTheMessage() {
        assertArrayEquals(bytes("-ERR Protocol error: invalid bulk length\r\n"),
                error("Protocol error: invalid bulk length").reply());
    }
}
