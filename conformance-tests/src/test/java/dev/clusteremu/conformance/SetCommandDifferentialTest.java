package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SET with every combination of its options, its option errors, and SETNX, SETEX, PSETEX. */
@ExtendWith(DifferentialExtension.class)
class SetCommandDifferentialTest {

    /**
     * PTTL of "k" after a SET: -2 and -1 exactly; a new expiry (all are about 100 s here) and the old
     * one (200 s, set before) fall in separate ranges, so KEEPTTL and a replaced TTL are told apart.
     */
    private static final ReplyMasker PTTL_NEW_OR_OLD =
            ReplyMasker.integerWithin(1, 100_000).andThen(ReplyMasker.integerWithin(100_001, 200_000));

    /** What "k" holds before the SET under test. */
    enum KeyState {
        MISSING, PERSISTENT, VOLATILE;

        void prepare(DifferentialSession session) {
            switch (this) {
                case MISSING -> session.check("DEL", "k");
                case PERSISTENT -> session.check("SET", "k", "old");
                case VOLATILE -> session.check("SET", "k", "old", "PX", "200000");
            }
        }
    }

    /**
     * Every key state x condition (none, NX, XX) x GET or not x expiry (none, EX, PX, EXAT, PXAT, KEEPTTL),
     * with the options in both orders.
     */
    static Stream<Arguments> setOptionCombinations() {
        long nowMillis = System.currentTimeMillis();
        List<List<String>> conditions = List.of(List.of(), List.of("NX"), List.of("XX"));
        List<List<String>> gets = List.of(List.of(), List.of("GET"));
        List<List<String>> expiries = List.of(List.of(), List.of("EX", "100"), List.of("PX", "100000"),
                List.of("EXAT", Long.toString(nowMillis / 1000 + 100)),
                List.of("PXAT", Long.toString(nowMillis + 100_000)), List.of("KEEPTTL"));
        List<Arguments> combinations = new ArrayList<>();
        for (KeyState state : KeyState.values()) {
            for (List<String> condition : conditions) {
                for (List<String> get : gets) {
                    for (List<String> expiry : expiries) {
                        List<List<String>> groups = new ArrayList<>(List.of(condition, get, expiry));
                        combinations.add(Arguments.of(state, String.join(" ", flatten(groups))));
                        Collections.reverse(groups);
                        combinations.add(Arguments.of(state, String.join(" ", flatten(groups))));
                    }
                }
            }
        }
        return combinations.stream().distinct(); // reversing a single group changes nothing
    }

    @ParameterizedTest(name = "{0}: SET k new {1}")
    @MethodSource("setOptionCombinations")
    void setHonoursEveryOptionCombination(KeyState state, String options, DifferentialSession session) {
        state.prepare(session);
        session.check(argv("SET k new " + options));
        session.check("GET", "k");
        session.checkMasked(PTTL_NEW_OR_OLD, "PTTL", "k");
    }

    @ParameterizedTest(name = "SET k v {0}")
    @ValueSource(strings = {"NX XX", "XX NX", "NX GET XX", "EX 10 PX 10000", "PX 10000 EX 10", "EX 10 EXAT 9999999999",
            "EXAT 9999999999 EX 10", "EXAT 9999999999 PXAT 9999999999999", "PXAT 9999999999999 PX 10",
            "PX 10 PXAT 9999999999999", "KEEPTTL EX 10", "EX 10 KEEPTTL", "KEEPTTL PX 10", "PXAT 9999999999999 KEEPTTL",
            "KEEPTTL EXAT 9999999999", "EX", "PX", "EXAT", "PXAT", "NX EX", "GET PX", "PERSIST", "EX 10 PERSIST", "FOO",
            "EX 10 FOO", "NXX", "N", "GETT", "KEEPTTLX", "EXATX 10", "10", "NX NX 10"})
    void setRejectsConflictingOrUnknownOptions(String options, DifferentialSession session) {
        session.check(argv("SET k v " + options));
        session.check("SET", "k", "old");
        session.check(argv("SET k v " + options));
        session.check("GET", "k");
    }

    @ParameterizedTest(name = "SET k v {0}")
    @ValueSource(strings = {"EX 0", "EX -1", "PX 0", "PX -100", "EXAT 0", "EXAT -1", "PXAT 0", "PXAT -1",
            "EX 9223372036854775", "EX 9223372036854776", "PX 9223372036854775807", "EXAT 9223372036854775807",
            "EX -9223372036854775808", "NX EX 0", "GET EX 0", "EX 0 GET", "XX PX 0"})
    void setRejectsInvalidExpireTimes(String options, DifferentialSession session) {
        session.check(argv("SET k v " + options));
        session.check("SET", "k", "old");
        session.check(argv("SET k v " + options));
        session.check("GET", "k");
    }

