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
 * Random lists, sets and sorted sets sorted with random SORT options, on a real redis-server 7.0 and on
 * the emulator: the same bytes every time. Elements mix integers, decimals in several spellings, strings
 * and strings that are not numbers. A hashtable set's own order is the server's hash order, so a set is
 * sorted BY a constant only with STORE, which sorts it anyway; no element overflows a double, whose ERANGE
 * Redis would carry over to later commands on the connection.
 */
class SortCommandsPropertiesTest {
    private static final String[] SOURCES = {"{sp}list", "{sp}set", "{sp}zset"};
    private static final String DESTINATION = "{sp}d";
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

    @Property(tries = 30)
    void sortSequencesMatchRedis(@ForAll("sequences") List<List<String>> commands) {
        DifferentialSession session = PairedTargets.session(targets);
        try {
            session.check("FLUSHALL");
            for (List<String> command : commands) {
                session.check(command.toArray(String[]::new));
            }
            session.check("DUMP", DESTINATION);
            session.check("OBJECT", "ENCODING", "{sp}zset");
        } finally {
            session.close();
        }
    }

    private static Arbitrary<String> element() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-20, 20).map(i -> Integer.toString(i)),
                Arbitraries.doubles().between(-20, 20).ofScale(2).map(d -> Double.toString(d)),
                Arbitraries.of("", " 3", "0x1f", "-0", "inf", "-inf", "1.0", "01", "+2", "1e3", "3 ", "a", "B",
                        "ab", "\u00e9", "nan", "9223372036854775808"),
                Arbitraries.strings().withChars("abcAB").ofMinLength(1).ofMaxLength(3));
    }

    private static Arbitrary<List<String>> options(boolean mayKeepSetOrder) {
        Arbitrary<List<String>> by = mayKeepSetOrder
                ? Arbitraries.of(List.<String>of(), List.<String>of(), List.of("BY", "nosort"))
                : Arbitraries.just(List.<String>of());
        Arbitrary<List<String>> limit = Arbitraries.oneOf(Arbitraries.just(List.<String>of()),
                Combinators.combine(Arbitraries.integers().between(-2, 12), Arbitraries.integers().between(-2, 12))
                        .as((a, b) -> List.of("LIMIT", Integer.toString(a), Integer.toString(b))));
        Arbitrary<List<String>> order = Arbitraries.of(List.<String>of(), List.of("ASC"), List.of("DESC"));
        Arbitrary<List<String>> alpha = Arbitraries.of(List.<String>of(), List.of("ALPHA"));
        return Combinators.combine(by, limit, order, alpha).as(SortCommandsPropertiesTest::concat);
    }

    private static Arbitrary<List<String>> command() {
        Arbitrary<List<String>> elements = element().list().ofMinSize(1).ofMaxSize(6);
        return Arbitraries.frequencyOf(
                Tuple.of(2, elements.map(e -> concat(List.of("RPUSH", SOURCES[0]), e))),
                Tuple.of(2, elements.map(e -> concat(List.of("SADD", SOURCES[1]), e))),
                Tuple.of(2, Combinators.combine(elements, Arbitraries.integers().between(0, 5))
                        .as((e, s) -> concat(List.of("ZADD", SOURCES[2]),
                                e.stream().flatMap(m -> List.of(Integer.toString(s), m).stream()).toList()))),
                Tuple.of(3, Combinators.combine(Arbitraries.of(SOURCES[0], SOURCES[2]), options(true))
                        .as((k, o) -> concat(List.of("SORT", k), o))),
                Tuple.of(2, options(false).map(o -> concat(List.of("SORT", SOURCES[1]), o))),
                Tuple.of(2, Combinators.combine(Arbitraries.of(SOURCES), options(true))
                        .as((k, o) -> concat(List.of("SORT", k), o, List.of("STORE", DESTINATION)))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(SOURCES[0], SOURCES[2]), options(true))
                        .as((k, o) -> concat(List.of("SORT_RO", k), o))),
                Tuple.of(1, Arbitraries.just(List.of("LRANGE", DESTINATION, "0", "-1"))));
    }

    @Provide
    Arbitrary<List<List<String>>> sequences() {
        return command().list().ofMinSize(1).ofMaxSize(30);
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
