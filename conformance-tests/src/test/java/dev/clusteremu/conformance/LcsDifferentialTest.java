package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LCS against redis-server 7.0: the subsequence, LEN, IDX with its ranges in Redis's order, MINMATCHLEN and
 * WITHMATCHLEN, missing keys as empty strings, integer-encoded values, RESP3's map, and every error in
 * Redis's order. Keys share the {l} tag.
 */
@ExtendWith(DifferentialExtension.class)
class LcsDifferentialTest {

    private static void strings(DifferentialSession session) {
        session.check("MSET", "{l}a", "ohmytext", "{l}b", "mynewtext", "{l}n", "12345", "{l}m", "2345",
                "{l}x", "ABCBDAB", "{l}y", "BDCABA", "{l}e", "");
    }

    @Test
    void subsequenceLengthAndRangesAnswerAsRedis(DifferentialSession session) {
        strings(session);
        for (String[] pair : new String[][] {{"{l}a", "{l}b"}, {"{l}b", "{l}a"}, {"{l}x", "{l}y"},
                {"{l}y", "{l}x"}, {"{l}n", "{l}m"}, {"{l}a", "{l}a"}, {"{l}a", "{l}missing"},
                {"{l}missing", "{l}missing"}, {"{l}e", "{l}a"}}) {
            session.check("LCS", pair[0], pair[1]);
            session.check("LCS", pair[0], pair[1], "LEN");
            session.check("LCS", pair[0], pair[1], "IDX");
            session.check("LCS", pair[0], pair[1], "IDX", "WITHMATCHLEN");
            session.check("LCS", pair[0], pair[1], "IDX", "MINMATCHLEN", "2");
            session.check("LCS", pair[0], pair[1], "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN");
        }
        session.check("LCS", "{l}a", "{l}b", "idx", "minmatchlen", "-3", "withmatchlen", "idx");
        session.check("LCS", "{l}a", "{l}b", "len", "len");
        session.check("LCS", "{l}a", "{l}b", "MINMATCHLEN", "1");
        session.check("LCS", "{l}a", "{l}b", "WITHMATCHLEN");
    }

    @Test
    void rangesAreAMapInResp3(DifferentialSession session) {
        strings(session);
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("LCS", "{l}a", "{l}b", "IDX", "WITHMATCHLEN");
        session.check("LCS", "{l}x", "{l}y", "IDX");
        session.check("LCS", "{l}a", "{l}b", "LEN");
        session.check("LCS", "{l}a", "{l}b");
    }

    @Test
    void errorsAnswerAsRedis(DifferentialSession session) {
        strings(session);
        session.check("RPUSH", "{l}list", "x");
        session.check("LCS", "{l}a", "{l}list");
        session.check("LCS", "{l}list", "{l}missing", "BADOPTION");
        session.check("LCS", "{l}a", "{l}b", "LEN", "IDX");
        session.check("LCS", "{l}a", "{l}b", "IDX", "LEN");
        session.check("LCS", "{l}a", "{l}b", "MINMATCHLEN");
        session.check("LCS", "{l}a", "{l}b", "MINMATCHLEN", "x");
        session.check("LCS", "{l}a", "{l}b", "MINMATCHLEN", "99999999999999999999");
        session.check("LCS", "{l}a", "{l}b", "BADOPTION");
        session.check("LCS", "{l}a", "{l}b", "LEN", "BADOPTION");
        session.check("LCS", "{l}a");
        session.check("LCS", "a", "b");
        session.check("LCS", "a", "b", "LEN");
    }

    @Test
    void tablesLargerThanProtoMaxBulkLenAreRefused(DifferentialSession session) {
        session.check("CONFIG", "SET", "proto-max-bulk-len", "1mb");
        try {
            session.check("SET", "{l}big1", "ab".repeat(300));
            session.check("SET", "{l}big2", "ba".repeat(300));
            session.check("LCS", "{l}big1", "{l}big2", "LEN");
            session.check("SET", "{l}big2", "ba".repeat(200));
            session.check("LCS", "{l}big1", "{l}big2", "LEN");
        } finally {
            session.check("CONFIG", "SET", "proto-max-bulk-len", "512mb");
        }
    }

    @Test
    void lcsIsDescribedAsRedisDescribesIt(DifferentialSession session) {
        session.check("COMMAND", "INFO", "lcs");
        session.check("COMMAND", "GETKEYS", "LCS", "k1", "k2", "IDX");
        session.check("COMMAND", "LIST", "FILTERBY", "PATTERN", "lcs");
        session.checkMasked(ReplyMasker.unordered(), "ACL", "CAT", "string");
    }
}
