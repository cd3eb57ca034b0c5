package dev.clusteremu.server.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.cluster.Cluster;
import dev.clusteremu.cluster.ClusterNode;
import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Endpoints;
import dev.clusteremu.server.keyspace.ObjectType;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.replication.ReplicationStream;

/**
 * Blocking clients, as blocked.c does it, for any command that answers later (WAIT, BLPOP and the like)
 * and for commands held by a client pause.
 *
 * <p>A blocked client keeps its connection and reads on, but its later requests wait in order behind the
 * blocked one (Redis leaves them unparsed in the query buffer), so replies never overtake each other.
 * Whoever unblocks it (an ACK from a replica, a timeout, the end of a pause) writes the blocked command's
 * reply first, if it has one, then calls {@link #unblock}; the client's queued requests are then processed
 * after the current event, as processUnblockedClients does from beforeSleep, never inside another client's
 * command.
 *
 * <p>Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK, ...) are listed per key in the order they
 * blocked, whatever they wait for (db->blocking_keys). A key is signaled "ready" where db.c and t_stream.c
 * call signalKeyAsReady: a value added that some kind of client waits for, an entry added to a stream, and
 * a stream that went (deleted, overwritten, flushed) or lost a group, for the XREADGROUP clients that must
 * learn it. Ready keys are served in signal order by {@link #handleClientsBlockedOnKeys}: after the command,
 * transaction or script that signaled them, or, for keys signaled outside any command (the expire cycle
 * deleting a stream), before the node sleeps. Each serving runs like a command of the served client: its
 * reply goes to that client, and what it changed is propagated on its own. Owned by the node's loop.
 */
public final class BlockedClients {
    /**
     * What a client blocked on keys is served with, once one of its keys is ready: for a list or sorted set
     * client, the value now under the key, of the type it waits for; for a stream client, the stream, or
     * null when the key no longer holds one (XREADGROUP then fails, as its group went with the stream).
     */
    @FunctionalInterface
    public interface KeyWaiter {
        /**
         * Serves the client with {@code value}, replying to it and making the change
         * (serveClientBlockedOnList, genericZpopCommand, serveClientsBlockedOnStreamKey); the client is
         * unblocked afterwards whatever the outcome, an error reply included. Returns whether the value was
         * used up and its key deleted, which ends the serving of that key.
         */
        boolean serve(byte[] key, RedisObject value);

        /**
         * Whether {@code value} has something for the client now; if not, it keeps waiting. A list or sorted
         * set always has (a key holds one only while it is not empty); a stream has when it grew past the ID
         * waited for, or when the client's group went.
         */
        default boolean isServedBy(byte[] key, RedisObject value) {
            return true;
        }
    }

    /** What a client blocked on keys waits for (c->bpop): its keys, without repeats, and how to serve it. */
    private record KeyWait(Set<ByteBuffer> keys, KeyWaiter waiter, boolean write) {
    }

    /**
     * How one client is blocked: its timeout task (null when it waits forever), what its timeout does
     * (replyToBlockedClientTimedOut, then unblock), which CLIENT UNBLOCK may also trigger, and the call
     * that blocked: how long it took (c->duration) and its arguments as logged, for the latency histogram
     * and the slow log once it is served.
     */
    private static final class Blocking {
        private final ScheduledFuture<?> timer;
        private final Runnable onTimeout;
        private long callMicros;
        private byte[][] loggedArgv;

        Blocking(ScheduledFuture<?> timer, Runnable onTimeout) {
            this.timer = timer;
            this.onTimeout = onTimeout;
        }
    }

    private final RedisNode node;
    /** Blocked clients, in blocking order. */
    private final Map<Client, Blocking> blocked = new LinkedHashMap<>();
    private final ArrayDeque<Client> unblocked = new ArrayDeque<>();
    /** db->blocking_keys: per key, the clients blocked on it, in the order they blocked. */
    private final Map<ByteBuffer, LinkedHashSet<Client>> blockingKeys = new HashMap<>();
    /** What each client blocked on keys waits for. */
    private final Map<Client, KeyWait> keyWaits = new HashMap<>();
    /**
     * server.ready_keys with db->ready_keys: keys signaled since they were last served, in signal order; a
     * key signaled again before its serving keeps its place.
     */
    private final LinkedHashSet<ByteBuffer> readyKeys = new LinkedHashSet<>();

    public BlockedClients(RedisNode node) {
        this.node = node;
    }

