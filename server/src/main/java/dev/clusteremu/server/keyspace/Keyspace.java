package dev.clusteremu.server.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.config.KeyspaceEvents;

/**
 * The node's only database (db 0: cluster mode has no other), as db.c, expire.c and the slot-to-keys index
 * of cluster.c keep it.
 *
 * <p>Layout: a {@link Dict} of {@link KeyEntry}s holds keys, values and expire times together. Each slot
 * has a doubly linked list threaded through its entries, newest first, so COUNTKEYSINSLOT is O(1) and
 * GETKEYSINSLOT O(count) (Redis 7.0's slots_to_keys). Two dense arrays index all keys and the keys with an
 * expire, so RANDOMKEY picks uniformly and the active expire cycle samples only keys that can expire.
 *
 * <p>Expiry follows Redis: a key is logically expired once the clock is past its expire time. Lookups
 * delete such keys as they meet them (expireIfNeeded); {@link #activeExpireCycle} reclaims the rest from a
 * timer. Until one of those runs, an expired key still counts in {@link #size()} and in the slot counts,
 * as it does in DBSIZE and COUNTKEYSINSLOT.
 *
 * <p>Who may delete an expired key depends on the node's role ({@link ExpiryMode}): a master deletes it and
 * tells its {@link #setExpiredKeyListener listener} (which propagates a DEL); a replica only hides it until
 * its master's DEL arrives; the master's own stream sees no key as expired.
 *
 * <p>Every change goes through {@link #setKey}, {@link #delete}, {@link #setExpire}, {@link #removeExpire}
 * and {@link #valueChangedInPlace} (and the expiry paths that call {@code delete}), the places where keyspace
 * notifications, WATCH invalidation and replication hook in. Each change a command makes counts in
 * {@link #dirty()} (server.dirty), by which the command processor knows a command changed the dataset
 * and must be propagated. Owned by the node's loop thread.
 */
public final class Keyspace {
    /** ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: keys with an expire sampled per round of the cycle. */
    private static final int EXPIRE_SAMPLE = 20;
    /**
     * ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE: the cycle stops once at most 10% of a sample was expired, as
     * the remaining expired keys are then too rare to be worth the CPU.
     */
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    /** The cycle checks its time budget every 16 rounds, as Redis does, to keep clock reads cheap. */
    private static final int ROUNDS_PER_TIME_CHECK = 16;
    private static final int INITIAL_DENSE = 16;
    /** OBJ_SHARED_INTEGERS. */
    private static final int SHARED_INTEGERS = 10000;

    private final LongSupplier clock;
    private final Dict<KeyEntry> dict = new Dict<>();
    private final KeyEntry[] slotHeads = new KeyEntry[KeySlot.SLOTS];
    private final int[] slotCounts = new int[KeySlot.SLOTS];
    /** Every key, in no particular order; entry.denseIndex is its position. */
    private KeyEntry[] allKeys = new KeyEntry[INITIAL_DENSE];
    /** The keys with an expire; entry.volatileIndex is its position. */
    private KeyEntry[] volatileKeys = new KeyEntry[INITIAL_DENSE];
    private int volatileCount;
    /** Where the next active expire cycle resumes in {@link #volatileKeys}. */
    private int expireCursor;
    private long expiredKeys;
    private long keyspaceHits;
    private long keyspaceMisses;
    /** server.dirty: changes made by commands since start. */
    private long dirty;
    private Supplier<ExpiryMode> expiryMode = () -> ExpiryMode.DELETE;
    /** keyIsExpired's "now": the clock, unless told otherwise (see {@link #setExpiryClock}). */
    private LongSupplier expiryClock;
    private Consumer<byte[]> expiredKeyListener = key -> { };

    private Notifier notifier = (type, event, key) -> { };

    /** Publishes a keyspace notification (notifyKeyspaceEvent): a {@link KeyspaceEvents} class, event, key. */
    @FunctionalInterface
    public interface Notifier {
        void notify(int type, String event, byte[] key);
    }

