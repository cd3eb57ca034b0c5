package dev.clusteremu.cluster.wire;

/** A whole cluster bus message: header and body. See {@link BusMessageCodec} for the byte layout. */
public record ClusterMessage(MessageHeader header, MessageBody body) {

    public int type() {
        return header.type();
    }
}
