package dev.clusteremu.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The bus protocol between cluster layers over real sockets. */
class ClusterBusTest {

    private static int known(BusTestbed bed, Cluster c) {
        try {
            return bed.on(c, () -> c.nodes().size());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean noHandshakes(BusTestbed bed, Cluster c) {
        try {
            return bed.on(c, () -> c.nodes().stream().noneMatch(ClusterNode::inHandshake));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneMeetSpreadsToEveryNodeThroughGossip() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            Cluster a = bed.start(15000);
            Cluster b = bed.start(15000);
            Cluster c = bed.start(15000);
            Cluster d = bed.start(15000);
            for (Cluster other : List.of(b, c, d)) {
                int port = bed.port(other);
                bed.run(a, () -> a.meet("127.0.0.1", port, port + 10000));
            }
            for (Cluster x : List.of(a, b, c, d)) {
                BusTestbed.await("4 nodes known, no handshake", () -> known(bed, x) == 4 && noHandshakes(bed, x));
            }
            Set<String> ids = new HashSet<>();
            for (Cluster x : List.of(a, b, c, d)) {
                ids.add(bed.on(x, () -> x.myself().name()));
            }
            for (Cluster x : List.of(a, b, c, d)) {
                Set<String> seen = bed.on(x, () -> {
                    Set<String> s = new HashSet<>();
                    x.nodes().forEach(n -> s.add(n.name()));
                    return s;
                });
                assertEquals(ids, seen);
            }
        }
    }

    @Test
    void handshakeNodeIsRenamedToThePeersRealIdAndLearnsOurIp() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            Cluster a = bed.start(15000);
            Cluster b = bed.start(15000);
            int pb = bed.port(b);
            bed.run(a, () -> a.meet("127.0.0.1", pb, pb + 10000));
            String handshakeName = bed.on(a, () -> a.nodes().stream().filter(ClusterNode::inHandshake)
                    .findFirst().map(ClusterNode::name).orElse(null));
            String bId = bed.on(b, () -> b.myself().name());
            BusTestbed.await("b known by its id", () -> {
                try {
                    return bed.on(a, () -> a.lookup(bId) != null && !a.lookup(bId).inHandshake());
                } catch (Exception e) {
                    return false;
                }
            });
            assertNotEquals(bId, handshakeName);
            assertNull(bed.on(a, () -> a.lookup(handshakeName)));
            BusTestbed.await("a learned its ip from b's connection", () -> {
                try {
                    return bed.on(a, () -> a.myself().ip()).equals("127.0.0.1");
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void equalConfigEpochsAreResolvedToDistinctOnes() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            List<Cluster> all = List.of(bed.start(15000), bed.start(15000), bed.start(15000));
            meetFromFirst(bed, all);
            BusTestbed.await("three distinct configEpochs", () -> {
                Set<Long> epochs = new HashSet<>();
                for (Cluster x : all) {
                    try {
                        epochs.add(bed.on(x, () -> x.myself().configEpoch()));
                    } catch (Exception e) {
                        return false;
                    }
                }
                return epochs.size() == 3;
            });
        }
    }

    @Test
    void aStoppedMasterBecomesPfailThenFailByAgreementOfTheOthers() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            List<Cluster> all = List.of(bed.start(500), bed.start(500), bed.start(500));
            Cluster a = all.get(0);
            joinThroughFirst(bed, all);
            // Each master serves a third of the slots, so all three vote on failures.
            int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
            for (int i = 0; i < 3; i++) {
                Cluster x = all.get(i);
                int[] r = ranges[i];
                bed.run(x, () -> {
                    boolean[] slots = new boolean[KeySlot.SLOTS];
                    x.checkSlotAssignments(slots, false, r[0], r[1]);
                    x.updateSlots(slots, false);
                });
            }
            for (Cluster x : all) {
                BusTestbed.await("state ok", () -> {
                    try {
                        return bed.on(x, x::isStateOk);
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            Cluster victim = all.get(2);
            String victimId = bed.on(victim, () -> victim.myself().name());
            bed.stop(victim);
            BusTestbed.await("victim flagged FAIL on a", () -> {
                try {
                    return bed.on(a, () -> a.lookup(victimId).isFailed());
                } catch (Exception e) {
                    return false;
                }
            });
            BusTestbed.await("cluster state fail on a: a slot owner failed", () -> {
                try {
                    return !bed.on(a, a::isStateOk);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void forgottenNodeIsNotReAddedByGossipForAMinute() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            List<Cluster> all = List.of(bed.start(15000), bed.start(15000), bed.start(15000));
            Cluster a = all.get(0);
            joinThroughFirst(bed, all);
            Cluster gone = all.get(2);
            String goneId = bed.on(gone, () -> gone.myself().name());
            bed.run(a, () -> a.forget(goneId));
            assertEquals(2, known(bed, a));
            // With three nodes every PING/PONG from b gossips about the only other node: the forgotten one.
            long before = heartbeatsReceived(bed, a);
            BusTestbed.await("a few more heartbeats from b", () -> heartbeatsReceived(bed, a) >= before + 4);
            assertNull(bed.on(a, () -> a.lookup(goneId)));
        }
    }

    /** The first node MEETs every other one. */
    private static void meetFromFirst(BusTestbed bed, List<Cluster> all) throws Exception {
        Cluster first = all.get(0);
        for (Cluster other : all.subList(1, all.size())) {
            int port = bed.port(other);
            bed.run(first, () -> first.meet("127.0.0.1", port, port + 10000));
        }
    }

    /** MEETs from the first node, then waits until every node knows every other, handshakes done. */
    private static void joinThroughFirst(BusTestbed bed, List<Cluster> all) throws Exception {
        meetFromFirst(bed, all);
        for (Cluster x : all) {
            BusTestbed.await("joined", () -> known(bed, x) == all.size() && noHandshakes(bed, x));
        }
    }

    private static long heartbeatsReceived(BusTestbed bed, Cluster c) {
        try {
            return bed.on(c, () -> c.state.messagesReceived[dev.clusteremu.cluster.wire.MessageType.PING]
                    + c.state.messagesReceived[dev.clusteremu.cluster.wire.MessageType.PONG]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void meetRefusesHostnamesAndBadPortsWithRedisMessage() throws Exception {
        try (BusTestbed bed = new BusTestbed()) {
            Cluster a = bed.start(15000);
            ClusterException e = assertThrows(ClusterException.class,
                    () -> a.meet("localhost", 7000, 17000));
            assertEquals("Invalid node address specified: localhost:7000", e.getMessage());
            assertThrows(ClusterException.class, () -> a.meet("127.0.0.1", 0, 10000));
            assertThrows(ClusterException.class, () -> a.meet("127.0.0.1", 60000, 70000));
            assertFalse(bed.on(a, () -> a.nodes().size() > 1));
            assertTrue(bed.on(a, () -> a.myself().isMaster()));
        }
    }
}
