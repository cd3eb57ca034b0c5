package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME and RENAMENX. Multi-key forms take keys of one
 * slot ({t}...); keys of different slots are refused with CROSSSLOT. KEYS replies in hash-table order
 * and SCAN splits its pages as its table dictates, so both are compared as sets.
 */
@ExtendWith(DifferentialExtension.class)
class KeyspaceCommandsDifferentialTest {

    @Test
    void delAndUnlinkCountTheKeysRemovedOnce(DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2", "{t}c", "3");
        session.check("DEL", "{t}a", "{t}missing");
        session.check("DEL", "{t}b", "{t}b");
        session.check("UNLINK", "{t}c", "{t}c", "{t}missing");
        session.check("DEL", "{t}a");
        session.check("UNLINK", "{t}a");
        session.check("DBSIZE");
    }

    @Test
    void existsCountsEveryArgumentIncludingDuplicates(DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2");
        session.check("EXISTS", "{t}a");
        session.check("EXISTS", "{t}a", "{t}a", "{t}b", "{t}missing");
        session.check("EXISTS", "{t}missing");
        session.check("EXISTS", "{t}a", "{t}a", "{t}a");
    }

    @Test
    void typeNamesStringsAndMissingKeys(DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check("TYPE", "k");
        session.check("TYPE", "missing");
        session.check("SET", "n", "12");
        session.check("TYPE", "n");
    }

    @ParameterizedTest(name = "KEYS {0}")
    @ValueSource(strings = {"*", "{t}*", "{t}?", "{t}[ab]", "{t}[a-b]*", "{t}[^a]*", "{t}\\*", "nomatch*", "{t}a",
            "*b*", "[", "{t}[a", "\\", "{t}a\\", "?*", "{t}[!a]", "{t}[b-a]"})
    void keysListsTheMatchingKeysAsASet(String pattern, DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2", "{t}ab", "3", "{t}*", "4", "{t}[a", "5", "{t}a\\", "6");
        session.check("SET", "plain", "7");
        session.checkMasked(ReplyMasker.unordered(), "KEYS", pattern);
    }

    @Test
    void keysOnAnEmptyKeyspaceIsEmpty(DifferentialSession session) {
        session.check("KEYS", "*");
    }

    @Test
    void scanIteratesEveryKey(DifferentialSession session) {
        session.check("SCAN", "0");
        for (int i = 0; i < 300; i++) {
            session.check("SET", "key:" + i, Integer.toString(i));
        }
        assertEquals(300, session.checkFullScan("SCAN").size());
        session.checkFullScan("SCAN", "COUNT", "1");
        session.checkFullScan("SCAN", "COUNT", "1000");
        session.checkFullScan("SCAN", "MATCH", "key:1*");
        session.checkFullScan("SCAN", "MATCH", "nomatch*", "COUNT", "7");
        session.checkFullScan("SCAN", "TYPE", "string");
        session.checkFullScan("SCAN", "TYPE", "STRING");
        session.checkFullScan("SCAN", "TYPE", "list");
        session.checkFullScan("SCAN", "TYPE", "nosuchtype");
        session.checkFullScan("scan", "match", "key:2?", "count", "3", "type", "string");
    }

    @Test
    void scanOfASingleKeyEndsAtOnce(DifferentialSession session) {
        session.check("SET", "only", "1");
        session.check("SCAN", "0");
        session.check("SCAN", "0", "MATCH", "o*");
        session.check("SCAN", "0", "TYPE", "string");
        session.check("SCAN", "0", "TYPE", "hash");
    }

    @Test
    void scanRepliesAnArrayAlsoInResp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("SCAN", "0");
        session.check("SET", "only", "1");
        session.check("SCAN", "0");
    }

    @ParameterizedTest(name = "SCAN {0}")
    @ValueSource(strings = {"abc", "1.5", "0x1", "18446744073709551616", "0 COUNT 0", "0 COUNT -1", "0 COUNT abc",
            "0 COUNT", "0 MATCH", "0 TYPE", "0 FOO bar", "0 MATCH * FOO"})
    void scanRejectsBadCursorsAndOptions(String arguments, DifferentialSession session) {
        session.check("SET", "k", "v");
        session.check(("SCAN " + arguments).split(" "));
    }

    @Test
    void scanRejectsACursorWithSpaces(DifferentialSession session) {
        session.check("SCAN", " 1");
        session.check("SCAN", "1 ");
        session.check("SCAN", "");
    }

    @Test
    void scanAcceptsCursorsThatWrapAround(DifferentialSession session) {
        // The cursor is read as an unsigned 64-bit integer (strtoul): "-1" is 2^64-1, the last cursor.
        session.check("SCAN", "-1");
        session.check("SCAN", "18446744073709551615");
    }

    @Test
    void randomkeyOfAnEmptyOrSingleKeyKeyspace(DifferentialSession session) {
        session.check("RANDOMKEY");
        session.check("SET", "only", "1");
        session.check("RANDOMKEY");
        session.check("DEL", "only");
        session.check("RANDOMKEY");
    }

    @Test
    void randomkeyRepliesResp3NullOnAnEmptyKeyspace(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("RANDOMKEY");
    }

    @Test
    void renameMovesTheValueAndItsTtl(DifferentialSession session) {
        ReplyMasker ttl = ReplyMasker.integerWithin(1, 100);
        session.check("SET", "{t}a", "1", "EX", "100");
        session.check("RENAME", "{t}a", "{t}b");
        session.check("MGET", "{t}a", "{t}b");
        session.checkMasked(ttl, "TTL", "{t}b");
        session.check("SET", "{t}c", "3", "EX", "100");
        session.check("SET", "{t}d", "4");
        session.check("RENAME", "{t}d", "{t}c");
        session.check("TTL", "{t}c");
        session.check("GET", "{t}c");
        session.check("RENAME", "{t}c", "{t}c");
        session.check("GET", "{t}c");
    }

    @Test
    void renameOfAMissingKeyFails(DifferentialSession session) {
        session.check("RENAME", "{t}missing", "{t}b");
        session.check("RENAME", "{t}missing", "{t}missing");
        session.check("RENAMENX", "{t}missing", "{t}b");
    }

    @Test
    void renamenxRenamesOnlyToAMissingKey(DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2");
        session.check("RENAMENX", "{t}a", "{t}b");
        session.check("RENAMENX", "{t}a", "{t}c");
        session.check("MGET", "{t}a", "{t}b", "{t}c");
        session.check("RENAMENX", "{t}c", "{t}c");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DEL a b", "DEL {t}a a", "UNLINK a b", "EXISTS a b", "RENAME a b", "RENAME {t}a a",
            "RENAMENX a b", "RENAME missing b", "RENAMENX missing b"})
    void keysOfDifferentSlotsAreRefusedWithCrossslot(String command, DifferentialSession session) {
        session.check("MSET", "a", "1");
        session.check("SET", "{t}a", "2");
        session.check(command.split(" "));
        session.check("MGET", "a");
        session.check("MGET", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DEL", "UNLINK", "EXISTS", "TYPE", "TYPE a b", "KEYS", "KEYS * x", "SCAN", "RANDOMKEY x",
            "RENAME a", "RENAME a b c", "RENAMENX a", "RENAMENX a b c"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }
}
