package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MGET, MSET and MSETNX: keys of one slot (the hash tag {t} puts {t}a, {t}b ... together) work like on a
 * standalone server; keys of different slots ("a" is slot 15495, "b" slot 3300) are refused with CROSSSLOT
 * before the command runs, whether the keys exist or not.
 */
@ExtendWith(DifferentialExtension.class)
class MultiKeyStringCommandsDifferentialTest {

    @Test
    void mgetRepliesAValueOrNilPerKey(DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2");
        session.check("MGET", "{t}a", "{t}b", "{t}missing", "{t}a");
        session.check("MGET", "{t}missing");
        session.check("MGET", "{t}a");
    }

    @Test
    void mgetRepliesResp3NullsAfterHelloThree(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("SET", "{t}a", "1");
        session.check("MGET", "{t}a", "{t}missing", "{t}other");
    }

    @Test
    void msetSetsEveryPairAndTheLastDuplicateWins(DifferentialSession session) {
        session.check("SET", "{t}a", "old", "EX", "100");
        session.check("MSET", "{t}a", "1", "{t}b", "2", "{t}a", "3");
        session.check("MGET", "{t}a", "{t}b");
        session.check("TTL", "{t}a");
        session.check("MSET", "single", "value");
        session.check("GET", "single");
    }

    @Test
    void msetnxSetsAllOrNothing(DifferentialSession session) {
        session.check("MSETNX", "{t}a", "1", "{t}b", "2");
        session.check("MSETNX", "{t}b", "x", "{t}c", "3");
        session.check("MGET", "{t}a", "{t}b", "{t}c");
        session.check("MSETNX", "{t}c", "3", "{t}c", "4");
        session.check("GET", "{t}c");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MGET a b", "MGET {t}a a", "MSET a 1 b 2", "MSET {t}a 1 a 2", "MSETNX a 1 b 2",
            "MSETNX {t}a 1 {u}a 2", "MSET a 1 b", "MSETNX a 1 b"})
    void keysOfDifferentSlotsAreRefusedWithCrossslot(String command, DifferentialSession session) {
        session.check("MSET", "a", "1");
        session.check(command.split(" "));
        session.check("DBSIZE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MGET", "MSET", "MSET a", "MSET {t}a 1 {t}b", "MSETNX", "MSETNX a", "MSETNX {t}a 1 {t}b"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }
}
