package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.SlotBitmap;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static dev.clusteremu.cluster.NodeFlags.FAIL;
import static dev.clusteremu.cluster.NodeFlags.HANDSHAKE;
import static dev.clusteremu.cluster.NodeFlags.MASTER;
import static dev.clusteremu.cluster.NodeFlags.MYSELF;
import static dev.clusteremu.cluster.NodeFlags.NOFAILOVER;
import static dev.clusteremu.cluster.NodeFlags.PFAIL;
import static dev.clusteremu.cluster.NodeFlags.SLAVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every expected line here was printed by redis-server 7.0.15 (CLUSTER NODES or nodes.conf); each test
 * builds the record by hand, checks that it formats to those exact bytes and that the line parses back
 * to the same record.
 */
class NodeLineFormatTest {

    private static final String A = "9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12";
    private static final String B = "062053994d8f2b2a7de03dcd80595dfe0e112425";
    private static final String C = "dfe77fb54dc9c388473e3788101038aa6d7d377b";
    private static final String R = "fc4b84fed53cf0cc7570144acdd77656d949a086";

    @Test
    void masterWithSlotRangeMatchesRedis() throws Exception {
        NodeLine node = line(A, "127.0.0.1", 7220, 17220, "", MASTER, null, 0, 1795593362878L, 1, true,
                slots(0, 5460));
        assertRoundTrip("9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 127.0.0.1:7220@17220 master - 0 1795593362878 1"
                + " connected 0-5460", node);
    }

    @Test
    void replicaLineShowsItsMasterAndNofailover() throws Exception {
        NodeLine node = line(R, "127.0.0.1", 7223, 17223, "", SLAVE | NOFAILOVER, A, 0, 1795593362577L, 1,
                true, slots());
        assertRoundTrip("fc4b84fed53cf0cc7570144acdd77656d949a086 127.0.0.1:7223@17223 slave,nofailover"
                + " 9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 0 1795593362577 1 connected", node);
    }

    @Test
    void myselfReplicaListsMyselfFirst() throws Exception {
        NodeLine node = line(R, "127.0.0.1", 7223, 17223, "", MYSELF | SLAVE | NOFAILOVER, A, 0,
                1795593362000L, 1, true, slots());
        assertRoundTrip("fc4b84fed53cf0cc7570144acdd77656d949a086 127.0.0.1:7223@17223 myself,slave,nofailover"
                + " 9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 0 1795593362000 1 connected", node);
    }

    @Test
    void handshakeNodeIsDisconnected() throws Exception {
        NodeLine node = line("afdc28b7ef9efba99317ec35e3a951b2c7a67750", "127.0.0.1", 7211, 17211, "",
                HANDSHAKE, null, 0, 0, 0, false, slots());
        assertRoundTrip("afdc28b7ef9efba99317ec35e3a951b2c7a67750 127.0.0.1:7211@17211 handshake - 0 0 0"
                + " disconnected", node);
    }

    @Test
    void myselfLineListsMigratingAndImportingSlotsInSlotOrder() throws Exception {
        NodeLine node = new NodeLine(A, "127.0.0.1", 7220, 17220, "", MYSELF | MASTER, null, 0,
                1795593355000L, 1, true, slots(0, 5460), new TreeMap<>(Map.of(10, C, 5460, B)),
                new TreeMap<>(Map.of(16000, C)));
        assertRoundTrip("9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 127.0.0.1:7220@17220 myself,master - 0"
                + " 1795593355000 1 connected 0-5460 [10->-dfe77fb54dc9c388473e3788101038aa6d7d377b]"
                + " [5460->-062053994d8f2b2a7de03dcd80595dfe0e112425]"
                + " [16000-<-dfe77fb54dc9c388473e3788101038aa6d7d377b]", node);
    }

    @Test
    void hostnameFollowsTheBusPort() throws Exception {
        NodeLine node = new NodeLine(B, "127.0.0.1", 7221, 17221, "node-b.example", MYSELF | MASTER, null, 0,
                1795593362000L, 2, true, slots(5461, 10922), new TreeMap<>(), new TreeMap<>(Map.of(5460, A)));
        assertRoundTrip("062053994d8f2b2a7de03dcd80595dfe0e112425 127.0.0.1:7221@17221,node-b.example"
                + " myself,master - 0 1795593362000 2 connected 5461-10922"
                + " [5460-<-9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12]", node);
    }

