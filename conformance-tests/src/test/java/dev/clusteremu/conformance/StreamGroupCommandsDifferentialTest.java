package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * Consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO GROUPS/CONSUMERS and XREAD,
 * including blocking reads served by XADD and unblocked by deletions, against a real redis-server 7.0.
 * Times (idle, delivery and seen times) are masked; everything else must match exactly.
 */
@ExtendWith(DifferentialExtension.class)
class StreamGroupCommandsDifferentialTest {

    private static final ReplyMasker TIMES = StreamMasks.times();

    /** Runs each line of {@code script} as one command, its times masked. */
    private static void run(DifferentialSession session, String script) {
        for (String line : script.strip().split("\n")) {
            session.checkMasked(TIMES, line.strip().split(" +"));
        }
    }

    /** The group state as every introspection command shows it. */
    private static void checkGroups(DifferentialSession session, String key) {
        session.checkMasked(TIMES, "XINFO", "GROUPS", key);
        session.checkMasked(TIMES, "XINFO", "STREAM", key, "FULL");
    }

    private static void addEntries(DifferentialSession session, String key, int n) {
        for (int i = 1; i <= n; i++) {
            session.check("XADD", key, i + "-0", "f", "v" + i);
        }
    }

    @Test
    void xgroupCreatesSetsAndDestroysGroupsAndConsumers(DifferentialSession session) {
        addEntries(session, "s", 3);
        run(session, """
                XGROUP HELP
                XGROUP BOGUS s g
                XGROUP CREATE s g
                XGROUP CREATE s g $ BOGUS
                XGROUP CREATE missing g $
                XGROUP CREATE s g $ ENTRIESREAD -2
                XGROUP CREATE s g $ ENTRIESREAD x
                XGROUP CREATE s g $ ENTRIESREAD
                XGROUP CREATE s g x
                XGROUP CREATE s g -
                XGROUP CREATE s g $
                XGROUP CREATE s g $
                XGROUP CREATE s g2 0 ENTRIESREAD 5
                XGROUP CREATE s g3 1-0 MKSTREAM ENTRIESREAD -1 MKSTREAM
                XGROUP CREATE s g4 $ MKSTREAM ENTRIESREAD -1 MKSTREAM MKSTREAM
                XGROUP CREATE new g $ MKSTREAM
                TYPE new
                XINFO STREAM new
                XGROUP SETID s nogroup $
                XGROUP SETID s g -
                XGROUP SETID s g +
                XGROUP SETID s g 2 ENTRIESREAD 3
                XGROUP SETID s g 5 ENTRIESREAD
                XGROUP SETID s g 5 MKSTREAM
                XGROUP SETID s g x
                XGROUP SETID s g2 $
                XGROUP CREATECONSUMER s g c1
                XGROUP CREATECONSUMER s g c1
                XGROUP CREATECONSUMER s g c0
                XGROUP CREATECONSUMER s nogroup c1
                XGROUP CREATECONSUMER missing g c1
                XINFO CONSUMERS s g
                XINFO CONSUMERS s nogroup
                XGROUP DELCONSUMER s g c1
                XGROUP DELCONSUMER s g c1
                XGROUP DELCONSUMER s nogroup c1
                XGROUP DESTROY s nogroup
                XGROUP DESTROY s g3
                XGROUP DESTROY missing g
                XGROUP DESTROY s g3 x
                XGROUP CREATE
                XGROUP SETID s g
                """);
        session.check("SET", "str", "x");
        session.check("XGROUP", "CREATE", "str", "g", "$");
        session.check("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM");
        checkGroups(session, "s");
        session.check("DEL", "s");
        session.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        checkGroups(session, "s");
    }

