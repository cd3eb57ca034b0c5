package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list commands on their own and their non-blocking uses of the blocking ones: every reply, error and
 * RESP3 shape byte for byte as a real redis-server 7.0 gives it, and the quicklist layout through DUMP.
 * Keys share the {l} tag, so that multi-key commands stay in one slot.
 */
@ExtendWith(DifferentialExtension.class)
class ListCommandsDifferentialTest {

    private static void resp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
    }

    @Test
    void pushesCreateAndExtendLists(DifferentialSession session) {
        session.check("LPUSH", "{l}a", "1", "2", "3");
        session.check("RPUSH", "{l}a", "x", "y");
        session.check("LPUSHX", "{l}missing", "v");
        session.check("RPUSHX", "{l}missing", "v");
        session.check("EXISTS", "{l}missing");
        session.check("LPUSHX", "{l}a", "head");
        session.check("RPUSHX", "{l}a", "tail", "tail2");
        session.check("LRANGE", "{l}a", "0", "-1");
        session.check("LLEN", "{l}a");
        session.check("LLEN", "{l}missing");
        session.check("TYPE", "{l}a");
        session.check("LPUSH", "{l}a");
        session.check("SET", "{l}s", "v");
        session.check("LPUSH", "{l}s", "x");
        session.check("RPUSHX", "{l}s", "x");
        session.check("LLEN", "{l}s");
        session.check("DUMP", "{l}a");
    }

    @Test
    void lrangeClampsItsIndexes(DifferentialSession session) {
        session.check("RPUSH", "{l}a", "0", "1", "2", "3", "4", "5");
        for (String[] range : new String[][] {{"0", "-1"}, {"-3", "-1"}, {"2", "100"}, {"-100", "1"}, {"4", "2"},
            {"6", "10"}, {"-1", "-1"}, {"0", "0"}, {"-7", "-6"}}) {
            session.check("LRANGE", "{l}a", range[0], range[1]);
        }
        session.check("LRANGE", "{l}a", "x", "1");
        session.check("LRANGE", "{l}a", "0", "99999999999999999999");
        session.check("LRANGE", "{l}missing", "0", "-1");
        session.check("SET", "{l}s", "v");
        session.check("LRANGE", "{l}s", "0", "-1");
        session.check("LRANGE", "{l}s", "x", "-1");
    }

    @Test
    void lindexAndLsetAddressElementsByIndex(DifferentialSession session) {
        session.check("RPUSH", "{l}a", "a", "b", "c");
        session.check("LINDEX", "{l}a", "0");
        session.check("LINDEX", "{l}a", "-1");
        session.check("LINDEX", "{l}a", "3");
        session.check("LINDEX", "{l}a", "-4");
        session.check("LINDEX", "{l}a", "one");
        session.check("LINDEX", "{l}missing", "one");
        session.check("LSET", "{l}a", "1", "B");
        session.check("LSET", "{l}a", "-1", "12345");
        session.check("LSET", "{l}a", "3", "x");
        session.check("LSET", "{l}a", "x", "x");
        session.check("LSET", "{l}missing", "0", "x");
        session.check("LSET", "{l}missing", "x", "x");
        session.check("LRANGE", "{l}a", "0", "-1");
        session.check("DUMP", "{l}a");
        resp3(session);
        session.check("LINDEX", "{l}a", "9");
        session.check("LINDEX", "{l}missing", "0");
    }

    @Test
    void linsertNeedsAPivot(DifferentialSession session) {
        session.check("RPUSH", "{l}a", "a", "b", "c", "b");
        session.check("LINSERT", "{l}a", "BEFORE", "b", "x");
        session.check("LINSERT", "{l}a", "after", "b", "y");
        session.check("LINSERT", "{l}a", "AFTER", "c", "end");
        session.check("LINSERT", "{l}a", "BEFORE", "nope", "z");
        session.check("LINSERT", "{l}a", "AROUND", "b", "z");
        session.check("LINSERT", "{l}missing", "AROUND", "b", "z");
        session.check("LINSERT", "{l}missing", "BEFORE", "b", "z");
        session.check("LRANGE", "{l}a", "0", "-1");
        session.check("DUMP", "{l}a");
    }

    @Test
    void popsTakeOneOrACountOfElements(DifferentialSession session) {
        session.check("RPUSH", "{l}a", "1", "2", "3", "4", "5", "6");
        session.check("LPOP", "{l}a");
        session.check("RPOP", "{l}a");
        session.check("LPOP", "{l}a", "2");
        session.check("RPOP", "{l}a", "0");
        session.check("RPOP", "{l}a", "-1");
        session.check("RPOP", "{l}a", "x");
        session.check("LPOP", "{l}a", "1", "2");
        session.check("RPOP", "{l}a", "10");
        session.check("EXISTS", "{l}a");
        session.check("LPOP", "{l}a");
        session.check("LPOP", "{l}a", "3");
        session.check("LPOP", "{l}a", "0");
        resp3(session);
        session.check("LPOP", "{l}a");
        session.check("RPOP", "{l}a", "3");
        session.check("RPUSH", "{l}a", "x");
        session.check("RPOP", "{l}a", "2");
    }

    @Test
    void ltrimKeepsARange(DifferentialSession session) {
        for (String[] range : new String[][] {{"1", "-2"}, {"0", "-1"}, {"-2", "100"}, {"5", "2"}, {"0", "0"}}) {
            session.check("DEL", "{l}a");
            session.check("RPUSH", "{l}a", "a", "b", "c", "d", "e");
            session.check("LTRIM", "{l}a", range[0], range[1]);
            session.check("LRANGE", "{l}a", "0", "-1");
            session.check("EXISTS", "{l}a");
        }
        session.check("LTRIM", "{l}missing", "0", "1");
        session.check("LTRIM", "{l}missing", "x", "1");
    }

    @Test
    void lremCountsFromEitherEnd(DifferentialSession session) {
        for (String count : new String[] {"0", "2", "-2", "9", "-9223372036854775808"}) {
            session.check("DEL", "{l}a");
            session.check("RPUSH", "{l}a", "x", "a", "x", "b", "x", "x");
            session.check("LREM", "{l}a", count, "x");
            session.check("LRANGE", "{l}a", "0", "-1");
        }
        session.check("LREM", "{l}a", "0", "nope");
        session.check("LREM", "{l}a", "x", "a");
        session.check("LREM", "{l}missing", "0", "a");
        session.check("RPUSH", "{l}b", "x");
        session.check("LREM", "{l}b", "1", "x");
        session.check("EXISTS", "{l}b");
    }

    @Test
    void lposFindsMatchesWithRankCountAndMaxlen(DifferentialSession session) {
        session.check("RPUSH", "{l}a", "a", "b", "c", "1", "2", "3", "c", "c");
        session.check("LPOS", "{l}a", "c");
        session.check("LPOS", "{l}a", "c", "RANK", "2");
        session.check("LPOS", "{l}a", "c", "RANK", "-1");
        session.check("LPOS", "{l}a", "c", "RANK", "-3");
        session.check("LPOS", "{l}a", "c", "RANK", "4");
        session.check("LPOS", "{l}a", "c", "COUNT", "0");
        session.check("LPOS", "{l}a", "c", "COUNT", "2");
        session.check("LPOS", "{l}a", "c", "COUNT", "0", "RANK", "-2");
        session.check("LPOS", "{l}a", "c", "COUNT", "0", "MAXLEN", "7");
        session.check("LPOS", "{l}a", "c", "MAXLEN", "2");
        session.check("LPOS", "{l}a", "x", "COUNT", "5");
        session.check("LPOS", "{l}a", "c", "RANK", "0");
        session.check("LPOS", "{l}a", "c", "RANK", "x");
        session.check("LPOS", "{l}a", "c", "COUNT", "-1");
        session.check("LPOS", "{l}a", "c", "MAXLEN", "-1");
        session.check("LPOS", "{l}a", "c", "COUNT");
        session.check("LPOS", "{l}a", "c", "OTHER", "1");
        session.check("LPOS", "{l}missing", "c");
        session.check("LPOS", "{l}missing", "c", "COUNT", "1");
        session.check("LPOS", "{l}missing", "c", "RANK", "0");
        resp3(session);
        session.check("LPOS", "{l}a", "nope");
        session.check("LPOS", "{l}missing", "c");
    }

    @Test
    void lmoveAndRpoplpushMoveOneElement(DifferentialSession session) {
        session.check("RPUSH", "{l}src", "1", "2", "3");
        session.check("LMOVE", "{l}src", "{l}dst", "LEFT", "RIGHT");
        session.check("LMOVE", "{l}src", "{l}dst", "right", "left");
        session.check("RPOPLPUSH", "{l}src", "{l}dst");
        session.check("EXISTS", "{l}src");
        session.check("LRANGE", "{l}dst", "0", "-1");
        session.check("LMOVE", "{l}dst", "{l}dst", "LEFT", "RIGHT");
        session.check("LRANGE", "{l}dst", "0", "-1");
        session.check("LMOVE", "{l}missing", "{l}dst", "LEFT", "RIGHT");
        session.check("LMOVE", "{l}dst", "{l}dst", "UP", "RIGHT");
        session.check("LMOVE", "{l}dst", "{l}dst", "LEFT", "DOWN");
        session.check("SET", "{l}s", "v");
        session.check("LMOVE", "{l}dst", "{l}s", "LEFT", "RIGHT");
        session.check("LMOVE", "{l}s", "{l}dst", "LEFT", "RIGHT");
        session.check("RPOPLPUSH", "{l}dst", "{l}s");
        session.check("LRANGE", "{l}dst", "0", "-1");
        session.check("RPUSH", "{l}one", "x");
        session.check("RPOPLPUSH", "{l}one", "{l}one");
        session.check("LRANGE", "{l}one", "0", "-1");
    }

    @Test
    void lmpopPopsFromTheFirstNonEmptyList(DifferentialSession session) {
        session.check("RPUSH", "{l}b", "1", "2", "3");
        session.check("LMPOP", "2", "{l}a", "{l}b", "LEFT");
        session.check("LMPOP", "2", "{l}a", "{l}b", "RIGHT", "COUNT", "10");
        session.check("LMPOP", "2", "{l}a", "{l}b", "RIGHT");
        session.check("LMPOP", "0", "{l}a", "LEFT");
        session.check("LMPOP", "-1", "{l}a", "LEFT");
        session.check("LMPOP", "x", "{l}a", "LEFT");
        session.check("LMPOP", "3", "{l}a", "LEFT");
        session.check("LMPOP", "1", "{l}a", "MIDDLE");
        session.check("LMPOP", "1", "{l}a", "LEFT", "COUNT", "0");
        session.check("LMPOP", "1", "{l}a", "LEFT", "COUNT", "x");
        session.check("LMPOP", "1", "{l}a", "LEFT", "COUNT", "1", "COUNT", "2");
        session.check("LMPOP", "1", "{l}a", "LEFT", "COUNT");
        session.check("SET", "{l}s", "v");
        session.check("LMPOP", "2", "{l}a", "{l}s", "LEFT");
        session.check("RPUSH", "{l}a", "x");
        session.check("LMPOP", "2", "{l}a", "{l}s", "LEFT");
        resp3(session);
        session.check("LMPOP", "1", "{l}a", "LEFT");
        session.check("RPUSH", "{l}a", "x", "y");
        session.check("LMPOP", "1", "{l}a", "LEFT", "COUNT", "2");
    }

    @Test
    void blockingPopsOnFullListsAnswerAtOnce(DifferentialSession session) {
        session.check("RPUSH", "{l}b", "1", "2", "3", "4");
        session.check("BLPOP", "{l}a", "{l}b", "0");
        session.check("BRPOP", "{l}a", "{l}b", "1");
        session.check("BLMPOP", "0", "2", "{l}a", "{l}b", "RIGHT", "COUNT", "5");
        session.check("RPUSH", "{l}b", "1", "2");
        session.check("BLMOVE", "{l}b", "{l}c", "LEFT", "LEFT", "0");
        session.check("BRPOPLPUSH", "{l}b", "{l}c", "0");
        session.check("LRANGE", "{l}c", "0", "-1");
        session.check("SET", "{l}s", "v");
        session.check("BLPOP", "{l}s", "0");
        session.check("BLPOP", "{l}a", "{l}s", "0");
        session.check("BLMOVE", "{l}s", "{l}c", "LEFT", "LEFT", "0");
        session.check("BLMOVE", "{l}c", "{l}s", "LEFT", "LEFT", "0");
        session.check("BLMPOP", "0", "1", "{l}s", "LEFT");
        resp3(session);
        session.check("BLPOP", "{l}c", "0");
        session.check("BLPOP", "{l}none", "0.01");
        session.check("BLMOVE", "{l}none", "{l}c", "LEFT", "LEFT", "0.01");
        session.check("BLMPOP", "0.01", "1", "{l}none", "LEFT");
    }

    @ParameterizedTest(name = "BLPOP timeout {0}")
    @ValueSource(strings = {"-1", "-0.002", "inf", "-inf", "1e30", "abc", "", " 1", "0x", "1e5000", "nan"})
    void blockingTimeoutsAreValidatedFirst(String timeout, DifferentialSession session) {
        session.check("BLPOP", "{l}a", timeout);
        session.check("BRPOP", "{l}a", "{l}b", timeout);
        session.check("BLMOVE", "{l}a", "{l}b", "LEFT", "LEFT", timeout);
        session.check("BRPOPLPUSH", "{l}a", "{l}b", timeout);
        session.check("BLMPOP", timeout, "1", "{l}a", "LEFT");
        session.check("BLMPOP", timeout, "0", "{l}a", "LEFT");
    }

    @Test
    void arityAndKeysMatchRedis(DifferentialSession session) {
        for (String cmd : new String[] {"LPUSH", "LPOP", "LRANGE", "LINDEX", "LSET", "LINSERT", "LLEN", "LREM", "LTRIM",
            "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP", "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP"}) {
            session.check(cmd);
            session.check(cmd, "{l}a");
            session.check("COMMAND", "INFO", cmd);
        }
        session.check("COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT");
        session.check("COMMAND", "GETKEYS", "BLMPOP", "0", "2", "a", "b", "LEFT");
        session.check("COMMAND", "GETKEYS", "BLPOP", "a", "b", "0");
        session.check("LMPOP", "2", "a", "b", "LEFT");
        session.check("BLPOP", "a", "b", "0");
    }

    @Test
    void largeListsSpanNodesLikeRedis(DifferentialSession session) {
        String[] elements = new String[400];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = i % 3 == 0 ? Integer.toString(i * 7919) : "element-" + "x".repeat(i % 90);
        }
        String[] push = new String[elements.length + 2];
        push[0] = "RPUSH";
        push[1] = "{l}big";
        System.arraycopy(elements, 0, push, 2, elements.length);
        session.check(push);
        session.check("DUMP", "{l}big");
        session.check("LINSERT", "{l}big", "BEFORE", "element-" + "x".repeat(45), "inserted");
        session.check("LSET", "{l}big", "150", "y".repeat(3000));
        session.check("DUMP", "{l}big");
        session.check("LREM", "{l}big", "0", "element-");
        session.check("LTRIM", "{l}big", "10", "-10");
        session.check("DUMP", "{l}big");
        session.check("LRANGE", "{l}big", "100", "120");
        session.check("LPOS", "{l}big", "inserted");
        session.check("CONFIG", "SET", "list-max-listpack-size", "4");
        session.check(push);
        session.check("DUMP", "{l}big");
        session.check("CONFIG", "SET", "list-max-listpack-size", "-2");
    }
}
