package dev.clusteremu.server.net;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.CommandProcessor;
import dev.clusteremu.server.resp.ProtocolError;
import dev.clusteremu.server.resp.RespDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Runs a connection's commands as they are decoded and writes the replies of a whole read batch with one
 * flush, so a pipeline costs one syscall per batch rather than one per command.
 *
 * <p>While the client is blocked, requests are queued instead of run and reading stops, as Redis stops
 * processing a blocked client's query buffer; once unblocked, {@link BlockedClients} has the queue run
 * here in order, until it is empty (reading resumes) or the client blocks again.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final RedisNode node;
    private final CommandProcessor processor;
    private ChannelHandlerContext ctx;
    private Client client;

    public ClientHandler(RedisNode node, CommandProcessor processor) {
        this.node = node;
        this.processor = processor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        client = node.clients().register(ctx.channel());
        client.setResumer(this::resume);
        client.setFlusher(() -> flush(ctx));
        RespDecoder decoder = ctx.pipeline().get(RespDecoder.class);
        if (decoder != null) {
            decoder.setAuthRequired(() -> node.acl().authRequired(client.isAuthenticated()));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (client.isClosingAfterReply()) {
            return; // Redis stops reading a client it is about to close
        }
        if (client.isBlocked() || client.hasPendingRequests()) {
            client.queueRequest(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(msg);
        if (client.isClosingAfterReply()) {
            flush(ctx);
        }
    }

    private void handle(Object msg) {
        if (msg instanceof byte[][] argv) {
            processor.process(client, argv);
        } else if (msg instanceof ProtocolError error) {
            client.reply().raw(error.reply());
            client.closeAfterReply();
            node.log().verbose("Protocol error (" + error.message() + ") from client: id=" + client.id());
        }
    }

    /** Runs the requests queued while the client was blocked, then sends their replies. */
    private void resume() {
        Object msg;
        while (!client.isBlocked() && !client.isClosingAfterReply() && (msg = client.pollRequest()) != null) {
            handle(msg);
        }
        if (!client.isBlocked() && !client.hasPendingRequests()) {
            ctx.channel().config().setAutoRead(true);
        }
        flush(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    private void flush(ChannelHandlerContext ctx) {
        ByteBuf out = client.takeReplies();
        if (out == null) {
            if (client.isClosingAfterReply()) {
                ctx.close();
            }
            return;
        }
        if (client.isClosingAfterReply()) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out, ctx.voidPromise());
            OutputBufferLimits.closeIfReached(node, client);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            ByteBuf pending = client.takeReplies();
            if (pending != null) {
                pending.release();
            }
            node.clients().unregister(client);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        node.log().verbose("Client connection error: " + cause);
        ctx.close();
    }
}
