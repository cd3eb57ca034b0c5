package dev.clusteremu.server.pubsub;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.function.IntSupplier;

import dev.clusteremu.server.config.KeyspaceEvents;

/**
 * Keyspace notifications (notify.c): a change to a key is published as
 * {@code __keyspace@0__:<key> <event>} and/or {@code __keyevent@0__:<event> <key>} when
 * notify-keyspace-events enables the event's class and K and/or E. Cluster mode has only db 0.
 *
 * <p>Notifications reach this node's subscribers only: Redis publishes them locally
 * (pubsubPublishMessage), never over the cluster bus, since each node reports the changes to its own keys.
 *
 * <p>Call {@link #notify} where Redis calls notifyKeyspaceEvent, at the same point relative to the
 * command's reply: a RESP3 client subscribed to its own keys' events sees the push before or after the
 * reply as Redis orders them.
 */
public final class Notifications {
    private static final byte[] KEYSPACE_PREFIX = "__keyspace@0__:".getBytes(US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@0__:".getBytes(US_ASCII);

    private final IntSupplier enabledClasses;
    private final PubSub pubsub;

    /**
     * Notifications enabled by {@code enabledClasses} (the notify-keyspace-events bits of
     * {@link KeyspaceEvents}, read at each event so CONFIG SET applies at once), published on
     * {@code pubsub}.
     */
    public Notifications(IntSupplier enabledClasses, PubSub pubsub) {
        this.enabledClasses = enabledClasses;
        this.pubsub = pubsub;
    }

    /**
     * Publishes that {@code event} (e.g. "set", "del", "expire") of class {@code type} (one of
     * {@link KeyspaceEvents}' class bits: GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM,
     * KEY_MISS, NEW...) happened to {@code key}, if notify-keyspace-events enables that class
     * (notifyKeyspaceEvent).
     */
    public void notify(int type, String event, byte[] key) {
        int flags = enabledClasses.getAsInt();
        if ((flags & type) == 0 || !pubsub.hasGlobalSubscribers()) {
            return;
        }
        byte[] eventName = event.getBytes(US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            pubsub.publish(concat(KEYSPACE_PREFIX, key), eventName, false);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            pubsub.publish(concat(KEYEVENT_PREFIX, eventName), key, false);
        }
    }

    private static byte[] concat(byte[] prefix, byte[] name) {
        byte[] out = new byte[prefix.length + name.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(name, 0, out, prefix.length, name.length);
        return out;
    }
}
