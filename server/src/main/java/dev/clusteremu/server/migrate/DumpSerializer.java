package dev.clusteremu.server.migrate;

import java.util.Arrays;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.values.RdbValues;

/**
 * Values to DUMP payloads and back (createDumpPayload, and RESTORE's verifyDumpPayload + rdbLoadObject),
 * with the RDB form of each data type from {@link RdbValues}.
 */
public final class DumpSerializer {

    private DumpSerializer() {
    }

    /** The DUMP payload of {@code value}: byte for byte what Redis 7.0's DUMP returns for it. */
    public static byte[] dump(RedisObject value) {
        RdbValues.Encoded encoded = RdbValues.encode(value);
        return DumpPayload.create(encoded.rdbType(), encoded.bytes());
    }

    /**
     * The value a DUMP payload holds (RESTORE: verifyDumpPayload, then rdbLoadObjectType and rdbLoadObject
     * over the payload buffer). Redis reads the type byte and the value from the whole buffer, footer
     * included, so a value may run into the footer and still load, and a payload that is only a footer
     * has the version's low byte as its type; the serializers get the same bytes to read. The value takes
     * the encoding {@code config}'s limits give it.
     *
     * @throws RdbFormatException with {@link DumpPayload#BAD_VERSION_OR_CHECKSUM} when the footer is
     *     missing, from a newer RDB version, or the CRC does not match; with {@link DumpPayload#BAD_DATA_FORMAT}
     *     when the type byte or the value cannot be read, or is of a type the emulator cannot hold yet
     */
    public static RedisObject restore(byte[] payload, ServerConfig config) throws RdbFormatException {
        if (!DumpPayload.verify(payload)) {
            throw new RdbFormatException(DumpPayload.BAD_VERSION_OR_CHECKSUM);
        }
        int type = payload[0] & 0xff;
        byte[] rest = Arrays.copyOfRange(payload, 1, payload.length);
        try {
            return RdbValues.decode(type, rest, config);
        } catch (RdbFormatException e) {
            throw new RdbFormatException(DumpPayload.BAD_DATA_FORMAT, e);
        }
    }
}