    private BiConsumer<byte[], ObjectType> readyKeyListener = (key, type) -> { };
    private ChangeListener changeListener = ChangeListener.NONE;
    private KeyAccess.Policy accessPolicy = KeyAccess.LRU;
    /**
     * The lru fields of the shared integers 0..9999 (shared.integers): a key holding one of them reads and
     * updates the shared object's field, as in Redis, where every key holding 42 shares one robj.
     */
    private final int[] sharedIntegerLru = new int[SHARED_INTEGERS];
    /** The sum of every key's {@link ObjectSize#keyUsage}. */
    private long datasetBytes;

    /**
     * Told of every change to a key (signalModifiedKey) and of every flush, just before the keys go
     * (signalFlushedDb): where WATCH and client-side caching invalidation hook in.
     */
    public interface ChangeListener {
        ChangeListener NONE = new ChangeListener() {
            @Override
            public void keyModified(byte[] key) {
            }

            @Override
            public void flushing() {
            }
        };

        /** {@code key} was written, deleted, expired or had its expire changed. */
        void keyModified(byte[] key);

        /** Every key is about to be dropped (FLUSHALL, FLUSHDB, a full sync, CLUSTER RESET). */
        void flushing();
    }

    /** A keyspace reading Unix time in milliseconds from {@code clock}. */
    public Keyspace(LongSupplier clock) {
        this.clock = clock;
        this.expiryClock = clock;
        // The shared integers are created at start, under the default policy: their field is an LRU clock.
        Arrays.fill(sharedIntegerLru, KeyAccess.lruClock(clock.getAsLong()));
    }

    /** Where lookups learn, at each expired key they meet, whether they may delete it. */
    public void setExpiryMode(Supplier<ExpiryMode> source) {
        this.expiryMode = source;
    }

    /**
     * The time lookups judge keys expired by (keyIsExpired's "now"), which Redis holds still while a
     * command or a script runs, so a key can't expire half-way through one. The active expire cycle
     * and the other uses of the clock are unaffected.
     */
    public void setExpiryClock(LongSupplier expiryClock) {
        this.expiryClock = expiryClock;
    }

    /**
     * Where the keyspace publishes the notifications db.c and expire.c raise themselves: "new" for a key
     * added, "keymiss" for a read of a missing key, "expired" for a key deleted because it expired.
     */
    public void setNotifier(Notifier notifier) {
        this.notifier = notifier;
    }

    /** Told of every key deleted because it expired, lazily or by the active cycle, after its deletion. */
    public void setExpiredKeyListener(Consumer<byte[]> listener) {
        this.expiredKeyListener = listener;
    }

    /** Where changes to keys are reported (WATCH, tracking). */
    public void setChangeListener(ChangeListener listener) {
        this.changeListener = listener;
    }

    /** How accesses are recorded in each key's lru field: LRU clock or LFU counter (maxmemory-policy). */
    public void setAccessPolicy(KeyAccess.Policy policy) {
        this.accessPolicy = policy;
    }

    /**
     * Told where db.c calls signalKeyAsReady, with a key and a type: every key added, with its value's type,
     * after the addition (dbAdd: a list wakes BLPOP, a stream created by RESTORE wakes XREAD); and every
     * stream overwritten by another value or deleted, expiry included, with STREAM (dbOverwrite,
     * dbGenericDelete: XREADGROUP clients must learn that their group went). Overwriting a value that is
     * not a stream does not count, whatever the new value.
     */
    public void setReadyKeyListener(BiConsumer<byte[], ObjectType> listener) {
        this.readyKeyListener = listener;
    }

    /**
     * How many changes commands have made so far (server.dirty): a command whose run moved it changed the
     * dataset. Expiry deletions do not count; they are reported to the expired key listener instead.
     */
    public long dirty() {
        return dirty;
    }

