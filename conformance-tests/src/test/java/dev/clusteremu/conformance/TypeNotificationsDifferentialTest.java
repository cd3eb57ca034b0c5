package dev.clusteremu.conformance;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keyspace notifications (notify-keyspace-events KEA) for the data type commands: hashes, sets, lists,
 * sorted sets, streams, bitmaps and HyperLogLogs. A subscriber to {@code __key*@0__:*} reads the events of
 * each command up to a sentinel message published after it, so that the exact sequence (class, event, key,
 * order) is compared, and a command that changes nothing must publish nothing on both sides. Pops and reads
 * served to blocked clients publish their events after the write that served them, which is compared the
 * same way, and a RESP3 connection listening to its own changes sees them where Redis writes them among its
 * replies.
 */
@ExtendWith(DifferentialExtension.class)
class TypeNotificationsDifferentialTest {
    private static final String SENTINEL = "sentinel";

    /** One command of a script; its reply is compared unless it is random (SPOP of some members). */
    private record Step(String[] argv, boolean replyCompared) {
    }

    @Test
    void hashCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("HSET", "h", "f", "v"),
                step("HSET", "h", "f", "v"),
                step("HSET", "h", "f"),
                step("HMSET", "h", "a", "1", "b", "2"),
                step("HSETNX", "h", "f", "x"),
                step("HSETNX", "h", "n", "1"),
                step("HSETNX", "h2", "only", "v"),
                step("HINCRBY", "h", "n", "5"),
                step("HINCRBY", "h", "f", "1"),
                step("HINCRBY", "h", "n", "9223372036854775807"),
                step("HINCRBY", "h", "n", "x"),
                step("HINCRBY", "h3", "c", "1"),
                step("HINCRBYFLOAT", "h", "fl", "1.5"),
                step("HINCRBYFLOAT", "h", "f", "1"),
                step("HINCRBYFLOAT", "h", "fl", "abc"),
                step("HGET", "h", "f"),
                step("HMGET", "h", "f", "missing"),
                step("HGETALL", "h"),
                step("HKEYS", "h"),
                step("HVALS", "h"),
                step("HLEN", "h"),
                step("HEXISTS", "h", "f"),
                step("HSTRLEN", "h", "f"),
                step("HRANDFIELD", "h2"),
                step("HSCAN", "h", "0"),
                step("HDEL", "h", "nosuch"),
                step("HDEL", "missing", "f"),
                step("HDEL", "h", "a", "b", "nosuch"),
                step("HDEL", "h2", "only"),
                step("HDEL", "h", "f", "n", "fl", "after-the-last"),
                step("HSET", "big", "f", "x".repeat(100)),
                step("HSET", "big", "g", "y"),
                step("HDEL", "big", "f", "g"),
                step("SET", "str", "v"),
                step("HSET", "str", "f", "v"),
                step("HDEL", "str", "f"),
                step("HINCRBY", "str", "f", "1")));
    }

    @Test
    void setCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("SADD", "s", "a", "b", "c"),
                step("SADD", "s", "a"),
                step("SADD", "s", "a", "d"),
                step("SADD", "ints", "1", "2", "3"),
                step("SREM", "s", "nosuch"),
                step("SREM", "missing", "a"),
                step("SREM", "s", "a"),
                step("SREM", "s", "b", "c", "d", "after-the-last"),
                step("SADD", "{s}src", "a", "b"),
                step("SADD", "{s}dst", "c"),
                step("SMOVE", "{s}src", "{s}dst", "a"),
                step("SMOVE", "{s}src", "{s}dst", "nosuch"),
                step("SMOVE", "{s}missing", "{s}dst", "a"),
                step("SMOVE", "{s}src", "{s}src", "b"),
                step("SADD", "{s}dst", "b"),
                step("SMOVE", "{s}src", "{s}dst", "b"),
                step("SMOVE", "{s}dst", "{s}fresh", "c"),
                step("SET", "{s}str", "v"),
                step("SMOVE", "{s}dst", "{s}str", "a"),
                step("SMOVE", "{s}str", "{s}dst", "a"),
                step("SADD", "one", "x"),
                step("SPOP", "one"),
                step("SPOP", "one"),
                step("SADD", "one", "x"),
                step("SPOP", "one", "0"),
                step("SPOP", "one", "5"),
                step("SPOP", "missing", "5"),
                random("SPOP", "ints"),
                random("SPOP", "ints", "1"),
                random("SPOP", "ints", "10"),
                step("SADD", "many", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                random("SPOP", "many", "9"),
                random("SPOP", "many", "1"),
                step("SADD", "{s}x", "1", "2", "3"),
                step("SADD", "{s}y", "2", "3", "4"),
                step("SADD", "{s}z", "9"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}y"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}none"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}none"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}y"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}z"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}z"),
                step("SUNIONSTORE", "{s}d", "{s}x", "{s}y"),
                step("SUNIONSTORE", "{s}d", "{s}none"),
                step("SUNIONSTORE", "{s}d", "{s}none"),
                step("SDIFFSTORE", "{s}d", "{s}x", "{s}y"),
                step("SDIFFSTORE", "{s}d", "{s}x", "{s}x"),
                step("SDIFFSTORE", "{s}d", "{s}none", "{s}x"),
                step("SINTERSTORE", "{s}d", "{s}x", "{s}str"),
                step("SINTER", "{s}x", "{s}y"),
                step("SUNION", "{s}x", "{s}y"),
                step("SDIFF", "{s}x", "{s}y"),
                step("SINTERCARD", "2", "{s}x", "{s}y"),
                step("SMEMBERS", "{s}x"),
                step("SISMEMBER", "{s}x", "1"),
                step("SMISMEMBER", "{s}x", "1", "5"),
                step("SCARD", "{s}x"),
                step("SRANDMEMBER", "{s}z"),
                step("SSCAN", "{s}x", "0")));
    }

    @Test
    void listCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("RPUSH", "l", "a", "b", "c"),
                step("LPUSH", "l", "z"),
                step("LPUSHX", "missing", "a"),
                step("RPUSHX", "missing", "a"),
                step("RPUSHX", "l", "d"),
                step("LPUSHX", "l", "y"),
                step("LINSERT", "l", "BEFORE", "a", "x"),
                step("LINSERT", "l", "AFTER", "nosuch", "x"),
                step("LINSERT", "missing", "BEFORE", "a", "x"),
                step("LSET", "l", "0", "q"),
                step("LSET", "l", "0", "q"),
                step("LSET", "l", "100", "q"),
                step("LSET", "missing", "0", "x"),
                step("LINDEX", "l", "0"),
                step("LRANGE", "l", "0", "-1"),
                step("LLEN", "l"),
                step("LPOS", "l", "a"),
                step("LTRIM", "l", "0", "-1"),
                step("LTRIM", "l", "1", "-1"),
                step("LTRIM", "missing", "0", "1"),
                step("LTRIM", "l", "5", "1"),
                step("RPUSH", "r", "a", "b", "a", "c", "a"),
                step("LREM", "r", "0", "nosuch"),
                step("LREM", "missing", "0", "a"),
                step("LREM", "r", "2", "a"),
                step("LREM", "r", "-1", "a"),
                step("LREM", "r", "0", "b"),
                step("LREM", "r", "0", "c"),
                step("RPUSH", "p", "1", "2", "3", "4", "5"),
                step("LPOP", "p"),
                step("RPOP", "p"),
                step("LPOP", "p", "0"),
                step("LPOP", "p", "2"),
                step("RPOP", "p", "5"),
                step("LPOP", "p"),
                step("RPOP", "missing", "2"),
                step("RPUSH", "{l}a", "1", "2", "3"),
                step("LMPOP", "2", "{l}none", "{l}a", "LEFT"),
                step("LMPOP", "2", "{l}none", "{l}a", "RIGHT", "COUNT", "10"),
                step("LMPOP", "1", "{l}none", "LEFT"),
                step("RPUSH", "{l}src", "a", "b", "c"),
                step("LMOVE", "{l}src", "{l}dst", "LEFT", "RIGHT"),
                step("LMOVE", "{l}src", "{l}dst", "RIGHT", "LEFT"),
                step("RPOPLPUSH", "{l}src", "{l}dst"),
                step("RPOPLPUSH", "{l}src", "{l}dst"),
                step("LMOVE", "{l}none", "{l}dst", "LEFT", "LEFT"),
                step("LMOVE", "{l}dst", "{l}dst", "LEFT", "RIGHT"),
                step("SET", "{l}str", "v"),
                step("LMOVE", "{l}dst", "{l}str", "LEFT", "LEFT"),
                step("LMOVE", "{l}str", "{l}dst", "LEFT", "LEFT"),
                step("BLPOP", "{l}dst", "0"),
                step("BRPOP", "{l}none", "{l}dst", "0"),
                step("RPUSH", "{l}dst", "1", "2"),
                step("BLMOVE", "{l}dst", "{l}d2", "LEFT", "LEFT", "0"),
                step("BRPOPLPUSH", "{l}dst", "{l}d2", "0"),
                step("BLMPOP", "0", "1", "{l}d2", "LEFT", "COUNT", "5"),
                step("BLPOP", "{l}none", "0.01"),
                step("BLMOVE", "{l}none", "{l}d2", "LEFT", "LEFT", "0.01"),
                step("BLMPOP", "0.01", "1", "{l}none", "LEFT"),
                step("RPUSH", "{l}str", "x"),
                step("LPOP", "{l}str")));
    }

    @Test
    void sortedSetCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("ZADD", "z", "1", "a", "2", "b"),
                step("ZADD", "z", "1", "a"),
                step("ZADD", "z", "NX", "5", "a"),
                step("ZADD", "z", "XX", "3", "a"),
                step("ZADD", "z", "XX", "1", "newm"),
                step("ZADD", "missing", "XX", "1", "a"),
                step("ZADD", "z", "GT", "0", "a"),
                step("ZADD", "z", "CH", "4", "a"),
                step("ZADD", "z", "INCR", "1", "a"),
                step("ZADD", "z", "NX", "INCR", "1", "a"),
                step("ZADD", "z", "1", "a", "2"),
                step("ZADD", "z", "x", "a"),
                step("ZINCRBY", "z", "2", "b"),
                step("ZINCRBY", "z", "0", "b"),
                step("ZINCRBY", "znew", "2", "b"),
                step("ZADD", "z", "inf", "c"),
                step("ZINCRBY", "z", "-inf", "c"),
                step("ZSCORE", "z", "a"),
                step("ZRANGE", "z", "0", "-1", "WITHSCORES"),
                step("ZCARD", "z"),
                step("ZRANK", "z", "a"),
                step("ZCOUNT", "z", "-inf", "+inf"),
                step("ZSCAN", "z", "0"),
                step("ZRANDMEMBER", "znew"),
                step("ZREM", "z", "nosuch"),
                step("ZREM", "missing", "a"),
                step("ZREM", "z", "a"),
                step("ZREM", "z", "b", "c", "after-the-last"),
                step("ZADD", "r", "1", "a", "2", "b", "3", "c", "4", "d"),
                step("ZREMRANGEBYRANK", "r", "0", "0"),
                step("ZREMRANGEBYRANK", "r", "10", "20"),
                step("ZREMRANGEBYSCORE", "r", "100", "200"),
                step("ZREMRANGEBYSCORE", "r", "2", "2"),
                step("ZREMRANGEBYLEX", "r", "[x", "[y"),
                step("ZREMRANGEBYSCORE", "r", "-inf", "+inf"),
                step("ZREMRANGEBYRANK", "missing", "0", "-1"),
                step("ZADD", "lex", "0", "a", "0", "b", "0", "c"),
                step("ZREMRANGEBYLEX", "lex", "[a", "[b"),
                step("ZREMRANGEBYLEX", "lex", "-", "+"),
                step("ZADD", "{z}a", "1", "x", "2", "y", "3", "w"),
                step("ZADD", "{z}b", "5", "y", "6", "v"),
                step("ZRANGESTORE", "{z}d", "{z}a", "0", "-1"),
                step("ZRANGESTORE", "{z}d", "{z}a", "5", "10"),
                step("ZRANGESTORE", "{z}d", "{z}a", "5", "10"),
                step("ZRANGESTORE", "{z}d", "{z}none", "0", "-1"),
                step("ZRANGESTORE", "{z}d", "{z}a", "2", "3", "BYSCORE"),
                step("ZRANGESTORE", "{z}d", "{z}a", "[z", "[zz", "BYLEX"),
                step("ZUNIONSTORE", "{z}d", "2", "{z}a", "{z}b"),
                step("ZINTERSTORE", "{z}d", "2", "{z}a", "{z}b"),
                step("ZDIFFSTORE", "{z}d", "2", "{z}a", "{z}b"),
                step("ZINTERSTORE", "{z}d", "2", "{z}a", "{z}none"),
                step("ZDIFFSTORE", "{z}d", "1", "{z}none"),
                step("SET", "{z}str", "v"),
                step("ZUNIONSTORE", "{z}d", "2", "{z}a", "{z}str"),
                step("ZUNION", "2", "{z}a", "{z}b"),
                step("ZINTERCARD", "2", "{z}a", "{z}b"),
                step("ZPOPMIN", "{z}a"),
                step("ZPOPMAX", "{z}b", "2"),
                step("ZPOPMIN", "{z}a", "0"),
                step("ZPOPMIN", "{z}none"),
                step("ZPOPMAX", "{z}none", "3"),
                step("ZMPOP", "2", "{z}none", "{z}a", "MIN", "COUNT", "10"),
                step("ZMPOP", "1", "{z}none", "MAX"),
                step("ZADD", "{z}c", "1", "a", "2", "b"),
                step("BZPOPMIN", "{z}none", "{z}c", "0"),
                step("BZMPOP", "0", "1", "{z}c", "MAX"),
                step("BZPOPMAX", "{z}none", "0.01"),
                step("BZMPOP", "0.01", "1", "{z}none", "MIN"),
                step("ZPOPMIN", "{z}str")));
    }

    @Test
    void streamCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("XADD", "s", "1-1", "f", "v"),
                step("XADD", "s", "1-1", "f", "v"),
                step("XADD", "s", "0-0", "f", "v"),
                step("XADD", "none", "NOMKSTREAM", "1-1", "f", "v"),
                step("XADD", "s", "MAXLEN", "2", "2-1", "f", "v"),
                step("XADD", "s", "MAXLEN", "2", "3-1", "f", "v"),
                step("XADD", "s", "MAXLEN", "~", "1", "4-1", "f", "v"),
                step("XADD", "s", "MINID", "4", "5-1", "f", "v"),
                step("XADD", "s", "6-1", "f"),
                step("XLEN", "s"),
                step("XRANGE", "s", "-", "+"),
                step("XREVRANGE", "s", "+", "-", "COUNT", "1"),
                step("XREAD", "STREAMS", "s", "0"),
                step("XSETID", "s", "100-0"),
                step("XSETID", "s", "1-0"),
                step("XSETID", "none", "1-1"),
                step("XGROUP", "CREATE", "s", "g", "$"),
                step("XGROUP", "CREATE", "s", "g", "$"),
                step("XGROUP", "CREATE", "none", "g", "$"),
                step("XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM"),
                step("XGROUP", "SETID", "s", "g", "0"),
                step("XGROUP", "SETID", "s", "nogroup", "0"),
                step("XGROUP", "CREATECONSUMER", "s", "g", "c1"),
                step("XGROUP", "CREATECONSUMER", "s", "g", "c1"),
                step("XGROUP", "CREATECONSUMER", "s", "nogroup", "c1"),
                step("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", "s", ">"),
                step("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", "s", ">"),
                step("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", ">"),
                step("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", ">"),
                step("XREADGROUP", "GROUP", "g", "c4", "STREAMS", "s", "0"),
                step("XREADGROUP", "GROUP", "g", "c5", "NOACK", "STREAMS", "s", ">"),
                step("XREADGROUP", "GROUP", "g", "c5", "STREAMS", "none", ">"),
                step("XCLAIM", "s", "g", "c6", "0", "9-9"),
                step("XCLAIM", "s", "g", "c6", "0", "4-1", "JUSTID"),
                step("XCLAIM", "s", "g", "c6", "0", "4-1", "JUSTID"),
                step("XAUTOCLAIM", "s", "g", "c7", "0", "0", "JUSTID"),
                step("XAUTOCLAIM", "s", "g", "c8", "0", "9999", "JUSTID"),
                step("XACK", "s", "g", "4-1"),
                step("XPENDING", "s", "g"),
                step("XINFO", "GROUPS", "s"),
                step("XGROUP", "DELCONSUMER", "s", "g", "c1"),
                step("XGROUP", "DELCONSUMER", "s", "g", "c1"),
                step("XGROUP", "DESTROY", "s", "g"),
                step("XGROUP", "DESTROY", "s", "g"),
                step("XDEL", "s", "9-9"),
                step("XDEL", "none", "1-1"),
                step("XDEL", "s", "4-1", "9-9"),
                step("XTRIM", "s", "MAXLEN", "100"),
                step("XTRIM", "none", "MAXLEN", "1"),
                step("XTRIM", "s", "MAXLEN", "1"),
                step("XTRIM", "s", "MINID", "1000"),
                step("XTRIM", "s", "MINID", "1000"),
                step("SET", "str", "v"),
                step("XADD", "str", "1-1", "f", "v"),
                step("XTRIM", "str", "MAXLEN", "1")));
    }

    @Test
    void bitmapAndHyperLogLogCommandsRaiseRedisEvents(DifferentialSession session) {
        runScript(session, List.of(
                step("SETBIT", "b", "7", "1"),
                step("SETBIT", "b", "7", "1"),
                step("SETBIT", "b", "7", "0"),
                step("SETBIT", "b", "100", "0"),
                step("SETBIT", "b", "2", "0"),
                step("SETBIT", "nb", "0", "0"),
                step("SETBIT", "b", "1", "2"),
                step("GETBIT", "b", "7"),
                step("BITCOUNT", "b"),
                step("BITPOS", "b", "1"),
                step("BITFIELD", "bf", "SET", "u8", "0", "255"),
                step("BITFIELD", "bf", "SET", "u8", "0", "255"),
                step("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"),
                step("BITFIELD", "bf", "INCRBY", "u8", "0", "1"),
                step("BITFIELD", "bf", "GET", "u8", "0"),
                step("BITFIELD", "missing", "GET", "u8", "0"),
                step("BITFIELD", "created", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5"),
                step("BITFIELD", "bf", "SET", "u8", "16", "0"),
                step("BITFIELD_RO", "bf", "GET", "u8", "0"),
                step("SET", "{b}x", "ab"),
                step("SET", "{b}y", "c"),
                step("BITOP", "AND", "{b}d", "{b}x", "{b}y"),
                step("BITOP", "OR", "{b}d", "{b}none"),
                step("BITOP", "OR", "{b}d", "{b}none"),
                step("BITOP", "NOT", "{b}d", "{b}x"),
                step("BITOP", "XOR", "{b}d", "{b}x", "{b}y", "{b}d"),
                step("HSET", "{b}hash", "f", "v"),
                step("BITOP", "AND", "{b}d", "{b}hash"),
                step("PFADD", "hll", "a", "b", "c"),
                step("PFADD", "hll", "a"),
                step("PFADD", "hll2"),
                step("PFADD", "hll2"),
                step("PFCOUNT", "hll"),
                step("PFCOUNT", "hll"),
                step("PFADD", "{p}a", "x", "y"),
                step("PFADD", "{p}b", "y", "z"),
                step("PFMERGE", "{p}d", "{p}a", "{p}b"),
                step("PFMERGE", "{p}d"),
                step("PFMERGE", "{p}e", "{p}none"),
                step("PFCOUNT", "{p}a", "{p}b"),
                step("SET", "{p}str", "v"),
                step("PFADD", "{p}str", "a"),
                step("PFMERGE", "{p}d", "{p}str")));
    }

    @Test
    void listPopsServedLaterPublishAfterThePushThatServedThem(DifferentialSession session) {
        withSubscriber(session, events -> {
            try (TwinConnection first = TwinConnection.open(session, "first");
                    TwinConnection second = TwinConnection.open(session, "second")) {
                served(session, events, first, cmd("BLPOP", "{q}a", "0"), cmd("RPUSH", "{q}a", "x"));
                served(session, events, first, cmd("BRPOP", "{q}none", "{q}a", "0"),
                        cmd("LPUSH", "{q}a", "1", "2", "3"));
                served(session, events, first, cmd("BLPOP", "{q}b", "0"), cmd("LMOVE", "{q}a", "{q}b", "LEFT", "LEFT"));
                served(session, events, first, cmd("BLMPOP", "0", "1", "{q}c", "LEFT", "COUNT", "2"),
                        cmd("RPUSH", "{q}c", "1", "2", "3"));
                served(session, events, first, cmd("BLMPOP", "0", "1", "{q}c2", "RIGHT", "COUNT", "5"),
                        cmd("LPUSH", "{q}c2", "4"));
                served(session, events, first, cmd("BLMOVE", "{q}src", "{q}dst", "RIGHT", "LEFT", "0"),
                        cmd("RPUSH", "{q}src", "x", "y"));
                served(session, events, first, cmd("BRPOPLPUSH", "{q}empty", "{q}dst", "0"),
                        cmd("RPUSH", "{q}empty", "z"));
                served(session, events, first, cmd("BLMOVE", "{q}empty", "{q}empty", "LEFT", "RIGHT", "0"),
                        cmd("RPUSH", "{q}empty", "self"));
                session.check("SET", "{q}str", "v");
                eventsUpToSentinel(session, events);
                served(session, events, first, cmd("BLMOVE", "{q}w", "{q}str", "LEFT", "LEFT", "0"),
                        cmd("RPUSH", "{q}w", "stays"));

                // Two clients on one key, then a move that serves a client blocked on its destination.
                first.send("BLPOP", "{q}two", "0");
                awaitBlocked(session, 1);
                second.send("BRPOP", "{q}two", "0");
                awaitBlocked(session, 2);
                session.check("RPUSH", "{q}two", "1", "2", "3");
                first.next();
                second.next();
                eventsUpToSentinel(session, events);
                first.send("BLMOVE", "{q}from", "{q}to", "LEFT", "RIGHT", "0");
                awaitBlocked(session, 1);
                second.send("BLPOP", "{q}to", "0");
                awaitBlocked(session, 2);
                session.check("RPUSH", "{q}from", "moved");
                first.next();
                second.next();
                eventsUpToSentinel(session, events);

                // A transaction's pushes serve the blocked client after EXEC.
                first.send("BLPOP", "{q}tx", "0");
                awaitBlocked(session, 1);
                session.check("MULTI");
                session.check("RPUSH", "{q}tx", "1");
                session.check("LPUSH", "{q}tx", "2");
                session.check("EXEC");
                first.next();
                eventsUpToSentinel(session, events);
            }
        });
    }

    @Test
    void sortedSetPopsServedLaterPublishAfterTheAddThatServedThem(DifferentialSession session) {
        withSubscriber(session, events -> {
            try (TwinConnection first = TwinConnection.open(session, "first");
                    TwinConnection second = TwinConnection.open(session, "second")) {
                served(session, events, first, cmd("BZPOPMIN", "{q}z", "0"), cmd("ZADD", "{q}z", "1", "a"));
                served(session, events, first, cmd("BZPOPMAX", "{q}none", "{q}z", "0"),
                        cmd("ZADD", "{q}z", "1", "a", "2", "b"));
                served(session, events, first, cmd("BZMPOP", "0", "1", "{q}m", "MAX", "COUNT", "2"),
                        cmd("ZADD", "{q}m", "1", "a", "2", "b", "3", "c"));
                served(session, events, first, cmd("BZMPOP", "0", "2", "{q}none", "{q}m2", "MIN", "COUNT", "9"),
                        cmd("ZADD", "{q}m2", "4", "d"));
                served(session, events, first, cmd("BZPOPMIN", "{q}u", "0"),
                        cmd("ZUNIONSTORE", "{q}u", "2", "{q}z", "{q}none"));

                first.send("BZPOPMIN", "{q}two", "0");
                awaitBlocked(session, 1);
                second.send("BZMPOP", "0", "1", "{q}two", "MAX", "COUNT", "5");
                awaitBlocked(session, 2);
                session.check("ZADD", "{q}two", "1", "a", "2", "b", "3", "c");
                first.next();
                second.next();
                eventsUpToSentinel(session, events);
            }
        });
    }

    @Test
    void streamReadsServedLaterPublishTheConsumersTheyCreate(DifferentialSession session) {
        withSubscriber(session, events -> {
            try (TwinConnection reader = TwinConnection.open(session, "reader")) {
                served(session, events, reader, cmd("XREAD", "BLOCK", "0", "STREAMS", "{q}s", "$"),
                        cmd("XADD", "{q}s", "1-1", "f", "v"));
                session.check("XGROUP", "CREATE", "{q}s", "g", "$");
                eventsUpToSentinel(session, events);
                served(session, events, reader,
                        cmd("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "{q}s", ">"),
                        cmd("XADD", "{q}s", "2-1", "f", "v"));
                served(session, events, reader,
                        cmd("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "{q}s", ">"),
                        cmd("XADD", "{q}s", "3-1", "f", "v"));
                served(session, events, reader,
                        cmd("XREADGROUP", "GROUP", "g", "c2", "NOACK", "BLOCK", "0", "STREAMS", "{q}s", ">"),
                        cmd("XADD", "{q}s", "MAXLEN", "1", "4-1", "f", "v"));
                served(session, events, reader,
                        cmd("XREADGROUP", "GROUP", "g", "c3", "BLOCK", "0", "STREAMS", "{q}s", ">"),
                        cmd("XGROUP", "DESTROY", "{q}s", "g"));
                session.check("XGROUP", "CREATE", "{q}s", "g", "$");
                eventsUpToSentinel(session, events);
                served(session, events, reader,
                        cmd("XREADGROUP", "GROUP", "g", "c4", "BLOCK", "0", "STREAMS", "{q}s", ">"),
                        cmd("DEL", "{q}s"));
            }
        });
    }

    @Test
    void eventsOfAClientsOwnCommandsComeWhereRedisWritesThemAmongItsReplies(DifferentialSession session) {
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (TwinConnection self = TwinConnection.open(session, "self")) {
            PubSubDifferentialTest.useProtocol(self, 3);
            self.check(1, "PSUBSCRIBE", "__keyevent@0__:*");
            for (String[] command : List.of(
                    cmd("HSET", "h", "f", "v"), cmd("HSETNX", "h", "g", "v"), cmd("HINCRBY", "h", "n", "1"),
                    cmd("HINCRBYFLOAT", "h", "x", "1.5"), cmd("HDEL", "h", "f", "g", "n", "x"),
                    cmd("SADD", "s", "a", "b"), cmd("SREM", "s", "a"), cmd("SPOP", "s"),
                    cmd("SADD", "{s}a", "1"), cmd("SMOVE", "{s}a", "{s}b", "1"),
                    cmd("SINTERSTORE", "{s}c", "{s}b", "{s}b"), cmd("SUNIONSTORE", "{s}c", "{s}none"),
                    cmd("RPUSH", "l", "a", "b", "c"), cmd("LINSERT", "l", "BEFORE", "a", "x"),
                    cmd("LSET", "l", "0", "y"), cmd("LTRIM", "l", "0", "-1"), cmd("LREM", "l", "0", "b"),
                    cmd("LPOP", "l", "2"), cmd("RPUSH", "{l}a", "1"), cmd("LMOVE", "{l}a", "{l}b", "LEFT", "RIGHT"),
                    cmd("BLMPOP", "0", "1", "{l}b", "LEFT", "COUNT", "3"),
                    cmd("ZADD", "z", "1", "a", "2", "b", "3", "c"), cmd("ZINCRBY", "z", "1", "a"),
                    cmd("ZPOPMIN", "z", "2"), cmd("ZREM", "z", "c"), cmd("ZADD", "{z}a", "1", "a"),
                    cmd("ZRANGESTORE", "{z}b", "{z}a", "0", "-1"), cmd("ZUNIONSTORE", "{z}c", "1", "{z}a"),
                    cmd("ZREMRANGEBYSCORE", "{z}a", "-inf", "+inf"), cmd("BZMPOP", "0", "1", "{z}b", "MIN"),
                    cmd("XADD", "x", "MAXLEN", "1", "1-1", "f", "v"), cmd("XADD", "x", "MAXLEN", "1", "2-1", "f", "v"),
                    cmd("XGROUP", "CREATE", "x", "g", "0"), cmd("XGROUP", "CREATECONSUMER", "x", "g", "c"),
                    cmd("XREADGROUP", "GROUP", "g", "d", "STREAMS", "x", ">"),
                    cmd("XCLAIM", "x", "g", "e", "0", "2-1"),
                    cmd("XAUTOCLAIM", "x", "g", "f", "0", "0"), cmd("XGROUP", "DELCONSUMER", "x", "g", "c"),
                    cmd("XGROUP", "SETID", "x", "g", "0"), cmd("XGROUP", "DESTROY", "x", "g"),
                    cmd("XSETID", "x", "5-0"), cmd("XDEL", "x", "2-1"), cmd("XTRIM", "x", "MAXLEN", "0"),
                    cmd("SETBIT", "b", "1", "1"), cmd("BITFIELD", "b", "SET", "u8", "8", "1", "GET", "u8", "0"),
                    cmd("SET", "{b}a", "x"), cmd("BITOP", "NOT", "{b}c", "{b}a"), cmd("BITOP", "OR", "{b}c", "{b}n"),
                    cmd("PFADD", "p", "a"), cmd("PFMERGE", "p", "p"))) {
                self.send(command);
                self.send("PING", SENTINEL);
                while (!self.next().equals(Reply.bulk(SENTINEL))) {
                    // every frame before PING's reply is compared by next()
                }
            }
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Listening {
        void run(TwinConnection events);
    }

    /**
     * Runs {@code body} with notify-keyspace-events KEA and a subscriber to every keyspace and keyevent
     * channel of db 0, plus the sentinel channel; notifications are off again afterwards.
     */
    private static void withSubscriber(DifferentialSession session, Listening body) {
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (TwinConnection events = TwinConnection.open(session, "subscriber")) {
            events.check(1, "PSUBSCRIBE", "__key*@0__:*");
            events.check(1, "SUBSCRIBE", SENTINEL);
            body.run(events);
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    /** Runs each step, comparing its reply unless random, then the events it raised. */
    private static void runScript(DifferentialSession session, List<Step> steps) {
        withSubscriber(session, events -> {
            for (Step step : steps) {
                if (step.replyCompared()) {
                    session.check(step.argv());
                } else {
                    session.referenceClient().call(step.argv());
                    session.candidateClient().call(step.argv());
                }
                eventsUpToSentinel(session, events);
            }
        });
    }

    /**
     * {@code blocked} sends {@code blocking}, which must block; once it has on both sides, {@code write}
     * serves it: the write's reply, the served reply and the events of both are compared.
     */
    private static void served(DifferentialSession session, TwinConnection events, TwinConnection blocked,
                               String[] blocking, String[] write) {
        blocked.send(blocking);
        awaitBlocked(session, 1);
        session.check(write);
        blocked.next();
        eventsUpToSentinel(session, events);
    }

    /** Waits until {@code n} clients are blocked on both sides. */
    private static void awaitBlocked(DifferentialSession session, int n) {
        for (RespClient c : List.of(session.referenceClient(), session.candidateClient())) {
            Wait.until(n + " blocked clients", () -> c.call("INFO", "clients").asString()
                    .contains("blocked_clients:" + n + "\r\n"));
        }
    }

    /** Publishes the sentinel and compares every frame the subscriber gets up to it. */
    private static void eventsUpToSentinel(DifferentialSession session, TwinConnection events) {
        session.check("PUBLISH", SENTINEL, "next");
        while (true) {
            List<Reply> frame = events.next().asList();
            if (frame.get(0).equals(Reply.bulk("message")) && frame.get(1).equals(Reply.bulk(SENTINEL))) {
                return;
            }
        }
    }

    private static Step step(String... argv) {
        return new Step(argv, true);
    }

    private static Step random(String... argv) {
        return new Step(argv, false);
    }

    private static String[] cmd(String... argv) {
        return argv;
    }
}
