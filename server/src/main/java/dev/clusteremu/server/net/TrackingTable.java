package dev.clusteremu.server.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.keyspace.Dict;
import dev.clusteremu.server.keyspace.DictEntry;

/**
 * Server-assisted client-side caching (tracking.c). In the default mode the node remembers, per key, the
 * ids of the tracking clients that read it, and when the key changes it sends each of them one
 * invalidation push and forgets them. In BCAST mode clients subscribe to key prefixes instead, and every
 * key changed under a prefix during an event loop iteration is sent to them in one push, from beforeSleep.
 *
 * <p>Invalidations are RESP3 pushes {@code >2 "invalidate" [key]} ({@code [null]} after a flush, meaning
 * every key). A RESP2 client can only receive them through REDIRECT to another connection: a RESP3 one
 * gets the push; a RESP2 one in pub/sub mode would get them as messages of __redis__:invalidate, which
 * needs the pub/sub side and is not sent here. Keys a client invalidates itself while its command runs
 * are sent after that command's reply. Owned by the node's loop.
 */
public final class TrackingTable {
    /** The ids of the clients that may cache one key (a value of TrackingTable). */
    private static final class Trackers extends DictEntry {
        final Set<Long> ids = new LinkedHashSet<>();

        Trackers(byte[] key) {
            super(key);
        }
    }

    /** One BCAST prefix (bcastState): its clients, and the keys changed since the last broadcast. */
    private static final class Broadcast {
        final Set<Client> clients = new LinkedHashSet<>();
        /** Changed key (as ISO-8859-1 text, sorted as a rax) to the client that changed it last. */
        final TreeMap<String, Client> keys = new TreeMap<>();
    }

    private final RedisNode node;
    private final Dict<Trackers> keys = new Dict<>();
    private long totalItems;
    private final TreeMap<String, Broadcast> prefixes = new TreeMap<>();
    private int trackingClients;
    /** Invalidations for the client whose command is running, sent once its reply is written; null = flush. */
    private final List<byte[]> pendingForCurrent = new ArrayList<>();
    private boolean pendingFlushForCurrent;

    public TrackingTable(RedisNode node) {
        this.node = node;
    }

