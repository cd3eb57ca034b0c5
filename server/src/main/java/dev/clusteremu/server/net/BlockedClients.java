package dev.clusteremu.server.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.server.RedisNode;

/**
 * Blocking clients, as blocked.c does it, for any command that answers later (WAIT now; BLPOP and the
 * like later) and for commands held by a client pause.
 *
 * <p>A blocked client keeps its connection and reads on, but its later requests wait in order behind the
 * blocked one (Redis leaves them unparsed in the query buffer), so replies never overtake each other.
 * Whoever unblocks it (an ACK from a replica, a timeout, the end of a pause) writes the blocked command's
 * reply first, if it has one, then calls {@link #unblock}; the client's queued requests are then processed
 * after the current event, as processUnblockedClients does from beforeSleep, never inside another client's
 * command. Owned by the node's loop.
 */
public final class BlockedClients {
    private final RedisNode node;
    /** Blocked clients, in blocking order, with their timeout task (null when they wait forever). */
    private final Map<Client, ScheduledFuture<?>> blocked = new LinkedHashMap<>();
    private final ArrayDeque<Client> unblocked = new ArrayDeque<>();

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
        blocked.put(c, timer);
    }

    /**
     * Unblocks {@code c} (unblockClient): its queued requests will be processed, and its replies sent,
     * after the current event. No effect on a client that is not blocked.
     */
    public void unblock(Client c) {
        if (!blocked.containsKey(c)) {
            return;
        }
        ScheduledFuture<?> timer = blocked.remove(c);
        if (timer != null) {
            timer.cancel(false);
        }
        c.setBlockedOn(null);
        unblocked.addLast(c);
        node.requestBeforeSleep();
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
        for (ScheduledFuture<?> timer : blocked.values()) {
            if (timer != null) {
                n++;
            }
        }
        return n;
    }

    /** A connection closed: forget it (freeClient unblocks a blocked client without replying). */
    public void clientClosed(Client c) {
        ScheduledFuture<?> timer = blocked.remove(c);
        if (timer != null) {
            timer.cancel(false);
        }
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
