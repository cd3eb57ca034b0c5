package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The set commands of Redis 7.0 against redis-server: replies and errors byte for byte, in RESP2 and RESP3
 * (set replies are RESP3 sets), an intset's ascending order exactly, a hashtable's order as a set, and the
 * encoding (seen in the type byte and the bytes of DUMP) as set-max-intset-entries and the members decide
 * it. Multi-key commands use keys of one slot ({t}...), and refuse others with CROSSSLOT.
 */
@ExtendWith(DifferentialExtension.class)
class SetCommandsDifferentialTest {

    /** Adds the members {@code first..last} (integers, or with {@code prefix} strings), 100 per SADD. */
    private static void fill(DifferentialSession session, String key, String prefix, int first, int last) {
        for (int from = first; from <= last; from += 100) {
            List<String> argv = new ArrayList<>(List.of("SADD", key));
            for (int i = from; i <= Math.min(last, from + 99); i++) {
                argv.add(prefix + i);
            }
            session.check(argv.toArray(String[]::new));
        }
    }

    private static List<Reply> members(String prefix, int first, int last) {
        List<Reply> out = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            out.add(Reply.bulk(prefix + i));
        }
        return out;
    }

    private static void resp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
    }

    @Test
    void saddAndSremCountWhatChangedAndTheKeyGoesWithItsLastMember(DifferentialSession session) {
        session.check("SADD", "s", "3", "1", "2", "1");
        session.check("SADD", "s", "2", "4");
        session.check("SMEMBERS", "s");
        session.check("SCARD", "s");
        session.check("SREM", "s", "1", "9", "1");
        session.check("SREM", "s", "x");
        session.check("SREM", "s", "2", "3", "4", "5");
        session.check("EXISTS", "s");
        session.check("SREM", "s", "1");
        session.check("SCARD", "s");
        session.check("SADD", "t", "", "bin\u0000ary", "a b");
        session.checkMasked(ReplyMasker.unordered(), "SMEMBERS", "t");
        session.check("TYPE", "t");
    }

    @Test
    void membershipOfMembersAndOfMissingKeys(DifferentialSession session) {
        session.check("SADD", "s", "1", "-5", "a");
        session.check("SISMEMBER", "s", "a");
        session.check("SISMEMBER", "s", "-5");
        session.check("SISMEMBER", "s", "b");
        session.check("SISMEMBER", "missing", "a");
        session.check("SMISMEMBER", "s", "a", "b", "1", "01");
        session.check("SMISMEMBER", "missing", "a", "b");
        session.check("SADD", "ints", "1", "2", "3");
        session.check("SISMEMBER", "ints", "01");
        session.check("SISMEMBER", "ints", "x");
        session.check("SISMEMBER", "ints", "3");
        session.check("SMEMBERS", "missing");
        session.check("SCARD", "missing");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SADD s", "SREM s", "SMOVE {t}a {t}b", "SISMEMBER s", "SMISMEMBER s", "SCARD",
            "SMEMBERS", "SMEMBERS s x", "SPOP", "SRANDMEMBER", "SINTER", "SINTERSTORE s", "SINTERCARD 1",
            "SUNION", "SUNIONSTORE s", "SDIFF", "SDIFFSTORE s", "SSCAN s"})
    void wrongArityIsRefused(String command, DifferentialSession session) {
        session.check("SADD", "s", "1");
        session.check(command.split(" "));
        session.check("SMEMBERS", "s");
    }

    @Test
    void resp3RepliesSetsAndNulls(DifferentialSession session) {
        resp3(session);
        session.check("SADD", "{t}a", "1", "2", "3");
        session.check("SADD", "{t}b", "2", "3", "4");
        session.check("SMEMBERS", "{t}a");
        session.check("SMEMBERS", "missing");
        session.check("SINTER", "{t}a", "{t}b");
        session.check("SINTER", "{t}a", "{t}missing");
        session.check("SUNION", "{t}a", "{t}b");
        session.check("SDIFF", "{t}a", "{t}b");
        session.check("SPOP", "missing");
        session.check("SPOP", "missing", "2");
        session.check("SPOP", "{t}a", "0");
        session.check("SRANDMEMBER", "missing");
        session.check("SRANDMEMBER", "missing", "2");
        session.check("SRANDMEMBER", "{t}a", "5");
        session.check("SMISMEMBER", "{t}a", "1", "9");
        session.check("SSCAN", "{t}a", "0");
        session.check("SPOP", "{t}a", "10");
    }

    @Test
    void intsetsIterateInAscendingOrderAndHashtablesInTheirOwn(DifferentialSession session) {
        session.check("SADD", "ints", "100", "-3", "7", "9223372036854775807", "-9223372036854775808", "0");
        session.check("SMEMBERS", "ints");
        session.check("SSCAN", "ints", "0");
        session.check("SRANDMEMBER", "ints", "100");
        session.check("SADD", "mixed", "100", "-3", "x", "7");
        session.checkMasked(ReplyMasker.unordered(), "SMEMBERS", "mixed");
        session.checkMasked(ReplyMasker.unordered(), "SRANDMEMBER", "mixed", "100");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "mixed");
    }

    @Test
    void smoveMovesAMemberBetweenSets(DifferentialSession session) {
        session.check("SADD", "{t}a", "1", "2", "x");
        session.check("SADD", "{t}b", "3");
        session.check("SMOVE", "{t}a", "{t}b", "1");
        session.check("SMOVE", "{t}a", "{t}b", "1");
        session.check("SMOVE", "{t}a", "{t}b", "nope");
        session.check("SMOVE", "{t}a", "{t}new", "x");
        session.check("SMOVE", "{t}a", "{t}a", "2");
        session.check("SMOVE", "{t}a", "{t}a", "9");
        session.check("SMOVE", "{t}a", "{t}b", "2");
        session.check("EXISTS", "{t}a");
        session.check("SMEMBERS", "{t}b");
        session.check("SMEMBERS", "{t}new");
        session.check("DUMP", "{t}new");
        session.check("SADD", "{t}c", "3");
        session.check("SMOVE", "{t}b", "{t}c", "3");
        session.check("SMEMBERS", "{t}c");
        session.check("SET", "{t}str", "v");
        session.check("SMOVE", "{t}missing", "{t}str", "1");
        session.check("SMOVE", "{t}c", "{t}str", "3");
        session.check("SMOVE", "{t}str", "{t}c", "3");
        session.check("SMOVE", "{t}c", "{t}b", "3");
        session.check("SMOVE", "a", "b", "1");
    }

    @Test
    void spopRemovesRandomMembers(DifferentialSession session) {
        session.check("SADD", "one", "only");
        session.check("SPOP", "one");
        session.check("EXISTS", "one");
        session.check("SPOP", "one");
        session.check("SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        List<Reply> ten = members("", 1, 10);
        session.checkMasked(CollectionMaskers.sampleOf(ten, true), "SPOP", "s", "1");
        session.checkMasked(CollectionMaskers.sampleOf(ten, true), "SPOP", "s", "2");
        session.check("SCARD", "s");
        session.checkMasked(CollectionMaskers.sampleOf(ten, true), "SPOP", "s", "6");
        session.check("SCARD", "s");
        session.check("SPOP", "s", "0");
        session.checkMasked(CollectionMaskers.sampleOf(ten, true), "SPOP", "s", "1000");
        session.check("EXISTS", "s");
        session.check("SADD", "all", "c", "a", "b");
        session.checkMasked(ReplyMasker.unordered(), "SPOP", "all", "3");
        session.check("EXISTS", "all");
        session.check("SADD", "sorted", "3", "1", "2");
        session.check("SPOP", "sorted", "3");
    }

    @Test
    void spopOfNearlyAllMembersRebuildsTheRestAsANewSet(DifferentialSession session) {
        // Popping all but one of a hashtable set of integers builds the rest anew, as an intset.
        fill(session, "s", "", 1, 20);
        session.check("SADD", "s", "x");
        session.check("SREM", "s", "x");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s");
        session.checkMasked(CollectionMaskers.sampleOf(members("", 1, 20), true), "SPOP", "s", "19");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s");
        session.check("SCARD", "s");
        fill(session, "big", "m", 1, 600);
        session.checkMasked(CollectionMaskers.sampleOf(members("m", 1, 600), true), "SPOP", "big", "590");
        session.check("SCARD", "big");
        session.checkMasked(CollectionMaskers.sampleOf(members("m", 1, 600), true), "SPOP", "big", "5");
        session.check("SCARD", "big");
    }

    @Test
    void spopAndSrandmemberRefuseBadCounts(DifferentialSession session) {
        session.check("SADD", "s", "1", "2");
        session.check("SPOP", "s", "-1");
        session.check("SPOP", "s", "x");
        session.check("SPOP", "s", "1", "2");
        session.check("SPOP", "missing", "-1");
        session.check("SRANDMEMBER", "s", "x");
        session.check("SRANDMEMBER", "s", "-9223372036854775808");
        session.check("SRANDMEMBER", "s", "1", "2");
        session.check("SRANDMEMBER", "missing", "x");
        session.check("SET", "str", "v");
        session.check("SPOP", "str");
        session.check("SPOP", "str", "1");
        session.check("SPOP", "str", "x");
        session.check("SRANDMEMBER", "str");
        session.check("SRANDMEMBER", "str", "1");
        session.check("SRANDMEMBER", "str", "x");
    }

    @Test
    void srandmemberSamplesWithoutRemoving(DifferentialSession session) {
        session.check("SADD", "s", "a", "b", "c", "d", "e", "f", "g");
        List<Reply> seven = List.of(Reply.bulk("a"), Reply.bulk("b"), Reply.bulk("c"), Reply.bulk("d"),
                Reply.bulk("e"), Reply.bulk("f"), Reply.bulk("g"));
        session.checkMasked(r -> seven.contains(r) ? Reply.status("<member>") : r, "SRANDMEMBER", "s");
        session.check("SRANDMEMBER", "s", "0");
        session.checkMasked(CollectionMaskers.sampleOf(seven, true), "SRANDMEMBER", "s", "1");
        session.checkMasked(CollectionMaskers.sampleOf(seven, true), "SRANDMEMBER", "s", "3");
        session.checkMasked(CollectionMaskers.sampleOf(seven, true), "SRANDMEMBER", "s", "6");
        session.checkMasked(CollectionMaskers.sampleOf(seven, false), "SRANDMEMBER", "s", "-30");
        session.checkMasked(ReplyMasker.unordered(), "SRANDMEMBER", "s", "7");
        session.check("SCARD", "s");
        fill(session, "big", "", 1, 1000);
        session.checkMasked(CollectionMaskers.sampleOf(members("", 1, 1000), true), "SRANDMEMBER", "big", "10");
        session.checkMasked(CollectionMaskers.sampleOf(members("", 1, 1000), true), "SRANDMEMBER", "big", "900");
        session.checkMasked(CollectionMaskers.sampleOf(members("", 1, 1000), false), "SRANDMEMBER", "big", "-5");
    }

    @Test
    void sinterIntersectsTheSetsAndAMissingKeyIsEmpty(DifferentialSession session) {
        session.check("SADD", "{t}a", "1", "2", "3", "4", "x");
        session.check("SADD", "{t}b", "2", "3", "4", "5");
        session.check("SADD", "{t}c", "3", "4", "x");
        // The smallest set leads the intersection; {t}c is a hash table, so its order is the server's own.
        session.checkMasked(ReplyMasker.unordered(), "SINTER", "{t}b", "{t}c");
        session.checkMasked(ReplyMasker.unordered(), "SINTER", "{t}a", "{t}b", "{t}c");
        session.checkMasked(ReplyMasker.unordered(), "SINTER", "{t}a", "{t}a");
        session.checkMasked(ReplyMasker.unordered(), "SINTER", "{t}a");
        session.check("SINTER", "{t}a", "{t}missing");
        session.check("SINTER", "{t}missing", "{t}a");
        session.check("SINTERCARD", "3", "{t}a", "{t}b", "{t}c");
        session.check("SINTERCARD", "2", "{t}a", "{t}b", "LIMIT", "2");
        session.check("SINTERCARD", "2", "{t}a", "{t}b", "limit", "0");
        session.check("SINTERCARD", "2", "{t}a", "{t}missing");
        session.check("SINTERCARD", "1", "{t}a", "LIMIT", "1", "LIMIT", "3");
    }

    @Test
    void sinterstoreStoresTheResultOrDeletesTheDestination(DifferentialSession session) {
        session.check("SADD", "{t}a", "1", "2", "3", "100000");
        session.check("SADD", "{t}b", "2", "3", "100000", "y");
        session.check("SET", "{t}dst", "old", "EX", "100");
        session.check("SINTERSTORE", "{t}dst", "{t}a", "{t}b");
        session.check("TTL", "{t}dst");
        session.check("SMEMBERS", "{t}dst");
        session.check("DUMP", "{t}dst");
        session.check("SINTERSTORE", "{t}dst", "{t}a", "{t}missing");
        session.check("EXISTS", "{t}dst");
        session.check("SINTERSTORE", "{t}dst", "{t}a", "{t}missing");
        session.check("SADD", "{t}c", "z");
        session.check("SINTERSTORE", "{t}dst", "{t}a", "{t}c");
        session.check("EXISTS", "{t}dst");
        session.check("SINTERSTORE", "{t}a", "{t}a", "{t}b");
        session.check("SMEMBERS", "{t}a");
    }

    @Test
    void sunionAndSdiffCombineTheSets(DifferentialSession session) {
        session.check("SADD", "{t}a", "1", "2", "3", "4");
        session.check("SADD", "{t}b", "3", "4", "5");
        session.check("SADD", "{t}c", "x", "1");
        session.check("SUNION", "{t}a", "{t}b");
        session.check("SUNION", "{t}a", "{t}missing");
        session.check("SUNION", "{t}missing");
        session.checkMasked(ReplyMasker.unordered(), "SUNION", "{t}a", "{t}b", "{t}c");
        session.check("SDIFF", "{t}a", "{t}b");
        session.check("SDIFF", "{t}a", "{t}b", "{t}c");
        session.check("SDIFF", "{t}a", "{t}missing");
        session.check("SDIFF", "{t}missing", "{t}a");
        session.check("SDIFF", "{t}a", "{t}a");
        session.check("SDIFF", "{t}a", "{t}b", "{t}a");
        session.checkMasked(ReplyMasker.unordered(), "SDIFF", "{t}c", "{t}a");
        session.check("SUNIONSTORE", "{t}u", "{t}a", "{t}b");
        session.check("DUMP", "{t}u");
        session.check("SUNIONSTORE", "{t}u", "{t}missing");
        session.check("EXISTS", "{t}u");
        session.check("SDIFFSTORE", "{t}d", "{t}a", "{t}b");
        session.check("DUMP", "{t}d");
        session.check("SDIFFSTORE", "{t}d", "{t}a", "{t}a");
        session.check("EXISTS", "{t}d");
    }

    @Test
    void sdiffstoreKeepsTheWidthOfWhatItsSecondAlgorithmRemoved(DifferentialSession session) {
        // With a large first set and small others, SDIFF adds the first set whole and then removes the
        // others' members: an intset widened by 100000 stays 32 bits wide after it goes.
        fill(session, "{t}a", "", 1, 30);
        session.check("SADD", "{t}a", "100000");
        session.check("SADD", "{t}b", "100000");
        session.check("SADD", "{t}c", "5");
        session.check("SDIFFSTORE", "{t}d", "{t}a", "{t}b", "{t}c");
        session.check("DUMP", "{t}d");
        session.check("SDIFF", "{t}a", "{t}b", "{t}c");
        session.check("SDIFFSTORE", "{t}e", "{t}a", "{t}b");
        session.check("DUMP", "{t}e");
    }

    @Test
    void multiKeyCommandsRefuseKeysOfDifferentSlots(DifferentialSession session) {
        session.check("SADD", "a", "1");
        session.check("SADD", "b", "1");
        session.check("SINTER", "a", "b");
        session.check("SINTERSTORE", "a", "{t}x", "{t}y");
        session.check("SINTERCARD", "2", "a", "b");
        session.check("SUNION", "a", "b");
        session.check("SUNIONSTORE", "{t}d", "a");
        session.check("SDIFF", "a", "b");
        session.check("SDIFFSTORE", "a", "b");
        session.check("SMOVE", "a", "b", "1");
        session.check("SINTERCARD", "1", "a", "b");
        session.check("SINTERCARD", "5", "a", "b");
        session.check("SINTERCARD", "x", "a", "b");
        session.check("SINTERCARD", "-1", "a");
        session.check("DBSIZE");
    }

    @Test
    void sintercardChecksItsCountAndOptions(DifferentialSession session) {
        session.check("SADD", "{t}a", "1");
        session.check("SINTERCARD", "0", "{t}a");
        session.check("SINTERCARD", "x", "{t}a");
        session.check("SINTERCARD", "2", "{t}a");
        session.check("SINTERCARD", "1", "{t}a", "LIMIT");
        session.check("SINTERCARD", "1", "{t}a", "LIMIT", "-1");
        session.check("SINTERCARD", "1", "{t}a", "LIMIT", "x");
        session.check("SINTERCARD", "1", "{t}a", "NOPE", "1");
        session.check("SINTERCARD", "1", "{t}a", "{t}b");
    }

    @Test
    void everySetCommandRefusesAnotherType(DifferentialSession session) {
        session.check("SET", "{t}s", "v");
        session.check("SADD", "{t}ok", "1");
        session.check("SADD", "{t}s", "1");
        session.check("SREM", "{t}s", "1");
        session.check("SISMEMBER", "{t}s", "1");
        session.check("SMISMEMBER", "{t}s", "1");
        session.check("SCARD", "{t}s");
        session.check("SMEMBERS", "{t}s");
        session.check("SINTER", "{t}ok", "{t}s");
        session.check("SINTER", "{t}missing", "{t}s");
        session.check("SINTERSTORE", "{t}d", "{t}missing", "{t}s");
        session.check("SINTERCARD", "2", "{t}missing", "{t}s");
        session.check("SUNION", "{t}ok", "{t}s");
        session.check("SUNIONSTORE", "{t}d", "{t}s");
        session.check("SDIFF", "{t}missing", "{t}s");
        session.check("SDIFFSTORE", "{t}d", "{t}ok", "{t}s");
        session.check("SSCAN", "{t}s", "0");
        session.check("SCAN", "0", "TYPE", "string");
        session.check("SCAN", "0", "TYPE", "set");
        session.check("SINTERSTORE", "{t}s", "{t}ok");
        session.check("TYPE", "{t}s");
        session.check("GET", "{t}s");
    }

    @Test
    void sscanReturnsAnIntsetWholeAndHashtablesByCursor(DifferentialSession session) {
        session.check("SADD", "ints", "10", "2", "33", "-4", "25");
        session.check("SSCAN", "ints", "0");
        session.check("SSCAN", "ints", "0", "MATCH", "2*");
        session.check("SSCAN", "ints", "0", "MATCH", "-*", "COUNT", "1");
        session.check("SSCAN", "ints", "7");
        session.check("SSCAN", "ints", "0", "COUNT", "0");
        session.check("SSCAN", "ints", "0", "TYPE", "set");
        session.check("SSCAN", "ints", "0", "MATCH");
        session.check("SSCAN", "ints", "abc");
        session.check("SSCAN", "missing", "0", "NOPE");
        fill(session, "big", "m", 1, 800);
        session.checkFullScan("SSCAN", "big");
        session.checkFullScan("SSCAN", "big", "COUNT", "7");
        session.checkFullScan("SSCAN", "big", "MATCH", "m7*", "COUNT", "100");
        fill(session, "bigints", "", 1, 600);
        session.checkFullScan("SSCAN", "bigints", "MATCH", "*9");
    }

    @Test
    void anIntsetConvertsForANonIntegerOrPastTheEntryLimitAndNeverBack(DifferentialSession session) {
        fill(session, "s", "", 1, 512);
        session.check("DUMP", "s");
        session.check("SADD", "s", "513");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s");
        session.check("SREM", "s", "513", "1", "2");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s");
        session.check("SADD", "t", "1", "2", "012");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "t");
        session.check("SREM", "t", "012");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "t");
        session.check("SADD", "u", "a");
        session.check("SREM", "u", "a");
        session.check("SADD", "v", "x", "1");
        session.check("SREM", "v", "x");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "v");
    }

    @Test
    void intsetWidthsGrowWithTheirMembersAndNeverShrink(DifferentialSession session) {
        session.check("SADD", "s", "1", "-32768", "32767");
        session.check("DUMP", "s");
        session.check("SADD", "s", "32768");
        session.check("DUMP", "s");
        session.check("SREM", "s", "32768");
        session.check("DUMP", "s");
        session.check("SADD", "s", "-2147483649");
        session.check("DUMP", "s");
        session.check("SREM", "s", "-2147483649");
        session.check("DUMP", "s");
        session.check("SMEMBERS", "s");
        session.check("SADD", "max", "9223372036854775807", "-9223372036854775808");
        session.check("DUMP", "max");
        session.check("SADD", "over", "9223372036854775808");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "over");
    }

    @Test
    void theIntsetLimitIsAConfigParameter(DifferentialSession session) {
        try {
            session.check("CONFIG", "SET", "set-max-intset-entries", "3");
            session.check("SADD", "s", "1", "2", "3");
            session.check("DUMP", "s");
            session.check("SADD", "s", "4");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s");
            session.check("SADD", "{t}a", "1", "2");
            session.check("SADD", "{t}b", "3", "4");
            session.check("SUNIONSTORE", "{t}u", "{t}a", "{t}b");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "{t}u");
            session.check("CONFIG", "SET", "set-max-intset-entries", "0");
            session.check("SADD", "zero", "1");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "zero");
            session.check("CONFIG", "GET", "set-max-intset-entries");
        } finally {
            session.check("CONFIG", "SET", "set-max-intset-entries", "512");
        }
    }

    @Test
    void dumpsOfIntsetsEqualRedisByteForByte(DifferentialSession session) {
        fill(session, "wide", "", -250, 250);
        session.check("DUMP", "wide");
        session.check("SADD", "compressible", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        session.check("DUMP", "compressible");
        session.check("SADD", "long", "4294967296", "-4294967296", "1");
        session.check("DUMP", "long");
    }
}
