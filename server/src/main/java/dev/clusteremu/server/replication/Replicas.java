package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.rdb.RdbSaveInfo;
import dev.clusteremu.server.resp.InlineArgs;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * The master side of replication (server.slaves; syncCommand, replconfCommand,
 * masterTryPartialResynchronization in replication.c): replicas announce themselves with REPLCONF, ask
 * for the stream with PSYNC (or the old SYNC), get either the missing part of the backlog (+CONTINUE) or
 * an RDB then the stream (+FULLRESYNC), and report how far they got with REPLCONF ACK.
 */
final class Replicas {
    /** NET_HOST_STR_LEN: an announced address must be shorter. */
    private static final int MAX_ANNOUNCED_IP = 256;

    private final Replication replication;
    private final RedisNode node;
    /** Every client that sent REPLCONF or a sync request, with what it announced. */
    private final Map<Client, Replica> known = new LinkedHashMap<>();
    /** server.slaves: the replicas that asked for a sync, in the order they did. */
    private final List<Replica> attached = new ArrayList<>();
    /** repl_no_slaves_since (Unix seconds): since when no replica is attached, for repl-backlog-ttl. */
    private long noReplicasSince;

    Replicas(Replication replication, RedisNode node) {
        this.replication = replication;
        this.node = node;
        this.noReplicasSince = node.now() / 1000;
    }

    /** Stops (or resumes) reading from each replica that a partition separates from this node. */
    void stallIf(dev.clusteremu.cluster.NetworkFaults faults, int myPort) {
        for (Replica r : attached) {
            r.client.channel().config().setAutoRead(!faults.blocked(r.listeningPort, myPort));
        }
    }

    /** connected_slaves: how many replicas are attached. */
    int count() {
        return attached.size();
    }

    private Replica of(Client c) {
        return known.computeIfAbsent(c, Replica::new);
    }

    // ---------------------------------------------------------------------------------------------------
    // REPLCONF
    // ---------------------------------------------------------------------------------------------------

    /**
     * REPLCONF option value [option value ...]: options apply in order, so one that fails leaves the
     * earlier ones applied. ACK and GETACK answer nothing: they are part of the stream's own traffic.
     */
    void replconf(Client c, byte[][] argv) {
        if (argv.length % 2 == 0) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        for (int j = 1; j < argv.length; j += 2) {
            byte[] value = argv[j + 1];
            if (Args.is(argv[j], "listening-port")) {
                of(c).listeningPort = (int) Args.integer(value);
            } else if (Args.is(argv[j], "ip-address")) {
                if (value.length >= MAX_ANNOUNCED_IP) {
                    throw new CommandError("ERR REPLCONF ip-address provided by replica instance is too long: "
                            + value.length + " bytes");
                }
                of(c).announcedIp = Args.text(value);
            } else if (Args.is(argv[j], "capa")) {
                // Capabilities this master doesn't know are ignored, so newer replicas can announce more.
                if (Args.is(value, "eof")) {
                    of(c).capaEof = true;
                } else if (Args.is(value, "psync2")) {
                    of(c).capaPsync2 = true;
                }
            } else if (Args.is(argv[j], "ack")) {
                ack(c, value);
                return;
            } else if (Args.is(argv[j], "getack")) {
                // Whoever asks, a replica answers by sending its master an ACK; the asker gets nothing.
                replication.link.sendAck();
                return;
            } else if (Args.is(argv[j], "rdb-only")) {
                long rdbOnly = Args.integer(value);
                if (rdbOnly < 0 || rdbOnly > 1) {
                    throw new CommandError("ERR value is out of range, value must between 0 and 1");
                }
                of(c).rdbOnly = rdbOnly == 1;
            } else if (Args.is(argv[j], "rdb-filter-only")) {
                rdbFilterOnly(c, value);
            } else {
                throw new CommandError("ERR Unrecognized REPLCONF option: " + cString(argv[j]));
            }
        }
        c.reply().ok();
    }

    /**
     * REPLCONF rdb-filter-only "filters": the RDB keeps only what the filters include; "functions" is the
     * only filter, and no keys are ever included (it serves redis-cli --functions-rdb).
     */
    private void rdbFilterOnly(Client c, byte[] value) {
        byte[][] filters = InlineArgs.split(value, 0, value.length);
        if (filters == null) {
            throw new CommandError("ERR Missing rdb-filter-only values");
        }
        for (byte[] filter : filters) {
            if (!Args.is(filter, "functions")) {
                throw new CommandError("ERR Unsupported rdb-filter-only option: " + cString(filter));
            }
        }
        of(c).excludeData = true;
    }

