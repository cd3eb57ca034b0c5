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
 * BGREWRITEAOF (aof.c's rewriteAppendOnlyFileBackground and backgroundRewriteDoneHandler) and the append only
 * directory's manifest: the dataset is written as a new base file,
 * &lt;dir&gt;/&lt;appenddirname&gt;/&lt;appendfilename&gt;.&lt;seq&gt;.base.rdb, the manifest is rewritten to name
 * it, and the files it replaces become history and are deleted - exactly the files redis-server 7.0 leaves.
 * With aof-use-rdb-preamble (the default) the base is an RDB whose aux field "aof-base" is 1; without, it is
 * ".base.aof", the commands that rebuild the dataset ({@link AofCommandLog}).
 *
 * <p>With appendonly yes ({@link AppendOnlyFile}) a rewrite first opens a new incr file, named in the
 * manifest at once, where logging goes on while the base is written; when the base is in place, the incr
 * files before the new one become history. A rewrite that switches the AOF on (CONFIG SET appendonly yes)
 * logs to a temp incr file instead, which becomes the first incr file once the base is in place. At start,
 * a node with appendonly yes and no AOF file writes a base of its empty dataset and creates the first incr
 * file (aofOpenIfNeededOnServerStart).
 *
 * <p>As for BGSAVE, the snapshot is taken on the node's loop (the point in time a fork would capture) and
 * written to a temp file on another thread; renaming it into the directory and updating the manifest
 * happen back on the loop, as Redis's parent does them when its child exits. A rewrite asked for while a
 * BGSAVE runs, or inside a transaction, is scheduled and starts from the cron once nothing runs; so does the
 * automatic rewrite when the AOF grew by auto-aof-rewrite-percentage. The manifest found at start is loaded,
 * so sequence numbers go on where they stopped. A node without a directory writes nothing. Owned by the
 * node's loop.
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
    /**
     * Tells a rewrite's result from a killed one's: each start takes the next number, which names its temp
     * file as the child's pid names Redis's.
     */
    private long rewriteId;
    /** aofRewriteLimited's next_delay_minutes. */
    private long nextDelayMinutes;
    /** aofRewriteLimited's next_rewrite_time, Unix seconds; 0 when not limited. */
    private long nextRewriteTime;

    public AofRewrite(RedisNode node) {
        this.node = node;
    }

    /**
     * aofLoadManifestFromDisk, at start: reads the manifest if the directory has one.
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
    }

    /** The manifest in force. */
    AofManifest manifest() {
        return manifest;
    }

    /**
     * aofOpenIfNeededOnServerStart, with appendonly yes: creates the directory; with no base nor incr file
     * (an empty dataset), writes a base now; opens the last incr file for appending, or creates a first one;
     * persists the manifest.
     *
     * @throws IOException when any step fails; redis-server exits then
     */
    void openAtStart() throws IOException {
        Path dir = aofDir();
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            node.log().warning("Can't open or create append-only dir " + appendDirName() + ": " + e.getMessage());
            throw e;
        }
        AofManifest next = manifest;
        boolean hadIncr = !next.incr().isEmpty();
        if (next.base() == null && !hadIncr) {
            boolean preamble = (Boolean) ConfigTable.valueOf(node, "aof-use-rdb-preamble");
            next = next.withNewBase(aofFilename(), preamble);
            rewriteNow(dir.resolve(next.base().name()), preamble);
            node.log().notice("Creating AOF base file " + next.base().name() + " on server start");
        }
        if (!hadIncr) {
            next = next.withNewIncr(aofFilename());
        }
        String name = next.lastIncr().name();
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            node.log().warning("Can't open the append-only file " + name + ": " + e.getMessage());
            throw e;
        }
        if (!persist(next)) {
            ch.close();
            throw new IOException("Can't write the AOF manifest file " + aofFilename() + ".manifest");
        }
        manifest = next;
        node.appendOnlyFile().switchTo(ch, ch.size());
        node.log().notice((hadIncr ? "Opening" : "Creating") + " AOF incr file " + name + " on server start");
    }

    /**
     * rewriteAppendOnlyFile: the dataset written to {@code target} on the loop, through a temp file in the
     * node's directory, fsynced, then renamed.
     */
    private void rewriteNow(Path target, boolean preamble) throws IOException {
        Path temp = node.config().dir.resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + "-" + node.port()
                + ".aof");
        ByteBuf base = baseContent(preamble);
        try {
            writeSynced(temp, base);
        } catch (IOException e) {
            node.log().warning("Write error writing append only file on disk: " + e.getMessage());
            Files.deleteIfExists(temp);
            throw e;
        } finally {
            base.release();
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            node.log().warning("Error moving temp append only file on the final destination: " + e.getMessage());
            Files.deleteIfExists(temp);
            throw e;
        }
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

    /** startAppendOnly while it can't start a rewrite now: one starts from the cron as soon as possible. */
    void scheduleForAppendOnly() {
        scheduled = true;
    }

    /** stopAppendOnly: a rewrite scheduled to switch the AOF on is no longer wanted. */
    void unschedule() {
        scheduled = false;
    }

    /**
     * killAppendOnlyChild: the running rewrite is abandoned - its result, when it comes, is thrown away
     * with its temp file - and what waited for it goes on.
     */
    void kill() {
        if (!inProgress) {
            return;
        }
        node.log().notice("Killing running AOF rewrite child: " + rewriteId);
        rewriteId++;
        inProgress = false;
        runAfterRewrite();
    }

    /** Runs {@code task} on the loop once the running rewrite has ended. */
    public void afterRewrite(Runnable task) {
        afterRewrite.add(task);
    }

    /**
     * serverCron, first: starts a scheduled rewrite once nothing else writes the dataset out, unless
     * repeated failures limit rewrites. It comes before the save points, as in Redis.
     */
    public void cronScheduled() {
        if (!inProgress && !node.rdb().isBgsaveInProgress() && scheduled && !rewriteLimited()) {
            start();
        }
    }

    /**
     * serverCron, after the save points: starts an automatic rewrite when nothing else writes the dataset out
     * and the AOF grew past auto-aof-rewrite-min-size by auto-aof-rewrite-percentage of its size after the
     * last rewrite, unless repeated failures limit rewrites.
     */
    public void cronGrowth() {
        if (inProgress || node.rdb().isBgsaveInProgress()) {
            return;
        }
        AppendOnlyFile aof = node.appendOnlyFile();
        long percentage = (Long) ConfigTable.valueOf(node, "auto-aof-rewrite-percentage");
        long minSize = (Long) ConfigTable.valueOf(node, "auto-aof-rewrite-min-size");
        if (aof.state() == AppendOnlyFile.State.ON && percentage != 0 && aof.currentSize() > minSize) {
            long base = aof.baseSize() != 0 ? aof.baseSize() : 1;
            long growth = aof.currentSize() * 100 / base - 100;
            if (growth >= percentage && !rewriteLimited()) {
                node.log().notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                start();
            }
        }
    }

    /**
     * aofRewriteLimited: after three failures in a row, rewrites from the cron wait 1, 2, 4 ... up to 60
     * minutes between tries, so a failing disk doesn't fill the directory with small incr files.
     */
    private boolean rewriteLimited() {
        if (consecutiveFailures < 3) {
            nextDelayMinutes = 0;
            nextRewriteTime = 0;
            return false;
        }
        long now = node.now() / 1000;
        if (nextRewriteTime != 0) {
            if (now < nextRewriteTime) {
                return true;
            }
            nextRewriteTime = 0;
            return false;
        }
        nextDelayMinutes = Math.min(nextDelayMinutes == 0 ? 1 : nextDelayMinutes * 2, 60);
        nextRewriteTime = now + nextDelayMinutes * 60;
        node.log().warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
                + nextDelayMinutes + " minutes");
        return true;
    }

    /**
     * rewriteAppendOnlyFileBackground: creates the directory if missing; with the AOF on, what is buffered
     * goes to the current incr file and a new one is opened; then the dataset is snapshot and written out
     * on another thread. Returns false, after logging why, if the directory or incr file can't be made.
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
        node.appendOnlyFile().rewriteStarting();
        if (!openNewIncrForAppend()) {
            lastStatusOk = false;
            return false;
        }
        rewrites++;
        long id = ++rewriteId;
        inProgress = true;
        scheduled = false;
        startedMs = node.now();
        boolean preamble = (Boolean) ConfigTable.valueOf(node, "aof-use-rdb-preamble");
        ByteBuf base = baseContent(preamble);
        Path temp = tempFile(id);
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
            node.loop().execute(() -> rewriteDone(id, written, preamble, temp));
        });
        return true;
    }

    /**
     * openNewIncrAofForAppend: with the AOF on, a new incr file named in a new manifest, persisted before
     * logging switches to it; while it is being switched on, the temp incr file, named in no manifest yet.
     * With the AOF off, nothing. Returns false, after logging why, when the file or manifest can't be made.
     */
    private boolean openNewIncrForAppend() {
        AppendOnlyFile aof = node.appendOnlyFile();
        Path dir = aofDir();
        if (aof.state() == AppendOnlyFile.State.OFF || dir == null) {
            return true;
        }
        AofManifest next = null;
        String name;
        if (aof.state() == AppendOnlyFile.State.WAIT_REWRITE) {
            name = tempIncrName();
        } else {
            next = manifest.withNewIncr(aofFilename());
            name = next.lastIncr().name();
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            node.log().warning("Can't open the append-only file " + name + ": " + e.getMessage());
            return false;
        }
        if (next != null && !persist(next)) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Never written to.
            }
            return false;
        }
        node.log().notice("Creating AOF incr file " + name + " on background rewrite");
        aof.switchTo(ch, 0);
        if (next != null) {
            manifest = next;
        }
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
     * backgroundRewriteDoneHandler: the temp file becomes the new base (the old one becomes history); a temp
     * incr file becomes the first incr file of the AOF being switched on; the incr files the base replaces
     * become history; the new manifest is made durable, then the history files are deleted. A failure at
     * any step leaves the previous manifest in force and counts as a failed rewrite; an AOF being switched
     * on drops what it logged and tries again. The result of a killed rewrite is thrown away.
     */
    private void rewriteDone(long id, boolean written, boolean preamble, Path temp) {
        if (id != rewriteId) {
            deleteTemp(temp);
            return;
        }
        AppendOnlyFile aof = node.appendOnlyFile();
        if (!written) {
            node.log().warning("Background AOF rewrite terminated with error");
            failed();
        } else {
            node.log().notice("Background AOF rewrite terminated with success");
            if (install(preamble, temp)) {
                if (aof.isOn() && manifest.base() != null) {
                    aof.rewriteDone(fileSize(manifest.base().name()));
                }
                deleteHistory();
                lastStatusOk = true;
                consecutiveFailures = 0;
                node.log().notice("Background AOF rewrite finished successfully");
                if (aof.state() == AppendOnlyFile.State.WAIT_REWRITE) {
                    aof.rewriteSwitchedOn();
                }
            } else {
                failed();
            }
        }
        deleteTemp(temp);
        if (aof.state() == AppendOnlyFile.State.WAIT_REWRITE) {
            aof.clearBuffer();
            String tempIncr = tempIncrName();
            node.log().notice("Removing the temp incr aof file " + tempIncr + " in the background");
            deleteQuietly(tempIncr);
            scheduled = true;
        }
        lastRewriteSeconds = (node.now() - startedMs) / 1000;
        inProgress = false;
        runAfterRewrite();
    }

    private void runAfterRewrite() {
        List<Runnable> waiting = new ArrayList<>(afterRewrite);
        afterRewrite.clear();
        waiting.forEach(Runnable::run);
    }

    private void failed() {
        lastStatusOk = false;
        consecutiveFailures++;
    }

    /**
     * Renames the temp file to the new base, the temp incr file (if the AOF is being switched on) to a new
     * incr file, marks the rewritten incr files as history and persists the manifest; on failure removes
     * what it renamed and keeps the manifest in force. A node without a directory only counts the rewrite.
     */
    private boolean install(boolean preamble, Path temp) {
        Path dir = aofDir();
        if (dir == null) {
            return true;
        }
        AppendOnlyFile aof = node.appendOnlyFile();
        AofManifest next = manifest.withNewBase(aofFilename(), preamble);
        String baseName = next.base().name();
        Path baseFile = dir.resolve(baseName);
        if (!rename(temp, baseFile)) {
            node.log().warning("Error trying to rename the temporary AOF base file " + temp.getFileName() + " into "
                    + baseName);
            return false;
        }
        node.log().notice("Successfully renamed the temporary AOF base file " + temp.getFileName() + " into "
                + baseName);
        Path incrFile = null;
        if (aof.state() == AppendOnlyFile.State.WAIT_REWRITE) {
            next = next.withNewIncr(aofFilename());
            String incrName = next.lastIncr().name();
            incrFile = dir.resolve(incrName);
            if (!rename(dir.resolve(tempIncrName()), incrFile)) {
                node.log().warning("Error trying to rename the temporary AOF incr file " + tempIncrName() + " into "
                        + incrName);
                deleteQuietly(baseName);
                return false;
            }
            node.log().notice("Successfully renamed the temporary AOF incr file " + tempIncrName() + " into "
                    + incrName);
        }
        next = next.withRewrittenIncrAsHistory(aof.hasFile());
        if (!persist(next)) {
            deleteQuietly(baseName);
            if (incrFile != null) {
                deleteQuietly(incrFile.getFileName().toString());
            }
            return false;
        }
        manifest = next;
        return true;
    }

    /** rename(2), timed for the latency monitor's "aof-rename". */
    private boolean rename(Path from, Path to) {
        long start = System.nanoTime();
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            node.log().warning("Can't rename " + from.getFileName() + " into " + to.getFileName() + ": "
                    + e.getMessage());
            return false;
        }
        node.latency().addSampleIfNeeded("aof-rename", (System.nanoTime() - start) / 1_000_000,
                node.config().latencyMonitorThreshold, node.now() / 1000);
        return true;
    }

    private void deleteTemp(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                node.log().warning("Can't remove the temp AOF file " + temp.getFileName() + ": " + e.getMessage());
            }
        }
    }

    /** bg_unlink of a file of the directory. */
    private void deleteQuietly(String name) {
        try {
            Files.deleteIfExists(aofDir().resolve(name));
        } catch (IOException e) {
            node.log().warning("Can't remove " + name + ": " + e.getMessage());
        }
    }

    /** getAppendOnlyFileSize: 0 when it can't be read. */
    private long fileSize(String name) {
        Path dir = aofDir();
        try {
            return dir == null ? 0 : Files.size(dir.resolve(name));
        } catch (IOException e) {
            node.log().warning("Unable to obtain the AOF file " + name + " length. stat: " + e.getMessage());
            return 0;
        }
    }

    /**
     * aofDelHistoryFiles: deletes the history files and persists the manifest without them, unless
     * aof-disable-auto-gc keeps them (at start, after a rewrite, and when aof-disable-auto-gc is turned off).
     */
    public void deleteHistory() {
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
    Path aofDir() {
        Path dir = node.config().dir;
        return dir == null ? null : dir.resolve(appendDirName());
    }

    /**
     * Redis's child writes temp-rewriteaof-bg-&lt;child pid&gt;.aof in the working directory; nodes of one
     * JVM may share a directory, so the port tells theirs apart, and the rewrite's number stands for the
     * child's pid.
     */
    private Path tempFile(long id) {
        Path dir = node.config().dir;
        return dir == null ? null : dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + "-"
                + node.port() + "-" + id + ".aof");
    }

    /** getTempIncrAofName: "temp-&lt;appendfilename&gt;.incr", in the append only directory. */
    private String tempIncrName() {
        return "temp-" + aofFilename() + ".incr";
    }

    private String appendDirName() {
        return (String) ConfigTable.valueOf(node, "appenddirname");
    }

    private String aofFilename() {
        return (String) ConfigTable.valueOf(node, "appendfilename");
    }
}
