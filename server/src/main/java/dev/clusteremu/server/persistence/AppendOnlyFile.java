package dev.clusteremu.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The append only file's write path (aof.c's feedAppendOnlyFile, flushAppendOnlyFile, startAppendOnly and
 * stopAppendOnly): with appendonly yes, every command the node propagates is appended to the incr file the
 * manifest names last, as RESP exactly as it goes to replicas, after a SELECT whenever the db it targets is
 * not the one the file last selected. Commands gather in a buffer (aof_buf) that is written once the
 * commands of the current event are done, and fsynced as appendfsync says:
 * <ul>
 * <li>always: written and fsynced as soon as the command that fed it returns, so before its reply can
 * leave (Redis does it once per event loop iteration, before replying; replies here are flushed at the end
 * of each read batch, so the write can't wait for the batch);
 * <li>everysec: written after the event, fsynced at most once a second on a helper thread (the bio thread
 * of Redis); while such an fsync runs, writes wait up to two seconds, then go ahead anyway;
 * <li>no: written after the event, fsynced when the OS decides.
 * </ul>
 * The cron retries a write that failed or waited, and fsyncs what everysec left unsynced.
 *
 * <p>States are Redis's aof_state: OFF; ON, logging; WAIT_REWRITE, switched on at runtime (CONFIG SET
 * appendonly yes) and waiting for the rewrite that writes the first base, meanwhile logging to a temp incr
 * file, which the rewrite renames into the manifest when it is done. Which file is written is decided by
 * {@link AofRewrite}, which owns the manifest. Owned by the node's loop; only fsyncs run elsewhere.
 */
public final class AppendOnlyFile {
    /** aof_state. */
    enum State {
        OFF, ON, WAIT_REWRITE
    }

    /** Everysec waits this long for a running fsync before writing anyway (flushAppendOnlyFile). */
    private static final long POSTPONE_LIMIT_SECONDS = 2;
    /** AOF_WRITE_LOG_ERROR_RATE: seconds between two logs of a write error. */
    private static final long WRITE_ERROR_LOG_RATE_SECONDS = 30;
    /** The buffer is kept between writes while this small, as Redis reuses a buffer under its 4k arena. */
    private static final int BUFFER_KEEP = 4000;
    private static final byte[] CRLF = {'\r', '\n'};

    private final RedisNode node;
    private State state = State.OFF;
    /** aof_buf: what was fed and not yet written. */
    private ByteBuf buffer = Unpooled.buffer(256);
    /** aof_fd: the incr file written to, or null. */
    private FileChannel fd;
    /** aof_selected_db: -1 until the file selects one, so the next command is preceded by SELECT. */
    private int selectedDb = -1;
    /** aof_cur_timestamp: the last "#TS:" annotation written (aof-timestamp-enabled). */
    private long currentTimestamp;
    /** aof_current_size: the base and incr files' bytes. */
    private long currentSize;
    /** aof_rewrite_base_size: the AOF's size when the last rewrite ended (or the base's, after a start). */
    private long rewriteBaseSize;
    /** aof_last_incr_size: the bytes of the incr file written to. */
    private long lastIncrSize;
    /** aof_last_incr_fsync_offset: how much of it the last fsync covered. */
    private long lastIncrFsyncOffset;
    /** aof_last_fsync, Unix seconds. */
    private long lastFsyncSeconds;
    /** aof_flush_postponed_start: when everysec started waiting for a running fsync; 0 when not waiting. */
    private long flushPostponedStart;
    /** aof_delayed_fsync: writes that could not wait any longer for an fsync. */
    private long delayedFsync;
    /** aof_last_write_status. */
    private boolean lastWriteOk = true;
    private long lastWriteErrorLogSeconds;
    /** The helper thread of background fsyncs (bio's BIO_AOF_FSYNC and BIO_CLOSE_FILE), made at first use. */
    private ExecutorService bio;
    /** bioPendingJobsOfType(BIO_AOF_FSYNC). */
    private final AtomicLong pendingFsyncs = new AtomicLong();
    /** aof_bio_fsync_status: false after a background fsync failed, until one succeeds. */
    private volatile boolean bioFsyncOk = true;
    /** aof_last_write_errno, as strerror words it: why the last write failed. */
    private String lastWriteError = "Success";
    /** aof_bio_fsync_errno: why the last background fsync failed. */
    private volatile String bioFsyncError = "Success";

    public AppendOnlyFile(RedisNode node) {
        this.node = node;
    }

    // ---- state ----

