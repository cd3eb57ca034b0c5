package dev.clusteremu.cluster.wire;

/**
 * Cluster bus message types ({@code CLUSTERMSG_TYPE_*} in cluster.h). The numbers are on the wire; the
 * names are those CLUSTER INFO prints in {@code cluster_stats_messages_<name>_sent}.
 */
public final class MessageType {
    public static final int PING = 0;
    public static final int PONG = 1;
    public static final int MEET = 2;
    public static final int FAIL = 3;
    public static final int PUBLISH = 4;
    public static final int FAILOVER_AUTH_REQUEST = 5;
    public static final int FAILOVER_AUTH_ACK = 6;
    public static final int UPDATE = 7;
    public static final int MFSTART = 8;
    public static final int MODULE = 9;
    public static final int PUBLISHSHARD = 10;
    /** Number of known types; stats arrays are this long. */
    public static final int COUNT = 11;

    private static final String[] STATS_NAMES = {"ping", "pong", "meet", "fail", "publish", "auth-req",
            "auth-ack", "update", "mfstart", "module", "publishshard"};

    private MessageType() {
    }

    /** The name used in CLUSTER INFO stats, or "unknown". */
    public static String statsName(int type) {
        return type >= 0 && type < COUNT ? STATS_NAMES[type] : "unknown";
    }

    /** PING, PONG and MEET share one layout: header, gossip entries, ping extensions. */
    public static boolean isPingLike(int type) {
        return type == PING || type == PONG || type == MEET;
    }
}