    @Test
    void noflagsWithIpv6AddressAndHostname() throws Exception {
        NodeLine node = line("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "::1", 7000, 17000, "host.example", 0,
                null, 1795593244400L, 0, 9, false, slots());
        assertRoundTrip("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ::1:7000@17000,host.example noflags -"
                + " 1795593244400 0 9 disconnected", node);
    }

    @Test
    void possiblyFailedAndFailedMasters() throws Exception {
        assertRoundTrip("dfe77fb54dc9c388473e3788101038aa6d7d377b 127.0.0.1:7222@17222 master,fail? -"
                        + " 1795593356639 1795593356135 3 disconnected 10923-16383",
                line(C, "127.0.0.1", 7222, 17222, "", MASTER | PFAIL, null, 1795593356639L, 1795593356135L, 3,
                        false, slots(10923, 16383)));
        assertRoundTrip("dfe77fb54dc9c388473e3788101038aa6d7d377b 127.0.0.1:7222@17222 master,fail -"
                        + " 1795593356639 1795593356135 3 disconnected 10923-16383",
                line(C, "127.0.0.1", 7222, 17222, "", MASTER | FAIL, null, 1795593356639L, 1795593356135L, 3,
                        false, slots(10923, 16383)));
    }

    @Test
    void singleSlotsAndEmptyIpBeforeTheNodeKnowsItsAddress() throws Exception {
        SlotBitmap slots = slots(0, 100);
        slots.set(200);
        slots.set(300);
        slots.set(16383);
        assertRoundTrip("b22f27578f537621d2ee1432299bee91391aef7d :7210@17210 myself,master - 0 0 5 connected"
                        + " 0-100 200 300 16383",
                line("b22f27578f537621d2ee1432299bee91391aef7d", "", 7210, 17210, "", MYSELF | MASTER, null, 0,
                        0, 5, true, slots));
    }

    @Test
    void slotInBothStatesPrintsOnlyMigratingAsRedisDoes() {
        NodeLine node = new NodeLine(A, "10.0.0.1", 6379, 16379, "", MYSELF | MASTER, null, 0, 0, 1, true,
                slots(7, 7), new TreeMap<>(Map.of(7, B)), new TreeMap<>(Map.of(7, C, 8, C)));
        assertEquals(A + " 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 7 [7->-" + B + "] [8-<-" + C + "]",
                NodeLineFormat.format(node));
    }

    @Test
    void configEpochPrintsUnsigned() throws Exception {
        NodeLine node = line(A, "10.0.0.1", 6379, 16379, "", MASTER, null, 0, 0, -1, true, slots());
        assertRoundTrip(A + " 10.0.0.1:6379@16379 master - 0 0 18446744073709551615 connected", node);
    }

    @Test
    void oldFormatWithoutBusPortGetsPortPlus10000() throws Exception {
        NodeLine node = NodeLineFormat.parse(A + " 10.0.0.1:6379 myself,master - 0 0 1 connected 0-16383");
        assertEquals(6379, node.port());
        assertEquals(16379, node.cport());
        assertEquals(16384, node.slots().count());
        NodeLine withHostname = NodeLineFormat.parse(A + " 10.0.0.1:6379,h.example master - 0 0 1 connected");
        assertEquals(16379, withHostname.cport());
        assertEquals("h.example", withHostname.hostname());
    }

    @Test
    void ipv6PortFollowsTheLastColon() throws Exception {
        NodeLine node = NodeLineFormat.parse(A + " fe80::1:2:7000@17000 master - 0 0 1 connected");
        assertEquals("fe80::1:2", node.ip());
        assertEquals(7000, node.port());
        assertEquals(17000, node.cport());
    }

    @Test
    void flagNamesAreCaseInsensitiveAndNoflagsMeansNone() throws Exception {
        assertEquals(MYSELF | MASTER,
                NodeLineFormat.parse(A + " :1@2 MYSELF,Master - 0 0 1 connected").flags());
        assertEquals(0, NodeLineFormat.parse(A + " :1@2 noflags - 0 0 1 connected").flags());
    }

    @Test
    void anyFieldStartingWithDashMeansNoMaster() throws Exception {
        assertNull(NodeLineFormat.parse(A + " :1@2 master -x 0 0 1 connected").masterId());
    }

