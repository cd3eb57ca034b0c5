package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.ClusterBootstrap;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Replication inside a ready emulated cluster of three masters and three replicas (replica 3 + i follows
 * master i), as clients and tools see it: the replicas hold their masters' data, report their link, are
 * listed by CLUSTER SLOTS, resume after a lost link without a full sync, and acknowledge writes for WAIT.
 */
class ReplicationTest {
    private static EmulatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = EmulatedNodes.ready(6, 1);
        nodes.awaitEveryNode("cluster_state", "ok");
        for (int replica = 3; replica < 6; replica++) {
            int r = replica;
            Wait.until("replica " + r + " synced", () -> replication(r).get("master_link_status").equals("up"));
        }
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /** INFO replication of node i, field by field. */
    private static Map<String, String> replication(int i) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : nodes.call(i, "INFO", "replication").asString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static long stat(int i, String field) {
        for (String line : nodes.call(i, "INFO", "stats").asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field);
    }

    /** {@code n} keys named {@code prefix:<j>} that hash to master {@code m}'s slots. */
    private static List<String> keysOf(int m, String prefix, int n) {
        int[] range = ClusterBootstrap.slotRange(m, 3);
        List<String> keys = new ArrayList<>();
        for (int j = 0; keys.size() < n; j++) {
            String key = prefix + ":" + j;
            int slot = KeySlot.of(key.getBytes(UTF_8));
            if (slot >= range[0] && slot <= range[1]) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A READONLY read on replica node {@code r}. */
    private static Reply readOnReplica(int r, String... argv) {
        try (RespClient c = nodes.client(r)) {
            assertEquals(Reply.status("OK"), c.call("READONLY"));
            return c.call(argv);
        }
    }

    @Test
    void everyWriteOnAMasterIsReadableOnItsReplica() {
        for (int m = 0; m < 3; m++) {
            int replica = m + 3;
            List<String> keys = keysOf(m, "w" + m, 12);
            try (RespClient c = nodes.client(m)) {
                assertEquals(Reply.status("OK"), c.call("SET", keys.get(0), "plain"));
                assertEquals(Reply.status("OK"), c.call("SET", keys.get(1), "ttl", "EX", "1000"));
                assertEquals(Reply.status("OK"), c.call("SET", keys.get(2), "pttl", "PX", "500000"));
                c.call("INCRBYFLOAT", keys.get(3), "1.5");
                c.call("INCRBYFLOAT", keys.get(3), "0.25");
                c.call("SET", keys.get(4), "doomed");
                assertEquals(Reply.integer(1), c.call("DEL", keys.get(4)));
                assertEquals(Reply.status("OK"), c.call("SET", keys.get(5), "short", "PX", "30"));
                c.call("APPEND", keys.get(6), "ab");
                c.call("APPEND", keys.get(6), "cd");
                c.call("INCR", keys.get(7));
                c.call("INCRBY", keys.get(7), "41");
                c.call("SET", keys.get(8), "v");
                assertEquals(Reply.integer(1), c.call("EXPIRE", keys.get(8), "2000"));
                c.call("SET", keys.get(9), "v", "EX", "100");
                c.call("GETEX", keys.get(9), "PERSIST");
                c.call("SET", keys.get(10), "v");
                c.call("GETDEL", keys.get(10));
                c.call("SETRANGE", keys.get(11), "3", "xyz");
            }
            // The short-lived key expires on the master, which deletes it and tells its replica after the
            // last write: once the replica has that write and as many keys, it has everything.
            int master = m;
            Wait.until("replica " + replica + " applied every write and the expiry",
                    () -> nodes.call(master, "EXISTS", keys.get(5)).equals(Reply.integer(0))
                            && readOnReplica(replica, "GET", keys.get(11)).equals(nodes.call(master, "GET", keys.get(11)))
                            && nodes.call(master, "DBSIZE").equals(readOnReplica(replica, "DBSIZE")));
            for (String key : keys) {
                assertEquals(nodes.call(m, "GET", key), readOnReplica(replica, "GET", key), key);
            }
            assertEquals(Reply.bulk("1.75"), readOnReplica(replica, "GET", keys.get(3)));
            assertEquals(Reply.bulk("42"), readOnReplica(replica, "GET", keys.get(7)));
            assertEquals(Reply.integer(-1), readOnReplica(replica, "PTTL", keys.get(9)));
            assertEquals(Reply.integer(0), readOnReplica(replica, "EXISTS", keys.get(5)));
            assertEquals(Reply.integer(-2), readOnReplica(replica, "PTTL", keys.get(4)));
            long ttl = readOnReplica(replica, "PTTL", keys.get(1)).asLong();
            assertTrue(ttl > 900_000 && ttl <= 1_000_000, "PTTL " + ttl);
            long ttl8 = readOnReplica(replica, "PTTL", keys.get(8)).asLong();
            assertTrue(ttl8 > 1_900_000 && ttl8 <= 2_000_000, "PTTL " + ttl8);
        }
    }

    @Test
    void infoReplicationShowsBothRolesWithTheLinkUpAndOffsetsEqualOnceQuiet() {
        for (int m = 0; m < 3; m++) {
            int replica = m + 3;
            nodes.call(m, "SET", keysOf(m, "i", 1).get(0), "x");
            int master = m;
            Wait.until("replica " + replica + " caught up with master " + m, () -> {
                Map<String, String> ofMaster = replication(master);
                Map<String, String> ofReplica = replication(replica);
                String offset = ofMaster.get("master_repl_offset");
                return offset.equals(ofReplica.get("slave_repl_offset"))
                        && offset.equals(ofReplica.get("master_repl_offset"))
                        && ofMaster.get("slave0").contains(",offset=" + offset + ",");
            });
            Map<String, String> ofMaster = replication(m);
            assertEquals("master", ofMaster.get("role"));
            assertEquals("1", ofMaster.get("connected_slaves"));
            assertTrue(ofMaster.get("slave0").startsWith("ip=127.0.0.1,port=" + nodes.port(replica) + ",state=online,"),
                    ofMaster.get("slave0"));
            assertEquals("1", ofMaster.get("repl_backlog_active"));
            Map<String, String> ofReplica = replication(replica);
            assertEquals("slave", ofReplica.get("role"));
            assertEquals("127.0.0.1", ofReplica.get("master_host"));
            assertEquals(Integer.toString(nodes.port(m)), ofReplica.get("master_port"));
            assertEquals("up", ofReplica.get("master_link_status"));
            assertEquals("0", ofReplica.get("master_sync_in_progress"));
            assertEquals(ofMaster.get("master_replid"), ofReplica.get("master_replid"));
            Reply role = nodes.call(replica, "ROLE");
            assertEquals(List.of(Reply.bulk("slave"), Reply.bulk("127.0.0.1"), Reply.integer(nodes.port(m)),
                    Reply.bulk("connected")), role.asList().subList(0, 4));
            assertEquals(Reply.bulk("master"), nodes.call(m, "ROLE").asList().get(0));
        }
    }

    @Test
    void clusterSlotsListsEachMasterWithItsReplicaAndJedisSeesAllSixNodes() {
        Wait.until("every slot range lists its replica", () -> {
            List<Reply> ranges = nodes.call(0, "CLUSTER", "SLOTS").asList();
            if (ranges.size() != 3) {
                return false;
            }
            for (Reply range : ranges) {
                List<Reply> r = range.asList();
                int m = r.get(2).asList().get(1).asLong() == nodes.port(0) ? 0
                        : r.get(2).asList().get(1).asLong() == nodes.port(1) ? 1 : 2;
                if (r.size() != 4 || r.get(3).asList().get(1).asLong() != nodes.port(m + 3)) {
                    return false;
                }
            }
            return true;
        });
        try (JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(0))))) {
            assertEquals(6, jedis.getClusterNodes().size());
        }
    }

    @Test
    void aReplicaWhoseLinkIsKilledResumesWithAPartialResync() {
        for (String killed : List.of("replica", "master")) {
            long okBefore = stat(0, "sync_partial_ok");
            long fullBefore = stat(0, "sync_full");
            List<String> keys = keysOf(0, "p-" + killed, 20);
            if (killed.equals("replica")) {
                assertEquals(Reply.integer(1), nodes.call(0, "CLIENT", "KILL", "TYPE", "replica"));
            } else {
                assertEquals(Reply.integer(1), nodes.call(3, "CLIENT", "KILL", "TYPE", "master"));
            }
            for (String key : keys) {
                nodes.call(0, "SET", key, key);
            }
            Wait.until("the replica continued after its " + killed + " link was killed",
                    () -> stat(0, "sync_partial_ok") == okBefore + 1
                            && replication(3).get("master_link_status").equals("up"));
            assertEquals(fullBefore, stat(0, "sync_full"));
            Wait.until("the replica holds what was written meanwhile",
                    () -> readOnReplica(3, "GET", keys.get(keys.size() - 1)).equals(Reply.bulk(keys.get(keys.size() - 1))));
            for (String key : keys) {
                assertEquals(Reply.bulk(key), readOnReplica(3, "GET", key));
            }
        }
    }

    @Test
    void waitAfterAWriteCountsTheReplicaThatAcknowledgedIt() {
        try (RespClient c = nodes.client(1)) {
            assertEquals(Reply.status("OK"), c.call("SET", keysOf(1, "wait", 1).get(0), "v"));
            assertEquals(Reply.integer(1), c.call("WAIT", "1", "0"));
            assertEquals(Reply.integer(1), c.call("WAIT", "2", "100"));
        }
        assertEquals(Reply.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis "
                + "4.0 if a replica is configured to be writable (which is not the default) writes to replicas are "
                + "just local and are not propagated."), nodes.call(4, "WAIT", "1", "0"));
    }

    @Test
    void minReplicasToWriteCountsTheReplicasThatAcknowledgedLately() {
        String key = keysOf(2, "min-replicas", 1).get(0);
        try (RespClient c = nodes.client(2)) {
            try {
                assertEquals(Reply.status("OK"), c.call("CONFIG", "SET", "min-replicas-to-write", "1"));
                Wait.until("the replica counts as good", () -> replication(2).get("min_slaves_good_slaves").equals("1"));
                assertEquals(Reply.status("OK"), c.call("SET", key, "one replica is enough"));
                assertEquals(Reply.status("OK"), c.call("CONFIG", "SET", "min-replicas-to-write", "2"));
                assertEquals(Reply.error("NOREPLICAS Not enough good replicas to write."), c.call("SET", key, "x"));
                assertEquals(Reply.error("NOREPLICAS Not enough good replicas to write."),
                        c.call("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", key));
                assertEquals(Reply.bulk("one replica is enough"), c.call("GET", key));
            } finally {
                c.call("CONFIG", "SET", "min-replicas-to-write", "0");
            }
        }
    }

    @Test
    void aReplicaRefusesWritesAndRedirectsKeyedOnes() {
        assertEquals(Reply.error("READONLY You can't write against a read only replica."),
                nodes.call(5, "FLUSHALL"));
        String key = keysOf(2, "ro", 1).get(0);
        int slot = KeySlot.of(key.getBytes(UTF_8));
        try (RespClient c = nodes.client(5)) {
            c.call("READONLY");
            assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + nodes.port(2)), c.call("SET", key, "v"));
        }
    }
}
