package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GET, GETSET, GETDEL, GETEX, APPEND, STRLEN, GETRANGE and SETRANGE on single keys. */
@ExtendWith(DifferentialExtension.class)
class StringCommandsDifferentialTest {

    /** PTTL after setting a 100 s expiry: -2, -1 exactly, else somewhere in the 100 s. */
    private static final ReplyMasker PTTL = ReplyMasker.integerWithin(1, 100_000);

    @Test
    void getRepliesTheValueOrNil(DifferentialSession session) {
        session.check("GET", "missing");
        session.check("SET", "k", "v");
        session.check("GET", "k");
        session.check("get", "k");
        session.check("GET", "K");
    }

    @Test
    void missingKeysReplyResp3NullAfterHelloThree(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("GET", "missing");
        session.check("GETDEL", "missing");
        session.check("GETEX", "missing", "EX", "10");
        session.check("GETSET", "k", "v");
        session.check("GETSET", "k", "v2");
        session.check("GETRANGE", "missing", "0", "-1");
        session.check("STRLEN", "missing");
    }

    @Test
    void getsetReturnsTheOldValueAndDropsTheTtl(DifferentialSession session) {
        session.check("GETSET", "k", "first");
        session.check("GETSET", "k", "second");
        session.check("SET", "k", "third", "EX", "100");
        session.check("GETSET", "k", "fourth");
        session.check("TTL", "k");
        session.check("GET", "k");
    }

    @Test
    void getdelReturnsTheValueAndDeletesTheKey(DifferentialSession session) {
        session.check("SET", "k", "v", "EX", "100");
        session.check("GETDEL", "k");
        session.check("GETDEL", "k");
        session.check("EXISTS", "k");
    }

    @Test
    void getexWithoutOptionsIsGet(DifferentialSession session) {
        session.check("GETEX", "missing");
        session.check("SET", "k", "v", "EX", "100");
        session.check("GETEX", "k");
        session.checkMasked(PTTL, "PTTL", "k");
    }

    @ParameterizedTest(name = "GETEX k {0}")
    @ValueSource(strings = {"EX 100", "PX 100000", "ex 100", "EXAT +100", "PXAT +100000", "PERSIST", "persist"})
    void getexSetsOrRemovesTheTtl(String option, DifferentialSession session) {
        String[] argv = ("GETEX k " + option).split(" ");
        // "+100" stands for a timestamp 100 s from now, taken when the test runs.
        if (argv.length == 4 && argv[3].startsWith("+")) {
            long now = System.currentTimeMillis();
            argv[3] = Long.toString(argv[2].equalsIgnoreCase("EXAT") ? now / 1000 + 100 : now + 100_000);
        }
        session.check("SET", "k", "v");
        session.check(argv);
        session.checkMasked(PTTL, "PTTL", "k");
        session.check("SET", "k", "v", "PX", "50000");
        session.check(argv);
        session.checkMasked(PTTL, "PTTL", "k");
        session.check(argv);
    }

    @Test
    void getexWithAPastTimestampDeletesTheKey(DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check("GETEX", "k", "EXAT", "1");
        session.check("EXISTS", "k");
        session.check("SET", "k", "v");
        session.check("GETEX", "k", "PXAT", "1");
        session.check("GET", "k");
    }

    @ParameterizedTest(name = "GETEX k {0}")
    @ValueSource(strings = {"EX 100 PX 100", "PX 100 EX 100", "EX 100 EXAT 9999999999", "PERSIST EX 10", "EX 10 PERSIST",
            "PERSIST PXAT 9999999999999", "PERSIST PERSIST", "KEEPTTL", "NX", "XX", "GET", "EX", "PXAT", "FOO"})
    void getexRejectsConflictingOrUnknownOptions(String options, DifferentialSession session) {
        session.check(("GETEX missing " + options).split(" "));
        session.check("SET", "k", "v", "EX", "100");
        session.check(("GETEX k " + options).split(" "));
        session.checkMasked(PTTL, "PTTL", "k");
    }

    @ParameterizedTest(name = "GETEX k {0}")
    @ValueSource(strings = {"EX 0", "EX -1", "PX 0", "EXAT 0", "PXAT -5", "EX 9223372036854775", "PX 9223372036854775807",
            "EXAT 9223372036854775807", "EX abc", "PX 1.5"})
    void getexRejectsInvalidExpireTimesOnlyForAnExistingKey(String options, DifferentialSession session) {
        session.check(("GETEX missing " + options).split(" "));
        session.check("SET", "k", "v");
        session.check(("GETEX k " + options).split(" "));
        session.check("TTL", "k");
    }

