package dev.clusteremu.server.values;

import java.io.IOException;
import java.util.Map;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.Listpack;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Streams: type 19 (STREAM_LISTPACKS_2), written as Redis 7.0's rdbSaveObject writes it, and types 15 and 19
 * read as rdbLoadObject reads them.
 *
 * <p>Layout: the number of nodes; per node its master ID (16 bytes, big-endian) and its listpack, both as
 * strings (the listpack LZF-compressed when that pays, like any string); the length; the last ID; then, in
 * type 19 only, the first ID, the largest deleted ID and the count of entries added; then the consumer
 * groups, each with its name, last delivered ID, read counter (type 19), its PEL (raw 16-byte IDs with
 * delivery time and count) and its consumers (name, seen time, and their PEL as raw IDs). IDs and counters
 * are RDB lengths; times are 8-byte little-endian milliseconds.
 */
final class StreamSerializer implements TypeSerializer<StreamValue> {

    @Override
    public Class<StreamValue> valueClass() {
        return StreamValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.STREAM_LISTPACKS || rdbType == RdbType.STREAM_LISTPACKS_2;
    }

    @Override
    public int rdbType(StreamValue value) {
        return RdbType.STREAM_LISTPACKS_2;
    }

    @Override
    public byte[] encode(StreamValue s) {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf, true, false);
        out.writeLength(s.nodeCount());
        for (Map.Entry<StreamId, Listpack> node : s.nodes().entrySet()) {
            out.writeString(node.getKey().encode());
            out.writeString(node.getValue().toBytes());
        }
        out.writeLength(s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedEntryId());
        out.writeLength(s.entriesAdded());
        out.writeLength(s.groups().size());
        for (Map.Entry<byte[], StreamGroup> g : s.groups().entrySet()) {
            StreamGroup group = g.getValue();
            out.writeString(g.getKey());
            writeId(out, group.lastId());
            out.writeLength(group.entriesRead());
            out.writeLength(group.pel().size());
            for (Map.Entry<StreamId, StreamGroup.Nack> p : group.pel().entrySet()) {
                out.writeRaw(p.getKey().encode());
                out.writeMillisecondTime(p.getValue().deliveryTime());
                out.writeLength(p.getValue().deliveryCount());
            }
            out.writeLength(group.consumers().size());
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                out.writeString(consumer.name());
                out.writeMillisecondTime(consumer.seenTime());
                out.writeLength(consumer.pel().size());
                for (StreamId id : consumer.pel().keySet()) {
                    out.writeRaw(id.encode());
                }
            }
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private static void writeId(RdbEncoder out, StreamId id) {
        out.writeLength(id.ms());
        out.writeLength(id.seq());
    }

    /**
     * Reads a stream with the checks rdbLoadObject makes, plus the deep ones sanitize-dump-payload would:
     * every node must be a well-formed stream listpack, and every pending entry of a group must belong to
     * one of its consumers, since commands here assume both.
     */
    @Override
    public StreamValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        boolean v2 = rdbType == RdbType.STREAM_LISTPACKS_2;
        RdbInput in = RdbInput.of(encoded);
        try {
            StreamValue s = new StreamValue();
            for (long n = in.readLength(); n > 0; n--) {
                byte[] key = in.readString();
                if (key.length != StreamId.ENCODED_SIZE) {
                    throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
                }
                Listpack lp = Listpack.validated(in.readString());
                if (lp == null || !s.loadNode(StreamId.decode(key, 0), lp)) {
                    throw new RdbFormatException("Stream listpack integrity check failed.");
                }
            }
            long length = in.readLength();
            StreamId lastId = readId(in);
            // Type 15 has no first ID: it is the first live entry's, or the largest ID when there is none.
            StreamId firstId = v2 ? readId(in) : s.edgeId(true, true);
            StreamId maxDeleted = v2 ? readId(in) : StreamId.MIN;
            long entriesAdded = v2 ? in.readLength() : length;
            s.loadMetadata(length, lastId, firstId, maxDeleted, entriesAdded);
            if (length != 0 && s.nodeCount() == 0) {
                throw new RdbFormatException("Stream length inconsistent with rax entries");
            }
            for (long groups = in.readLength(); groups > 0; groups--) {
                readGroup(in, s, v2);
            }
            return s;
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RdbFormatException("Stream loading failed: " + e.getMessage(), e);
        }
    }

    private static StreamId readId(RdbInput in) throws IOException {
        long ms = in.readLength();
        return new StreamId(ms, in.readLength());
    }

    private static void readGroup(RdbInput in, StreamValue s, boolean v2) throws IOException {
        byte[] name = in.readString();
        StreamId lastId = readId(in);
        long entriesRead = v2 ? in.readLength() : s.estimateDistanceFromFirstEverEntry(lastId);
        StreamGroup group = s.createGroup(name, lastId, entriesRead);
        if (group == null) {
            throw new RdbFormatException("Duplicated consumer group name");
        }
        byte[] raw = new byte[StreamId.ENCODED_SIZE];
        for (long n = in.readLength(); n > 0; n--) {
            in.readFully(raw, 0, raw.length);
            long deliveryTime = in.readMillisecondTime();
            long deliveryCount = in.readLength();
            if (group.pel().putIfAbsent(StreamId.decode(raw, 0),
                    new StreamGroup.Nack(deliveryTime, deliveryCount, null)) != null) {
                throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
            }
        }
        for (long n = in.readLength(); n > 0; n--) {
            byte[] consumerName = in.readString();
            long seenTime = in.readMillisecondTime();
            StreamGroup.Consumer consumer = group.createConsumer(consumerName, seenTime);
            if (consumer == null) {
                throw new RdbFormatException("Duplicate stream consumer detected.");
            }
            for (long p = in.readLength(); p > 0; p--) {
                in.readFully(raw, 0, raw.length);
                StreamId id = StreamId.decode(raw, 0);
                StreamGroup.Nack nack = group.pel().get(id);
                if (nack == null) {
                    throw new RdbFormatException("Consumer entry not found in group global PEL");
                }
                if (consumer.pel().putIfAbsent(id, nack) != null) {
                    throw new RdbFormatException("Duplicated consumer PEL entry loading a stream consumer group");
                }
                nack.setConsumer(consumer);
            }
        }
        for (StreamGroup.Nack nack : group.pel().values()) {
            if (nack.consumer() == null) {
                throw new RdbFormatException("Stream CG PEL entry without consumer");
            }
        }
    }
}
