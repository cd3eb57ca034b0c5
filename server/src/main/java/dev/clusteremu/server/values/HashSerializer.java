package dev.clusteremu.server.values;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.HashValue;
import dev.clusteremu.server.rdb.Listpack;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.StringEncoding;
import dev.clusteremu.server.rdb.Ziplist;
import dev.clusteremu.server.rdb.Zipmap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Hashes (rdbSaveObject / rdbLoadObject for OBJ_HASH). Redis 7.0 writes a listpack hash as type 16 and the
 * listpack saved as one string, a hashtable hash as type 4: the field count, then each field and value as
 * strings, in the table's order. It reads those and the older forms: 13 (a ziplist, loaded as a listpack)
 * and 9 (a zipmap, likewise).
 *
 * <p>The encoding after loading is rdbLoadObject's: a listpack, ziplist or zipmap stays a listpack unless it
 * has more than hash-max-listpack-entries fields (a zipmap also converts for a field or value longer than
 * hash-max-listpack-value); a type 4 hash starts as a listpack unless its count is over the entry limit, and
 * converts at the first field or value over the value limit.
 */
final class HashSerializer implements TypeSerializer<HashValue> {

    @Override
    public Class<HashValue> valueClass() {
        return HashValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.HASH || rdbType == RdbType.HASH_ZIPMAP || rdbType == RdbType.HASH_ZIPLIST
                || rdbType == RdbType.HASH_LISTPACK;
    }

    @Override
    public int rdbType(HashValue value) {
        return value.encoding() == HashValue.Encoding.LISTPACK ? RdbType.HASH_LISTPACK : RdbType.HASH;
    }

    @Override
    public byte[] encode(HashValue value) {
        if (value.encoding() == HashValue.Encoding.LISTPACK) {
            List<byte[]> elements = new ArrayList<>(2 * value.size());
            value.forEach((field, v) -> {
                elements.add(field);
                elements.add(v);
            });
            return StringEncoding.encode(Listpack.encode(elements));
        }
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf, true, false);
        out.writeLength(value.size());
        value.forEach((field, v) -> {
            out.writeString(field);
            out.writeString(v);
        });
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Override
    public HashValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        try {
            RdbInput in = RdbInput.of(encoded);
            return switch (rdbType) {
                case RdbType.HASH -> readTable(in, config);
                case RdbType.HASH_LISTPACK -> ofPairs(Listpack.decode(in.readString()), config, false);
                case RdbType.HASH_ZIPLIST -> ofPairs(Ziplist.decode(in.readString()), config, false);
                default -> ofPairs(Zipmap.decode(in.readString()), config, true);
            };
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage(), e);
        }
    }

    /**
     * A hash from the alternating fields and values of a listpack, ziplist or zipmap: a listpack unless it
     * has too many fields or, for a zipmap ({@code checkLengths}), too long a field or value.
     */
    private static HashValue ofPairs(List<byte[]> elements, ServerConfig config, boolean checkLengths)
            throws RdbFormatException {
        if (elements.isEmpty() || elements.size() % 2 != 0) {
            throw new RdbFormatException("Hash listpack integrity check failed.");
        }
        HashValue hash = HashValue.create();
        long longest = 0;
        for (int i = 0; i < elements.size(); i += 2) {
            if (hash.set(elements.get(i), elements.get(i + 1))) {
                throw new RdbFormatException("Hash with dup elements");
            }
            longest = Math.max(longest, Math.max(elements.get(i).length, elements.get(i + 1).length));
        }
        if (hash.size() > config.hashMaxListpackEntries
                || (checkLengths && longest > config.hashMaxListpackValue)) {
            hash.convertToHashtable();
        }
        return hash;
    }

    /** Type 4: a count, then field and value strings; a listpack while the limits allow. */
    private static HashValue readTable(RdbInput in, ServerConfig config) throws IOException {
        long len = in.readLength();
        if (len == 0) {
            throw new RdbFormatException("Empty keys are not allowed");
        }
        HashValue hash = HashValue.create();
        if (len > config.hashMaxListpackEntries) {
            hash.convertToHashtable();
        }
        for (long n = len; n != 0; n--) {
            byte[] field = in.readString();
            byte[] value = in.readString();
            if (hash.encoding() == HashValue.Encoding.LISTPACK
                    && (field.length > config.hashMaxListpackValue || value.length > config.hashMaxListpackValue
                    || !hash.isSafeToAdd((long) field.length + value.length))) {
                hash.convertToHashtable();
            }
            if (hash.set(field, value)) {
                throw new RdbFormatException("Duplicate hash fields detected");
            }
        }
        return hash;
    }
}
