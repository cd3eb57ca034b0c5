package dev.clusteremu.server.commands;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.BlockedClients;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * What a client blocked in XREAD or XREADGROUP waits for (c->bpop for BLOCKED_STREAM: per stream the ID it
 * wants entries after, and its group read if any), and how it is served once one of its streams is ready
 * (serveClientsBlockedOnStreamKey, unblockDeletedStreamReadgroupClients). The waiting itself, the order of
 * serving and the timeout are {@link BlockedClients}'s, as for every client blocked on keys.
 *
 * <p>A client waiting in a group is always waiting for "&gt;": it is served from the group's last delivered
 * ID as it is when the key is ready, so clients of one group served one after the other each get what the
 * previous left. It gets -NOGROUP if the group went, -UNBLOCKED if the stream went.
 */
final class StreamBlocking implements BlockedClients.KeyWaiter {
    private final Client client;
    /** Per stream, the ID the client wants entries after (the first given for a key named twice). */
    private final Map<ByteBuffer, StreamId> ids;
    private final long count;
    private final byte[] groupName;
    private final byte[] consumerName;
    private final boolean noack;

    private StreamBlocking(Client client, Map<ByteBuffer, StreamId> ids, long count, byte[] groupName,
            byte[] consumerName, boolean noack) {
        this.client = client;
        this.ids = ids;
        this.count = count;
        this.groupName = groupName;
        this.consumerName = consumerName;
        this.noack = noack;
    }

    /**
     * blockForKeys for XREAD and XREADGROUP: blocks {@code c} on the streams at {@code argv[streamsArg..]},
     * waiting for entries past {@code ids}, until {@code timeoutAtMs} (0: forever), when it is answered a
     * null array. A group read ({@code groupName} not null) is a write, for the redirection of clients
     * whose slot moved.
     */
    static void block(Client c, byte[][] argv, int streamsArg, int streams, StreamId[] ids, long timeoutAtMs,
            long count, byte[] groupName, byte[] consumerName, boolean noack) {
        Map<ByteBuffer, StreamId> byKey = new LinkedHashMap<>();
        List<byte[]> keys = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            byKey.putIfAbsent(ByteBuffer.wrap(argv[streamsArg + i]), ids[i]);
            keys.add(argv[streamsArg + i]);
        }
        c.node().blockedClients().blockForKeys(c, BlockType.STREAM, keys, timeoutAtMs, groupName != null,
                new StreamBlocking(c, byKey, count, groupName, consumerName, noack));
    }

    /**
     * A stream serves the client once its last ID is past the one waited for (for a group read, the
     * group's last delivered ID), or when the client's group is gone; no stream under the key serves only a
     * group read, with its error.
     */
    @Override
    public boolean isServedBy(byte[] key, RedisObject value) {
        if (!(value instanceof StreamValue s)) {
            return groupName != null;
        }
        StreamId after = ids.get(ByteBuffer.wrap(key));
        if (groupName != null) {
            StreamGroup group = s.group(groupName);
            if (group == null) {
                return true;
            }
            after = group.lastId();
        }
        return s.lastId().compareTo(after) > 0;
    }

    /**
     * Answers the client as its read would have: the entries past the ID waited for, delivered to the
     * consumer for a group read (what that queues for replicas goes out as the client's own command); or
     * the error telling that the group, or the stream, went. A stream is never deleted by a read.
     */
    @Override
    public boolean serve(byte[] key, RedisObject value) {
        if (!(value instanceof StreamValue s)) {
            client.reply().error("UNBLOCKED the stream key no longer exists");
            return false;
        }
        StreamId after = ids.get(ByteBuffer.wrap(key));
        StreamGroup group = null;
        if (groupName != null) {
            group = s.group(groupName);
            if (group == null) {
                client.reply().error("NOGROUP the consumer group this client was blocked on no longer exists");
                return false;
            }
            after = group.lastId();
        }
        // The consumer is found or created (and its creation published) before the reply is begun.
        StreamGroup.Consumer consumer = group == null ? null
                : StreamReadCommands.consumer(client, key, groupName, group, consumerName, noack);
        RespWriter r = client.reply();
        if (r.protocol() == 2) {
            r.array(1);
            r.array(2);
        } else {
            r.map(1);
        }
        r.bulk(key);
        StreamId start = after.next();
        if (group == null) {
            List<StreamValue.Entry> entries = Streams.collect(s, start, StreamId.MAX, false, count);
            r.array(entries.size());
            for (StreamValue.Entry e : entries) {
                Streams.entry(r, e);
            }
        } else {
            Streams.deliver(client, s, start, count, new Streams.GroupRead(key, groupName, group, consumer, noack));
        }
        return false;
    }
}
