package dev.clusteremu.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link ClusterMessage}s with {@link BusMessageCodec#encode}, each into a buffer of exactly its
 * totlen. Holds no state, so one instance serves every bus link.
 */
@Sharable
public final class BusMessageEncoder extends MessageToByteEncoder<ClusterMessage> {

    public static final BusMessageEncoder INSTANCE = new BusMessageEncoder();

    public BusMessageEncoder() {
        super(ClusterMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ClusterMessage msg, boolean preferDirect) {
        int totlen = BusMessageCodec.totlen(msg);
        return preferDirect ? ctx.alloc().ioBuffer(totlen, totlen) : ctx.alloc().heapBuffer(totlen, totlen);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ClusterMessage msg, ByteBuf out) {
        BusMessageCodec.encode(msg, out);
    }
}
