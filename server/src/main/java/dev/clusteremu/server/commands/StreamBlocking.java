package dev.clusteremu.server.commands;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.replication.ReplicationStream;
import dev.clusteremu.server.resp.RespWriter;

/**
 * Clients blocked in XREAD and XREADGROUP (blocked.c for BLOCKED_STREAM): which streams each waits on and
 * from which ID, and serving them when one of those keys is signaled ready (signalKeyAsReady) - by an XADD,
 * by a stream key being added, overwritten or deleted, by XGROUP DESTROY - after the command that did it,
 * in the order the clients blocked (handleClientsBlockedOnKeys / serveClientsBlockedOnStreamKey).
 *
 * <p>A client waiting in a group is always waiting for "&gt;": it is served from the group's last delivered
 * ID as it is when the key is ready, and it gets -NOGROUP if the group went, -UNBLOCKED if the stream went.
 * Each client served is a command of its own for replication: what its read queued goes out together.
 * Owned by the node's loop.
 */
public final class StreamBlocking {
    private final RedisNode node;
    /** db->blocking_keys for streams: key -> clients blocked on it, oldest first. */
    private final Map<ByteBuffer, Set<Client>> waiting = new LinkedHashMap<>();
    /** c->bpop for each blocked client. */
    private final Map<Client, Wait> waits = new LinkedHashMap<>();
    /** server.ready_keys: keys signaled since the last serving, in order. */
    private final Set<ByteBuffer> ready = new LinkedHashSet<>();
    private boolean serveScheduled;

    /** What a blocked client waits for: per key the ID it wants entries after, and its group read if any. */
    private record Wait(Map<ByteBuffer, StreamId> ids, long count, byte[] groupName, byte[] consumerName,
            boolean noack) {
    }

    public StreamBlocking(RedisNode node) {
        this.node = node;
    }

    /**
     * blockForKeys: blocks {@code c} on the streams at {@code argv[streamsArg..]} (a key named twice counts
     * once, with its first ID) until {@code timeoutAtMs} (0: forever), when it is answered a null array.
     */
    void block(Client c, byte[][] argv, int streamsArg, int streams, StreamId[] ids, long timeoutAtMs, long count,
            byte[] groupName, byte[] consumerName, boolean noack) {
        forgetStale();
        Map<ByteBuffer, StreamId> byKey = new LinkedHashMap<>();
        for (int i = 0; i < streams; i++) {
            ByteBuffer key = ByteBuffer.wrap(argv[streamsArg + i]);
            if (byKey.putIfAbsent(key, ids[i]) == null) {
                waiting.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(c);
            }
        }
        waits.put(c, new Wait(byKey, count, groupName, consumerName, noack));
        node.blockedClients().block(c, BlockType.STREAM, timeoutAtMs, () -> {
            forget(c);
            c.reply().nullArray();
            node.blockedClients().unblock(c);
        });
    }

    /**
     * signalKeyAsReady: remembers {@code key} if a client waits on it, to serve after the running command
     * (or, for a key signaled outside any command, such as a stream deleted by the expire cycle, after the
     * current event).
     */
    public void signalKeyAsReady(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (!waiting.containsKey(k)) {
            return;
        }
        ready.add(k);
        if (!serveScheduled) {
            serveScheduled = true;
            node.loop().execute(() -> {
                serveScheduled = false;
                serveReadyKeys();
            });
        }
    }

    /** handleClientsBlockedOnKeys for streams: serves the clients waiting on each key signaled ready. */
    public void serveReadyKeys() {
        while (!ready.isEmpty()) {
            List<ByteBuffer> keys = new ArrayList<>(ready);
            ready.clear();
            for (ByteBuffer key : keys) {
                serveKey(key);
            }
        }
    }

