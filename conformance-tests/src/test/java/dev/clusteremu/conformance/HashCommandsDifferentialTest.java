package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash commands of Redis 7.0 against redis-server: replies and errors byte for byte, in RESP2 and RESP3,
 * the listpack's insertion order exactly, a hashtable's order as a set of pairs, the encoding (seen in the
 * type byte and the bytes of DUMP) as hash-max-listpack-entries and hash-max-listpack-value decide it.
 */
@ExtendWith(DifferentialExtension.class)
class HashCommandsDifferentialTest {

    /** Fills {@code key} with {@code n} fields f0..f(n-1) of values v0..v(n-1), one HSET per 100. */
    private static void fill(DifferentialSession session, String key, int n) {
        for (int from = 0; from < n; from += 100) {
            List<String> argv = new ArrayList<>(List.of("HSET", key));
            for (int i = from; i < Math.min(n, from + 100); i++) {
                argv.add("f" + i);
                argv.add("v" + i);
            }
            session.check(argv.toArray(String[]::new));
        }
    }

    private static void resp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
    }

    @Test
    void hsetAddsFieldsUpdatesOthersAndCountsOnlyNewOnes(DifferentialSession session) {
        session.check("HSET", "h", "a", "1", "b", "2");
        session.check("HSET", "h", "a", "10", "c", "3", "c", "4");
        session.check("HGETALL", "h");
        session.check("HLEN", "h");
        session.check("HSET", "h", "", "");
        session.check("HGET", "h", "");
        session.check("HSET", "h", "bin\u0000ary", "v\r\nx");
        session.check("HGETALL", "h");
        session.check("TYPE", "h");
        session.check("EXISTS", "h");
    }

    @Test
    void hmsetAnswersOkAndHsetnxOnlyAddsMissingFields(DifferentialSession session) {
        session.check("HMSET", "h", "a", "1", "b", "2");
        session.check("HSETNX", "h", "a", "x");
        session.check("HSETNX", "h", "c", "3");
        session.check("HSETNX", "new", "f", "v");
        session.check("HGETALL", "h");
        session.check("HGETALL", "new");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HSET h", "HSET h f", "HSET h f v g", "HMSET h f", "HMSET h f v g", "HSETNX h f",
            "HGET h", "HMGET h", "HDEL h", "HLEN", "HSTRLEN h", "HEXISTS h", "HKEYS", "HVALS", "HGETALL",
            "HINCRBY h f", "HINCRBYFLOAT h f", "HRANDFIELD", "HSCAN h", "HGETALL h x"})
    void wrongArityIsRefused(String command, DifferentialSession session) {
        session.check("HSET", "h", "f", "v");
        session.check(command.split(" "));
        session.check("HGETALL", "h");
    }

    @Test
    void readsOfMissingFieldsAndKeys(DifferentialSession session) {
        session.check("HSET", "h", "a", "hello");
        session.check("HGET", "h", "nope");
        session.check("HGET", "missing", "a");
        session.check("HMGET", "h", "a", "nope", "a");
        session.check("HMGET", "missing", "a", "b");
        session.check("HEXISTS", "h", "a");
        session.check("HEXISTS", "h", "nope");
        session.check("HEXISTS", "missing", "a");
        session.check("HSTRLEN", "h", "a");
        session.check("HSTRLEN", "h", "nope");
        session.check("HSTRLEN", "missing", "a");
        session.check("HLEN", "missing");
        session.check("HKEYS", "missing");
        session.check("HVALS", "missing");
        session.check("HGETALL", "missing");
        session.check("HRANDFIELD", "missing");
        session.check("HRANDFIELD", "missing", "3");
        session.check("HRANDFIELD", "missing", "-3", "WITHVALUES");
    }

    @Test
    void resp3RepliesMapsNullsAndEmptyMaps(DifferentialSession session) {
        resp3(session);
        session.check("HSET", "h", "a", "1", "b", "2");
        session.check("HGETALL", "h");
        session.check("HGETALL", "missing");
        session.check("HKEYS", "missing");
        session.check("HGET", "h", "nope");
        session.check("HMGET", "h", "a", "nope");
        session.check("HRANDFIELD", "missing");
        session.check("HRANDFIELD", "h", "5", "WITHVALUES");
        session.check("HRANDFIELD", "h", "0", "WITHVALUES");
        session.check("HSCAN", "h", "0");
        session.check("HSCAN", "missing", "0");
    }

    @Test
    void hdelRemovesFieldsAndTheKeyWithItsLastField(DifferentialSession session) {
        session.check("HSET", "h", "a", "1", "b", "2", "c", "3");
        session.check("HDEL", "h", "a", "nope", "a");
        session.check("HGETALL", "h");
        session.check("HDEL", "h", "b", "c", "d");
        session.check("EXISTS", "h");
        session.check("HDEL", "h", "b");
        session.check("SET", "h", "string");
        session.check("HDEL", "h", "b");
    }

    @Test
    void listpackKeepsInsertionOrderThroughUpdatesAndDeletes(DifferentialSession session) {
        session.check("HSET", "h", "z", "1", "y", "2", "x", "3", "w", "4");
        session.check("HSET", "h", "y", "20");
        session.check("HDEL", "h", "x");
        session.check("HSET", "h", "x", "30", "v", "5");
        session.check("HGETALL", "h");
        session.check("HKEYS", "h");
        session.check("HVALS", "h");
        session.check("HSCAN", "h", "0");
        session.check("HRANDFIELD", "h", "100");
        session.check("HRANDFIELD", "h", "5", "WITHVALUES");
        session.check("DUMP", "h");
    }

    @Test
    void hashtableHashesAnswerTheSamePairsInTheirOwnOrder(DifferentialSession session) {
        fill(session, "h", 600);
        session.checkMasked(CollectionMaskers.unorderedPairs(), "HGETALL", "h");
        session.checkMasked(ReplyMasker.unordered(), "HKEYS", "h");
        session.checkMasked(ReplyMasker.unordered(), "HVALS", "h");
        session.check("HLEN", "h");
        session.check("HGET", "h", "f599");
        session.check("HDEL", "h", "f0", "f1");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "h");
        resp3(session);
        session.checkMasked(CollectionMaskers.unorderedPairs(), "HGETALL", "h");
    }

    @Test
    void hincrbyAddsToIntegersAndRefusesOthers(DifferentialSession session) {
        session.check("HINCRBY", "h", "n", "5");
        session.check("HINCRBY", "h", "n", "-10");
        session.check("HINCRBY", "h", "n", "0");
        session.check("HSET", "h", "s", "abc", "big", "9223372036854775807", "lead", "007",
                "neg", "-9223372036854775808");
        session.check("HINCRBY", "h", "s", "1");
        session.check("HINCRBY", "h", "lead", "1");
        session.check("HINCRBY", "h", "big", "1");
        session.check("HINCRBY", "h", "big", "-1");
        session.check("HINCRBY", "h", "neg", "-1");
        session.check("HINCRBY", "h", "neg", "1");
        session.check("HINCRBY", "h", "n", "x");
        session.check("HINCRBY", "h", "n", "1.5");
        session.check("HINCRBY", "h", "n", "99999999999999999999");
        session.check("HGETALL", "h");
        session.check("DUMP", "h");
        session.check("HINCRBY", "missing", "f", "x");
        session.check("EXISTS", "missing");
    }

    @Test
    void hincrbyfloatAddsInLongDoublePrecision(DifferentialSession session) {
        session.check("HINCRBYFLOAT", "h", "f", "10.5");
        session.check("HINCRBYFLOAT", "h", "f", "0.1");
        session.check("HINCRBYFLOAT", "h", "f", "-5.0e3");
        session.check("HINCRBYFLOAT", "h", "f", "3.0e3");
        session.check("HSET", "h", "i", "17", "s", "abc", "e", "1e5", "sp", " 1");
        session.check("HINCRBYFLOAT", "h", "i", "1.5");
        session.check("HINCRBYFLOAT", "h", "e", "1");
        session.check("HINCRBYFLOAT", "h", "s", "1");
        session.check("HINCRBYFLOAT", "h", "sp", "1");
        session.check("HINCRBYFLOAT", "h", "f", "abc");
        session.check("HINCRBYFLOAT", "h", "f", "inf");
        session.check("HINCRBYFLOAT", "h", "f", "-inf");
        session.check("HINCRBYFLOAT", "h", "f", "nan");
        session.check("HINCRBYFLOAT", "h", "f", "1e4933");
        session.check("HGETALL", "h");
        session.check("DUMP", "h");
        // Near the top of the long double range; the long result makes the hash a hashtable.
        session.check("HINCRBYFLOAT", "big", "f", "1e4930");
        session.check("HINCRBYFLOAT", "big", "f", "1e4930");
        session.check("HINCRBYFLOAT", "big", "f", "1e4932");
        session.check("HINCRBYFLOAT", "big", "f", "1e4932");
        session.check("HGET", "big", "f");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "big");
        session.check("HINCRBYFLOAT", "missing", "f", "inf");
        session.check("EXISTS", "missing");
    }

    @Test
    void hrandfieldWithoutCountPicksOneFieldAndWithCountSamples(DifferentialSession session) {
        session.check("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7");
        Map<Reply, Reply> hash = new LinkedHashMap<>();
        for (String f : List.of("a", "b", "c", "d", "e", "f", "g")) {
            hash.put(Reply.bulk(f), Reply.bulk(Integer.toString(f.charAt(0) - 'a' + 1)));
        }
        ReplyMasker oneField = r -> hash.containsKey(r) ? Reply.status("<field>") : r;
        session.checkMasked(oneField, "HRANDFIELD", "h");
        session.check("HRANDFIELD", "h", "0");
        session.check("HRANDFIELD", "h", "7");
        session.check("HRANDFIELD", "h", "8", "WITHVALUES");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), true), "HRANDFIELD", "h", "1");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), true), "HRANDFIELD", "h", "2");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), true), "HRANDFIELD", "h", "5");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), false), "HRANDFIELD", "h", "-20");
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, true), "HRANDFIELD", "h", "3", "WITHVALUES");
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, false), "HRANDFIELD", "h", "-9", "withvalues");
        resp3(session);
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, true), "HRANDFIELD", "h", "6", "WITHVALUES");
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, false), "HRANDFIELD", "h", "-4", "WITHVALUES");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), false), "HRANDFIELD", "h", "-4");
    }

    @Test
    void hrandfieldOfAHashtableHashSamplesItsFields(DifferentialSession session) {
        fill(session, "h", 600);
        Map<Reply, Reply> hash = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            hash.put(Reply.bulk("f" + i), Reply.bulk("v" + i));
        }
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), true), "HRANDFIELD", "h", "10");
        session.checkMasked(CollectionMaskers.sampleOf(hash.keySet(), true), "HRANDFIELD", "h", "500");
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, true), "HRANDFIELD", "h", "50", "WITHVALUES");
        session.checkMasked(CollectionMaskers.pairSampleOf(hash, false), "HRANDFIELD", "h", "-50", "WITHVALUES");
        session.checkMasked(CollectionMaskers.unorderedPairs(), "HRANDFIELD", "h", "1000", "WITHVALUES");
    }

    @Test
    void hrandfieldRefusesBadCountsAndOptions(DifferentialSession session) {
        session.check("HSET", "h", "a", "1");
        session.check("HRANDFIELD", "h", "x");
        session.check("HRANDFIELD", "h", "1.5");
        session.check("HRANDFIELD", "h", "-9223372036854775808");
        session.check("HRANDFIELD", "h", "9223372036854775807", "WITHVALUES");
        session.check("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES");
        session.check("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES");
        session.check("HRANDFIELD", "h", "1", "WITHVALUE");
        session.check("HRANDFIELD", "h", "1", "WITHVALUES", "x");
        session.check("HRANDFIELD", "h", "x", "WITHVALUE");
        session.check("SET", "s", "v");
        session.check("HRANDFIELD", "s", "x");
        session.check("HRANDFIELD", "s", "1", "nope");
        session.check("HRANDFIELD", "s", "1");
        session.check("HRANDFIELD", "s");
    }

    @Test
    void hscanReturnsAListpackWholeWithPatternsApplied(DifferentialSession session) {
        session.check("HSET", "h", "apple", "1", "banana", "2", "avocado", "3", "42", "4", "cherry", "5");
        session.check("HSCAN", "h", "0");
        session.check("HSCAN", "h", "0", "MATCH", "a*");
        session.check("HSCAN", "h", "0", "MATCH", "*");
        session.check("HSCAN", "h", "0", "match", "4?", "count", "1");
        session.check("HSCAN", "h", "123");
        session.check("HSCAN", "h", "0", "COUNT", "0");
        session.check("HSCAN", "h", "0", "COUNT", "x");
        session.check("HSCAN", "h", "0", "COUNT");
        session.check("HSCAN", "h", "0", "TYPE", "hash");
        session.check("HSCAN", "h", "0", "NOVALUES");
        session.check("HSCAN", "h", "x");
        session.check("HSCAN", "h", "-1");
        session.check("HSCAN", "missing", "0", "NOPE");
        session.check("HSCAN", "missing", "x");
        session.check("SET", "s", "v");
        session.check("HSCAN", "s", "0", "NOPE");
    }

    @Test
    void hscanOfAHashtableHashVisitsEveryPair(DifferentialSession session) {
        fill(session, "h", 700);
        session.checkFullScan("HSCAN", "h");
        session.checkFullScan("HSCAN", "h", "COUNT", "3");
        session.checkFullScan("HSCAN", "h", "MATCH", "f1*", "COUNT", "50");
        session.checkFullScan("HSCAN", "h", "MATCH", "nothing*");
    }

    @Test
    void everyHashCommandRefusesAnotherType(DifferentialSession session) {
        session.check("SET", "s", "v");
        session.check("HSET", "s", "f", "v");
        session.check("HMSET", "s", "f", "v");
        session.check("HSETNX", "s", "f", "v");
        session.check("HGET", "s", "f");
        session.check("HMGET", "s", "f");
        session.check("HDEL", "s", "f");
        session.check("HLEN", "s");
        session.check("HSTRLEN", "s", "f");
        session.check("HEXISTS", "s", "f");
        session.check("HKEYS", "s");
        session.check("HVALS", "s");
        session.check("HGETALL", "s");
        session.check("HINCRBY", "s", "f", "1");
        session.check("HINCRBY", "s", "f", "x");
        session.check("HINCRBYFLOAT", "s", "f", "1");
        session.check("HINCRBYFLOAT", "s", "f", "inf");
        session.check("HRANDFIELD", "s");
        session.check("HSCAN", "s", "0");
        session.check("GET", "s");
        session.check("HSET", "h", "f", "v");
        session.check("GET", "h");
        session.check("APPEND", "h", "x");
        session.check("INCR", "h");
        session.check("SADD", "h", "x");
        session.check("TYPE", "h");
        session.check("SCAN", "0", "TYPE", "hash");
        session.check("SCAN", "0", "TYPE", "string");
    }

    @Test
    void aHashConvertsToHashtablePastTheEntryLimitAndNeverBack(DifferentialSession session) {
        fill(session, "h", 512);
        session.check("DUMP", "h");
        session.check("HSET", "h", "f511", "updated");
        session.check("DUMP", "h");
        session.check("HSET", "h", "one-more", "x");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "h");
        session.check("HDEL", "h", "one-more", "f0", "f1", "f2");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "h");
        fill(session, "g", 513);
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "g");
    }

    @Test
    void aHashConvertsToHashtableForALongFieldOrValue(DifferentialSession session) {
        String v64 = "v".repeat(64);
        String v65 = "v".repeat(65);
        session.check("HSET", "h", "f", v64, "f".repeat(64), "x");
        session.check("DUMP", "h");
        session.check("HSET", "long-value", "f", v65);
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "long-value");
        session.check("HSET", "long-field", "f".repeat(65), "v");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "long-field");
        session.check("HSETNX", "nx", "f", v65);
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "nx");
        session.check("HSET", "update", "f", "short");
        session.check("HSET", "update", "f", v65);
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "update");
        // A float result longer than the limit converts the hash when HINCRBYFLOAT stores it.
        session.check("HINCRBYFLOAT", "float", "f", "1e70");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "float");
        session.check("HINCRBYFLOAT", "float2", "f", "1e60");
        session.check("DUMP", "float2");
    }

    @Test
    void theLimitsAreConfigParametersWithTheirZiplistAliases(DifferentialSession session) {
        try {
            session.check("CONFIG", "GET", "hash-max-ziplist-entries");
            session.check("CONFIG", "GET", "hash-max-listpack-value");
            session.check("CONFIG", "SET", "hash-max-ziplist-entries", "2");
            session.check("CONFIG", "GET", "hash-max-listpack-entries");
            session.check("HSET", "h", "a", "1", "b", "2");
            session.check("DUMP", "h");
            session.check("HSET", "h", "c", "3");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "h");
            session.check("CONFIG", "SET", "hash-max-listpack-value", "3");
            session.check("HSET", "g", "abc", "xyz");
            session.check("DUMP", "g");
            session.check("HSET", "g2", "abcd", "x");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "g2");
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "0");
            session.check("HSET", "empty-limit", "a", "1");
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "empty-limit");
            session.check("CONFIG", "SET", "hash-max-ziplist-value", "-1");
        } finally {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64");
        }
    }

    @Test
    void dumpsOfListpackHashesEqualRedisByteForByte(DifferentialSession session) {
        session.check("HSET", "ints", "0", "127", "128", "-1", "-4096", "4095", "4096", "-4097", "32767", "32768",
                "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808");
        session.check("DUMP", "ints");
        session.check("HSET", "strings", "", "x", "007", "-0", "+1", " 1", "1.5", "12345678901234567890",
                "a".repeat(63), "b".repeat(64));
        session.check("DUMP", "strings");
        session.check("CONFIG", "SET", "hash-max-listpack-value", "100000");
        try {
            session.check("HSET", "wide", "s4095", "c".repeat(4095), "s4096", "d".repeat(4096), "s5000",
                    "0123456789".repeat(500));
            session.check("DUMP", "wide");
        } finally {
            session.check("CONFIG", "SET", "hash-max-listpack-value", "64");
        }
    }
}
