package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID and XINFO: replies and errors, and the streams they
 * leave (DUMP compares the node layout byte for byte: listpacks, master entries, deletion flags, and
 * XINFO STREAM the radix tree's node count), against a real redis-server 7.0.
 */
@ExtendWith(DifferentialExtension.class)
class StreamCommandsDifferentialTest {

    /** Runs each line of {@code script} (words separated by spaces) as one checked command. */
    static void run(DifferentialSession session, String script) {
        for (String line : script.strip().split("\n")) {
            session.check(line.strip().split(" +"));
        }
    }

    /** Checks the stream at {@code key} whole: its entries, metadata, radix tree and DUMP payload. */
    static void checkStream(DifferentialSession session, String key) {
        session.check("XRANGE", key, "-", "+");
        session.check("XINFO", "STREAM", key);
        session.check("XINFO", "STREAM", key, "FULL");
        session.check("DUMP", key);
    }

    @Test
    void xaddWithExplicitAndPartialIds(DifferentialSession session) {
        run(session, """
                XADD s 1-1 a 1
                XADD s 1-1 a 1
                XADD s 1 a 1
                XADD s 1-* a 1 b 2
                XADD s 1-* a 1 b 2
                XADD s 5 a 1 b 2
                XADD s 5-* c 3
                XADD s 0-* c 3
                XADD s 01 a 1
                XADD s +6 a 1
                XADD s 18446744073709551615-18446744073709551614 a 1
                XADD s 18446744073709551615-* a 1
                XADD s 18446744073709551615-* a 1
                XLEN s
                XADD t 0-* a 1
                XADD t 0-* a 1
                XADD u 5-18446744073709551615 a 1
                XADD u 5-* a 1
                XADD u 5 a 1
                """);
        checkStream(session, "s");
        checkStream(session, "t");
    }

    @Test
    void xaddWithAutoIdsGoesForwardOnly(DifferentialSession session) {
        ReplyMasker auto = StreamMasks.autoIds();
        for (int i = 0; i < 5; i++) {
            session.checkMasked(auto, "XADD", "s", "*", "f", "v" + i);
        }
        session.checkMasked(auto, "XRANGE", "s", "-", "+");
        session.check("XLEN", "s");
        session.check("XADD", "far", "99999999999999-5", "a", "1");
        session.check("XADD", "far", "*", "a", "2");
        session.check("XADD", "far", "*", "a", "3");
        session.check("XRANGE", "far", "-", "+");
    }

    @Test
    void entriesFillNodesUpToTheConfiguredLimits(DifferentialSession session) {
        for (String[] limits : new String[][] {{"100", "4096"}, {"3", "4096"}, {"0", "150"}, {"5", "0"}, {"1", "1"}}) {
            session.check("CONFIG", "SET", "stream-node-max-entries", limits[0], "stream-node-max-bytes", limits[1]);
            session.check("DEL", "s");
            for (int i = 1; i <= 40; i++) {
                String field = i % 7 == 0 ? "other" : "field";
                String value = i % 5 == 0 ? "x".repeat(i * 3) : Integer.toString(i * 1000 - 20000);
                session.check("XADD", "s", i + "-" + (i % 3), field, value, "n", Integer.toString(i));
            }
            checkStream(session, "s");
        }
        session.check("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
    }

    @Test
    void valuesInEveryListpackEncoding(DifferentialSession session) {
        String[] values = {"0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32768", "32768", "8388607",
            "-8388608", "8388608", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
            "-9223372036854775808", "9223372036854775808", "012", "-0", "+1", "1.5", "", "x".repeat(63),
            "x".repeat(64), "y".repeat(4095), "y".repeat(4096), "z".repeat(70000)};
        int seq = 1;
        for (String v : values) {
            session.check("XADD", "s", "1-" + seq++, "f", v, v.isEmpty() ? "empty" : v.substring(0, 1), v);
        }
        checkStream(session, "s");
        session.check("XADD", "big", "1-1", "f", "v".repeat(200_000));
        checkStream(session, "big");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XADD s", "XADD s *", "XADD s * a", "XADD s * a 1 b", "XADD s MAXLEN", "XADD s MAXLEN 5",
        "XADD s MAXLEN 5 *", "XADD s MAXLEN -1 * a 1", "XADD s MAXLEN x * a 1", "XADD s MAXLEN 5 LIMIT 10 3-* a 1",
        "XADD s LIMIT 10 3-* a 1", "XADD s MINID 0 MAXLEN 5 3-* a 1", "XADD s MINID - 3-* a 1",
        "XADD s MINID ~ 2 LIMIT -1 3-* a 1", "XADD s MINID ~ 2 LIMIT x 3-* a 1", "XADD s NOMKSTREAM bogus a 1",
        "XADD s 0-0 a 1", "XADD s 0 a 1", "XADD s 1-1 a 1", "XADD s 1-*x a 1", "XADD s 99999999999999999999 a 1",
        "XADD s - a 1", "XADD s + a 1", "XADD s -1 a 1", "XADD s -0-5 a 1", "XADD missing NOMKSTREAM * a 1",
        "XADD str 1-1 a 1", "XADD str NOMKSTREAM 1-1 a 1", "XADD str MAXLEN x 1-1 a 1", "XADD s 3-3 a 1 b",
        "XADD s MAXLEN ~ 5 MAXLEN 3 3-3 a 1", "XADD s maxlen = 1 3-3 a 1", "XADD s NOMKSTREAM 3-3 a 1"})
    void xaddErrorsInRedisOrder(String command, DifferentialSession session) {
        session.check("XADD", "s", "2-2", "a", "1");
        session.check("SET", "str", "x");
        session.check(command.split(" "));
        session.check("EXISTS", "missing");
        checkStream(session, "s");
    }

    @Test
    void xaddTrimsByLengthOrMinimumId(DifferentialSession session) {
        session.check("CONFIG", "SET", "stream-node-max-entries", "5");
        try {
            for (int i = 1; i <= 30; i++) {
                session.check("XADD", "exact", "MAXLEN", "12", i + "-0", "f", "v");
                session.check("XADD", "approx", "MAXLEN", "~", "12", i + "-0", "f", "v");
                session.check("XADD", "limited", "MAXLEN", "~", "2", "LIMIT", "6", i + "-0", "f", "v");
                session.check("XADD", "minid", "MINID", "=", Integer.toString(i - 7), i + "-0", "f", "v");
                session.check("XADD", "minidapprox", "MINID", "~", Integer.toString(i - 7), i + "-0", "f", "v");
            }
            for (String key : new String[] {"exact", "approx", "limited", "minid", "minidapprox"}) {
                checkStream(session, key);
            }
        } finally {
            session.check("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Test
    void xrangeAndXrevrangeWithExclusiveBoundsAndCount(DifferentialSession session) {
        run(session, """
                XADD s 1-0 a 1
                XADD s 1-1 b 2
                XADD s 2-0 c 3
                XADD s 3-5 d 4
                XADD s 18446744073709551615-0 e 5
                XRANGE s - +
                XRANGE s 1 1
                XRANGE s (1 +
                XRANGE s (1-0 (3-5
                XRANGE s 2 3
                XRANGE s 3 2
                XRANGE s - + COUNT 2
                XRANGE s - + COUNT 0
                XRANGE s - + COUNT -1
                XRANGE s - + count 1 COUNT 3
                XRANGE s ( +
                XRANGE s (- +
                XRANGE s - (+
                XRANGE s (18446744073709551615-18446744073709551615 +
                XRANGE s - (0-0
                XRANGE s (18446744073709551615-0 +
                XRANGE s x +
                XRANGE s - + COUNT
                XRANGE s - + BOGUS 1
                XRANGE s - + COUNT x
                XRANGE missing - +
                XRANGE missing - + COUNT 0
                XREVRANGE s + -
                XREVRANGE s + - COUNT 2
                XREVRANGE s (3-5 -
                XREVRANGE s 2 1
                XREVRANGE s - +
                XREVRANGE s (+ -
                XLEN s
                XLEN missing
                XRANGE s
                """);
        session.check("SET", "str", "x");
        session.check("XRANGE", "str", "-", "+");
        session.check("XREVRANGE", "str", "+", "-");
        session.check("XLEN", "str");
    }

    @Test
    void xrangeRepliesResp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        run(session, """
                XADD s 1-1 a 1
                XRANGE s - + COUNT 0
                XRANGE s - +
                XADD missing NOMKSTREAM * a 1
                XINFO STREAM s
                XINFO STREAM s FULL
                XDEL s 1-1
                XINFO STREAM s
                """);
    }

    @Test
    void xdelFlagsEntriesAndDropsEmptyNodes(DifferentialSession session) {
        session.check("CONFIG", "SET", "stream-node-max-entries", "4");
        try {
            for (int i = 1; i <= 20; i++) {
                session.check("XADD", "s", i + "-0", "f", Integer.toString(i));
            }
            run(session, """
                    XDEL s 1-0
                    XDEL s 1-0 2-0 3-0
                    XDEL s 4-0
                    XDEL s 6-0 10-0 99-0 15-0
                    XDEL s 5-0 7-0 8-0
                    XDEL s 11 12
                    XDEL s 1-0 x
                    XDEL s -
                    XDEL missing 1-0
                    """);
            checkStream(session, "s");
            session.check("XADD", "s", "21-0", "g", "v");
            checkStream(session, "s");
            run(session, """
                    XDEL s 9-0 13-0 14-0 16-0 17-0 18-0 19-0 20-0 21-0
                    XLEN s
                    """);
            checkStream(session, "s");
            session.check("XADD", "s", "30-0", "f", "again");
            checkStream(session, "s");
        } finally {
            session.check("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Test
    void xtrimByLengthAndIdExactOrApproximate(DifferentialSession session) {
        session.check("CONFIG", "SET", "stream-node-max-entries", "10");
        try {
            String[] trims = {"MAXLEN 95", "MAXLEN ~ 80", "MAXLEN = 75", "MINID 20-0", "MINID ~ 35", "MINID = 41-0",
                "MAXLEN ~ 10 LIMIT 10", "MAXLEN ~ 0 LIMIT 0", "MAXLEN 0"};
            for (int i = 1; i <= 100; i++) {
                session.check("XADD", "s", i + "-0", "f", Integer.toString(i));
            }
            session.check("XDEL", "s", "3-0", "50-0", "51-0");
            for (String trim : trims) {
                session.check(("XTRIM s " + trim).split(" "));
                checkStream(session, "s");
            }
            run(session, """
                    XTRIM s
                    XTRIM s MAXLEN
                    XTRIM s BOGUS 1
                    XTRIM s MAXLEN 1 LIMIT 5
                    XTRIM s LIMIT 5
                    XTRIM s MAXLEN x
                    XTRIM s MINID (1
                    XTRIM s MINID 1-*
                    XTRIM s MINID 1 MAXLEN 2
                    XTRIM s NOMKSTREAM MAXLEN 1
                    XTRIM missing MAXLEN 0
                    SET str x
                    XTRIM str MAXLEN 0
                    XTRIM str BOGUS 0
                    """);
        } finally {
            session.check("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Test
    void xsetidMovesTheLastIdAndCounters(DifferentialSession session) {
        run(session, """
                XADD s 5-0 a 1
                XSETID s 4-0
                XSETID s 5-0
                XSETID s 10-0 ENTRIESADDED 0
                XSETID s 10-0 ENTRIESADDED -1
                XSETID s 10-0 MAXDELETEDID 11-0
                XSETID s 10-0 MAXDELETEDID 9-0 ENTRIESADDED 5
                XSETID s 10-0 BOGUS
                XSETID s 10-0 ENTRIESADDED
                XSETID s x
                XSETID s -
                XSETID s 10
                XSETID missing 5-5
                XADD s 10-* a 2
                XADD s 10-5 a 2
                XINFO STREAM s
                XDEL s 5-0 10-1
                XSETID s 1-0
                XSETID s 1-0 ENTRIESADDED 1 MAXDELETEDID 0-5
                XINFO STREAM s
                XADD s 2-0 a 3
                SET str x
                XSETID str 5-5
                """);
        checkStream(session, "s");
    }

    @Test
    void xinfoStreamSummaryAndFull(DifferentialSession session) {
        run(session, """
                XINFO STREAM missing
                XINFO HELP
                XINFO HELP x
                XINFO BOGUS s
                XINFO
                XINFO STREAM
                XADD s 1-1 a 1
                XADD s 1-2 b 2 c 3
                XADD s 2-0 a 4
                XINFO STREAM s
                XINFO STREAM s FULL
                XINFO STREAM s FULL COUNT 1
                XINFO STREAM s FULL COUNT 0
                XINFO STREAM s FULL COUNT -5
                XINFO STREAM s FULL COUNT x
                XINFO STREAM s full count 2
                XINFO STREAM s BOGUS
                XINFO STREAM s FULL BOGUS 1
                XINFO STREAM s FULL COUNT
                XINFO GROUPS s
                XINFO GROUPS missing
                XINFO GROUPS s x
                XINFO CONSUMERS s g
                XINFO CONSUMERS missing g
                SET str x
                XINFO STREAM str
                XINFO GROUPS str
                """);
    }

    @Test
    void streamsAreStreamsToOtherCommands(DifferentialSession session) {
        run(session, """
                XADD s 1-1 a 1
                TYPE s
                GET s
                APPEND s x
                EXISTS s
                DEBUG DIGEST-VALUE s
                RENAME s {s}2
                XRANGE {s}2 - +
                """);
        Reply dump = session.check("DUMP", "{s}2");
        byte[] payload = ((Reply.Bulk) dump).bytes();
        session.check("RESTORE".getBytes(ISO_8859_1), "s3".getBytes(ISO_8859_1), "0".getBytes(ISO_8859_1), payload);
        checkStream(session, "s3");
    }
}
