package dev.clusteremu.cluster.wire;

/**
 * One 104-byte gossip section entry ({@code clusterMsgDataGossip}): what the sender knows about a third
 * node. Times are unix seconds truncated to 32 bits, as Redis sends them.
 */
public record GossipEntry(
        String nodename,
        long pingSentSeconds,
        long pongReceivedSeconds,
        String ip,
        int port,
        int cport,
        int flags,
        int pport) {

    public static final int SIZE = 104;
}
