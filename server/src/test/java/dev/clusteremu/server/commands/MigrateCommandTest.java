package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.regex.Pattern;

import dev.clusteremu.server.rdb.DumpPayload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MIGRATE from node 0 of an in-process cluster: what goes on the wire to the target (a {@link FakeTarget}
 * whose answers each test scripts, or another node of the cluster), and what MIGRATE answers for each
 * outcome, byte for byte as redis-server 7.0 answers.
 */
class MigrateCommandTest {
    private static final String OK = "+OK\r\n";

    private static MigrationTestCluster cluster;
    private RespClient c;
    private FakeTarget target;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MigrationTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void connect() {
        cluster.reset();
        c = new RespClient(cluster.port(0));
        target = new FakeTarget();
    }

    @AfterEach
    void disconnect() throws IOException {
        c.close();
        target.close();
    }

    private String port() {
        return Integer.toString(target.port());
    }

    private static String bulk(byte[] b) {
        return "$" + b.length + "\r\n" + new String(b, ISO_8859_1) + "\r\n";
    }

    private static String bulk(String s) {
        return bulk(s.getBytes(ISO_8859_1));
    }

    private static String restoreAsking(String key, String ttl, String value) {
        return "*4\r\n" + bulk("RESTORE-ASKING") + bulk(key) + bulk(ttl)
                + bulk(DumpPayload.ofString(value.getBytes(ISO_8859_1)));
    }

    private static final String SELECT_0 = "*2\r\n" + bulk("SELECT") + bulk("0");