    /** enableTracking: turns tracking on (or re-configures it) for {@code c}. */
    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
            List<byte[]> newPrefixes) {
        Tracking old = c.tracking();
        if (old == null) {
            trackingClients++;
        }
        List<byte[]> all = new ArrayList<>(old != null ? old.prefixes : List.of());
        if (bcast) {
            List<byte[]> wanted = newPrefixes.isEmpty() ? List.of(new byte[0]) : newPrefixes;
            for (byte[] p : wanted) {
                Broadcast b = prefixes.computeIfAbsent(text(p), k -> new Broadcast());
                if (b.clients.add(c)) {
                    all.add(p);
                }
            }
            all.sort(TrackingTable::compareBytes);
        }
        c.setTracking(new Tracking(redirect, bcast, optin, optout, noloop, all));
    }

    /** disableTracking: {@code c} leaves every prefix and stops tracking. */
    public void disable(Client c) {
        Tracking t = c.tracking();
        if (t == null) {
            return;
        }
        for (byte[] p : t.prefixes) {
            Broadcast b = prefixes.get(text(p));
            if (b != null) {
                b.clients.remove(c);
                if (b.clients.isEmpty()) {
                    prefixes.remove(text(p));
                }
            }
        }
        trackingClients--;
        c.setTracking(null);
    }

    /**
     * checkPrefixCollisionsOrReply: the error for a BCAST prefix that overlaps (one is a prefix of the
     * other) one the client has or another one given, or null.
     */
    public static String prefixCollision(Client c, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            if (c.tracking() != null) {
                for (byte[] existing : c.tracking().prefixes) {
                    if (overlaps(existing, given.get(i))) {
                        return "ERR Prefix '" + text(given.get(i)) + "' overlaps with an existing prefix '"
                                + text(existing) + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlaps(given.get(i), given.get(j))) {
                    return "ERR Prefix '" + text(given.get(i)) + "' overlaps with another provided prefix '"
                            + text(given.get(j)) + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlaps(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * trackingRememberKeys: after a read-only command of a tracking client (not in BCAST mode), it may
     * cache the keys it read, unless OPTIN without CACHING yes, or OPTOUT with CACHING no.
     */
    public void rememberKeys(Client c, byte[][] argv, int[] positions) {
        Tracking t = c.tracking();
        if ((t.optin && !t.caching) || (t.optout && t.caching)) {
            return;
        }
        for (int pos : positions) {
            byte[] key = argv[pos];
            int hash = Dict.hash(key);
            Trackers trackers = keys.find(key, hash);
            if (trackers == null) {
                trackers = new Trackers(key);
                keys.add(trackers);
            }
            if (trackers.ids.add(c.id())) {
                totalItems++;
            }
        }
    }

    /**
     * trackingInvalidateKey: {@code key} changed, by {@code modifier} (null for expiry or eviction). It is
     * queued for the BCAST prefixes that match it, and every client that may cache it is told and
     * forgotten.
     */
    public void invalidate(Client modifier, byte[] key) {
        if (trackingClients == 0 && keys.size() == 0) {
            return;
        }
        if (!prefixes.isEmpty()) {
            String k = text(key);
            for (Map.Entry<String, Broadcast> e : prefixes.entrySet()) {
                if (k.startsWith(e.getKey())) {
                    e.getValue().keys.put(k, modifier);
                    node.requestBeforeSleep();
                }
            }
        }
        int hash = Dict.hash(key);
        Trackers trackers = keys.find(key, hash);
        if (trackers == null) {
            return;
        }
        for (long id : trackers.ids) {
            Client target = node.clients().byId(id);
            if (target == null || target.tracking() == null || target.tracking().bcast) {
                continue;
            }
            if (target.tracking().noloop && target == node.currentClient()) {
                continue;
            }
            if (target == node.currentClient() && node.processor().isInCall()) {
                pendingForCurrent.add(key);
            } else {
                send(target, key);
            }
        }
        totalItems -= trackers.ids.size();
        keys.unlink(key, hash);
        keys.shrinkIfNeeded();
    }

    /**
     * trackingInvalidateKeysOnFlush: every tracking client is told that every key is invalid (a null
     * instead of a key array), and the table is emptied.
     */
    public void invalidateAllOnFlush() {
        if (trackingClients > 0) {
            for (Client c : node.clients().all()) {
                if (c.tracking() != null) {
                    if (c == node.currentClient()) {
                        pendingFlushForCurrent = true;
                    } else {
                        send(c, null);
                    }
                }
            }
        }
        keys.clear();
        totalItems = 0;
    }

    /** trackingHandlePendingKeyInvalidations: after the current client's command, its own invalidations. */
    public void sendPendingForCurrent() {
        Client current = node.currentClient();
        if (current != null && current.tracking() != null) {
            for (byte[] key : pendingForCurrent) {
                send(current, key);
            }
            if (pendingFlushForCurrent) {
                send(current, null);
            }
        }
        pendingForCurrent.clear();
        pendingFlushForCurrent = false;
    }

    /** trackingBroadcastInvalidationMessages (beforeSleep): each prefix's changed keys to its clients. */
    public void broadcast() {
        if (trackingClients == 0) {
            return;
        }
        for (Broadcast b : prefixes.values()) {
            if (b.keys.isEmpty()) {
                continue;
            }
            for (Client c : b.clients) {
                List<byte[]> changed = new ArrayList<>();
                for (Map.Entry<String, Client> e : b.keys.entrySet()) {
                    if (!(c.tracking().noloop && e.getValue() == c)) {
                        changed.add(e.getKey().getBytes(ISO_8859_1));
                    }
                }
                if (!changed.isEmpty()) {
                    sendKeys(c, changed);
                }
            }
            b.keys.clear();
        }
    }

    /** A connection closed: it stops tracking (its id stays in the table until the keys change). */
    public void clientClosed(Client c) {
        disable(c);
    }

    /** sendTrackingMessage for one key, or for every key ({@code key} null). */
    private void send(Client c, byte[] key) {
        sendKeys(c, key == null ? null : List.of(key));
    }

    private void sendKeys(Client c, List<byte[]> keyList) {
        Client target = c;
        Tracking t = c.tracking();
        if (t.redirect != 0) {
            target = node.clients().byId(t.redirect);
            if (target == null) {
                t.brokenRedirect = true;
                if (c.protocol() > 2) {
                    c.pushes().push(2).bulk("tracking-redir-broken").integer(t.redirect);
                    c.requestFlush();
                }
                return;
            }
        }
        if (target.protocol() < 3) {
            return;
        }
        target.pushes().push(2).bulk("invalidate");
        if (keyList == null) {
            target.pushes().nullBulk();
        } else {
            target.pushes().array(keyList.size());
            for (byte[] k : keyList) {
                target.pushes().bulk(k);
            }
        }
        target.requestFlush();
    }

    /** tracking_clients. */
    public int clients() {
        return trackingClients;
    }

    /** tracking_total_keys: keys some client may cache. */
    public long totalKeys() {
        return keys.size();
    }

    /** tracking_total_items: (key, client) pairs remembered. */
    public long totalItems() {
        return totalItems;
    }

    /** tracking_total_prefixes. */
    public long totalPrefixes() {
        return prefixes.size();
    }

    private static String text(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }
}
