package dev.clusteremu.server.replication;

import java.util.List;

import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbSaveInfo;
import dev.clusteremu.server.values.RdbValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The RDB of the dataset (rdbSaveRio): what a full sync sends and what SAVE and BGSAVE write, taken on the
 * node's loop in one go. Redis forks a child to write it while the parent goes on serving; here the
 * snapshot is taken before anything else runs, so for a full sync it is exactly the dataset at the offset
 * announced in +FULLRESYNC, and everything after that offset reaches the replica through the stream.
 */
public final class RdbSnapshot {
    private RdbSnapshot() {
    }

    /**
     * Header; the aux fields, with repl-stream-db, repl-id and repl-offset when {@code info} is given, by
     * which a node that restarts from this RDB knows where it stands; the function libraries, one FUNCTION2
     * record each (rdbSaveFunctions); db 0 (unless {@code withKeys} is false, for an rdb-filter-only
     * replica) with every key, expired ones included as Redis saves them; EOF and the checksum.
     */
    public static ByteBuf create(Keyspace keyspace, List<byte[]> functionLibraries, RdbSaveInfo info,
            long ctimeSeconds, boolean withKeys, boolean compression, boolean checksum) {
        return create(keyspace, functionLibraries, info, ctimeSeconds, withKeys, compression, checksum, false);
    }

    /**
     * The base file of a rewritten append only file (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE): the function
     * libraries and the dataset, without replication info, its aux field "aof-base" set to 1.
     */
    public static ByteBuf createAofBase(Keyspace keyspace, List<byte[]> functionLibraries, long ctimeSeconds,
            boolean compression, boolean checksum) {
        return create(keyspace, functionLibraries, null, ctimeSeconds, true, compression, checksum, true);
    }

    private static ByteBuf create(Keyspace keyspace, List<byte[]> functionLibraries, RdbSaveInfo info,
            long ctimeSeconds, boolean withKeys, boolean compression, boolean checksum, boolean aofBase) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        RdbEncoder rdb = new RdbEncoder(out, compression, checksum);
        rdb.writeHeader();
        Runtime rt = Runtime.getRuntime();
        rdb.writeInfoAuxFields(ctimeSeconds, rt.totalMemory() - rt.freeMemory(), info, aofBase);
        for (byte[] code : functionLibraries) {
            rdb.writeFunction(code);
        }
        if (withKeys && keyspace.size() > 0) {
            rdb.writeSelectDb(0);
            rdb.writeResizeDb(keyspace.size(), keyspace.expiresCount());
            keyspace.forEachEntry((key, value, expireAt) -> {
                RdbValues.Encoded encoded = RdbValues.encode(value);
                rdb.writeKeyValue(key, encoded.rdbType(), encoded.bytes(), expireAt);
            });
        }
        rdb.writeEof();
        return out;
    }
}
