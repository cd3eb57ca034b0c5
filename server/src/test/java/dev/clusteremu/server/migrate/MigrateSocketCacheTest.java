package dev.clusteremu.server.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MIGRATE's connection cache: one per host:port as spelled, at most 64, closed after 10 s unused. */
class MigrateSocketCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MigrateSocketCache cache = new MigrateSocketCache(now::get);
    private ServerSocket server;
    private String port;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
        port = Integer.toString(server.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    @Test
    void theSameTargetGetsTheSameConnection() throws IOException {
        MigrateSocketCache.CachedSocket first = cache.get("127.0.0.1", port, 1000);
        assertSame(first, cache.get("127.0.0.1", port, 1000));
        // Spelled differently, the same server is another entry, as in Redis.
        assertNotSame(first, cache.get("localhost", port, 1000));
        assertEquals(2, cache.size());
        cache.close("127.0.0.1", port);
        assertNotSame(first, cache.get("127.0.0.1", port, 1000));
    }

    @Test
    void socketsUnusedForMoreThanTenSecondsAreClosed() throws IOException {
        cache.get("127.0.0.1", port, 1000);
        now.addAndGet(5_000);
        cache.get("localhost", port, 1000);
        now.addAndGet(6_000);
        cache.closeTimedOut();
        assertEquals(1, cache.size());
        now.addAndGet(5_000);
        cache.closeTimedOut();
        assertEquals(0, cache.size());
    }

    @Test
    void theCacheHoldsAtMost64Targets() throws IOException {
        // "07", "007", ... all name the same port to atoi, yet are distinct cache entries.
        for (int i = 0; i < MigrateSocketCache.MAX_ITEMS + 5; i++) {
            cache.get("127.0.0.1", "0".repeat(i) + port, 1000);
        }
        assertEquals(MigrateSocketCache.MAX_ITEMS, cache.size());
    }

    @Test
    void aNegativePortCannotBeConnected() {
        assertThrows(IOException.class, () -> cache.get("127.0.0.1", "-5", 1000));
        assertEquals(0, cache.size());
    }
}
