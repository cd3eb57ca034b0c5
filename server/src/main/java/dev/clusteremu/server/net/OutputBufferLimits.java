package dev.clusteremu.server.net;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.info.ClientLine;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * client-output-buffer-limit (checkClientOutputBufferLimits, closeClientOnOutputBufferLimitReached): a
 * client whose unsent replies reach its class's hard limit, or stay at or over its soft limit for longer
 * than the soft seconds, is disconnected, so a client that stops reading can't make the node hold its
 * replies without bound. A client's unsent replies are what its connection still holds after a flush. The
 * classes are Redis's: a replica attached to us, a client subscribed to something (pubsub), and every other
 * client, our master's link included (normal).
 */
public final class OutputBufferLimits {
    private static final int NORMAL = 0;
    private static final int REPLICA = 1;
    private static final int PUBSUB = 2;

    private OutputBufferLimits() {
    }

    /** getClientOutputBufferMemoryUsage: the bytes of replies {@code c}'s connection holds unsent. */
    public static long unsentBytes(Client c) {
        ChannelOutboundBuffer unsent = c.channel().unsafe().outboundBuffer();
        return unsent == null ? 0 : unsent.totalPendingWriteBytes();
    }

    /**
     * Checks {@code c} after a flush and disconnects it, with Redis's log line, if it is over its limits.
     * Returns whether it was disconnected.
     */
    public static boolean closeIfReached(RedisNode node, Client c) {
        // Nothing unsent, nothing to check, except for a replica (closeClientOnOutputBufferLimitReached): the
        // common case after a flush costs no config lookup, and the soft-limit clock keeps running as in Redis.
        long used = unsentBytes(c);
        Channel channel = c.channel();
        if (used == 0 && !c.isReplica() || !channel.isActive() || !reached(node, c, used)) {
            return false;
        }
        node.log().warning("Client " + ClientLine.describe(c, node.now(), 0)
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        channel.close();
        return true;
    }

    /** Whether {@code c}, holding {@code used} unsent bytes, is over its limits; keeps its soft-limit clock. */
    private static boolean reached(RedisNode node, Client c, long used) {
        int cls = c.isReplica() ? REPLICA : c.isSubscribed() && !c.isMaster() ? PUBSUB : NORMAL;
        long[] limit = ((long[][]) ConfigTable.valueOf(node, "client-output-buffer-limit"))[cls];
        long hard = limit[0];
        // A replica's hard limit below the backlog size would cut off replicas a partial sync just served.
        if (cls == REPLICA && hard != 0) {
            hard = Math.max(hard, (Long) ConfigTable.valueOf(node, "repl-backlog-size"));
        }
        if (hard != 0 && used >= hard) {
            return true;
        }
        long soft = limit[1];
        if (soft == 0 || used < soft) {
            c.setSoftLimitReachedAt(0);
            return false;
        }
        long now = node.now() / 1000;
        if (c.softLimitReachedAt() == 0) {
            c.setSoftLimitReachedAt(now);
            return false;
        }
        return now - c.softLimitReachedAt() > limit[2];
    }
}
