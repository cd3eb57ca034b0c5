package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyspace notifications (notify-keyspace-events) for the string and generic key commands: the events
 * each command raises, on __keyspace@0__ and __keyevent@0__, filtered by the configured classes, and where
 * they fall relative to the command's own reply on a RESP3 connection that listens to its own changes.
 *
 * <p>A subscriber reads everything up to a sentinel message published after each command, so that a
 * missing or extra event on either side is a difference, with no waiting on timers.
 */
@ExtendWith(DifferentialExtension.class)
class KeyspaceNotificationsDifferentialTest {
    private static final String SENTINEL = "sentinel";

    /** The string and generic commands, each followed by a comparison of the events it raised. */
    private static final List<String[]> COMMANDS = List.of(
            cmd("SET", "k", "v"),
            cmd("SET", "k", "v2"),
            cmd("SET", "k", "v3", "NX"),
            cmd("SET", "k", "v4", "XX", "GET"),
            cmd("SET", "k", "v5", "EX", "100"),
            cmd("SET", "k", "v6", "KEEPTTL"),
            cmd("SET", "absent", "v", "XX"),
            cmd("SETNX", "k2", "v"),
            cmd("SETNX", "k2", "v"),
            cmd("SETEX", "k3", "100", "v"),
            cmd("PSETEX", "k4", "100000", "v"),
            cmd("SETEX", "k3", "0", "v"),
            cmd("GETSET", "k", "v7"),
            cmd("GETSET", "fresh", "v"),
            cmd("GETDEL", "k"),
            cmd("GETDEL", "k"),
            cmd("GETEX", "k2", "EX", "100"),
            cmd("GETEX", "k2", "PERSIST"),
            cmd("GETEX", "k2", "PERSIST"),
            cmd("GETEX", "k2"),
            cmd("GETEX", "k2", "PXAT", "1"),
            cmd("GETEX", "missing", "EX", "1"),
            cmd("GET", "missing"),
            cmd("MGET", "missing", "k3"),
            cmd("EXISTS", "missing"),
            cmd("TYPE", "missing"),
            cmd("TTL", "missing"),
            cmd("STRLEN", "missing"),
            cmd("APPEND", "a", "x"),
            cmd("APPEND", "a", "y"),
            cmd("SETRANGE", "r", "3", "x"),
            cmd("SETRANGE", "r", "0", "ab"),
            cmd("SETRANGE", "r", "0", ""),
            cmd("SETRANGE", "none", "0", ""),
            cmd("MSET", "{m}1", "a", "{m}2", "b", "{m}1", "c"),
            cmd("MSETNX", "{m}3", "a", "{m}4", "b"),
            cmd("MSETNX", "{m}3", "a", "{m}5", "b"),
            cmd("INCR", "i"),
            cmd("DECR", "i"),
            cmd("INCRBY", "i", "5"),
            cmd("DECRBY", "i", "2"),
            cmd("INCR", "a"),
            cmd("INCRBYFLOAT", "f", "1.5"),
            cmd("INCRBYFLOAT", "f", "abc"),
            cmd("DEL", "{d}a", "{d}b"),
            cmd("MSET", "{d}a", "1", "{d}b", "2"),
            cmd("DEL", "{d}a", "{d}b", "{d}missing"),
            cmd("SET", "u", "1"),
            cmd("UNLINK", "u", "u"),
            cmd("SET", "e", "1"),
            cmd("EXPIRE", "e", "100"),
            cmd("EXPIRE", "e", "100", "NX"),
            cmd("PEXPIRE", "e", "200000", "GT"),
            cmd("EXPIREAT", "e", "4102444800"),
            cmd("PEXPIREAT", "e", "4102444800000"),
            cmd("PERSIST", "e"),
            cmd("PERSIST", "e"),
            cmd("EXPIRE", "missing", "100"),
            cmd("EXPIRE", "e", "-1"),
            cmd("SET", "{rn}a", "1", "EX", "100"),
            cmd("RENAME", "{rn}a", "{rn}b"),
            cmd("SET", "{rn}a", "2"),
            cmd("RENAME", "{rn}a", "{rn}b"),
            cmd("RENAMENX", "{rn}b", "{rn}c"),
            cmd("SET", "{rn}a", "3"),
            cmd("RENAMENX", "{rn}a", "{rn}c"),
            cmd("RENAME", "{rn}c", "{rn}c"),
            cmd("RENAME", "{rn}missing", "{rn}x"),
            cmd("FLUSHALL"));

