package dev.clusteremu.server.replication;

import java.io.IOException;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbKey;
import dev.clusteremu.server.rdb.RdbReader;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.RdbVisitor;
import dev.clusteremu.server.rdb.ValueDecoder;
import dev.clusteremu.server.values.RdbValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

/**
 * Loads an RDB into the keyspace (rdbLoad): a full sync's on a replica, or the dump file at start. Keys are
 * loaded as they are, even those already expired, unless the caller is a master loading its own file: on a
 * replica expiry is its master's to decide. Values take the encodings the node's limits give them, as
 * rdbLoadObject decides. A value of a type this node can't hold fails the load rather than be left out: a
 * node missing keys would look complete while it is not.
 */
public final class RdbLoading {
    /** What a load did: keys loaded, and keys skipped because they had already expired. */
    public record Result(long loaded, long expired) {
    }

    /** Where the function libraries of an RDB go (rdbFunctionLoad); a library that fails fails the load. */
    @FunctionalInterface
    public interface LibrarySink {
        void library(byte[] code) throws IOException;
    }

    private RdbLoading() {
    }

    /**
     * Loads {@code rdb} (all its readable bytes, an RDB and nothing else) into {@code keyspace}, which the
     * caller emptied, with the encoding limits of {@code config}, skipping the keys whose expire time is
     * before {@code expiredBeforeMs} (a master loading its dump file at start; -1 skips nothing), and hands
     * the function libraries to {@code libraries}.
     *
     * @throws IOException when the data is not an RDB Redis would load, or holds what this node can't
     *     hold, with the reason
     */
    public static Result load(ByteBuf rdb, Keyspace keyspace, ServerConfig config, long expiredBeforeMs,
            LibrarySink libraries) throws IOException {
        long[] loaded = {0};
        long[] expired = {0};
        RdbReader.read(new ByteBufInputStream(rdb), ValueDecoder.STRING_OR_RAW, new RdbVisitor<byte[]>() {
            @Override
            public void functionLibrary(byte[] code) throws IOException {
                libraries.library(code);
            }

            @Override
            public void keyValue(RdbKey key, byte[] value) throws IOException {
                if (key.db() != 0) {
                    throw new RdbFormatException("Key in database " + key.db() + ": a cluster node has only db 0");
                }
                if (!RdbValues.canRead(key.type())) {
                    throw new RdbFormatException("Key '" + new String(key.key(), java.nio.charset.StandardCharsets.UTF_8)
                            + "' is a " + typeName(key.type()) + ", which this emulator can't hold yet");
                }
                if (expiredBeforeMs != -1 && key.expireMs() != -1 && key.expireMs() < expiredBeforeMs) {
                    expired[0]++;
                    return;
                }
                // STRING_OR_RAW decodes strings itself and hands over every other type's encoded bytes.
                keyspace.loadKey(key.key(), key.type() == RdbType.STRING ? StringValue.of(value)
                        : RdbValues.decode(key.type(), value, config), key.expireMs());
                loaded[0]++;
            }
        });
        if (rdb.isReadable()) {
            throw new RdbFormatException(rdb.readableBytes() + " bytes after the end of the RDB");
        }
        return new Result(loaded[0], expired[0]);
    }

    /** The type a value of RDB type {@code type} has, as TYPE names it. */
    private static String typeName(int type) {
        return switch (type) {
            case RdbType.LIST, RdbType.LIST_ZIPLIST, RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2 -> "list";
            case RdbType.SET, RdbType.SET_INTSET -> "set";
            case RdbType.ZSET, RdbType.ZSET_2, RdbType.ZSET_ZIPLIST, RdbType.ZSET_LISTPACK -> "zset";
            case RdbType.HASH, RdbType.HASH_ZIPMAP, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK -> "hash";
            case RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2 -> "stream";
            default -> "module value";
        };
    }
}
