package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Clusters that require a password, as applications meet them: Jedis and Lettuce configured with the
 * password (or an ACL user and its password) work against an emulated 3+3 cluster whose replicas
 * authenticate to their masters with masterauth; clients without credentials are refused. Replication
 * with masterauth also works between the emulator and redis-server, both ways.
 */
class AuthenticatedClusterTest {
    private static final String PASSWORD = "s3cret";

    /** An emulated 3+3 cluster with requirepass on every node and masterauth for the replicas. */
    private static EmulatedCluster passwordCluster(List<Integer> ports) throws Exception {
        return EmulatedCluster.builder().ports(ports).replicas(1).config("requirepass", PASSWORD)
                .config("masterauth", PASSWORD).start();
    }

    private static List<Integer> ports(int n) {
        List<Integer> ports = new ArrayList<>();
        for (int p : FreePorts.clusterPorts(n)) {
            ports.add(p);
        }
        return ports;
    }

    private static void release(List<Integer> ports) {
        ports.forEach(FreePorts::release);
    }

    private static Reply authed(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            assertEquals(Reply.status("OK"), c.call("AUTH", PASSWORD));
            return c.call(argv);
        }
    }

    private static String infoField(int port, String section, String field) {
        for (String line : authed(port, "INFO", section).asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    @Test
    void jedisWithThePasswordWorksAndWithoutItIsRefused() throws Exception {
        List<Integer> ports = ports(6);
        try (EmulatedCluster cluster = passwordCluster(ports)) {
            try (RespClient anonymous = RespClient.connect("127.0.0.1", ports.get(0))) {
                assertEquals(Reply.error("NOAUTH Authentication required."), anonymous.call("GET", "k"));
                assertEquals(Reply.error("NOAUTH Authentication required."), anonymous.call("CLUSTER", "SLOTS"));
            }
            Set<HostAndPort> seed = Set.of(new HostAndPort("127.0.0.1", ports.get(0)));
            try (JedisCluster jedis = new JedisCluster(seed, DefaultJedisClientConfig.builder().password(PASSWORD)
                    .build())) {
                for (int i = 0; i < 200; i++) {
                    jedis.set("key:" + i, "value:" + i);
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, jedis.get("key:" + i));
                }
            }
            JedisClusterOperationException refused = assertThrows(JedisClusterOperationException.class, () -> {
                try (JedisCluster wrong = new JedisCluster(seed, DefaultJedisClientConfig.builder()
                        .password("wrong").build())) {
                    wrong.get("key:1");
                }
            });
            assertTrue(refused.getSuppressed().length > 0
                    && refused.getSuppressed()[0].getMessage().startsWith("WRONGPASS"), refused.toString());
            // Every replica authenticated to its master and holds its data. A replica syncs a moment after the
            // cluster is ok: its link comes up when it has authenticated and loaded its master's RDB.
            for (int port : ports) {
                if (infoField(port, "replication", "role").equals("slave")) {
                    Wait.until("the replica on " + port + " authenticated and synced",
                            () -> infoField(port, "replication", "master_link_status").equals("up"));
                }
            }
            Wait.until("every replica has its master's keys", () -> {
                long masters = 0;
                long replicas = 0;
                for (int port : ports) {
                    long keys = authed(port, "DBSIZE").asLong();
                    if (infoField(port, "replication", "role").equals("slave")) {
                        replicas += keys;
                    } else {
                        masters += keys;
                    }
                }
                return masters == 200 && replicas == 200;
            });
        } finally {
            release(ports);
        }
    }

    @Test
    void jedisAndLettuceAuthenticateAsAnAclUser() throws Exception {
        List<Integer> ports = ports(6);
        try (EmulatedCluster cluster = passwordCluster(ports)) {
            // ACL users are each node's own: the application user is created everywhere.
            for (int port : ports) {
                assertEquals(Reply.status("OK"), authed(port, "ACL", "SETUSER", "app", "on", ">app-pass", "~app:*",
                        "+@all"));
            }
            Set<HostAndPort> seed = Set.of(new HostAndPort("127.0.0.1", ports.get(1)));
            try (JedisCluster jedis = new JedisCluster(seed, DefaultJedisClientConfig.builder().user("app")
                    .password("app-pass").build())) {
                for (int i = 0; i < 100; i++) {
                    jedis.set("app:" + i, Integer.toString(i));
                }
                assertEquals("42", jedis.get("app:42"));
                JedisDataException denied = assertThrows(JedisDataException.class, () -> jedis.get("other"));
                assertTrue(denied.getMessage().startsWith("NOPERM"), denied.getMessage());
            }
            RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(ports.get(2)).withAuthentication("app", "app-pass").withTimeout(Duration.ofSeconds(5))
                    .build());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                var redis = connection.sync();
                for (int i = 0; i < 100; i++) {
                    assertEquals(Integer.toString(i), redis.get("app:" + i));
                }
                redis.set("app:lettuce", "yes");
                assertEquals("app", redis.aclWhoami());
            } finally {
                client.shutdown();
            }
        } finally {
            release(ports);
        }
    }

    @Test
    void aRealReplicaAuthenticatesToAnEmulatedMaster() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            for (int i = 0; i < 50; i++) {
                emu.call(0, "SET", "k" + i, "v" + i);
            }
            assertEquals(Reply.status("OK"), emu.call(0, "CONFIG", "SET", "requirepass", PASSWORD));
            try (RespClient r = RespClient.connect(real)) {
                assertEquals(Reply.status("OK"), r.call("CONFIG", "SET", "masterauth", PASSWORD));
                assertEquals(Reply.status("OK"), r.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(master)));
                String masterId = authed(master, "CLUSTER", "MYID").asString();
                Wait.until("the real node replicates the emulated master",
                        () -> r.call("CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
                Wait.until("the real replica's link is up", () -> r.call("INFO", "replication").asString()
                        .contains("master_link_status:up"));
                Wait.until("the real replica knows every slot's owner",
                        () -> r.call("CLUSTER", "INFO").asString().contains("cluster_state:ok"));
                assertEquals(Reply.status("OK"), r.call("READONLY"));
                assertEquals(50, r.call("DBSIZE").asLong());
                assertEquals(Reply.bulk("v7"), r.call("GET", "k7"));
            }
        }
    }

    @Test
    void anEmulatedReplicaAuthenticatesToARealMaster() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            try (RespClient r = RespClient.connect(real)) {
                for (int i = 0; i < 50; i++) {
                    r.call("SET", "k" + i, "v" + i);
                }
                assertEquals(Reply.status("OK"), r.call("CONFIG", "SET", "requirepass", PASSWORD));
                String masterId = r.call("CLUSTER", "MYID").asString();
                assertEquals(Reply.status("OK"), emu.call(0, "CONFIG", "SET", "masterauth", PASSWORD));
                assertEquals(Reply.status("OK"),
                        emu.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(real.port())));
                Wait.until("the emulated node replicates the real master",
                        () -> emu.call(0, "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
                Wait.until("the emulated replica's link is up", () -> emu.call(0, "INFO", "replication").asString()
                        .contains("master_link_status:up"));
                try (RespClient e = emu.client(0)) {
                    assertEquals(Reply.status("OK"), e.call("READONLY"));
                    Wait.until("the emulated replica has the master's keys", () -> e.call("DBSIZE").asLong() == 50);
                    assertEquals(Reply.bulk("v7"), e.call("GET", "k7"));
                }
            }
        }
    }
}
