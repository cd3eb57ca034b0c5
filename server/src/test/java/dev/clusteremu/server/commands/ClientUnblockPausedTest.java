package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;

/**
 * CLIENT UNBLOCK of a command held back by CLIENT PAUSE: the command has not run, so there is nothing to
 * answer and it is not unblocked (redis-server 7.0.15 aborts on this, in replyToBlockedClientTimedOut;
 * later versions leave it alone like this). The command runs once the pause ends.
 */
class ClientUnblockPausedTest {
    private static EmulatedCluster cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmulatedCluster.builder().bare(true).start();
        port = cluster.server(0).port();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCommandPostponedByAPauseIsNotUnblocked() throws Exception {
        try (RespClient admin = new RespClient(port); RespClient paused = new RespClient(port)) {
            String id = paused.call("CLIENT", "ID").substring(1).trim();
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000", "WRITE"));
            // A keyless write: a node without slots would redirect a keyed one before pausing it.
            paused.send("FLUSHALL");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!admin.call("INFO", "clients").contains("blocked_clients:1\r\n")) {
                assertTrue(System.nanoTime() < deadline, "FLUSHALL was not postponed");
                Thread.sleep(10);
            }
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", id));
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", paused.reply());
            assertEquals(":0\r\n", paused.call("DBSIZE"));
        }
    }
}
