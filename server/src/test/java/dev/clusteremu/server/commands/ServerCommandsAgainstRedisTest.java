package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.command.CommandSpec;

/**
 * Sends the same commands to a real redis-server 7.0 (--cluster-enabled yes, fresh) and to a fresh bare
 * node and compares the replies byte for byte. Skipped when /usr/bin/redis-server is absent.
 */
class ServerCommandsAgainstRedisTest {
    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final int REDIS_PORT = 7480;
    private static final int EMULATOR_PORT = 7482;
    /** Parameters whose values belong to the instance (its port, address, directory, config file name). */
    private static final Set<String> INSTANCE_PARAMS = Set.of("port", "bind", "dir", "cluster-config-file");

    private static Process redis;
    private static Path dir;
    private static EmulatedCluster emulator;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), "needs /usr/bin/redis-server (Redis 7.0)");
        dir = Files.createTempDirectory("srvcmd-redis");
        redis = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(REDIS_PORT), "--bind",
                "127.0.0.1", "--cluster-enabled", "yes", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", REDIS_PORT)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !redis.isAlive()) {
                    fail("redis-server did not start on port " + REDIS_PORT);
                }
                Thread.sleep(50);
            }
        }
        emulator = EmulatedCluster.builder().ports(List.of(EMULATOR_PORT)).bare(true).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (emulator != null) {
            emulator.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Runs each command on both servers, one connection each, and compares every reply. */
    private static void sameReplies(List<String[]> commands) {
        try (RespClient real = new RespClient(REDIS_PORT); RespClient emu = new RespClient(EMULATOR_PORT)) {
            for (String[] cmd : commands) {
                assertEquals(real.call(cmd), emu.call(cmd), String.join(" ", cmd));
            }
        }
    }

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void connectionCommandsAnswerAsRedis() {
        sameReplies(List.of(cmd("PING"), cmd("PING", "hi"), cmd("PING", "a", "b"), cmd("ECHO", "x"), cmd("ECHO"),
                cmd("HELLO", "4"), cmd("HELLO", "x"), cmd("HELLO", "3", "AUTH", "default"), cmd("HELLO", "3", "foo"),
                cmd("HELLO", "2", "SETNAME", "a b"), cmd("SELECT", "0"), cmd("SELECT", "1"), cmd("SELECT", "x"),
                cmd("SELECT", "99999999999"), cmd("CLIENT"), cmd("CLIENT", "setinfo", "lib-name", "x"),
                cmd("CLIENT", "SETNAME", "a b"), cmd("CLIENT", "SETNAME", "n1"), cmd("CLIENT", "GETNAME"),
                cmd("CLIENT", "SETNAME", ""), cmd("CLIENT", "GETNAME"), cmd("CLIENT", "LIST", "TYPE", "master"),
                cmd("CLIENT", "LIST", "TYPE", "foo"), cmd("CLIENT", "LIST", "ID", "x"), cmd("CLIENT", "LIST", "foo"),
                cmd("CLIENT", "NO-EVICT", "on"), cmd("CLIENT", "NO-EVICT", "x"), cmd("CLIENT", "NO-EVICT", "off"),
                cmd("CLIENT", "KILL", "1.2.3.4:5"), cmd("CLIENT", "KILL", "ID", "999"), cmd("CLIENT", "KILL", "ID", "x"),
                cmd("CLIENT", "KILL", "foo", "bar"), cmd("CLIENT", "KILL", "TYPE", "foo"),
                cmd("CLIENT", "KILL", "USER", "nobody"), cmd("CLIENT", "KILL", "SKIPME", "maybe"),
                cmd("CLIENT", "HELP"), cmd("CLIENT", "GETREDIR"), cmd("CLIENT", "TRACKINGINFO"),
                cmd("HELLO", "3", "SETNAME", "x", "y"), cmd("CLIENT", "GETNAME"), cmd("CLIENT", "TRACKINGINFO")));
    }

    @Test
    void serverCommandsAnswerAsRedis() {
        sameReplies(List.of(cmd("DBSIZE"), cmd("FLUSHALL", "foo"), cmd("FLUSHALL", "ASYNC"), cmd("FLUSHDB", "sync"),
                cmd("FLUSHDB", "sync", "x"), cmd("COMMAND", "GETKEYS"), cmd("COMMAND", "GETKEYS", "get", "a", "b"),
                cmd("COMMAND", "GETKEYS", "set", "a", "b"), cmd("COMMAND", "GETKEYS", "config", "get"),
                cmd("COMMAND", "GETKEYS", "nosuch", "a", "b"), cmd("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"),
                cmd("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"), cmd("COMMAND", "LIST", "FILTERBY", "x", "y"),
                cmd("COMMAND", "LIST", "foo"), cmd("COMMAND", "COUNT", "x"), cmd("COMMAND", "HELP"),
                cmd("COMMAND", "INFO", "nosuch", "config|", "config|get|x"), cmd("CONFIG"), cmd("CONFIG", "foo"),
                cmd("CONFIG", "HELP"), cmd("CONFIG", "REWRITE"), cmd("CONFIG", "RESETSTAT"), cmd("INFO", "nosuch"),
                cmd("INFO", "cluster", "KEYSPACE"), cmd("INFO", "modules")));
    }

    @Test
    void everyCommandOfTheTableIsDescribedAsRedisDescribesIt() {
        List<String[]> commands = new ArrayList<>();
        for (String name : listNames(EMULATOR_PORT, "COMMAND", "LIST")) {
            // A container's subcommands come out in Redis's dict order, which a random hash seed shuffles at
            // every start, so a container is not compared as a whole; its subcommands ("client|kill", ...)
            // are, one by one.
            CommandSpec spec = Commands.table().get(name);
            if (spec == null || !spec.isContainer()) {
                commands.add(cmd("COMMAND", "INFO", name));
            }
        }
        assertTrue(commands.size() > 20);
        sameReplies(commands);
    }

    @Test
    void everyParameterReadsAsOnAFreshRedis() {
        List<String> names = listNames(REDIS_PORT, "CONFIG", "GET", "*");
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 2) {
            if (!INSTANCE_PARAMS.contains(names.get(i))) {
                commands.add(cmd("CONFIG", "GET", names.get(i)));
            }
        }
        assertEquals(384, names.size());
        sameReplies(commands);
    }

    @Test
    void configSetAcceptsAndRefusesAsRedis() {
        sameReplies(List.of(cmd("CONFIG", "SET", "foo", "bar"), cmd("CONFIG", "SET", "hz", "x", "foo", "6"),
                cmd("CONFIG", "SET", "hz", "5", "HZ", "6"), cmd("CONFIG", "SET", "hz", "-1"),
                cmd("CONFIG", "SET", "hz", "1000"), cmd("CONFIG", "GET", "hz"), cmd("CONFIG", "SET", "hz", "0"),
                cmd("CONFIG", "GET", "hz"), cmd("CONFIG", "SET", "hz", "10"), cmd("CONFIG", "SET", "maxclients", "0"),
                cmd("CONFIG", "SET", "cluster-enabled", "no"), cmd("CONFIG", "SET", "dbfilename", "x"),
                cmd("CONFIG", "SET", "maxmemory", "99999999999999999999"), cmd("CONFIG", "GET", "maxmemory"),
                cmd("CONFIG", "SET", "maxmemory", "0"), cmd("CONFIG", "SET", "maxmemory-clients", "101%"),
                cmd("CONFIG", "SET", "save", "10 "), cmd("CONFIG", "GET", "save"),
                cmd("CONFIG", "SET", "save", "3600 1 300 100 60 10000"),
                cmd("CONFIG", "SET", "notify-keyspace-events", "Kgx$lshzetdnm"),
                cmd("CONFIG", "GET", "notify-keyspace-events"), cmd("CONFIG", "SET", "notify-keyspace-events", ""),
                cmd("CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 2 3"),
                cmd("CONFIG", "GET", "client-output-buffer-limit"),
                cmd("CONFIG", "SET", "client-output-buffer-limit", "slave 268435456 67108864 60"),
                cmd("CONFIG", "SET", "shutdown-on-sigint", "save nosave"),
                cmd("CONFIG", "SET", "shutdown-on-sigint", "now save"), cmd("CONFIG", "GET", "shutdown-on-sigint"),
                cmd("CONFIG", "SET", "shutdown-on-sigint", "default"), cmd("CONFIG", "SET", "activedefrag", "yes"),
                cmd("CONFIG", "SET", "tls-port", "1234"), cmd("CONFIG", "SET", "proc-title-template", "{title}"),
                cmd("CONFIG", "SET", "cluster-announce-hostname", "a_b"),
                cmd("CONFIG", "SET", "cluster-preferred-endpoint-type", "hostname"),
                cmd("CONFIG", "GET", "cluster-preferred-endpoint-type"),
                cmd("CONFIG", "SET", "cluster-preferred-endpoint-type", "ip"),
                cmd("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.99 100"),
                cmd("CONFIG", "GET", "latency-tracking-info-percentiles"),
                cmd("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")));
    }

    /** The bulk strings of a flat array reply, e.g. COMMAND LIST's names. */
    private static List<String> listNames(int port, String... command) {
        List<String> names = new ArrayList<>();
        try (RespClient c = new RespClient(port)) {
            String reply = c.call(command);
            String[] lines = reply.split("\r\n", -1);
            int count = Integer.parseInt(lines[0].substring(1));
            for (int i = 0; i < count; i++) {
                names.add(lines[2 + 2 * i]);
            }
        }
        return names;
    }
}
