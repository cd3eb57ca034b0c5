package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames that clusterProcessPacket counts and ignores (keeping the link) decode to InvalidMessage; frames it
 * accepts decode to ClusterMessage.
 */
class PacketValidationTest {

    private static Object decode(ByteBuf frame) {
        try {
            return BusMessageCodec.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static InvalidMessage invalid(ByteBuf frame) {
        return assertInstanceOf(InvalidMessage.class, decode(frame));
    }

    private static ClusterMessage valid(ByteBuf frame) {
        return assertInstanceOf(ClusterMessage.class, decode(frame));
    }

    /** A PING with EXT_DATA and the given extensions, no gossip. */
    private static ByteBuf pingWith(PingExtension... extensions) {
        MessageHeader h = WireFixtures.header(MessageType.PING).withMessageFlags(MessageHeader.FLAG_EXT_DATA);
        return WireFixtures.encode(new ClusterMessage(h, new MessageBody.Ping(List.of(), List.of(extensions))));
    }

    @Test
    void protocolVersionOtherThanOneIsIgnored() {
        ByteBuf frame = WireFixtures.encode(WireFixtures.fail(WireFixtures.OTHER));
        frame.setShort(8, 2);
        InvalidMessage m = invalid(frame);
        assertEquals(MessageType.FAIL, m.type());
        assertEquals(2296, m.totlen());
        assertTrue(m.reason().contains("version 2"), m.reason());
    }

    @Test
    void failLongerThanItsLayoutIsIgnored() {
        InvalidMessage m = invalid(WireFixtures.lengthened(WireFixtures.encode(WireFixtures.fail(WireFixtures.OTHER)), 8));
        assertEquals("invalid fail packet of length 2304 but expected length 2296", m.reason());
    }

    @Test
    void headerOnlyTypesWithTrailingBytesAreIgnored() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.MFSTART),
                MessageBody.Empty.INSTANCE));
        assertEquals("invalid mfstart packet of length 2264 but expected length 2256",
                invalid(WireFixtures.lengthened(frame, 8)).reason());
    }

    @Test
    void updateShorterThanItsLayoutIsIgnored() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.FAILOVER_AUTH_ACK),
                MessageBody.Empty.INSTANCE));
        frame.setShort(12, MessageType.UPDATE);
        assertEquals("invalid update packet of length 2256 but expected length 4352", invalid(frame).reason());
    }

    @Test
    void publishWhoseLengthsDisagreeWithTotlenIsIgnored() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.PUBLISH),
                new MessageBody.Publish(new byte[3], new byte[5])));
        frame.setInt(2256, 4);
        assertEquals("invalid publish packet of length 2272 but expected length 2273", invalid(frame).reason());
    }

    @Test
    void publishTooShortToHoldItsLengthsIsIgnored() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.MFSTART),
                MessageBody.Empty.INSTANCE));
        frame.setShort(12, MessageType.PUBLISHSHARD);
        invalid(frame);
    }

    @Test
    void publishLengthsAreNotAllowedToWrapAround() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.PUBLISH),
                new MessageBody.Publish(new byte[0], new byte[0])));
        frame.setInt(2256, 0xffffffff);
        frame.setInt(2260, 1);
        invalid(frame);
    }

    @Test
    void moduleWhoseLenDisagreesWithTotlenIsIgnored() {
        ByteBuf frame = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.MODULE),
                new MessageBody.Module(1, 2, new byte[6])));
        frame.setInt(2264, 7);
        assertEquals("invalid module packet of length 2275 but expected length 2276", invalid(frame).reason());
    }

    @Test
    void moduleTooShortToHoldItsLenIsIgnored() {
        ByteBuf frame = WireFixtures.lengthened(WireFixtures.encode(new ClusterMessage(
                WireFixtures.header(MessageType.MFSTART), MessageBody.Empty.INSTANCE)), 12);
        frame.setShort(12, MessageType.MODULE);
        invalid(frame);
    }

    @Test
    void pingWhoseGossipCountDisagreesWithTotlenIsIgnored() {
        ByteBuf frame = WireFixtures.encode(WireFixtures.ping(MessageType.PING, List.of(
                new GossipEntry(WireFixtures.OTHER, 0, 0, "127.0.0.1", 7002, 17002, 1, 0))));
        frame.setShort(14, 2);
        assertEquals("invalid ping packet of length 2360 but expected length 2464", invalid(frame).reason());
    }

    @Test
    void extensionLengthNotMultipleOfEightIsIgnored() {
        ByteBuf frame = pingWith(PingExtension.hostname("abc"));
        frame.setInt(2256, 12);
        assertEquals("received a ping packet without proper padding (12 bytes)", invalid(frame).reason());
    }

    @Test
    void extensionRunningPastThePacketIsIgnored() {
        ByteBuf frame = pingWith(PingExtension.hostname("abc"));
        frame.setInt(2256, 24);
        assertEquals("received invalid ping packet with extension data that exceeds total packet length (2272)",
                invalid(frame).reason());
    }

    @Test
    void moreExtensionsThanThePacketHoldsAreIgnored() {
        ByteBuf frame = pingWith(PingExtension.hostname("abc"));
        frame.setShort(2214, 2);
        invalid(frame);
    }

    @Test
    void zeroLengthExtensionIsIgnored() {
        ByteBuf frame = pingWith(PingExtension.hostname("abc"));
        frame.setInt(2256, 0);
        invalid(frame);
    }

    @Test
    void extensionLongerThanRedisCanCountIsIgnored() {
        ByteBuf frame = pingWith(new PingExtension(5, new byte[0x10000]));
        assertEquals(0x10008, frame.getInt(2256));
        invalid(frame);
    }

    @Test
    void extensionsAreNotWalkedWithoutExtDataSoTheirBytesBreakTotlen() {
        ByteBuf frame = pingWith(PingExtension.hostname("abc"));
        frame.setByte(2253, 0);
        assertEquals("invalid ping packet of length 2272 but expected length 2256", invalid(frame).reason());
    }

    @Test
    void extensionsCountWithoutExtDataIsNotLookedAt() {
        ByteBuf frame = WireFixtures.encode(WireFixtures.ping(MessageType.MEET, List.of()));
        frame.setShort(2214, 3);
        MessageBody.Ping body = assertInstanceOf(MessageBody.Ping.class, valid(frame).body());
        assertEquals(List.of(), body.extensions());
    }

    @Test
    void extDataWithNoExtensionsIsAPlainPing() {
        ClusterMessage m = valid(pingWith());
        assertEquals(MessageHeader.FLAG_EXT_DATA, m.header().messageFlags());
        assertEquals(new MessageBody.Ping(List.of(), List.of()), m.body());
    }

    @Test
    void unknownExtensionTypesAreKeptOpaque() {
        PingExtension opaque = new PingExtension(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ClusterMessage m = valid(pingWith(opaque, PingExtension.hostname("node-1.example")));
        MessageBody.Ping body = (MessageBody.Ping) m.body();
        assertEquals(opaque, body.extensions().get(0));
        assertEquals("node-1.example", body.extensions().get(1).hostnameValue());
    }

    @Test
    void unknownTypesOfAnyLengthAreAccepted() {
        ByteBuf frame = WireFixtures.lengthened(WireFixtures.encode(new ClusterMessage(
                WireFixtures.header(MessageType.MFSTART), MessageBody.Empty.INSTANCE)), 3);
        frame.setShort(12, 200);
        frame.setByte(2256, 9);
        ClusterMessage m = valid(frame);
        assertEquals(200, m.type());
        assertEquals(new MessageBody.Unknown(new byte[] {9, 0, 0}), m.body());
    }

    @Test
    void myipWithoutNulIsReadUpToItsLastByteButOne() {
        ByteBuf frame = WireFixtures.encode(WireFixtures.ping(MessageType.PING, List.of()));
        frame.setBytes(2168, "y".repeat(46).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("y".repeat(45), valid(frame).header().myip());
    }

    @Test
    void decodeRefusesBytesThatAreNotOneWholeFrame() {
        ByteBuf frame = WireFixtures.encode(WireFixtures.fail(WireFixtures.OTHER));
        frame.writeByte(0);
        assertThrows(IllegalArgumentException.class, () -> decode(frame));
        ByteBuf noSignature = Unpooled.buffer().writeZero(2256);
        assertThrows(IllegalArgumentException.class, () -> decode(noSignature));
    }
}
