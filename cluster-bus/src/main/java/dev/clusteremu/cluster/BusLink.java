package dev.clusteremu.cluster;

import java.util.ArrayDeque;

import dev.clusteremu.cluster.wire.ClusterMessage;
import io.netty.channel.Channel;

/**
 * One TCP connection of the cluster bus ({@code clusterLink}). A node pair uses two: the outbound link we
 * open to the peer (node.link) and the inbound link it opened to us (node.inboundLink). Messages written
 * before an outbound link has connected are queued, as Redis queues them in the link's send buffer.
 */
final class BusLink {
    final Cluster cluster;
    final boolean inbound;
    final long ctime;
    /** The node on the other end; null for an inbound link until its first packet names a known sender. */
    ClusterNode node;
    private Channel channel;
    private final ArrayDeque<ClusterMessage> pending = new ArrayDeque<>();
    private boolean closed;

    private BusLink(Cluster cluster, ClusterNode node, boolean inbound, long now) {
        this.cluster = cluster;
        this.node = node;
        this.inbound = inbound;
        this.ctime = now;
    }

    /** An outbound link toward {@code node}, registered as node.link at once (createClusterLink). */
    static BusLink outbound(Cluster cluster, ClusterNode node, long now) {
        BusLink link = new BusLink(cluster, node, false, now);
        node.link = link;
        return link;
    }

    /** An inbound link for an accepted connection, not yet tied to a node. */
    static BusLink inbound(Cluster cluster, Channel channel, long now) {
        BusLink link = new BusLink(cluster, null, true, now);
        link.channel = channel;
        return link;
    }

    /** Called when the outbound connect completes: queued messages go out. */
    void connected(Channel ch) {
        this.channel = ch;
        while (!pending.isEmpty()) {
            write(pending.poll());
        }
    }

    boolean isClosed() {
        return closed;
    }

    Channel channel() {
        return channel;
    }

    /** Queues {@code msg} for sending and counts it in the sent stats (clusterSendMessage). */
    void send(ClusterMessage msg) {
        if (closed) {
            return;
        }
        int type = msg.type();
        if (type >= 0 && type < cluster.state.messagesSent.length) {
            cluster.state.messagesSent[type]++;
        }
        if (node != null && cluster.faults.blocked(cluster.state.myself.port, node.port)) {
            return; // lost on the wire: an injected partition
        }
        if (channel == null) {
            pending.add(msg);
        } else {
            write(msg);
        }
    }

    private void write(ClusterMessage msg) {
        channel.writeAndFlush(msg, channel.voidPromise());
    }

    /** Bytes waiting to be written: what CLUSTER LINKS reports as send-buffer-used. */
    long pendingBytes() {
        if (channel == null) {
            return 0;
        }
        return channel.unsafe().outboundBuffer() == null ? 0 : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    /**
     * Closes the connection and detaches the link from its node (freeClusterLink). The node stays; the cron
     * reconnects outbound links that are gone.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        if (channel != null) {
            channel.close();
        }
        if (node != null) {
            if (node.link == this) {
                node.link = null;
            } else if (node.inboundLink == this) {
                node.inboundLink = null;
            }
        }
    }

    /** Ties an inbound link to the node that sent on it, replacing an older inbound link from that node. */
    void attachInbound(ClusterNode sender) {
        if (sender.inboundLink != null && sender.inboundLink != this) {
            // A peer may reconnect before we noticed its old connection died: the old one is stale.
            sender.inboundLink.close();
        }
        sender.inboundLink = this;
        this.node = sender;
    }
}
