package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX, XX, GT, LT; TTL, PTTL and PERSIST. Remaining times move
 * with the clock, so they are compared exactly only as -2 (no key) and -1 (no expiry), and otherwise as
 * falling in the range the test set up.
 */
@ExtendWith(DifferentialExtension.class)
class ExpireCommandsDifferentialTest {

    private static final ReplyMasker TTL_100S = ReplyMasker.integerWithin(1, 100);
    private static final ReplyMasker PTTL_100S = ReplyMasker.integerWithin(1, 100_000);

    @Test
    void ttlAndPttlOfMissingAndPersistentKeys(DifferentialSession session) {
        session.check("TTL", "missing");
        session.check("PTTL", "missing");
        session.check("SET", "k", "v");
        session.check("TTL", "k");
        session.check("PTTL", "k");
    }

    @Test
    void everyExpireFormSetsTheTtl(DifferentialSession session) {
        long now = System.currentTimeMillis();
        session.check("SET", "k", "v");
        session.check("EXPIRE", "k", "100");
        session.checkMasked(TTL_100S, "TTL", "k");
        session.checkMasked(PTTL_100S, "PTTL", "k");
        session.check("PEXPIRE", "k", "100000");
        session.checkMasked(PTTL_100S, "PTTL", "k");
        session.check("EXPIREAT", "k", Long.toString(now / 1000 + 100));
        session.checkMasked(TTL_100S, "TTL", "k");
        session.check("PEXPIREAT", "k", Long.toString(now + 100_000));
        session.checkMasked(PTTL_100S, "PTTL", "k");
        session.check("EXPIRE", "missing", "100");
        session.check("PEXPIREAT", "missing", Long.toString(now + 100_000));
    }

    @Test
    void aTtlInThePastDeletesTheKey(DifferentialSession session) {
        for (String[] expire : new String[][] {{"EXPIRE", "0"}, {"EXPIRE", "-1"}, {"PEXPIRE", "0"}, {"PEXPIRE", "-100"},
                {"EXPIREAT", "1"}, {"PEXPIREAT", "1"}, {"EXPIREAT", "0"}, {"PEXPIREAT", "-9223372036854775808"},
                {"PEXPIRE", "-9223372036854775808"}}) {
            session.check("SET", "k", "v");
            session.check(expire[0], "k", expire[1]);
            session.check("EXISTS", "k");
            session.check("TTL", "k");
        }
    }

    @Test
    void persistRemovesTheTtl(DifferentialSession session) {
        session.check("PERSIST", "missing");
        session.check("SET", "k", "v");
        session.check("PERSIST", "k");
        session.check("EXPIRE", "k", "100");
        session.check("PERSIST", "k");
        session.check("TTL", "k");
        session.check("PERSIST", "k");
    }

    @Test
    void setAndGetsetClearTheTtlWhileSetKeepttlKeepsIt(DifferentialSession session) {
        session.check("SET", "k", "v", "EX", "100");
        session.check("SET", "k", "v2", "KEEPTTL");
        session.checkMasked(TTL_100S, "TTL", "k");
        session.check("SET", "k", "v3");
        session.check("TTL", "k");
        session.check("SETEX", "k", "100", "v4");
        session.check("GETSET", "k", "v5");
        session.check("TTL", "k");
    }

    /**
     * Each condition against each starting point: no TTL (GT never applies, LT always does, as a key
     * without TTL counts as infinite), a shorter TTL (50 s) and a longer one (200 s) than the new 100 s.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"})
    void conditionsNxXxGtLtCompareWithTheCurrentTtl(String command, DifferentialSession session) {
        ReplyMasker buckets = ReplyMasker.integerWithin(1, 50_000).andThen(ReplyMasker.integerWithin(50_001, 100_000))
                .andThen(ReplyMasker.integerWithin(100_001, 200_000));
        for (String condition : new String[] {"NX", "XX", "GT", "LT", "nx", "gt"}) {
            for (String before : new String[] {"none", "50000", "200000"}) {
                session.check("SET", "k", "v");
                if (!before.equals("none")) {
                    session.check("PEXPIRE", "k", before);
                }
                session.check(command, "k", hundredSeconds(command), condition);
                session.checkMasked(buckets, "PTTL", "k");
                session.check(command, "missing", hundredSeconds(command), condition);
            }
        }
    }

    @ParameterizedTest(name = "EXPIRE k 100 {0}")
    @ValueSource(strings = {"NX XX", "NX GT", "NX LT", "XX NX", "GT LT", "LT GT", "XX GT LT", "NX NX", "XX XX", "GT GT",
            "XX GT", "FOO", "NX FOO", "EX", "100"})
    void conditionCombinationsAndUnknownOptions(String options, DifferentialSession session) {
        session.check("SET", "k", "v", "EX", "50");
        session.check(("EXPIRE k 100 " + options).split(" "));
        session.check(("PEXPIREAT k 100 " + options).split(" "));
        session.check(("EXPIRE missing 100 " + options).split(" "));
        session.checkMasked(ReplyMasker.integerWithin(1, 50).andThen(ReplyMasker.integerWithin(51, 100)), "TTL", "k");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EXPIRE k abc", "EXPIRE k 1.5", "PEXPIRE k 10ms", "EXPIREAT k 0x10",
            "EXPIRE k 9223372036854775808", "EXPIRE k 9223372036854775807", "EXPIRE k 9223372036854775",
            "EXPIRE k -9223372036854775808", "PEXPIRE k 9223372036854775807", "EXPIREAT k 9223372036854775807",
            "EXPIRE missing 9223372036854775807", "EXPIRE missing abc"})
    void invalidExpireTimesAreRejected(String command, DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check(command.split(" "));
        session.check("TTL", "k");
    }

    @Test
    void emptyOrSpacedExpireTimesAreRejected(DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check("EXPIRE", "k", "");
        session.check("EXPIRE", "k", " 10");
        session.check("PEXPIRE", "k", "10 ");
        session.check("TTL", "k");
    }

    @Test
    void theLargestAbsoluteExpiryIsAccepted(DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check("PEXPIREAT", "k", "9223372036854775807");
        session.checkMasked(ReplyMasker.integerWithin(1_000_000_000_000L, Long.MAX_VALUE), "PTTL", "k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXPIRE k", "PEXPIRE k", "EXPIREAT k", "PEXPIREAT k", "TTL", "TTL a b", "PTTL",
            "PTTL a b", "PERSIST", "PERSIST a b"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }

    /** The argument for "100 s from now" in the unit and reference the command takes. */
    private static String hundredSeconds(String command) {
        long now = System.currentTimeMillis();
        return switch (command) {
            case "EXPIRE" -> "100";
            case "PEXPIRE" -> "100000";
            case "EXPIREAT" -> Long.toString(now / 1000 + 100);
            case "PEXPIREAT" -> Long.toString(now + 100_000);
            default -> throw new IllegalArgumentException(command);
        };
    }
}
