package dev.clusteremu.server.values;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.StringEncoding;

/**
 * Strings: type 0 and the string in its RDB encoding. The encoding depends on the bytes alone, not on
 * whether the value is int, embstr or raw in memory (see {@link StringEncoding}); on load the value takes
 * the smallest in-memory encoding, as rdbLoadObject's tryObjectEncoding gives it.
 */
final class StringSerializer implements TypeSerializer<StringValue> {

    @Override
    public Class<StringValue> valueClass() {
        return StringValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.STRING;
    }

    @Override
    public int rdbType(StringValue value) {
        return RdbType.STRING;
    }

    @Override
    public byte[] encode(StringValue value) {
        return StringEncoding.encode(value.bytes());
    }

    @Override
    public StringValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        return StringValue.of(StringEncoding.decode(encoded));
    }
}