    // ---------------------------------------------------------------------------------------------------
    // Sizes and the slot index
    // ---------------------------------------------------------------------------------------------------

    /** The number of keys, logically expired ones not yet reclaimed included (DBSIZE). */
    public long size() {
        return dict.size();
    }

    /** The number of keys with an expire set (INFO keyspace expires=). */
    public long expiresCount() {
        return volatileCount;
    }

    /** The number of keys in {@code slot} (countKeysInSlot); O(1). */
    public long countKeysInSlot(int slot) {
        return slotCounts[slot];
    }

    /** Up to {@code max} keys of {@code slot}, most recently added first (getKeysInSlot); O(max). */
    public List<byte[]> keysInSlot(int slot, int max) {
        List<byte[]> out = new ArrayList<>(Math.min(max, slotCounts[slot]));
        for (KeyEntry e = slotHeads[slot]; e != null && out.size() < max; e = e.nextInSlot) {
            out.add(e.key);
        }
        return out;
    }

    /** Deletes every key of {@code slot} (delKeysInSlot) and returns how many there were. */
    public int deleteKeysInSlot(int slot) {
        int deleted = 0;
        while (slotHeads[slot] != null) {
            delete(slotHeads[slot]);
            deleted++;
        }
        return deleted;
    }

    /**
     * Drops every key (emptyData). Not counted as a change: FLUSHALL and FLUSHDB propagate whatever they
     * flushed, and the other callers (a full sync, CLUSTER RESET) must not propagate at all.
     */
    public void clear() {
        changeListener.flushing();
        datasetBytes = 0;
        dict.clear();
        Arrays.fill(slotHeads, null);
        Arrays.fill(slotCounts, 0);
        allKeys = new KeyEntry[INITIAL_DENSE];
        volatileKeys = new KeyEntry[INITIAL_DENSE];
        volatileCount = 0;
        expireCursor = 0;
    }

    // ---------------------------------------------------------------------------------------------------
    // Lookups
    // ---------------------------------------------------------------------------------------------------

    /**
     * The value of {@code key} for a command that reads it (lookupKeyRead), or null: deletes the key if it
     * is logically expired and counts a keyspace hit or miss; a miss is a "keymiss" notification.
     */
    public RedisObject lookupRead(byte[] key) {
        KeyEntry e = live(key, false);
        if (e == null) {
            notifier.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
            keyspaceMisses++;
            return null;
        }
        keyspaceHits++;
        touch(e);
        return e.value;
    }

    /**
     * lookupKeyRead with LOOKUP_NOTOUCH (EXISTS, TYPE, TTL, SCAN's TYPE filter): expires, counts and
     * notifies like {@link #lookupRead} but leaves the key's access data alone.
     */
    public RedisObject lookupReadNoTouch(byte[] key) {
        return lookupReadNoTouch(key, true);
    }

    /**
     * lookupKeyRead with LOOKUP_NOTOUCH and LOOKUP_NONOTIFY (OBJECT's lookup): as {@link
     * #lookupReadNoTouch(byte[])}, but a miss is no "keymiss" notification, so that looking at a key's
     * internals changes nothing a subscriber could see.
     */
    public RedisObject lookupObject(byte[] key) {
        return lookupReadNoTouch(key, false);
    }

    private RedisObject lookupReadNoTouch(byte[] key, boolean notifyMiss) {
        KeyEntry e = live(key, false);
        if (e == null) {
            if (notifyMiss) {
                notifier.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
            }
            keyspaceMisses++;
            return null;
        }
        keyspaceHits++;
        return e.value;
    }

    /**
     * The value of {@code key} for a command that may write it (lookupKeyWrite), or null: deletes the key
     * if it is logically expired (even on a replica, which only writes when it is writable); no hit/miss
     * statistics.
     */
    public RedisObject lookupWrite(byte[] key) {
        KeyEntry e = live(key, true);
        if (e == null) {
            return null;
        }
        touch(e);
        return e.value;
    }