    /** Whether commands are fed to the AOF (aof_state != AOF_OFF): aof_enabled in INFO. */
    public boolean isOn() {
        return state != State.OFF;
    }

    State state() {
        return state;
    }

    /** Whether a file is open for appending (aof_fd != -1). */
    boolean hasFile() {
        return fd != null;
    }

    /**
     * CONFIG SET appendonly (updateAppendonly): turning it off stops logging; turning it on starts the
     * rewrite that writes the first base. Before the node has started, only the setting is recorded, and
     * the start decides. Returns false when the AOF could not be turned on.
     */
    public boolean setEnabled(boolean enabled) {
        node.config().appendOnly = enabled;
        if (!node.isRunning()) {
            return true;
        }
        if (!enabled && state != State.OFF) {
            stop();
        } else if (enabled && state == State.OFF && !start()) {
            node.config().appendOnly = false;
            return false;
        }
        return true;
    }

    /**
     * loadDataFromDisk: with appendonly yes the dataset comes from the append only directory, else from the
     * dump file.
     *
     * @throws IOException when a file can't be loaded; redis-server refuses to start then
     */
    public void loadDataFromDisk() throws IOException {
        state = node.config().appendOnly ? State.ON : State.OFF;
        if (state == State.OFF) {
            node.rdb().loadAtStart();
            return;
        }
        AofRewrite rewrite = node.aof();
        AofLoading.Loaded loaded = new AofLoading(node, rewrite.aofDir()).loadAppendOnlyFiles(rewrite.manifest());
        if (loaded != null) {
            currentSize = loaded.totalSize();
            rewriteBaseSize = loaded.baseSize();
        }
    }

    /**
     * aofOpenIfNeededOnServerStart: with appendonly yes, a node starting without any AOF file writes a base
     * of its (empty) dataset, then the last incr file is opened for appending, or a first one created.
     *
     * @throws IOException when a file can't be written; redis-server exits then
     */
    public void openIfNeededOnServerStart() throws IOException {
        if (state != State.ON) {
            return;
        }
        node.aof().openAtStart();
    }

