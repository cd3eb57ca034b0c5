package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.function.BiConsumer;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.resp.ProtocolError;
import dev.clusteremu.server.resp.RespDecoder;
import dev.clusteremu.server.resp.RespWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The replica side of replication (replicationSetMaster, syncWithMaster, slaveTryPartialResynchronization,
 * readSyncBulkPayload, the cached master): the connection to our master, from the handshake to the
 * command stream, and back after every disconnection.
 *
 * <p>The handshake is Redis 7.0's, one reply awaited at a time: PING; then AUTH (if masterauth is set),
 * REPLCONF listening-port, REPLCONF ip-address (if replica-announce-ip is set) and REPLCONF capa eof capa
 * psync2, sent together; then PSYNC with the history we hold (the cached master: its id and the first
 * offset we lack) or "? -1" when we hold none. The master answers +CONTINUE (the stream follows from that
 * offset) or +FULLRESYNC id offset (an RDB of its dataset at that offset follows, then the stream).
 *
 * <p>When the link drops, what we applied is kept as the cached master, so the next PSYNC can continue;
 * we reconnect at once, then once a second (replicationCron). A master turned replica caches itself, so it
 * can continue with the replica that took its place, which remembers our history as its replid2.
 * Everything runs on the node's loop; the connection is a Netty client on that same loop.
 */
final class MasterLink {
    /** repl_state, with the name ROLE shows for it. */
    enum State {
        NONE("none"),
        /** Must connect (the cron does it). */
        CONNECT("connect"),
        CONNECTING("connecting"),
        RECEIVE_PING_REPLY("handshake"),
        RECEIVE_AUTH_REPLY("handshake"),
        RECEIVE_PORT_REPLY("handshake"),
        RECEIVE_IP_REPLY("handshake"),
        RECEIVE_CAPA_REPLY("handshake"),
        RECEIVE_PSYNC_REPLY("handshake"),
        /** Receiving the RDB. */
        TRANSFER("sync"),
        CONNECTED("connected");

        final String roleName;

        State(String roleName) {
            this.roleName = roleName;
        }
    }

    /** The history a lost link followed and how far we applied it (server.cached_master): what PSYNC asks for. */
    record CachedMaster(String replid, long reploff) {
    }

    private static final String UNBLOCKED = "UNBLOCKED force unblock from blocking operation, "
            + "instance state changed (master -> replica?)";

    private final Replication replication;
    private final RedisNode node;
    /** masterhost / masterport; null when we are a master. */
    private String host;
    private int port;
    private State state = State.NONE;
    /** The connection to the master (repl_transfer_s, then the master client's); null when none. */
    private Channel channel;
    private SyncReplyDecoder syncDecoder;
    /** server.master: the stream being applied, when connected. */
    private MasterStream master;
    private CachedMaster cached;
    /** server.master_replid and master_initial_offset, from +FULLRESYNC (-1: not known). */
    private String masterReplid = "";
    private long masterInitialOffset = -1;
    /** repl_transfer_size: -1 until the payload header is read, 0 for an EOF-marked payload. */
    private long transferSize = -1;
    /** repl_transfer_lastio (Unix seconds): the last byte received before the stream. */
    private long transferLastIo;
    /** repl_down_since (Unix seconds): when the link went down; 0 if up or never up. */
    private long downSince;

    MasterLink(Replication replication, RedisNode node) {
        this.replication = replication;
        this.node = node;
    }

