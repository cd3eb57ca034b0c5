package dev.clusteremu.server.keyspace;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group of a stream (streamCG): the last ID delivered to it, its logical read counter, its
 * pending entries list (PEL: every entry delivered and not yet acknowledged, by ID) and its consumers by
 * name. Each pending entry ({@link Nack}) is shared between the group's PEL and its consumer's PEL, as in
 * Redis. Names sort as raw bytes, IDs as 128-bit numbers: the order of Redis's radix trees, which XINFO,
 * XPENDING and RDB files show.
 */
public final class StreamGroup {
    /** SCG_INVALID_ENTRIES_READ: the read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;

    private StreamId lastId;
    private long entriesRead;
    private final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    private final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    StreamGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    /** A consumer of a group (streamConsumer): its name, when it was last active, its own PEL. */
    public static final class Consumer {
        private final byte[] name;
        private long seenTime;
        private final TreeMap<StreamId, Nack> pel = new TreeMap<>();

        Consumer(byte[] name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }

        public byte[] name() {
            return name;
        }

        public long seenTime() {
            return seenTime;
        }

        public void setSeenTime(long seenTime) {
            this.seenTime = seenTime;
        }

        /** The entries delivered to this consumer and not acknowledged, by ID. */
        public TreeMap<StreamId, Nack> pel() {
            return pel;
        }
    }

    /**
     * A pending entry (streamNACK): when it was last delivered, how many times, and to which consumer (null
     * only briefly, while XCLAIM FORCE creates it or an RDB load has not yet met its consumer).
     */
    public static final class Nack {
        private long deliveryTime;
        private long deliveryCount;
        private Consumer consumer;

        public Nack(long deliveryTime, long deliveryCount, Consumer consumer) {
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
            this.consumer = consumer;
        }

        public long deliveryTime() {
            return deliveryTime;
        }

        public void setDeliveryTime(long deliveryTime) {
            this.deliveryTime = deliveryTime;
        }

        public long deliveryCount() {
            return deliveryCount;
        }

        public void setDeliveryCount(long deliveryCount) {
            this.deliveryCount = deliveryCount;
        }

        public Consumer consumer() {
            return consumer;
        }

        public void setConsumer(Consumer consumer) {
            this.consumer = consumer;
        }
    }

    /**
     * The group as streamDup copies it: same last ID and read counter, a new NACK for each pending entry
     * (same delivery time and count) and a new consumer for each consumer (same name and seen time) whose
     * PEL points at the new NACKs. A NACK without a consumer stays without one.
     */
    StreamGroup duplicate() {
        StreamGroup copy = new StreamGroup(lastId, entriesRead);
        for (Map.Entry<StreamId, Nack> p : pel.entrySet()) {
            Nack nack = p.getValue();
            copy.pel.put(p.getKey(), new Nack(nack.deliveryTime, nack.deliveryCount, null));
        }
        for (Consumer consumer : consumers.values()) {
            Consumer c = new Consumer(consumer.name, consumer.seenTime);
            copy.consumers.put(c.name, c);
            for (StreamId id : consumer.pel.keySet()) {
                Nack nack = copy.pel.get(id);
                nack.consumer = c;
                c.pel.put(id, nack);
            }
        }
        return copy;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void setLastId(StreamId lastId) {
        this.lastId = lastId;
    }

    /** The logical read counter, or {@link #INVALID_ENTRIES_READ}. */
    public long entriesRead() {
        return entriesRead;
    }

    public void setEntriesRead(long entriesRead) {
        this.entriesRead = entriesRead;
    }

    /** The group's PEL, by ID. */
    public TreeMap<StreamId, Nack> pel() {
        return pel;
    }

    /** The consumers, by name. */
    public TreeMap<byte[], Consumer> consumers() {
        return consumers;
    }

    /** streamLookupConsumer without refreshing its seen time; null if there is none by that name. */
    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** streamCreateConsumer: a new consumer seen at {@code now}, or null if one has that name already. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        Consumer c = new Consumer(name, now);
        consumers.put(name, c);
        return c;
    }

    /** streamDelConsumer: removes the consumer and drops its pending entries from the group's PEL too. */
    public void deleteConsumer(Consumer c) {
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(c.name);
    }

    /** Drops a pending entry from both PELs (XACK, or an entry found deleted from the stream). */
    public void removePending(StreamId id, Nack nack) {
        pel.remove(id);
        if (nack.consumer != null) {
            nack.consumer.pel.remove(id);
        }
    }

    /** Moves a pending entry to {@code to}'s PEL (XCLAIM, XAUTOCLAIM, or a new delivery of it). */
    public void assign(StreamId id, Nack nack, Consumer to) {
        if (nack.consumer != to) {
            if (nack.consumer != null) {
                nack.consumer.pel.remove(id);
            }
            to.pel.put(id, nack);
            nack.consumer = to;
        }
    }
}
