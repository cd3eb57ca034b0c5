package dev.clusteremu.server.values;

import java.io.IOException;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.rdb.Intset;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.StringEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Sets (rdbSaveObject / rdbLoadObject for OBJ_SET). Redis 7.0 writes an intset as type 11 and the intset
 * saved as one string, a hashtable set as type 2: the member count, then each member as a string, in the
 * table's order; it reads both.
 *
 * <p>The encoding after loading is rdbLoadObject's: an intset stays one unless it has more than
 * set-max-intset-entries members; a type 2 set starts as an intset unless its count is over that limit
 * (capped at 2^30), and converts at the first member that is not an integer.
 */
final class SetSerializer implements TypeSerializer<SetValue> {

    /** rdbLoadObject caps set-max-intset-entries at 2^30, as setTypeAdd does. */
    private static final long MAX_INTSET_ENTRIES = 1L << 30;
    private static final long PRESIZE_LIMIT = 1 << 16;

    @Override
    public Class<SetValue> valueClass() {
        return SetValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.SET || rdbType == RdbType.SET_INTSET;
    }

    @Override
    public int rdbType(SetValue value) {
        return value.encoding() == SetValue.Encoding.INTSET ? RdbType.SET_INTSET : RdbType.SET;
    }

    @Override
    public byte[] encode(SetValue value) {
        if (value.encoding() == SetValue.Encoding.INTSET) {
            return StringEncoding.encode(Intset.encode(value.intsetMembers(), value.size(), value.intsetWidth()));
        }
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf, true, false);
        out.writeLength(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.writeString(value.memberAt(i));
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Override
    public SetValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        try {
            RdbInput in = RdbInput.of(encoded);
            if (rdbType == RdbType.SET_INTSET) {
                Intset.Contents contents = Intset.decode(in.readString());
                SetValue set = SetValue.ofIntset(contents.elements(), contents.width());
                if (set.size() > config.setMaxIntsetEntries) {
                    set.convertToHashtable(set.size());
                }
                return set;
            }
            return readMembers(in, config);
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage(), e);
        }
    }

    /** Type 2: a count, then member strings; an intset while every member is an integer and few enough. */
    private static SetValue readMembers(RdbInput in, ServerConfig config) throws IOException {
        long len = in.readLength();
        if (len == 0) {
            throw new RdbFormatException("Empty keys are not allowed");
        }
        boolean tooMany = len > Math.min(config.setMaxIntsetEntries, MAX_INTSET_ENTRIES);
        // Presized for at most PRESIZE_LIMIT members: a corrupt count must not allocate gigabytes up front.
        SetValue set = tooMany ? SetValue.createHashtable((int) Math.min(len, PRESIZE_LIMIT)) : SetValue.createIntset();
        for (long n = len; n != 0; n--) {
            // The count was checked against the limit up front: loading never converts for size.
            if (!set.add(in.readString(), Long.MAX_VALUE)) {
                throw new RdbFormatException("Duplicate set members detected");
            }
        }
        return set;
    }
}
