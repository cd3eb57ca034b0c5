package dev.clusteremu.cluster.wire;

import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes a message field by field in {@code clusterMsg} order; {@link BusMessageCodec} sizes and checks it. */
final class MessageWriter {

    /** An ip field holds at most NET_IP_STR_LEN-1 bytes before its NUL. */
    private static final int IP_MAX = MessageHeader.IP_LEN - 1;

    private MessageWriter() {
    }

    static void write(ClusterMessage msg, int totlen, ByteBuf out) {
        MessageHeader h = msg.header();
        MessageBody body = msg.body();
        MessageBody.Ping ping = body instanceof MessageBody.Ping p ? p : null;
        out.writeInt(MessageHeader.SIGNATURE);
        out.writeInt(totlen);
        out.writeShort(MessageHeader.PROTOCOL_VERSION);
        out.writeShort(h.port());
        out.writeShort(h.type());
        out.writeShort(ping == null ? 0 : ping.gossip().size());
        out.writeLong(h.currentEpoch());
        out.writeLong(h.configEpoch());
        out.writeLong(h.offset());
        writeName(out, h.sender());
        writeSlots(out, h.myslots());
        if (h.slaveof() == null) {
            out.writeZero(MessageHeader.NODE_NAME_LEN);
        } else {
            writeName(out, h.slaveof());
        }
        writeIp(out, h.myip());
        out.writeShort(ping == null ? 0 : ping.extensions().size());
        out.writeZero(BusLayout.NOTUSED1_LEN);
        out.writeShort(h.pport());
        out.writeShort(h.cport());
        out.writeShort(h.flags());
        out.writeByte(h.state());
        out.writeByte(h.messageFlags());
        out.writeZero(BusLayout.MFLAGS_LEN - 1);
        writeBody(body, out);
    }

    private static void writeBody(MessageBody body, ByteBuf out) {
        if (body instanceof MessageBody.Ping ping) {
            for (GossipEntry g : ping.gossip()) {
                writeGossip(out, g);
            }
            for (PingExtension ext : ping.extensions()) {
                out.writeInt(ext.length());
                out.writeShort(ext.type());
                out.writeShort(0);
                out.writeBytes(ext.payload());
            }
        } else if (body instanceof MessageBody.Fail fail) {
            writeName(out, fail.nodename());
        } else if (body instanceof MessageBody.Publish publish) {
            out.writeInt(publish.channel().length);
            out.writeInt(publish.message().length);
            out.writeBytes(publish.channel());
            out.writeBytes(publish.message());
        } else if (body instanceof MessageBody.Update update) {
            out.writeLong(update.configEpoch());
            writeName(out, update.nodename());
            writeSlots(out, update.slots());
        } else if (body instanceof MessageBody.Module module) {
            // clusterSendModule copies module_id without byte-order conversion ("already endian adjusted"),
            // so on the wire it is in the sending host's order: little-endian on x86, the only order we speak.
            out.writeLongLE(module.moduleId());
            out.writeInt(module.payload().length);
            out.writeByte(module.moduleType());
            out.writeBytes(module.payload());
        } else if (body instanceof MessageBody.Unknown unknown) {
            out.writeBytes(unknown.data());
        }
    }

    /** One clusterMsgDataGossip; times are unix seconds cut to 32 bits, as clusterSetGossipEntry sends them. */
    private static void writeGossip(ByteBuf out, GossipEntry g) {
        writeName(out, g.nodename());
        out.writeInt((int) g.pingSentSeconds());
        out.writeInt((int) g.pongReceivedSeconds());
        writeIp(out, g.ip());
        out.writeShort(g.port());
        out.writeShort(g.cport());
        out.writeShort(g.flags());
        out.writeShort(g.pport());
        out.writeShort(0);
    }

    private static void writeName(ByteBuf out, String name) {
        if (name.length() != MessageHeader.NODE_NAME_LEN) {
            throw new IllegalArgumentException("node name must be " + MessageHeader.NODE_NAME_LEN + " chars: "
                    + name);
        }
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
    }

    private static void writeSlots(ByteBuf out, byte[] slots) {
        if (slots.length != SlotBitmap.BYTES) {
            throw new IllegalArgumentException("slot bitmap must be " + SlotBitmap.BYTES + " bytes, got "
                    + slots.length);
        }
        out.writeBytes(slots);
    }

    /** Like Redis's strncpy into a zeroed NET_IP_STR_LEN field: at most 45 bytes, then NUL padding. */
    private static void writeIp(ByteBuf out, String ip) {
        byte[] bytes = ip.getBytes(StandardCharsets.ISO_8859_1);
        int len = Math.min(bytes.length, IP_MAX);
        out.writeBytes(bytes, 0, len);
        out.writeZero(MessageHeader.IP_LEN - len);
    }
}
