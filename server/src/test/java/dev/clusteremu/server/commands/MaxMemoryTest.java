package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * maxmemory on a node: used_memory is the node's estimate (startup memory plus each key's MEMORY USAGE plus
 * the key table), keys are evicted by the policy to stay under the limit, and writes are refused with OOM
 * when nothing can be evicted.
 */
class MaxMemoryTest {
    private static final int FIRST_PORT = 7926;
    private static final int LAST_PORT = 7930;
    private static EmulatedCluster cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        for (int p = FIRST_PORT; p <= LAST_PORT && port == 0; p++) {
            if (TestPorts.isFree(p) && TestPorts.isFree(p + 10000)) {
                port = p;
            }
        }
        cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).start();
        try (RespClient c = new RespClient(port)) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!c.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
                assertTrue(System.nanoTime() < deadline);
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void reset() {
        try (RespClient c = new RespClient(port)) {
            c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
            c.call("FLUSHALL");
            c.call("CONFIG", "RESETSTAT");
        }
    }

    private static long info(RespClient c, String field) {
        for (String line : c.call("INFO", "everything").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field);
    }

    private static long integer(String reply) {
        return Long.parseLong(reply.substring(1).trim());
    }

    @Test
    void usedMemoryGrowsByEachKeysMemoryUsage() {
        try (RespClient c = new RespClient(port)) {
            // An empty node uses what an empty redis-server cluster node reports at startup.
            long empty = info(c, "used_memory");
            assertEquals(1_600_048, empty);
            assertEquals(empty, info(c, "used_memory_startup"));
            c.call("SET", "a", "x".repeat(1000));
            long usage = integer(c.call("MEMORY", "USAGE", "a"));
            assertEquals(1088, usage);
            // The key's bytes, and the main dict's first table of 4 buckets of 8 bytes.
            assertEquals(empty + usage + 32, info(c, "used_memory"));
            c.call("DEL", "a");
            assertEquals(empty + 32, info(c, "used_memory"));
        }
    }

    @Test
    void allkeysLruKeepsUsedMemoryUnderTheLimit() {
        try (RespClient c = new RespClient(port)) {
            long limit = info(c, "used_memory") + 100_000;
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", Long.toString(limit), "maxmemory-policy",
                    "allkeys-lru"));
            for (int i = 0; i < 500; i++) {
                assertEquals("+OK\r\n", c.call("SET", "key:" + i, "x".repeat(1000)));
            }
            assertTrue(info(c, "used_memory") <= limit);
            long evicted = info(c, "evicted_keys");
            long keys = integer(c.call("DBSIZE"));
            assertTrue(evicted > 300 && keys > 50, "evicted " + evicted + ", kept " + keys);
            assertEquals(500, evicted + keys);
            // The newest keys survive.
            assertEquals("$1000\r\n" + "x".repeat(1000) + "\r\n", c.call("GET", "key:499"));
            assertTrue(c.call("INFO", "memory").contains("maxmemory_policy:allkeys-lru\r\n"));
        }
    }

    @Test
    void volatileLruEvictsOnlyKeysWithAnExpireThenRefusesWrites() {
        try (RespClient c = new RespClient(port)) {
            for (int i = 0; i < 20; i++) {
                c.call("SET", "volatile:" + i, "x".repeat(1000), "EX", "1000");
                c.call("SET", "persistent:" + i, "x".repeat(1000));
            }
            long limit = info(c, "used_memory") - 5_000;
            c.call("CONFIG", "SET", "maxmemory-policy", "volatile-lru", "maxmemory", Long.toString(limit));
            assertEquals("+OK\r\n", c.call("SET", "persistent:new", "y"));
            assertTrue(info(c, "evicted_keys") >= 5);
            c.call("CONFIG", "SET", "maxmemory", Long.toString(info(c, "used_memory") - 50_000));
            assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n",
                    c.call("SET", "persistent:newer", "y"));
            for (int i = 0; i < 20; i++) {
                assertEquals(":0\r\n", c.call("EXISTS", "volatile:" + i));
                assertEquals(":1\r\n", c.call("EXISTS", "persistent:" + i));
            }
            // Reads and deletions still work.
            assertEquals(":1\r\n", c.call("DEL", "persistent:0"));
        }
    }

    @Test
    void noevictionRefusesDenyoomCommandsAndCountsThemRejected() {
        try (RespClient c = new RespClient(port)) {
            c.call("SET", "a", "1");
            c.call("CONFIG", "SET", "maxmemory", "1");
            assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", c.call("SET", "b", "1"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
            assertTrue(c.call("INFO", "commandstats").contains("cmdstat_set:calls=1,"));
            assertTrue(c.call("INFO", "commandstats").contains("rejected_calls=1,failed_calls=0"));
            assertTrue(c.call("INFO", "errorstats").contains("errorstat_OOM:count=1"));
        }
    }

    @Test
    void loweringMaxmemoryEvictsAtOnce() throws InterruptedException {
        try (RespClient c = new RespClient(port)) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, "x".repeat(500));
            }
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            c.call("CONFIG", "SET", "maxmemory", Long.toString(info(c, "used_memory") - 20_000));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (info(c, "evicted_keys") == 0) {
                assertTrue(System.nanoTime() < deadline, "evicted after CONFIG SET maxmemory");
                Thread.sleep(5);
            }
            assertTrue(info(c, "used_memory") <= info(c, "maxmemory"));
        }
    }
}