    /**
     * Blocks {@code c} (blockClient). {@code timeoutAtMs} is a Unix time in ms, 0 for no timeout; when it
     * passes, {@code onTimeout} runs on the loop and must reply and {@link #unblock}.
     */
    public void block(Client c, BlockType type, long timeoutAtMs, Runnable onTimeout) {
        c.setBlockedOn(type);
        ScheduledFuture<?> timer = null;
        if (timeoutAtMs != 0) {
            long delay = Math.max(0, timeoutAtMs - node.now());
            timer = node.loop().schedule(() -> {
                if (blocked.containsKey(c)) {
                    onTimeout.run();
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
        blocked.put(c, new Blocking(timer, onTimeout));
    }

    /**
     * Blocks {@code c} on {@code keys} (blockForKeys) for a value of the kind {@code type} waits for;
     * {@code waiter} serves it when one arrives. {@code timeoutAtMs} is a Unix time in ms, 0 for no
     * timeout; when it passes the client gets a null array, as a timed-out BLPOP or XREAD does.
     * {@code write} tells whether the blocked command writes (for the READONLY exception of
     * {@link #redirectIfSlotsMoved}).
     */
    public void blockForKeys(Client c, BlockType type, List<byte[]> keys, long timeoutAtMs, boolean write,
                             KeyWaiter waiter) {
        Set<ByteBuffer> own = new LinkedHashSet<>();
        for (byte[] key : keys) {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (own.add(k)) {
                blockingKeys.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
            }
        }
        keyWaits.put(c, new KeyWait(own, waiter, write));
        block(c, type, timeoutAtMs, () -> {
            c.reply().nullArray();
            unblock(c);
        });
    }

    /**
     * Unblocks {@code c} (unblockClient): its queued requests will be processed, and its replies sent,
     * after the current event. No effect on a client that is not blocked.
     */
    public void unblock(Client c) {
        if (!blocked.containsKey(c)) {
            return;
        }
        cancelTimer(blocked.remove(c));
        forgetKeys(c);
        c.setBlockedOn(null);
        unblocked.addLast(c);
        node.requestBeforeSleep();
    }

    /**
     * CLIENT UNBLOCK: ends the blocking of {@code c} early, with the reply its timeout would give (a null
     * array, WAIT's count of acknowledging replicas) or, with {@code error}, the -UNBLOCKED error; its
     * command then counts as a failed call, whichever way it ended (updateStatsOnUnblock with had_errors
     * set, as Redis 7.0 calls it). Returns false when {@code c} is not blocked, or only held back by a
     * client pause: that command has not run yet, so it has nothing to answer. (Redis 7.0.15 aborts on
     * the latter, in replyToBlockedClientTimedOut; not answering is what later versions do.)
     */
    public boolean unblockOnRequest(Client c, boolean error) {
        Blocking blocking = blocked.get(c);
        if (blocking == null || c.blockedOn() == BlockType.POSTPONE) {
            return false;
        }
        // Redis resets the client before it updates the statistics here, so the slow log gets the command
        // without its arguments.
        updateStats(c, blocking, 0, true, new byte[0][]);
        if (error) {
            c.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            unblock(c);
        } else {
            blocking.onTimeout.run();
        }
        return true;
    }

    /** The call of {@code c}'s command {@code loggedArgv} took {@code micros} and left it blocked. */
    public void callBlocked(Client c, long micros, byte[][] loggedArgv) {
        Blocking blocking = blocked.get(c);
        if (blocking != null) {
            blocking.callMicros = micros;
            blocking.loggedArgv = loggedArgv;
        }
    }

    /**
     * updateStatsOnUnblock, before {@code c}, blocked, is unblocked by a serving (or CLIENT UNBLOCK) that
     * took {@code replyMicros}: its command counts as failed if it answered an error; its latency histogram
     * gets the blocking call's duration plus the serving's, and so does the slow log (the call was kept out
     * of it while blocked); the latency monitor may sample the serving as "command-unblocking".
     */
    private void updateStatsOnUnblock(Client c, long replyMicros, boolean hadErrors) {
        Blocking blocking = blocked.get(c);
        updateStats(c, blocking, replyMicros, hadErrors, blocking == null ? null : blocking.loggedArgv);
    }

    private void updateStats(Client c, Blocking blocking, long replyMicros, boolean hadErrors,
            byte[][] slowlogArgv) {
        long total = (blocking == null ? 0 : blocking.callMicros) + replyMicros;
        if (hadErrors) {
            node.stats().commandFailed(c.lastCommand());
        }
        if (node.config().latencyTracking) {
            node.stats().latencyRecorded(c.lastCommand(), total);
        }
        if (slowlogArgv != null) {
            node.slowLog().pushIfNeeded(c, slowlogArgv, total, node.now() / 1000, node.config().slowlogLogSlowerThan,
                    node.config().slowlogMaxLen);
        }
        node.latency().addSampleIfNeeded("command-unblocking", replyMicros / 1000,
                node.config().latencyMonitorThreshold, node.now() / 1000);
    }

    private static void cancelTimer(Blocking blocking) {
        if (blocking != null && blocking.timer != null) {
            blocking.timer.cancel(false);
        }
    }

    /** unblockClientWaitingData: takes {@code c} off the lists of the keys it was blocked on. */
    private void forgetKeys(Client c) {
        KeyWait wait = keyWaits.remove(c);
        if (wait == null) {
            return;
        }
        for (ByteBuffer k : wait.keys()) {
            LinkedHashSet<Client> clients = blockingKeys.get(k);
            clients.remove(c);
            if (clients.isEmpty()) {
                blockingKeys.remove(k);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Serving clients blocked on keys
    // ---------------------------------------------------------------------------------------------------

    /**
     * signalKeyAsReady: {@code key} now holds, or for a stream no longer holds, a value of {@code type};
     * queued for {@link #handleClientsBlockedOnKeys} when clients are blocked on it and clients block for
     * that type at all (a string under a key BLPOP waits on wakes nobody). A key signaled outside a command
     * is served before the node sleeps.
     */
    public void signalKeyAsReady(byte[] key, ObjectType type) {
        if (BlockType.servedBy(type) == null || keyWaits.isEmpty()) {
            return;
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        if (blockingKeys.containsKey(k) && readyKeys.add(k)) {
            node.requestBeforeSleep();
        }
    }

    /**
     * scanDatabaseForDeletedStreams, from signalFlushedDb just before every key goes: each key clients are
     * blocked on that holds a stream is signaled, so its XREADGROUP clients learn that the stream went.
     */
    public void signalDeletedStreamsBeforeFlush() {
        for (ByteBuffer k : blockingKeys.keySet()) {
            RedisObject value = node.keyspace().peekIncludingExpired(k.array());
            if (value != null && value.type() == ObjectType.STREAM) {
                signalKeyAsReady(k.array(), ObjectType.STREAM);
            }
        }
    }

    /** Whether some key is ready, so {@link #handleClientsBlockedOnKeys} has work. */
    public boolean hasReadyKeys() {
        return !readyKeys.isEmpty();
    }

    /**
     * handleClientsBlockedOnKeys, after a command (or a transaction, or a script) that made keys ready, and
     * before the node sleeps: each ready key, in signal order, is looked up and its clients served in the
     * order they blocked, those waiting for the type it holds first (until the value is used up), then, when
     * it no longer holds a stream, the XREADGROUP clients, which fail (unblockDeletedStreamReadgroupClients).
     * Keys made ready while serving (the push side of BLMOVE) are served after those already signaled, until
     * none is left.
     */
    public void handleClientsBlockedOnKeys() {
        while (!readyKeys.isEmpty()) {
            Iterator<ByteBuffer> first = readyKeys.iterator();
            ByteBuffer k = first.next();
            first.remove();
            byte[] key = k.array();
            RedisObject value = node.keyspace().lookupWrite(key);
            BlockType kind = value == null ? null : BlockType.servedBy(value.type());
            if (kind != null) {
                serveClientsBlockedOnKey(k, kind, value);
            }
            // An XREADGROUP client waits on a group that lives in the stream: with the stream gone (deleted,
            // or replaced by another type), so is its group, and no later XADD could serve it.
            if (kind != BlockType.STREAM) {
                serveClientsBlockedOnKey(k, BlockType.STREAM, null);
            }
        }
    }

    /**
     * Serves the clients blocked on {@code k} for {@code kind}, in the order they blocked, with
     * {@code value}, each one it has something for, until one serving deletes the key.
     */
    private void serveClientsBlockedOnKey(ByteBuffer k, BlockType kind, RedisObject value) {
        LinkedHashSet<Client> clients = blockingKeys.get(k);
        if (clients == null) {
            return;
        }
        byte[] key = k.array();
        for (Client receiver : new ArrayList<>(clients)) {
            KeyWait wait = keyWaits.get(receiver);
            if (receiver.blockedOn() != kind || wait == null || !wait.waiter().isServedBy(key, value)) {
                continue;
            }
            if (serve(receiver, key, value)) {
                break;
            }
        }
    }

    /**
     * Serves one client as if running its command: it is the current client, what the serving changes is
     * propagated on its own (afterCommand), an error reply counts as a failed call of its command, and it is
     * unblocked afterwards. Returns whether the key was deleted.
     */
    private boolean serve(Client receiver, byte[] key, RedisObject value) {
        KeyWait wait = keyWaits.get(receiver);
        Client previous = node.currentClient();
        ReplicationStream stream = node.replication().stream();
        long errorsBefore = receiver.errorsReplied();
        long start = System.nanoTime();
        node.setCurrentClient(receiver);
        stream.enterCall();
        boolean deleted;
        try {
            deleted = wait.waiter().serve(key, value);
        } finally {
            stream.exitCall(receiver.lastCommand());
            node.setCurrentClient(previous);
        }
        // A serving that ended in an error (BLMOVE's WRONGTYPE, XREADGROUP's NOGROUP) is a failed call.
        updateStatsOnUnblock(receiver, (System.nanoTime() - start) / 1000, receiver.errorsReplied() > errorsBefore);
        unblock(receiver);
        return deleted;
    }

    /**
     * clusterRedirectBlockedClientIfNeeded, from the node's cron: a client blocked on keys of a slot this
     * node no longer serves would wait forever for a change that can't happen here, so it is unblocked with
     * the error a new command would get: CLUSTERDOWN while the cluster is down (even with reads allowed,
     * since only a write could serve it), CLUSTERDOWN for an unassigned slot, MOVED to the slot's owner.
     * A slot being imported keeps its clients, and a READONLY client of a read command (XREAD) blocked on a
     * replica of the slot's owner stays too.
     */
    public void redirectIfSlotsMoved() {
        for (Map.Entry<Client, KeyWait> e : new ArrayList<>(keyWaits.entrySet())) {
            String error = redirection(e.getKey(), e.getValue());
            if (error != null) {
                e.getKey().reply().error(error);
                unblock(e.getKey());
            }
        }
    }

    private String redirection(Client c, KeyWait wait) {
        Cluster cluster = node.cluster();
        if (!cluster.isStateOk()) {
            return "CLUSTERDOWN The cluster is down";
        }
        // All the keys of one command are in one slot: the first tells.
        byte[] key = wait.keys().iterator().next().array();
        int slot = KeySlot.of(key);
        ClusterNode owner = cluster.slotOwner(slot);
        ClusterNode myself = cluster.myself();
        if (c.isReadonly() && !wait.write() && myself.isReplica() && myself.master() == owner) {
            owner = myself;
        }
        if (owner == myself || cluster.importingFrom(slot) != null) {
            return null;
        }
        if (owner == null) {
            return "CLUSTERDOWN Hash slot not served";
        }
        return "MOVED " + slot + " " + Endpoints.preferred(node.config(), owner) + ":" + owner.port();
    }

    /** The clients blocked for {@code type}, oldest first. */
    public List<Client> blockedOn(BlockType type) {
        List<Client> out = new ArrayList<>();
        for (Client c : blocked.keySet()) {
            if (c.blockedOn() == type) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * disconnectAllBlockedClients: the node changed role, so what blocked clients wait for will not come;
     * each gets {@code error} and is disconnected. Postponed ones are spared: their command simply runs
     * again later, and is then redirected or refused like any other.
     */
    public void disconnectAll(String error) {
        for (Client c : new ArrayList<>(blocked.keySet())) {
            if (c.blockedOn() == BlockType.POSTPONE) {
                continue;
            }
            c.reply().error(error);
            unblock(c);
            c.closeAfterReply();
        }
    }

    /** blocked_clients: how many clients are blocked, for any reason. */
    public int count() {
        return blocked.size();
    }

    /** clients_in_timeout_table: blocked clients that wait with a timeout. */
    public int countWithTimeout() {
        int n = 0;
        for (Blocking blocking : blocked.values()) {
            if (blocking.timer != null) {
                n++;
            }
        }
        return n;
    }

    /** A connection closed: forget it (freeClient unblocks a blocked client without replying). */
    public void clientClosed(Client c) {
        cancelTimer(blocked.remove(c));
        forgetKeys(c);
        c.setBlockedOn(null);
        unblocked.remove(c);
    }

    /** Runs the requests of the clients unblocked since the last call (processUnblockedClients). */
    public void processUnblocked() {
        Client c;
        while ((c = unblocked.pollFirst()) != null) {
            if (!c.isBlocked() && c.channel().isActive()) {
                c.resume();
            }
        }
    }
}
