package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Persistence as redis-server 7.0 shows it through replies: a save point starts a BGSAVE that moves
 * LASTSAVE; a failed BGSAVE (the dump file's path taken by a directory) and a failed AOF write (the incr
 * file on /dev/full) refuse writes, PING and writing scripts with MISCONF, and abort a queued transaction
 * at EXEC, until saving works again; CONFIG RESETSTAT zeroes rdb_saves. The same commands go to a single
 * emulated node and to a redis-server cluster node, each owning every slot, and their replies are compared.
 */
class PersistenceErrorsDifferentialTest {
    private EmulatedNodes emu;
    private RealRedisNode real;
    private final List<Target> targets = new ArrayList<>();

    /** One server under test: its connections and where it keeps its files. */
    private record Target(String name, RespClient c, RespClient other, Path dump, Path aofDir, String aofFile) {
    }

    @BeforeEach
    void start() {
        RedisBinaries.assumeRedisServer();
        emu = EmulatedNodes.bare(1);
        // The emulator keeps redis.conf's default save points; redis-server here is told the same.
        real = RealRedisNode.builder().config("save", "3600 1 300 100 60 10000").start();
        int port = emu.port(0);
        targets.add(new Target("emulator", emu.client(0), emu.client(0), emu.dir().resolve("dump-" + port + ".rdb"),
                emu.dir().resolve("appendonlydir-" + port), "appendonly-" + port + ".aof"));
        targets.add(new Target("redis-server", RespClient.connect(real), RespClient.connect(real),
                real.dir().resolve("dump.rdb"), real.dir().resolve("appendonlydir"), "appendonly.aof"));
        for (Target t : targets) {
            assertEquals(Reply.status("OK"), t.c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until(t.name + " serves every slot", () -> t.c.call("CLUSTER", "INFO").asString()
                    .contains("cluster_state:ok"));
        }
    }

    @AfterEach
    void stop() {
        for (Target t : targets) {
            t.c.close();
            t.other.close();
        }
        if (real != null) {
            real.close();
        }
        if (emu != null) {
            emu.close();
        }
    }

    /** Sends {@code argv} on each target's main connection; the replies must be the same. Returns it. */
    private Reply both(String... argv) {
        return both(t -> t.c.call(argv), String.join(" ", argv));
    }

    private Reply both(Function<Target, Reply> step, String what) {
        Reply expected = step.apply(targets.get(1));
        Reply actual = step.apply(targets.get(0));
        assertEquals(expected, actual, what);
        return actual;
    }

    private static String infoField(RespClient c, String field) {
        for (String line : c.call("INFO", "persistence").asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO persistence");
    }

    private void awaitBgsaveDone() {
        for (Target t : targets) {
            Wait.until(t.name + " ends its BGSAVE", () -> infoField(t.c, "rdb_bgsave_in_progress").equals("0"));
        }
    }

    @Test
    void aSavePointStartsABgsaveThatMovesLastsave() {
        both("CONFIG", "SET", "save", "1 1");
        List<Long> before = new ArrayList<>();
        for (Target t : targets) {
            before.add(t.c.call("LASTSAVE").asLong());
        }
        both("SET", "k", "v");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            long was = before.get(i);
            Wait.until(t.name + " saves after 1 change in 1 second", () -> t.c.call("LASTSAVE").asLong() > was);
        }
        awaitBgsaveDone();
        both(t -> Reply.bulk(infoField(t.c, "rdb_changes_since_last_save")), "rdb_changes_since_last_save");
        both(t -> Reply.bulk(infoField(t.c, "rdb_last_bgsave_status")), "rdb_last_bgsave_status");
        assertEquals(Reply.bulk("1"), both(t -> Reply.bulk(infoField(t.c, "rdb_saves")), "rdb_saves"));
        for (Target t : targets) {
            assertTrue(Files.exists(t.dump), t.name + " wrote " + t.dump);
        }
        both("CONFIG", "RESETSTAT");
        assertEquals(Reply.bulk("0"), both(t -> Reply.bulk(infoField(t.c, "rdb_saves")), "rdb_saves after RESETSTAT"));
    }

    @Test
    void aFailedBgsaveRefusesWritesWithMisconfUntilASaveSucceeds() throws IOException {
        both("SET", "k", "v");
        both(t -> t.other.call("MULTI"), "MULTI");
        both(t -> t.other.call("SET", "queued", "1"), "SET queued");
        // rename(2) can't put a file where a directory is, whoever runs the test (root included).
        for (Target t : targets) {
            Files.createDirectories(t.dump);
            Files.writeString(t.dump.resolve("occupied"), "x");
        }
        both("BGSAVE");
        awaitBgsaveDone();
        assertEquals(Reply.bulk("err"), both(t -> Reply.bulk(infoField(t.c, "rdb_last_bgsave_status")),
                "rdb_last_bgsave_status"));
        assertTrue(both("SET", "k", "w").asString().startsWith("MISCONF "));
        both("PING");
        both("GET", "k");
        both("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k");
        both("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "k");
        both("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k");
        both(t -> t.other.call("EXEC"), "EXEC");
        both("MULTI");
        both("SET", "k", "w");
        both("EXEC");
        both("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
        both("SET", "k", "w");
        both("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
        both("SET", "k", "w");
        both("CONFIG", "SET", "save", "");
        both("SET", "k", "w");
        both("CONFIG", "SET", "save", "3600 1");
        both("SET", "k", "w");
        for (Target t : targets) {
            Files.delete(t.dump.resolve("occupied"));
            Files.delete(t.dump);
        }
        both("BGSAVE");
        awaitBgsaveDone();
        assertEquals(Reply.bulk("ok"), both(t -> Reply.bulk(infoField(t.c, "rdb_last_bgsave_status")),
                "rdb_last_bgsave_status"));
        assertEquals(Reply.status("OK"), both("SET", "k", "again"));
    }

    @Test
    void aFailedAofWriteRefusesWritesWithMisconf() throws IOException {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "no /dev/full to make AOF writes fail");
        both("CONFIG", "SET", "appendonly", "yes");
        for (Target t : targets) {
            Wait.until(t.name + " logs to its AOF", () -> infoField(t.c, "aof_rewrite_in_progress").equals("0")
                    && infoField(t.c, "aof_rewrite_scheduled").equals("0"));
            // The next rewrite opens incr file 2 (truncating it): writes to it fail with ENOSPC.
            Files.createSymbolicLink(t.aofDir.resolve(t.aofFile + ".2.incr.aof"), full);
        }
        both("BGREWRITEAOF");
        for (Target t : targets) {
            Wait.until(t.name + " ends its rewrite", () -> infoField(t.c, "aof_rewrite_in_progress").equals("0"));
        }
        // The first write is answered before the AOF is written; that write fails and refuses the next.
        assertEquals(Reply.status("OK"), both("SET", "k", "v"));
        for (Target t : targets) {
            Wait.until(t.name + " notices its AOF error", () -> infoField(t.c, "aof_last_write_status").equals("err"));
        }
        assertEquals(Reply.error("MISCONF Errors writing to the AOF file: No space left on device"),
                both("SET", "k", "w"));
        both("PING");
        both("GET", "k");
        both("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k");
        both("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "k");
        both("MULTI");
        both("INCR", "n");
        both("EXEC");
        // Turning the AOF off forgets the error.
        both("CONFIG", "SET", "appendonly", "no");
        assertEquals(Reply.status("OK"), both("SET", "k", "w"));
    }
}