    boolean isReplica() {
        return host != null;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** Stops (or resumes) reading from the master while a partition separates us. */
    void stallIf(dev.clusteremu.cluster.NetworkFaults faults) {
        if (channel != null) {
            channel.config().setAutoRead(!faults.blocked(port, node.port()));
        }
    }

    boolean isConnected() {
        return state == State.CONNECTED;
    }

    private long nowSeconds() {
        return node.now() / 1000;
    }

    // ---------------------------------------------------------------------------------------------------
    // Role changes
    // ---------------------------------------------------------------------------------------------------

    /**
     * replicationSetMaster: follow the master at ip:port, from scratch. A link up to another master is
     * dropped but cached (the new master may well continue our history: it was a replica of the same
     * master); clients blocked waiting for something only a master gives are disconnected; our own replicas
     * stay, as they may be able to continue with us.
     */
    void setMaster(String ip, int newPort) {
        boolean wasMaster = host == null;
        host = null;
        if (master != null) {
            masterLost(true);
        }
        node.blockedClients().disconnectAll(UNBLOCKED);
        host = ip;
        port = newPort;
        cancelHandshake();
        if (wasMaster) {
            discardCached();
            cacheMyself();
        }
        state = State.CONNECT;
        node.log().notice("Connecting to MASTER " + host + ":" + port);
        connect();
    }

    /**
     * replicationUnsetMaster: we are a master now. Our history goes on under a new id, the old one kept as
     * replid2 up to here; our replicas are disconnected so they learn the new id, and they can continue.
     */
    void unsetMaster() {
        if (host == null) {
            return;
        }
        host = null;
        if (master != null) {
            masterLost(false);
        }
        discardCached();
        cancelHandshake();
        ReplicationHistory history = replication.history;
        history.shiftReplicationId();
        node.log().warning("Setting secondary replication ID to " + history.replid2() + ", valid up to offset: "
                + history.secondReplOffset() + ". New replication ID is " + history.replid());
        replication.replicas.disconnectAll();
        state = State.NONE;
        // The next command must select the db again: our replicas can't assume the old master's choice.
        replication.stream.forceSelect();
        replication.replicas.resetNoReplicasSince();
        downSince = 0;
        // A sync that failed after stopping the AOF left it off: a master logs again.
        node.appendOnlyFile().restartAfterSync();
    }

    /** replicationCacheMasterUsingMyself: our own history, as if it were a master's we were following. */
    private void cacheMyself() {
        node.log().notice("Before turning into a replica, using my own master parameters to synthesize a cached "
                + "master: I may be able to synchronize with the new master with just a partial transfer.");
        cached = new CachedMaster(replication.history.replid(), replication.history.masterReplOffset());
    }

    private void discardCached() {
        if (cached != null) {
            node.log().notice("Discarding previously cached master state.");
            cached = null;
        }
    }

    /**
     * The link to a connected master went away (freeClient of server.master, replicationCacheMaster,
     * replicationHandleMasterDisconnection): cache what we applied, unless told not to, and reconnect at once
     * if we are still a replica.
     */
    private void masterLost(boolean cache) {
        MasterStream m = master;
        master = null;
        Channel ch = channel;
        channel = null;
        node.log().warning("Connection with master lost.");
        if (cache) {
            node.log().notice("Caching the disconnected master state.");
            cached = new CachedMaster(m.replid, m.reploff);
        }
        m.release();
        ch.close();
        state = State.CONNECT;
        downSince = nowSeconds();
        if (host != null) {
            node.log().notice("Reconnecting to MASTER " + host + ":" + port);
            connect();
        }
    }

    /** cancelReplicationHandshake: drops a connection that is not (yet) the master's stream. */
    private void cancelHandshake() {
        if (channel != null && master == null) {
            Channel ch = channel;
            channel = null;
            syncDecoder = null;
            ch.close();
            state = State.CONNECT;
        }
    }

    /** A failed step of the sync: the connection goes, and the cron tries again within a second. */
    private void syncFailed() {
        cancelHandshake();
    }

    // ---------------------------------------------------------------------------------------------------
    // Connecting and the handshake (syncWithMaster)
    // ---------------------------------------------------------------------------------------------------

    /** connectWithMaster: a non-blocking connect; the handshake starts once it completes. */
    private void connect() {
        SyncReplyDecoder decoder = new SyncReplyDecoder();
        Bootstrap b = new Bootstrap()
                .group(node.loop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        replication.configLong("repl-timeout") * 1000))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("sync", decoder).addLast("link", new LinkHandler(ch));
                    }
                });
        ChannelFuture f = b.connect(host, port);
        Channel ch = f.channel();
        channel = ch;
        syncDecoder = decoder;
        state = State.CONNECTING;
        transferLastIo = nowSeconds();
        node.log().notice("MASTER <-> REPLICA sync started");
        f.addListener(done -> {
            if (ch != channel) {
                ch.close();
                return;
            }
            if (!done.isSuccess()) {
                Throwable cause = done.cause();
                String reason = cause instanceof ConnectException ? "Connection refused" : cause.getMessage();
                node.log().warning("Error condition on socket for SYNC: " + reason);
                channel = null;
                syncDecoder = null;
                state = State.CONNECT;
                return;
            }
            node.log().notice("Non blocking connect for SYNC fired the event.");
            stallIf(node.faults());
            state = State.RECEIVE_PING_REPLY;
            send("PING");
        });
    }

    /** sendCommand: one command as a multibulk. */
    private void send(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(US_ASCII);
        }
        ByteBuf out = channel.alloc().buffer();
        ReplicationStream.encode(out, argv);
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** One reply line of the handshake, or of the payload header, in the state that awaits it. */
    private void onLine(String line) {
        switch (state) {
            case RECEIVE_PING_REPLY -> pingReply(line);
            case RECEIVE_AUTH_REPLY -> {
                if (line.startsWith("-")) {
                    node.log().warning("Unable to AUTH to MASTER: " + line);
                    syncFailed();
                    return;
                }
                state = State.RECEIVE_PORT_REPLY;
            }
            case RECEIVE_PORT_REPLY -> {
                // Old masters don't know every REPLCONF option: not a reason to stop.
                if (line.startsWith("-")) {
                    node.log().notice("(Non critical) Master does not understand REPLCONF listening-port: " + line);
                }
                state = announceIp().isEmpty() ? State.RECEIVE_CAPA_REPLY : State.RECEIVE_IP_REPLY;
            }
            case RECEIVE_IP_REPLY -> {
                if (line.startsWith("-")) {
                    node.log().notice("(Non critical) Master does not understand REPLCONF ip-address: " + line);
                }
                state = State.RECEIVE_CAPA_REPLY;
            }
            case RECEIVE_CAPA_REPLY -> {
                if (line.startsWith("-")) {
                    node.log().notice("(Non critical) Master does not understand REPLCONF capa: " + line);
                }
                sendPsync();
            }
            case RECEIVE_PSYNC_REPLY -> psyncReply(line);
            case TRANSFER -> payloadHeader(line);
            default -> {
                // A line in no state that awaits one: the connection is being dropped.
            }
        }
    }

    /**
     * The PING's reply: +PONG, or an authentication error (AUTH comes next), proves a Redis is listening;
     * anything else stops here.
     */
    private void pingReply(String line) {
        if (!line.startsWith("+") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                && !line.startsWith("-ERR operation not permitted")) {
            node.log().warning("Error reply to PING from master: '" + line + "'");
            syncFailed();
            return;
        }
        node.log().notice("Master replied to PING, replication can continue...");
        String masterAuth = node.config().masterAuth;
        if (!masterAuth.isEmpty()) {
            String masterUser = replication.configText("masteruser");
            if (masterUser.isEmpty()) {
                send("AUTH", masterAuth);
            } else {
                send("AUTH", masterUser, masterAuth);
            }
        }
        long announcedPort = replication.configLong("replica-announce-port");
        send("REPLCONF", "listening-port", Long.toString(announcedPort != 0 ? announcedPort : node.port()));
        if (!announceIp().isEmpty()) {
            send("REPLCONF", "ip-address", announceIp());
        }
        send("REPLCONF", "capa", "eof", "capa", "psync2");
        state = masterAuth.isEmpty() ? State.RECEIVE_PORT_REPLY : State.RECEIVE_AUTH_REPLY;
    }

    private String announceIp() {
        return replication.configText("replica-announce-ip");
    }

    /** slaveTryPartialResynchronization, writing half: PSYNC our history, or "? -1" for a full sync. */
    private void sendPsync() {
        masterInitialOffset = -1;
        if (cached != null) {
            String offset = Long.toString(cached.reploff + 1);
            node.log().notice("Trying a partial resynchronization (request " + cached.replid + ":" + offset + ").");
            send("PSYNC", cached.replid, offset);
        } else {
            node.log().notice("Partial resynchronization not possible (no cached master)");
            send("PSYNC", "?", "-1");
        }
        state = State.RECEIVE_PSYNC_REPLY;
    }

    /** slaveTryPartialResynchronization, reading half. */
    private void psyncReply(String line) {
        if (line.isEmpty()) {
            return; // a master preparing its answer sends newlines to keep the link alive
        }
        if (line.startsWith("+FULLRESYNC")) {
            String[] parts = line.split(" ");
            if (parts.length < 3 || parts[1].length() != ReplicationHistory.ID_LENGTH) {
                node.log().warning("Master replied with wrong +FULLRESYNC syntax.");
                // The reply means PSYNC is known but its form is not: make the next PSYNC fail for sure.
                masterReplid = "";
            } else {
                masterReplid = parts[1];
                masterInitialOffset = parseLongPrefix(parts[2]);
                node.log().notice("Full resync from master: " + masterReplid + ":" + masterInitialOffset);
            }
            startTransfer();
        } else if (line.startsWith("+CONTINUE")) {
            continued(line);
        } else if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            node.log().notice("Master is currently unable to PSYNC but should be in the future: " + line);
            syncFailed();
        } else {
            if (line.startsWith("-ERR")) {
                node.log().notice("Master does not support PSYNC or is in error state (reply: " + line + ")");
            } else {
                node.log().warning("Unexpected reply to PSYNC from master: " + line);
            }
            node.log().notice("Retrying with SYNC...");
            channel.writeAndFlush(Unpooled.copiedBuffer("SYNC\r\n", US_ASCII), channel.voidPromise());
            startTransfer();
        }
    }

    /** strtoll: the leading digits of {@code s}, 0 if none. */
    private static long parseLongPrefix(String s) {
        int end = s.startsWith("-") ? 1 : 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void startTransfer() {
        state = State.TRANSFER;
        transferSize = -1;
        transferLastIo = nowSeconds();
    }

    /**
     * +CONTINUE [id]: the master continues our history. If it names a new id (it was promoted, or its own
     * master changed), that id is ours now and the old one our replid2 up to here, and our own replicas are
     * disconnected to learn it. The cached master becomes the master again (replicationResurrectCachedMaster).
     */
    private void continued(String line) {
        if (cached == null) {
            node.log().warning("Unexpected reply to PSYNC from master: " + line);
            syncFailed();
            return;
        }
        node.log().notice("Successful partial resynchronization with master.");
        String newId = line.length() > 10 ? line.substring(10).trim() : "";
        String replid = cached.replid;
        if (newId.length() == ReplicationHistory.ID_LENGTH && !newId.equals(replid)) {
            node.log().warning("Master replication ID changed to " + newId);
            replication.history.switchToMasterId(newId);
            replid = newId;
            replication.replicas.disconnectAll();
        }
        long reploff = cached.reploff;
        cached = null;
        if (!replication.history.hasBacklog()) {
            replication.history.createBacklog();
        }
        node.log().notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
        startStream(replid, reploff);
    }

    /**
     * The payload header: {@code $<len>}, or {@code $EOF:<40-byte mark>} for an RDB streamed without a known
     * length. Newlines before it keep the link alive while the master prepares the RDB.
     */
    private void payloadHeader(String line) {
        if (line.startsWith("-")) {
            node.log().warning("MASTER aborted replication with an error: " + line.substring(1));
            syncFailed();
        } else if (line.isEmpty()) {
            transferLastIo = nowSeconds();
        } else if (!line.startsWith("$")) {
            node.log().warning("Bad protocol from MASTER, the first byte is not '$' (we received '" + line
                    + "'), are you sure the host and port are right?");
            syncFailed();
        } else if (line.startsWith("$EOF:") && line.length() >= 5 + ReplicationHistory.ID_LENGTH) {
            transferSize = 0;
            syncDecoder.expectEofMarked(line.substring(5, 5 + ReplicationHistory.ID_LENGTH).getBytes(US_ASCII));
            node.log().notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
        } else {
            transferSize = parseLongPrefix(line.substring(1));
            node.log().notice("MASTER <-> REPLICA sync: receiving " + transferSize + " bytes from master to disk");
            if (transferSize <= 0) {
                node.log().warning("I/O error trying to sync with MASTER: connection lost");
                syncFailed();
                return;
            }
            syncDecoder.expectBulk(transferSize);
        }
    }

    /**
     * The whole RDB arrived: our old data and anyone following it go (replicationAttachToNewMaster), the
     * RDB is loaded, and the stream follows from the offset +FULLRESYNC gave. An RDB we can't load leaves us
     * empty and trying again a second later, as a replica must not claim to hold data it does not.
     */
    private void onPayload(SyncReplyDecoder.Payload payload) {
        try {
            // The AOF would log on top of a dataset about to be replaced: it restarts from the new one.
            node.appendOnlyFile().stopForSync();
            discardCached();
            replication.replicas.disconnectAll();
            replication.history.freeBacklog();
            node.log().notice("MASTER <-> REPLICA sync: Flushing old data");
            node.keyspace().clear();
            node.scripting().functions().clear();
            node.log().notice("MASTER <-> REPLICA sync: Loading DB in memory");
            try {
                long keys = RdbLoading.load(payload.rdb(), node.keyspace(), node.config(), -1,
                        node.scripting().functions()::loadFromRdb).loaded();
                node.log().notice("Done loading RDB, keys loaded: " + keys + ", keys expired: 0.");
            } catch (IOException | RuntimeException e) {
                node.log().warning("Failed trying to load the MASTER synchronization DB from disk: " + e.getMessage());
                node.keyspace().clear();
                node.scripting().functions().clear();
                syncFailed();
                return;
            }
        } finally {
            payload.rdb().release();
        }
        replication.history.adopt(masterReplid, masterInitialOffset);
        replication.history.createBacklog();
        node.log().notice("MASTER <-> REPLICA sync: Finished with success");
        startStream(masterReplid, masterInitialOffset);
        // After an EOF-marked RDB the master waits for our first ACK to start the stream.
        if (payload.eofMarked()) {
            sendAck();
        }
        node.appendOnlyFile().restartAfterSync();
    }

    /**
     * The link carries the command stream from now on: the sync framing makes way for the command decoder,
     * with the bytes already received passed on to it, which may run commands at once: callers finish their
     * bookkeeping first.
     */
    private void startStream(String replid, long reploff) {
        MasterStream m = new MasterStream(replication, node, channel, replid, reploff);
        RespDecoder decoder = new RespDecoder();
        decoder.setMaxBulkLength(Long.MAX_VALUE);
        m.attach(decoder);
        master = m;
        state = State.CONNECTED;
        downSince = 0;
        ChannelPipeline p = channel.pipeline();
        p.addAfter("sync", "tap", new StreamTap(channel));
        p.addAfter("tap", "resp", decoder);
        syncDecoder = null;
        p.remove("sync");
    }

    /** A protocol error in the master's stream: we can't know where we are in it, so we start over. */
    private void protocolError(ProtocolError error) {
        node.log().warning("Protocol error (" + error.message() + ") from client: id=" + master.client.id()
                + " (our master). Closing the master connection and discarding the cached master.");
        masterLost(false);
    }

    /** The connection {@code ch} closed: ours (not one we already dropped) means the link is down. */
    private void channelClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        if (master != null) {
            masterLost(true);
            return;
        }
        boolean transferring = state == State.TRANSFER;
        channel = null;
        syncDecoder = null;
        state = State.CONNECT;
        if (transferring) {
            node.log().warning("I/O error trying to sync with MASTER: connection lost");
            node.log().notice("Reconnecting to MASTER " + host + ":" + port + " after failure");
            connect();
        } else {
            node.log().warning("Master did not respond to command during SYNC handshake");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // ACKs, cron, reports
    // ---------------------------------------------------------------------------------------------------

    /** replicationSendAck: tells the master how far we applied its stream, if connected. */
    void sendAck() {
        if (host != null && master != null) {
            master.sendAck();
        }
    }

    /**
     * The replica part of replicationCron, once a second: give up on a handshake, a transfer or a master
     * silent for repl-timeout; connect when we must; ACK what we applied (not to a master too old for it).
     */
    void cron() {
        long now = nowSeconds();
        long timeout = replication.configLong("repl-timeout");
        if (host != null && state.compareTo(State.CONNECTING) >= 0 && state.compareTo(State.RECEIVE_PSYNC_REPLY) <= 0
                && now - transferLastIo > timeout) {
            node.log().warning("Timeout connecting to the MASTER...");
            cancelHandshake();
            connect();
        }
        if (host != null && state == State.TRANSFER && now - transferLastIo > timeout) {
            node.log().warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                    + "'repl-timeout' parameter in redis.conf to a larger value.");
            cancelHandshake();
            connect();
        }
        if (host != null && state == State.CONNECTED && now - master.lastInteractionSeconds > timeout) {
            node.log().warning("MASTER timeout: no data nor PING received...");
            masterLost(true);
        }
        if (host != null && state == State.CONNECT) {
            node.log().notice("Connecting to MASTER " + host + ":" + port);
            connect();
        }
        if (host != null && master != null && !master.prePsync) {
            master.sendAck();
        }
    }

    /**
     * replicationGetSlaveOffset: the offset applied, from the link or the cached master; 0 when unknown,
     * so the cluster bus never advertises a negative one.
     */
    long appliedOffset() {
        long offset = master != null ? master.reploff : cached != null ? cached.reploff : 0;
        return Math.max(offset, 0);
    }

    /**
     * How old our copy of the master's data is, in ms: since the master last sent anything while connected,
     * else since the link went down; counted from the epoch when it never came up, which makes such a replica
     * too stale to fail over on its own, as in Redis.
     */
    long dataAgeMs() {
        long now = nowSeconds();
        return (state == State.CONNECTED ? now - master.lastInteractionSeconds : now - downSince) * 1000;
    }

    /** The replica lines of INFO replication, from master_host to master_link_down_since_seconds. */
    void info(BiConsumer<String, Object> field) {
        long now = nowSeconds();
        long applied = 1;
        long read = 1;
        if (master != null) {
            applied = master.reploff;
            read = master.readReploff;
        } else if (cached != null) {
            applied = cached.reploff;
            read = cached.reploff;
        }
        field.accept("master_host", host);
        field.accept("master_port", port);
        field.accept("master_link_status", state == State.CONNECTED ? "up" : "down");
        field.accept("master_last_io_seconds_ago", master != null ? now - master.lastInteractionSeconds : -1);
        field.accept("master_sync_in_progress", state == State.TRANSFER ? 1 : 0);
        field.accept("slave_read_repl_offset", read);
        field.accept("slave_repl_offset", applied);
        if (state == State.TRANSFER) {
            long received = syncDecoder == null ? 0 : syncDecoder.received();
            double perc = transferSize > 0 ? (double) received / transferSize * 100 : 0;
            field.accept("master_sync_total_bytes", transferSize);
            field.accept("master_sync_read_bytes", received);
            field.accept("master_sync_left_bytes", transferSize - received);
            field.accept("master_sync_perc", String.format(Locale.ROOT, "%.2f", perc));
            field.accept("master_sync_last_io_seconds_ago", now - transferLastIo);
        }
        if (state != State.CONNECTED) {
            field.accept("master_link_down_since_seconds", downSince != 0 ? now - downSince : -1);
        }
    }

    /** ROLE on a replica: slave, master host and port, link state, offset applied (-1 when not connected). */
    void role(RespWriter w) {
        w.array(5);
        w.bulk("slave");
        w.bulk(host);
        w.integer(port);
        w.bulk(state.roleName);
        w.integer(master != null ? master.reploff : -1);
    }

    /** Node shutdown: the connection goes, without reconnecting. */
    void shutdown() {
        host = null;
        if (master != null) {
            masterLost(false);
        }
        cancelHandshake();
        state = State.NONE;
    }

    // ---------------------------------------------------------------------------------------------------
    // Netty handlers
    // ---------------------------------------------------------------------------------------------------

    /** Counts the stream's raw bytes before they are decoded into commands. */
    private final class StreamTap extends ChannelInboundHandlerAdapter {
        private final Channel ch;

        StreamTap(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ch == channel && master != null && msg instanceof ByteBuf bytes) {
                master.bytesRead(bytes);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Everything the master link delivers, in every phase, ends here. */
    private final class LinkHandler extends ChannelInboundHandlerAdapter {
        private final Channel ch;

        LinkHandler(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ch != channel) {
                ReferenceCountUtil.release(msg instanceof SyncReplyDecoder.Payload p ? p.rdb() : msg);
                return;
            }
            if (msg instanceof String line) {
                onLine(line);
            } else if (msg instanceof SyncReplyDecoder.Payload payload) {
                onPayload(payload);
            } else if (msg instanceof byte[][] argv) {
                master.command(argv);
            } else if (msg instanceof ProtocolError error) {
                protocolError(error);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ch == channel) {
                transferLastIo = nowSeconds();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channelClosed(ch);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            node.log().verbose("Error on the link with MASTER: " + cause.getMessage());
            ctx.close();
        }
    }
}
