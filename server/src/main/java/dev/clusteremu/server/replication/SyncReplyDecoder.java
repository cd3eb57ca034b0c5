package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

/**
 * Frames what a master sends a replica before the command stream: one-line replies during the handshake
 * (emitted as Strings, without CR LF; a lone newline, which masters send to keep the link alive, is an empty
 * String), then the RDB payload (emitted as a {@link Payload}) once {@link MasterLink} has read its header
 * and said how it ends: after a known length ({@code $<len>}), or at a 40-byte mark ({@code $EOF:<mark>}),
 * found, as readSyncBulkPayload finds it, by comparing the last 40 bytes received with the mark.
 */
final class SyncReplyDecoder extends ByteToMessageDecoder {
    /** Longer than any reply line of the handshake could be: a master that sends this is not one. */
    private static final int MAX_LINE = 64 * 1024;

    /** A whole RDB payload, without its framing; the receiver releases it. */
    record Payload(ByteBuf rdb, boolean eofMarked) {
    }

    private CompositeByteBuf payload;
    /** Bytes of a {@code $<len>} payload still to come; -1 while reading lines. */
    private long remaining = -1;
    /** The mark ending an EOF-marked payload, or null. */
    private byte[] eofMark;

    /** The next bytes are an RDB of {@code length} bytes. */
    void expectBulk(long length) {
        remaining = length;
        payload = null;
    }

    /** The next bytes are an RDB ended by {@code mark}. */
    void expectEofMarked(byte[] mark) {
        eofMark = mark;
        payload = null;
    }

    /** Bytes of the payload received so far (master_sync_read_bytes). */
    long received() {
        return payload == null ? 0 : payload.readableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (remaining >= 0) {
            int take = (int) Math.min(remaining, in.readableBytes());
            append(ctx, in.readRetainedSlice(take));
            remaining -= take;
            if (remaining == 0) {
                remaining = -1;
                out.add(new Payload(takePayload(ctx), false));
            }
        } else if (eofMark != null) {
            append(ctx, in.readRetainedSlice(in.readableBytes()));
            int len = payload.readableBytes();
            if (len >= eofMark.length && ByteBufUtil.equals(payload, payload.readerIndex() + len - eofMark.length,
                    io.netty.buffer.Unpooled.wrappedBuffer(eofMark), 0, eofMark.length)) {
                eofMark = null;
                ByteBuf rdb = takePayload(ctx);
                rdb.writerIndex(rdb.writerIndex() - ReplicationHistory.ID_LENGTH);
                out.add(new Payload(rdb, true));
            }
        } else {
            int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (newline < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw new DecoderException("reply line too long");
                }
                return;
            }
            int end = newline > in.readerIndex() && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
            String line = in.toString(in.readerIndex(), end - in.readerIndex(), ISO_8859_1);
            in.readerIndex(newline + 1);
            out.add(line);
        }
    }

    private void append(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (payload == null) {
            payload = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        }
        payload.addComponent(true, bytes);
    }

    private ByteBuf takePayload(ChannelHandlerContext ctx) {
        ByteBuf rdb = payload == null ? ctx.alloc().buffer(0) : payload;
        payload = null;
        return rdb;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }
}
