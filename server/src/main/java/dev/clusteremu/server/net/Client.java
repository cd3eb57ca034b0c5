package dev.clusteremu.server.net;

import java.util.ArrayDeque;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.pubsub.Subscriptions;
import dev.clusteremu.server.acl.User;
import dev.clusteremu.server.multi.MultiState;
import dev.clusteremu.server.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One client connection's state ({@code client} in server.h): protocol version, name, the cluster flags
 * READONLY and ASKING, its replication role (a replica attached to us, or our master's link), what its
 * current command propagates, whether it is blocked with the requests that wait behind it, its Pub/Sub
 * subscriptions, its transaction, its user, its reply mode (CLIENT REPLY), MONITOR and tracking state, and
 * the reply buffer being filled for the current batch of commands. Owned by the node's event loop.
 */
public final class Client {
    /** What a redacted argument shows as (shared.redacted). */
    private static final byte[] REDACTED = "(redacted)".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final long id;
    private final RedisNode node;
    private final Channel channel;
    private final long createdAt;
    private int protocol = 2;
    private String name = "";
    private boolean readonly;
    private boolean asking;
    private boolean closeAfterReply;
    private long lastInteraction;
    private String lastCommand = "NULL";
    private String libName = "";
    private String libVersion = "";
    private RespWriter reply;
    private long errorsReplied;
    /** CLIENT_MASTER: the connection to our master, whose commands are obeyed without replies. */
    private boolean master;
    /** CLIENT_SLAVE: a replica that synced with us (PSYNC/SYNC) and receives our replication stream. */
    private boolean replica;
    /** woff: master_repl_offset after this client's last command, the offset WAIT waits for. */
    private long writeOffset;
    /** The argv to propagate instead of the one received (rewriteClientCommandVector), or null. */
    private byte[][] propagatedArgv;
    /** CLIENT_FORCE_REPL: propagate the command even if it changed nothing (FLUSHALL on an empty db). */
    private boolean forcePropagation;
    /** CLIENT_PREVENT_PROP: the command propagated what it did itself (alsoPropagate), not as it ran. */
    private boolean preventPropagation;
    /** Why the client is blocked (CLIENT_BLOCKED and btype), or null when it is not. */
    private BlockType blockedOn;
    /** Requests read while blocked, processed in order once it is unblocked (the unparsed querybuf). */
    private final ArrayDeque<Object> pendingRequests = new ArrayDeque<>();
    /** Runs the pending requests once unblocked; set by the connection's handler. */
    private Runnable resumer = () -> { };
    /** Sends the replies written so far; set by the connection's handler. */
    private Runnable flusher = () -> { };
    private long softLimitReachedAt;
    /** Channels, patterns and shard channels subscribed to; null until the first subscription. */
    private Subscriptions subscriptions;
    private final MultiState multi = new MultiState();
    /** The user the connection is authenticated as (or will be, once it authenticates). */
    private User user;
    private boolean authenticated;
    /** CLIENT REPLY modes: OFF, SKIP (this command), SKIP_NEXT (the next one). */
    private boolean replyOff;
    private boolean replySkip;
    private boolean replySkipNext;
    /** Where silenced replies go: written, then dropped (CLIENT REPLY OFF / SKIP). */
    private RespWriter silentReply;
    /** CLIENT_DENY_BLOCKING: the client expects one reply per command now (inside EXEC). */
    private boolean denyBlocking;
    /** CLIENT_MONITOR: receives every command the node runs; flagged like a replica for most checks. */
    private boolean monitor;
    /** Client-side caching state (CLIENT TRACKING), or null when tracking is off. */
    private Tracking tracking;
    /** CLIENT_SCRIPT: the client scripts run their commands through (MONITOR shows it as "lua"). */
    private boolean script;
    /** The running command's arguments and the copy with redacted secrets, for MONITOR and SLOWLOG. */
    private byte[][] currentArgv;
    private byte[][] loggedArgv;

    public Client(long id, RedisNode node, Channel channel, long now) {
        this.id = id;
        this.node = node;
        this.channel = channel;
        this.createdAt = now;
        this.lastInteraction = now;
    }

    public long id() {
        return id;
    }

    public RedisNode node() {
        return node;
    }

    public Channel channel() {
        return channel;
    }

    public long createdAt() {
        return createdAt;
    }

    /**
     * The writer for this command's reply; replies accumulate until the batch is flushed. Under CLIENT
     * REPLY OFF or SKIP the reply is written where it is dropped (prepareClientToWrite refuses), though an
     * error still counts in the error statistics.
     */
    public RespWriter reply() {
        if (replyOff || replySkip) {
            return silentReply();
        }
        return pushes();
    }

    /**
     * The writer for push messages (pub/sub messages, tracking invalidations), which CLIENT REPLY OFF does
     * not silence (CLIENT_PUSHING).
     */
    public RespWriter pushes() {
        if (reply == null) {
            ByteBuf out = channel.alloc().ioBuffer();
            reply = new RespWriter(out, protocol);
            reply.setErrorListener(code -> {
                errorsReplied++;
                node.stats().errorReplied(code);
            });
        }
        return reply;
    }

    private RespWriter silentReply() {
        if (silentReply == null) {
            silentReply = new RespWriter(io.netty.buffer.Unpooled.buffer(64), protocol);
            silentReply.setErrorListener(code -> {
                errorsReplied++;
                node.stats().errorReplied(code);
            });
        }
        silentReply.buffer().clear();
        silentReply.setProtocol(protocol);
        return silentReply;
    }

    /** Whether replies are written but not yet sent (clientHasPendingReplies). */
    public boolean hasPendingReplies() {
        return reply != null && reply.buffer().isReadable();
    }

    /** The replies written and not yet sent, as text (for a log line). */
    public String pendingRepliesText() {
        return reply == null ? "" : reply.buffer().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Drops the replies written so far: a master is never answered (prepareClientToWrite refuses). */
    public void discardReplies() {
        if (reply != null) {
            reply.buffer().clear();
        }
    }

    /** Takes the replies written so far (null if none), leaving a fresh buffer for the next ones. */
    ByteBuf takeReplies() {
        if (reply == null) {
            return null;
        }
        ByteBuf out = reply.buffer();
        reply = null;
        return out;
    }

    /** Error replies sent to this client so far: a command failed if it raised this. */
    public long errorsReplied() {
        return errorsReplied;
    }

    public int protocol() {
        return protocol;
    }

    /** Switches RESP version (HELLO): replies written from now on use it. */
    public void setProtocol(int protocol) {
        this.protocol = protocol;
        if (reply != null) {
            reply.setProtocol(protocol);
        }
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** READONLY: reads on a replica are served locally for slots its master owns. */
    public boolean isReadonly() {
        return readonly;
    }

    public void setReadonly(boolean readonly) {
        this.readonly = readonly;
    }

    /** ASKING: the next command may touch an importing slot. Cleared after that command. */
    public boolean isAsking() {
        return asking;
    }

    public void setAsking(boolean asking) {
        this.asking = asking;
    }

    /** QUIT or a protocol error: write what is pending, then close. */
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    /**
     * freeClientAsync from the command of {@code current}: this client is disconnected now, or, if it is the
     * one running the command, once its reply is written.
     */
    public void closeFrom(Client current) {
        if (this == current) {
            closeAfterReply();
        } else {
            channel.close();
        }
    }

    public boolean isClosingAfterReply() {
        return closeAfterReply;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    public void touch(long now, String command) {
        lastInteraction = now;
        lastCommand = command;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    /** obuf_soft_limit_reached_time: when its unsent replies first reached the soft limit (Unix s), or 0. */
    long softLimitReachedAt() {
        return softLimitReachedAt;
    }

    void setSoftLimitReachedAt(long seconds) {
        this.softLimitReachedAt = seconds;
    }

    // ---- replication ----

    /** Whether this is the link to our master (CLIENT_MASTER). */
    public boolean isMaster() {
        return master;
    }

    public void setMaster(boolean master) {
        this.master = master;
    }

    /** Whether this is a replica attached to us (CLIENT_SLAVE). */
    public boolean isReplica() {
        return replica;
    }

    public void setReplica(boolean replica) {
        this.replica = replica;
    }

    /** master_repl_offset after this client's last command: what WAIT waits for replicas to reach. */
    public long writeOffset() {
        return writeOffset;
    }

    public void setWriteOffset(long offset) {
        this.writeOffset = offset;
    }

    /**
     * Makes the running command propagate as {@code argv} instead of as received
     * (rewriteClientCommandVector): relative times become absolute, INCRBYFLOAT becomes SET, and so on, so
     * that replicas apply exactly what happened here.
     */
    public void rewriteCommandVector(byte[]... argv) {
        this.propagatedArgv = argv;
    }

    /** Propagates the running command even if it changed nothing (forceCommandPropagation). */
    public void forceCommandPropagation() {
        this.forcePropagation = true;
    }

    /** The argv the running command propagates: its rewrite if it made one, else {@code received}. */
    public byte[][] propagatedArgv(byte[][] received) {
        return propagatedArgv != null ? propagatedArgv : received;
    }

    public boolean isPropagationForced() {
        return forcePropagation;
    }

    /**
     * Keeps the running command itself out of the replication stream (preventCommandPropagation): for
     * commands that queue other commands describing their effect instead, as XREADGROUP queues XCLAIMs.
     */
    public void preventCommandPropagation() {
        this.preventPropagation = true;
    }

    public boolean isPropagationPrevented() {
        return preventPropagation;
    }

    /** Forgets the previous command's rewrite, forcing and preventing, before a command runs (call()). */
    public void resetPropagation() {
        propagatedArgv = null;
        forcePropagation = false;
        preventPropagation = false;
    }

    // ---- pub/sub ----

    /** The client's subscriptions, created at first use. */
    public Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
        }
        return subscriptions;
    }

    /** Whether the client is subscribed to anything (CLIENT_PUBSUB): Pub/Sub mode, restricted in RESP2. */
    public boolean isSubscribed() {
        return subscriptions != null && subscriptions.isSubscribed();
    }

    void setFlusher(Runnable flusher) {
        this.flusher = flusher;
    }

    /** Sends the replies written so far, outside the client's own read batch (a published message). */
    void flush() {
        flusher.run();
    }

    // ---- blocking ----

    /**
     * Whether a blocking command of this client must not block and answers at once as if it timed out
     * (CLIENT_DENY_BLOCKING): on our master's link, which must never stall; and for commands that
     * transactions (inside EXEC) and scripts run.
     */
    public boolean isDenyBlocking() {
        return master || denyBlocking;
    }

    /** Why the client is blocked, or null. Set only by {@link BlockedClients}. */
    public BlockType blockedOn() {
        return blockedOn;
    }

    public boolean isBlocked() {
        return blockedOn != null;
    }

    void setBlockedOn(BlockType type) {
        this.blockedOn = type;
    }

    /** Queues a request read while blocked (or behind others that are); it runs after the unblock. */
    void queueRequest(Object request) {
        pendingRequests.addLast(request);
    }

    /** Puts a command back in front of the queue, to run again once unblocked (BLOCKED_POSTPONE). */
    public void requeueFirst(byte[][] argv) {
        pendingRequests.addFirst(argv);
    }

    Object pollRequest() {
        return pendingRequests.pollFirst();
    }

    boolean hasPendingRequests() {
        return !pendingRequests.isEmpty();
    }

    void setResumer(Runnable resumer) {
        this.resumer = resumer;
    }

    /** Processes the requests queued while blocked and sends the replies (processUnblockedClients). */
    void resume() {
        resumer.run();
    }

    /**
     * Has what was written to this client outside its own command (a push, a MONITOR line) sent before the
     * node sleeps (handleClientsWithPendingWrites); its own replies go out with its read batch anyway.
     */
    public void requestFlush() {
        node.clients().writeSoon(this);
    }

    // ---- transactions ----

    /** The client's MULTI state and watched keys. */
    public MultiState multi() {
        return multi;
    }

    public void setDenyBlocking(boolean denyBlocking) {
        this.denyBlocking = denyBlocking;
    }

    // ---- authentication ----

    /** The client's user (c->user); the default user until it authenticates as another. */
    public User user() {
        return user;
    }

    /** Whether the client authenticated, or started authenticated as a nopass default user. */
    public boolean isAuthenticated() {
        return authenticated;
    }

    /** Sets the user and whether the client counts as authenticated as it (ACLAuthenticateUser, clientSetDefaultAuth). */
    public void setUser(User user, boolean authenticated) {
        this.user = user;
        this.authenticated = authenticated;
    }

    // ---- CLIENT REPLY ----

    /** CLIENT REPLY ON: replies are sent again from this command on. */
    public void replyOn() {
        replyOff = false;
        replySkip = false;
    }

    /** CLIENT REPLY OFF: no reply is sent until CLIENT REPLY ON. */
    public void replyOff() {
        replyOff = true;
    }

    /** CLIENT REPLY SKIP: the next command's reply is not sent (ignored under OFF). */
    public void replySkipNext() {
        if (!replyOff) {
            replySkipNext = true;
        }
    }

    /** Whether replies are currently dropped. */
    public boolean isReplySilenced() {
        return replyOff || replySkip;
    }

    /**
     * A command finished (resetClient): a SKIP covered it; a CLIENT REPLY SKIP just run covers the next.
     */
    public void afterCommandReplyMode() {
        replySkip = false;
        if (replySkipNext) {
            replySkip = true;
            replySkipNext = false;
        }
    }

    /** RESET (clearClientConnectionState): back to ON, with no skip pending. */
    public void resetReplyMode() {
        replyOff = false;
        replySkipNext = false;
    }

    // ---- scripts ----

    /** Whether this is the client scripts run their commands through (CLIENT_SCRIPT). */
    public boolean isScript() {
        return script;
    }

    void setScript(boolean script) {
        this.script = script;
    }

    // ---- MONITOR and tracking ----

    /** Whether the client is in MONITOR mode. */
    public boolean isMonitor() {
        return monitor;
    }

    public void setMonitor(boolean monitor) {
        this.monitor = monitor;
    }

    /** The client's tracking state, or null when CLIENT TRACKING is off. */
    public Tracking tracking() {
        return tracking;
    }

    public void setTracking(Tracking tracking) {
        this.tracking = tracking;
    }

    // ---- the running command, as logged ----

    /** A command starts running with these arguments (call()): nothing of it is redacted yet. */
    public void beginCall(byte[][] argv) {
        currentArgv = argv;
        loggedArgv = null;
    }

    /**
     * Hides argument {@code index} of the running command from MONITOR and SLOWLOG
     * (redactClientCommandArgument): it shows as "(redacted)".
     */
    public void redactArgument(int index) {
        if (currentArgv == null || index >= currentArgv.length) {
            return;
        }
        if (loggedArgv == null) {
            loggedArgv = currentArgv.clone();
        }
        loggedArgv[index] = REDACTED;
    }

    /**
     * The arguments {@code argv} of a command that just ran, as MONITOR and SLOWLOG show them: with the
     * redactions it made, if it was the last to run on this client (EXEC's own commands ran after it).
     */
    public byte[][] loggedArgv(byte[][] argv) {
        return currentArgv == argv && loggedArgv != null ? loggedArgv : argv;
    }
}
