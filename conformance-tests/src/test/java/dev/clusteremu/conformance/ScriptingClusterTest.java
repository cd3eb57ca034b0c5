package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Scripts and functions on a ready 3+3 emulated cluster: the cluster clients route EVAL, EVALSHA and FCALL
 * by their declared keys (hash tags keep a script's keys in one slot), a script reaching a key of another
 * master gets Redis's "non local key" error, declared keys are redirected like any command's, and the
 * replicas of the master that ran a script apply what it wrote.
 */
class ScriptingClusterTest {
    private static final String COUNTER = "local n = redis.call('incr', KEYS[1]) redis.call('set', KEYS[2], ARGV[1]) return n";
    private static final String LIBRARY = "#!lua name=cart\nredis.register_function('add', function(keys, args) "
            + "return redis.call('hincrby', keys[1], args[1], args[2]) end)\n"
            + "redis.register_function{function_name='count', callback=function(keys) return redis.call('hlen', keys[1]) end, "
            + "flags={'no-writes'}}";

    private static EmulatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = EmulatedNodes.ready(6, 1);
        nodes.awaitEveryNode("cluster_state", "ok");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /** A script's SHA1, which names it in error replies. */
    private static String sha1(String script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The index of the master that owns {@code key}'s slot. */
    private static int ownerOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (Reply range : nodes.call(0, "CLUSTER", "SLOTS").asList()) {
            List<Reply> r = range.asList();
            if (r.get(0).asLong() <= slot && slot <= r.get(1).asLong()) {
                long port = r.get(2).asList().get(1).asLong();
                for (int i = 0; i < nodes.size(); i++) {
                    if (nodes.port(i) == port) {
                        return i;
                    }
                }
            }
        }
        throw new AssertionError("no owner for " + key);
    }

    @Test
    void jedisRoutesScriptsAndFunctionsByTheirKeys() {
        try (JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.port(0))))) {
            assertEquals(1L, jedis.eval(COUNTER, List.of("{user:1}:visits", "{user:1}:last"), List.of("home")));
            assertEquals(2L, jedis.eval(COUNTER, List.of("{user:1}:visits", "{user:1}:last"), List.of("cart")));
            assertEquals("cart", jedis.get("{user:1}:last"));
            String sha = jedis.scriptLoad(COUNTER, "{user:2}");
            assertEquals(1L, jedis.evalsha(sha, List.of("{user:2}:visits", "{user:2}:last"), List.of("x")));
            assertEquals(true, jedis.scriptExists(sha, "{user:2}"));
            for (int i = 0; i < 3; i++) {
                // FUNCTION LOAD goes to every master, as Redis's own tips ask (request_policy:all_shards).
                try (RespClient master = nodes.client(i)) {
                    master.call("FUNCTION", "LOAD", "REPLACE", LIBRARY);
                }
            }
            assertEquals(5L, jedis.fcall("add", List.of("{cart:9}"), List.of("apples", "5")));
            assertEquals(1L, jedis.fcallReadonly("count", List.of("{cart:9}"), List.of()));
        }
    }

    @Test
    void lettuceRoutesScriptsAndFunctionsByTheirKeys() {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.port(1)));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            Long n = redis.eval(COUNTER, ScriptOutputType.INTEGER, new String[] {"{order:7}:n", "{order:7}:by"}, "me");
            assertEquals(1L, n);
            String sha = redis.scriptLoad(COUNTER);
            assertEquals(2L, (Long) redis.evalsha(sha, ScriptOutputType.INTEGER,
                    new String[] {"{order:7}:n", "{order:7}:by"}, "you"));
            assertEquals("you", redis.get("{order:7}:by"));
            assertEquals(List.of("a", "b"), redis.eval("return {ARGV[1], ARGV[2]}", ScriptOutputType.MULTI,
                    new String[] {"{order:7}:n"}, "a", "b"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void keysOfOtherMastersAreRedirectedOrRefused() {
        int owner = ownerOf("foo");
        int other = (owner + 1) % 3;
        int slot = JedisClusterCRC16.getSlot("foo");
        try (RespClient c = nodes.client(other)) {
            assertEquals(Reply.error("MOVED " + slot + " 127.0.0.1:" + nodes.port(owner)),
                    c.call("EVAL", "return redis.call('get', KEYS[1])", "1", "foo"));
            assertEquals(Reply.error("CROSSSLOT Keys in request don't hash to the same slot"),
                    c.call("EVAL", "return 1", "2", "foo", "bar"));
            String script = "return redis.call('get', 'foo')";
            assertEquals(Reply.error("ERR Script attempted to access a non local key in a cluster node script: "
                    + sha1(script) + ", on @user_script:1."), c.call("EVAL", script, "0"));
            assertEquals(Reply.error("ERR Can not run script on cluster, 'no-cluster' flag is set."),
                    c.call("EVAL", "#!lua flags=no-cluster\nreturn 1", "0"));
        }
        try (RespClient c = nodes.client(owner)) {
            assertEquals(Reply.status("OK"), c.call("EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "foo"));
        }
    }

    @Test
    void replicasApplyWhatAScriptWrote() {
        int owner = ownerOf("{r}k");
        try (RespClient c = nodes.client(owner)) {
            assertEquals(Reply.integer(2), c.call("EVAL", "redis.call('set', KEYS[1], '1') return redis.call('incr', KEYS[1])",
                    "1", "{r}k"));
        }
        String ownerId = nodes.myId(owner);
        int replica = -1;
        for (int i = 3; i < 6; i++) {
            if (nodes.call(i, "CLUSTER", "NODES").asString().contains("myself,slave " + ownerId)) {
                replica = i;
            }
        }
        int replicaIndex = replica;
        Wait.until("the replica applied the script's writes", () -> {
            try (RespClient r = nodes.client(replicaIndex)) {
                r.call("READONLY");
                return r.call("GET", "{r}k").equals(Reply.bulk("2"));
            }
        });
        // A replica serves a READONLY client's scripts that do not write, and redirects those that declare writes.
        Reply moved = Reply.error("MOVED " + JedisClusterCRC16.getSlot("{r}k") + " 127.0.0.1:" + nodes.port(owner));
        try (RespClient r = nodes.client(replicaIndex)) {
            assertEquals(moved, r.call("EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "{r}k"));
            assertEquals(Reply.status("OK"), r.call("READONLY"));
            assertEquals(Reply.bulk("2"), r.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "{r}k"));
            assertEquals(Reply.bulk("2"), r.call("EVAL", "return redis.call('get', '{r}k')", "0"));
            assertEquals(moved, r.call("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "{r}k"));
            String legacy = "return redis.call('set', KEYS[1], 'x')";
            assertEquals(Reply.error("READONLY You can't write against a read only replica. script: " + sha1(legacy)
                    + ", on @user_script:1."), r.call("EVAL", legacy, "1", "{r}k"));
            String readOnly = "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'x')";
            assertEquals(Reply.error("ERR Write commands are not allowed from read-only scripts. script: "
                    + sha1(readOnly) + ", on @user_script:2."), r.call("EVAL", readOnly, "1", "{r}k"));
            assertEquals(Reply.error("READONLY You can't write against a read only replica."),
                    r.call("FUNCTION", "LOAD", LIBRARY));
            assertEquals(Reply.status("OK"), r.call("READWRITE"));
            String nonLocal = "return redis.call('get', '{r}k')";
            assertEquals(Reply.error("ERR Script attempted to access a non local key in a cluster node script: "
                    + sha1(nonLocal) + ", on @user_script:1."), r.call("EVAL", nonLocal, "0"));
        }
    }
}
