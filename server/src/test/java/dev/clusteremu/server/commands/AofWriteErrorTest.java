package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * A failed AOF write (the incr file on /dev/full, so every write fails with ENOSPC) refuses writes, PING,
 * writing scripts and transactions with MISCONF and the AOF error, as writeCommandsDeniedByDiskError
 * says, until the AOF is turned off.
 */
class AofWriteErrorTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 25190;
    private static final int LAST_PORT = 25199;
    private static final String MISCONF = "-MISCONF Errors writing to the AOF file: No space left on device\r\n";

    @TempDir
    Path dir;

    private static int freePort() {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, 1).get(0);
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    @Test
    void aFailedAofWriteRefusesWritesUntilTheAofIsTurnedOff() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "no /dev/full to make AOF writes fail");
        int port = freePort();
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir)
                .config("appendonly", "yes").start(); RespClient c = new RespClient(port);
                RespClient queued = new RespClient(port)) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            waitUntil("the node serves every slot", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
            // The next rewrite opens incr file 2, truncating it: on /dev/full every write fails.
            Files.createSymbolicLink(dir.resolve("appendonlydir-" + port).resolve("appendonly-" + port
                    + ".aof.2.incr.aof"), full);
            c.call("BGREWRITEAOF");
            waitUntil("the rewrite ends", () -> c.call("INFO", "persistence").contains("aof_rewrites:1\r\n")
                    && c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0\r\n"));
            assertEquals("+OK\r\n", queued.call("MULTI"));
            assertEquals("+QUEUED\r\n", queued.call("INCR", "n"));
            // Answered before the AOF is written: that write fails and refuses the next ones.
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            waitUntil("the write error", () -> c.call("INFO", "persistence").contains("aof_last_write_status:err"));
            assertEquals(MISCONF, c.call("SET", "k", "w"));
            assertEquals(MISCONF, c.call("PING"));
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
            assertEquals(MISCONF, c.call("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "k"));
            assertEquals("-MISCONF Errors writing to the AOF file: No space left on device script: "
                    + "ee5bed0f6963e93a14eebfb64f07c299c1b4313f, on @user_script:1.\r\n",
                    c.call("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k"));
            assertEquals("$1\r\nv\r\n",
                    c.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"));
            assertEquals("-EXECABORT Transaction discarded because of: MISCONF Errors writing to the AOF file: No "
                    + "space left on device\r\n", queued.call("EXEC"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendonly", "no"));
            assertEquals("+OK\r\n", c.call("SET", "k", "w"));
        }
    }
}