    /**
     * startAppendOnly: logging will start with the rewrite that writes the first base, now if nothing else
     * writes the dataset out and no transaction runs, else as soon as possible. Returns false, after
     * logging why, when the rewrite can't start.
     */
    private boolean start() {
        state = State.WAIT_REWRITE;
        AofRewrite rewrite = node.aof();
        Client current = node.currentClient();
        if (node.rdb().isBgsaveInProgress()) {
            rewrite.scheduleForAppendOnly();
            node.log().warning("AOF was enabled but there is already another background operation. An AOF "
                    + "background was scheduled to start when possible.");
        } else if (current != null && current.multi().isActive()) {
            rewrite.scheduleForAppendOnly();
            node.log().warning("AOF was enabled during a transaction. An AOF background was scheduled to start "
                    + "when possible.");
        } else {
            if (rewrite.isInProgress()) {
                node.log().warning("AOF was enabled but there is already an AOF rewriting in background. Stopping "
                        + "background AOF and starting a rewrite now.");
                rewrite.kill();
            }
            if (!rewrite.start()) {
                state = State.OFF;
                node.log().warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite "
                        + "operation. Check the above logs for more info about the error.");
                return false;
            }
        }
        lastFsyncSeconds = nowSeconds();
        if (!bioFsyncOk) {
            node.log().warning("AOF reopen, just ignore the AOF fsync error in bio job");
            bioFsyncOk = true;
        }
        if (!lastWriteOk) {
            node.log().warning("AOF reopen, just ignore the last error.");
            lastWriteOk = true;
        }
        return true;
    }

    /** stopAppendOnly: what is buffered is written and fsynced, the file closed, a running rewrite killed. */
    private void stop() {
        flush(true);
        fsyncNow("Fail to fsync the AOF file: ");
        closeFile();
        selectedDb = -1;
        state = State.OFF;
        node.aof().unschedule();
        lastIncrSize = 0;
        lastIncrFsyncOffset = 0;
        node.aof().kill();
        clearBuffer();
    }

    /**
     * readSyncBulkPayload, before a replica flushes its data for its master's RDB: logging stops (and a
     * running rewrite is killed), as the AOF is about to describe a dataset that is gone.
     */
    public void stopForSync() {
        if (state != State.OFF) {
            stop();
        }
    }

    /**
     * restartAOFAfterSYNC: once a replica loaded its master's RDB (or is promoted after a failed sync), with
     * appendonly yes logging starts again from a rewrite of the new dataset. Redis tries ten times a second
     * apart and then exits; here the rewrite start fails only when the directory can't be made, which the
     * retries would not change, so the node stops at once as redis-server would after them.
     */
    public void restartAfterSync() {
        if (!node.config().appendOnly || state != State.OFF) {
            return;
        }
        if (!start()) {
            node.log().warning("FATAL: this replica instance finished the synchronization with its master, but the "
                    + "AOF can't be turned on. Exiting now.");
            node.shutdown();
        }
    }

    /** The rewrite that turned logging on is done: the AOF is on (AOF_WAIT_REWRITE to AOF_ON). */
    void rewriteSwitchedOn() {
        state = State.ON;
    }

    // ---- feeding ----

    /**
     * feedAppendOnlyFile: {@code argv}, as a RESP multibulk, after a SELECT if {@code db} is not the one the
     * file last selected (and a "#TS:" annotation each new second, with aof-timestamp-enabled). Kept only
     * while logging: when on, or while the rewrite that switches it on runs.
     */
    public void feed(int db, byte[][] argv) {
        boolean keep = state == State.ON || (state == State.WAIT_REWRITE && node.aof().isInProgress());
        int start = buffer.writerIndex();
        if ((Boolean) ConfigTable.valueOf(node, "aof-timestamp-enabled")) {
            long now = nowSeconds();
            if (currentTimestamp < now) {
                currentTimestamp = now;
                buffer.writeCharSequence("#TS:" + now + "\r\n", StandardCharsets.US_ASCII);
            }
        }
        if (db != selectedDb) {
            byte[] seldb = RedisNumbers.toBytes(db);
            buffer.writeCharSequence("*2\r\n$6\r\nSELECT\r\n$" + seldb.length + "\r\n", StandardCharsets.US_ASCII);
            buffer.writeBytes(seldb).writeBytes(CRLF);
            selectedDb = db;
        }
        catCommand(buffer, argv);
        if (!keep) {
            buffer.writerIndex(start);
        }
    }

    /** catAppendOnlyGenericCommand: "*argc", then "$len" and the bytes of each argument. */
    static void catCommand(ByteBuf out, byte[][] argv) {
        out.writeByte('*').writeBytes(RedisNumbers.toBytes(argv.length)).writeBytes(CRLF);
        for (byte[] arg : argv) {
            out.writeByte('$').writeBytes(RedisNumbers.toBytes(arg.length)).writeBytes(CRLF);
            out.writeBytes(arg).writeBytes(CRLF);
        }
    }

    /**
     * A command's propagation is over: with appendfsync always what it fed is written and fsynced now, before
     * its reply can be sent; otherwise once the current event is handled.
     */
    public void propagated() {
        if (!buffer.isReadable()) {
            return;
        }
        if (fsyncPolicy().equals("always")) {
            flush(false);
        } else {
            node.requestBeforeSleep();
        }
    }

    /** beforeSleep: writes the buffer (flushAppendOnlyFile(0)). */
    public void beforeSleep() {
        if (state != State.OFF) {
            flush(false);
        }
    }

    /**
     * serverCron's share: a write postponed by a running fsync, a write that failed (once a second), and an
     * everysec fsync of what was written but not synced are retried.
     */
    public void cron() {
        if (state != State.OFF) {
            flush(false);
        }
    }

    // ---- writing ----

    /**
     * flushAppendOnlyFile: writes the buffer to the incr file in one write, then fsyncs as the policy says.
     * With everysec and an fsync still running, the write waits (up to two seconds) unless {@code force}.
     * A failed write keeps the buffer for the next try and sets aof_last_write_status to err; with always it
     * can't be recovered from, as the reply may already be out, and the node stops, as redis-server exits.
     */
    void flush(boolean force) {
        String policy = fsyncPolicy();
        boolean syncInProgress = false;
        if (!buffer.isReadable() || fd == null) {
            if (fd == null) {
                // Nowhere to write (a node without a directory): what was fed is dropped.
                buffer.clear();
                return;
            }
            boolean everysecDue = policy.equals("everysec") && lastIncrFsyncOffset != lastIncrSize
                    && nowSeconds() > lastFsyncSeconds && !(syncInProgress = fsyncInProgress());
            boolean alwaysDue = policy.equals("always") && lastIncrFsyncOffset != lastIncrSize;
            if (everysecDue || alwaysDue) {
                fsyncAsPolicySays(policy, syncInProgress);
            }
            return;
        }
        if (policy.equals("everysec")) {
            syncInProgress = fsyncInProgress();
        }
        if (policy.equals("everysec") && !force && syncInProgress) {
            long now = nowSeconds();
            if (flushPostponedStart == 0) {
                flushPostponedStart = now;
                return;
            } else if (now - flushPostponedStart < POSTPONE_LIMIT_SECONDS) {
                return;
            }
            delayedFsync++;
            node.log().notice("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
                    + "without waiting for fsync to complete, this may slow down Redis.");
        }
        int length = buffer.readableBytes();
        long start = System.nanoTime();
        long written = 0;
        IOException error = null;
        try {
            ByteBuffer bytes = buffer.nioBuffer();
            while (bytes.hasRemaining()) {
                written += fd.write(bytes);
            }
        } catch (IOException e) {
            error = e;
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        if (syncInProgress) {
            latencySample("aof-write-pending-fsync", latencyMs);
        } else if (node.aof().isInProgress() || node.rdb().isBgsaveInProgress()) {
            latencySample("aof-write-active-child", latencyMs);
        } else {
            latencySample("aof-write-alone", latencyMs);
        }
        latencySample("aof-write", latencyMs);
        flushPostponedStart = 0;
        if (error != null) {
            writeFailed(error, written, length, policy);
            return;
        }
        if (!lastWriteOk) {
            node.log().warning("AOF write error looks solved, Redis can write again.");
            lastWriteOk = true;
        }
        currentSize += written;
        lastIncrSize += written;
        if (buffer.capacity() < BUFFER_KEEP) {
            buffer.clear();
        } else {
            buffer.release();
            buffer = Unpooled.buffer(256);
        }
        fsyncAsPolicySays(policy, syncInProgress);
    }

    /** The error half of flushAppendOnlyFile: log (at most every 30 s), undo a partial write, keep the rest. */
    private void writeFailed(IOException error, long written, int length, String policy) {
        long now = nowSeconds();
        boolean canLog = now - lastWriteErrorLogSeconds > WRITE_ERROR_LOG_RATE_SECONDS;
        if (canLog) {
            lastWriteErrorLogSeconds = now;
        }
        if (written == 0) {
            if (canLog) {
                node.log().warning("Error writing to the AOF file: " + error.getMessage());
            }
        } else {
            if (canLog) {
                node.log().warning("Short write while writing to the AOF file: (nwritten=" + written + ", expected="
                        + length + ")");
            }
            try {
                fd.truncate(lastIncrSize);
                fd.position(lastIncrSize);
                written = 0;
            } catch (IOException e) {
                if (canLog) {
                    node.log().warning("Could not remove short write from the append-only file.  Redis may refuse to "
                            + "load the AOF the next time it starts.  ftruncate: " + e.getMessage());
                }
            }
        }
        if (policy.equals("always")) {
            node.log().warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. "
                    + "Exiting...");
            node.shutdown();
            return;
        }
        lastWriteOk = false;
        lastWriteError = written == 0 ? error.getMessage() : "No space left on device";
        if (written > 0) {
            currentSize += written;
            lastIncrSize += written;
            buffer.skipBytes((int) written);
        }
    }

    /**
     * The fsync half of flushAppendOnlyFile: always fsyncs now, everysec hands an fsync to the helper thread
     * at most once a second; none while a rewrite or BGSAVE writes with no-appendfsync-on-rewrite.
     */
    private void fsyncAsPolicySays(String policy, boolean syncInProgress) {
        if ((Boolean) ConfigTable.valueOf(node, "no-appendfsync-on-rewrite")
                && (node.aof().isInProgress() || node.rdb().isBgsaveInProgress())) {
            return;
        }
        if (policy.equals("always")) {
            long start = System.nanoTime();
            try {
                fd.force(false);
            } catch (IOException e) {
                node.log().warning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': "
                        + e.getMessage() + ". Exiting...");
                node.shutdown();
                return;
            }
            latencySample("aof-fsync-always", (System.nanoTime() - start) / 1_000_000);
            lastIncrFsyncOffset = lastIncrSize;
            lastFsyncSeconds = nowSeconds();
        } else if (policy.equals("everysec") && nowSeconds() > lastFsyncSeconds) {
            if (!syncInProgress) {
                backgroundFsync(fd, false);
                lastIncrFsyncOffset = lastIncrSize;
            }
            lastFsyncSeconds = nowSeconds();
        }
    }

    /** aof_background_fsync / aof_background_fsync_and_close: on the helper thread, in submission order. */
    private void backgroundFsync(FileChannel file, boolean close) {
        if (bio == null) {
            bio = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bio_aof_fsync-" + node.port());
                t.setDaemon(true);
                return t;
            });
        }
        if (!close) {
            pendingFsyncs.incrementAndGet();
        }
        bio.execute(() -> {
            try {
                file.force(false);
                if (!close) {
                    bioFsyncOk = true;
                }
            } catch (IOException e) {
                if (!close) {
                    bioFsyncError = e.getMessage();
                    bioFsyncOk = false;
                    node.loop().execute(() -> node.log().warning("Fail to fsync the AOF file: " + e.getMessage()));
                }
            } finally {
                if (close) {
                    closeQuietly(file);
                } else {
                    pendingFsyncs.decrementAndGet();
                }
            }
        });
    }

    /** aofFsyncInProgress. */
    private boolean fsyncInProgress() {
        return pendingFsyncs.get() != 0;
    }

    private void fsyncNow(String failure) {
        if (fd == null) {
            return;
        }
        try {
            fd.force(false);
            lastFsyncSeconds = nowSeconds();
        } catch (IOException e) {
            node.log().warning(failure + e.getMessage());
        }
    }

    // ---- the file ----

    /**
     * The incr file to append to from now on (openNewIncrAofForAppend, aofOpenIfNeededOnServerStart): the
     * previous one, if any, is fsynced and closed on the helper thread. {@code size} is what the new one
     * already holds.
     */
    void switchTo(FileChannel file, long size) {
        if (fd != null) {
            backgroundFsync(fd, true);
            lastFsyncSeconds = nowSeconds();
        }
        fd = file;
        lastIncrSize = size;
        lastIncrFsyncOffset = size;
    }

    /**
     * rewriteAppendOnlyFileBackground's first steps: what is buffered goes to the old incr file, and the new
     * one starts with a SELECT.
     */
    void rewriteStarting() {
        selectedDb = -1;
        flush(true);
    }

    /** backgroundRewriteDoneHandler with the AOF on: its size is now the new base plus the incr file. */
    void rewriteDone(long baseSize) {
        currentSize = baseSize + lastIncrSize;
        rewriteBaseSize = currentSize;
    }

    /** Drops what is buffered (a failed rewrite that was to switch the AOF on). */
    void clearBuffer() {
        buffer.clear();
    }

    private void closeFile() {
        if (fd != null) {
            closeQuietly(fd);
            fd = null;
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // Closing after an fsync: nothing is left to lose.
        }
    }

    /**
     * prepareForShutdown: a running rewrite is killed, then what is buffered is written and the file
     * fsynced and closed; the helper thread ends once its fsyncs are done.
     */
    public void shutdown() {
        if (node.aof().isInProgress()) {
            node.log().warning("There is a child rewriting the AOF. Killing it!");
            node.aof().kill();
        }
        if (state != State.OFF) {
            node.log().notice("Calling fsync() on the AOF file.");
            flush(true);
            fsyncNow("Fail to fsync the AOF file: ");
        }
        closeFile();
        if (bio != null) {
            bio.shutdown();
        }
        buffer.release();
        buffer = Unpooled.EMPTY_BUFFER;
    }

    // ---- INFO ----

    /** aof_last_write_status: a failed write or a failed background fsync is an error. */
    public boolean lastWriteOk() {
        return lastWriteOk && bioFsyncOk;
    }

    /**
     * Why writes are refused after an AOF error (aof_last_write_errno's strerror): the failed write's error,
     * or the failed background fsync's when that is what failed.
     */
    public String lastWriteError() {
        return lastWriteOk ? bioFsyncError : lastWriteError;
    }

    /** aof_current_size. */
    public long currentSize() {
        return currentSize;
    }

    /** aof_base_size (aof_rewrite_base_size). */
    public long baseSize() {
        return rewriteBaseSize;
    }

    /** aof_buffer_length. */
    public long bufferLength() {
        return buffer.readableBytes();
    }

    /** aof_pending_bio_fsync. */
    public long pendingFsyncs() {
        return pendingFsyncs.get();
    }

    /** aof_delayed_fsync. */
    public long delayedFsyncs() {
        return delayedFsync;
    }

    private String fsyncPolicy() {
        return ConfigTable.standard().lookup("appendfsync").get(node);
    }

    private void latencySample(String event, long ms) {
        node.latency().addSampleIfNeeded(event, ms, node.config().latencyMonitorThreshold, nowSeconds());
    }

    private long nowSeconds() {
        return node.now() / 1000;
    }
}
