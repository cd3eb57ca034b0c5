package dev.clusteremu.cluster;

import java.net.InetSocketAddress;

import dev.clusteremu.cluster.wire.BusFrameDecoder;
import dev.clusteremu.cluster.wire.BusMessageEncoder;
import dev.clusteremu.cluster.wire.ClusterMessage;
import dev.clusteremu.cluster.wire.InvalidMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The cluster bus over TCP: a listener on the bus port and outbound connections to peers, all on the
 * node's own event loop so that every packet is processed on the thread that owns the cluster state.
 */
final class BusTransport {
    private static final BusMessageEncoder ENCODER = BusMessageEncoder.INSTANCE;

    private final Cluster cluster;
    private final EventLoop loop;
    private Channel listener;

    BusTransport(Cluster cluster, EventLoop loop) {
        this.cluster = cluster;
        this.loop = loop;
    }

    /** Binds the bus port; blocks the caller until bound (call from outside the loop, or at start). */
    void listen(String bindAddress, int cport) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        BusLink link = BusLink.inbound(cluster, ch, cluster.now());
                        cluster.log.verbose("Accepting cluster node connection from "
                                + Addresses.ipOf(ch.remoteAddress()) + ":" + ch.remoteAddress().getPort());
                        ch.pipeline().addLast(new BusFrameDecoder(), ENCODER, new LinkHandler(link));
                    }
                });
        listener = b.bind(new InetSocketAddress(bindAddress, cport)).sync().channel();
    }

    /**
     * Opens the outbound link to {@code node} (clusterNodeCronHandleReconnect). The link exists from now
     * on, so CLUSTER NODES shows it connected and messages queue until the TCP connect completes.
     */
    void connect(ClusterNode node) {
        BusLink link = BusLink.outbound(cluster, node, cluster.now());
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, cluster.settings.nodeTimeout))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new BusFrameDecoder(), ENCODER, new LinkHandler(link));
                    }
                });
        ChannelFuture f = b.connect(node.ip, node.cport);
        f.addListener(done -> {
            if (link.isClosed()) {
                f.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                // Without a ping pending, failure detection could never start for a node we can't even
                // reach: count the attempt as a ping sent, as Redis does on a failed connect.
                if (node.pingSent == 0) {
                    node.pingSent = cluster.now();
                }
                cluster.log.debug("Unable to connect to Cluster Node [" + node.ip + "]:" + node.cport + " -> "
                        + done.cause().getMessage());
                link.close();
                return;
            }
            link.connected(f.channel());
            cluster.onOutboundConnected(link);
        });
    }

    void close() {
        if (listener != null) {
            listener.close();
        }
    }

    /** Reads packets from one link into the cluster, on the node's loop. */
    private final class LinkHandler extends ChannelInboundHandlerAdapter {
        private final BusLink link;

        LinkHandler(BusLink link) {
            this.link = link;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (link.isClosed()) {
                return;
            }
            if (msg instanceof ClusterMessage m) {
                if (cluster.faults.blocked(m.header().port(), cluster.state.myself.port)) {
                    return; // lost on the wire: an injected partition
                }
                cluster.packets.process(link, m);
            } else if (msg instanceof InvalidMessage bad) {
                cluster.packets.invalid(bad);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cluster.log.debug("I/O error reading from node link: connection closed");
            link.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cluster.log.debug("I/O error on node link: " + cause.getMessage());
            link.close();
        }
    }
}
