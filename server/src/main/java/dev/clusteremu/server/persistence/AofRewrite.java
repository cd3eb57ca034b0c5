package dev.clusteremu.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.replication.RdbSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * BGREWRITEAOF (aof.c's rewriteAppendOnlyFileBackground and backgroundRewriteDoneHandler) on a node that
 * does not log writes (appendonly no): the dataset is written as a new base file of the append only
 * directory, &lt;dir&gt;/&lt;appenddirname&gt;/&lt;appendfilename&gt;.&lt;seq&gt;.base.rdb, the manifest
 * is rewritten to name it, and the files it replaces are deleted - exactly the files redis-server 7.0
 * leaves. With aof-use-rdb-preamble (the default) the base is an RDB whose aux field "aof-base" is 1;
 * without, it is ".base.aof", the commands that rebuild the dataset ({@link AofCommandLog}).
 *
 * <p>As for BGSAVE, the snapshot is taken on the node's loop (the point in time a fork would capture) and
 * written to a temp file on another thread; renaming it into the directory and updating the manifest
 * happen back on the loop, as Redis's parent does them when its child exits. A rewrite asked for while a
 * BGSAVE runs, or inside a transaction, is scheduled and starts from the cron once nothing runs. The
 * manifest found at start is loaded, so sequence numbers go on where they stopped. A node without a
 * directory writes nothing. Owned by the node's loop.
 */
public final class AofRewrite {
    private final RedisNode node;
    private AofManifest manifest = AofManifest.EMPTY;
    private boolean inProgress;
    private boolean scheduled;
    /** aof_rewrite_time_start, Unix ms; meaningful while in progress. */
    private long startedMs;
    /** aof_rewrite_time_last: seconds the last rewrite took, -1 before the first. */
    private long lastRewriteSeconds = -1;
    private boolean lastStatusOk = true;
    /** stat_aof_rewrites: rewrites started. */
    private long rewrites;
    /** stat_aofrw_consecutive_failures. */
    private long consecutiveFailures;
    /** What waits for the rewrite to end: a BGSAVE scheduled meanwhile. */
    private final List<Runnable> afterRewrite = new ArrayList<>();

    public AofRewrite(RedisNode node) {
        this.node = node;
    }

    /**
     * aofLoadManifestFromDisk then aofDelHistoryFiles, at start: reads the manifest if the directory has
     * one and deletes the history files it lists.
     *
     * @throws IOException when the manifest can't be read or is invalid; redis-server refuses to start then
     */
    public void loadManifestAtStart() throws IOException {
        Path dir = aofDir();
        if (dir == null) {
            return;
        }
        Path file = dir.resolve(aofFilename() + ".manifest");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            manifest = AofManifest.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("Fatal error reading the AOF manifest " + file + ": " + e.getMessage(), e);
        }
        deleteHistory();
    }

    /** aof_rewrite_in_progress. */
    public boolean isInProgress() {
        return inProgress;
    }

    /** aof_rewrite_scheduled. */
    public boolean isScheduled() {
        return scheduled;
    }

    /** aof_last_rewrite_time_sec. */
    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    /** aof_current_rewrite_time_sec: -1 when none is running. */
    public long currentRewriteSeconds() {
        return inProgress ? (node.now() - startedMs) / 1000 : -1;
    }

    /** aof_last_bgrewrite_status. */
    public boolean lastStatusOk() {
        return lastStatusOk;
    }

    /** aof_rewrites. */
    public long rewrites() {
        return rewrites;
    }

    /** aof_rewrites_consecutive_failures. */
    public long consecutiveFailures() {
        return consecutiveFailures;
    }

    /** CONFIG RESETSTAT (resetServerStats): the rewrite count and the consecutive failures start over. */
    public void resetStats() {
        rewrites = 0;
        consecutiveFailures = 0;
    }

    /**
     * BGREWRITEAOF asked for while it can't start: it starts from the cron once no BGSAVE runs. A manual
     * request forgets earlier failures, so it is not delayed by them.
     */
    public void schedule() {
        scheduled = true;
        consecutiveFailures = 0;
    }

    /** Runs {@code task} on the loop once the running rewrite has ended. */
    public void afterRewrite(Runnable task) {
        afterRewrite.add(task);
    }

    /** serverCron: starts a scheduled rewrite once nothing else writes the dataset out. */
    public void cron() {
        if (scheduled && !inProgress && !node.rdb().isBgsaveInProgress()) {
            start();
        }
    }

    /**
     * rewriteAppendOnlyFileBackground: creates the directory if missing, snapshots the dataset and writes
     * it out on another thread. Returns false, after logging why, if the directory can't be created.
     */
    public boolean start() {
        Path dir = aofDir();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                node.log().warning("Can't open or create append-only dir " + appendDirName() + ": " + e.getMessage());
                lastStatusOk = false;
                return false;
            }
        }
        rewrites++;
        inProgress = true;
        scheduled = false;
        startedMs = node.now();
        boolean preamble = (Boolean) ConfigTable.valueOf(node, "aof-use-rdb-preamble");
        ByteBuf base = baseContent(preamble);
        Path temp = tempFile();
        node.log().notice("Background append only file rewriting started by pid " + ProcessHandle.current().pid());
        CompletableFuture.runAsync(() -> {
            boolean ok = true;
            try {
                if (temp != null) {
                    writeSynced(temp, base);
                }
            } catch (IOException e) {
                node.log().warning("Write error writing append only file on disk: " + e.getMessage());
                ok = false;
            } finally {
                base.release();
            }
            boolean written = ok;
            node.loop().execute(() -> rewriteDone(written, preamble, temp));
        });
        return true;
    }

    /**
     * The new base file's content (rewriteAppendOnlyFile): an RDB of the dataset marked as an AOF base, or
     * without the RDB preamble the commands that rebuild it.
     */
    private ByteBuf baseContent(boolean preamble) {
        if (!preamble) {
            boolean timestamps = (Boolean) ConfigTable.valueOf(node, "aof-timestamp-enabled");
            return AofCommandLog.rewrite(node.keyspace(), node.scripting().functions().libraryCodes(),
                    timestamps ? node.now() / 1000 : -1);
        }
        boolean compression = (Boolean) ConfigTable.valueOf(node, "rdbcompression");
        boolean checksum = (Boolean) ConfigTable.valueOf(node, "rdbchecksum");
        return RdbSnapshot.createAofBase(node.keyspace(), node.scripting().functions().libraryCodes(),
                node.now() / 1000, compression, checksum);
    }

    /**
     * backgroundRewriteDoneHandler: the temp file becomes the new base (the old one and any incr files
     * become history), the new manifest is made durable, then the history files are deleted. A failure
     * at any step leaves the previous manifest in force and counts as a failed rewrite.
     */
    private void rewriteDone(boolean written, boolean preamble, Path temp) {
        if (!written) {
            node.log().warning("Background AOF rewrite terminated with error");
            failed();
        } else {
            node.log().notice("Background AOF rewrite terminated with success");
            AofManifest next = manifest.withNewBase(aofFilename(), preamble);
            if (install(next, temp)) {
                manifest = next;
                deleteHistory();
                lastStatusOk = true;
                consecutiveFailures = 0;
                node.log().notice("Background AOF rewrite finished successfully");
            } else {
                failed();
            }
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                node.log().warning("Can't remove the temp AOF file " + temp.getFileName() + ": " + e.getMessage());
            }
        }
        lastRewriteSeconds = (node.now() - startedMs) / 1000;
        inProgress = false;
        List<Runnable> waiting = new ArrayList<>(afterRewrite);
        afterRewrite.clear();
        waiting.forEach(Runnable::run);
    }

    private void failed() {
        lastStatusOk = false;
        consecutiveFailures++;
    }

    /** Renames the temp file to the new base and persists {@code next}; on failure removes the new base. */
    private boolean install(AofManifest next, Path temp) {
        Path dir = aofDir();
        if (dir == null) {
            return true;
        }
        String baseName = next.base().name();
        Path baseFile = dir.resolve(baseName);
        long start = System.nanoTime();
        try {
            Files.move(temp, baseFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            node.log().warning("Error trying to rename the temporary AOF base file " + temp.getFileName() + " into "
                    + baseName + ": " + e.getMessage());
            return false;
        }
        node.latency().addSampleIfNeeded("aof-rename", (System.nanoTime() - start) / 1_000_000,
                node.config().latencyMonitorThreshold, node.now() / 1000);
        node.log().notice("Successfully renamed the temporary AOF base file " + temp.getFileName() + " into "
                + baseName);
        if (!persist(next)) {
            try {
                Files.deleteIfExists(baseFile);
            } catch (IOException e) {
                node.log().warning("Can't remove " + baseName + ": " + e.getMessage());
            }
            return false;
        }
        return true;
    }

    /**
     * aofDelHistoryFiles: deletes the history files and persists the manifest without them, unless
     * aof-disable-auto-gc keeps them.
     */
    private void deleteHistory() {
        Path dir = aofDir();
        if (manifest.history().isEmpty() || (Boolean) ConfigTable.valueOf(node, "aof-disable-auto-gc")) {
            return;
        }
        for (AofManifest.AofFile f : manifest.history()) {
            node.log().notice("Removing the history file " + f.name() + " in the background");
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve(f.name()));
                } catch (IOException e) {
                    node.log().warning("Can't remove the history file " + f.name() + ": " + e.getMessage());
                }
            }
        }
        AofManifest next = manifest.withoutHistory();
        if (persist(next)) {
            manifest = next;
        }
    }

    /** writeAofManifestFile: a temp manifest, fsynced, renamed over the manifest, then the directory synced. */
    private boolean persist(AofManifest next) {
        Path dir = aofDir();
        if (dir == null) {
            return true;
        }
        String name = aofFilename() + ".manifest";
        Path temp = dir.resolve("temp-" + name);
        try {
            writeSynced(temp, Unpooled.wrappedBuffer(next.format().getBytes(StandardCharsets.ISO_8859_1)));
            Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            return true;
        } catch (IOException e) {
            node.log().warning("Can't write the AOF manifest file " + name + ": " + e.getMessage());
            return false;
        }
    }

    private static void writeSynced(Path file, ByteBuf content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = content.nioBuffer();
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // Some file systems can't sync a directory; the rename is done either way.
        }
    }

    /** The append only directory, or null for a node without a directory. */
    private Path aofDir() {
        Path dir = node.config().dir;
        return dir == null ? null : dir.resolve(appendDirName());
    }

    /**
     * Redis's child writes temp-rewriteaof-bg-&lt;child pid&gt;.aof in the working directory; nodes of one
     * JVM may share a directory, so the port tells theirs apart.
     */
    private Path tempFile() {
        Path dir = node.config().dir;
        return dir == null ? null
                : dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + "-" + node.port() + ".aof");
    }

    private String appendDirName() {
        return (String) ConfigTable.valueOf(node, "appenddirname");
    }

    private String aofFilename() {
        return (String) ConfigTable.valueOf(node, "appendfilename");
    }
}
