package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

/**
 * appendonly yes: the incr file holds, byte for byte, what redis-server 7.0.15 writes for the same commands;
 * a restarted node loads the base and incr files back; BGREWRITEAOF opens a new incr file and deletes the
 * files the new base replaces; CONFIG SET appendonly yes starts logging after a first rewrite and
 * appendonly no stops it; a file cut short in its last command is truncated (aof-load-truncated) or
 * refused, and a file that isn't an AOF is refused.
 */
class AppendOnlyFileTest {
    /** This family's ports (bus ports +10000 must be free too). */
    private static final int FIRST_PORT = 25100;
    private static final int LAST_PORT = 25119;

    /**
     * What redis-server 7.0.15 wrote to appendonly.aof.1.incr.aof for the commands of
     * {@link #writeCommands} (captured by hand with redis-cli).
     */
    private static final String REDIS_INCR = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
            + "*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n"
            + "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$13\r\n4102444800000\r\n"
            + "*4\r\n$3\r\nSET\r\n$1\r\nf\r\n$3\r\n1.5\r\n$7\r\nKEEPTTL\r\n"
            + "*5\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
            + "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nEXEC\r\n"
            + "*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nx\r\n"
            + "*2\r\n$3\r\nDEL\r\n$1\r\ns\r\n"
            + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$4\r\n{t}a\r\n$1\r\n1\r\n"
            + "*3\r\n$3\r\nset\r\n$4\r\n{t}b\r\n$1\r\n2\r\n*1\r\n$4\r\nEXEC\r\n";

    @TempDir
    Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static int freePort() {
        return TestPorts.freePairs(FIRST_PORT, LAST_PORT, 1).get(0);
    }

