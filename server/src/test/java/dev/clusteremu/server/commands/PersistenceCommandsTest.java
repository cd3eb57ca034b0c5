package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * SAVE, BGSAVE, LASTSAVE and the dump file: written where the node keeps its nodes.conf, accepted by
 * redis-check-rdb, loaded again when the node restarts (keys that expired meanwhile dropped, slots of keys
 * nobody serves claimed), and not written at all by a node without a directory.
 */
class PersistenceCommandsTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 7916;
    private static final int LAST_PORT = 7925;
    private static final Path REDIS_CHECK_RDB = Path.of("/usr/bin/redis-check-rdb");

    @TempDir
    Path dir;

    private static List<Integer> freePorts(int n) {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, n);
    }

    /** One node owning every slot, keeping its files in {@link #dir}. */
    private EmulatedCluster singleNode(int port) throws Exception {
        EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).start();
        try (RespClient c = new RespClient(port)) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        }
        return cluster;
    }

    private static void awaitStateOk(int port) throws InterruptedException {
        try (RespClient c = new RespClient(port)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!c.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
                assertTrue(System.nanoTime() < deadline, "cluster_state:ok");
                Thread.sleep(20);
            }
        }
    }

    @Test
    void saveWritesADumpFileRedisCheckRdbAcceptsAndARestartLoadsIt() throws Exception {
        int port = freePorts(1).get(0);
        Path dump = dir.resolve("dump-" + port + ".rdb");
        long lastSave;
        long goneAt;
        try (EmulatedCluster cluster = singleNode(port); RespClient c = new RespClient(port)) {
            awaitStateOk(port);
            String name = "dump-" + port + ".rdb";
            assertEquals("$" + name.length() + "\r\n" + name + "\r\n",
                    c.call("CONFIG", "GET", "dbfilename").replaceFirst("^\\*2\r\n\\$10\r\ndbfilename\r\n", ""));
            for (int i = 0; i < 100; i++) {
                c.call("SET", "key:" + i, "value:" + i);
            }
            c.call("SET", "big", "x".repeat(10_000));
            c.call("INCR", "counter");
            c.call("SET", "expiring", "v", "EX", "1000");
            // Alive when SAVE writes it, expired when the restart loads it: far longer than the round trips
            // until SAVE on a loaded machine, and waited out before the restart.
            goneAt = System.currentTimeMillis() + 2000;
            c.call("SET", "gone", "v", "PXAT", Long.toString(goneAt));
            assertFalse(c.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n"));
            long beforeSave = System.currentTimeMillis() / 1000;
            assertEquals("+OK\r\n", c.call("SAVE"));
            assertTrue(Files.exists(dump));
            assertTrue(c.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n"));
            lastSave = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            // The second the SAVE ended, on the clock this test reads too.
            long afterLastSave = System.currentTimeMillis() / 1000;
            assertTrue(beforeSave <= lastSave && lastSave <= afterLastSave,
                    "LASTSAVE " + lastSave + " outside " + beforeSave + ".." + afterLastSave);
            assertTrue(c.call("MULTI").startsWith("+OK"));
            assertEquals("-ERR Command not allowed inside a transaction\r\n", c.call("SAVE"));
            c.call("DISCARD");
        }
        assertRedisCheckRdbAccepts(dump);
        Thread.sleep(Math.max(0, goneAt + 100 - System.currentTimeMillis()));
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).start();
                RespClient c = new RespClient(port)) {
            awaitStateOk(port);
            assertEquals(":103\r\n", c.call("DBSIZE"));
            assertEquals("$7\r\nvalue:7\r\n", c.call("GET", "key:7"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "counter"));
            assertTrue(c.call("TTL", "expiring").matches(":\\d{3}\r\n"));
            assertEquals("$-1\r\n", c.call("GET", "gone"));
            String info = c.call("INFO", "persistence");
            assertTrue(info.contains("rdb_last_load_keys_loaded:103\r\n"), info);
            assertTrue(info.contains("rdb_last_load_keys_expired:1\r\n"), info);
        }
    }

    @Test
    void bgsaveWritesInTheBackgroundAndMovesLastsave() throws Exception {
        int port = freePorts(1).get(0);
        Path dump = dir.resolve("dump-" + port + ".rdb");
        try (EmulatedCluster cluster = singleNode(port); RespClient c = new RespClient(port)) {
            awaitStateOk(port);
            c.call("SET", "a", "1");
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:0")) {
                assertTrue(System.nanoTime() < deadline, "BGSAVE ended");
                Thread.sleep(10);
            }
            assertTrue(Files.exists(dump));
            String info = c.call("INFO", "persistence");
            assertTrue(info.contains("rdb_last_bgsave_status:ok\r\n"), info);
            assertTrue(info.contains("rdb_saves:1\r\n"), info);
            assertEquals("-ERR syntax error\r\n", c.call("BGSAVE", "NOW"));
            c.call("MULTI");
            c.call("BGSAVE");
            assertEquals("*1\r\n+Background saving scheduled\r\n", c.call("EXEC"));
        }
        assertRedisCheckRdbAccepts(dump);
    }

    @Test
    void flushallWritesAnEmptyDumpSoARestartStartsEmpty() throws Exception {
        int port = freePorts(1).get(0);
        try (EmulatedCluster cluster = singleNode(port); RespClient c = new RespClient(port)) {
            awaitStateOk(port);
            c.call("SET", "a", "1");
            assertEquals("+OK\r\n", c.call("SAVE"));
            c.call("FLUSHALL");
        }
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).start();
                RespClient c = new RespClient(port)) {
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void keysOfSlotsNobodyServesAreClaimedWhenTheDumpIsLoaded() throws Exception {
        int port = freePorts(1).get(0);
        try (EmulatedCluster cluster = singleNode(port); RespClient c = new RespClient(port)) {
            awaitStateOk(port);
            c.call("SET", "{b}k", "v");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        // A fresh cluster config: the node knows no slot, but holds a key of slot 3300.
        Files.delete(dir.resolve("nodes-" + port + ".conf"));
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).start();
                RespClient c = new RespClient(port)) {
            assertEquals(":1\r\n", c.call("DBSIZE"));
            String nodes = c.call("CLUSTER", "NODES");
            assertTrue(nodes.contains("myself,master - 0 0 0 connected 3300"), nodes);
        }
    }

    @Test
    void stopAndShutdownWriteTheFinalSnapshotTheSavePointsCallForUnlessNosave() throws Exception {
        int port = freePorts(1).get(0);
        try (EmulatedCluster cluster = singleNode(port)) {
            awaitStateOk(port);
            try (RespClient c = new RespClient(port)) {
                c.call("SET", "kept", "1");
            }
            // A test's stop is SIGTERM: with save points set, redis-server writes its dump file first.
            cluster.node(0).stop();
            cluster.node(0).start();
            awaitStateOk(port);
            try (RespClient c = new RespClient(port)) {
                assertEquals("$1\r\n1\r\n", c.call("GET", "kept"));
                c.call("SET", "after-nosave", "1");
                c.send("SHUTDOWN", "NOSAVE");
                assertTrue(c.closedByServer());
            }
            cluster.node(0).start();
            awaitStateOk(port);
            try (RespClient c = new RespClient(port)) {
                assertEquals("$-1\r\n", c.call("GET", "after-nosave"));
                c.call("SET", "after-shutdown", "1");
                c.send("SHUTDOWN");
                assertTrue(c.closedByServer());
            }
            cluster.node(0).start();
            awaitStateOk(port);
            try (RespClient c = new RespClient(port)) {
                assertEquals("$1\r\n1\r\n", c.call("GET", "after-shutdown"));
            }
        }
    }

    @Test
    void aNodeWithoutDirectoryKeepsNoFile() throws Exception {
        int port = freePorts(1).get(0);
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).start();
                RespClient c = new RespClient(port)) {
            c.call("SET", "a", "1");
            assertEquals("+OK\r\n", c.call("SAVE"));
            assertEquals("$8\r\ndump.rdb\r\n", c.call("CONFIG", "GET", "dbfilename")
                    .replaceFirst("^\\*2\r\n\\$10\r\ndbfilename\r\n", ""));
            assertFalse(Files.exists(Path.of(System.getProperty("user.dir"), "dump.rdb")));
        }
    }

    private static void assertRedisCheckRdbAccepts(Path file) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_CHECK_RDB), "needs /usr/bin/redis-check-rdb (Redis 7.0)");
        Process check = new ProcessBuilder(REDIS_CHECK_RDB.toString(), file.toString()).redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, check.waitFor(), output);
        assertTrue(output.contains("RDB looks OK!"), output);
    }
}
