package dev.clusteremu.server.rdb;

import java.io.IOException;

/**
 * Turns the encoded value of one key into what the caller keeps: the plug-in point for typed decoders
 * (a list from a quicklist, a hash from a listpack, ...). An implementation must consume exactly one value
 * of {@code type} from {@code in}; it may hand types it does not know to {@link #STRING_OR_RAW}.
 *
 * @param <V> the value representation
 */
@FunctionalInterface
public interface ValueDecoder<V> {

    /**
     * Strings decoded to their bytes (integer and LZF encodings undone); every other type as its exact
     * encoded bytes, ready for {@link DumpPayload#create} or {@link RdbEncoder#writeKeyValue}.
     */
    ValueDecoder<byte[]> STRING_OR_RAW = (type, in) ->
            type == RdbType.STRING ? in.readString() : RawValues.read(type, in);

    /** Reads one value of {@code type}. */
    V decode(int type, RdbInput in) throws IOException;
}
