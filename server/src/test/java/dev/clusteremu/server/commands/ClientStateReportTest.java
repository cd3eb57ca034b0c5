package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * What CLIENT LIST and CLIENT INFO say about a connection's transaction, MONITOR, tracking and user state,
 * and the INFO counters that go with them.
 */
class ClientStateReportTest {
    private static final int FIRST_PORT = 7931;
    private static final int LAST_PORT = 7935;
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

    /** The value of {@code field} in a CLIENT INFO / LIST line. */
    private static String field(String line, String field) {
        for (String part : line.trim().split(" ")) {
            if (part.startsWith(field + "=")) {
                return part.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in " + line);
    }

    /** The CLIENT LIST line of the client with this id, as another connection sees it. */
    private static String lineOf(RespClient observer, String id) {
        for (String line : observer.call("CLIENT", "LIST").split("\n")) {
            if (line.contains("id=" + id + " ")) {
                return line;
            }
        }
        throw new AssertionError("no client " + id);
    }

    @Test
    void aTransactionShowsItsQueueAndAWatchTouchedShowsDirty() {
        try (RespClient c = new RespClient(port); RespClient observer = new RespClient(port)) {
            String id = c.call("CLIENT", "ID").substring(1).trim();
            assertEquals("-1", field(lineOf(observer, id), "multi"));
            c.call("WATCH", "k");
            observer.call("SET", "k", "1");
            assertEquals("d", field(lineOf(observer, id), "flags"));
            c.call("MULTI");
            c.call("SET", "k", "2");
            c.call("GET", "k");
            String line = lineOf(observer, id);
            assertEquals("xd", field(line, "flags"));
            assertEquals("0", field(line, "multi"));
            c.call("UNWATCH");
            c.call("DISCARD");
            c.call("MULTI");
            c.call("SET", "k", "2");
            c.call("GET", "k");
            line = lineOf(observer, id);
            assertEquals("x", field(line, "flags"));
            assertEquals("2", field(line, "multi"));
            // argv_len_sums: each argument's bytes plus its pointer.
            assertEquals(Long.toString(3 + 1 + 1 + 5 * 8 + 3 + 1), field(line, "multi-mem"));
            c.call("DISCARD");
            assertEquals("N", field(lineOf(observer, id), "flags"));
        }
    }

    @Test
    void monitorsTrackersAndUsersAreShown() {
        try (RespClient monitor = new RespClient(port); RespClient tracker = new RespClient(port);
                RespClient observer = new RespClient(port)) {
            String monitorId = monitor.call("CLIENT", "ID").substring(1).trim();
            String trackerId = tracker.call("CLIENT", "ID").substring(1).trim();
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            assertEquals("O", field(lineOf(observer, monitorId), "flags"));
            assertTrue(observer.call("CLIENT", "LIST", "TYPE", "normal").contains("id=" + monitorId + " "));
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", monitorId));
            String line = lineOf(observer, trackerId);
            assertEquals("tB", field(line, "flags"));
            assertEquals(monitorId, field(line, "redir"));
            assertTrue(observer.call("INFO", "clients").contains("tracking_clients:1\r\n"));
            assertEquals("default", field(line, "user"));
            observer.call("ACL", "SETUSER", "reporter", "on", ">pw", "~*", "+@all");
            try {
                assertEquals("+OK\r\n", tracker.call("AUTH", "reporter", "pw"));
                assertEquals("reporter", field(lineOf(observer, trackerId), "user"));
                assertEquals(":1\r\n", observer.call("CLIENT", "KILL", "USER", "reporter"));
            } finally {
                observer.call("ACL", "DELUSER", "reporter");
            }
        }
    }
}
