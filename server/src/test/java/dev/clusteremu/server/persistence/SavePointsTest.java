package dev.clusteremu.server.persistence;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.server.NodeOptions;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.ServerConfig.SavePoint;
import dev.clusteremu.server.commands.Commands;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.info.InfoReport;
import io.netty.channel.DefaultEventLoop;

/**
 * The save points of serverCron, on a node that is built but not started and whose clock the test moves:
 * a point saves once its changes are unsaved for longer than its seconds, a failed BGSAVE is retried only
 * after CONFIG_BGSAVE_RETRY_DELAY and refuses writes (MISCONF) meanwhile, a node without a directory goes
 * through the motions without writing, and CONFIG RESETSTAT's share zeroes rdb_saves.
 */
class SavePointsTest {
    private static final long T0 = 1_700_000_000_000L;

    private Path dir;
    private DefaultEventLoop loop;
    private final AtomicLong clock = new AtomicLong(T0);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private RedisNode node;

    @BeforeEach
    void createNode() throws IOException {
        dir = Files.createTempDirectory("savepoints");
        loop = new DefaultEventLoop();
        node = node(dir);
    }

    private RedisNode node(Path nodeDir) {
        NodeOptions options = new NodeOptions(25150, "127.0.0.1", nodeDir, "", 15000,
                new PrintStream(log, true, ISO_8859_1), NodeLog.NOTICE, dev.clusteremu.cluster.NetworkFaults.NONE);
        return new RedisNode(options, loop, Commands.table(), clock::get);
    }

    @AfterEach
    void deleteDir() throws Exception {
        loop.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).sync();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    /** Moves the clock to T0 + {@code seconds} and runs the save points once. */
    private void cronAt(long seconds) throws Exception {
        clock.set(T0 + seconds * 1000);
        onLoop(() -> {
            node.rdb().cron();
            return null;
        });
    }

    private void awaitBgsaveDone() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (onLoop(() -> node.rdb().isBgsaveInProgress())) {
            assertTrue(System.nanoTime() < deadline, "the BGSAVE ends");
            Thread.sleep(10);
        }
    }

    private void changes(long n) throws Exception {
        onLoop(() -> {
            node.stats().changes(n);
            return null;
        });
    }

    @Test
    void aSavePointSavesOnceItsChangesAreUnsavedForLongerThanItsSeconds() throws Exception {
        node.config().save = List.of(new SavePoint(60, 3));
        changes(2);
        cronAt(1000);
        assertFalse(node.rdb().isBgsaveInProgress(), "2 changes are fewer than 3");
        changes(1);
        cronAt(60);
        assertFalse(node.rdb().isBgsaveInProgress(), "60 seconds are not more than 60");
        cronAt(61);
        awaitBgsaveDone();
        assertTrue(log.toString(ISO_8859_1).contains("3 changes in 60 seconds. Saving..."), log.toString(ISO_8859_1));
        assertEquals(1, node.rdb().saves());
        assertTrue(node.rdb().lastBgsaveOk());
        assertEquals(T0 / 1000 + 61, onLoop(() -> InfoReport.lastSave(node)));
        assertEquals(0, onLoop(() -> node.stats().changesSinceSave(node.keyspace().dirty())));
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        cronAt(200);
        assertEquals(1, node.rdb().saves(), "nothing changed since the save");
        node.rdb().resetStats();
        assertEquals(0, node.rdb().saves());
    }

    @Test
    void theFirstPointDueSavesAndTheOthersWait() throws Exception {
        node.config().save = List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000));
        changes(150);
        cronAt(301);
        awaitBgsaveDone();
        assertTrue(log.toString(ISO_8859_1).contains("100 changes in 300 seconds. Saving..."),
                log.toString(ISO_8859_1));
        assertEquals(1, node.rdb().saves());
    }

    @Test
    void aFailedBgsaveRefusesWritesAndIsRetriedAfterTheRetryDelay() throws Exception {
        node.config().save = List.of(new SavePoint(1, 1));
        // rename(2) can't put a file where a directory is, whoever runs the test (root included).
        Files.createDirectories(dir.resolve("dump.rdb").resolve("occupied"));
        changes(1);
        cronAt(2);
        awaitBgsaveDone();
        assertFalse(node.rdb().lastBgsaveOk());
        assertTrue(log.toString(ISO_8859_1).contains("# Background saving error"), log.toString(ISO_8859_1));
        assertEquals(DiskError.RDB, onLoop(() -> DiskError.deniedWrites(node)));
        assertTrue(onLoop(() -> DiskError.RDB.error(node)).startsWith("MISCONF Redis is configured to save RDB "
                + "snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are "
                + "disabled"));
        cronAt(7);
        assertEquals(1, node.rdb().saves(), "5 seconds after the failure are not more than the retry delay");
        cronAt(8);
        awaitBgsaveDone();
        assertEquals(2, node.rdb().saves());
        Files.delete(dir.resolve("dump.rdb").resolve("occupied"));
        Files.delete(dir.resolve("dump.rdb"));
        cronAt(9);
        assertEquals(2, node.rdb().saves(), "the retry delay runs from the last try");
        cronAt(14);
        awaitBgsaveDone();
        assertTrue(node.rdb().lastBgsaveOk());
        assertNull(onLoop(() -> DiskError.deniedWrites(node)));
    }

    @Test
    void misconfNeedsSavePointsAndStopWritesOnBgsaveError() throws Exception {
        node.config().save = List.of(new SavePoint(1, 1));
        Files.createDirectories(dir.resolve("dump.rdb").resolve("occupied"));
        changes(1);
        cronAt(2);
        awaitBgsaveDone();
        assertEquals(DiskError.RDB, onLoop(() -> DiskError.deniedWrites(node)));
        onLoop(() -> {
            ConfigTable.standard().applyAtStart(node, "stop-writes-on-bgsave-error", "no");
            return null;
        });
        assertNull(onLoop(() -> DiskError.deniedWrites(node)));
        onLoop(() -> {
            ConfigTable.standard().applyAtStart(node, "stop-writes-on-bgsave-error", "yes");
            return null;
        });
        node.config().save = List.of();
        assertNull(onLoop(() -> DiskError.deniedWrites(node)));
        Files.delete(dir.resolve("dump.rdb").resolve("occupied"));
        Files.delete(dir.resolve("dump.rdb"));
    }

    @Test
    void aNodeWithoutDirectorySavesWithoutWriting() throws Exception {
        RedisNode dirless = node(null);
        node = dirless;
        node.config().save = List.of(new SavePoint(1, 1));
        changes(1);
        cronAt(2);
        awaitBgsaveDone();
        assertEquals(1, node.rdb().saves());
        assertEquals(T0 / 1000 + 2, onLoop(() -> InfoReport.lastSave(node)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