    private static String cString(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * REPLCONF ACK offset from an attached replica: it processed the stream up to there. Its first ACK
     * after an EOF-marked RDB also starts its stream. Anything else is ignored without a reply.
     */
    private void ack(Client c, byte[] value) {
        Replica r = known.get(c);
        if (r == null || !r.attached || !RedisNumbers.isLong(value)) {
            return;
        }
        long offset = RedisNumbers.parseLong(value);
        if (offset > r.ackOffset) {
            r.ackOffset = offset;
        }
        r.ackTimeSeconds = node.now() / 1000;
        if (r.state == Replica.State.ONLINE) {
            r.startStream();
        }
        replication.waiting.acksArrived();
    }

    // ---------------------------------------------------------------------------------------------------
    // SYNC and PSYNC
    // ---------------------------------------------------------------------------------------------------

    /** SYNC, and PSYNC replid offset [FAILOVER] (syncCommand). */
    void sync(Client c, byte[][] argv) {
        boolean psync = Args.is(argv[0], "psync");
        if (c.isReplica()) {
            return;
        }
        if (psync && argv.length > 3 && Args.is(argv[3], "failover") && !failoverRequest(c, argv)) {
            return;
        }
        // A replica can't pass on a stream it does not have.
        if (replication.isReplica() && !replication.link.isConnected()) {
            throw new CommandError("NOMASTERLINK Can't SYNC while not connected with my master");
        }
        // The RDB and the stream must be the first bytes the replica reads after its request.
        if (c.hasPendingReplies()) {
            throw new CommandError("ERR SYNC and PSYNC are invalid with pending output");
        }
        Replica r = of(c);
        if (r.excludeData && !r.capaEof) {
            throw new CommandError("ERR Filtered replica requires EOF capability");
        }
        node.log().notice("Replica " + r.name() + " asks for synchronization");
        if (psync) {
            if (!RedisNumbers.isLong(argv[2])) {
                node.log().warning("Replica " + r.name() + " asks for synchronization but with a wrong offset");
                throw new CommandError(Args.NOT_AN_INTEGER);
            }
            String askedId = Args.text(argv[1]);
            if (tryPartialResync(r, askedId, RedisNumbers.parseLong(argv[2]))) {
                node.stats().partialSync(true);
                return;
            }
            // "?" is a replica asking for a full sync on purpose: not a failed PSYNC.
            if (!askedId.startsWith("?")) {
                node.stats().partialSync(false);
            }
        } else {
            r.prePsync = true;
        }
        node.stats().fullSync();
        attach(r, Replica.State.WAIT_BGSAVE_END);
        ReplicationHistory history = replication.history;
        if (attached.size() == 1 && !history.hasBacklog()) {
            // A backlog created from scratch starts a new history: nobody could continue an older one.
            history.changeReplicationId();
            history.clearReplicationId2();
            history.createBacklog();
            node.log().notice("Replication backlog created, my new replication IDs are '" + history.replid()
                    + "' and '" + history.replid2() + "'");
        }
        fullResync(r);
    }

    /**
     * PSYNC with FAILOVER (sent by a master handing over to this replica with the FAILOVER command): a
     * replica whose replication id matches takes over as master; anything else is refused. Returns whether
     * the sync request goes on.
     */
    private boolean failoverRequest(Client c, byte[][] argv) {
        node.log().warning("Failover request received for replid " + Args.text(argv[1]) + ".");
        if (!replication.isReplica()) {
            c.reply().error("ERR PSYNC FAILOVER can't be sent to a master.");
            return false;
        }
        if (!Args.text(argv[1]).equalsIgnoreCase(replication.history.replid())) {
            c.reply().error("ERR PSYNC FAILOVER replid must match my replid.");
            return false;
        }
        replication.unsetMaster();
        node.log().notice("MASTER MODE enabled (failover request from 'id=" + c.id() + "')");
        return true;
    }

    private void attach(Replica r, Replica.State state) {
        r.state = state;
        r.attached = true;
        r.ackTimeSeconds = node.now() / 1000;
        r.client.setReplica(true);
        attached.add(r);
    }

    /**
     * masterTryPartialResynchronization: the replica continues if it names our history (or our previous
     * one, up to where it ended) and the backlog still holds what it lacks. It then gets +CONTINUE (with
     * our id, if it understands PSYNC2, so it learns of an id change) and the backlog from its offset.
     */
    private boolean tryPartialResync(Replica r, String askedId, long offset) {
        ReplicationHistory history = replication.history;
        String refusal = askedId.startsWith("?") ? "Full resync requested by replica " + r.name()
                : history.continuationRefusal(askedId, offset);
        if (refusal == ReplicationHistory.LACK_OF_BACKLOG) {
            node.log().notice("Unable to partial resync with replica " + r.name()
                    + " for lack of backlog (Replica request was: " + offset + ").");
            if (offset > history.masterReplOffset()) {
                node.log().warning("Warning: replica " + r.name()
                        + " tried to PSYNC with an offset that is greater than the master replication offset.");
            }
            return false;
        }
        if (refusal != null) {
            node.log().notice(refusal);
            return false;
        }
        attach(r, Replica.State.ONLINE);
        Channel ch = r.client.channel();
        String reply = r.capaPsync2 ? "+CONTINUE " + history.replid() + "\r\n" : "+CONTINUE\r\n";
        ch.write(Unpooled.copiedBuffer(reply, US_ASCII), ch.voidPromise());
        ReplicationBacklog backlog = history.backlog();
        ByteBuf missing = backlog.copyFrom(offset, ch.alloc());
        int sent = missing.readableBytes();
        ch.writeAndFlush(missing, ch.voidPromise());
        node.log().notice("Partial resynchronization request from " + r.name() + " accepted. Sending " + sent
                + " bytes of backlog starting from offset " + offset + ".");
        return true;
    }

    /**
     * A full resync: the snapshot is taken now, at the current offset, which +FULLRESYNC announces; the
     * stream from that offset on follows the RDB. The RDB goes as Redis 7.0 with its defaults sends it: to
     * a replica that can read it (capa eof) with repl-diskless-sync yes, streamed as {@code $EOF:<mark>} and
     * ended by the mark, the stream starting at the replica's first ACK; otherwise as a {@code $<length>}
     * bulk, the stream right behind. Redis waits repl-diskless-sync-delay seconds first so that several
     * replicas can share one child process; a snapshot here costs no child, so nobody waits.
     */
    private void fullResync(Replica r) {
        boolean diskless = (replication.configBool("repl-diskless-sync") || r.excludeData) && r.capaEof;
        node.log().notice("Starting BGSAVE for SYNC with target: " + (diskless ? "replicas sockets" : "disk"));
        ReplicationHistory history = replication.history;
        long offset = history.masterReplOffset();
        // The replica's stream starts here: its first command must select the db (replicationSetupSlaveForFullResync).
        replication.stream.forceSelect();
        RdbSaveInfo info = new RdbSaveInfo(0, history.replid(), offset);
        ByteBuf rdb = RdbSnapshot.create(node.keyspace(), node.scripting().functions().libraryCodes(), info,
                node.now() / 1000, !r.excludeData,
                replication.configBool("rdbcompression"), replication.configBool("rdbchecksum"));
        Channel ch = r.client.channel();
        if (!r.prePsync) {
            ch.write(Unpooled.copiedBuffer("+FULLRESYNC " + history.replid() + " " + offset + "\r\n", US_ASCII),
                    ch.voidPromise());
        }
        if (diskless) {
            String mark = ReplicationHistory.randomId();
            ch.write(Unpooled.copiedBuffer("$EOF:" + mark + "\r\n", US_ASCII), ch.voidPromise());
            ch.write(rdb, ch.voidPromise());
            ch.writeAndFlush(Unpooled.copiedBuffer(mark, US_ASCII), ch.voidPromise());
            node.log().notice("Streamed RDB transfer with replica " + r.name()
                    + " succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming");
        } else {
            ch.write(Unpooled.copiedBuffer("$" + rdb.readableBytes() + "\r\n", US_ASCII), ch.voidPromise());
            ch.writeAndFlush(rdb, ch.voidPromise());
        }
        putOnline(r, diskless);
    }

    /**
     * replicaPutOnline: the RDB is out. An rdb-only replica is done and is disconnected; any other is
     * online and gets the stream, at once or (after an EOF-marked RDB) from its first ACK.
     */
    private void putOnline(Replica r, boolean streamOnAck) {
        if (r.rdbOnly) {
            r.state = Replica.State.RDB_TRANSMITTED;
            node.log().notice("RDB transfer completed, rdb only replica (" + r.name()
                    + ") should be disconnected asap");
            r.client.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> r.client.channel().close());
            return;
        }
        r.state = Replica.State.ONLINE;
        r.ackTimeSeconds = node.now() / 1000;
        r.streamOnAck = streamOnAck;
        node.log().notice("Synchronization with replica " + r.name() + " succeeded");
    }

