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
import org.opentest4j.TestAbortedException;

/**
 * Random sequences of bitmap, HyperLogLog and stream commands sent to a real redis-server 7.0 and to the
 * emulator: every reply must be equal (times masked), and the values left behind byte for byte equal (GET
 * and DUMP). Keys share the hash tag {t}, so multi-key commands stay in one slot.
 */
class TypesDifferentialProperties {
    private static final ReplyMasker TIMES = StreamMasks.times();
    private static RedisTarget reference;
    private static RedisTarget candidate;
    private static TestAbortedException unavailable;

    @BeforeContainer
    static void startTargets() {
        try {
            reference = Targets.realSingleMasterCluster();
            candidate = Targets.candidateSingleMasterCluster();
        } catch (TestAbortedException e) {
            unavailable = e;
        }
    }

    @AfterContainer
    static void stopTargets() {
        if (candidate != null) {
            candidate.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** A session on both targets, both flushed, with {@code config} (name value ...) set on both. */
    private static DifferentialSession session(String... config) {
        if (unavailable != null) {
            throw new TestAbortedException(unavailable.getMessage());
        }
        DifferentialSession s = DifferentialSession.open(reference, candidate);
        s.check("FLUSHALL");
        if (config.length > 0) {
            List<String> argv = new ArrayList<>(List.of("CONFIG", "SET"));
            argv.addAll(List.of(config));
            s.check(argv.toArray(String[]::new));
        }
        return s;
    }

    private static void runAll(DifferentialSession s, List<List<String>> commands) {
        for (List<String> command : commands) {
            s.checkMasked(TIMES, command.toArray(String[]::new));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bitmaps
    // ---------------------------------------------------------------------------------------------------------

    @Property(tries = 40)
    void bitmapCommandSequencesAgree(@ForAll("bitmapCommands") List<List<String>> commands) {
        try (DifferentialSession s = session()) {
            runAll(s, commands);
            for (String key : new String[] {"{t}a", "{t}b", "{t}c"}) {
                s.check("GET", key);
                s.check("DUMP", key);
            }
        }
    }

    @Provide
    Arbitrary<List<List<String>>> bitmapCommands() {
        Arbitrary<String> key = Arbitraries.of("{t}a", "{t}b", "{t}c");
        Arbitrary<String> unit = Arbitraries.of("BIT", "BYTE", "bit");
        Arbitrary<String> index = Arbitraries.integers().between(-40, 40).map(String::valueOf);
        Arbitrary<List<String>> setbit = Combinators.combine(key, Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 1)).as((k, o, v) -> List.of("SETBIT", k, "" + o, "" + v));
        Arbitrary<List<String>> getbit = Combinators.combine(key, Arbitraries.integers().between(0, 220))
                .as((k, o) -> List.of("GETBIT", k, "" + o));
        Arbitrary<List<String>> bitcount = Combinators.combine(key, index, index, unit, Arbitraries.integers().between(0, 2))
                .as((k, a, b, u, n) -> n == 0 ? List.of("BITCOUNT", k)
                        : n == 1 ? List.of("BITCOUNT", k, a, b) : List.of("BITCOUNT", k, a, b, u));
        Arbitrary<List<String>> bitpos = Combinators.combine(key, Arbitraries.integers().between(0, 1), index, index,
                unit, Arbitraries.integers().between(0, 3)).as((k, bit, a, b, u, n) -> {
                    List<String> c = new ArrayList<>(List.of("BITPOS", k, "" + bit));
                    c.addAll(List.of(a, b, u).subList(0, n));
                    return c;
                });
        Arbitrary<List<String>> bitop = Combinators.combine(Arbitraries.of("AND", "OR", "XOR", "NOT"), key,
                key.list().ofMinSize(1).ofMaxSize(3)).as((op, dest, sources) -> {
                    List<String> c = new ArrayList<>(List.of("BITOP", op, dest));
                    c.addAll(op.equals("NOT") ? sources.subList(0, 1) : sources);
                    return c;
                });
        Arbitrary<List<String>> fieldOp = Combinators.combine(Arbitraries.of("GET", "SET", "INCRBY", "OVERFLOW"),
                Arbitraries.of("i", "u"), Arbitraries.integers().between(1, 64), Arbitraries.integers().between(0, 100),
                Arbitraries.of(false, true), Arbitraries.longs().between(-300, 300),
                Arbitraries.of("WRAP", "SAT", "FAIL")).as((op, sign, bits, offset, hash, value, overflow) -> {
                    if (op.equals("OVERFLOW")) {
                        return List.of(op, overflow);
                    }
                    int width = sign.equals("u") ? Math.min(bits, 63) : bits;
                    String at = hash ? "#" + (offset % 10) : "" + offset;
                    return op.equals("GET") ? List.of(op, sign + width, at) : List.of(op, sign + width, at, "" + value);
                });
        Arbitrary<List<String>> bitfield = Combinators.combine(Arbitraries.of("BITFIELD", "BITFIELD_RO"), key,
                fieldOp.list().ofMinSize(1).ofMaxSize(3)).as((name, k, ops) -> {
                    List<String> c = new ArrayList<>(List.of(name, k));
                    ops.forEach(c::addAll);
                    return c;
                });
        Arbitrary<List<String>> set = Combinators.combine(key, Arbitraries.strings().withCharRange('0', 'z').ofMaxLength(12))
                .as((k, v) -> List.of("SET", k, v));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, setbit), net.jqwik.api.Tuple.of(2, getbit),
                        net.jqwik.api.Tuple.of(3, bitcount), net.jqwik.api.Tuple.of(3, bitpos),
                        net.jqwik.api.Tuple.of(2, bitop), net.jqwik.api.Tuple.of(4, bitfield),
                        net.jqwik.api.Tuple.of(1, set))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    // ---------------------------------------------------------------------------------------------------------
    // HyperLogLog
    // ---------------------------------------------------------------------------------------------------------

    @Property(tries = 30)
    void hyperloglogCommandSequencesAgree(@ForAll("hllCommands") List<List<String>> commands,
            @ForAll("sparseMaxBytes") String sparseMax) {
        try (DifferentialSession s = session("hll-sparse-max-bytes", sparseMax)) {
            runAll(s, commands);
            for (String key : new String[] {"{t}h1", "{t}h2", "{t}h3"}) {
                s.check("GET", key);
                s.check("DUMP", key);
            }
        } finally {
            try (DifferentialSession s = session("hll-sparse-max-bytes", "3000")) {
                s.check("PING");
            }
        }
    }

    @Provide
    Arbitrary<String> sparseMaxBytes() {
        return Arbitraries.of("0", "40", "200", "3000");
    }

    @Provide
    Arbitrary<List<List<String>>> hllCommands() {
        Arbitrary<String> key = Arbitraries.of("{t}h1", "{t}h2", "{t}h3");
        Arbitrary<String> element = Arbitraries.integers().between(0, 3000).map(i -> "e" + i);
        Arbitrary<List<String>> pfadd = Combinators.combine(key, element.list().ofMaxSize(60)).as((k, els) -> {
            List<String> c = new ArrayList<>(List.of("PFADD", k));
            c.addAll(els);
            return c;
        });
        Arbitrary<List<String>> pfcount = key.list().ofMinSize(1).ofMaxSize(3).map(keys -> {
            List<String> c = new ArrayList<>(List.of("PFCOUNT"));
            c.addAll(keys);
            return c;
        });
        Arbitrary<List<String>> pfmerge = key.list().ofMinSize(1).ofMaxSize(3).map(keys -> {
            List<String> c = new ArrayList<>(List.of("PFMERGE"));
            c.addAll(keys);
            return c;
        });
        Arbitrary<List<String>> debug = Combinators.combine(Arbitraries.of("ENCODING", "DECODE", "TODENSE"), key)
                .as((sub, k) -> List.of("PFDEBUG", sub, k));
        Arbitrary<List<String>> get = key.map(k -> List.of("GET", k));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, pfadd), net.jqwik.api.Tuple.of(3, pfcount),
                        net.jqwik.api.Tuple.of(2, pfmerge), net.jqwik.api.Tuple.of(1, debug),
                        net.jqwik.api.Tuple.of(1, get))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Streams
    // ---------------------------------------------------------------------------------------------------------

    @Property(tries = 40)
    void streamCommandSequencesAgree(@ForAll("streamCommands") List<List<String>> commands,
            @ForAll("nodeMaxEntries") String nodeMaxEntries) {
        try (DifferentialSession s = session("stream-node-max-entries", nodeMaxEntries)) {
            runAll(s, commands);
            s.checkMasked(TIMES, "XINFO", "STREAM", "{t}s", "FULL", "COUNT", "0");
            Reply groups = s.check("XINFO", "GROUPS", "{t}s");
            if (!(groups instanceof Reply.Array a) || a.elements().isEmpty()) {
                s.check("DUMP", "{t}s");
            }
        } finally {
            try (DifferentialSession s = session("stream-node-max-entries", "100")) {
                s.check("PING");
            }
        }
    }

    @Provide
    Arbitrary<String> nodeMaxEntries() {
        return Arbitraries.of("2", "3", "7", "100");
    }

    @Provide
    Arbitrary<List<List<String>>> streamCommands() {
        String k = "{t}s";
        Arbitrary<Integer> ms = Arbitraries.integers().between(1, 60);
        Arbitrary<String> id = Combinators.combine(ms, Arbitraries.integers().between(0, 2)).as((m, q) -> m + "-" + q);
        Arbitrary<String> group = Arbitraries.of("g1", "g2");
        Arbitrary<String> consumer = Arbitraries.of("c1", "c2", "c3");
        Arbitrary<List<String>> trim = Combinators.combine(Arbitraries.of("MAXLEN", "MINID"), Arbitraries.of("~", "=", ""),
                Arbitraries.integers().between(0, 40)).as((strategy, mode, n) -> {
                    List<String> c = new ArrayList<>(List.of(strategy));
                    if (!mode.isEmpty()) {
                        c.add(mode);
                    }
                    c.add("" + n);
                    return c;
                });
        Arbitrary<List<String>> xadd = Combinators.combine(ms, trim, Arbitraries.integers().between(0, 4),
                Arbitraries.of("f", "g", "123"), Arbitraries.of("v", "12", "-7", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))
                .as((m, t, variant, field, value) -> {
                    List<String> c = new ArrayList<>(List.of("XADD", k));
                    if (variant == 0) {
                        c.addAll(t);
                    }
                    c.add(m + "-*");
                    c.addAll(List.of(field, value));
                    if (variant == 1) {
                        c.addAll(List.of("other", value));
                    }
                    return c;
                });
        Arbitrary<List<String>> xdel = id.list().ofMinSize(1).ofMaxSize(3).map(ids -> {
            List<String> c = new ArrayList<>(List.of("XDEL", k));
            c.addAll(ids);
            return c;
        });
        Arbitrary<List<String>> xtrim = trim.map(t -> {
            List<String> c = new ArrayList<>(List.of("XTRIM", k));
            c.addAll(t);
            return c;
        });
        Arbitrary<List<String>> xrange = Combinators.combine(Arbitraries.of("XRANGE", "XREVRANGE"),
                Arbitraries.of("-", "+", "(5-0", "10", "(20", "30-1"), Arbitraries.of("-", "+", "40", "(50-0"),
                Arbitraries.integers().between(0, 5)).as((name, a, b, n) -> n == 0 ? List.of(name, k, a, b)
                        : List.of(name, k, a, b, "COUNT", "" + n));
        Arbitrary<List<String>> create = Combinators.combine(group, Arbitraries.of("0", "$", "10-0"),
                Arbitraries.of(false, true)).as((g, start, mk) -> mk ? List.of("XGROUP", "CREATE", k, g, start, "MKSTREAM")
                        : List.of("XGROUP", "CREATE", k, g, start));
        Arbitrary<List<String>> read = Combinators.combine(group, consumer, Arbitraries.integers().between(0, 4),
                Arbitraries.of(false, true), Arbitraries.of(">", ">", "0")).as((g, c, n, noack, start) -> {
                    List<String> cmd = new ArrayList<>(List.of("XREADGROUP", "GROUP", g, c));
                    if (n > 0) {
                        cmd.addAll(List.of("COUNT", "" + n));
                    }
                    if (noack) {
                        cmd.add("NOACK");
                    }
                    cmd.addAll(List.of("STREAMS", k, start));
                    return cmd;
                });
        Arbitrary<List<String>> xread = Combinators.combine(Arbitraries.of("0", "$", "20-0"),
                Arbitraries.integers().between(0, 3)).as((start, n) -> n == 0 ? List.of("XREAD", "STREAMS", k, start)
                        : List.of("XREAD", "COUNT", "" + n, "STREAMS", k, start));
        Arbitrary<List<String>> ack = Combinators.combine(group, id.list().ofMinSize(1).ofMaxSize(3)).as((g, ids) -> {
            List<String> c = new ArrayList<>(List.of("XACK", k, g));
            c.addAll(ids);
            return c;
        });
        Arbitrary<List<String>> claim = Combinators.combine(group, consumer, id.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of("", "JUSTID", "FORCE", "RETRYCOUNT 3", "LASTID 30-0")).as((g, c, ids, opt) -> {
                    List<String> cmd = new ArrayList<>(List.of("XCLAIM", k, g, c, "0"));
                    cmd.addAll(ids);
                    if (!opt.isEmpty()) {
                        cmd.addAll(List.of(opt.split(" ")));
                    }
                    return cmd;
                });
        Arbitrary<List<String>> autoclaim = Combinators.combine(group, consumer, Arbitraries.of("0", "10", "(5-0"),
                Arbitraries.integers().between(1, 4), Arbitraries.of(false, true)).as((g, c, start, n, justid) -> {
                    List<String> cmd = new ArrayList<>(List.of("XAUTOCLAIM", k, g, c, "0", start, "COUNT", "" + n));
                    if (justid) {
                        cmd.add("JUSTID");
                    }
                    return cmd;
                });
        Arbitrary<List<String>> pending = Combinators.combine(group, consumer, Arbitraries.integers().between(0, 2))
                .as((g, c, form) -> form == 0 ? List.of("XPENDING", k, g)
                        : form == 1 ? List.of("XPENDING", k, g, "-", "+", "10") : List.of("XPENDING", k, g, "-", "+", "10", c));
        Arbitrary<List<String>> info = Combinators.combine(group, Arbitraries.integers().between(0, 3))
                .as((g, form) -> switch (form) {
                    case 0 -> List.of("XINFO", "STREAM", k);
                    case 1 -> List.of("XINFO", "GROUPS", k);
                    case 2 -> List.of("XINFO", "CONSUMERS", k, g);
                    default -> List.of("XINFO", "STREAM", k, "FULL");
                });
        Arbitrary<List<String>> admin = Combinators.combine(group, consumer, Arbitraries.integers().between(0, 4), id)
                .as((g, c, form, i) -> switch (form) {
                    case 0 -> List.of("XGROUP", "SETID", k, g, i);
                    case 1 -> List.of("XGROUP", "CREATECONSUMER", k, g, c);
                    case 2 -> List.of("XGROUP", "DELCONSUMER", k, g, c);
                    case 3 -> List.of("XGROUP", "DESTROY", k, g);
                    default -> List.of("XSETID", k, i);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, xadd), net.jqwik.api.Tuple.of(3, xdel),
                        net.jqwik.api.Tuple.of(2, xtrim), net.jqwik.api.Tuple.of(3, xrange),
                        net.jqwik.api.Tuple.of(2, create), net.jqwik.api.Tuple.of(4, read),
                        net.jqwik.api.Tuple.of(1, xread), net.jqwik.api.Tuple.of(2, ack),
                        net.jqwik.api.Tuple.of(2, claim), net.jqwik.api.Tuple.of(2, autoclaim),
                        net.jqwik.api.Tuple.of(2, pending), net.jqwik.api.Tuple.of(2, info),
                        net.jqwik.api.Tuple.of(1, admin))
                .list().ofMinSize(1).ofMaxSize(40);
    }
}
