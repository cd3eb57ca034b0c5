package dev.clusteremu.cluster;

/**
 * The node flag bits of Redis Cluster ({@code CLUSTER_NODE_*} in cluster.h). They travel on the wire in
 * every header and gossip entry, so the numeric values are part of the protocol.
 */
public final class NodeFlags {
    public static final int MASTER = 1;
    public static final int SLAVE = 2;
    /** Possible failure: this node's own opinion that the peer is unreachable. */
    public static final int PFAIL = 4;
    /** Failure agreed by a majority of masters; the trigger for a replica's election. */
    public static final int FAIL = 8;
    public static final int MYSELF = 16;
    /** Not yet greeted: the node still has a random name until its first reply. */
    public static final int HANDSHAKE = 32;
    public static final int NOADDR = 64;
    /** Send MEET rather than PING on the next connection, so the peer adds us without knowing us. */
    public static final int MEET = 128;
    /** Master eligible as a target of replica migration. */
    public static final int MIGRATE_TO = 256;
    public static final int NOFAILOVER = 512;

    /** The order and names CLUSTER NODES uses ({@code redisNodeFlagsTable}). */
    private static final int[] SHOWN = {MYSELF, MASTER, SLAVE, PFAIL, FAIL, HANDSHAKE, NOADDR, NOFAILOVER};
    private static final String[] NAMES = {"myself", "master", "slave", "fail?", "fail", "handshake", "noaddr",
            "nofailover"};

    private NodeFlags() {
    }

    /** The comma-joined flag list of a CLUSTER NODES line, or {@code noflags}. */
    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < SHOWN.length; i++) {
            if ((flags & SHOWN[i]) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(NAMES[i]);
            }
        }
        return sb.length() == 0 ? "noflags" : sb.toString();
    }

    /**
     * The flag bits named in a nodes.conf flags field, or -1 if a name is unknown (Redis refuses to
     * start on an unknown flag). {@code noflags} is accepted and means none.
     */
    public static int parse(String field) {
        int flags = 0;
        for (String name : field.split(",")) {
            switch (name) {
                case "myself" -> flags |= MYSELF;
                case "master" -> flags |= MASTER;
                case "slave" -> flags |= SLAVE;
                case "fail?" -> flags |= PFAIL;
                case "fail" -> flags |= FAIL;
                case "handshake" -> flags |= HANDSHAKE;
                case "noaddr" -> flags |= NOADDR;
                case "nofailover" -> flags |= NOFAILOVER;
                case "noflags" -> { }
                default -> {
                    return -1;
                }
            }
        }
        return flags;
    }
}
