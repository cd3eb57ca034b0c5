package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing as clusterReadHandler does it, driven through an EmbeddedChannel. */
class BusFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new BusFrameDecoder());

    private static ClusterMessage pingWithGossip() {
        return WireFixtures.ping(MessageType.PING, List.of(
                new GossipEntry(WireFixtures.OTHER, 1, 2, "127.0.0.1", 7002, 17002, 1, 0)));
    }

    @Test
    void frameFedOneByteAtATimeDecodes() {
        ByteBuf frame = WireFixtures.encode(pingWithGossip());
        while (frame.isReadable()) {
            assertNull(channel.readInbound(), "nothing before the whole frame arrived");
            channel.writeInbound(frame.readRetainedSlice(1));
        }
        frame.release();
        assertEquals(pingWithGossip(), channel.readInbound());
        assertNull(channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void twoFramesInOneBufferDecode() {
        ByteBuf both = Unpooled.buffer();
        BusMessageCodec.encode(pingWithGossip(), both);
        BusMessageCodec.encode(WireFixtures.fail(WireFixtures.OTHER), both);
        channel.writeInbound(both);
        assertEquals(pingWithGossip(), channel.readInbound());
        assertEquals(WireFixtures.fail(WireFixtures.OTHER), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void badSignatureClosesTheLink() {
        ByteBuf frame = WireFixtures.encode(pingWithGossip());
        frame.setBytes(0, "RCmx".getBytes(StandardCharsets.US_ASCII));
        channel.writeInbound(frame);
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }

    @Test
    void totlenShorterThanTheHeaderClosesTheLink() {
        ByteBuf preamble = Unpooled.buffer().writeInt(MessageHeader.SIGNATURE).writeInt(2255);
        channel.writeInbound(preamble);
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }

    @Test
    void absurdTotlenClosesTheLinkInsteadOfWaiting() {
        ByteBuf preamble = Unpooled.buffer().writeInt(MessageHeader.SIGNATURE).writeInt(0xfffffff0);
        channel.writeInbound(preamble);
        assertFalse(channel.isOpen());
    }

    @Test
    void linkIsJudgedOnTheFirstEightBytesAlone() {
        channel.writeInbound(Unpooled.buffer().writeInt(MessageHeader.SIGNATURE).writeShort(0));
        assertTrue(channel.isOpen(), "only six bytes so far");
        channel.writeInbound(Unpooled.buffer().writeShort(100));
        assertFalse(channel.isOpen());
    }

    @Test
    void protocolVersionTwoIsReportedInvalidAndTheLinkStaysUsable() {
        ByteBuf frame = WireFixtures.encode(pingWithGossip());
        frame.setShort(8, 2);
        channel.writeInbound(frame);
        InvalidMessage m = assertInstanceOf(InvalidMessage.class, channel.readInbound());
        assertEquals(MessageType.PING, m.type());
        assertTrue(channel.isOpen());
        channel.writeInbound(WireFixtures.encode(pingWithGossip()));
        assertEquals(pingWithGossip(), channel.readInbound());
    }

    @Test
    void failWithWrongTotlenIsReportedInvalid() {
        channel.writeInbound(WireFixtures.lengthened(WireFixtures.encode(WireFixtures.fail(WireFixtures.OTHER)), 1));
        InvalidMessage m = assertInstanceOf(InvalidMessage.class, channel.readInbound());
        assertEquals(MessageType.FAIL, m.type());
        assertEquals(2297, m.totlen());
        assertTrue(channel.isOpen());
    }

    @Test
    void extensionLengthNotMultipleOfEightIsReportedInvalid() {
        MessageHeader h = WireFixtures.header(MessageType.PONG).withMessageFlags(MessageHeader.FLAG_EXT_DATA);
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(h,
                new MessageBody.Ping(List.of(), List.of(PingExtension.hostname("host")))));
        frame.setInt(2256, 10);
        channel.writeInbound(frame);
        assertInstanceOf(InvalidMessage.class, channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void bytesAfterABadPreambleAreDiscarded() {
        ByteBuf garbage = Unpooled.buffer().writeBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        BusMessageCodec.encode(pingWithGossip(), garbage);
        channel.writeInbound(garbage);
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }
}
