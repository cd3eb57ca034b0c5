package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of list commands, sent to a real redis-server 7.0 and to the emulator: every reply must
 * be the same bytes, and after every command so must the DUMP of every key, which shows the quicklist's
 * node layout. Elements mix integers (stored as such in listpacks), short and long strings, so that nodes
 * fill, split on LINSERT and merge; the fill varies between sequences.
 */
class ListCommandsPropertiesTest {
    private static final String[] KEYS = {"{p}a", "{p}b"};
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
    void listCommandSequencesMatchRedis(@ForAll("fills") String fill, @ForAll("protocols") String protocol,
                                        @ForAll("sequences") List<List<String>> commands) {
        DifferentialSession session = PairedTargets.session(targets);
        try {
            session.check("FLUSHALL");
            session.check("CONFIG", "SET", "list-max-listpack-size", fill);
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", protocol);
            for (List<String> command : commands) {
                session.check(command.toArray(String[]::new));
                for (String key : KEYS) {
                    session.check("DUMP", key);
                }
            }
        } finally {
            session.check("CONFIG", "SET", "list-max-listpack-size", "-2");
            session.close();
        }
    }

    @Provide
    Arbitrary<String> fills() {
        return Arbitraries.of("-2", "-2", "-1", "-3", "4", "7", "128");
    }

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.of("2", "3");
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> element() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-70000, 70000).map(n -> Long.toString(n)),
                Arbitraries.of("a", "b", "c", "", "-0", "007", "+1", "9223372036854775808"),
                Arbitraries.strings().withChars("xyz").ofMinLength(1).ofMaxLength(80),
                Arbitraries.integers().between(100, 2500).map("L"::repeat));
    }

    private static Arbitrary<String> index() {
        return Arbitraries.integers().between(-12, 12).map(i -> Integer.toString(i));
    }

    private static Arbitrary<String> side() {
        return Arbitraries.of("LEFT", "RIGHT");
    }

    private static Arbitrary<List<String>> command() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"), key(),
                        element().list().ofMinSize(1).ofMaxSize(6)).as((c, k, es) -> concat(List.of(c, k), es)),
                Combinators.combine(key(), Arbitraries.of("BEFORE", "AFTER"), element(), element())
                        .as((k, w, p, e) -> List.of("LINSERT", k, w, p, e)),
                Combinators.combine(key(), index(), element()).as((k, i, e) -> List.of("LSET", k, i, e)),
                Combinators.combine(key(), index()).as((k, i) -> List.of("LINDEX", k, i)),
                Combinators.combine(key(), index(), index()).as((k, i, j) -> List.of("LRANGE", k, i, j)),
                Combinators.combine(key(), index(), index()).as((k, i, j) -> List.of("LTRIM", k, i, j)),
                Combinators.combine(key(), Arbitraries.integers().between(-3, 3), element())
                        .as((k, n, e) -> List.of("LREM", k, Integer.toString(n), e)),
                Combinators.combine(Arbitraries.of("LPOP", "RPOP"), key(), Arbitraries.integers().between(-1, 5))
                        .as((c, k, n) -> n < 0 ? List.of(c, k) : List.of(c, k, Integer.toString(n))),
                Combinators.combine(key(), key(), side(), side()).as((s, d, f, t) -> List.of("LMOVE", s, d, f, t)),
                Combinators.combine(key(), key()).as((s, d) -> List.of("RPOPLPUSH", s, d)),
                Combinators.combine(key(), element(), Arbitraries.of(-2, -1, 1, 2), Arbitraries.integers().between(0, 3))
                        .as((k, e, r, n) -> List.of("LPOS", k, e, "RANK", Integer.toString(r), "COUNT",
                                Integer.toString(n))),
                Combinators.combine(side(), Arbitraries.integers().between(1, 4))
                        .as((s, n) -> List.of("LMPOP", "2", KEYS[0], KEYS[1], s, "COUNT", Integer.toString(n))),
                Combinators.combine(Arbitraries.of("BLPOP", "BRPOP"), key())
                        .as((c, k) -> List.of(c, k, "0.001")),
                key().map(k -> List.of("LLEN", k)));
    }

    @Provide
    Arbitrary<List<List<String>>> sequences() {
        return command().list().ofMinSize(1).ofMaxSize(60);
    }

    private static List<String> concat(List<String> head, List<String> tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(tail);
        return out;
    }
}
