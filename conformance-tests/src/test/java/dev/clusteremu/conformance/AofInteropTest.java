package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.clusteremu.server.EmulatedCluster;

/**
 * Append only directories move between the emulator and redis-server 7.0 both ways, with appendonly yes on
 * each side: a base file (an RDB, or commands without aof-use-rdb-preamble) written by BGREWRITEAOF, then
 * an incr file logging the writes after it. What one side wrote, the other loads when it starts, to the same
 * dataset: every type, expire times, stream groups and their pending entries, and function libraries.
 * Both sides use Redis's default names (appendonlydir, appendonly.aof).
 */
class AofInteropTest {
    private static final String LIBRARY = "#!lua name=interop\nredis.register_function('ping1', function() "
            + "return 1 end)";

    /** The writes the base file will hold. */
    private static void writeBefore(RespClient c) {
        c.call("SET", "{a}s", "hello");
        c.call("SET", "{a}e", "expiring", "PXAT", "4102444800000");
        c.call("RPUSH", "{a}l", "a", "b", "1", "2");
        c.call("HSET", "{a}h", "f", "v", "g", "12");
        c.call("SADD", "{a}i", "1", "2", "3");
        c.call("SADD", "{a}m", "x", "y", "z");
        c.call("ZADD", "{a}z", "1", "a", "2.5", "b");
        c.call("XADD", "{a}x", "1-1", "f", "v");
        c.call("XGROUP", "CREATE", "{a}x", "g", "0");
        c.call("FUNCTION", "LOAD", LIBRARY);
        c.call("SET", "{a}gone", "soon");
    }

    /** The writes the incr file will log, as each side propagates them. */
    private static void writeAfter(RespClient c) {
        c.call("SET", "{a}s", "changed");
        c.call("INCR", "{a}n");
        c.call("INCRBYFLOAT", "{a}fl", "1.5");
        c.call("SET", "{a}t", "v", "EX", "100000");
        c.call("LPUSH", "{a}l", "0");
        c.call("HDEL", "{a}h", "g");
        c.call("SREM", "{a}m", "x");
        c.call("ZINCRBY", "{a}z", "2", "a");
        c.call("XADD", "{a}x", "2-1", "f", "w");
        c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "{a}x", ">");
        c.call("MULTI");
        c.call("INCR", "{a}n");
        c.call("RPUSH", "{a}l", "3");
        c.call("EXEC");
        c.call("EVAL", "redis.call('set', KEYS[1], 'by script') return redis.call('del', KEYS[2])", "2", "{a}script",
                "{a}gone");
    }

    /**
     * What the dataset looks like, by replies whose order doesn't depend on the server. Not XINFO GROUPS: a
     * group's entries-read is not in the AOF's commands, so after loading it is unknown (nil), on
     * redis-server as here.
     */
    private static List<Reply> view(RespClient c) {
        List<Reply> replies = new ArrayList<>();
        for (String[] query : new String[][] {{"DBSIZE"}, {"GET", "{a}s"}, {"GET", "{a}n"}, {"GET", "{a}fl"},
                {"GET", "{a}script"}, {"EXISTS", "{a}gone"}, {"PEXPIRETIME", "{a}e"}, {"PEXPIRETIME", "{a}t"},
                {"PEXPIRETIME", "{a}s"}, {"LRANGE", "{a}l", "0", "-1"}, {"HGETALL", "{a}h"}, {"SMEMBERS", "{a}i"},
                {"SORT", "{a}m", "ALPHA"}, {"ZRANGE", "{a}z", "0", "-1", "WITHSCORES"}, {"XRANGE", "{a}x", "-", "+"},
                {"XPENDING", "{a}x", "g"}, {"FUNCTION", "LIST", "WITHCODE"}}) {
            replies.add(c.call(query));
        }
        return replies;
    }

    private static void rewrite(RespClient c) {
        assertEquals(Reply.status("Background append only file rewriting started"), c.call("BGREWRITEAOF"));
        Wait.until("the AOF rewrite is done", () -> {
            String info = c.call("INFO", "persistence").asString();
            return info.contains("aof_rewrite_in_progress:0\r\n") && info.contains("aof_rewrites:1\r\n");
        });
    }

    private static void awaitLoaded(RespClient c) {
        Wait.until("the AOF is loaded", () -> c.call("INFO", "persistence").asString().contains("loading:0\r\n"));
    }

    private static EmulatedCluster.Builder emulator(int port, Path dir, String preamble) {
        return EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir).config("appendonly", "yes")
                .config("appendfilename", "appendonly.aof").config("appenddirname", "appendonlydir")
                .config("aof-use-rdb-preamble", preamble).config("cluster-require-full-coverage", "no");
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void redisServerLoadsTheEmulatorsAppendOnlyDirectory(String preamble) throws Exception {
        RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        Path dir = Files.createTempDirectory("aof-interop-emulator");
        try {
            List<Reply> expected;
            try (EmulatedCluster emu = emulator(port, dir, preamble).start();
                    RespClient e = RespClient.connect("127.0.0.1", port)) {
                assertEquals(Reply.status("OK"), e.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
                Wait.until("the emulated node serves its slots",
                        () -> e.call("CLUSTER", "INFO").asString().contains("cluster_state:ok\r\n"));
                writeBefore(e);
                rewrite(e);
                writeAfter(e);
                expected = view(e);
            }
            // The later --dir wins: redis-server starts in the emulator's directory.
            try (RealRedisNode real = RealRedisNode.builder().clusterEnabled(false).config("dir", dir.toString())
                    .config("appendonly", "yes").start(); RespClient r = RespClient.connect(real)) {
                awaitLoaded(r);
                assertEquals(expected, view(r));
                String log = Files.readString(real.logFile());
                assertTrue(log.contains("DB loaded from base file appendonly.aof.2.base." + (preamble.equals("yes")
                        ? "rdb" : "aof")), log);
                assertTrue(log.contains("DB loaded from incr file appendonly.aof.2.incr.aof"), log);
            }
        } finally {
            FreePorts.release(port);
            deleteRecursively(dir);
        }
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void theEmulatorLoadsRedisServersAppendOnlyDirectory(String preamble) throws Exception {
        RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        Path dir = Files.createTempDirectory("aof-interop-emulator");
        try {
            List<Reply> expected;
            try (RealRedisNode real = RealRedisNode.builder().clusterEnabled(false).config("appendonly", "yes")
                    .config("aof-use-rdb-preamble", preamble).start(); RespClient r = RespClient.connect(real)) {
                writeBefore(r);
                rewrite(r);
                writeAfter(r);
                expected = view(r);
                // Redis writes the AOF before it replies: what was answered is in the files.
                copyRecursively(real.dir().resolve("appendonlydir"), dir.resolve("appendonlydir"));
            }
            try (EmulatedCluster emu = emulator(port, dir, preamble).start();
                    RespClient e = RespClient.connect("127.0.0.1", port)) {
                Wait.until("the emulated node serves the slots of the keys it loaded",
                        () -> e.call("CLUSTER", "INFO").asString().contains("cluster_state:ok\r\n"));
                assertEquals(expected, view(e));
            }
        } finally {
            FreePorts.release(port);
            deleteRecursively(dir);
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
