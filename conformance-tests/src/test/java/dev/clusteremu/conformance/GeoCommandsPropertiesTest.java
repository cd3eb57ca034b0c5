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
 * Random sequences of GEOADD, GEOSEARCH, GEOSEARCHSTORE, GEORADIUS and the point reads, sent to a real
 * redis-server 7.0 and to the emulator: every reply must be the same bytes. Positions come from a coarse
 * grid (many points share a place, so equal distances test the order of ties, sorted or cut by COUNT),
 * from around Sicily, from anywhere, and from the edges of the indexable area; searches are centred on
 * positions or members, with radii and boxes from a meter to the whole Earth, in every unit.
 */
class GeoCommandsPropertiesTest {
    private static final String[] KEYS = {"{geo}a", "{geo}b"};
    private static final String DESTINATION = "{geo}d";
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

    @Property(tries = 40)
    void geoCommandSequencesMatchRedis(@ForAll("entryLimits") String entries,
                                       @ForAll("protocols") String protocol,
                                       @ForAll("sequences") List<List<String>> commands) {
        DifferentialSession session = PairedTargets.session(targets);
        try {
            session.check("FLUSHALL");
            session.check("CONFIG", "SET", "zset-max-listpack-entries", entries);
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", protocol);
            for (List<String> command : commands) {
                session.check(command.toArray(String[]::new));
            }
            session.check("DUMP", DESTINATION);
        } finally {
            session.check("CONFIG", "SET", "zset-max-listpack-entries", "128");
            session.close();
        }
    }

