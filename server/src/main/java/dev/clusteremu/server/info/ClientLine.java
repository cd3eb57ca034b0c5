package dev.clusteremu.server.info;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.clusteremu.cluster.Addresses;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.net.OutputBufferLimits;
import dev.clusteremu.server.pubsub.Subscriptions;

/**
 * One client as CLIENT LIST and CLIENT INFO describe it (catClientInfoString): space-separated
 * "field=value" pairs in Redis 7.0's order, so clients that split the line find every field they expect.
 * Figures the emulator doesn't keep (query buffer, memory) read as an idle Redis client's would.
 */
public final class ClientLine {
    /** The reply buffer size a Redis client settles at when idle (rbs). */
    private static final int REPLY_BUFFER_SIZE = 1024;
    /** The JVM doesn't expose socket descriptors: a number unique per open connection stands in (fd). */
    private static final long FD_BASE = 10;

    private ClientLine() {
    }

    /**
     * The line for {@code c} (no trailing newline). {@code argvBytes} is the size of the arguments of the
     * command {@code c} is running (argv-mem): non-zero only for the client asking.
     */
    public static String describe(Client c, long now, long argvBytes) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("id=").append(c.id());
        sb.append(" addr=").append(address(c.channel().remoteAddress()));
        sb.append(" laddr=").append(address(c.channel().localAddress()));
        sb.append(" fd=").append(FD_BASE + c.id());
        sb.append(" name=").append(c.name());
        sb.append(" age=").append(now / 1000 - c.createdAt() / 1000);
        sb.append(" idle=").append(now / 1000 - c.lastInteraction() / 1000);
        sb.append(" flags=").append(flags(c));
        sb.append(" db=0");
        Subscriptions subs = c.isSubscribed() ? c.subscriptions() : null;
        sb.append(" sub=").append(subs == null ? 0 : subs.channelCount());
        sb.append(" psub=").append(subs == null ? 0 : subs.patternCount());
        sb.append(" ssub=").append(subs == null ? 0 : subs.shardChannelCount());
        sb.append(" multi=").append(c.multi().isActive() ? c.multi().count() : -1);
        sb.append(" qbuf=0 qbuf-free=0");
        sb.append(" argv-mem=").append(argvBytes);
        long multiMem = c.multi().memory();
        sb.append(" multi-mem=").append(multiMem);
        sb.append(" rbs=").append(REPLY_BUFFER_SIZE);
        long omem = OutputBufferLimits.unsentBytes(c);
        sb.append(" rbp=0 obl=0 oll=0 omem=").append(omem);
        sb.append(" tot-mem=").append(REPLY_BUFFER_SIZE + argvBytes + multiMem + omem);
        // A client with replies waiting for its socket is watched for writability too.
        sb.append(" events=r").append(omem > 0 ? "w" : "");
        sb.append(" cmd=").append(c.lastCommand());
        sb.append(" user=").append(c.user() != null ? c.user().name() : "(superuser)");
        sb.append(" redir=").append(c.tracking() != null ? c.tracking().redirect() : -1);
        sb.append(" resp=").append(c.protocol());
        return sb.toString();
    }

    /**
     * The client's type for CLIENT LIST TYPE and CLIENT KILL TYPE (getClientType): our master's link, a
     * replica attached to us, a client subscribed to something, or a normal client.
     */
    public static String type(Client c) {
        if (c.isMaster()) {
            return "master";
        }
        if (c.isReplica()) {
            return "slave";
        }
        return c.isSubscribed() ? "pubsub" : "normal";
    }

    /**
     * A type name as CLIENT LIST/KILL TYPE accept it (getClientTypeByName, case-insensitive), in its
     * canonical form ("replica" is "slave"), or null if unknown.
     */
    public static String typeByName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> "normal";
            case "slave", "replica" -> "slave";
            case "pubsub" -> "pubsub";
            case "master" -> "master";
            default -> null;
        };
    }

    /** The address as getClientPeerId writes it: ip:port, IPv6 in brackets. */
    public static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return "";
        }
        String ip = inet.getAddress() != null ? Addresses.format(inet.getAddress()) : inet.getHostString();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }

    /**
     * Client flags in Redis's order: O monitor, S replica, M master, P subscribed, x in MULTI, b blocked, t
     * tracking, R broken redirection, B broadcast tracking, d watched key touched, c closing after reply, r
     * READONLY; N when none.
     */
    private static String flags(Client c) {
        StringBuilder f = new StringBuilder();
        if (c.isMonitor()) {
            f.append('O');
        } else if (c.isReplica()) {
            f.append('S');
        }
        if (c.isMaster()) {
            f.append('M');
        }
        if (c.isSubscribed()) {
            f.append('P');
        }
        if (c.multi().isActive()) {
            f.append('x');
        }
        if (c.isBlocked()) {
            f.append('b');
        }
        if (c.tracking() != null) {
            f.append('t');
            if (c.tracking().isBrokenRedirect()) {
                f.append('R');
            }
            if (c.tracking().isBcast()) {
                f.append('B');
            }
        }
        if (c.multi().isDirtyCas()) {
            f.append('d');
        }
        if (c.isClosingAfterReply()) {
            f.append('c');
        }
        if (c.isReadonly()) {
            f.append('r');
        }
        return f.length() == 0 ? "N" : f.toString();
    }
}