    @ParameterizedTest(name = "SET k v {0}")
    @ValueSource(strings = {"EX abc", "EX 1.5", "EX 10s", "PX 9223372036854775808", "EXAT 0x10", "PXAT +"})
    void setRejectsNonIntegerExpireTimes(String options, DifferentialSession session) {
        session.check(argv("SET k v " + options));
        session.check("SET", "k", "v", "EX", "");
        session.check("SET", "k", "v", "EX", " 10");
        session.check("GET", "k");
    }

    @Test
    void setAllowsRepeatedOptionsAndTheLastExpiryWins(DifferentialSession session) {
        ReplyMasker ttl = ReplyMasker.integerWithin(1, 10_000).andThen(ReplyMasker.integerWithin(10_001, 20_000));
        session.check("SET", "k", "v", "EX", "10", "EX", "20");
        session.checkMasked(ttl, "PTTL", "k");
        session.check("SET", "k", "v", "PX", "20000", "PX", "10000");
        session.checkMasked(ttl, "PTTL", "k");
        session.check("SET", "k", "v2", "XX", "XX", "GET", "GET", "KEEPTTL", "KEEPTTL");
        session.checkMasked(ttl, "PTTL", "k");
        session.check("SET", "k", "v3", "nx", "nx");
        session.check("SET", "k", "v4", "get", "xx", "keepttl");
        session.check("GET", "k");
    }

    @Test
    void setWithAPastTimestampStoresAKeyThatIsAlreadyGone(DifferentialSession session) {
        session.check("SET", "k", "v", "EXAT", "1");
        session.check("GET", "k");
        session.check("EXISTS", "k");
        session.check("SET", "k", "old");
        session.check("SET", "k", "v", "PXAT", "1", "GET");
        session.check("EXISTS", "k");
        session.check("DBSIZE");
    }

    @Test
    void setAcceptsTheLargestExpiryThatDoesNotOverflow(DifferentialSession session) {
        ReplyMasker farFuture = ReplyMasker.integerWithin(1_000_000_000_000L, Long.MAX_VALUE);
        session.check("SET", "k", "v", "PXAT", "9223372036854775807");
        session.checkMasked(farFuture, "PTTL", "k");
        session.check("SET", "k", "v", "EXAT", "9223372036854775");
        session.checkMasked(farFuture, "PTTL", "k");
        session.check("SET", "k", "v", "EX", "9223372036854");
        session.checkMasked(farFuture, "PTTL", "k");
    }

    @Test
    void setStoresBinaryAndEmptyValues(DifferentialSession session) {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        session.check("SET".getBytes(StandardCharsets.US_ASCII), "bin".getBytes(StandardCharsets.US_ASCII), everyByte);
        session.check("GET", "bin");
        session.check("SET", "", "empty key");
        session.check("GET", "");
        session.check("SET", "e", "");
        session.check("GET", "e");
        session.check("SET", "big", "x".repeat(100_000));
        session.check("GET", "big");
    }

    @Test
    void setGetRepliesWithTheOldValueInResp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("SET", "k", "v", "GET");
        session.check("SET", "k", "v2", "GET");
        session.check("SET", "k", "v3", "NX");
        session.check("SET", "k", "v3", "NX", "GET");
        session.check("SET", "missing", "v", "XX");
    }

    @ParameterizedTest
    @EnumSource(KeyState.class)
    void setnxSetsOnlyAMissingKey(KeyState state, DifferentialSession session) {
        state.prepare(session);
        session.check("SETNX", "k", "new");
        session.check("GET", "k");
        session.checkMasked(PTTL_NEW_OR_OLD, "PTTL", "k");
    }

    @ParameterizedTest
    @EnumSource(KeyState.class)
    void setexAndPsetexReplaceValueAndTtl(KeyState state, DifferentialSession session) {
        state.prepare(session);
        session.check("SETEX", "k", "100", "new");
        session.check("GET", "k");
        session.checkMasked(PTTL_NEW_OR_OLD, "PTTL", "k");
        state.prepare(session);
        session.check("PSETEX", "k", "100000", "newer");
        session.check("GET", "k");
        session.checkMasked(PTTL_NEW_OR_OLD, "PTTL", "k");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SETEX k 0 v", "SETEX k -5 v", "SETEX k abc v", "SETEX k 1.5 v", "SETEX k 9223372036854775 v",
            "SETEX k 9223372036854776 v", "PSETEX k 0 v", "PSETEX k -1 v", "PSETEX k abc v",
            "PSETEX k 9223372036854775807 v"})
    void setexAndPsetexRejectInvalidExpireTimes(String command, DifferentialSession session) {
        session.check("SET", "k", "old");
        session.check(argv(command));
        session.check("GET", "k");
        session.check("TTL", "k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET", "SET k", "SETNX k", "SETNX k v x", "SETEX k 10", "SETEX k 10 v x", "PSETEX k",
            "PSETEX k 10 v x"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(argv(command));
    }

    private static String[] argv(String command) {
        return command.trim().split(" +");
    }

    private static List<String> flatten(List<List<String>> groups) {
        return groups.stream().flatMap(List::stream).toList();
    }
}