    @Test
    void xreadgroupDeliversNewEntriesAndReplaysHistory(DifferentialSession session) {
        addEntries(session, "s", 5);
        run(session, """
                XGROUP CREATE s g 0
                XREADGROUP GROUP g alice COUNT 2 STREAMS s >
                XREADGROUP GROUP g bob STREAMS s >
                XREADGROUP GROUP g bob STREAMS s >
                XREADGROUP GROUP g alice STREAMS s 0
                XREADGROUP GROUP g alice COUNT 1 STREAMS s 0
                XREADGROUP GROUP g alice STREAMS s 1-0
                XREADGROUP GROUP g carol STREAMS s 0
                XPENDING s g
                XPENDING s g - + 10
                XPENDING s g - + 10 alice
                XPENDING s g - + 10 nobody
                XINFO CONSUMERS s g
                XACK s g 1-0 2-0 99-0
                XACK s g 1-0
                XACK s g x
                XACK s nogroup 1-0
                XACK missing g 1-0
                XDEL s 3-0
                XREADGROUP GROUP g bob STREAMS s 0
                XADD s 6-0 f v6
                XREADGROUP GROUP g alice NOACK STREAMS s >
                XREADGROUP GROUP g dave NOACK STREAMS s 0
                XPENDING s g
                """);
        checkGroups(session, "s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XREADGROUP GROUP g c STREAMS s $", "XREADGROUP GROUP g c STREAMS s", "XREADGROUP STREAMS s >",
        "XREADGROUP GROUP g c STREAMS s missing > >", "XREADGROUP GROUP nogroup c STREAMS s >",
        "XREADGROUP GROUP g c STREAMS str >", "XREADGROUP GROUP g c COUNT x STREAMS s >",
        "XREADGROUP GROUP g c BLOCK x STREAMS s >", "XREADGROUP GROUP g c BLOCK -1 STREAMS s >",
        "XREADGROUP GROUP g c BOGUS STREAMS s >", "XREADGROUP GROUP g c STREAMS s x", "XREADGROUP GROUP g c STREAMS s -",
        "XREADGROUP GROUP g STREAMS s >", "XREAD STREAMS s >", "XREAD GROUP g c STREAMS s 0", "XREAD NOACK STREAMS s 0",
        "XREAD STREAMS s", "XREAD COUNT 1", "XREAD STREAMS s 0 extra", "XREAD STREAMS s +", "XREAD STREAMS str 0",
        "XREAD COUNT -5 STREAMS s 0", "XREAD COUNT 1 STREAMS s 0", "XREAD STREAMS s 1-0", "XREAD STREAMS s $",
        "XREAD STREAMS missing 0", "XREADGROUP GROUP g c NOACK COUNT 0 STREAMS s >",
        "XREADGROUP GROUP g c STREAMS s {s}other > >", "XREAD STREAMS s {s}other 0 0", "XREAD STREAMS s s 0 1"})
    void xreadAndXreadgroupErrorsAndEdges(String command, DifferentialSession session) {
        addEntries(session, "s", 3);
        session.check("XGROUP", "CREATE", "s", "g", "0");
        session.check("SET", "str", "x");
        session.checkMasked(TIMES, command.split(" "));
        checkGroups(session, "s");
    }

    @Test
    void xreadRepliesAreMapsInResp3(DifferentialSession session) {
        addEntries(session, "{s}a", 2);
        addEntries(session, "{s}b", 2);
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        run(session, """
                XREAD STREAMS {s}a {s}b 0 1-0
                XREAD STREAMS {s}a {s}b $ $
                XGROUP CREATE {s}a g 0
                XREADGROUP GROUP g c STREAMS {s}a >
                XREADGROUP GROUP g c STREAMS {s}a >
                XPENDING {s}a g
                XPENDING {s}a nogroup
                XINFO GROUPS {s}a
                XINFO CONSUMERS {s}a g
                """);
    }

    @Test
    void xpendingSummaryRangesAndIdleFilter(DifferentialSession session) {
        addEntries(session, "s", 10);
        run(session, """
                XGROUP CREATE s g 0
                XPENDING s g
                XREADGROUP GROUP g a COUNT 3 STREAMS s >
                XREADGROUP GROUP g b COUNT 4 STREAMS s >
                XPENDING s g
                XPENDING s g - + 100
                XPENDING s g - + 2
                XPENDING s g - + 0
                XPENDING s g - + -1
                XPENDING s g (2 5 10
                XPENDING s g 5 (5 10
                XPENDING s g 6 3 10
                XPENDING s g - + 10 b
                XPENDING s g IDLE 0 - + 10
                XPENDING s g IDLE 9999999 - + 10
                XPENDING s g IDLE 9999999 - + 10 a
                XPENDING s g IDLE
                XPENDING s g IDLE 10
                XPENDING s g IDLE x - + 10
                XPENDING s g IDLE 10 - +
                XPENDING s g - +
                XPENDING s g - + x
                XPENDING s g x + 10
                XPENDING s g - x 10
                XPENDING s g ( + 10
                XPENDING s g - + 10 a extra
                XPENDING s g - + 10 a extra more more
                XPENDING s nogroup
                XPENDING missing g
                XPENDING missing g - + x
                """);
    }

