package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.clusteremu.server.persistence.AppendOnlyFile;
import dev.clusteremu.server.resp.RedisNumbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Command propagation (call/alsoPropagate/propagatePendingCommands in server.c and replicationFeedSlaves):
 * how a master turns what its commands did into the replication stream its replicas replay.
 *
 * <p>During a command, everything it changed is queued: the DELs of keys found expired on the way first
 * (they happen before the command acts), then the command itself, as it ran or as it rewrote itself
 * (SET EX becomes SET PXAT, INCRBYFLOAT becomes SET KEEPTTL, ...) so that replicas apply exactly the same
 * change. When the outermost command returns, the queue is written to the stream; more than one entry is
 * wrapped in MULTI/EXEC so a replica applies them atomically, except after a command that may touch
 * random keys (RANDOMKEY, SCAN: CMD_TOUCHES_ARBITRARY_KEYS) and after the active expire cycle, whose DELs
 * are independent.
 *
 * <p>Each command goes out as a RESP multibulk, preceded by SELECT 0 when the stream's selected db is not
 * known to be 0: at the start, after a full sync is set up, and after this node became a master. PINGs and
 * GETACKs keep whatever db is selected. A replica does not produce a stream of its own: it passes on its
 * master's bytes unchanged ({@link #feedFromMasterStream}), so it shares its master's offsets.
 *
 * <p>With appendonly yes, what is propagated also goes to the append only file (propagateNow's
 * feedAppendOnlyFile), on a replica too, which logs what its master's stream made it do; PINGs and GETACKs
 * are for replicas only.
 */
public final class ReplicationStream {
    /** Commands flagged CMD_TOUCHES_ARBITRARY_KEYS in Redis 7.0's table: their DELs are not wrapped. */
    private static final Set<String> TOUCHES_ARBITRARY_KEYS = Set.of("randomkey", "scan");
    private static final byte[] SELECT_0 = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n".getBytes(US_ASCII);
    private static final byte[][] MULTI = {bytes("MULTI")};
    private static final byte[][] EXEC = {bytes("EXEC")};
    private static final byte[][] PING = {bytes("ping")};
    private static final byte[][] GETACK = {bytes("REPLCONF"), bytes("GETACK"), bytes("*")};
    private static final byte[] DEL = bytes("DEL");
    private static final byte[] UNLINK = bytes("UNLINK");

    /** The scratch buffer's size kept between commands. */
    private static final int SCRATCH_KEEP = 64 * 1024;

    private final Replication replication;
    /** Where each command is encoded; the backlog and the replicas copy from it. */
    private final ByteBuf scratch = Unpooled.buffer(256);
    /** server.also_propagate: what the running command will propagate. */
    private final List<byte[][]> pending = new ArrayList<>();
    /** server.in_nested_call. */
    private int callDepth;
    /** server.slaveseldb: the db the stream last selected; -1 when unknown. */
    private int selectedDb = -1;

    ReplicationStream(Replication replication) {
        this.replication = replication;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    /** A command is about to run (call()). */
    public void enterCall() {
        callDepth++;
    }

    /**
     * A command returned (afterCommand): when it was the outermost one, what it queued is written to the
     * stream, in a transaction if more than one command unless {@code commandName} may touch random keys.
     */
    public void exitCall(String commandName) {
        if (--callDepth == 0) {
            propagatePending(!TOUCHES_ARBITRARY_KEYS.contains(commandName));
        }
    }

    /**
     * Queues {@code argv} for the stream (alsoPropagate): only a node logging to its AOF, or a master with
     * somewhere to send it (a backlog or a replica), queues anything (shouldPropagate).
     */
    public void alsoPropagate(byte[][] argv) {
        if (shouldPropagate()) {
            pending.add(argv);
        }
    }

    /**
     * A key expired here and was deleted (propagateDeletion): replicas delete it when the DEL (or UNLINK,
     * under lazyfree-lazy-expire) arrives, which keeps expiry in the master's order. Outside a command (the
     * active expire cycle) the DEL goes out at once, on its own.
     */
    public void propagateDeletion(byte[] key, boolean lazy) {
        alsoPropagate(new byte[][] {lazy ? UNLINK : DEL, key});
        if (callDepth == 0) {
            propagatePending(false);
        }
    }

    private boolean shouldPropagate() {
        return aof().isOn() || toReplicas();
    }

    /** Whether this is a master with somewhere to send its stream (a backlog or a replica). */
    private boolean toReplicas() {
        return !replication.isReplica() && (replication.history.hasBacklog() || replication.replicas.count() > 0);
    }

    private AppendOnlyFile aof() {
        return replication.node.appendOnlyFile();
    }

    /** propagatePendingCommands; then the AOF is written now if appendfsync always wants it before replies. */
    private void propagatePending(boolean transactionAllowed) {
        if (pending.isEmpty()) {
            return;
        }
        boolean transaction = transactionAllowed && pending.size() > 1;
        if (transaction) {
            propagateNow(0, MULTI);
        }
        for (byte[][] argv : pending) {
            propagateNow(0, argv);
        }
        if (transaction) {
            propagateNow(0, EXEC);
        }
        pending.clear();
        aof().propagated();
    }

    /** propagateNow: to the AOF when it is on, and to the replicas. */
    private void propagateNow(int db, byte[][] argv) {
        if (aof().isOn()) {
            aof().feed(db, argv);
        }
        feed(db, argv);
    }

    /** The PING a master sends its replicas every repl-ping-replica-period, in the selected db. */
    void feedPing() {
        feed(selectedDb, PING);
    }

    /** REPLCONF GETACK *: asks every replica for an ACK at once (sendGetackToReplicas). */
    void feedGetAck() {
        feed(selectedDb, GETACK);
    }

    /** The next command will be preceded by SELECT (a new replica, or a new master, must be told the db). */
    void forceSelect() {
        selectedDb = -1;
    }

    /**
     * replicationFeedSlaves: {@code argv} as a multibulk, after a SELECT if {@code db} is not the selected
     * one, into the backlog and to every replica. A replica never produces a stream of its own.
     */
    private void feed(int db, byte[][] argv) {
        if (!toReplicas()) {
            return;
        }
        ByteBuf out = scratch;
        out.clear();
        if (db != selectedDb) {
            out.writeBytes(SELECT_0);
            selectedDb = db;
        }
        encode(out, argv);
        replication.history.feed(out);
        replication.replicas.feed(out);
        // A large value leaves the scratch buffer large: give the memory back.
        if (out.capacity() > SCRATCH_KEEP) {
            out.capacity(SCRATCH_KEEP);
        }
    }

    /**
     * Bytes of our master's stream that we applied (replicationFeedStreamFromMasterStream): into our
     * backlog and to our own replicas, unchanged, so our offsets stay our master's.
     */
    void feedFromMasterStream(ByteBuf bytes) {
        if (replication.history.hasBacklog()) {
            replication.history.feed(bytes);
            replication.replicas.feed(bytes);
        }
    }

    /** A command as a RESP multibulk: *argc, then $len and the bytes of each argument. */
    static void encode(ByteBuf out, byte[][] argv) {
        out.writeByte('*');
        out.writeBytes(RedisNumbers.toBytes(argv.length));
        out.writeByte('\r').writeByte('\n');
        for (byte[] arg : argv) {
            out.writeByte('$');
            out.writeBytes(RedisNumbers.toBytes(arg.length));
            out.writeByte('\r').writeByte('\n');
            out.writeBytes(arg);
            out.writeByte('\r').writeByte('\n');
        }
    }
}