    @Test
    void migrateSendsSelectThenRestoreAskingAndDeletesTheKey() {
        c.call("SET", "{b}k", "hello");
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "5000"));
        assertEquals(SELECT_0 + restoreAsking("{b}k", "0", "hello"), target.received());
        assertEquals(":0\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void aSecondMigrateReusesTheCachedConnectionWithoutSelect() {
        c.call("SET", "{b}k1", "v1");
        c.call("SET", "{b}k2", "v2");
        target.answer(OK);
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k1", "0", "5000"));
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k2", "0", "5000"));
        assertEquals(SELECT_0 + restoreAsking("{b}k1", "0", "v1") + restoreAsking("{b}k2", "0", "v2"),
                target.received());
        assertEquals(1, target.connections());
    }

    @Test
    void theTargetsErrorIsReportedTheKeyKeptAndSelectSentAgain() {
        c.call("SET", "{b}k", "v");
        target.answer(OK);
        target.answer("-BUSYKEY Target key name already exists.\r\n");
        assertEquals("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "5000"));
        assertEquals(":1\r\n", c.call("EXISTS", "{b}k"));
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "5000", "REPLACE"));
        String replace = "*5\r\n" + bulk("RESTORE-ASKING") + bulk("{b}k") + bulk("0")
                + bulk(DumpPayload.ofString("v".getBytes(ISO_8859_1))) + bulk("REPLACE");
        assertEquals(SELECT_0 + restoreAsking("{b}k", "0", "v") + SELECT_0 + replace, target.received());
    }

    @Test
    void aFailedSelectFailsEveryKey() {
        c.call("SET", "{b}k", "v");
        target.answer("-ERR SELECT is not allowed in cluster mode\r\n");
        target.answer(OK);
        assertEquals("-ERR Target instance replied with error: ERR SELECT is not allowed in cluster mode\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "3", "5000"));
        assertEquals(":1\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void keysFormSendsAuth2AndTheRemainingTtlAndSkipsMissingKeys() {
        c.call("SET", "{b}a", "1");
        c.call("PEXPIRE", "{b}a", "100000");
        c.call("SET", "{b}c", "3");
        for (int i = 0; i < 4; i++) {
            target.answer(OK);
        }
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "", "0", "5000", "REPLACE", "AUTH2", "user", "pw",
                "KEYS", "{b}a", "{b}missing", "{b}c"));
        String a = new String(DumpPayload.ofString("1".getBytes(ISO_8859_1)), ISO_8859_1);
        Pattern expected = Pattern.compile(Pattern.quote("*3\r\n" + bulk("AUTH") + bulk("user") + bulk("pw")
                + SELECT_0 + "*5\r\n" + bulk("RESTORE-ASKING") + bulk("{b}a")) + "\\$\\d+\r\n(\\d+)\r\n"
                + Pattern.quote("$" + a.length() + "\r\n" + a + "\r\n" + bulk("REPLACE") + "*5\r\n"
                        + bulk("RESTORE-ASKING") + bulk("{b}c") + bulk("0")
                        + bulk(DumpPayload.ofString("3".getBytes(ISO_8859_1))) + bulk("REPLACE")));
        var m = expected.matcher(target.received());
        assertTrue(m.matches(), target.received());
        long ttl = Long.parseLong(m.group(1));
        assertTrue(ttl > 0 && ttl <= 100000, "ttl " + ttl);
        assertEquals(":0\r\n", c.call("EXISTS", "{b}a", "{b}c"));
    }

    @Test
    void copyKeepsTheLocalKeys() {
        c.call("SET", "{b}k", "v");
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "", "0", "5000", "COPY", "KEYS", "{b}k"));
        assertEquals("$1\r\nv\r\n", c.call("GET", "{b}k"));
    }

    @Test
    void nokeyWhenNoneOfTheKeysExistsAndNothingIsSent() {
        assertEquals("+NOKEY\r\n", c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "5000"));
        assertEquals("+NOKEY\r\n", c.call("MIGRATE", "127.0.0.1", port(), "", "0", "5000", "KEYS", "{b}x", "{b}y"));
        assertEquals("+NOKEY\r\n", c.call("MIGRATE", "127.0.0.1", port(), "", "0", "5000", "KEYS"));
        assertEquals(0, target.connections());
    }

    @Test
    void aConnectionTheTargetDroppedIsReplacedOnce() throws Exception {
        c.call("SET", "{b}k1", "v1");
        c.call("SET", "{b}k2", "v2");
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k1", "0", "5000"));
        target.dropConnections();
        target.answer(OK);
        target.answer(OK);
        assertEquals(OK, c.call("MIGRATE", "127.0.0.1", port(), "{b}k2", "0", "5000"));
        assertEquals(2, target.connections());
        assertTrue(target.received().endsWith(SELECT_0 + restoreAsking("{b}k2", "0", "v2")), target.received());
    }

    @Test
    void ioerrReadingWhenTheTargetNeverAnswers() {
        c.call("SET", "{b}k", "v");
        assertEquals("-IOERR error or timeout reading to target instance\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "100"));
        assertEquals(":1\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void ioerrWritingWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        c.call("SET", "{b}k", "v");
        assertEquals("-IOERR error or timeout writing to target instance\r\n",
                c.call("MIGRATE", "127.0.0.1", Integer.toString(closedPort), "{b}k", "0", "1000"));
        assertEquals(":1\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void ioerrConnectingWhenTheHostCannotBeResolvedOrThePortIsNegative() {
        c.call("SET", "{b}k", "v");
        assertEquals("-IOERR error or timeout connecting to the client\r\n",
                c.call("MIGRATE", "nosuchhost.invalid", port(), "{b}k", "0", "1000"));
        assertEquals("-IOERR error or timeout connecting to the client\r\n",
                c.call("MIGRATE", "127.0.0.1", "-5", "{b}k", "0", "1000"));
    }

    @Test
    void badOptionsAreSyntaxErrors() {
        c.call("SET", "{b}k", "v");
        String syntax = "-ERR syntax error\r\n";
        assertEquals(syntax, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "1000", "BOGUS"));
        assertEquals(syntax, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "1000", "AUTH"));
        assertEquals(syntax, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "1000", "AUTH2", "user"));
        assertEquals("-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "1000", "KEYS", "{b}k"));
        String notInteger = "-ERR value is not an integer or out of range\r\n";
        assertEquals(notInteger, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0", "soon"));
        assertEquals(notInteger, c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "zero", "1000"));
        assertEquals("-ERR wrong number of arguments for 'migrate' command\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{b}k", "0"));
        assertEquals(0, target.connections());
    }

    @Test
    void aKeyOfAnotherMastersSlotIsRedirected() {
        assertEquals("-MOVED 15495 127.0.0.1:" + cluster.port(2) + "\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "{a}k", "0", "1000"));
        assertEquals("-MOVED 15495 127.0.0.1:" + cluster.port(2) + "\r\n",
                c.call("MIGRATE", "127.0.0.1", port(), "", "0", "1000", "COPY", "KEYS", "{a}k"));
    }

    @Test
    void keysOfAnOpenSlotMoveToTheImportingNode() {
        String slot = "3168";
        try (RespClient target1 = new RespClient(cluster.port(1)); RespClient other = new RespClient(cluster.port(2))) {
            c.call("SET", "{f}x", "1");
            c.call("SET", "{f}y", "2");
            assertEquals(OK, target1.call("CLUSTER", "SETSLOT", slot, "IMPORTING", cluster.id(0)));
            assertEquals(OK, c.call("CLUSTER", "SETSLOT", slot, "MIGRATING", cluster.id(1)));
            assertEquals(OK, c.call("MIGRATE", "127.0.0.1", Integer.toString(cluster.port(1)), "", "0", "5000",
                    "KEYS", "{f}x"));
            assertEquals("-ASK 3168 127.0.0.1:" + cluster.port(1) + "\r\n", c.call("GET", "{f}x"));
            assertEquals("$1\r\n2\r\n", c.call("GET", "{f}y"));
            assertEquals(OK, target1.call("ASKING"));
            assertEquals("$1\r\n1\r\n", target1.call("GET", "{f}x"));
            assertEquals(OK, c.call("MIGRATE", "127.0.0.1", Integer.toString(cluster.port(1)), "{f}y", "0", "5000"));
            assertEquals(":0\r\n", c.call("CLUSTER", "COUNTKEYSINSLOT", slot));
            for (RespClient node : new RespClient[] {target1, c, other}) {
                assertEquals(OK, node.call("CLUSTER", "SETSLOT", slot, "NODE", cluster.id(1)));
            }
            assertEquals("$1\r\n2\r\n", target1.call("GET", "{f}y"));
            assertEquals("-MOVED 3168 127.0.0.1:" + cluster.port(1) + "\r\n", c.call("GET", "{f}y"));
        }
    }
}