    /** One node keeping its files in {@link #dir}, with {@code appendonly} given at start. */
    private EmulatedCluster node(int port, String appendonly, String... config) throws Exception {
        EmulatedCluster.Builder b = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir)
                .config("appendonly", appendonly).log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE);
        for (int i = 0; i < config.length; i += 2) {
            b.config(config[i], config[i + 1]);
        }
        EmulatedCluster cluster = b.start();
        try (RespClient c = new RespClient(port)) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            waitUntil("the node serves every slot", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        return cluster;
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    private static void writeCommands(RespClient c) {
        c.call("SET", "foo", "bar");
        c.call("SET", "k", "v", "PXAT", "4102444800000");
        c.call("INCRBYFLOAT", "f", "1.5");
        c.call("RPUSH", "l", "a", "b", "c");
        c.call("MULTI");
        c.call("INCR", "n");
        c.call("INCR", "n");
        c.call("EXEC");
        c.call("DEL", "nokey");
        c.call("SADD", "s", "x");
        c.call("EXPIRE", "s", "0");
        c.call("EVAL", "redis.call('set',KEYS[1],'1') redis.call('set',KEYS[2],'2')", "2", "{t}a", "{t}b");
    }

    private Path aofDir(int port) {
        return dir.resolve("appendonlydir-" + port);
    }

    private String read(int port, String file) {
        try {
            return Files.readString(aofDir(port).resolve(file), ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private List<String> files(int port) throws IOException {
        try (Stream<Path> files = Files.list(aofDir(port))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String persistence(RespClient c) {
        return c.call("INFO", "persistence");
    }

    private static void awaitRewriteDone(RespClient c, int rewrites) throws InterruptedException {
        waitUntil(rewrites + " rewrites done", () -> {
            String info = persistence(c);
            return info.contains("aof_rewrite_in_progress:0\r\n") && info.contains("aof_rewrite_scheduled:0\r\n")
                    && info.contains("aof_rewrites:" + rewrites + "\r\n");
        });
    }

    @Test
    void theIncrFileHoldsWhatRedisWritesForTheSameCommands() throws Exception {
        int port = freePort();
        String prefix = "appendonly-" + port + ".aof";
        try (EmulatedCluster cluster = node(port, "yes"); RespClient c = new RespClient(port)) {
            String info = persistence(c);
            assertTrue(info.contains("aof_enabled:1\r\n"), info);
            assertEquals(List.of(prefix + ".1.base.rdb", prefix + ".1.incr.aof", prefix + ".manifest"), files(port));
            assertEquals("file " + prefix + ".1.base.rdb seq 1 type b\nfile " + prefix + ".1.incr.aof seq 1 type i\n",
                    read(port, prefix + ".manifest"));
            writeCommands(c);
            waitUntil("the incr file is written",
                    () -> read(port, prefix + ".1.incr.aof").length() == REDIS_INCR.length());
            assertEquals(REDIS_INCR, read(port, prefix + ".1.incr.aof"));
            info = persistence(c);
            assertTrue(info.contains("aof_current_size:" + REDIS_INCR.length() + "\r\n"), info);
            assertTrue(info.contains("aof_base_size:0\r\n"), info);
            assertTrue(info.contains("aof_last_write_status:ok\r\n"), info);
            assertTrue(info.contains("aof_buffer_length:0\r\n"), info);
        }
        String lines = log.toString(ISO_8859_1);
        assertTrue(lines.contains("Creating AOF base file " + prefix + ".1.base.rdb on server start"), lines);
        assertTrue(lines.contains("Creating AOF incr file " + prefix + ".1.incr.aof on server start"), lines);
    }

    @Test
    void withAppendfsyncAlwaysTheFileIsWrittenBeforeTheReply() throws Exception {
        int port = freePort();
        String incr = "appendonly-" + port + ".aof.1.incr.aof";
        try (EmulatedCluster cluster = node(port, "yes", "appendfsync", "always");
                RespClient c = new RespClient(port)) {
            assertEquals("+OK\r\n", c.call("SET", "foo", "bar"));
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
                    read(port, incr));
        }
    }

    @Test
    void aRestartedNodeLoadsTheBaseAndIncrFilesBack() throws Exception {
        int port = freePort();
        String prefix = "appendonly-" + port + ".aof";
        try (EmulatedCluster cluster = node(port, "yes"); RespClient c = new RespClient(port)) {
            c.call("SET", "before", "rewrite");
            c.call("RPUSH", "list", "a", "b");
            assertEquals("+Background append only file rewriting started\r\n", c.call("BGREWRITEAOF"));
            awaitRewriteDone(c, 1);
            writeCommands(c);
            c.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        }
        try (EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir)
                .config("appendonly", "yes").log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE).start();
                RespClient c = new RespClient(port)) {
            waitUntil("the node serves its slots", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
            assertEquals(":9\r\n", c.call("DBSIZE"));
            assertEquals("$7\r\nrewrite\r\n", c.call("GET", "before"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("LRANGE", "list", "0", "-1"));
            assertEquals("$3\r\nbar\r\n", c.call("GET", "foo"));
            assertEquals(":4102444800000\r\n", c.call("PEXPIRETIME", "k"));
            assertEquals("$3\r\n1.5\r\n", c.call("GET", "f"));
            assertEquals("$1\r\n2\r\n", c.call("GET", "n"));
            assertEquals(":0\r\n", c.call("EXISTS", "s"));
            assertEquals("$1\r\n2\r\n", c.call("GET", "{t}b"));
            assertEquals(":1\r\n", c.call("FCALL", "f", "0"));
            long size = Files.size(aofDir(port).resolve(prefix + ".2.base.rdb"))
                    + Files.size(aofDir(port).resolve(prefix + ".2.incr.aof"));
            String info = persistence(c);
            assertTrue(info.contains("aof_current_size:" + size + "\r\n"), info);
            assertTrue(info.contains("aof_base_size:" + Files.size(aofDir(port).resolve(prefix + ".2.base.rdb"))
                    + "\r\n"), info);
            assertTrue(info.contains("rdb_last_load_keys_loaded:2\r\n"), info);
        }
        String lines = log.toString(ISO_8859_1);
        assertTrue(lines.contains("DB loaded from base file " + prefix + ".2.base.rdb"), lines);
        assertTrue(lines.contains("DB loaded from incr file " + prefix + ".2.incr.aof"), lines);
        assertTrue(lines.contains("Opening AOF incr file " + prefix + ".2.incr.aof on server start"), lines);
    }

    /**
     * Stops node 0 and starts it again once its ports are free: a closed listener's socket is released by
     * the loop's next select, a moment after the node reports it stopped.
     */
    private static void restart(EmulatedCluster cluster, int port) throws InterruptedException {
        cluster.node(0).stop();
        waitUntil("the stopped node's ports are free", () -> TestPorts.isFree(port) && TestPorts.isFree(port + 10000));
        cluster.node(0).start();
    }

    @Test
    void aNodeRestartedInItsClusterKeepsWhatItLogged() throws Exception {
        int port = freePort();
        try (EmulatedCluster cluster = node(port, "yes")) {
            try (RespClient c = new RespClient(port)) {
                c.call("SET", "a", "1");
                c.call("HSET", "h", "f", "v");
            }
            restart(cluster, port);
            try (RespClient c = new RespClient(port)) {
                waitUntil("the node serves its slots", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
                assertEquals(":2\r\n", c.call("DBSIZE"));
                assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
                assertEquals("$1\r\nv\r\n", c.call("HGET", "h", "f"));
                c.call("DEL", "a");
            }
            restart(cluster, port);
            try (RespClient c = new RespClient(port)) {
                waitUntil("the node serves its slots", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
                assertEquals(":1\r\n", c.call("DBSIZE"));
            }
        }
    }

    @Test
    void bgrewriteaofOpensANewIncrFileAndDeletesTheFilesTheNewBaseReplaces() throws Exception {
        int port = freePort();
        String prefix = "appendonly-" + port + ".aof";
        try (EmulatedCluster cluster = node(port, "yes", "aof-use-rdb-preamble", "no");
                RespClient c = new RespClient(port)) {
            c.call("SET", "a", "1");
            assertEquals("+Background append only file rewriting started\r\n", c.call("BGREWRITEAOF"));
            c.call("SET", "b", "2");
            awaitRewriteDone(c, 1);
            assertEquals(List.of(prefix + ".2.base.aof", prefix + ".2.incr.aof", prefix + ".manifest"), files(port));
            assertEquals("file " + prefix + ".2.base.aof seq 2 type b\nfile " + prefix + ".2.incr.aof seq 2 type i\n",
                    read(port, prefix + ".manifest"));
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n",
                    read(port, prefix + ".2.base.aof"));
            waitUntil("SET b is logged", () -> read(port, prefix + ".2.incr.aof").length() > 0);
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n",
                    read(port, prefix + ".2.incr.aof"));
            String info = persistence(c);
            long base = Files.size(aofDir(port).resolve(prefix + ".2.base.aof"));
            long size = base + Files.size(aofDir(port).resolve(prefix + ".2.incr.aof"));
            assertTrue(info.contains("aof_current_size:" + size + "\r\n"), info);
            // The rewrite's end takes the size at that moment as the base size: SET b's bytes count in it if
            // they were written first, as in Redis's backgroundRewriteDoneHandler; either order can happen.
            assertTrue(info.contains("aof_base_size:" + size + "\r\n") || info.contains("aof_base_size:" + base + "\r\n"),
                    info);
        }
        String lines = log.toString(ISO_8859_1);
        assertTrue(lines.contains("Creating AOF incr file " + prefix + ".2.incr.aof on background rewrite"), lines);
        assertTrue(lines.contains("Removing the history file " + prefix + ".1.incr.aof in the background"), lines);
    }

    @Test
    void configSetAppendonlyStartsLoggingAfterAFirstRewriteAndStopsIt() throws Exception {
        int port = freePort();
        String prefix = "appendonly-" + port + ".aof";
        try (EmulatedCluster cluster = node(port, "no"); RespClient c = new RespClient(port)) {
            c.call("SET", "a", "1");
            assertFalse(Files.exists(aofDir(port)));
            assertFalse(persistence(c).contains("aof_current_size"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendonly", "yes"));
            awaitRewriteDone(c, 1);
            c.call("SET", "b", "2");
            assertEquals("*2\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n", c.call("CONFIG", "GET", "appendonly"));
            assertEquals(List.of(prefix + ".1.base.rdb", prefix + ".1.incr.aof", prefix + ".manifest"), files(port));
            assertEquals("file " + prefix + ".1.base.rdb seq 1 type b\nfile " + prefix + ".1.incr.aof seq 1 type i\n",
                    read(port, prefix + ".manifest"));
            String logged = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
            waitUntil("SET b is logged", () -> read(port, prefix + ".1.incr.aof").equals(logged));
            assertTrue(persistence(c).contains("aof_enabled:1\r\n"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendonly", "no"));
            c.call("SET", "c", "3");
            String info = persistence(c);
            assertTrue(info.contains("aof_enabled:0\r\n"), info);
            assertFalse(info.contains("aof_current_size"), info);
            assertEquals(logged, read(port, prefix + ".1.incr.aof"));
        }
        String lines = log.toString(ISO_8859_1);
        assertTrue(lines.contains("Creating AOF incr file temp-" + prefix + ".incr on background rewrite"), lines);
        assertTrue(lines.contains("Successfully renamed the temporary AOF incr file temp-" + prefix + ".incr into "
                + prefix + ".1.incr.aof"), lines);
    }

    /**
     * A node starting from an AOF written by hand: it claims the slots of the keys it loads, and serves
     * them without the others (cluster-require-full-coverage no).
     */
    private EmulatedCluster loadingNode(int port) throws Exception {
        EmulatedCluster cluster = EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir)
                .config("appendonly", "yes").config("cluster-require-full-coverage", "no")
                .log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE).start();
        try (RespClient c = new RespClient(port)) {
            waitUntil("the node serves its slots", () -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        return cluster;
    }

    /** An AOF directory written by hand: a manifest naming one incr file holding {@code incr}. */
    private void handMadeAof(int port, String incr) throws IOException {
        String prefix = "appendonly-" + port + ".aof";
        Files.createDirectories(aofDir(port));
        Files.writeString(aofDir(port).resolve(prefix + ".manifest"), "file " + prefix + ".1.incr.aof seq 1 type i\n",
                ISO_8859_1);
        Files.writeString(aofDir(port).resolve(prefix + ".1.incr.aof"), incr, ISO_8859_1);
    }

    @Test
    void aLastCommandCutShortIsTruncatedWithAofLoadTruncated() throws Exception {
        int port = freePort();
        String whole = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
        handMadeAof(port, whole + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1");
        String incr = "appendonly-" + port + ".aof.1.incr.aof";
        try (EmulatedCluster cluster = loadingNode(port); RespClient c = new RespClient(port)) {
            assertEquals(":1\r\n", c.call("DBSIZE"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
            assertEquals(whole, read(port, incr));
        }
        String lines = log.toString(ISO_8859_1);
        assertTrue(lines.contains("!!! Warning: short read while loading the AOF file " + incr + "!!!"), lines);
        assertTrue(lines.contains("!!! Truncating the AOF " + incr + " at offset " + whole.length() + " !!!"), lines);
        assertTrue(lines.contains("AOF " + incr + " loaded anyway because aof-load-truncated is enabled"), lines);
    }

    @Test
    void anUnfinishedTransactionIsUndoneWithAofLoadTruncated() throws Exception {
        int port = freePort();
        String whole = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
        handMadeAof(port, whole + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n");
        String incr = "appendonly-" + port + ".aof.1.incr.aof";
        try (EmulatedCluster cluster = loadingNode(port); RespClient c = new RespClient(port)) {
            assertEquals(":1\r\n", c.call("DBSIZE"));
            assertEquals(whole, read(port, incr));
        }
        assertTrue(log.toString(ISO_8859_1).contains("Revert incomplete MULTI/EXEC transaction in AOF file " + incr));
    }

    @Test
    void aCutFileWithoutAofLoadTruncatedOrABadFileStopsTheStart() throws Exception {
        int port = freePort();
        String incr = "appendonly-" + port + ".aof.1.incr.aof";
        handMadeAof(port, "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1");
        assertThrows(Exception.class, () -> EmulatedCluster.builder().ports(List.of(port)).bare(true).dir(dir)
                .config("appendonly", "yes").config("aof-load-truncated", "no")
                .log(new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE).start());
        assertTrue(log.toString(ISO_8859_1).contains("Unexpected end of file reading the append only file " + incr
                + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the "
                + "server."));
        handMadeAof(port, "SET a 1\r\n");
        assertThrows(Exception.class, () -> loadingNode(port));
        assertTrue(log.toString(ISO_8859_1).contains("Bad file format reading the append only file " + incr
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"));
        handMadeAof(port, "*1\r\n$7\r\nNOTACMD\r\n");
        assertThrows(Exception.class, () -> loadingNode(port));
        assertTrue(log.toString(ISO_8859_1).contains("Unknown command 'NOTACMD' reading the append only file "
                + incr));
    }
}