    /** Records an access in the key's lru field (lookupKey unless LOOKUP_NOTOUCH). */
    private void touch(KeyEntry e) {
        setAccessField(e, KeyAccess.accessed(accessField(e), accessPolicy, clock.getAsLong()));
    }

    /** Whether the key is present and not logically expired. Never deletes, never counts. */
    public boolean existsNoSideEffects(byte[] key) {
        return peek(key) != null;
    }

    /**
     * Says whether {@code key} is logically expired, deleting it if the expiry mode allows (expireIfNeeded);
     * false for a missing key.
     */
    public boolean expireIfNeeded(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        return e != null && expireIfNeeded(e, false);
    }

    /**
     * The value of {@code key} if it is present and not logically expired, else null. Never deletes, never
     * counts: for callers that only look (routing, introspection).
     */
    public RedisObject peek(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        return e == null || isLogicallyExpired(e, expiryClock.getAsLong()) ? null : e.value;
    }

    /** The value even if logically expired, without side effects: what DEBUG commands look at. */
    public RedisObject peekIncludingExpired(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        return e == null ? null : e.value;
    }

    /** Every stored key, logically expired ones included (DEBUG DIGEST walks the dict as is). */
    public void forEachStoredKey(Consumer<byte[]> fn) {
        int n = dict.size();
        for (int i = 0; i < n; i++) {
            fn.accept(allKeys[i].key);
        }
    }

    /**
     * The expire time of {@code key} in Unix milliseconds, or -1 when it has none or does not exist
     * (getExpire). No side effects: an expired key reports its past time.
     */
    public long getExpire(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        return e == null ? KeyEntry.NO_EXPIRE : e.expireAt;
    }

