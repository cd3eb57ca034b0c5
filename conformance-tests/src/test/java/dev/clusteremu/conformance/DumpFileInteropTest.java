package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;

/**
 * Dump files move between the emulator and redis-server 7.0 both ways: what the emulator's SAVE writes,
 * redis-server loads (DEBUG RELOAD); what redis-server's SAVE writes, the emulator loads when it starts.
 */
class DumpFileInteropTest {
    private static final int KEYS = 300;

    private static void writeKeys(RespClient c) {
        for (int i = 0; i < KEYS; i++) {
            switch (i % 4) {
                case 0 -> c.call("SET", "s" + i, "value-" + i);
                case 1 -> c.call("SET", "e" + i, "x".repeat(i), "EX", "100000");
                case 2 -> c.call("INCRBY", "n" + i, Integer.toString(i * 1000));
                default -> c.call("SET", "c" + i, "compressible ".repeat(20));
            }
        }
    }

    private static void assertKeys(RespClient c) {
        assertEquals(KEYS, c.call("DBSIZE").asLong());
        for (int i = 0; i < KEYS; i++) {
            switch (i % 4) {
                case 0 -> assertEquals(Reply.bulk("value-" + i), c.call("GET", "s" + i));
                case 1 -> {
                    assertEquals(Reply.bulk("x".repeat(i)), c.call("GET", "e" + i));
                    long ttl = c.call("TTL", "e" + i).asLong();
                    assertEquals(true, ttl > 99_000 && ttl <= 100_000, "TTL " + ttl);
                }
                case 2 -> assertEquals(Reply.bulk(Integer.toString(i * 1000)), c.call("GET", "n" + i));
                default -> assertEquals(Reply.bulk("compressible ".repeat(20)), c.call("GET", "c" + i));
            }
        }
    }

    @Test
    void redisServerLoadsTheEmulatorsDumpFile() throws IOException {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1);
                RealRedisNode real = RealRedisNode.builder().clusterEnabled(false)
                        .config("enable-debug-command", "yes").start()) {
            try (RespClient e = emu.client(0)) {
                assertEquals(Reply.status("OK"), e.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
                Wait.until("the emulated node serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
                writeKeys(e);
                assertEquals(Reply.status("OK"), e.call("SAVE"));
            }
            Files.copy(emu.dir().resolve("dump-" + emu.port(0) + ".rdb"), real.dir().resolve("dump.rdb"),
                    StandardCopyOption.REPLACE_EXISTING);
            try (RespClient r = RespClient.connect(real)) {
                assertEquals(Reply.status("OK"), r.call("DEBUG", "RELOAD", "NOSAVE"));
                assertKeys(r);
            }
        }
    }

    @Test
    void theEmulatorLoadsRedisServersDumpFileWhenItStarts() throws IOException {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1);
                RealRedisNode real = RealRedisNode.builder().clusterEnabled(false).start()) {
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            try (RespClient r = RespClient.connect(real)) {
                writeKeys(r);
                assertEquals(Reply.status("OK"), r.call("SAVE"));
            }
            emu.stop();
            Files.copy(real.dir().resolve("dump.rdb"), emu.dir().resolve("dump-" + emu.port(0) + ".rdb"),
                    StandardCopyOption.REPLACE_EXISTING);
            emu.start();
            Wait.until("the emulated node serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            try (RespClient e = emu.client(0)) {
                assertKeys(e);
            }
        }
    }
}
