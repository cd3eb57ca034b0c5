package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** redis-cli driving emulator nodes exactly as it drives redis-server: --cluster create/check, -c. */
class RedisCliClusterTest {

    private static List<String> addresses(EmulatedNodes nodes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add("127.0.0.1:" + nodes.port(i));
        }
        return out;
    }

    @Test
    void clusterCreateBuildsAClusterThatCheckFindsConsistent() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.bare(6)) {
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            args.addAll(addresses(nodes));
            args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            RedisCli.Result create = RedisCli.run(args, "", Duration.ofSeconds(120));
            assertEquals(0, create.exitCode(), create.toString());
            assertTrue(create.stdout().contains("[OK] All 16384 slots covered."), create.stdout());

            nodes.awaitEveryNode("cluster_state", "ok");
            RedisCli.Result check = RedisCli.run("--cluster", "check", "127.0.0.1:" + nodes.port(0));
            assertEquals(0, check.exitCode(), check.toString());
            assertTrue(check.stdout().contains("[OK] All nodes agree about slots configuration."), check.stdout());
            assertTrue(check.stdout().contains("[OK] All 16384 slots covered."), check.stdout());
            // --cluster create waits only until the masters agree on slots; replicas learn each other by
            // gossip a moment later, on redis-server too.
            nodes.awaitEveryNode("cluster_known_nodes", "6");
            assertEquals("3", nodes.clusterInfo(5, "cluster_size"));
        }
    }

    @Test
    void clusterModeClientFollowsRedirectionsFromAnyNode() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.ready(6, 1)) {
            nodes.awaitEveryNode("cluster_state", "ok");
            for (int i = 0; i < 20; i++) {
                String port = Integer.toString(nodes.port(i % 3));
                RedisCli.Result set = RedisCli.run("-c", "-p", port, "SET", "key:" + i, "value:" + i);
                assertEquals("OK", set.stdout().trim(), set.toString());
            }
            for (int i = 0; i < 20; i++) {
                String port = Integer.toString(nodes.port((i + 1) % 3));
                RedisCli.Result get = RedisCli.run("-c", "-p", port, "GET", "key:" + i);
                assertEquals("value:" + i, get.stdout().trim(), get.toString());
            }
        }
    }

    @Test
    void addslotsWithFiveThousandArgumentsFromTheShell() {
        RedisBinaries.assumeRedisCli();
        try (EmulatedNodes nodes = EmulatedNodes.bare(1)) {
            List<String> args = new ArrayList<>(List.of("-p", Integer.toString(nodes.port(0)), "cluster", "addslots"));
            for (int s = 0; s <= 5000; s++) {
                args.add(Integer.toString(s));
            }
            RedisCli.Result add = RedisCli.run(args, "", Duration.ofSeconds(60));
            assertEquals("OK", add.stdout().trim(), add.toString());
            RedisCli.Result again = RedisCli.run("-p", Integer.toString(nodes.port(0)), "cluster", "addslots", "0");
            assertEquals("ERR Slot 0 is already busy", again.stdout().trim(), again.toString());
            assertEquals("5001", nodes.clusterInfo(0, "cluster_slots_assigned"));
        }
    }
}
