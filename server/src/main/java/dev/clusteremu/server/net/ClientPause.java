package dev.clusteremu.server.net;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.server.RedisNode;

/**
 * Client pauses (pauseClients in networking.c): while paused, the commands a pause covers are postponed
 * (blocked, then run again when it ends), so the dataset stays still: a master in a manual failover must
 * not move its replication offset while its replica catches up. Each purpose (a CLIENT PAUSE, a shutdown,
 * a failover) holds its own pause; the most restrictive one in force applies, until the furthest end time
 * among those of that type. Replicas attached to us are never paused. Owned by the node's loop.
 */
public final class ClientPause {
    /** Who asked for a pause (pause_purpose). */
    public enum Purpose { CLIENT_COMMAND, SHUTDOWN, FAILOVER }

    /** What a pause holds back, from least to most restrictive (pause_type). */
    public enum Type {
        OFF,
        /** Commands that may change the dataset or the replication stream (write or may-replicate). */
        WRITE,
        /** Every command. */
        ALL
    }

    private record Event(Type type, long endMs) {
    }

    private final RedisNode node;
    private final BlockedClients blocked;
    private final Map<Purpose, Event> events = new EnumMap<>(Purpose.class);
    private Type type = Type.OFF;
    private long endMs;
    private ScheduledFuture<?> timer;

    public ClientPause(RedisNode node, BlockedClients blocked) {
        this.node = node;
        this.blocked = blocked;
    }

    /**
     * Pauses {@code type} commands until {@code endMs} (Unix ms) for {@code purpose}; a pause already held
     * for it is extended to the later end and the more restrictive type.
     */
    public void pause(Purpose purpose, long endMs, Type type) {
        Event old = events.get(purpose);
        if (old != null) {
            type = old.type.compareTo(type) > 0 ? old.type : type;
            endMs = Math.max(old.endMs, endMs);
        }
        events.put(purpose, new Event(type, endMs));
        update();
    }

    /** Ends the pause of {@code purpose} (unpauseClients). */
    public void unpause(Purpose purpose) {
        if (events.remove(purpose) != null) {
            update();
        }
    }

    /** Whether any pause is in force (checkClientPauseTimeoutAndReturnIfPaused), ending expired ones. */
    public boolean isPaused() {
        if (type != Type.OFF && endMs < node.now()) {
            update();
        }
        return type != Type.OFF;
    }

    /** Whether a command with these traits must be postponed now: every command, or writes only. */
    public boolean postpones(boolean mayReplicate) {
        return isPaused() && (type == Type.ALL || mayReplicate);
    }

    /**
     * updateClientPauseTypeAndEndTime: drops expired pauses, takes the most restrictive type left and the
     * furthest end among its pauses; when that is less restrictive than before, the postponed clients run
     * again (some may be postponed anew).
     */
    private void update() {
        long now = node.now();
        Type old = type;
        events.values().removeIf(e -> e.endMs < now);
        Type newType = Type.OFF;
        for (Event e : events.values()) {
            if (e.type.compareTo(newType) > 0) {
                newType = e.type;
            }
        }
        long newEnd = 0;
        for (Event e : events.values()) {
            if (e.type == newType) {
                newEnd = Math.max(newEnd, e.endMs);
            }
        }
        type = newType;
        endMs = newEnd;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (type != Type.OFF) {
            // The pause ends on its own at its end time, one millisecond later since it is inclusive.
            timer = node.loop().schedule(this::update, Math.max(0, endMs - now) + 1, TimeUnit.MILLISECONDS);
        }
        if (type.compareTo(old) < 0) {
            for (Client c : blocked.blockedOn(BlockType.POSTPONE)) {
                blocked.unblock(c);
            }
        }
    }
}