    @Test
    void xclaimTransfersAndForcesPendingEntries(DifferentialSession session) {
        addEntries(session, "s", 6);
        run(session, """
                XGROUP CREATE s g 0
                XREADGROUP GROUP g a COUNT 4 STREAMS s >
                XCLAIM s g b 0 1-0 2-0
                XCLAIM s g b 0 1-0 JUSTID
                XCLAIM s g b 9999999 3-0
                XCLAIM s g b 0 3-0 RETRYCOUNT 7
                XCLAIM s g b 0 4-0 TIME 1000 JUSTID
                XCLAIM s g c 0 5-0
                XCLAIM s g c 0 5-0 FORCE
                XCLAIM s g c 0 99-0 FORCE
                XCLAIM s g c 0 6-0 FORCE JUSTID RETRYCOUNT 3
                XCLAIM s g c 0 1-0 IDLE 5000
                XCLAIM s g c 0 1-0 IDLE -5000
                XCLAIM s g c 0 1-0 TIME 99999999999999
                XCLAIM s g c 0 1-0 LASTID 50-0
                XINFO GROUPS s
                XCLAIM s g c 0 LASTID 60-0
                XCLAIM s g c 0 1-0 LASTID 5-0
                XINFO GROUPS s
                XPENDING s g - + 100
                XDEL s 2-0
                XCLAIM s g d 0 2-0 3-0
                XPENDING s g - + 100
                XCLAIM s g d x 1-0
                XCLAIM s g d 0 1-0 IDLE x
                XCLAIM s g d 0 1-0 TIME x
                XCLAIM s g d 0 1-0 RETRYCOUNT x
                XCLAIM s g d 0 1-0 LASTID x
                XCLAIM s g d 0 1-0 BOGUS
                XCLAIM s g d 0 1-0 JUSTID 2-0
                XCLAIM s g d 0 x
                XCLAIM s g d 0 1-0 IDLE
                XCLAIM s nogroup d 0 1-0
                XCLAIM missing g d 0 1-0
                XCLAIM s g d -5 1-0
                """);
        checkGroups(session, "s");
        session.check("SET", "str", "x");
        session.check("XCLAIM", "str", "g", "d", "0", "1-0");
    }

    @Test
    void xautoclaimScansThePelWithACursor(DifferentialSession session) {
        addEntries(session, "s", 12);
        run(session, """
                XGROUP CREATE s g 0
                XREADGROUP GROUP g a STREAMS s >
                XAUTOCLAIM s g b 0 0 COUNT 3
                XAUTOCLAIM s g b 0 4 COUNT 3 JUSTID
                XAUTOCLAIM s g b 0 (6-0 COUNT 2
                XAUTOCLAIM s g b 9999999 0
                XDEL s 9-0 10-0
                XAUTOCLAIM s g c 0 8 COUNT 2
                XAUTOCLAIM s g c 0 0
                XAUTOCLAIM s g c 0 0 COUNT 100
                XPENDING s g - + 100
                XAUTOCLAIM s g c 0 0 COUNT 0
                XAUTOCLAIM s g c 0 0 COUNT -1
                XAUTOCLAIM s g c 0 0 COUNT x
                XAUTOCLAIM s g c 0 0 COUNT 576460752303423488
                XAUTOCLAIM s g c 0 0 COUNT
                XAUTOCLAIM s g c 0 0 BOGUS
                XAUTOCLAIM s g c x 0
                XAUTOCLAIM s g c 0 x
                XAUTOCLAIM s g c 0 (
                XAUTOCLAIM s g c 0 (18446744073709551615-18446744073709551615
                XAUTOCLAIM s nogroup c 0 0
                XAUTOCLAIM missing g c 0 0
                XAUTOCLAIM s g c -10 0 JUSTID
                """);
        checkGroups(session, "s");
    }

    @Test
    void lagAndEntriesReadFollowDeletionsAndSetid(DifferentialSession session) {
        addEntries(session, "s", 6);
        run(session, """
                XGROUP CREATE s g 0
                XGROUP CREATE s late $
                XINFO GROUPS s
                XREADGROUP GROUP g a COUNT 2 STREAMS s >
                XINFO GROUPS s
                XDEL s 4-0
                XINFO GROUPS s
                XREADGROUP GROUP g a COUNT 1 STREAMS s >
                XINFO GROUPS s
                XREADGROUP GROUP g a STREAMS s >
                XINFO GROUPS s
                XGROUP SETID s g 0 ENTRIESREAD 0
                XINFO GROUPS s
                XGROUP SETID s g 2-0
                XINFO GROUPS s
                XTRIM s MAXLEN 2
                XINFO GROUPS s
                XADD s 7-0 f v
                XINFO GROUPS s
                XSETID s 9-0 ENTRIESADDED 20 MAXDELETEDID 8-0
                XINFO GROUPS s
                """);
    }

