package dev.clusteremu.server.multi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import dev.clusteremu.server.keyspace.Dict;
import dev.clusteremu.server.keyspace.DictEntry;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.net.Client;

/**
 * WATCH (the optimistic locking half of multi.c): which clients watch which keys, and the invalidation
 * that makes their EXEC fail. Any change to a watched key, by any client, by expiry, by eviction or by our
 * master's stream, marks every client watching it dirty (CLIENT_DIRTY_CAS), and so does a flush that drops
 * it; EXEC then answers a null array.
 *
 * <p>A key that was already logically expired when watched is remembered as such: its deletion by expiry
 * changes nothing logically and doesn't dirty the client, but its becoming expired after WATCH does (EXEC
 * checks that). Owned by the node's loop.
 */
public final class WatchedKeys {
    /** One client watching one key (watchedKey). */
    static final class Watch {
        final Client client;
        final byte[] key;
        /** The key was logically expired when watched. */
        boolean expired;

        Watch(Client client, byte[] key, boolean expired) {
            this.client = client;
            this.key = key;
            this.expired = expired;
        }
    }

    /** The clients watching one key, in WATCH order (a value of db->watched_keys). */
    private static final class Watchers extends DictEntry {
        final List<Watch> watches = new ArrayList<>();

        Watchers(byte[] key) {
            super(key);
        }
    }

    private final Keyspace keyspace;
    private final LongSupplier clock;
    private final Dict<Watchers> byKey = new Dict<>();

    public WatchedKeys(Keyspace keyspace, LongSupplier clock) {
        this.keyspace = keyspace;
        this.clock = clock;
    }

    /** watchForKey: {@code c} watches {@code key}, once however often it asks. */
    public void watch(Client c, byte[] key) {
        MultiState state = c.multi();
        for (Watch w : state.watched) {
            if (Arrays.equals(w.key, key)) {
                return;
            }
        }
        int hash = Dict.hash(key);
        Watchers watchers = byKey.find(key, hash);
        if (watchers == null) {
            watchers = new Watchers(key);
            byKey.add(watchers);
        }
        Watch w = new Watch(c, key, isExpired(key));
        watchers.watches.add(w);
        state.watched.add(w);
    }

    /** unwatchAllKeys: {@code c} watches nothing any more; its dirty flag is the caller's to clear. */
    public void unwatchAll(Client c) {
        MultiState state = c.multi();
        for (Watch w : state.watched) {
            int hash = Dict.hash(w.key);
            Watchers watchers = byKey.find(w.key, hash);
            watchers.watches.remove(w);
            if (watchers.watches.isEmpty()) {
                byKey.unlink(w.key, hash);
            }
        }
        state.watched.clear();
        byKey.shrinkIfNeeded();
    }

    /** discardTransaction: leaves MULTI, forgets the queue and both dirty flags, and unwatches everything. */
    public void discard(Client c) {
        c.multi().reset();
        unwatchAll(c);
    }

    /** UNWATCH: unwatches everything and forgets that a watched key was touched. */
    public void unwatch(Client c) {
        unwatchAll(c);
        c.multi().setDirtyCas(false);
    }

    /**
     * touchWatchedKey: {@code key} changed; every client watching it becomes dirty and, since its EXEC is
     * now bound to fail, stops watching. A watch taken on an already expired key is spared when the change
     * is that key's deletion.
     */
    public void touch(byte[] key) {
        if (byKey.size() == 0) {
            return;
        }
        Watchers watchers = byKey.find(key, Dict.hash(key));
        if (watchers == null) {
            return;
        }
        for (Watch w : new ArrayList<>(watchers.watches)) {
            if (w.expired) {
                if (keyspace.peekIncludingExpired(key) == null) {
                    w.expired = false;
                    continue;
                }
                // Redis 7.0 stops looking at this key's watchers here (a break in touchWatchedKey).
                break;
            }
            w.client.multi().setDirtyCas(true);
            unwatchAll(w.client);
        }
    }

    /**
     * touchAllWatchedKeysInDb, before a flush: every client watching a key that exists (expired or not) is
     * dirty, except that a watch on an already expired key just forgets it was expired.
     */
    public void touchAllBeforeFlush() {
        if (byKey.size() == 0) {
            return;
        }
        List<Watchers> all = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = byKey.scan(cursor, all::add);
        } while (cursor != 0);
        for (Watchers watchers : all) {
            if (keyspace.peekIncludingExpired(watchers.key()) == null) {
                continue;
            }
            for (Watch w : watchers.watches) {
                if (w.expired) {
                    w.expired = false;
                    continue;
                }
                w.client.multi().setDirtyCas(true);
            }
        }
    }

    /**
     * EXEC's isWatchedKeyExpired check: a key {@code c} watches expired since it was watched, which counts
     * as a change even if nothing deleted it yet; the client becomes dirty.
     */
    public void flagIfWatchedKeyExpired(Client c) {
        for (Watch w : c.multi().watched) {
            if (!w.expired && isExpired(w.key)) {
                c.multi().setDirtyCas(true);
                return;
            }
        }
    }

    /** keyIsExpired: the key has an expire in the past, whatever the node's role. */
    private boolean isExpired(byte[] key) {
        long when = keyspace.getExpire(key);
        return when >= 0 && clock.getAsLong() > when;
    }
}