    @ParameterizedTest(name = "notify-keyspace-events \"{0}\"")
    @ValueSource(strings = {"KEA", "KEAmn", "K$", "Eg", "Eg$", "KEm", "En", "KElshz", ""})
    void stringAndKeyCommandsRaiseRedisEvents(String classes, DifferentialSession session) {
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", classes);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(1, "PSUBSCRIBE", "__key*");
            sub.check(1, "SUBSCRIBE", SENTINEL);
            for (String[] command : COMMANDS) {
                session.check(command);
                eventsUpToSentinel(session, sub);
            }
            session.check("SET", "source", "value");
            byte[] payload = ((Reply.Bulk) session.check("DUMP", "source")).bytes();
            for (String[] options : List.of(cmd("rs", "0"), cmd("rs", "0"), cmd("rs", "0", "REPLACE"),
                    cmd("rs", "100000", "REPLACE"), cmd("rs", "1", "REPLACE", "ABSTTL"))) {
                byte[][] argv = new byte[options.length + 2][];
                argv[0] = "RESTORE".getBytes(StandardCharsets.US_ASCII);
                argv[1] = options[0].getBytes(StandardCharsets.US_ASCII);
                argv[2] = options[1].getBytes(StandardCharsets.US_ASCII);
                argv[3] = payload;
                for (int i = 2; i < options.length; i++) {
                    argv[i + 2] = options[i].getBytes(StandardCharsets.US_ASCII);
                }
                session.check(argv);
                eventsUpToSentinel(session, sub);
            }
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void keysThatExpireRaiseExpiredOnceWhicheverWayTheyAreFound(DifferentialSession session)
            throws InterruptedException {
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KExgm");
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(1, "PSUBSCRIBE", "__key*");
            sub.check(1, "SUBSCRIBE", SENTINEL);
            writeThenEventsUpToSentinel(session, sub, "PSETEX", "lazy", "1", "v");
            Thread.sleep(20);
            // Found by GET (a lazy expiry, then a miss), or by the active cycle first: the same events.
            session.check("GET", "lazy");
            eventsUpToSentinel(session, sub);
            writeThenEventsUpToSentinel(session, sub, "SET", "active", "v", "PX", "1");
            Wait.until("the active cycle expired the key", () ->
                    session.referenceClient().call("DBSIZE").asLong() == 0
                            && session.candidateClient().call("DBSIZE").asLong() == 0);
            eventsUpToSentinel(session, sub);
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void eventsOfAClientsOwnCommandsComeWhereRedisWritesThemAmongItsReplies(DifferentialSession session) {
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (TwinConnection self = TwinConnection.open(session, "self")) {
            PubSubDifferentialTest.useProtocol(self, 3);
            self.check(1, "PSUBSCRIBE", "__keyevent@0__:*");
            for (String[] command : List.of(cmd("SET", "k", "v", "GET"), cmd("SET", "k", "v", "EX", "100"),
                    cmd("GETSET", "k", "w"), cmd("GETEX", "k", "PX", "100000"), cmd("GETEX", "k", "PERSIST"),
                    cmd("EXPIRE", "k", "100"), cmd("EXPIRE", "k", "-5"), cmd("SET", "n", "1"), cmd("INCR", "n"),
                    cmd("GETDEL", "n"), cmd("APPEND", "n", "x"), cmd("SETRANGE", "n", "0", "y"),
                    cmd("GETEX", "n", "EXAT", "1"))) {
                self.send(command);
                self.send("PING", SENTINEL);
                while (!self.next().equals(Reply.bulk(SENTINEL))) {
                    // every frame before PING's reply is compared by next()
                }
            }
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    /** Publishes the sentinel and compares every frame the subscriber gets up to it. */
    private static void eventsUpToSentinel(DifferentialSession session, TwinConnection sub) {
        session.check("PUBLISH", SENTINEL, "next");
        readUpToSentinel(sub);
    }

    /**
     * Runs a write of a short-lived key and publishes the sentinel in one transaction, then compares the
     * events up to the sentinel: an active expire cycle between the write and the sentinel would put the
     * key's expired event before the sentinel on one server only.
     */
    private static void writeThenEventsUpToSentinel(DifferentialSession session, TwinConnection sub,
            String... write) {
        session.check("MULTI");
        session.check(write);
        session.check("PUBLISH", SENTINEL, "next");
        session.check("EXEC");
        readUpToSentinel(sub);
    }

    private static void readUpToSentinel(TwinConnection sub) {
        while (true) {
            List<Reply> frame = sub.next().asList();
            if (frame.get(0).equals(Reply.bulk("message")) && frame.get(1).equals(Reply.bulk(SENTINEL))) {
                return;
            }
        }
    }

    private static String[] cmd(String... argv) {
        return argv;
    }
}