    @Test
    void appendCreatesOrExtendsAndKeepsTheTtl(DifferentialSession session) {
        session.check("APPEND", "k", "ab");
        session.check("APPEND", "k", "cd");
        session.check("APPEND", "k", "");
        session.check("APPEND", "new", "");
        session.check("EXISTS", "new");
        session.check("GET", "k");
        session.check("SET", "n", "10", "EX", "100");
        session.check("APPEND", "n", "5");
        session.check("GET", "n");
        session.checkMasked(PTTL, "PTTL", "n");
    }

    @Test
    void strlenCountsBytes(DifferentialSession session) {
        session.check("STRLEN", "missing");
        session.check("SET", "e", "");
        session.check("STRLEN", "e");
        session.check("SET", "k", "h\u00e9llo \u4e16\u754c");
        session.check("STRLEN", "k");
        session.check("SET", "n", "12345");
        session.check("STRLEN", "n");
        session.check("SET", "n", "-9223372036854775808");
        session.check("STRLEN", "n");
    }

    @ParameterizedTest(name = "GETRANGE k {0} {1}")
    @CsvSource(delimiter = ' ', value = {"0 -1", "0 0", "0 4", "7 11", "-5 -1", "-3 -1", "5 2", "-1 -100", "-100 100",
            "100 200", "11 11", "12 12", "-1 -1", "3 -13", "0 9223372036854775807",
            "9223372036854775807 9223372036854775807", "-9223372036854775808 -9223372036854775808",
            "-9223372036854775808 9223372036854775807"})
    void getrangeClampsItsRange(String start, String end, DifferentialSession session) {
        session.check("SET", "k", "Hello, World");
        session.check("GETRANGE", "k", start, end);
        session.check("GETRANGE", "missing", start, end);
        session.check("SET", "e", "");
        session.check("GETRANGE", "e", start, end);
        session.check("SET", "n", "1234567");
        session.check("GETRANGE", "n", start, end);
    }

    @Test
    void getrangeRejectsNonIntegerBounds(DifferentialSession session) {
        session.check("SET", "k", "Hello");
        session.check("GETRANGE", "k", "a", "b");
        session.check("GETRANGE", "k", "0", "1.5");
        session.check("GETRANGE", "k", "9223372036854775808", "1");
        session.check("GETRANGE", "missing", "a", "1");
        session.check("SUBSTR", "k", "1", "3");
    }

    @Test
    void setrangeOverwritesAndPadsWithZeroBytes(DifferentialSession session) {
        session.check("SETRANGE", "k", "5", "abc");
        session.check("GET", "k");
        session.check("SETRANGE", "k", "0", "XY");
        session.check("GET", "k");
        session.check("SETRANGE", "k", "6", "long tail");
        session.check("GET", "k");
        session.check("SETRANGE", "k", "20", "");
        session.check("STRLEN", "k");
        session.check("SET", "n", "12345", "EX", "100");
        session.check("SETRANGE", "n", "1", "x");
        session.check("GET", "n");
        session.checkMasked(PTTL, "PTTL", "n");
    }

    @Test
    void setrangeWithAnEmptyValueCreatesNothing(DifferentialSession session) {
        session.check("SETRANGE", "k", "0", "");
        session.check("SETRANGE", "k", "5", "");
        session.check("EXISTS", "k");
        session.check("SETRANGE", "k", "536870912", "");
        session.check("SET", "k", "abc");
        session.check("SETRANGE", "k", "536870912", "");
        session.check("GET", "k");
    }

    @Test
    void setrangeRejectsBadOffsets(DifferentialSession session) {
        session.check("SETRANGE", "k", "-1", "a");
        session.check("SETRANGE", "k", "abc", "a");
        session.check("SETRANGE", "k", "1.5", "a");
        session.check("SETRANGE", "k", "536870912", "a");
        session.check("SETRANGE", "k", "536870911", "ab");
        session.check("SETRANGE", "k", "4294967296", "a");
        session.check("SETRANGE", "k", "9223372036854775807", "a");
        session.check("SET", "k", "abc");
        session.check("SETRANGE", "k", "-1", "a");
        session.check("SETRANGE", "k", "536870912", "a");
        session.check("GET", "k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "GET a b", "GETSET k", "GETSET k v x", "GETDEL", "GETDEL a b", "GETEX", "APPEND k",
            "APPEND k v x", "STRLEN", "STRLEN a b", "GETRANGE k 0", "GETRANGE k 0 1 2", "SETRANGE k 0",
            "SETRANGE k 0 v x"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }
}
