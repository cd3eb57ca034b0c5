package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.rdb.RdbKey;
import dev.clusteremu.server.rdb.RdbReader;
import dev.clusteremu.server.rdb.RdbVisitor;

/**
 * BGREWRITEAOF with appendonly no, against redis-server 7.0 in cluster mode: the replies (started,
 * scheduled inside a transaction, refused while one runs), INFO persistence's aof_* fields, and the files
 * left in the append only directory - their names, the manifest byte for byte, and the base file: an RDB
 * with the same aux fields (aof-base 1, no replication fields; ctime and used-mem are the servers' own) and
 * the same keys, values (in their RDB encodings) and expires. Each server runs in a directory of its own.
 */
class AofRewriteTest {
    private static RealRedisNode real;
    private static EmulatedCluster emulated;
    private static Path emulatedDir;
    private static int emulatedPort;

    @BeforeAll
    static void start() throws Exception {
        RedisBinaries.assumeRedisServer();
        emulatedPort = FreePorts.clusterPort();
        emulatedDir = Files.createTempDirectory("aof-rewrite-emulator");
        real = RealRedisNode.singleMasterCluster();
        // Redis's default names, which an EmulatedCluster with a directory replaces by per-port ones.
        emulated = EmulatedCluster.builder().ports(List.of(emulatedPort)).bare(true).dir(emulatedDir)
                .config("appendfilename", "appendonly.aof").config("appenddirname", "appendonlydir").start();
        try (RespClient c = RespClient.connect("127.0.0.1", emulatedPort)) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            Wait.until("the emulated node serves every slot",
                    () -> c.call("CLUSTER", "INFO").asString().contains("cluster_state:ok\r\n"));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (emulated != null) {
                emulated.close();
            }
        } finally {
            FreePorts.release(emulatedPort);
            if (real != null) {
                real.close();
            }
            deleteRecursively(emulatedDir);
        }
    }

    /** Sends {@code argv} to both servers; their replies must be equal. Returns the real server's. */
    private static Reply both(String... argv) {
        try (RespClient r = RespClient.connect(real); RespClient e = RespClient.connect("127.0.0.1", emulatedPort)) {
            Reply expected = r.call(argv);
            assertEquals(expected, e.call(argv), String.join(" ", argv));
            return expected;
        }
    }

    private static void awaitRewrites(long n) {
        for (int port : List.of(real.port(), emulatedPort)) {
            try (RespClient c = RespClient.connect("127.0.0.1", port)) {
                Wait.until(n + " AOF rewrites done on " + port, () -> {
                    String info = c.call("INFO", "persistence").asString();
                    return info.contains("aof_rewrite_in_progress:0\r\n") && info.contains("aof_rewrite_scheduled:0\r\n")
                            && info.contains("aof_rewrites:" + n + "\r\n");
                });
            }
        }
    }

    @Test
    void rewritesLeaveTheFilesRedisLeaves() throws Exception {
        both("FLUSHALL");
        both("CONFIG", "RESETSTAT");
        both("SET", "{a}s", "hello");
        both("SET", "{a}n", "12345");
        both("SET", "{a}t", "expiring", "PXAT", "4102444800000");
        both("RPUSH", "{a}l", "a", "b", "1", "2");
        both("HSET", "{a}h", "f", "v", "g", "12");
        both("SADD", "{a}i", "1", "2", "3");
        both("ZADD", "{a}z", "1", "a", "2.5", "b");
        both("XADD", "{a}x", "1-1", "f", "v");
        both("XGROUP", "CREATE", "{a}x", "g", "0");
        assertEquals(Reply.status("Background append only file rewriting started"), both("BGREWRITEAOF"));
        awaitRewrites(1);
        both("SET", "{a}s", "changed");
        both("DEL", "{a}n");
        both("MULTI");
        both("BGREWRITEAOF");
        both("EXEC");
        awaitRewrites(2);
        assertEquals(persistenceFields(real.port()), persistenceFields(emulatedPort));
        Path realDir = real.dir().resolve("appendonlydir");
        Path emuDir = emulatedDir.resolve("appendonlydir");
        // One base file and the manifest: the base replaced by the second rewrite is gone.
        String manifest = Files.readString(realDir.resolve("appendonly.aof.manifest"));
        String base = manifest.split(" ")[1];
        assertEquals(List.of(base, "appendonly.aof.manifest"), names(realDir));
        assertEquals(names(realDir), names(emuDir));
        assertEquals(manifest, Files.readString(emuDir.resolve("appendonly.aof.manifest")));
        assertEquals(contents(realDir.resolve(base)), contents(emuDir.resolve(base)));
    }

    @Test
    void withoutRdbPreambleTheBaseIsTheCommandsThatRebuildTheDataset() throws Exception {
        both("FLUSHALL");
        both("CONFIG", "RESETSTAT");
        both("CONFIG", "SET", "aof-use-rdb-preamble", "no");
        try {
            both("SET", "{a}s", "hello");
            both("SET", "{a}n", "123");
            both("SET", "{a}t", "x", "PXAT", "4102444800000");
            String[] rpush = new String[72];
            rpush[0] = "RPUSH";
            rpush[1] = "{a}l";
            for (int i = 2; i < rpush.length; i++) {
                rpush[i] = Integer.toString(i);
            }
            both(rpush);
            both("SADD", "{a}i", "3", "1", "2");
            both("ZADD", "{a}z", "1", "a", "2.5", "b", "0.1", "c");
            both("HSET", "{a}h", "f", "v", "g", "12");
            both("XADD", "{a}x", "1-1", "f", "v");
            both("XADD", "{a}x", "2-1", "f", "w");
            both("XDEL", "{a}x", "2-1");
            both("XGROUP", "CREATE", "{a}x", "g", "0");
            both("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "{a}x", ">");
            both("XGROUP", "CREATECONSUMER", "{a}x", "g", "c2");
            both("XADD", "{a}e", "MAXLEN", "0", "1-1", "a", "b");
            both("BGREWRITEAOF");
            awaitRewrites(1);
            assertEquals(persistenceFields(real.port()), persistenceFields(emulatedPort));
            Path realDir = real.dir().resolve("appendonlydir");
            Path emuDir = emulatedDir.resolve("appendonlydir");
            assertEquals(names(realDir), names(emuDir));
            String manifest = Files.readString(realDir.resolve("appendonly.aof.manifest"));
            assertEquals(manifest, Files.readString(emuDir.resolve("appendonly.aof.manifest")));
            String base = manifest.split(" ")[1];
            assertEquals(commandsByKey(realDir.resolve(base)), commandsByKey(emuDir.resolve(base)));
        } finally {
            both("CONFIG", "SET", "aof-use-rdb-preamble", "yes");
        }
    }

    /**
     * A command log's commands grouped by key (the argument after the command name, or XGROUP's after its
     * subcommand), in file order within a key, keys sorted: Redis writes keys in its hash table's order. An
     * XCLAIM's TIME is when the entry was delivered, each server's own: it is masked.
     */
    private static List<String> commandsByKey(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        TreeMap<String, List<String>> byKey = new TreeMap<>();
        int i = 0;
        while (i < data.length) {
            int n = Integer.parseInt(line(data, i + 1));
            i = next(data, i);
            List<String> args = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                int len = Integer.parseInt(line(data, i + 1));
                i = next(data, i);
                args.add(new String(data, i, len, StandardCharsets.ISO_8859_1));
                i += len + 2;
            }
            if (args.get(0).equals("XCLAIM")) {
                args.set(7, "<time>");
            }
            String key = args.size() < 2 ? "" : args.get(0).equals("XGROUP") ? args.get(2) : args.get(1);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(String.join(" ", args));
        }
        List<String> out = new ArrayList<>();
        byKey.forEach((key, commands) -> out.addAll(commands));
        return out;
    }

    private static String line(byte[] data, int from) {
        int end = from;
        while (data[end] != '\r') {
            end++;
        }
        return new String(data, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static int next(byte[] data, int from) {
        int end = from;
        while (data[end] != '\n') {
            end++;
        }
        return end + 1;
    }

    @Test
    void bgrewriteaofIsAdminOnlyAndTakesNoArgument() {
        both("BGREWRITEAOF", "extra");
        both("COMMAND", "INFO", "bgrewriteaof");
    }

    /** INFO persistence's aof_* lines, but the copy-on-write size of Redis's fork and the rewrite's duration. */
    private static List<String> persistenceFields(int port) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            List<String> out = new ArrayList<>();
            for (String line : c.call("INFO", "persistence").asString().split("\r\n")) {
                if (line.startsWith("aof_") && !line.startsWith("aof_last_cow_size")
                        && !line.startsWith("aof_last_rewrite_time_sec")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * An RDB's aux fields in file order (ctime and used-mem without their values) and its keys as a sorted
     * set of "key type expire value" lines: Redis writes keys in its hash table's order.
     */
    private static List<String> contents(Path rdb) throws IOException {
        List<String> aux = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        RdbReader.read(rdb, new RdbVisitor<byte[]>() {
            @Override
            public void aux(byte[] name, byte[] value) {
                String n = new String(name, StandardCharsets.ISO_8859_1);
                boolean own = n.equals("ctime") || n.equals("used-mem");
                aux.add(n + (own ? "" : "=" + new String(value, StandardCharsets.ISO_8859_1)));
            }

            @Override
            public void selectDb(int db) {
                aux.add("selectdb " + db);
            }

            @Override
            public void resizeDb(long dbSize, long expiresSize) {
                aux.add("resizedb " + dbSize + " " + expiresSize);
            }

            @Override
            public void keyValue(RdbKey key, byte[] value) {
                keys.add(new String(key.key(), StandardCharsets.ISO_8859_1) + " " + key.type() + " " + key.expireMs()
                        + " " + HexFormat.of().formatHex(value));
            }
        });
        List<String> out = new ArrayList<>(aux);
        out.addAll(keys);
        return out;
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
