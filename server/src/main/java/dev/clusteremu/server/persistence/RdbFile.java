package dev.clusteremu.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

import dev.clusteremu.cluster.ClusterNode;
import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.ServerConfig.SavePoint;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.info.InfoReport;
import dev.clusteremu.server.replication.RdbLoading;
import dev.clusteremu.server.replication.RdbSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The node's dump file (rdb.c's rdbSave, rdbSaveBackground and rdbLoad): &lt;dir&gt;/&lt;dbfilename&gt;,
 * in Redis 7.0's RDB format, written by SAVE, BGSAVE, FLUSHALL (with save points configured) and the save
 * points themselves (a BGSAVE from the cron once enough changes are unsaved for long enough), and loaded at
 * start, as redis-server does.
 *
 * <p>Files are written whole to a temp file in the same directory, fsynced, then renamed over the dump
 * file, so a crash never leaves a half-written dump. BGSAVE takes the snapshot on the node's loop (the
 * point in time a fork would capture) and writes it on another thread. A node without a directory (one
 * whose cluster config lives in memory only) keeps no files: SAVE and BGSAVE, the save points' included,
 * succeed without writing (and without taking a snapshot nobody would read). Owned by the node's loop.
 */
public final class RdbFile {
    /**
     * CONFIG_BGSAVE_RETRY_DELAY: seconds the save points wait after a failed BGSAVE before trying again, so
     * a broken disk is not hammered with a new snapshot every cron tick.
     */
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;

    private final RedisNode node;
    private boolean bgsaveInProgress;
    private long bgsaveStartedMs;
    /** lastbgsave_status: a failed BGSAVE makes it err until a save succeeds. */
    private boolean lastBgsaveOk = true;
    /** lastbgsave_try, Unix seconds: when the last BGSAVE started; 0 when none was tried since start. */
    private long lastBgsaveTrySeconds;
    private long lastBgsaveSeconds = -1;
    private long saves;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;

    /** The running BGSAVE's write, on another thread; done when none runs. */
    private CompletableFuture<Void> backgroundWrite = CompletableFuture.completedFuture(null);

    public RdbFile(RedisNode node) {
        this.node = node;
    }

    /** The dump file, or null for a node without a directory. */
    public Path path() {
        Path dir = node.config().dir;
        return dir == null ? null : dir.resolve((String) ConfigTable.valueOf(node, "dbfilename"));
    }

    /** SAVE (saveCommand): counted in rdb_saves, then written now as {@link #save()} writes. */
    public boolean saveCommand() {
        saves++;
        return save();
    }

    /**
     * rdbSave: writes the dump file now. Returns false (after logging why) when it could not; a success
     * clears an earlier BGSAVE error, as rdbSave sets lastbgsave_status, which lifts MISCONF.
     */
    public boolean save() {
        long dirty = node.keyspace().dirty();
        ByteBuf rdb = snapshot();
        try {
            write(rdb, "temp-");
        } catch (IOException e) {
            node.log().warning("Failed saving the DB: " + e.getMessage());
            return false;
        } finally {
            rdb.release();
        }
        node.log().notice("DB saved on disk");
        node.stats().saved(node.now() / 1000, dirty);
        lastBgsaveOk = true;
        return true;
    }

    /**
     * Before the final snapshot at exit: prepareForShutdown kills a BGSAVE child; here its write is waited
     * for instead, so that it can't rename an older snapshot over the final one.
     */
    public void awaitBackgroundWrite() {
        backgroundWrite.exceptionally(failure -> null).join();
    }

    /** Whether a BGSAVE is writing (rdb_bgsave_in_progress). */
    public boolean isBgsaveInProgress() {
        return bgsaveInProgress;
    }

    /**
     * rdbSaveBackground: snapshots the dataset now and writes it on another thread. LASTSAVE moves, and
     * rdb_last_bgsave_status is set, once the file is in place.
     */
    public void saveInBackground() {
        saves++;
        bgsaveInProgress = true;
        bgsaveStartedMs = node.now();
        lastBgsaveTrySeconds = bgsaveStartedMs / 1000;
        long dirtyAtStart = node.keyspace().dirty();
        node.log().notice("Background saving started");
        if (path() == null) {
            node.loop().execute(() -> backgroundSaveDone(true, dirtyAtStart));
            return;
        }
        ByteBuf rdb = snapshot();
        backgroundWrite = CompletableFuture.runAsync(() -> {
            boolean ok;
            try {
                write(rdb, "temp-bg-");
                ok = true;
            } catch (IOException e) {
                // The child's own account of what failed; the parent logs "Background saving error".
                node.log().warning(e.getMessage());
                ok = false;
            } finally {
                rdb.release();
            }
            boolean succeeded = ok;
            node.loop().execute(() -> backgroundSaveDone(succeeded, dirtyAtStart));
        });
    }

    /** backgroundSaveDoneHandler: what the parent does when its child exits. */
    private void backgroundSaveDone(boolean ok, long dirtyAtStart) {
        bgsaveInProgress = false;
        lastBgsaveOk = ok;
        lastBgsaveSeconds = (node.now() - bgsaveStartedMs) / 1000;
        if (ok) {
            node.log().notice("Background saving terminated with success");
            // The snapshot holds the dataset as it was at the start: later changes are still unsaved.
            node.stats().saved(node.now() / 1000, dirtyAtStart);
        } else {
            node.log().warning("Background saving error");
        }
    }

