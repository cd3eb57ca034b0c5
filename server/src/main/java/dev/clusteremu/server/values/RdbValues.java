package dev.clusteremu.server.values;

import java.util.List;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.rdb.RdbFormatException;

/**
 * Values in their RDB form, one {@link TypeSerializer} per data type: what full syncs send and load, what
 * DUMP, RESTORE and MIGRATE move, and what SAVE writes. A new data type plugs in with one serializer in
 * {@link #SERIALIZERS}, and every one of those paths handles it.
 */
public final class RdbValues {
    private static final List<TypeSerializer<?>> SERIALIZERS = List.of(new StringSerializer(), new HashSerializer(),
            new SetSerializer(), new ListSerializer(), new ZSetSerializer(), new StreamSerializer());

    private RdbValues() {
    }

    /** A value's RDB type byte and the bytes that follow it, exactly as Redis 7.0 writes them. */
    public record Encoded(int rdbType, byte[] bytes) {
    }

    public static Encoded encode(RedisObject value) {
        return encode(serializerFor(value), value);
    }

    private static <T extends RedisObject> Encoded encode(TypeSerializer<T> serializer, RedisObject value) {
        T typed = serializer.valueClass().cast(value);
        return new Encoded(serializer.rdbType(typed), serializer.encode(typed));
    }

    private static TypeSerializer<?> serializerFor(RedisObject value) {
        for (TypeSerializer<?> serializer : SERIALIZERS) {
            if (serializer.valueClass().isInstance(value)) {
                return serializer;
            }
        }
        throw new IllegalStateException("no RDB serializer for " + value.getClass().getName());
    }

    /** Whether a value stored under RDB type {@code rdbType} can be held here. */
    public static boolean canRead(int rdbType) {
        for (TypeSerializer<?> serializer : SERIALIZERS) {
            if (serializer.reads(rdbType)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value {@code encoded} starts with, stored under {@code rdbType}, in the encoding Redis would give
     * it under {@code config}'s encoding limits.
     *
     * @throws RdbFormatException when no serializer reads the type, or the bytes are not a well-formed value
     */
    public static RedisObject decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        for (TypeSerializer<?> serializer : SERIALIZERS) {
            if (serializer.reads(rdbType)) {
                return serializer.decode(rdbType, encoded, config);
            }
        }
        throw new RdbFormatException("no value of RDB type " + rdbType + " can be held here");
    }
}
