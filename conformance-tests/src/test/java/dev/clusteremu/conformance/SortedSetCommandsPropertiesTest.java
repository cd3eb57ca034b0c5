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
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of sorted set commands, sent to a real redis-server 7.0 and to the emulator: every reply
 * must be the same bytes, and after every command so must the DUMP of every key, which shows each set's
 * encoding and order. The listpack limits vary between sequences so that sets convert to skiplists at
 * different points. Lexicographical ranges are only asked of a set whose members all have score 0: over
 * mixed scores their result depends on the skip list's random levels, in Redis itself.
 */
class SortedSetCommandsPropertiesTest {
    private static final String[] KEYS = {"{p}a", "{p}b", "{p}c"};
    private static final String LEX_KEY = "{p}lex";
    private static PairedTargets targets;

    @BeforeContainer
    static void start() {
        targets = PairedTargets.start();
    }

    @AfterContainer
    static void stop() {
        if (targets != null) {
            targets.close();
        }
    }

    @Property(tries = 60)
    void sortedSetCommandSequencesMatchRedis(@ForAll("entryLimits") String entries,
                                             @ForAll("valueLimits") String value,
                                             @ForAll("protocols") String protocol,
                                             @ForAll("sequences") List<List<String>> commands) {
        DifferentialSession session = PairedTargets.session(targets);
        try {
            session.check("FLUSHALL");
            session.check("CONFIG", "SET", "zset-max-listpack-entries", entries);
            session.check("CONFIG", "SET", "zset-max-listpack-value", value);
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", protocol);
            for (List<String> command : commands) {
                session.check(command.toArray(String[]::new));
                for (String key : KEYS) {
                    session.check("DUMP", key);
                }
                session.check("DUMP", LEX_KEY);
            }
        } finally {
            session.check("CONFIG", "SET", "zset-max-listpack-entries", "128");
            session.check("CONFIG", "SET", "zset-max-listpack-value", "64");
            session.close();
        }
    }

    @Provide
    Arbitrary<String> entryLimits() {
        return Arbitraries.of("128", "128", "0", "1", "3", "8");
    }

