package dev.clusteremu.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the cluster bus byte stream into frames as clusterReadHandler does, and emits each frame decoded by
 * {@link BusMessageCodec#decode}: a {@link ClusterMessage}, or an {@link InvalidMessage} that the receiver
 * counts and ignores while keeping the link.
 *
 * <p>First 8 bytes: the "RCmb" signature and totlen. A wrong signature or a totlen shorter than the header
 * means the stream cannot be trusted to be in step any more, so Redis frees the link; this decoder closes
 * the channel and throws away whatever else arrives on it. Otherwise it waits for all totlen bytes.
 */
public final class BusFrameDecoder extends ByteToMessageDecoder {

    /**
     * Redis sets no ceiling on totlen: it grows the link's read buffer as the bytes come. Here one bogus
     * header could make the channel hold up to 4 GiB (more than a Java buffer can index) waiting for a frame
     * that never comes, so anything above this is treated like a bad length and the link is closed. Real
     * frames are a few KiB; only a PUBLISH of a message near this size would be refused.
     */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 256 * 1024 * 1024;

    private static final int PREAMBLE = 8;

    private final long maxFrameLength;
    private boolean discarding;

    public BusFrameDecoder() {
        this(DEFAULT_MAX_FRAME_LENGTH);
    }

    /** A decoder that closes the link on a totlen above {@code maxFrameLength}. */
    public BusFrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < PREAMBLE) {
            return;
        }
        int base = in.readerIndex();
        long totlen = in.getUnsignedInt(base + BusLayout.TOTLEN);
        if (in.getInt(base + BusLayout.SIG) != MessageHeader.SIGNATURE || totlen < MessageHeader.SIZE
                || totlen > maxFrameLength) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (in.readableBytes() < totlen) {
            return;
        }
        out.add(BusMessageCodec.decode(in.readSlice((int) totlen)));
    }
}
