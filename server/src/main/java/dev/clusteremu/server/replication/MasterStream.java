package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;

/**
 * Our master's command stream, applied (server.master, the client with CLIENT_MASTER): its commands run as
 * any client's do, but are obeyed rather than checked (no redirection, no READONLY, no pause), see no key
 * as expired, and get no reply, since the master never reads one, except REPLCONF ACK, which the replica
 * sends on its own.
 *
 * <p>Two offsets are kept, as Redis keeps them: how much of the stream was read (read_reploff) and how
 * much was applied (reploff), which is what the replica acknowledges, advertises on the cluster bus, and
 * continues from after a reconnection. A command counts as applied once it ran; a MULTI ... EXEC block only
 * at its EXEC, as it runs as a whole. The applied bytes, exactly as received, go into our own backlog and
 * to our own replicas, so our offsets stay our master's.
 */
final class MasterStream {
    private final Replication replication;
    private final RedisNode node;
    final Client client;
    final Channel channel;
    /** The id of the history we follow (master->replid). */
    String replid;
    /** reploff: the stream offset applied. */
    long reploff;
    /** read_reploff: the stream offset read. */
    long readReploff;
    /** A master that answered the old SYNC: it knows no offsets and wants no ACKs (CLIENT_PRE_PSYNC). */
    final boolean prePsync;
    /** When the master last sent anything (lastinteraction, Unix seconds). */
    long lastInteractionSeconds;
    /** Bytes read but not applied yet (the query buffer past repl_applied). */
    private final CompositeByteBuf unapplied;
    private RespDecoder decoder;
    /** decoder.consumedBytes() when the last applied command ended. */
    private long consumedApplied;
    /** Whether a MULTI was read and its EXEC (or DISCARD) not yet: the block counts as applied at its end. */
    private boolean inTransaction;

    MasterStream(Replication replication, RedisNode node, Channel channel, String replid, long reploff) {
        this.replication = replication;
        this.node = node;
        this.channel = channel;
        this.client = node.clients().registerMaster(channel);
        this.replid = replid;
        this.reploff = reploff;
        this.readReploff = reploff;
        this.prePsync = reploff == -1;
        this.lastInteractionSeconds = node.now() / 1000;
        this.unapplied = channel.alloc().compositeBuffer(Integer.MAX_VALUE);
    }

    /** The decoder that splits the stream into commands; its byte count measures what was applied. */
    void attach(RespDecoder streamDecoder) {
        this.decoder = streamDecoder;
    }

    /** Bytes arrived from the master, before decoding. */
    void bytesRead(ByteBuf bytes) {
        unapplied.addComponent(true, bytes.retainedDuplicate());
        readReploff += bytes.readableBytes();
        lastInteractionSeconds = node.now() / 1000;
    }

    /**
     * One command of the stream, decoded. A MULTI ... EXEC block runs as the master client's transaction, as
     * any client's does, so its commands propagate (to our AOF) wrapped in MULTI/EXEC as they ran.
     */
    void command(byte[][] argv) {
        execute(argv);
        if (inTransaction) {
            inTransaction = !Args.is(argv[0], "exec") && !Args.is(argv[0], "discard");
        } else {
            inTransaction = Args.is(argv[0], "multi");
        }
        if (!inTransaction) {
            applied();
        }
    }

    /**
     * Runs one command as the master client. An error means the replica now differs from its master; Redis
     * logs it as critical, and so do we.
     */
    private void execute(byte[][] argv) {
        long errors = client.errorsReplied();
        node.processor().process(client, argv);
        if (client.errorsReplied() > errors) {
            node.log().warning("== CRITICAL == This replica is sending an error to its master: '"
                    + client.pendingRepliesText().trim() + "' after processing the command '"
                    + client.lastCommand() + "'");
        }
        client.discardReplies();
    }

    /**
     * commandProcessed for the master: the bytes up to the end of the command just run are applied; they
     * advance reploff and are passed on unchanged.
     */
    private void applied() {
        long consumed = decoder.consumedBytes();
        int n = (int) (consumed - consumedApplied);
        consumedApplied = consumed;
        if (n == 0) {
            return;
        }
        reploff += n;
        // Read in place: the backlog and our replicas copy what they keep.
        replication.stream.feedFromMasterStream(unapplied.readSlice(n));
        unapplied.discardReadComponents();
    }

    /** The REPLCONF ACK the replica sends: how far it applied the stream. */
    void sendAck() {
        ByteBuf out = channel.alloc().buffer();
        ReplicationStream.encode(out, new byte[][] {"REPLCONF".getBytes(US_ASCII), "ACK".getBytes(US_ASCII),
                Long.toString(reploff).getBytes(US_ASCII)});
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** The link is gone: frees what it held and the client (no more in CLIENT LIST). */
    void release() {
        unapplied.release();
        node.clients().unregister(client);
    }
}
