package dev.clusteremu.server.replication;

import dev.clusteremu.server.info.ClientLine;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.net.OutputBufferLimits;
import io.netty.buffer.ByteBuf;

/**
 * What a master knows of one replica connection (the replication fields of its client struct): what it
 * announced with REPLCONF, where its sync stands, and how far it acknowledged the stream.
 */
final class Replica {
    /** replstate, with the name INFO gives it (replstateToString). */
    enum State {
        /** Waiting for the RDB: never seen for long here, as the snapshot is taken at once. */
        WAIT_BGSAVE_END("wait_bgsave"),
        ONLINE("online"),
        /** An rdb-only replica got its RDB and is about to be disconnected; INFO leaves it out. */
        RDB_TRANSMITTED("");

        final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    final Client client;
    /** REPLCONF listening-port: the port the replica serves clients on (slave_listening_port). */
    int listeningPort;
    /** REPLCONF ip-address: the address it announces (slave_addr), or null for its socket address. */
    String announcedIp;
    /** REPLCONF capa eof: it can read an RDB of unknown length ended by a 40-byte mark (diskless). */
    boolean capaEof;
    /** REPLCONF capa psync2: it understands +CONTINUE with a new replication id. */
    boolean capaPsync2;
    /** REPLCONF rdb-only 1: it wants the RDB and no stream (CLIENT_REPL_RDBONLY). */
    boolean rdbOnly;
    /** REPLCONF rdb-filter-only: leave the keys out of its RDB (SLAVE_REQ_RDB_EXCLUDE_DATA). */
    boolean excludeData;
    /** It used the old SYNC: no offsets, no ACKs expected (CLIENT_PRE_PSYNC). */
    boolean prePsync;
    /** In server.slaves: it asked for a sync. REPLCONF alone does not make a client a replica. */
    boolean attached;
    State state;
    /** repl_ack_off: the offset it last acknowledged. */
    long ackOffset;
    /** repl_ack_time: when it last acknowledged (Unix seconds). */
    long ackTimeSeconds;
    /**
     * repl_start_cmd_stream_on_ack: after an EOF-marked RDB, the stream is held back until the replica's
     * first ACK, so it can detect the mark without stream bytes glued after it.
     */
    boolean streamOnAck;
    /** Stream bytes not sent yet: sent once per event loop iteration, or at the first ACK. */
    private ByteBuf out;

    Replica(Client client) {
        this.client = client;
    }

    /** The replica's ip as INFO and ROLE show it: the announced one, else its socket's. */
    String ip() {
        if (announcedIp != null) {
            return announcedIp;
        }
        String peer = ClientLine.address(client.channel().remoteAddress());
        int colon = peer.lastIndexOf(':');
        String ip = colon < 0 ? peer : peer.substring(0, colon);
        return ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip;
    }

    /** replicationGetSlaveName: ip:listening-port, for the log. */
    String name() {
        return listeningPort != 0 ? ip() + ":" + listeningPort : ip() + ":<unknown-replica-port>";
    }

    /** Queues stream bytes for the replica (a copy: the caller reuses its buffer). */
    void write(ByteBuf bytes) {
        if (out == null) {
            out = client.channel().alloc().buffer(Math.max(bytes.readableBytes(), 256));
        }
        out.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    }

    /** Sends the queued stream bytes, unless they wait for the replica's first ACK. */
    void flush() {
        if (out != null && !streamOnAck) {
            ByteBuf pending = out;
            out = null;
            client.channel().writeAndFlush(pending, client.channel().voidPromise());
            OutputBufferLimits.closeIfReached(client.node(), client);
        }
    }

    /** The first ACK after an EOF-marked RDB: what was held back goes out (replicaStartCommandStream). */
    void startStream() {
        if (streamOnAck) {
            streamOnAck = false;
            flush();
        }
    }

    /** Drops what was not sent (the connection is gone). */
    void release() {
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