    // ---------------------------------------------------------------------------------------------------
    // The stream
    // ---------------------------------------------------------------------------------------------------

    /**
     * Stream bytes for every replica that takes the stream, copied: sent at the end of the event loop
     * iteration, one write per replica for all the commands of the iteration.
     */
    void feed(ByteBuf bytes) {
        boolean wrote = false;
        for (Replica r : attached) {
            // An rdb-only replica never gets the stream (canFeedReplicaReplBuffer).
            if (!r.rdbOnly && r.state == Replica.State.ONLINE) {
                r.write(bytes);
                wrote = true;
            }
        }
        if (wrote) {
            node.requestBeforeSleep();
        }
    }

    /** Sends what was written to replicas since the last time (handleClientsWithPendingWrites). */
    void flush() {
        for (Replica r : attached) {
            r.flush();
        }
    }

    /** replicationCountAcksByOffset: online replicas that acknowledged {@code offset}. */
    int countAcks(long offset) {
        int n = 0;
        for (Replica r : attached) {
            if (r.state == Replica.State.ONLINE && r.ackOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /** refreshGoodSlavesCount: online replicas that acknowledged within {@code maxLagSeconds}. */
    int countGood(long maxLagSeconds) {
        long now = node.now() / 1000;
        int n = 0;
        for (Replica r : attached) {
            if (r.state == Replica.State.ONLINE && now - r.ackTimeSeconds <= maxLagSeconds) {
                n++;
            }
        }
        return n;
    }

    /**
     * disconnectSlaves: every replica is disconnected, so it reconnects and learns of a change of history
     * (it will usually be able to continue).
     */
    void disconnectAll() {
        for (Replica r : new ArrayList<>(attached)) {
            forget(r.client);
            r.client.channel().close();
        }
    }

    /** A client went away (freeClient): if it was a replica, it is no longer one. */
    void clientClosed(Client c) {
        Replica r = known.get(c);
        if (r != null && r.attached) {
            node.log().warning("Connection with replica " + r.name() + " lost.");
        }
        forget(c);
    }

    private void forget(Client c) {
        Replica r = known.remove(c);
        if (r == null) {
            return;
        }
        r.release();
        if (attached.remove(r) && attached.isEmpty()) {
            noReplicasSince = node.now() / 1000;
        }
    }

    /**
     * The master part of replicationCron, once a second: PING replicas every repl-ping-replica-period so
     * they can tell a silent master from a dead one (not while writes are paused for a failover, as the PING
     * would move the offset the replica must reach); drop replicas silent for repl-timeout; free a backlog
     * nobody used for repl-backlog-ttl seconds.
     */
    void cron(long cronLoops) {
        long period = node.config().cluster.replPingReplicaPeriod;
        if (cronLoops % period == 0 && !attached.isEmpty() && !replication.isFailoverPaused()) {
            replication.stream.feedPing();
        }
        long now = node.now() / 1000;
        long timeout = replication.configLong("repl-timeout");
        for (Replica r : new ArrayList<>(attached)) {
            if (r.state == Replica.State.ONLINE && !r.prePsync && now - r.ackTimeSeconds > timeout) {
                node.log().warning("Disconnecting timedout replica (streaming sync): " + r.name());
                forget(r.client);
                r.client.channel().close();
            }
        }
        long ttl = replication.configLong("repl-backlog-ttl");
        ReplicationHistory history = replication.history;
        if (attached.isEmpty() && ttl > 0 && history.hasBacklog() && !replication.isReplica()
                && now - noReplicasSince > ttl) {
            // Without a backlog the offset no longer moves: a new id keeps a former replica promoted in the
            // meantime from taking our later writes for its own history.
            history.changeReplicationId();
            history.clearReplicationId2();
            history.freeBacklog();
            node.log().notice("Replication backlog freed after " + ttl + " seconds without connected replicas.");
        }
    }

    /** Since when no replica is attached (repl_no_slaves_since); a node turned master starts counting anew. */
    void resetNoReplicasSince() {
        noReplicasSince = node.now() / 1000;
    }

    /** The slaveN lines of INFO replication, for replicas whose state has a name. */
    void info(BiConsumer<String, Object> field) {
        long now = node.now() / 1000;
        int id = 0;
        for (Replica r : attached) {
            if (r.state.infoName.isEmpty()) {
                continue;
            }
            long lag = r.state == Replica.State.ONLINE ? now - r.ackTimeSeconds : 0;
            field.accept("slave" + id++, "ip=" + r.ip() + ",port=" + r.listeningPort + ",state=" + r.state.infoName
                    + ",offset=" + r.ackOffset + ",lag=" + lag);
        }
    }

    /** ROLE's list of online replicas: [ip, port, acknowledged offset], numbers as bulk strings. */
    void role(RespWriter w) {
        List<Replica> online = new ArrayList<>();
        for (Replica r : attached) {
            if (r.state == Replica.State.ONLINE) {
                online.add(r);
            }
        }
        w.array(online.size());
        for (Replica r : online) {
            w.array(3);
            w.bulk(r.ip());
            w.bulk(r.listeningPort);
            w.bulk(r.ackOffset);
        }
    }
}
