package dev.clusteremu.cluster.wire;

import static dev.clusteremu.cluster.wire.BusLayout.COUNT;
import static dev.clusteremu.cluster.wire.BusLayout.DATA;
import static dev.clusteremu.cluster.wire.BusLayout.EXTENSIONS;
import static dev.clusteremu.cluster.wire.BusLayout.EXT_LENGTH;
import static dev.clusteremu.cluster.wire.BusLayout.MFLAGS;
import static dev.clusteremu.cluster.wire.BusLayout.TOTLEN;
import static dev.clusteremu.cluster.wire.BusLayout.TYPE;
import static dev.clusteremu.cluster.wire.BusLayout.VER;

import io.netty.buffer.ByteBuf;

/**
 * The sanity checks {@code clusterProcessPacket} runs on a whole frame before acting on it: protocol version,
 * then totlen against the length the type's layout implies. A frame failing them is counted and ignored by
 * Redis, and the link stays up; only a bad signature or a totlen below the header size (checked while
 * framing, see {@link BusFrameDecoder}) costs the link.
 *
 * <p>Redis computes the expected length in 32-bit arithmetic and reads the length fields it needs even when
 * the frame is too short to hold them. Where that would make Redis read outside the packet or wrap around,
 * its behaviour is undefined, and these checks refuse the frame instead: a decoder must never read past
 * the frame it was given.
 */
final class PacketCheck {

    /** Redis keeps an extension's length in a {@code uint16_t} while validating it. */
    private static final long MAX_EXTENSION_LENGTH = 0xffff;

    private PacketCheck() {
    }

    /**
     * Why Redis would ignore this frame, or null when it passes. The frame starts at its reader index and
     * holds exactly totlen bytes with a valid signature.
     */
    static String failure(ByteBuf frame) {
        int base = frame.readerIndex();
        int ver = frame.getUnsignedShort(base + VER);
        if (ver != MessageHeader.PROTOCOL_VERSION) {
            return "protocol version " + ver + ", expected " + MessageHeader.PROTOCOL_VERSION;
        }
        long totlen = frame.getUnsignedInt(base + TOTLEN);
        int type = frame.getUnsignedShort(base + TYPE);
        if (MessageType.isPingLike(type)) {
            return pingFailure(frame, type, totlen);
        }
        long explen;
        switch (type) {
            case MessageType.FAIL -> explen = BusLayout.FAIL_LEN;
            case MessageType.PUBLISH, MessageType.PUBLISHSHARD -> {
                if (totlen < BusLayout.PUBLISH_FIXED_LEN) {
                    return tooShort(type, totlen, BusLayout.PUBLISH_FIXED_LEN);
                }
                explen = BusLayout.PUBLISH_FIXED_LEN + frame.getUnsignedInt(base + DATA)
                        + frame.getUnsignedInt(base + DATA + 4);
            }
            case MessageType.UPDATE -> explen = BusLayout.UPDATE_LEN;
            case MessageType.MODULE -> {
                if (totlen < BusLayout.MODULE_FIXED_LEN) {
                    return tooShort(type, totlen, BusLayout.MODULE_FIXED_LEN);
                }
                explen = BusLayout.MODULE_FIXED_LEN + frame.getUnsignedInt(base + DATA + 8);
            }
            case MessageType.FAILOVER_AUTH_REQUEST, MessageType.FAILOVER_AUTH_ACK, MessageType.MFSTART ->
                    explen = MessageHeader.SIZE;
            default -> explen = totlen; // unknown types are assumed well formed
        }
        return totlen == explen ? null : lengthMismatch(type, totlen, explen);
    }

    /**
     * PING, PONG and MEET: header, count gossip entries, then the extensions. Like Redis, the extensions are
     * walked only when the sender set EXT_DATA in mflags[0]; without it the extensions count field is not
     * looked at and the frame must end right after the gossip section.
     */
    private static String pingFailure(ByteBuf frame, int type, long totlen) {
        int base = frame.readerIndex();
        long explen = DATA + (long) GossipEntry.SIZE * frame.getUnsignedShort(base + COUNT);
        if ((frame.getUnsignedByte(base + MFLAGS) & MessageHeader.FLAG_EXT_DATA) != 0) {
            int extensions = frame.getUnsignedShort(base + EXTENSIONS);
            for (int i = 0; i < extensions; i++) {
                if (explen + PingExtension.HEADER_SIZE > totlen) {
                    return "invalid " + name(type) + " packet: extension " + i + " starts past its end";
                }
                long extlen = frame.getUnsignedInt(base + (int) explen + EXT_LENGTH);
                if (extlen % 8 != 0) {
                    return "received a " + name(type) + " packet without proper padding (" + extlen + " bytes)";
                }
                if (extlen > totlen - explen) {
                    return "received invalid " + name(type)
                            + " packet with extension data that exceeds total packet length (" + totlen + ")";
                }
                if (extlen > MAX_EXTENSION_LENGTH) {
                    // Redis truncates this length to 16 bits when it adds it up but steps to the next
                    // extension by the full 32 bits, so it cannot account for such an extension.
                    return "invalid " + name(type) + " packet: extension of " + extlen + " bytes";
                }
                if (extlen == 0) {
                    // Redis would stay on this extension for the rest of the walk, and the total could then
                    // only match if the extension started at the packet's end, which it does not.
                    return lengthMismatch(type, totlen, explen);
                }
                explen += extlen;
            }
        }
        return totlen == explen ? null : lengthMismatch(type, totlen, explen);
    }

    private static String tooShort(int type, long totlen, int fixed) {
        return "invalid " + name(type) + " packet of length " + totlen + ", shorter than its fixed part " + fixed;
    }

    private static String lengthMismatch(int type, long totlen, long explen) {
        return "invalid " + name(type) + " packet of length " + totlen + " but expected length " + explen;
    }

    private static String name(int type) {
        return MessageType.statsName(type);
    }
}
