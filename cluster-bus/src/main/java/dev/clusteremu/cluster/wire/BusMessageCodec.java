package dev.clusteremu.cluster.wire;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes cluster bus messages in the exact byte layout of Redis 7.0 ({@code clusterMsg} in
 * cluster.h): a 2256-byte header, then the type's data. Every integer is big-endian (Redis converts each
 * with htons/htonl/htonu64) except MODULE's module_id, which Redis copies in host order.
 *
 * <p>Strings travel as fixed-size byte fields: node names are 40 bytes without a terminator, ip fields 46
 * bytes NUL padded. Bytes map one to one to chars (ISO-8859-1), so whatever a peer sends survives decoding;
 * Redis treats these fields as raw bytes too.
 */
public final class BusMessageCodec {

    private BusMessageCodec() {
    }

    /**
     * The totlen of {@code msg} on the wire: the header plus the body's layout, as Redis computes it when
     * sending. Throws IllegalArgumentException when the body's kind does not fit the header's type, or a
     * count does not fit its 16-bit field.
     */
    public static int totlen(ClusterMessage msg) {
        int type = msg.type();
        MessageBody body = msg.body();
        if (body instanceof MessageBody.Ping ping) {
            require(MessageType.isPingLike(type), type, body);
            requireU16(ping.gossip().size(), "gossip entries");
            requireU16(ping.extensions().size(), "ping extensions");
            long len = MessageHeader.SIZE + (long) GossipEntry.SIZE * ping.gossip().size();
            for (PingExtension ext : ping.extensions()) {
                len += ext.length();
            }
            return Math.toIntExact(len);
        }
        if (body instanceof MessageBody.Fail) {
            require(type == MessageType.FAIL, type, body);
            return BusLayout.FAIL_LEN;
        }
        if (body instanceof MessageBody.Publish publish) {
            require(type == MessageType.PUBLISH || type == MessageType.PUBLISHSHARD, type, body);
            return Math.toIntExact((long) BusLayout.PUBLISH_FIXED_LEN + publish.channel().length
                    + publish.message().length);
        }
        if (body instanceof MessageBody.Update) {
            require(type == MessageType.UPDATE, type, body);
            return BusLayout.UPDATE_LEN;
        }
        if (body instanceof MessageBody.Module module) {
            require(type == MessageType.MODULE, type, body);
            return Math.toIntExact((long) BusLayout.MODULE_FIXED_LEN + module.payload().length);
        }
        if (body instanceof MessageBody.Empty) {
            require(type == MessageType.FAILOVER_AUTH_REQUEST || type == MessageType.FAILOVER_AUTH_ACK
                    || type == MessageType.MFSTART, type, body);
            return MessageHeader.SIZE;
        }
        require(type >= MessageType.COUNT, type, body);
        return Math.toIntExact((long) MessageHeader.SIZE + ((MessageBody.Unknown) body).data().length);
    }

    /**
     * Appends the {@link #totlen} bytes Redis 7.0 would send for {@code msg}. totlen, count and extensions
     * are derived from the body; unused bytes are zero. The header's messageFlags are written as given: a
     * caller that adds ping extensions must set {@link MessageHeader#FLAG_EXT_DATA} itself, as
     * clusterSendPing does, or receivers will not walk the extensions and will ignore the packet for its
     * length.
     */
    public static void encode(ClusterMessage msg, ByteBuf out) {
        int totlen = totlen(msg);
        out.ensureWritable(totlen);
        MessageWriter.write(msg, totlen, out);
    }

    /**
     * Decodes one whole frame: {@code frame}'s readable bytes must be exactly one message of totlen bytes
     * with the "RCmb" signature, as {@link BusFrameDecoder} cuts them. Returns a {@link ClusterMessage}, or
     * an {@link InvalidMessage} when Redis would ignore the frame and keep the link (wrong version, totlen
     * not matching the type's layout). The buffer's indices are left unchanged. Throws
     * IllegalArgumentException when the frame is not one whole framed message.
     */
    public static Object decode(ByteBuf frame) {
        int base = frame.readerIndex();
        if (frame.readableBytes() < MessageHeader.SIZE
                || frame.getInt(base + BusLayout.SIG) != MessageHeader.SIGNATURE
                || frame.getUnsignedInt(base + BusLayout.TOTLEN) != frame.readableBytes()) {
            throw new IllegalArgumentException("not one whole cluster bus frame: " + frame.readableBytes()
                    + " readable bytes");
        }
        String failure = PacketCheck.failure(frame);
        if (failure != null) {
            return new InvalidMessage(frame.getUnsignedShort(base + BusLayout.TYPE), frame.readableBytes(), failure);
        }
        return MessageReader.read(frame);
    }

    private static void require(boolean fits, int type, MessageBody body) {
        if (!fits) {
            throw new IllegalArgumentException("a " + body.getClass().getSimpleName() + " body does not fit type "
                    + type + " (" + MessageType.statsName(type) + ")");
        }
    }

    private static void requireU16(int n, String what) {
        if (n > 0xffff) {
            throw new IllegalArgumentException(n + " " + what + " do not fit a 16-bit count");
        }
    }
}