    /** The entry of a key that is not logically expired, deleting it if it is and may be (lookupKey). */
    private KeyEntry live(byte[] key, boolean forWrite) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        return e != null && expireIfNeeded(e, forWrite) ? null : e;
    }

    /**
     * expireIfNeeded for an entry: whether it reads as missing. A master deletes it; a replica (or a paused
     * master) hides it without deleting, except for a write, which only a writable replica can run and which
     * must see the key gone (lookupKey's force_delete_expired); the master's stream sees nothing expired.
     */
    private boolean expireIfNeeded(KeyEntry e, boolean forWrite) {
        if (!isPastExpire(e, expiryClock.getAsLong())) {
            return false;
        }
        ExpiryMode mode = expiryMode.get();
        if (mode == ExpiryMode.IGNORE) {
            return false;
        }
        if (mode == ExpiryMode.DELETE || forWrite) {
            expire(e);
        }
        return true;
    }

    /** keyIsExpired under the current mode: nothing is expired for the master's stream. */
    private boolean isLogicallyExpired(KeyEntry e, long now) {
        return isPastExpire(e, now) && expiryMode.get() != ExpiryMode.IGNORE;
    }

    /** A key expires once the time is strictly past its expire time. */
    private static boolean isPastExpire(KeyEntry e, long now) {
        return e.hasExpire() && now > e.expireAt;
    }

    // ---------------------------------------------------------------------------------------------------
    // Changes
    // ---------------------------------------------------------------------------------------------------

    /**
     * Stores {@code value} under {@code key} (setKey): adds the key or overwrites its value in place. The
     * key's expire is removed unless {@code keepTtl} (SET KEEPTTL, and the commands that modify a value
     * rather than replace it: dbOverwrite). A logically expired key is reclaimed first, so it never lends
     * its stale expire to the new value. The key array is kept, not copied. A key added is a "new"
     * notification (dbAdd).
     */
    public void setKey(byte[] key, RedisObject value, boolean keepTtl) {
        if (store(key, value, keepTtl)) {
            notifier.notify(KeyspaceEvents.NEW, "new", key);
        }
    }

    /** setKey without its notification; returns whether the key was added. */
    private boolean store(byte[] key, RedisObject value, boolean keepTtl) {
        dirty++;
        KeyEntry e = live(key, true);
        if (e == null) {
            e = new KeyEntry(key, value);
            e.lru = KeyAccess.initial(accessPolicy, clock.getAsLong());
            add(e);
            measure(e);
            changeListener.keyModified(key);
            readyKeyListener.accept(key, value.type());
            return true;
        }
        boolean wasStream = e.value instanceof StreamValue;
        e.value = value;
        // dbOverwrite: an LFU counter survives the new value; an LRU clock is the new object's.
        if (!accessPolicy.lfu()) {
            e.lru = KeyAccess.initial(accessPolicy, clock.getAsLong());
        }
        if (!keepTtl) {
            removeExpire(e);
        }
        measure(e);
        changeListener.keyModified(key);
        if (wasStream) {
            readyKeyListener.accept(key, ObjectType.STREAM);
        }
        return false;
    }

    /**
     * Adds a key read from an RDB (dbAddRDBLoad, then setExpire): as loading, not a change made by a
     * command, it raises no notification. {@code expireAtMs} is -1 for none.
     */
    public void loadKey(byte[] key, RedisObject value, long expireAtMs) {
        store(key, value, false);
        if (expireAtMs != KeyEntry.NO_EXPIRE) {
            setExpire(key, expireAtMs);
        }
    }

    /** Recomputes the key's memory figure and the dataset's total. */
    private void measure(KeyEntry e) {
        datasetBytes -= e.memory;
        e.memory = ObjectSize.keyUsage(e.key, e.value);
        datasetBytes += e.memory;
    }

    /** Deletes {@code key} (dbDelete); returns whether it existed (expired or not). */
    public boolean delete(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e == null) {
            return false;
        }
        dirty++;
        delete(e);
        changeListener.keyModified(key);
        return true;
    }

    /**
     * The value stored under {@code key} was changed in place (APPEND, SETRANGE on an unshared string): a
     * change like any other for propagation (signalModifiedKey and server.dirty++).
     */
    public void valueChangedInPlace(byte[] key) {
        dirty++;
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e != null) {
            measure(e);
        }
        changeListener.keyModified(key);
    }

    /**
     * Tells WATCH and tracking that {@code key} was touched by a write that changed nothing (signalModifiedKey
     * without server.dirty: LTRIM within the list's bounds).
     */
    public void signalModifiedKey(byte[] key) {
        changeListener.keyModified(key);
    }

    /**
     * Sets the expire of an existing key to {@code whenMs}, Unix time in milliseconds (setExpire).
     *
     * @throws IllegalStateException when the key does not exist, as Redis asserts
     */
    public void setExpire(byte[] key, long whenMs) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e == null) {
            throw new IllegalStateException("setExpire on a missing key");
        }
        dirty++;
        if (!e.hasExpire()) {
            if (volatileCount == volatileKeys.length) {
                volatileKeys = Arrays.copyOf(volatileKeys, volatileCount * 2);
            }
            e.volatileIndex = volatileCount;
            volatileKeys[volatileCount++] = e;
        }
        e.expireAt = whenMs;
        changeListener.keyModified(key);
    }

    /** Removes the expire of {@code key} (removeExpire); returns whether it had one. */
    public boolean removeExpire(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e == null || !removeExpire(e)) {
            return false;
        }
        dirty++;
        changeListener.keyModified(key);
        return true;
    }

    private boolean removeExpire(KeyEntry e) {
        if (!e.hasExpire()) {
            return false;
        }
        int last = --volatileCount;
        KeyEntry moved = volatileKeys[last];
        volatileKeys[e.volatileIndex] = moved;
        moved.volatileIndex = e.volatileIndex;
        volatileKeys[last] = null;
        e.volatileIndex = -1;
        e.expireAt = KeyEntry.NO_EXPIRE;
        if (volatileKeys.length > INITIAL_DENSE && volatileCount < volatileKeys.length / 4) {
            volatileKeys = Arrays.copyOf(volatileKeys, volatileKeys.length / 2);
        }
        return true;
    }

    private void add(KeyEntry e) {
        dict.add(e);
        KeyEntry head = slotHeads[e.slot];
        e.nextInSlot = head;
        if (head != null) {
            head.prevInSlot = e;
        }
        slotHeads[e.slot] = e;
        slotCounts[e.slot]++;
        int n = dict.size() - 1;
        if (n == allKeys.length) {
            allKeys = Arrays.copyOf(allKeys, n * 2);
        }
        e.denseIndex = n;
        allKeys[n] = e;
    }

    private void delete(KeyEntry e) {
        removeExpire(e);
        datasetBytes -= e.memory;
        dict.unlink(e.key, e.hash);
        if (e.prevInSlot != null) {
            e.prevInSlot.nextInSlot = e.nextInSlot;
        } else {
            slotHeads[e.slot] = e.nextInSlot;
        }
        if (e.nextInSlot != null) {
            e.nextInSlot.prevInSlot = e.prevInSlot;
        }
        e.prevInSlot = null;
        e.nextInSlot = null;
        slotCounts[e.slot]--;
        if (e.value instanceof StreamValue) {
            readyKeyListener.accept(e.key, ObjectType.STREAM);
        }
        int last = dict.size();
        KeyEntry moved = allKeys[last];
        allKeys[e.denseIndex] = moved;
        moved.denseIndex = e.denseIndex;
        allKeys[last] = null;
        if (allKeys.length > INITIAL_DENSE && last < allKeys.length / 4) {
            allKeys = Arrays.copyOf(allKeys, allKeys.length / 2);
        }
        dict.shrinkIfNeeded();
    }

    /** Deletes a key found logically expired and reports it (deleteExpiredKeyAndPropagate). */
    private void expire(KeyEntry e) {
        delete(e);
        expiredKeys++;
        notifier.notify(KeyspaceEvents.EXPIRED, "expired", e.key);
        changeListener.keyModified(e.key);
        expiredKeyListener.accept(e.key);
    }

    // ---------------------------------------------------------------------------------------------------
    // Whole-keyspace operations
    // ---------------------------------------------------------------------------------------------------

    /**
     * A key picked uniformly among the keys that are not logically expired, or null when there is none
     * (dbRandomKey). An expired key picked on the way is deleted if the mode allows, and the pick retried.
     * Where expired keys are only hidden (a replica) and every key has an expire, they may all be expired:
     * after 100 tries the last pick is returned even if expired, as Redis does, rather than loop forever.
     */
    public byte[] randomKey() {
        int triesLeft = 100;
        boolean allVolatile = dict.size() == volatileCount;
        while (dict.size() > 0) {
            KeyEntry e = allKeys[ThreadLocalRandom.current().nextInt(dict.size())];
            if (e.hasExpire()) {
                if (allVolatile && expiryMode.get() == ExpiryMode.HIDE && --triesLeft == 0) {
                    return e.key;
                }
                if (expireIfNeeded(e, false)) {
                    continue;
                }
            }
            return e.key;
        }
        return null;
    }

    /**
     * One step of a SCAN over the keys (dictScan): calls {@code fn} for each key of the bucket(s) at
     * {@code cursor}, expired or not, and returns the next cursor (0 when done). {@code fn} must not
     * change the keyspace; collect the keys and act on them afterwards.
     */
    public long scan(long cursor, Consumer<byte[]> fn) {
        return dict.scan(cursor, e -> fn.accept(e.key));
    }

    /**
     * Calls {@code fn} for every key that is not logically expired, without deleting any (KEYS: keyIsExpired
     * only). {@code fn} must not change the keyspace.
     */
    public void forEachLiveKey(Consumer<byte[]> fn) {
        long now = expiryClock.getAsLong();
        int n = dict.size();
        for (int i = 0; i < n; i++) {
            KeyEntry e = allKeys[i];
            if (!isLogicallyExpired(e, now)) {
                fn.accept(e.key);
            }
        }
    }

    /**
     * Calls {@code fn} for every key with its value and expire time (-1 for none), expired keys included,
     * as an RDB snapshot saves them. {@code fn} must not change the keyspace.
     */
    public void forEachEntry(EntryVisitor fn) {
        int n = dict.size();
        for (int i = 0; i < n; i++) {
            KeyEntry e = allKeys[i];
            fn.visit(e.key, e.value, e.expireAt);
        }
    }

    /** Receives one key of {@link #forEachEntry}. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] key, RedisObject value, long expireAtMs);
    }

    /**
     * The slow active expire cycle (activeExpireCycle): samples keys with an expire, 20 at a time, deleting
     * those logically expired, and goes on while more than 10% of a sample was expired and the time budget
     * lasts. Resumes where the previous cycle stopped, so every volatile key is checked in turn. Returns how
     * many keys it deleted. Meant to run from the node's timer (Redis: 10 times a second, 25 ms budget).
     */
    public int activeExpireCycle(long budgetMicros) {
        long deadline = System.nanoTime() + budgetMicros * 1000;
        long now = clock.getAsLong();
        int deleted = 0;
        int rounds = 0;
        while (volatileCount > 0) {
            int sampled = 0;
            int expired = 0;
            for (; sampled < EXPIRE_SAMPLE && sampled < volatileCount; sampled++) {
                if (expireCursor >= volatileCount) {
                    expireCursor = 0;
                }
                KeyEntry e = volatileKeys[expireCursor];
                if (isPastExpire(e, now)) {
                    // The last volatile key moves into this position: look at it next, without advancing.
                    expire(e);
                    expired++;
                } else {
                    expireCursor++;
                }
            }
            deleted += expired;
            if (expired * 100 <= sampled * ACCEPTABLE_STALE_PERCENT) {
                break;
            }
            if (++rounds % ROUNDS_PER_TIME_CHECK == 0 && System.nanoTime() >= deadline) {
                break;
            }
        }
        return deleted;
    }

    /**
     * Advances a resize of the key table for about {@code budgetMicros} (databasesCron's incremental
     * rehash; lookups also advance it a bucket at a time). Returns whether a resize is still in progress.
     */
    public boolean rehashFor(long budgetMicros) {
        return dict.rehashFor(budgetMicros);
    }

    // ---------------------------------------------------------------------------------------------------
    // Access data and memory (OBJECT, MEMORY USAGE, maxmemory)
    // ---------------------------------------------------------------------------------------------------

    /** OBJECT IDLETIME's reading for a present key: ms since its last access by the LRU clock. */
    public long idleMillis(byte[] key) {
        return KeyAccess.idleMillis(accessField(entry(key)), clock.getAsLong());
    }

    /** OBJECT FREQ's reading for a present key: its LFU counter, decayed to now (LFUDecrAndReturn). */
    public int frequency(byte[] key) {
        return KeyAccess.decayedCounter(accessField(entry(key)), accessPolicy, clock.getAsLong());
    }

    /**
     * Sets a present key's access data as RESTORE's IDLETIME or FREQ asks (objectSetLRUOrLFU): the frequency
     * under an LFU policy, the idle time otherwise; -1 means not given. Returns whether it set anything.
     */
    public boolean restoreAccess(byte[] key, int frequency, long idleSeconds) {
        KeyEntry e = entry(key);
        long now = clock.getAsLong();
        if (accessPolicy.lfu()) {
            if (frequency >= 0) {
                setAccessField(e, KeyAccess.withFrequency(frequency, now));
                return true;
            }
        } else if (idleSeconds >= 0) {
            setAccessField(e, KeyAccess.withIdleSeconds(idleSeconds, now));
            return true;
        }
        return false;
    }

    /** MEMORY USAGE of a present key (see {@link ObjectSize}). */
    public long memoryUsage(byte[] key) {
        return entry(key).memory;
    }

    /** The bytes the keys take by {@link ObjectSize}'s model: what eviction frees and INFO calls the dataset. */
    public long datasetBytes() {
        return datasetBytes;
    }

    /** The bytes of the main dict's bucket arrays (overhead.hashtable.main in MEMORY STATS). */
    public long hashtableBytes() {
        return dict.bucketBytes();
    }

    private KeyEntry entry(byte[] key) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e == null) {
            throw new IllegalStateException("no such key");
        }
        return e;
    }

    /**
     * A key picked uniformly among all keys, or among the keys with an expire when {@code volatileOnly},
     * logically expired ones included, or null when there is none (dictGetRandomKey on dict or expires).
     * No side effects: eviction sampling.
     */
    byte[] sampleKey(boolean volatileOnly) {
        int n = volatileOnly ? volatileCount : dict.size();
        if (n == 0) {
            return null;
        }
        int i = ThreadLocalRandom.current().nextInt(n);
        return volatileOnly ? volatileKeys[i].key : allKeys[i].key;
    }

    /** The raw lru field of a stored key, expired or not: for eviction sampling and DEBUG OBJECT. */
    public int accessField(byte[] key) {
        return accessField(entry(key));
    }

    /**
     * Whether the key's value is one of the shared integers (OBJECT REFCOUNT answers OBJ_SHARED_REFCOUNT):
     * an int-encoded 0..9999 while the policy lets values share objects.
     */
    public boolean isSharedObject(byte[] key) {
        return sharedInteger(entry(key).value) >= 0;
    }

    /** The shared integer {@code value} is, or -1. */
    private int sharedInteger(RedisObject value) {
        if (value instanceof StringValue s && s.isInt() && s.intValue() >= 0 && s.intValue() < SHARED_INTEGERS
                && accessPolicy.sharesIntegers()) {
            return (int) s.intValue();
        }
        return -1;
    }

    /** The lru field that holds this key's access data: its own, or its shared integer's. */
    private int accessField(KeyEntry e) {
        int shared = sharedInteger(e.value);
        return shared >= 0 ? sharedIntegerLru[shared] : e.lru;
    }

    private void setAccessField(KeyEntry e, int field) {
        int shared = sharedInteger(e.value);
        if (shared >= 0) {
            sharedIntegerLru[shared] = field;
        } else {
            e.lru = field;
        }
    }

    /** The access policy in force, for eviction. */
    KeyAccess.Policy accessPolicy() {
        return accessPolicy;
    }

    /** The current time of the keyspace's clock, in Unix milliseconds. */
    long now() {
        return clock.getAsLong();
    }

    /**
     * Deletes a key chosen by eviction (performEvictions): reported like any change, and to
     * {@code deletedListener} as expired keys are, so that replicas delete it too.
     */
    void evict(byte[] key, Consumer<byte[]> deletedListener) {
        KeyEntry e = dict.find(key, Dict.hash(key));
        if (e == null) {
            return;
        }
        delete(e);
        changeListener.keyModified(key);
        deletedListener.accept(key);
    }

    // ---------------------------------------------------------------------------------------------------
    // Statistics (INFO stats)
    // ---------------------------------------------------------------------------------------------------

    /** Keys deleted because they expired, lazily or by the active cycle (expired_keys). */
    /** CONFIG RESETSTAT: zeroes expired_keys, keyspace_hits and keyspace_misses. */
    public void resetStats() {
        expiredKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
    }

    public long expiredKeys() {
        return expiredKeys;
    }

    /** Successful reads of a key (keyspace_hits). */
    public long keyspaceHits() {
        return keyspaceHits;
    }

    /** Reads of a missing key (keyspace_misses). */
    public long keyspaceMisses() {
        return keyspaceMisses;
    }
}