    @Test
    void linkStateWordIsNotCheckedLikeRedis() throws Exception {
        assertTrue(NodeLineFormat.parse(A + " :1@2 master - 0 0 1 connected").connected());
        assertFalse(NodeLineFormat.parse(A + " :1@2 master - 0 0 1 disconnected").connected());
        assertFalse(NodeLineFormat.parse(A + " :1@2 master - 0 0 1 whatever").connected());
    }

    @Test
    void backwardsRangeAddsNoSlotsLikeRedis() throws Exception {
        assertEquals(1, NodeLineFormat.parse(A + " :1@2 master - 0 0 1 connected 10-5 7").slots().count());
    }

    @Test
    void separatorsAreAnyWhitespaceAndALineEndIsIgnored() throws Exception {
        NodeLine node = NodeLineFormat.parse("  " + A + "\t:1@2  master - 0 0 1 connected 3\r\n");
        assertTrue(node.slots().get(3));
    }

    @Test
    void refusesWhatRedisRefuses() {
        assertRefused("a node line needs at least 8 fields, got 7", A + " :1@2 master - 0 0 1");
        assertRefused("node id 'abc' is not 40 characters of [a-z0-9]", "abc :1@2 master - 0 0 1 connected");
        assertRefused("node id '" + A.toUpperCase() + "' is not 40 characters of [a-z0-9]",
                A.toUpperCase() + " :1@2 master - 0 0 1 connected");
        assertRefused("address '10.0.0.1' has no ':port'", A + " 10.0.0.1 master - 0 0 1 connected");
        assertRefused("unknown flag in 'master,bogus'", A + " :1@2 master,bogus - 0 0 1 connected");
        assertRefused("unknown flag in 'master,'", A + " :1@2 master, - 0 0 1 connected");
        assertRefused("master id 'xyz' is not 40 characters of [a-z0-9]", A + " :1@2 slave xyz 0 0 1 connected");
        assertRefused("slot '16384' is not a number in 0-16383", A + " :1@2 master - 0 0 1 connected 16384");
        assertRefused("slot '0-16384' is not a number in 0-16383", A + " :1@2 master - 0 0 1 connected 0-16384");
        assertRefused("slot '-5' is not a number in 0-16383", A + " :1@2 master - 0 0 1 connected -5");
        assertRefused("open slot '[5]' is not [slot->-id] or [slot-<-id]", A + " :1@2 master - 0 0 1 connected [5]");
        assertRefused("open slot '[5-x-" + B + "]' is not [slot->-id] or [slot-<-id]",
                A + " :1@2 master - 0 0 1 connected [5-x-" + B + "]");
        assertRefused("open slot node id 'abc' is not 40 characters of [a-z0-9]",
                A + " :1@2 master - 0 0 1 connected [5->-abc]");
        assertRefused("port '70000' is not a number in 0-65535", A + " :70000@1 master - 0 0 1 connected");
        assertRefused("bus port '' is not a number in 0-65535", A + " :7000@ master - 0 0 1 connected");
        assertRefused("port 60000 has no bus port 70000 in range", A + " :60000 master - 0 0 1 connected");
        assertRefused("config epoch 'x' is not an unsigned number", A + " :1@2 master - 0 0 x connected");
        assertRefused("ip '" + "1".repeat(46) + "' is longer than 45 characters",
                A + " " + "1".repeat(46) + ":1@2 master - 0 0 1 connected");
    }

    private static void assertRefused(String message, String line) {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> NodeLineFormat.parse(line));
        assertEquals(message, e.getMessage());
    }

    private static void assertRoundTrip(String redisLine, NodeLine node) throws ConfigFormatException {
        assertEquals(redisLine, NodeLineFormat.format(node));
        assertEquals(node, NodeLineFormat.parse(redisLine));
    }

    static NodeLine line(String id, String ip, int port, int cport, String hostname, int flags, String masterId,
                         long pingSent, long pongReceived, long configEpoch, boolean connected, SlotBitmap slots) {
        return new NodeLine(id, ip, port, cport, hostname, flags, masterId, pingSent, pongReceived, configEpoch,
                connected, slots, new TreeMap<>(), new TreeMap<>());
    }

    static SlotBitmap slots() {
        return new SlotBitmap();
    }

    static SlotBitmap slots(int first, int last) {
        SlotBitmap slots = new SlotBitmap();
        for (int s = first; s <= last; s++) {
            slots.set(s);
        }
        return slots;
    }
}
