package dev.clusteremu.server.persistence;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.keyspace.HashValue;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ListValue;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.keyspace.ZSetValue;
import dev.clusteremu.server.resp.RedisNumbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The dataset as the commands that rebuild it (aof.c's rewriteAppendOnlyFileRio): the base file of an
 * append only directory when aof-use-rdb-preamble is off. SELECT 0, then per key SET, RPUSH, SADD, ZADD
 * or HMSET with at most 64 elements per command, or for a stream XADD per entry (XADD MAXLEN 0 for an
 * empty one), XSETID, XGROUP CREATE per group and XCLAIM per pending entry (XGROUP CREATECONSUMER for a
 * consumer with none); then PEXPIREAT for a key with an expire. Elements come in the value's iteration
 * order, as Redis writes them from its own.
 */
final class AofCommandLog {
    /** AOF_REWRITE_ITEMS_PER_CMD. */
    private static final int ITEMS_PER_COMMAND = 64;
    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteBuf out;

    private AofCommandLog(ByteBuf out) {
        this.out = out;
    }

    /**
     * The commands for {@code functionLibraries} (a FUNCTION LOAD each, rewriteFunctions) and
     * {@code keyspace}, after a "#TS:&lt;unix time&gt;" annotation when {@code timestampSeconds} is not
     * negative (aof-timestamp-enabled).
     */
    static ByteBuf rewrite(Keyspace keyspace, List<byte[]> functionLibraries, long timestampSeconds) {
        AofCommandLog log = new AofCommandLog(ByteBufAllocator.DEFAULT.buffer());
        if (timestampSeconds >= 0) {
            log.out.writeCharSequence("#TS:" + timestampSeconds + "\r\n", StandardCharsets.US_ASCII);
        }
        for (byte[] code : functionLibraries) {
            log.command(3);
            log.bulk("FUNCTION");
            log.bulk("LOAD");
            log.bulk(code);
        }
        if (keyspace.size() > 0) {
            log.command(2);
            log.bulk("SELECT");
            log.bulk("0");
            keyspace.forEachEntry(log::key);
        }
        return log.out;
    }

    private void key(byte[] key, RedisObject value, long expireAtMs) {
        switch (value.type()) {
            case STRING -> {
                command(3);
                bulk("SET");
                bulk(key);
                bulk(((StringValue) value).bytes());
            }
            case LIST -> list(key, (ListValue) value);
            case SET -> set(key, (SetValue) value);
            case ZSET -> zset(key, (ZSetValue) value);
            case HASH -> hash(key, (HashValue) value);
            case STREAM -> stream(key, (StreamValue) value);
        }
        if (expireAtMs != -1) {
            command(3);
            bulk("PEXPIREAT");
            bulk(key);
            bulk(Long.toString(expireAtMs));
        }
    }

    /** Batches of RPUSH, head to tail. */
    private void list(byte[] key, ListValue l) {
        Batches batches = new Batches("RPUSH", key, l.length(), 1);
        l.forEachNode((plain, entries) -> {
            for (byte[] e : entries) {
                batches.next();
                bulk(e);
            }
        });
    }

    /** Batches of SADD, in the set's iteration order. */
    private void set(byte[] key, SetValue s) {
        Batches batches = new Batches("SADD", key, s.size(), 1);
        for (int i = 0; i < s.size(); i++) {
            batches.next();
            bulk(s.memberAt(i));
        }
    }

    /** Batches of ZADD score member, scores as "%.17g". */
    private void zset(byte[] key, ZSetValue z) {
        Batches batches = new Batches("ZADD", key, z.length(), 2);
        z.forEachAscending((member, score) -> {
            batches.next();
            bulk(RedisNumbers.formatG17(score));
            bulk(member);
        });
    }

    /** Batches of HMSET field value. */
    private void hash(byte[] key, HashValue h) {
        Batches batches = new Batches("HMSET", key, h.size(), 2);
        h.forEach((field, value) -> {
            batches.next();
            bulk(field);
            bulk(value);
        });
    }

    /**
     * rewriteStreamObject: the entries, the stream's last ID, entries added and max deleted ID, then each
     * group (by name) with its last delivered ID and entries read, and each consumer (by name) with its
     * pending entries as forced XCLAIMs keeping their delivery time and count.
     */
    private void stream(byte[] key, StreamValue s) {
        if (s.length() > 0) {
            s.range(StreamId.MIN, StreamId.MAX, false, entry -> {
                byte[][] fv = entry.fieldsAndValues();
                command(3 + fv.length);
                bulk("XADD");
                bulk(key);
                bulk(entry.id().toBytes());
                for (byte[] b : fv) {
                    bulk(b);
                }
                return true;
            });
        } else {
            command(7);
            bulk("XADD");
            bulk(key);
            bulk("MAXLEN");
            bulk("0");
            bulk("0-1");
            bulk("x");
            bulk("y");
        }
        command(7);
        bulk("XSETID");
        bulk(key);
        bulk(s.lastId().toBytes());
        bulk("ENTRIESADDED");
        bulk(Long.toString(s.entriesAdded()));
        bulk("MAXDELETEDID");
        bulk(s.maxDeletedEntryId().toBytes());
        for (Map.Entry<byte[], StreamGroup> g : s.groups().entrySet()) {
            StreamGroup group = g.getValue();
            command(7);
            bulk("XGROUP");
            bulk("CREATE");
            bulk(key);
            bulk(g.getKey());
            bulk(group.lastId().toBytes());
            bulk("ENTRIESREAD");
            bulk(Long.toString(group.entriesRead()));
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                if (consumer.pel().isEmpty()) {
                    command(5);
                    bulk("XGROUP");
                    bulk("CREATECONSUMER");
                    bulk(key);
                    bulk(g.getKey());
                    bulk(consumer.name());
                    continue;
                }
                for (Map.Entry<StreamId, StreamGroup.Nack> p : consumer.pel().entrySet()) {
                    command(12);
                    bulk("XCLAIM");
                    bulk(key);
                    bulk(g.getKey());
                    bulk(consumer.name());
                    bulk("0");
                    bulk(p.getKey().toBytes());
                    bulk("TIME");
                    bulk(Long.toString(p.getValue().deliveryTime()));
                    bulk("RETRYCOUNT");
                    bulk(Long.toString(p.getValue().deliveryCount()));
                    bulk("JUSTID");
                    bulk("FORCE");
                }
            }
        }
    }

    /**
     * Starts a new command every {@value #ITEMS_PER_COMMAND} items, each sized for the items left:
     * "*&lt;2 + items x width&gt;", the command name and the key.
     */
    private final class Batches {
        private final String name;
        private final byte[] key;
        private final int width;
        private long left;
        private int inCommand;

        Batches(String name, byte[] key, long items, int width) {
            this.name = name;
            this.key = key;
            this.left = items;
            this.width = width;
        }

        /** Call before each item: writes the command's header when a new one starts. */
        void next() {
            if (inCommand == 0) {
                long items = Math.min(left, ITEMS_PER_COMMAND);
                command(2 + items * width);
                bulk(name);
                bulk(key);
            }
            inCommand = (inCommand + 1) % ITEMS_PER_COMMAND;
            left--;
        }
    }

    private void command(long argc) {
        out.writeCharSequence("*" + argc + "\r\n", StandardCharsets.US_ASCII);
    }

    private void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void bulk(byte[] b) {
        out.writeCharSequence("$" + b.length + "\r\n", StandardCharsets.US_ASCII);
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }
}
