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
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of hash commands give the same replies on the emulator as on redis-server 7.0: over two
 * hashes and a string key of one slot, with fields and values that hit every listpack integer width, empty
 * and over-long strings, counters near overflow, the encoding limits set low and high along the way, in
 * RESP2 or RESP3. Orders are compared exactly while a hash is a listpack and as pairs once a hashtable, and
 * the two servers' DUMPs of it are compared before each such read, so encodings must agree throughout.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class HashCommandsPropertyTest {
    private static final List<String> KEYS = List.of("{t}h1", "{t}h2", "{t}h1", "{t}h2", "{t}s");
    private static final List<String> FIELDS = List.of("f0", "f1", "f2", "f3", "f4", "f5", "", "12", "-1");
    private static final List<String> VALUES = List.of("0", "1", "-7", "127", "128", "-4097", "70000",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007", "x", "hello", "1.5",
            "-0.25", "1e3", "", " 2");
    private static final String LONG = "L".repeat(65);

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

    @Property(tries = 150)
    void randomHashCommandSequencesAnswerAsRedis(@ForAll boolean resp3,
                                                 @ForAll("sequences") List<CommandStep> steps) {
        try (DifferentialSession session = targets.freshSession()) {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64");
            if (resp3) {
                session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            }
            for (CommandStep step : steps) {
                step.check(session, true);
            }
        }
    }

    @Provide
    Arbitrary<List<CommandStep>> sequences() {
        return Arbitraries.frequencyOf(
                        weighted(6, hset()),
                        weighted(1, hmset()),
                        weighted(2, keyFieldValue("HSETNX")),
                        weighted(2, keyField("HGET")),
                        weighted(1, key().flatMap(k -> fields(1, 3).map(f -> exact(cat(List.of("HMGET", k), f))))),
                        weighted(1, keyField("HEXISTS")),
                        weighted(1, keyField("HSTRLEN")),
                        weighted(1, key().map(k -> CommandStep.exact("HLEN", k))),
                        weighted(3, key().flatMap(k -> fields(1, 3).map(f -> exact(cat(List.of("HDEL", k), f))))),
                        weighted(3, Combinators.combine(key(), Arbitraries.of("HGETALL", "HKEYS", "HVALS"))
                                .as((k, c) -> CommandStep.byEncoding(k, c, k))),
                        weighted(1, key().flatMap(k -> Arbitraries.of(
                                CommandStep.scanByEncoding(k, "HSCAN", k, "0"),
                                CommandStep.scanByEncoding(k, "HSCAN", k, "0", "MATCH", "f*"),
                                CommandStep.scanByEncoding(k, "HSCAN", k, "0", "COUNT", "2")))),
                        weighted(2, Combinators.combine(key(), field(), Arbitraries.of("1", "-3", "100",
                                        "9223372036854775807", "-9223372036854775808", "x"))
                                .as((k, f, i) -> CommandStep.exact("HINCRBY", k, f, i))),
                        weighted(2, Combinators.combine(key(), field(), Arbitraries.of("1.5", "-0.1", "1e3", "abc",
                                        "inf", "3", "1e70"))
                                .as((k, f, i) -> CommandStep.exact("HINCRBYFLOAT", k, f, i))),
                        weighted(1, key().flatMap(k -> Arbitraries.of(CommandStep.shape("HRANDFIELD", k),
                                CommandStep.shape("HRANDFIELD", k, "3"), CommandStep.shape("HRANDFIELD", k, "-5"),
                                CommandStep.shape("HRANDFIELD", k, "100", "WITHVALUES"),
                                CommandStep.shape("HRANDFIELD", k, "-2", "WITHVALUES"),
                                CommandStep.exact("HRANDFIELD", k, "0"), CommandStep.exact("HRANDFIELD", k, "x")))),
                        // EXISTS after comparing the two servers' DUMPs: an encoding check at any point.
                        weighted(1, key().map(k -> CommandStep.byEncoding(k, "EXISTS", k))),
                        weighted(1, key().flatMap(k -> Arbitraries.of(CommandStep.exact("DEL", k),
                                CommandStep.exact("TYPE", k), CommandStep.exact("SET", "{t}s", "v")))),
                        weighted(1, Arbitraries.of(
                                CommandStep.exact("CONFIG", "SET", "hash-max-listpack-entries", "1"),
                                CommandStep.exact("CONFIG", "SET", "hash-max-listpack-entries", "3"),
                                CommandStep.exact("CONFIG", "SET", "hash-max-listpack-entries", "512"),
                                CommandStep.exact("CONFIG", "SET", "hash-max-ziplist-value", "2"),
                                CommandStep.exact("CONFIG", "SET", "hash-max-listpack-value", "64"))))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<CommandStep> hset() {
        return key().flatMap(k -> pairs(1, 3).map(p -> exact(cat(List.of("HSET", k), p))));
    }

    private static Arbitrary<CommandStep> hmset() {
        return key().flatMap(k -> pairs(1, 2).map(p -> exact(cat(List.of("HMSET", k), p))));
    }

    private static Arbitrary<CommandStep> keyField(String command) {
        return Combinators.combine(key(), field()).as((k, f) -> CommandStep.exact(command, k, f));
    }

    private static Arbitrary<CommandStep> keyFieldValue(String command) {
        return Combinators.combine(key(), field(), value()).as((k, f, v) -> CommandStep.exact(command, k, f, v));
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> field() {
        return Arbitraries.frequencyOf(weighted(20, Arbitraries.of(FIELDS)), weighted(1, Arbitraries.just(LONG)));
    }

    private static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(weighted(20, Arbitraries.of(VALUES)), weighted(1, Arbitraries.just(LONG)));
    }

    private static Arbitrary<List<String>> fields(int min, int max) {
        return field().list().ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<List<String>> pairs(int min, int max) {
        return Combinators.combine(field(), value()).as(List::of).list().ofMinSize(min).ofMaxSize(max)
                .map(list -> list.stream().flatMap(List::stream).toList());
    }

    private static List<String> cat(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    private static CommandStep exact(List<String> argv) {
        return CommandStep.exact(argv.toArray(String[]::new));
    }

    /** A choice of {@link Arbitraries#frequencyOf}: {@code arbitrary} with relative weight {@code weight}. */
    static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
