package dev.clusteremu.cluster.wire;

/**
 * A well-framed message that failed validation (wrong protocol version, or a totlen that does not match
 * its type's layout). Redis counts it as received and ignores it, keeping the link open; the decoder
 * emits this instead of a {@link ClusterMessage} so the receiver can do the same and log why.
 */
public record InvalidMessage(int type, int totlen, String reason) {
}