    /**
     * serverCron's save points: while no BGSAVE nor AOF rewrite runs, the first point whose changes are
     * unsaved for longer than its seconds starts a BGSAVE - unless the last BGSAVE failed less than
     * CONFIG_BGSAVE_RETRY_DELAY seconds ago.
     */
    public void cron() {
        if (bgsaveInProgress || node.aof().isInProgress()) {
            return;
        }
        long now = node.now() / 1000;
        long changes = node.stats().changesSinceSave(node.keyspace().dirty());
        long sinceSave = now - InfoReport.lastSave(node);
        boolean mayTry = lastBgsaveOk || now - lastBgsaveTrySeconds > BGSAVE_RETRY_DELAY_SECONDS;
        for (SavePoint point : node.config().save) {
            if (changes >= point.changes() && sinceSave > point.seconds() && mayTry) {
                node.log().notice(point.changes() + " changes in " + point.seconds() + " seconds. Saving...");
                saveInBackground();
                return;
            }
        }
    }

    /** CONFIG RESETSTAT (resetServerStats): rdb_saves starts over. */
    public void resetStats() {
        saves = 0;
    }

    /** rdb_saves: RDB saves since start. */
    public long saves() {
        return saves;
    }

    /** rdb_last_bgsave_status. */
    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    /** rdb_last_bgsave_time_sec: -1 before the first BGSAVE. */
    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    /** rdb_current_bgsave_time_sec: -1 when none is running. */
    public long currentBgsaveSeconds() {
        return bgsaveInProgress ? (node.now() - bgsaveStartedMs) / 1000 : -1;
    }

    /** rdb_last_load_keys_loaded. */
    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    /** rdb_last_load_keys_expired. */
    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }

    private ByteBuf snapshot() {
        boolean compression = (Boolean) ConfigTable.valueOf(node, "rdbcompression");
        boolean checksum = (Boolean) ConfigTable.valueOf(node, "rdbchecksum");
        return RdbSnapshot.create(node.keyspace(), node.scripting().functions().libraryCodes(),
                node.replication().rdbSaveInfo(), node.now() / 1000, true, compression, checksum);
    }

    /**
     * Temp file, fsync, rename, fsync of the directory. A background write has a temp file of its own, as a
     * BGSAVE child's temp-&lt;pid&gt;.rdb is not its parent's.
     */
    private void write(ByteBuf rdb, String tempPrefix) throws IOException {
        Path target = path();
        if (target == null) {
            return;
        }
        Path temp = target.resolveSibling(tempPrefix + ProcessHandle.current().pid() + "-" + node.port() + ".rdb");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = rdb.nioBuffer();
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("Failed opening the temp RDB file " + temp.getFileName() + " (in server root dir "
                    + target.getParent() + ") for saving: " + e.getMessage(), e);
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("Error moving temp DB file " + temp.getFileName() + " on the final destination "
                    + target.getFileName() + " (in server root dir " + target.getParent() + "): " + e, e);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some file systems can't sync a directory; the rename is done either way.
        }
    }

    /**
     * loadDataFromDisk at start: loads the dump file if there is one. A master drops the keys that
     * expired meanwhile. Then verifyClusterConfigWithData: a slot this master holds keys of but doesn't
     * own is claimed if unassigned, else set importing from its owner.
     *
     * @throws IOException when the file can't be read or isn't an RDB this node can load; redis-server
     *     refuses to start then
     */
    public void loadAtStart() throws IOException {
        Path file = path();
        if (file == null || !Files.exists(file)) {
            return;
        }
        boolean master = !node.cluster().myself().isReplica();
        ByteBuf rdb = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        long start = System.nanoTime();
        RdbLoading.Result result;
        try {
            result = RdbLoading.load(rdb, node.keyspace(), node.config(), master ? node.now() : -1,
                    node.scripting().functions()::loadFromRdb);
        } catch (IOException | RuntimeException e) {
            node.keyspace().clear();
            node.scripting().functions().clear();
            throw new IOException("Fatal error loading the DB: " + e.getMessage(), e);
        }
        loaded(result);
        node.log().notice("Done loading RDB, keys loaded: " + result.loaded() + ", keys expired: "
                + result.expired() + ".");
        node.log().notice(String.format(java.util.Locale.ROOT, "DB loaded from disk: %.3f seconds",
                (System.nanoTime() - start) / 1e9));
        node.stats().saved(node.now() / 1000, node.keyspace().dirty());
        if (master) {
            claimSlotsOfLoadedKeys();
        }
    }

    /** rdb_last_load_keys_loaded and rdb_last_load_keys_expired after an RDB was loaded (an AOF base too). */
    void loaded(RdbLoading.Result result) {
        lastLoadKeysLoaded = result.loaded();
        lastLoadKeysExpired = result.expired();
    }

    /**
     * verifyClusterConfigWithData, once the dataset is loaded: a slot this master holds keys of but doesn't
     * own is claimed if unassigned, else set importing from its owner.
     */
    void claimSlotsOfLoadedKeys() {
        var cluster = node.cluster();
        ClusterNode myself = cluster.myself();
        boolean[] unassigned = new boolean[KeySlot.SLOTS];
        boolean claim = false;
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (node.keyspace().countKeysInSlot(slot) == 0) {
                continue;
            }
            ClusterNode owner = cluster.slotOwner(slot);
            if (owner == myself || cluster.importingFrom(slot) != null) {
                continue;
            }
            if (owner == null) {
                node.log().warning("I have keys for unassigned slot " + slot + ". Taking responsibility for it.");
                unassigned[slot] = true;
                claim = true;
            } else {
                node.log().warning("I have keys for slot " + slot + ", but the slot is assigned to another node. "
                        + "Setting it to importing state.");
                cluster.setSlotImporting(slot, owner.name());
            }
        }
        if (claim) {
            cluster.updateSlots(unassigned, false);
        }
    }
}
