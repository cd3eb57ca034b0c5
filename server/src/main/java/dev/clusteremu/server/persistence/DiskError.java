package dev.clusteremu.server.persistence;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;

/**
 * Why writes are refused after persisting failed (server.c's writeCommandsDeniedByDiskError): a node that
 * can't save what it is told must not go on acknowledging writes it may lose, so a failed BGSAVE (with
 * save points and stop-writes-on-bgsave-error yes) or a failed AOF write or fsync refuses writes with
 * MISCONF until a save, or an AOF write, succeeds again.
 */
public enum DiskError {
    /** DISK_ERROR_TYPE_RDB: the last BGSAVE failed. */
    RDB,
    /** DISK_ERROR_TYPE_AOF: the last AOF write or background fsync failed. */
    AOF;

    /** The condition refusing writes now, or null when writes are accepted. The RDB's is checked first. */
    public static DiskError deniedWrites(RedisNode node) {
        if (!node.rdb().lastBgsaveOk() && !node.config().save.isEmpty()
                && (Boolean) ConfigTable.valueOf(node, "stop-writes-on-bgsave-error")) {
            return RDB;
        }
        AppendOnlyFile aof = node.appendOnlyFile();
        if (aof.isOn() && !aof.lastWriteOk()) {
            return AOF;
        }
        return null;
    }

    /** writeCommandsGetDiskErrorMessage: the error a refused write command gets (shared.bgsaveerr, or the AOF's). */
    public String error(RedisNode node) {
        if (this == RDB) {
            return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
                    + "Commands that may modify the data set are disabled, because this instance is configured to "
                    + "report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
                    + "Please check the Redis logs for details about the RDB error.";
        }
        return "MISCONF Errors writing to the AOF file: " + node.appendOnlyFile().lastWriteError();
    }

    /** scriptPrepareForRun's error for a script declared able to write. */
    public String scriptError(RedisNode node) {
        if (this == RDB) {
            return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
                    + "Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";
        }
        return "MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. "
                + "Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: "
                + node.appendOnlyFile().lastWriteError();
    }
}