    @Provide
    Arbitrary<String> entryLimits() {
        return Arbitraries.of("128", "128", "4");
    }

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.of("2", "3");
    }

    private static Arbitrary<String> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> member() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("abcdefgh").ofMinLength(1).ofMaxLength(2),
                Arbitraries.integers().between(0, 30).map(i -> "m" + i));
    }

    /** A number with a few decimals in [min, max], as a client would write it. */
    private static Arbitrary<String> decimal(double min, double max, int decimals) {
        return Arbitraries.doubles().between(min, max).ofScale(decimals).map(d -> Double.toString(d));
    }

    /** A longitude and a latitude. */
    private static Arbitrary<List<String>> position() {
        Arbitrary<List<String>> grid = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3)).as((x, y) -> List.of(Double.toString(13 + x * 0.01),
                Double.toString(38 + y * 0.01)));
        Arbitrary<List<String>> sicily = Combinators.combine(decimal(12, 16, 4), decimal(36.5, 38.5, 4)).as(List::of);
        Arbitrary<List<String>> anywhere = Combinators.combine(decimal(-180, 180, 6), decimal(-85.05, 85.05, 6))
                .as(List::of);
        Arbitrary<List<String>> edges = Arbitraries.of(List.of("180", "85.05112878"), List.of("-180", "-85.05112878"),
                List.of("0", "0"), List.of("179.99", "0"), List.of("-179.99", "0.5"), List.of("13", "85"),
                List.of("-0.0001", "-0.0001"));
        return Arbitraries.frequencyOf(Tuple.of(4, grid), Tuple.of(3, sicily), Tuple.of(2, anywhere),
                Tuple.of(1, edges));
    }

    private static Arbitrary<String> unit() {
        return Arbitraries.of("m", "km", "mi", "ft", "KM");
    }

    /** A distance and its unit, from nothing to the Earth's size. */
    private static Arbitrary<List<String>> distance() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(decimal(0, 300, 2), Arbitraries.of("km", "mi")).as(List::of)),
                Tuple.of(2, Combinators.combine(decimal(0, 3000, 1), unit()).as(List::of)),
                Tuple.of(1, Arbitraries.of(List.of("0", "m"), List.of("20000", "km"), List.of("15000", "mi"),
                        List.of("1", "m"))));
    }

    /** FROMMEMBER member or FROMLONLAT longitude latitude. */
    private static Arbitrary<List<String>> from() {
        return Arbitraries.oneOf(member().map(m -> List.of("FROMMEMBER", m)),
                position().map(p -> List.of("FROMLONLAT", p.get(0), p.get(1))));
    }

    /** BYRADIUS radius unit or BYBOX width height unit. */
    private static Arbitrary<List<String>> by() {
        return Arbitraries.oneOf(distance().map(d -> List.of("BYRADIUS", d.get(0), d.get(1))),
                Combinators.combine(distance(), decimal(0, 400, 1))
                        .as((d, h) -> List.of("BYBOX", d.get(0), h, d.get(1))));
    }

    /** Ordering and COUNT options, possibly none. */
    private static Arbitrary<List<String>> order() {
        Arbitrary<List<String>> sort = Arbitraries.of(List.<String>of(), List.of("ASC"), List.of("DESC"));
        Arbitrary<List<String>> count = Arbitraries.oneOf(Arbitraries.just(List.<String>of()),
                Arbitraries.integers().between(1, 12).map(n -> List.of("COUNT", Integer.toString(n))),
                Arbitraries.integers().between(1, 12).map(n -> List.of("COUNT", Integer.toString(n), "ANY")));
        return Combinators.combine(sort, count).as(GeoCommandsPropertiesTest::concat);
    }

    private static Arbitrary<List<String>> with() {
        return Arbitraries.of("WITHCOORD", "WITHDIST", "WITHHASH").list().ofMaxSize(3);
    }

    private static Arbitrary<List<String>> geoadd() {
        Arbitrary<List<String>> options = Arbitraries.of(List.<String>of(), List.<String>of(), List.of("NX"),
                List.of("XX"), List.of("CH"), List.of("XX", "CH"));
        Arbitrary<List<String>> triples = Combinators.combine(position(), member())
                .as((p, m) -> List.of(p.get(0), p.get(1), m)).list().ofMinSize(1).ofMaxSize(6)
                .map(ts -> ts.stream().flatMap(List::stream).toList());
        return Combinators.combine(key(), options, triples).as((k, o, t) -> concat(List.of("GEOADD", k), o, t));
    }

    private static Arbitrary<List<String>> command() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, geoadd()),
                Tuple.of(5, Combinators.combine(key(), from(), by(), order(), with())
                        .as((k, f, b, o, w) -> concat(List.of("GEOSEARCH", k), f, b, o, w))),
                Tuple.of(2, Combinators.combine(key(), from(), by(), order(),
                        Arbitraries.of(List.<String>of(), List.of("STOREDIST")))
                        .as((k, f, b, o, s) -> concat(List.of("GEOSEARCHSTORE", DESTINATION, k), f, b, o, s))),
                Tuple.of(1, Combinators.combine(key(), position(), distance(), order(), with())
                        .as((k, p, d, o, w) -> concat(List.of("GEORADIUS", k), p, d, o, w))),
                Tuple.of(1, Combinators.combine(key(), member(), distance(), order(),
                        Arbitraries.of(List.<String>of(), List.of("STORE", DESTINATION),
                                List.of("STOREDIST", DESTINATION)))
                        .as((k, m, d, o, s) -> concat(List.of("GEORADIUSBYMEMBER", k, m), d, o, s))),
                Tuple.of(1, Combinators.combine(key(), member(), member(), Arbitraries.of("m", "km", "mi", "ft"))
                        .as((k, a, b, u) -> List.of("GEODIST", k, a, b, u))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("GEOPOS", "GEOHASH"), key(), member(), member())
                        .as((c, k, a, b) -> List.of(c, k, a, b))),
                Tuple.of(1, Combinators.combine(key(), member(), member()).as((k, a, b) -> List.of("ZREM", k, a, b))),
                Tuple.of(1, Arbitraries.just(List.of("ZRANGE", DESTINATION, "0", "-1", "WITHSCORES"))));
    }

    @Provide
    Arbitrary<List<List<String>>> sequences() {
        return command().list().ofMinSize(1).ofMaxSize(40);
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
