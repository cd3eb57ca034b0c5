package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences that cross every data family on the same three keys give the same replies on the
 * emulator as on redis-server 7.0: strings, generic key commands, hashes, sets, lists, sorted sets, bitmaps,
 * HyperLogLog and streams, with transactions around some of them. Keys change type along the way, so the
 * WRONGTYPE paths, COPY and RENAME of every type, and DUMP payloads of whatever a key holds (compared byte
 * for byte, hash-table sets by type byte) are exercised together. The per-family properties go deeper into
 * each family; this one checks that the families agree with each other and with Redis. Consumers are left
 * out (XREADGROUP): their delivery and seen times would make two servers' stream DUMPs differ by the clock.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class EveryFamilyDifferentialProperties {
    private static final List<String> KEYS = List.of("{f}a", "{f}b", "{f}c");
    private static final List<String> MEMBERS = List.of("m1", "m2", "x", "3", "-4", "10", "");
    private static final List<String> NUMBERS = List.of("0", "1", "-2", "7", "1.5", "x", "9223372036854775807");

    private static DifferentialTargets targets;

    @BeforeContainer
    static void startTargets() {
        targets = DifferentialTargets.start();
    }

    @AfterContainer
    static void stopTargets() {
        if (targets != null) {
            targets.close();
        }
    }

    @Property(tries = 120)
    void sequencesAcrossEveryFamilyAnswerAsRedis(@ForAll boolean resp3,
                                                 @ForAll("sequences") List<List<CommandStep>> steps) {
        try (DifferentialSession session = targets.freshSession()) {
            if (resp3) {
                session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            }
            for (List<CommandStep> group : steps) {
                for (CommandStep step : group) {
                    step.check(session, true);
                }
            }
            for (String key : KEYS) {
                session.check("TYPE", key);
                session.checkMasked(CollectionMaskers.dumpTypeOfHashtables(), "DUMP", key);
            }
        }
    }

    @Provide
    Arbitrary<List<List<CommandStep>>> sequences() {
        Arbitrary<List<CommandStep>> single = Arbitraries.oneOf(exactCommand(), orderFreeCommand()).map(List::of);
        Arbitrary<List<CommandStep>> transaction = exactCommand().list().ofMinSize(1).ofMaxSize(4).map(body -> {
            List<CommandStep> group = new ArrayList<>();
            group.add(CommandStep.exact("MULTI"));
            group.addAll(body);
            group.add(CommandStep.exact("EXEC"));
            return group;
        });
        return Arbitraries.frequencyOf(
                        Tuple.of(8, single),
                        Tuple.of(1, transaction))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** Commands whose replies are the same byte for byte on both servers, whatever the encodings. */
    private static Arbitrary<CommandStep> exactCommand() {
        return Arbitraries.oneOf(strings(), keys(), hashes(), setsExact(), lists(), sortedSets(), bitmaps(),
                hyperLogLogs(), streams());
    }

    /** Commands whose replies are ordered by a hash table where the encoding is one. */
    private static Arbitrary<CommandStep> orderFreeCommand() {
        return key().flatMap(k -> Arbitraries.of(
                CommandStep.byEncoding(k, "SMEMBERS", k),
                CommandStep.byEncoding(k, "HGETALL", k),
                CommandStep.unordered("SUNION", KEYS.get(0), KEYS.get(1)),
                CommandStep.unordered("SINTER", KEYS.get(0), KEYS.get(1)),
                CommandStep.unordered("SDIFF", KEYS.get(0), KEYS.get(1))));
    }

    private static Arbitrary<CommandStep> strings() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), member()).as((k, v) -> CommandStep.exact("SET", k, v)),
                key().map(k -> CommandStep.exact("GET", k)),
                Combinators.combine(key(), member()).as((k, v) -> CommandStep.exact("APPEND", k, v)),
                key().map(k -> CommandStep.exact("INCR", k)),
                Combinators.combine(key(), number()).as((k, n) -> CommandStep.exact("INCRBYFLOAT", k, n)),
                key().map(k -> CommandStep.exact("STRLEN", k)),
                Combinators.combine(key(), member()).as((k, v) -> CommandStep.exact("SETRANGE", k, "2", v)),
                key().map(k -> CommandStep.exact("GETRANGE", k, "0", "-2")),
                key().map(k -> CommandStep.exact("GETDEL", k)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("MSET", a, "v", b, "7")));
    }

    private static Arbitrary<CommandStep> keys() {
        return Arbitraries.oneOf(
                key().map(k -> CommandStep.exact("DEL", k)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("EXISTS", a, b, a)),
                key().map(k -> CommandStep.exact("TYPE", k)),
                key().map(k -> CommandStep.exact("OBJECT", "ENCODING", k)),
                key().map(k -> CommandStep.exact("EXPIRE", k, "100")),
                key().map(k -> CommandStep.exact("TTL", k)),
                key().map(k -> CommandStep.exact("PERSIST", k)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("RENAME", a, b)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("RENAMENX", a, b)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("COPY", a, b)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("COPY", a, b, "REPLACE")),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("TOUCH", a, b)),
                key().map(k -> CommandStep.exact("UNLINK", k)));
    }

    private static Arbitrary<CommandStep> hashes() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), member(), member()).as((k, f, v) -> CommandStep.exact("HSET", k, f, v)),
                Combinators.combine(key(), member()).as((k, f) -> CommandStep.exact("HGET", k, f)),
                Combinators.combine(key(), member()).as((k, f) -> CommandStep.exact("HDEL", k, f)),
                key().map(k -> CommandStep.exact("HLEN", k)),
                Combinators.combine(key(), member(), number())
                        .as((k, f, n) -> CommandStep.exact("HINCRBY", k, f, n)),
                Combinators.combine(key(), member(), member()).as((k, f, v) -> CommandStep.exact("HSETNX", k, f, v)));
    }

    private static Arbitrary<CommandStep> setsExact() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), member(), member()).as((k, a, b) -> CommandStep.exact("SADD", k, a, b)),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("SREM", k, m)),
                key().map(k -> CommandStep.exact("SCARD", k)),
                Combinators.combine(key(), member(), member())
                        .as((k, a, b) -> CommandStep.exact("SMISMEMBER", k, a, b)),
                Combinators.combine(key(), key(), member()).as((a, b, m) -> CommandStep.exact("SMOVE", a, b, m)),
                key().map(k -> CommandStep.exact("SINTERSTORE", k, KEYS.get(0), KEYS.get(1))),
                key().map(k -> CommandStep.exact("SUNIONSTORE", k, KEYS.get(1), KEYS.get(2))),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("SINTERCARD", "2", a, b)));
    }

    private static Arbitrary<CommandStep> lists() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("LPUSH", "RPUSH", "LPUSHX"), key(), member(), member())
                        .as((c, k, a, b) -> CommandStep.exact(c, k, a, b)),
                Combinators.combine(Arbitraries.of("LPOP", "RPOP"), key()).as((c, k) -> CommandStep.exact(c, k)),
                key().map(k -> CommandStep.exact("LRANGE", k, "0", "-1")),
                key().map(k -> CommandStep.exact("LLEN", k)),
                Combinators.combine(key(), member(), member())
                        .as((k, p, v) -> CommandStep.exact("LINSERT", k, "BEFORE", p, v)),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("LREM", k, "0", m)),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("LMOVE", a, b, "LEFT", "RIGHT")),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("LPOS", k, m)),
                key().map(k -> CommandStep.exact("LTRIM", k, "1", "-1")),
                Combinators.combine(key(), key()).as((a, b) -> CommandStep.exact("BLPOP", a, b, "0.01")));
    }

    private static Arbitrary<CommandStep> sortedSets() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), number(), member()).as((k, s, m) -> CommandStep.exact("ZADD", k, s, m)),
                Combinators.combine(key(), number(), member())
                        .as((k, s, m) -> CommandStep.exact("ZINCRBY", k, s, m)),
                key().map(k -> CommandStep.exact("ZRANGE", k, "0", "-1", "WITHSCORES")),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("ZREM", k, m)),
                key().map(k -> CommandStep.exact("ZCARD", k)),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("ZSCORE", k, m)),
                Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact("ZRANK", k, m)),
                key().map(k -> CommandStep.exact("ZPOPMIN", k)),
                key().map(k -> CommandStep.exact("ZUNIONSTORE", k, "2", KEYS.get(0), KEYS.get(1))),
                key().map(k -> CommandStep.exact("ZINTER", "2", k, KEYS.get(2), "WITHSCORES")),
                key().map(k -> CommandStep.exact("ZRANGEBYSCORE", k, "-inf", "(2")));
    }

    private static Arbitrary<CommandStep> bitmaps() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), Arbitraries.integers().between(0, 40))
                        .as((k, o) -> CommandStep.exact("SETBIT", k, Integer.toString(o), "1")),
                Combinators.combine(key(), Arbitraries.integers().between(0, 40))
                        .as((k, o) -> CommandStep.exact("GETBIT", k, Integer.toString(o))),
                key().map(k -> CommandStep.exact("BITCOUNT", k)),
                key().map(k -> CommandStep.exact("BITPOS", k, "1")),
                key().map(k -> CommandStep.exact("BITOP", "OR", k, KEYS.get(0), KEYS.get(1))),
                key().map(k -> CommandStep.exact("BITFIELD", k, "INCRBY", "u4", "0", "3", "GET", "i8", "0")));
    }

    private static Arbitrary<CommandStep> hyperLogLogs() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), member(), member()).as((k, a, b) -> CommandStep.exact("PFADD", k, a, b)),
                key().map(k -> CommandStep.exact("PFCOUNT", k)),
                key().map(k -> CommandStep.exact("PFMERGE", k, KEYS.get(0), KEYS.get(1))));
    }

    private static Arbitrary<CommandStep> streams() {
        return Arbitraries.oneOf(
                Combinators.combine(key(), Arbitraries.integers().between(1, 30), member())
                        .as((k, ms, v) -> CommandStep.exact("XADD", k, ms + "-1", "f", v)),
                key().map(k -> CommandStep.exact("XLEN", k)),
                key().map(k -> CommandStep.exact("XRANGE", k, "-", "+")),
                Combinators.combine(key(), Arbitraries.integers().between(1, 30))
                        .as((k, ms) -> CommandStep.exact("XDEL", k, ms + "-1")),
                key().map(k -> CommandStep.exact("XTRIM", k, "MAXLEN", "2")),
                key().map(k -> CommandStep.exact("XGROUP", "CREATE", k, "g", "0", "MKSTREAM")),
                key().map(k -> CommandStep.exact("XPENDING", k, "g")));
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> member() {
        return Arbitraries.of(MEMBERS);
    }

    private static Arbitrary<String> number() {
        return Arbitraries.of(NUMBERS);
    }
}
