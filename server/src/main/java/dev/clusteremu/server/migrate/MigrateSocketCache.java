package dev.clusteremu.server.migrate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.clusteremu.server.RedisNode;

/**
 * The connections MIGRATE keeps open to its targets (server.migrate_cached_sockets): one per "host:port"
 * as the command spelled them, reused by the next MIGRATE to the same target, closed after 10 s unused.
 * A reshard moves a slot with one MIGRATE per batch of keys, so the cache saves a connect per batch.
 * Owned by the node's loop thread.
 */
public final class MigrateSocketCache {
    /** MIGRATE_SOCKET_CACHE_ITEMS: at most 64 targets; one at random is dropped to make room. */
    static final int MAX_ITEMS = 64;
    /** MIGRATE_SOCKET_CACHE_TTL: a socket unused for more than 10 seconds is closed by the cron. */
    static final long TTL_SECONDS = 10;

    private static final Map<RedisNode, MigrateSocketCache> BY_NODE = new ConcurrentHashMap<>();

    private final LongSupplier clock;
    private final Map<String, CachedSocket> sockets = new HashMap<>();

    /** One cached connection and what MIGRATE remembers about it. */
    static final class CachedSocket {
        final SyncConnection conn;
        /** The db the target has selected on this connection, or -1 when unknown (SELECT is then sent). */
        long lastDbId = -1;
        long lastUseTime;

        private CachedSocket(SyncConnection conn, long now) {
            this.conn = conn;
            this.lastUseTime = now;
        }
    }

    /** A cache reading Unix time in milliseconds from {@code clock}. */
    MigrateSocketCache(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * The cache of {@code node}, created on its first MIGRATE. Its 1-second cron (migrateCloseTimedoutSockets,
     * which Redis runs from serverCron) runs on the node's loop; when the node stops, every socket closes.
     * Call from the node's loop.
     */
    public static MigrateSocketCache of(RedisNode node) {
        MigrateSocketCache cache = BY_NODE.get(node);
        if (cache == null) {
            cache = new MigrateSocketCache(node::now);
            BY_NODE.put(node, cache);
            MigrateSocketCache created = cache;
            ScheduledFuture<?> cron = node.loop().scheduleAtFixedRate(created::closeTimedOut, 1, 1, TimeUnit.SECONDS);
            node.terminated().whenComplete((done, failure) -> {
                cron.cancel(false);
                BY_NODE.remove(node);
                try {
                    node.loop().execute(created::closeAll);
                } catch (RejectedExecutionException loopGone) {
                    created.closeAll();
                }
            });
        }
        return cache;
    }

    /**
     * The connection to {@code host:port} (migrateGetSocket): the cached one, its use time refreshed, or a
     * new one connected within {@code timeoutMs} and cached.
     *
     * @throws IOException when the connection cannot even be started (an unresolvable host, a negative
     *     port): MIGRATE's "error or timeout connecting to the client"
     */
    CachedSocket get(String host, String port, long timeoutMs) throws IOException {
        String name = host + ":" + port;
        long now = unixTime();
        CachedSocket cs = sockets.get(name);
        if (cs != null) {
            cs.lastUseTime = now;
            return cs;
        }
        if (sockets.size() == MAX_ITEMS) {
            List<String> names = new ArrayList<>(sockets.keySet());
            sockets.remove(names.get(ThreadLocalRandom.current().nextInt(names.size()))).conn.close();
        }
        int portNumber = atoi(port);
        if (portNumber < 0) {
            // getaddrinfo refuses a negative service number.
            throw new IOException("invalid port " + port);
        }
        // getaddrinfo takes the decimal service as a 16-bit port, so 70000 is 4464.
        cs = new CachedSocket(SyncConnection.open(host, portNumber & 0xFFFF, timeoutMs), now);
        sockets.put(name, cs);
        return cs;
    }

    /** Closes and forgets the connection to {@code host:port}, if any (migrateCloseSocket). */
    void close(String host, String port) {
        CachedSocket cs = sockets.remove(host + ":" + port);
        if (cs != null) {
            cs.conn.close();
        }
    }

    /** Closes the sockets unused for more than {@link #TTL_SECONDS} (migrateCloseTimedoutSockets). */
    void closeTimedOut() {
        long now = unixTime();
        sockets.values().removeIf(cs -> {
            if (now - cs.lastUseTime > TTL_SECONDS) {
                cs.conn.close();
                return true;
            }
            return false;
        });
    }

    /** How many connections are cached. */
    int size() {
        return sockets.size();
    }

    private void closeAll() {
        sockets.values().forEach(cs -> cs.conn.close());
        sockets.clear();
    }

    /** server.unixtime: the cache ages sockets in whole seconds. */
    private long unixTime() {
        return clock.getAsLong() / 1000;
    }

    /** C's atoi: optional blanks and sign, then the leading digits; 0 when there are none. */
    private static int atoi(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && n <= Integer.MAX_VALUE) {
            n = n * 10 + (s.charAt(i) - '0');
            i++;
        }
        return (int) (negative ? -n : n);
    }
}