    @Test
    void blockedXreadIsServedByXaddInBlockingOrder(DifferentialSession session) {
        session.check("XADD", "s", "1-0", "f", "v");
        try (DifferentialSession first = DifferentialSession.open(session.reference(), session.candidate());
             DifferentialSession second = DifferentialSession.open(session.reference(), session.candidate())) {
            block(session, first, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            block(session, second, 2, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "$");
            session.check("XADD", "s", "2-0", "f", "v2");
            session.check("XADD", "s", "3-0", "f", "v3");
            expectSame(first, TIMES);
            expectSame(second, TIMES);
            block(session, first, 1, "XREAD", "BLOCK", "0", "STREAMS", "{s}a", "{s}b", "$", "$");
            session.check("XADD", "{s}b", "1-0", "f", "v");
            expectSame(first, TIMES);
            send(first, "XREAD", "BLOCK", "50", "STREAMS", "s", "$");
            expectSame(first, TIMES);
        }
    }

    @Test
    void blockedXreadgroupIsServedOrToldItsGroupOrStreamWent(DifferentialSession session) {
        session.check("XADD", "s", "1-0", "f", "v");
        session.check("XGROUP", "CREATE", "s", "g", "$");
        try (DifferentialSession reader = DifferentialSession.open(session.reference(), session.candidate());
             DifferentialSession noack = DifferentialSession.open(session.reference(), session.candidate())) {
            block(session, reader, 1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            block(session, noack, 2, "XREADGROUP", "GROUP", "g", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s", ">");
            session.check("XADD", "s", "2-0", "f", "v2");
            expectSame(reader, TIMES);
            session.check("XADD", "s", "3-0", "f", "v3");
            expectSame(noack, TIMES);
            session.checkMasked(TIMES, "XPENDING", "s", "g", "-", "+", "10");
            checkGroups(session, "s");

            block(session, reader, 1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            session.check("XGROUP", "DESTROY", "s", "g");
            expectSame(reader, TIMES);

            session.check("XGROUP", "CREATE", "s", "g", "$");
            block(session, reader, 1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            session.check("DEL", "s");
            expectSame(reader, TIMES);

            session.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            block(session, reader, 1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            session.check("SET", "s", "now a string");
            expectSame(reader, TIMES);

            send(reader, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "10", "STREAMS", "s", ">");
            expectSame(reader, TIMES);
        }
    }

    @Test
    void blockedXreadWakesWhenRestoreCreatesTheStream(DifferentialSession session) {
        session.check("XADD", "src", "5-5", "a", "b");
        byte[] payload = ((Reply.Bulk) session.check("DUMP", "src")).bytes();
        try (DifferentialSession reader = DifferentialSession.open(session.reference(), session.candidate())) {
            block(session, reader, 1, "XREAD", "BLOCK", "0", "STREAMS", "created", "$");
            session.check("RESTORE".getBytes(ISO_8859_1), "created".getBytes(ISO_8859_1), "0".getBytes(ISO_8859_1),
                    payload);
            expectSame(reader, TIMES);
        }
    }

    /** Sends a command on both sides without reading its reply. */
    private static void send(DifferentialSession session, String... argv) {
        session.referenceClient().send(argv);
        session.candidateClient().send(argv);
    }

    /**
     * Sends a blocking command on both sides without reading the reply, then waits until each server counts
     * {@code blocked} blocked clients, so that what the test does next happens after the client blocked.
     */
    private static void block(DifferentialSession control, DifferentialSession session, int blocked,
            String... argv) {
        send(session, argv);
        for (RespClient client : new RespClient[] {control.referenceClient(), control.candidateClient()}) {
            Wait.until("blocked_clients:" + blocked,
                    () -> client.call("INFO", "clients").asString().contains("blocked_clients:" + blocked + "\r\n"));
        }
    }

    /** Reads the next reply of both sides (after they were unblocked) and compares them once masked. */
    private static void expectSame(DifferentialSession session, ReplyMasker masker) {
        Reply expected = masker.mask(session.referenceClient().read());
        Reply actual = masker.mask(session.candidateClient().read());
        if (!expected.equals(actual)) {
            throw new AssertionFailedError("blocked replies differ: reference " + expected + ", candidate " + actual,
                    List.of(expected), List.of(actual));
        }
    }
}
