package dev.clusteremu.server.values;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.rdb.RdbFormatException;

/**
 * The RDB form of one data type (rdbSaveObjectType + rdbSaveObject, and rdbLoadObject for the types it
 * reads): how DUMP, MIGRATE and RESTORE move values of that type. One implementation per value class;
 * {@link DumpSerializer} picks the one for a value or for a payload's type byte.
 *
 * @param <T> the value class this serializer writes
 */
public interface TypeSerializer<T extends RedisObject> {

    /** The value class this serializer writes. */
    Class<T> valueClass();

    /** Whether this serializer reads values stored under RDB type byte {@code rdbType}. */
    boolean reads(int rdbType);

    /** The RDB type byte Redis 7.0 writes for {@code value} (it may depend on the value's encoding). */
    int rdbType(T value);

    /** The bytes that follow the type byte for {@code value}, exactly as Redis 7.0 writes them. */
    byte[] encode(T value);

    /**
     * The value that {@code encoded} starts with, stored under {@code rdbType} (one this serializer
     * {@link #reads}), in the in-memory encoding Redis would give it on load under {@code config}'s
     * encoding limits (hash-max-listpack-entries, set-max-intset-entries, ...). {@code encoded} runs to the
     * end of the payload, footer included, as the buffer Redis loads from does; bytes after the value are
     * ignored.
     *
     * @throws RdbFormatException when the bytes are not a well-formed value of that type, or an empty one
     */
    T decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException;
}
