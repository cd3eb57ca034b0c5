package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fields land at the offsets of clusterMsg in cluster.h, with Redis's byte order and padding. */
class BusMessageLayoutTest {

    private ByteBuf wire;

    @AfterEach
    void release() {
        if (wire != null) {
            wire.release();
        }
    }

    /** A replica's PONG with an announced ip, one gossip entry and a hostname extension. */
    private static ClusterMessage replicaPong() {
        SlotBitmap slots = new SlotBitmap();
        slots.set(0);
        slots.set(16383);
        MessageHeader h = new MessageHeader(MessageType.PONG, 7001, 0x0102030405060708L, 9, 0x1122334455667788L,
                WireFixtures.SENDER, slots.toBytes(), WireFixtures.OTHER, "10.0.0.1", 6379, 17001,
                NodeFlags.MYSELF | NodeFlags.SLAVE, 1, MessageHeader.FLAG_EXT_DATA | MessageHeader.FLAG_PAUSED);
        GossipEntry g = new GossipEntry(WireFixtures.OTHER, 0xfffffffeL, 1700000000L, "192.168.1.20", 7002, 17002,
                NodeFlags.MASTER | NodeFlags.PFAIL, 6380);
        return new ClusterMessage(h, new MessageBody.Ping(List.of(g), List.of(PingExtension.hostname("abc"))));
    }

    @Test
    void headerFieldsLandAtClusterMsgOffsets() {
        wire = WireFixtures.encode(replicaPong());
        assertEquals("RCmb", wire.toString(0, 4, StandardCharsets.US_ASCII));
        assertEquals(2256 + 104 + 16, wire.getInt(4));
        assertEquals(1, wire.getShort(8));
        assertEquals(7001, wire.getUnsignedShort(10));
        assertEquals(MessageType.PONG, wire.getShort(12));
        assertEquals(1, wire.getShort(14));
        assertEquals("0102030405060708", ByteBufUtil.hexDump(wire, 16, 8));
        assertEquals(9, wire.getLong(24));
        assertEquals("1122334455667788", ByteBufUtil.hexDump(wire, 32, 8));
        assertEquals(WireFixtures.SENDER, wire.toString(40, 40, StandardCharsets.US_ASCII));
        assertEquals(0x01, wire.getByte(80), "slot 0 is bit 0 of the first bitmap byte");
        assertEquals((byte) 0x80, wire.getByte(80 + 2047), "slot 16383 is bit 7 of the last bitmap byte");
        assertEquals(WireFixtures.OTHER, wire.toString(2128, 40, StandardCharsets.US_ASCII));
        assertEquals("10.0.0.1", wire.toString(2168, 8, StandardCharsets.US_ASCII));
        assertZero(2168 + 8, 46 - 8);
        assertEquals(1, wire.getShort(2214));
        assertZero(2216, 30);
        assertEquals(6379, wire.getUnsignedShort(2246));
        assertEquals(17001, wire.getUnsignedShort(2248));
        assertEquals(NodeFlags.MYSELF | NodeFlags.SLAVE, wire.getShort(2250));
        assertEquals(1, wire.getByte(2252));
        assertEquals(MessageHeader.FLAG_EXT_DATA | MessageHeader.FLAG_PAUSED, wire.getByte(2253));
        assertZero(2254, 2);
    }

    @Test
    void gossipEntryFieldsLandAtClusterMsgDataGossipOffsets() {
        wire = WireFixtures.encode(replicaPong());
        int g = 2256;
        assertEquals(WireFixtures.OTHER, wire.toString(g, 40, StandardCharsets.US_ASCII));
        assertEquals("fffffffe", ByteBufUtil.hexDump(wire, g + 40, 4));
        assertEquals(1700000000, wire.getInt(g + 44));
        assertEquals("192.168.1.20", wire.toString(g + 48, 12, StandardCharsets.US_ASCII));
        assertZero(g + 48 + 12, 46 - 12);
        assertEquals(7002, wire.getUnsignedShort(g + 94));
        assertEquals(17002, wire.getUnsignedShort(g + 96));
        assertEquals(NodeFlags.MASTER | NodeFlags.PFAIL, wire.getShort(g + 98));
        assertEquals(6380, wire.getUnsignedShort(g + 100));
        assertZero(g + 102, 2);
    }

    @Test
    void hostnameExtensionFollowsGossipNulTerminatedAndPadded() {
        wire = WireFixtures.encode(replicaPong());
        int e = 2256 + 104;
        assertEquals(16, wire.getInt(e), "8-byte header + \"abc\\0\" padded to 8");
        assertEquals(PingExtension.TYPE_HOSTNAME, wire.getShort(e + 4));
        assertZero(e + 6, 2);
        assertEquals("abc", wire.toString(e + 8, 3, StandardCharsets.US_ASCII));
        assertZero(e + 11, 5);
        assertEquals(e + 16, wire.readableBytes());
    }

    @Test
    void hostnamePaddingKeepsRoomForTheNul() {
        assertEquals(16, PingExtension.hostname("1234567").length());
        assertEquals(24, PingExtension.hostname("12345678").length());
        assertEquals(16, PingExtension.hostname("").length());
    }