    private void serveKey(ByteBuffer key) {
        Set<Client> clients = waiting.get(key);
        if (clients == null) {
            return;
        }
        byte[] keyBytes = key.array();
        RedisObject o = node.keyspace().peek(keyBytes);
        for (Client receiver : new ArrayList<>(clients)) {
            if (!isWaiting(receiver)) {
                forget(receiver);
                continue;
            }
            Wait wait = waits.get(receiver);
            if (o instanceof StreamValue s) {
                serveStream(receiver, keyBytes, s, wait);
            } else if (wait.groupName() != null) {
                // The stream went (deleted, or replaced by another type): the group went with it.
                answer(receiver, () -> receiver.reply().error("UNBLOCKED the stream key no longer exists"));
            }
        }
    }

    /** serveClientsBlockedOnStreamKey for one client: serves it if the stream has something for it. */
    private void serveStream(Client receiver, byte[] key, StreamValue s, Wait wait) {
        StreamId after = wait.ids().get(ByteBuffer.wrap(key));
        StreamGroup group = null;
        if (wait.groupName() != null) {
            group = s.group(wait.groupName());
            if (group == null) {
                answer(receiver, () -> receiver.reply()
                        .error("NOGROUP the consumer group this client was blocked on no longer exists"));
                return;
            }
            after = group.lastId();
        }
        if (s.lastId().compareTo(after) <= 0) {
            return;
        }
        StreamId start = after.next();
        StreamGroup readGroup = group;
        answer(receiver, () -> {
            // The consumer is found or created (and its creation published) before the reply is begun.
            StreamGroup.Consumer consumer = readGroup == null ? null : StreamReadCommands.consumer(receiver, key,
                    wait.groupName(), readGroup, wait.consumerName(), wait.noack());
            RespWriter r = receiver.reply();
            if (r.protocol() == 2) {
                r.array(1);
                r.array(2);
            } else {
                r.map(1);
            }
            r.bulk(key);
            if (readGroup == null) {
                List<StreamValue.Entry> entries = Streams.collect(s, start, StreamId.MAX, false, wait.count());
                r.array(entries.size());
                for (StreamValue.Entry e : entries) {
                    Streams.entry(r, e);
                }
                return;
            }
            Streams.deliver(receiver, s, start, wait.count(),
                    new Streams.GroupRead(key, wait.groupName(), readGroup, consumer, wait.noack()));
        });
    }

    /**
     * Writes a blocked client's reply as the client's own command would (it is the current client, and what
     * it propagates goes out as one unit), updates its command's statistics as updateStatsOnUnblock does (an
     * error reply is a failed call), then unblocks it so its reply is sent and its next requests run.
     */
    private void answer(Client receiver, Runnable reply) {
        Client previous = node.currentClient();
        node.setCurrentClient(receiver);
        ReplicationStream stream = node.replication().stream();
        long errorsBefore = receiver.errorsReplied();
        long start = System.nanoTime();
        stream.enterCall();
        try {
            reply.run();
        } finally {
            stream.exitCall("xreadgroup");
            node.setCurrentClient(previous);
        }
        forget(receiver);
        node.blockedClients().updateStatsOnUnblock(receiver, (System.nanoTime() - start) / 1000,
                receiver.errorsReplied() > errorsBefore);
        node.blockedClients().unblock(receiver);
    }

    private static boolean isWaiting(Client c) {
        return c.blockedOn() == BlockType.STREAM && c.channel().isActive();
    }

    /** Drops a client from every key it waited on. */
    private void forget(Client c) {
        Wait wait = waits.remove(c);
        if (wait == null) {
            return;
        }
        for (ByteBuffer key : wait.ids().keySet()) {
            Set<Client> clients = waiting.get(key);
            if (clients != null) {
                clients.remove(c);
                if (clients.isEmpty()) {
                    waiting.remove(key);
                }
            }
        }
    }

    /** Drops clients that are no longer blocked here (closed, or unblocked by a role change). */
    private void forgetStale() {
        for (Client c : new ArrayList<>(waits.keySet())) {
            if (!isWaiting(c)) {
                forget(c);
            }
        }
    }
}