    @Provide
    Arbitrary<String> valueLimits() {
        return Arbitraries.of("64", "64", "2", "10");
    }

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.of("2", "3");
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> member() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-40, 40).map(i -> Integer.toString(i)),
                Arbitraries.strings().withChars("abcdef").ofMinLength(1).ofMaxLength(3),
                Arbitraries.integers().between(8, 20).map("m"::repeat));
    }

    /** A score as ZADD takes it. */
    private static Arbitrary<String> score() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "1.5", "0.1", "inf", "-inf", "+inf", "1e3", "2", "-2.5", "1e20",
                        "4611686018427387904", "4611686018427387905", "0x10"),
                Arbitraries.integers().between(-9, 9).map(i -> Integer.toString(i)),
                Arbitraries.doubles().between(-100, 100).map(d -> Double.toString(d)));
    }

    /** A range bound, exclusive or not. */
    private static Arbitrary<String> bound() {
        return Combinators.combine(score(), Arbitraries.of("", "(")).as((s, ex) -> ex + s);
    }

    private static Arbitrary<String> lexBound() {
        return Arbitraries.oneOf(Arbitraries.of("-", "+"),
                Combinators.combine(Arbitraries.of("[", "("), member()).as((p, m) -> p + m));
    }

    private static Arbitrary<String> rank() {
        return Arbitraries.integers().between(-6, 6).map(i -> Integer.toString(i));
    }

    private static Arbitrary<List<String>> zadd() {
        Arbitrary<List<String>> options = Arbitraries.of("NX", "XX", "GT", "LT", "CH").list().ofMaxSize(2);
        Arbitrary<List<String>> pairs = Combinators.combine(score(), member()).as(List::of).list().ofMinSize(1)
                .ofMaxSize(4).map(ps -> ps.stream().flatMap(List::stream).toList());
        return Combinators.combine(key(), options, pairs).as((k, o, p) -> concat(List.of("ZADD", k), o, p));
    }

    private static Arbitrary<List<String>> command() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, zadd()),
                Tuple.of(1, Combinators.combine(key(), score(), member())
                        .as((k, s, m) -> List.of("ZINCRBY", k, s, m))),
                Tuple.of(1, Combinators.combine(key(), score(), member())
                        .as((k, s, m) -> List.of("ZADD", k, "INCR", s, m))),
                Tuple.of(1, Combinators.combine(key(), member(), member())
                        .as((k, a, b) -> List.of("ZREM", k, a, b))),
                Tuple.of(2, Combinators.combine(key(), rank(), rank(),
                        Arbitraries.of(List.<String>of(), List.of("WITHSCORES"), List.of("REV", "WITHSCORES")))
                        .as((k, a, b, o) -> concat(List.of("ZRANGE", k, a, b), o))),
                Tuple.of(2, Combinators.combine(key(), bound(), bound(),
                        Arbitraries.of(List.<String>of("WITHSCORES"), List.of("REV"), List.of("LIMIT", "1", "2"),
                                List.of("LIMIT", "0", "-1", "WITHSCORES")))
                        .as((k, a, b, o) -> concat(List.of("ZRANGE", k, a, b, "BYSCORE"), o))),
                Tuple.of(1, Combinators.combine(key(), bound(), bound())
                        .as((k, a, b) -> List.of("ZCOUNT", k, a, b))),
                Tuple.of(1, Combinators.combine(key(), bound(), bound())
                        .as((k, a, b) -> List.of("ZREMRANGEBYSCORE", k, a, b))),
                Tuple.of(1, Combinators.combine(key(), rank(), rank())
                        .as((k, a, b) -> List.of("ZREMRANGEBYRANK", k, a, b))),
                Tuple.of(2, Combinators.combine(Arbitraries.of("ZPOPMIN", "ZPOPMAX"), key(),
                        Arbitraries.integers().between(-1, 3))
                        .as((c, k, n) -> n < 0 ? List.of(c, k) : List.of(c, k, Integer.toString(n)))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("MIN", "MAX"),
                        Arbitraries.integers().between(1, 3))
                        .as((w, n) -> List.of("ZMPOP", "2", KEYS[0], KEYS[1], w, "COUNT", Integer.toString(n)))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("BZPOPMIN", "BZPOPMAX"), key())
                        .as((c, k) -> List.of(c, k, "0.001"))),
                Tuple.of(2, Combinators.combine(
                        Arbitraries.of("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), key(), key(), key(),
                        Arbitraries.of(List.<String>of(), List.of("WEIGHTS", "2", "-1"), List.of("AGGREGATE", "MIN"),
                                List.of("AGGREGATE", "MAX")))
                        .as((c, d, a, b, o) -> c.equals("ZDIFFSTORE") ? List.of(c, d, "2", a, b)
                                : concat(List.of(c, d, "2", a, b), o))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("ZUNION", "ZINTER", "ZDIFF"), key(), key())
                        .as((c, a, b) -> List.of(c, "2", a, b, "WITHSCORES"))),
                Tuple.of(1, Combinators.combine(key(), key(), rank(), rank())
                        .as((d, s, a, b) -> List.of("ZRANGESTORE", d, s, a, b))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("ZRANK", "ZREVRANK", "ZSCORE"), key(),
                        member()).as((c, k, m) -> List.of(c, k, m))),
                Tuple.of(1, Combinators.combine(key(), member(), member())
                        .as((k, a, b) -> List.of("ZMSCORE", k, a, b))),
                Tuple.of(2, member().list().ofMinSize(1).ofMaxSize(3)
                        .map(ms -> concat(List.of("ZADD", LEX_KEY), ms.stream().flatMap(m -> List.of("0", m).stream())
                                .toList()))),
                Tuple.of(1, Combinators.combine(lexBound(), lexBound(),
                        Arbitraries.of(List.<String>of(), List.of("REV"), List.of("LIMIT", "1", "2")))
                        .as((a, b, o) -> concat(List.of("ZRANGE", LEX_KEY, a, b, "BYLEX"), o))),
                Tuple.of(1, Combinators.combine(lexBound(), lexBound())
                        .as((a, b) -> List.of("ZLEXCOUNT", LEX_KEY, a, b))),
                Tuple.of(1, Combinators.combine(lexBound(), lexBound())
                        .as((a, b) -> List.of("ZREMRANGEBYLEX", LEX_KEY, a, b))));
    }

    @Provide
    Arbitrary<List<List<String>>> sequences() {
        return command().list().ofMinSize(1).ofMaxSize(50);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