    @Test
    void masterWithoutAnnouncedIpSendsZeroSlaveofAndMyip() {
        wire = WireFixtures.encode(WireFixtures.ping(MessageType.PING, List.of()));
        assertEquals(2256, wire.readableBytes());
        assertZero(2128, 40);
        assertZero(2168, 46);
        assertZero(2214, 2);
        assertEquals(NodeFlags.MASTER, wire.getShort(2250));
        assertZero(2252, 4);
    }

    @Test
    void announcedIpIsCutToFortyFiveBytesLikeStrncpy() {
        MessageHeader h = WireFixtures.header(MessageType.PING);
        String longIp = "x".repeat(50);
        ClusterMessage msg = new ClusterMessage(new MessageHeader(h.type(), h.port(), 0, 0, 0, h.sender(),
                h.myslots(), null, longIp, 0, h.cport(), h.flags(), 0, 0), new MessageBody.Ping(List.of(), List.of()));
        wire = WireFixtures.encode(msg);
        assertEquals("x".repeat(45), wire.toString(2168, 45, StandardCharsets.US_ASCII));
        assertEquals(0, wire.getByte(2168 + 45));
    }

    @Test
    void failCarriesTheNodenameAfterTheHeader() {
        wire = WireFixtures.encode(WireFixtures.fail(WireFixtures.OTHER));
        assertEquals(2296, wire.readableBytes());
        assertEquals(2296, wire.getInt(4));
        assertEquals(0, wire.getShort(14), "count is only for gossip");
        assertEquals(WireFixtures.OTHER, wire.toString(2256, 40, StandardCharsets.US_ASCII));
    }

    @Test
    void publishCarriesLengthsThenChannelThenMessage() {
        byte[] channel = "news".getBytes(StandardCharsets.US_ASCII);
        byte[] message = "hello!".getBytes(StandardCharsets.US_ASCII);
        wire = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.PUBLISHSHARD),
                new MessageBody.Publish(channel, message)));
        assertEquals(2264 + 4 + 6, wire.getInt(4));
        assertEquals(MessageType.PUBLISHSHARD, wire.getShort(12));
        assertEquals(4, wire.getInt(2256));
        assertEquals(6, wire.getInt(2260));
        assertEquals("newshello!", wire.toString(2264, 10, StandardCharsets.US_ASCII));
        assertEquals(2274, wire.readableBytes());
    }

    @Test
    void updateCarriesConfigEpochNodenameAndSlots() {
        SlotBitmap slots = new SlotBitmap();
        slots.set(9);
        wire = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.UPDATE),
                new MessageBody.Update(42, WireFixtures.OTHER, slots.toBytes())));
        assertEquals(4352, wire.readableBytes());
        assertEquals(4352, wire.getInt(4));
        assertEquals(42, wire.getLong(2256));
        assertEquals(WireFixtures.OTHER, wire.toString(2264, 40, StandardCharsets.US_ASCII));
        assertEquals(0x02, wire.getByte(2304 + 1), "slot 9 is bit 1 of the second byte");
    }

    @Test
    void moduleCarriesIdInHostOrderThenBigEndianLengthAndType() {
        wire = WireFixtures.encode(new ClusterMessage(WireFixtures.header(MessageType.MODULE),
                new MessageBody.Module(0x0102030405060708L, 200, new byte[] {7, 8, 9})));
        assertEquals(2269 + 3, wire.getInt(4));
        assertEquals("0807060504030201", ByteBufUtil.hexDump(wire, 2256, 8), "little-endian, as x86 Redis sends it");
        assertEquals(3, wire.getInt(2264));
        assertEquals(200, wire.getUnsignedByte(2268));
        assertArrayEquals(new byte[] {7, 8, 9}, ByteBufUtil.getBytes(wire, 2269, 3));
    }

    @Test
    void headerOnlyTypesAreExactlyTheHeader() {
        for (int type : new int[] {MessageType.FAILOVER_AUTH_REQUEST, MessageType.FAILOVER_AUTH_ACK,
                MessageType.MFSTART}) {
            ByteBuf b = WireFixtures.encode(new ClusterMessage(WireFixtures.header(type), MessageBody.Empty.INSTANCE));
            assertEquals(2256, b.readableBytes());
            assertEquals(2256, b.getInt(4));
            b.release();
        }
    }

    @Test
    void bodyMustFitTheHeaderType() {
        ClusterMessage failAsPing = new ClusterMessage(WireFixtures.header(MessageType.PING),
                new MessageBody.Fail(WireFixtures.OTHER));
        assertThrows(IllegalArgumentException.class, () -> BusMessageCodec.totlen(failAsPing));
        ClusterMessage unknownAsFail = new ClusterMessage(WireFixtures.header(MessageType.FAIL),
                new MessageBody.Unknown(new byte[40]));
        assertThrows(IllegalArgumentException.class, () -> BusMessageCodec.totlen(unknownAsFail));
    }

    @Test
    void nodeNamesMustBeFortyChars() {
        assertThrows(IllegalArgumentException.class,
                () -> WireFixtures.encode(WireFixtures.fail("abc")).release());
    }

    private void assertZero(int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            assertEquals(0, wire.getByte(i), "byte " + i + " must be zero");
        }
    }
}
