package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodesConfPropertiesTest {

    /** The flags CLUSTER NODES names; MEET and MIGRATE_TO are never printed, so they cannot round-trip. */
    private static final List<Integer> SHOWN_FLAGS = List.of(NodeFlags.MYSELF, NodeFlags.MASTER, NodeFlags.SLAVE,
            NodeFlags.PFAIL, NodeFlags.FAIL, NodeFlags.HANDSHAKE, NodeFlags.NOADDR, NodeFlags.NOFAILOVER);

    @Property
    void renderThenParseIsIdentity(@ForAll("confs") NodesConf conf) throws ConfigFormatException {
        assertEquals(conf, NodesConf.parse(NodesConf.render(conf)));
    }

    @Property
    void formatThenParseIsIdentity(@ForAll("nodeLines") NodeLine node) throws ConfigFormatException {
        assertEquals(node, NodeLineFormat.parse(NodeLineFormat.format(node)));
    }

    @Provide
    Arbitrary<NodesConf> confs() {
        Arbitrary<List<NodeLine>> lines = nodeLines().list().ofMinSize(1).ofMaxSize(6).uniqueElements(NodeLine::id);
        return Combinators.combine(lines, Arbitraries.longs(), Arbitraries.longs())
                .as((nodes, currentEpoch, lastVoteEpoch) -> new NodesConf(onlyFirstIsMyself(nodes), currentEpoch,
                        lastVoteEpoch));
    }

    @Provide
    Arbitrary<NodeLine> nodeLines() {
        Arbitrary<Tuple.Tuple4<String, Integer, Integer, String>> address = Combinators.combine(
                ips(), ports(), ports(), hostnames()).as(Tuple::of);
        Arbitrary<Tuple.Tuple4<Long, Long, Long, Boolean>> state = Combinators.combine(
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.of(true, false))
                .as(Tuple::of);
        Arbitrary<Map<Integer, Tuple.Tuple2<Boolean, String>>> openSlots = Arbitraries.maps(
                Arbitraries.integers().between(0, KeySlot.SLOTS - 1),
                Combinators.combine(Arbitraries.of(true, false), ids()).as(Tuple::of)).ofMaxSize(5);
        return Combinators.combine(ids(), address, flags(), ids().injectNull(0.4), state, slotSets(), openSlots)
                .as((id, addr, flags, masterId, st, slots, open) -> new NodeLine(id, addr.get1(), addr.get2(),
                        addr.get3(), addr.get4(), flags, masterId, st.get1(), st.get2(), st.get3(), st.get4(),
                        slots, openSlots(open, true), openSlots(open, false)));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(40);
    }

    private static Arbitrary<String> ips() {
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> octets.stream().map(String::valueOf).collect(Collectors.joining(".")));
        Arbitrary<String> ipv6 = Arbitraries.integers().between(0, 0xffff).list().ofMinSize(1).ofMaxSize(8)
                .map(groups -> {
                    String hex = groups.stream().map(Integer::toHexString).collect(Collectors.joining(":"));
                    return groups.size() == 8 ? hex : "::" + hex;
                });
        return Arbitraries.oneOf(ipv4, ipv6, Arbitraries.just(""));
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 65535);
    }

    private static Arbitrary<String> hostnames() {
        return Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789.-").ofMinLength(1).ofMaxLength(30));
    }

    private static Arbitrary<Integer> flags() {
        return Arbitraries.of(SHOWN_FLAGS).set().map(set -> set.stream().reduce(0, (a, b) -> a | b));
    }

    /** Runs of slots, some single, some long, possibly touching, up to the whole range. */
    private static Arbitrary<SlotBitmap> slotSets() {
        Arbitrary<Tuple.Tuple2<Integer, Integer>> runs = Combinators.combine(
                Arbitraries.integers().between(0, KeySlot.SLOTS - 1),
                Arbitraries.oneOf(Arbitraries.just(1), Arbitraries.integers().between(1, KeySlot.SLOTS)))
                .as(Tuple::of);
        return runs.list().ofMaxSize(20).map(list -> {
            SlotBitmap slots = new SlotBitmap();
            for (Tuple.Tuple2<Integer, Integer> run : list) {
                for (int s = run.get1(); s < Math.min(KeySlot.SLOTS, run.get1() + run.get2()); s++) {
                    slots.set(s);
                }
            }
            return slots;
        });
    }

    /** One side of the open slots; each slot is either migrating or importing, never both (that loses one). */
    private static TreeMap<Integer, String> openSlots(Map<Integer, Tuple.Tuple2<Boolean, String>> open,
                                                      boolean migrating) {
        TreeMap<Integer, String> side = new TreeMap<>();
        open.forEach((slot, state) -> {
            if (state.get1() == migrating) {
                side.put(slot, state.get2());
            }
        });
        return side;
    }

    private static List<NodeLine> onlyFirstIsMyself(List<NodeLine> nodes) {
        List<NodeLine> fixed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeLine n = nodes.get(i);
            int flags = i == 0 ? n.flags() | NodeFlags.MYSELF : n.flags() & ~NodeFlags.MYSELF;
            fixed.add(new NodeLine(n.id(), n.ip(), n.port(), n.cport(), n.hostname(), flags, n.masterId(),
                    n.pingSent(), n.pongReceived(), n.configEpoch(), n.connected(), n.slots(), n.migrating(),
                    n.importing()));
        }
        return fixed;
    }
}
