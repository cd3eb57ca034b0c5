package dev.clusteremu.conformance;

import static dev.clusteremu.conformance.HashCommandsPropertyTest.weighted;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of set commands give the same replies on the emulator as on redis-server 7.0: over three
 * sets and a string key of one slot, with members that are integers of every intset width, non-canonical
 * numbers and strings, set algebra with and without STORE, the intset limit set low and high along the way,
 * in RESP2 or RESP3. An intset's order is compared exactly, a hashtable's as a multiset, and the servers'
 * DUMPs of a set are compared before each such read, so encodings must agree throughout. SPOP is generated
 * only where it is deterministic (a count of 0, or larger than any set), so both servers stay in step.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class SetCommandsPropertyTest {
    private static final List<String> KEYS = List.of("{t}a", "{t}b", "{t}c", "{t}a", "{t}b", "{t}s");
    private static final List<String> MEMBERS = List.of("0", "1", "2", "3", "-5", "100", "70000", "4294967296",
            "-9223372036854775808", "9223372036854775807", "9223372036854775808", "007", "a", "b", "c", "",
            "x y");

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
    void randomSetCommandSequencesAnswerAsRedis(@ForAll boolean resp3,
                                                @ForAll("sequences") List<CommandStep> steps) {
        try (DifferentialSession session = targets.freshSession()) {
            session.check("CONFIG", "SET", "set-max-intset-entries", "512");
            if (resp3) {
                session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            }
            for (CommandStep step : steps) {
                step.check(session, false);
            }
        }
    }

    @Provide
    Arbitrary<List<CommandStep>> sequences() {
        return Arbitraries.frequencyOf(
                        weighted(6, keyWithMembers("SADD", 1, 4)),
                        weighted(3, keyWithMembers("SREM", 1, 3)),
                        weighted(1, keyMember("SISMEMBER")),
                        weighted(1, keyWithMembers("SMISMEMBER", 1, 3)),
                        weighted(1, key().map(k -> CommandStep.exact("SCARD", k))),
                        weighted(2, key().map(k -> CommandStep.byEncoding(k, "SMEMBERS", k))),
                        weighted(1, key().flatMap(k -> Arbitraries.of(
                                CommandStep.scanByEncoding(k, "SSCAN", k, "0"),
                                CommandStep.scanByEncoding(k, "SSCAN", k, "0", "MATCH", "*0*"),
                                CommandStep.scanByEncoding(k, "SSCAN", k, "0", "COUNT", "3")))),
                        weighted(2, Combinators.combine(key(), key(), member())
                                .as((s, d, m) -> CommandStep.exact("SMOVE", s, d, m))),
                        weighted(3, Combinators.combine(Arbitraries.of("SINTER", "SUNION", "SDIFF"), keys(1, 3))
                                .as((c, ks) -> CommandStep.unordered(cat(List.of(c), ks).toArray(String[]::new)))),
                        weighted(3, Combinators.combine(Arbitraries.of("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"),
                                        key(), keys(1, 3))
                                .as((c, d, ks) -> exact(cat(List.of(c, d), ks)))),
                        weighted(1, Combinators.combine(keys(1, 3), Arbitraries.of("", "0", "1", "2"))
                                .as((ks, limit) -> {
                                    List<String> argv = cat(List.of("SINTERCARD", Integer.toString(ks.size())), ks);
                                    if (!limit.isEmpty()) {
                                        argv = cat(argv, List.of("LIMIT", limit));
                                    }
                                    return exact(argv);
                                })),
                        weighted(1, key().flatMap(k -> Arbitraries.of(CommandStep.exact("SPOP", k, "0"),
                                CommandStep.byEncoding(k, "SPOP", k, "1000"),
                                CommandStep.shape("SRANDMEMBER", k), CommandStep.shape("SRANDMEMBER", k, "2"),
                                CommandStep.shape("SRANDMEMBER", k, "-4"), CommandStep.exact("SRANDMEMBER", k, "0"),
                                CommandStep.byEncoding(k, "SRANDMEMBER", k, "1000")))),
                        // EXISTS after comparing the two servers' DUMPs: an encoding check at any point.
                        weighted(1, key().map(k -> CommandStep.byEncoding(k, "EXISTS", k))),
                        weighted(1, key().flatMap(k -> Arbitraries.of(CommandStep.exact("DEL", k),
                                CommandStep.exact("TYPE", k), CommandStep.exact("SET", "{t}s", "v")))),
                        weighted(1, Arbitraries.of(
                                CommandStep.exact("CONFIG", "SET", "set-max-intset-entries", "0"),
                                CommandStep.exact("CONFIG", "SET", "set-max-intset-entries", "2"),
                                CommandStep.exact("CONFIG", "SET", "set-max-intset-entries", "3"),
                                CommandStep.exact("CONFIG", "SET", "set-max-intset-entries", "512"))))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<CommandStep> keyWithMembers(String command, int min, int max) {
        return key().flatMap(k -> member().list().ofMinSize(min).ofMaxSize(max)
                .map(ms -> exact(cat(List.of(command, k), ms))));
    }

    private static Arbitrary<CommandStep> keyMember(String command) {
        return Combinators.combine(key(), member()).as((k, m) -> CommandStep.exact(command, k, m));
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<List<String>> keys(int min, int max) {
        return key().list().ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<String> member() {
        return Arbitraries.of(MEMBERS);
    }

    private static List<String> cat(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    private static CommandStep exact(List<String> argv) {
        return CommandStep.exact(argv.toArray(String[]::new));
    }
}
