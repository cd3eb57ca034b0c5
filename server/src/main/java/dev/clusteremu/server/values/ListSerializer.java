package dev.clusteremu.server.values;

import java.io.IOException;
import java.util.List;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.ListValue;
import dev.clusteremu.server.rdb.Listpack;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbInput;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.Ziplist;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Lists: Redis 7.0 writes a quicklist as RDB_TYPE_LIST_QUICKLIST_2, the node count, then per node its
 * container (2 for a listpack, 1 for a plain node) as a length and the node's bytes as a string (LZF when
 * that pays, as any string); so the payload mirrors the node layout, which {@link ListValue} keeps as Redis
 * does.
 *
 * <p>It reads every list Redis 7.0 loads (rdbLoadObject): QUICKLIST_2 and QUICKLIST (one ziplist per node)
 * keep their nodes as saved, skipping empty ones; the flat forms, LIST (a count of strings) and
 * LIST_ZIPLIST (one ziplist), are pushed element by element into nodes of the configured fill. A list with
 * no element is refused, as Redis refuses an empty key.
 */
final class ListSerializer implements TypeSerializer<ListValue> {
    /** QUICKLIST_NODE_CONTAINER_PLAIN and _PACKED. */
    private static final int CONTAINER_PLAIN = 1;
    private static final int CONTAINER_PACKED = 2;

    @Override
    public Class<ListValue> valueClass() {
        return ListValue.class;
    }

    @Override
    public boolean reads(int rdbType) {
        return rdbType == RdbType.LIST || rdbType == RdbType.LIST_ZIPLIST || rdbType == RdbType.LIST_QUICKLIST
                || rdbType == RdbType.LIST_QUICKLIST_2;
    }

    @Override
    public int rdbType(ListValue value) {
        return RdbType.LIST_QUICKLIST_2;
    }

    @Override
    public byte[] encode(ListValue value) {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf, true, false);
        out.writeLength(value.nodeCount());
        value.forEachNode((plain, entries) -> {
            out.writeLength(plain ? CONTAINER_PLAIN : CONTAINER_PACKED);
            out.writeString(plain ? entries.get(0) : Listpack.encode(entries));
        });
        byte[] encoded = new byte[buf.readableBytes()];
        buf.readBytes(encoded);
        return encoded;
    }

    @Override
    public ListValue decode(int rdbType, byte[] encoded, ServerConfig config) throws RdbFormatException {
        RdbInput in = RdbInput.of(encoded);
        ListValue list = ListValue.create(config.listMaxListpackSize);
        try {
            switch (rdbType) {
                case RdbType.LIST -> {
                    for (long n = in.readLength(); n > 0; n--) {
                        list.push(in.readString(), false);
                    }
                }
                case RdbType.LIST_ZIPLIST -> {
                    for (byte[] element : Ziplist.decode(in.readString())) {
                        list.push(element, false);
                    }
                }
                default -> readNodes(rdbType, in, list);
            }
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage(), e);
        }
        if (list.length() == 0) {
            throw new RdbFormatException("Empty list");
        }
        return list;
    }

    /** QUICKLIST and QUICKLIST_2: the nodes as they were saved. */
    private static void readNodes(int rdbType, RdbInput in, ListValue list) throws IOException {
        for (long n = in.readLength(); n > 0; n--) {
            long container = CONTAINER_PACKED;
            if (rdbType == RdbType.LIST_QUICKLIST_2) {
                container = in.readLength();
                if (container != CONTAINER_PACKED && container != CONTAINER_PLAIN) {
                    throw new RdbFormatException("Quicklist integrity check failed.");
                }
            }
            byte[] data = in.readString();
            if (data.length == 0) {
                throw new RdbFormatException("Empty quicklist node");
            }
            if (container == CONTAINER_PLAIN) {
                list.appendPlainNode(data);
                continue;
            }
            List<byte[]> entries = rdbType == RdbType.LIST_QUICKLIST_2 ? Listpack.decode(data) : Ziplist.decode(data);
            if (!entries.isEmpty()) {
                list.appendNode(entries);
            }
        }
    }
}
