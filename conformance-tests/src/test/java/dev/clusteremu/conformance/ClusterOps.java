package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Steps shared by the tests that drive emulated nodes with {@code redis-cli --cluster}: running a
 * subcommand and requiring success, waiting until {@code --cluster check} finds the cluster clean, and
 * writing and reading back a set of keys through a cluster client.
 */
final class ClusterOps {

    private ClusterOps() {
    }

    static String address(int port) {
        return "127.0.0.1:" + port;
    }

    /** Runs {@code redis-cli --cluster <args>} and requires exit code 0; returns what it printed. */
    static RedisCli.Result cluster(String... args) {
        List<String> argv = new ArrayList<>(List.of("--cluster"));
        argv.addAll(List.of(args));
        RedisCli.Result result = RedisCli.run(argv, "", RedisCli.DEFAULT_TIMEOUT.multipliedBy(3));
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    /**
     * Whether {@code --cluster check} through {@code port} is clean: exit code 0, every node agreeing about
     * the slots, no open slot, full coverage, and not one warning or error.
     */
    static boolean checkIsClean(int port) {
        RedisCli.Result check = RedisCli.run("--cluster", "check", address(port));
        String out = check.stdout();
        return check.exitCode() == 0 && out.contains("[OK] All nodes agree about slots configuration.")
                && out.contains("[OK] All 16384 slots covered.") && !out.contains("[WARNING]")
                && !out.contains("[ERR]");
    }

    /** Waits until {@code --cluster check} is clean: replicas learn slot moves by gossip, a moment later. */
    static void awaitCheckClean(int port) {
        Wait.until("redis-cli --cluster check " + address(port) + " clean", () -> checkIsClean(port));
    }

    /** A JedisCluster seeded with one node; it discovers the rest. */
    static JedisCluster jedisCluster(int port) {
        return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", port)));
    }

    /** Writes key:0 .. key:n-1 with value:i through a cluster client. */
    static void writeKeys(int port, int n) {
        try (JedisCluster jedis = jedisCluster(port)) {
            for (int i = 0; i < n; i++) {
                assertEquals("OK", jedis.set("key:" + i, "value:" + i));
            }
        }
    }

    /** Reads key:0 .. key:n-1 back through a cluster client seeded with {@code port}; each must hold value:i. */
    static void assertKeysReadable(int port, int n) {
        try (JedisCluster jedis = jedisCluster(port)) {
            for (int i = 0; i < n; i++) {
                assertEquals("value:" + i, jedis.get("key:" + i), "key:" + i + " read through " + address(port));
            }
        }
    }

    /** The slots a node owns according to one CLUSTER NODES line of {@code viewer}. */
    static Set<Integer> slotsOf(EmulatedNodes nodes, int viewer, String nodeId) {
        String line = nodes.nodesLine(viewer, nodeId);
        Set<Integer> slots = new HashSet<>();
        String[] fields = line.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String f = fields[i];
            if (f.startsWith("[")) {
                continue;
            }
            int dash = f.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? f : f.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(f.substring(dash + 1));
            for (int s = from; s <= to; s++) {
                slots.add(s);
            }
        }
        return slots;
    }

    /** Slots from..to inclusive. */
    static Set<Integer> range(int from, int to) {
        Set<Integer> slots = new HashSet<>();
        for (int s = from; s <= to; s++) {
            slots.add(s);
        }
        return slots;
    }
}
