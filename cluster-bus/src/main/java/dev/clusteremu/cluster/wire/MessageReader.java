package dev.clusteremu.cluster.wire;

import static dev.clusteremu.cluster.wire.BusLayout.CONFIG_EPOCH;
import static dev.clusteremu.cluster.wire.BusLayout.COUNT;
import static dev.clusteremu.cluster.wire.BusLayout.CPORT;
import static dev.clusteremu.cluster.wire.BusLayout.CURRENT_EPOCH;
import static dev.clusteremu.cluster.wire.BusLayout.DATA;
import static dev.clusteremu.cluster.wire.BusLayout.EXTENSIONS;
import static dev.clusteremu.cluster.wire.BusLayout.EXT_LENGTH;
import static dev.clusteremu.cluster.wire.BusLayout.EXT_TYPE;
import static dev.clusteremu.cluster.wire.BusLayout.FLAGS;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_CPORT;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_FLAGS;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_IP;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_NODENAME;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_PING_SENT;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_PONG_RECEIVED;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_PORT;
import static dev.clusteremu.cluster.wire.BusLayout.GOSSIP_PPORT;
import static dev.clusteremu.cluster.wire.BusLayout.MFLAGS;
import static dev.clusteremu.cluster.wire.BusLayout.MYIP;
import static dev.clusteremu.cluster.wire.BusLayout.MYSLOTS;
import static dev.clusteremu.cluster.wire.BusLayout.OFFSET;
import static dev.clusteremu.cluster.wire.BusLayout.PORT;
import static dev.clusteremu.cluster.wire.BusLayout.PPORT;
import static dev.clusteremu.cluster.wire.BusLayout.SENDER;
import static dev.clusteremu.cluster.wire.BusLayout.SLAVEOF;
import static dev.clusteremu.cluster.wire.BusLayout.STATE;
import static dev.clusteremu.cluster.wire.BusLayout.TYPE;

import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a frame that passed {@link PacketCheck} into a {@link ClusterMessage}. Every offset it reads lies
 * inside the frame because the checks matched totlen against the type's layout first.
 */
final class MessageReader {

    /** An ip field holds at most NET_IP_STR_LEN-1 bytes before its NUL. */
    private static final int IP_MAX = MessageHeader.IP_LEN - 1;

    private MessageReader() {
    }

    static ClusterMessage read(ByteBuf frame) {
        int base = frame.readerIndex();
        return new ClusterMessage(readHeader(frame, base), readBody(frame, base));
    }

    /** The header; count, extensions and totlen are left to the body they describe. */
    private static MessageHeader readHeader(ByteBuf f, int base) {
        return new MessageHeader(
                f.getUnsignedShort(base + TYPE),
                f.getUnsignedShort(base + PORT),
                f.getLong(base + CURRENT_EPOCH),
                f.getLong(base + CONFIG_EPOCH),
                f.getLong(base + OFFSET),
                readName(f, base + SENDER),
                bytes(f, base + MYSLOTS, SlotBitmap.BYTES),
                isNullName(f, base + SLAVEOF) ? null : readName(f, base + SLAVEOF),
                // nodeIp2String forces a NUL at the field's last byte: "we are not sure the input is sane".
                readCString(f, base + MYIP, IP_MAX),
                f.getUnsignedShort(base + PPORT),
                f.getUnsignedShort(base + CPORT),
                f.getUnsignedShort(base + FLAGS),
                f.getUnsignedByte(base + STATE),
                f.getUnsignedByte(base + MFLAGS));
    }

    private static MessageBody readBody(ByteBuf f, int base) {
        int data = base + DATA;
        switch (f.getUnsignedShort(base + TYPE)) {
            case MessageType.PING, MessageType.PONG, MessageType.MEET -> {
                return readPing(f, base);
            }
            case MessageType.FAIL -> {
                return new MessageBody.Fail(readName(f, data));
            }
            case MessageType.PUBLISH, MessageType.PUBLISHSHARD -> {
                int channelLen = f.getInt(data);
                int messageLen = f.getInt(data + 4);
                return new MessageBody.Publish(bytes(f, data + 8, channelLen),
                        bytes(f, data + 8 + channelLen, messageLen));
            }
            case MessageType.UPDATE -> {
                return new MessageBody.Update(f.getLong(data), readName(f, data + 8),
                        bytes(f, data + 8 + MessageHeader.NODE_NAME_LEN, SlotBitmap.BYTES));
            }
            case MessageType.MODULE -> {
                long moduleId = f.getLongLE(data); // host order (x86), see MessageWriter
                int len = f.getInt(data + 8);
                return new MessageBody.Module(moduleId, f.getUnsignedByte(data + 12), bytes(f, data + 13, len));
            }
            case MessageType.FAILOVER_AUTH_REQUEST, MessageType.FAILOVER_AUTH_ACK, MessageType.MFSTART -> {
                return MessageBody.Empty.INSTANCE;
            }
            default -> {
                return new MessageBody.Unknown(bytes(f, data, f.readableBytes() - DATA));
            }
        }
    }

    /**
     * Gossip entries, then the extensions, which Redis walks only when EXT_DATA is set: without the flag
     * the extensions count is ignored and the frame ended right after the gossip section.
     */
    private static MessageBody.Ping readPing(ByteBuf f, int base) {
        int count = f.getUnsignedShort(base + COUNT);
        List<GossipEntry> gossip = new ArrayList<>(count);
        int at = base + DATA;
        for (int i = 0; i < count; i++, at += GossipEntry.SIZE) {
            gossip.add(new GossipEntry(
                    readName(f, at + GOSSIP_NODENAME),
                    f.getUnsignedInt(at + GOSSIP_PING_SENT),
                    f.getUnsignedInt(at + GOSSIP_PONG_RECEIVED),
                    readCString(f, at + GOSSIP_IP, MessageHeader.IP_LEN),
                    f.getUnsignedShort(at + GOSSIP_PORT),
                    f.getUnsignedShort(at + GOSSIP_CPORT),
                    f.getUnsignedShort(at + GOSSIP_FLAGS),
                    f.getUnsignedShort(at + GOSSIP_PPORT)));
        }
        List<PingExtension> extensions = new ArrayList<>();
        if ((f.getUnsignedByte(base + MFLAGS) & MessageHeader.FLAG_EXT_DATA) != 0) {
            int n = f.getUnsignedShort(base + EXTENSIONS);
            for (int i = 0; i < n; i++) {
                int length = f.getInt(at + EXT_LENGTH);
                extensions.add(new PingExtension(f.getUnsignedShort(at + EXT_TYPE),
                        bytes(f, at + PingExtension.HEADER_SIZE, length - PingExtension.HEADER_SIZE)));
                at += length;
            }
        }
        return new MessageBody.Ping(gossip, extensions);
    }

    private static String readName(ByteBuf f, int at) {
        return f.toString(at, MessageHeader.NODE_NAME_LEN, StandardCharsets.ISO_8859_1);
    }

    /** CLUSTER_NODE_NULL_NAME: forty zero bytes stand for "no master". */
    private static boolean isNullName(ByteBuf f, int at) {
        for (int i = 0; i < MessageHeader.NODE_NAME_LEN; i++) {
            if (f.getByte(at + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a NUL-padded field up to its first NUL, reading at most {@code max} bytes. */
    private static String readCString(ByteBuf f, int at, int max) {
        int len = 0;
        while (len < max && f.getByte(at + len) != 0) {
            len++;
        }
        return f.toString(at, len, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(ByteBuf f, int at, int len) {
        byte[] b = new byte[len];
        f.getBytes(at, b);
        return b;
    }
}
