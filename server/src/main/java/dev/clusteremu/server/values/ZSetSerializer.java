package dev.clusteremu.server.values;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.ZSetValue;
import dev.clusteremu.server.rdb.Listpack;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.Ziplist;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.Strtod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Sorted sets: Redis 7.0 writes a listpack-encoded set as RDB_TYPE_ZSET_LISTPACK (the listpack as one
 * string: member, score, member, score..., scores as integers or "%.17g" text) and a skiplist-encoded one
 * as RDB_TYPE_ZSET_2 (the count, then from the highest-ranked member down each member string and its score
 * as an 8-byte little-endian double).
 *
 * <p>It reads every sorted set Redis 7.0 loads (rdbLoadObject), and gives it the encoding Redis would: a
 * listpack or a ziplist (ZSET_ZIPLIST) stays a listpack in its saved order unless it has more members than
 * zset-max-listpack-entries; a ZSET or ZSET_2 (scores as text or binary) becomes a listpack when both
 * zset-max-listpack limits allow. A set with no member, a NaN score or a repeated member is refused.
 */
final class ZSetSerializer implements TypeSerializer<ZSetValue> {
    /** zzlStrtod reads at most 127 bytes of a score saved as text. */
    private static final int MAX_SCORE_TEXT = 127;

    @Override
    public Class<ZSetValue> valueClass() {
        return ZSetValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.ZSET || rdbType == RdbType.ZSET_2 || rdbType == RdbType.ZSET_ZIPLIST
                || rdbType == RdbType.ZSET_LISTPACK;
    }

    @Override
    public int rdbType(ZSetValue value) {
        return value.isListpack() ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
    }

    @Override
    public byte[] encode(ZSetValue value) {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf, true, false);
        if (value.isListpack()) {
            List<byte[]> elements = new ArrayList<>();
            value.forEachAscending((member, score) -> {
                elements.add(member);
                elements.add(ZSetValue.listpackScore(score));
            });
            out.writeString(Listpack.encode(elements));
        } else {
            out.writeLength(value.length());
            value.forEachDescending((member, score) -> {
                out.writeString(member);
                out.writeBinaryDouble(score);
            });
        }
        byte[] encoded = new byte[buf.readableBytes()];
        buf.readBytes(encoded);
        return encoded;
    }

    @Override
    public ZSetValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        RdbInput in = RdbInput.of(encoded);
        try {
            if (rdbType == RdbType.ZSET || rdbType == RdbType.ZSET_2) {
                return readSkiplist(rdbType, in, config);
            }
            byte[] blob = in.readString();
            List<byte[]> elements = rdbType == RdbType.ZSET_LISTPACK ? Listpack.decode(blob) : Ziplist.decode(blob);
            return fromPairs(elements, config);
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage(), e);
        }
    }

    /** A listpack or ziplist of member/score pairs, kept in its order unless it has too many members. */
    private static ZSetValue fromPairs(List<byte[]> elements, ServerConfig config) throws RdbFormatException {
        if (elements.isEmpty() || elements.size() % 2 != 0) {
            throw new RdbFormatException("Zset listpack integrity check failed.");
        }
        List<ZSetValue.Entry> pairs = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < elements.size(); i += 2) {
            byte[] member = elements.get(i);
            if (!seen.add(ByteBuffer.wrap(member))) {
                throw new RdbFormatException("Zset listpack with duplicate members");
            }
            pairs.add(new ZSetValue.Entry(member, score(elements.get(i + 1))));
        }
        ZSetValue z = ZSetValue.ofListpack(pairs);
        if (z.length() > config.zsetMaxListpackEntries) {
            z.convertToSkiplist();
        }
        return z;
    }

    /** zzlGetScore: an integer element as it is, a string through strtod (its first 127 bytes). */
    private static double score(byte[] element) {
        if (RedisNumbers.isLong(element)) {
            return RedisNumbers.parseLong(element);
        }
        byte[] text = element.length > MAX_SCORE_TEXT ? Arrays.copyOf(element, MAX_SCORE_TEXT) : element;
        return Strtod.prefix(text).value();
    }

    /** ZSET and ZSET_2: loaded into a skiplist, then turned into a listpack when small enough. */
    private static ZSetValue readSkiplist(int rdbType, RdbInput in, ServerConfig config) throws IOException {
        long n = in.readLength();
        if (n == 0) {
            throw new RdbFormatException("Empty zset");
        }
        ZSetValue z = ZSetValue.newSkiplist();
        long maxLength = 0;
        long totalLength = 0;
        for (; n > 0; n--) {
            byte[] member = in.readString();
            double score = rdbType == RdbType.ZSET_2 ? in.readBinaryDouble() : in.readDoubleValue();
            if (Double.isNaN(score)) {
                throw new RdbFormatException("Zset with NAN score detected");
            }
            if (z.score(member) != null) {
                throw new RdbFormatException("Duplicate zset fields detected");
            }
            maxLength = Math.max(maxLength, member.length);
            totalLength += member.length;
            z.add(score, member, 0, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        z.convertToListpackIfNeeded(maxLength, totalLength, config.zsetMaxListpackEntries,
                config.zsetMaxListpackValue);
        return z;
    }
}
