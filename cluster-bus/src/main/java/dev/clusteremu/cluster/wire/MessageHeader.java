package dev.clusteremu.cluster.wire;

/**
 * The fixed 2256-byte header of every cluster bus message ({@code clusterMsg} minus its data union).
 * {@code totlen}, {@code count} and {@code extensions} are not fields here: the encoder derives them from
 * the body, and the decoder checks them against it.
 *
 * @param type          message type, see {@link MessageType}
 * @param port          sender's client port
 * @param currentEpoch  sender's currentEpoch
 * @param configEpoch   sender's configEpoch if a master, else its master's
 * @param offset        sender's replication offset
 * @param sender        sender's 40-char node id
 * @param myslots       2048-byte slot bitmap the sender (or its master, for a replica) claims
 * @param slaveof       40-char id of the sender's master, or null when the sender is a master (all zero bytes)
 * @param myip          announced ip, or "" when the receiver should use the socket's peer address
 * @param pport         plaintext client port (TLS only; 0 otherwise)
 * @param cport         sender's cluster bus port
 * @param flags         sender's node flags, see {@code NodeFlags}
 * @param state         sender's view of the cluster state: 0 ok, 1 fail
 * @param messageFlags  mflags[0]: 1 PAUSED, 2 FORCEACK, 4 EXT_DATA (mflags[1..2] are unused and sent as zero)
 */
public record MessageHeader(
        int type,
        int port,
        long currentEpoch,
        long configEpoch,
        long offset,
        String sender,
        byte[] myslots,
        String slaveof,
        String myip,
        int pport,
        int cport,
        int flags,
        int state,
        int messageFlags) {

    public static final int SIZE = 2256;
    public static final int SIGNATURE = 0x52436d62; // "RCmb"
    public static final int PROTOCOL_VERSION = 1;
    public static final int NODE_NAME_LEN = 40;
    /** NET_IP_STR_LEN: room for an IPv6 address and its NUL. */
    public static final int IP_LEN = 46;

    public static final int FLAG_PAUSED = 1;
    public static final int FLAG_FORCEACK = 2;
    public static final int FLAG_EXT_DATA = 4;

    public MessageHeader withType(int newType) {
        return new MessageHeader(newType, port, currentEpoch, configEpoch, offset, sender, myslots, slaveof, myip,
                pport, cport, flags, state, messageFlags);
    }

    public MessageHeader withMessageFlags(int newFlags) {
        return new MessageHeader(type, port, currentEpoch, configEpoch, offset, sender, myslots, slaveof, myip,
                pport, cport, flags, state, newFlags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageHeader h
                && type == h.type && port == h.port && currentEpoch == h.currentEpoch
                && configEpoch == h.configEpoch && offset == h.offset && sender.equals(h.sender)
                && java.util.Arrays.equals(myslots, h.myslots) && java.util.Objects.equals(slaveof, h.slaveof)
                && myip.equals(h.myip) && pport == h.pport && cport == h.cport && flags == h.flags
                && state == h.state && messageFlags == h.messageFlags;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, port, currentEpoch, configEpoch, offset, sender,
                java.util.Arrays.hashCode(myslots), slaveof, myip, pport, cport, flags, state, messageFlags);
    }

    @Override
    public String toString() {
        return "MessageHeader[type=" + MessageType.statsName(type) + ", sender=" + sender + ", port=" + port
                + ", cport=" + cport + ", flags=" + flags + ", currentEpoch=" + currentEpoch + ", configEpoch="
                + configEpoch + ", offset=" + offset + ", slaveof=" + slaveof + ", myip=" + myip + ", state="
                + state + ", mflags=" + messageFlags + "]";
    }
}
