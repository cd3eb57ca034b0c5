package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * What the stream commands share (t_stream.c's helpers): parsing IDs as clients write them, replying
 * entries, delivering entries to a consumer group with its pending entries, and the commands that
 * describe those deliveries to replicas.
 */
final class Streams {
    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    /** IDs longer than this are refused (streamGenericParseIDOrReply's 128-byte buffer). */
    private static final int MAX_ID_LENGTH = 127;

    private Streams() {
    }

    static StreamValue asStream(RedisObject o) {
        if (o == null || o instanceof StreamValue) {
            return (StreamValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    // ---------------------------------------------------------------------------------------------------------
    // IDs
    // ---------------------------------------------------------------------------------------------------------

    /** An ID as parsed, with whether its sequence was given (false for XADD's "ms-*"). */
    record ParsedId(StreamId id, boolean seqGiven) {
    }

    /**
     * streamGenericParseIDOrReply: "-" and "+" (unless {@code strict}), "ms-seq", "ms" (sequence
     * {@code missingSeq}) and, with {@code allowSeqWildcard}, "ms-*". The argument is read as the C string
     * Redis copies it into, so it ends at a NUL byte. Null when it is none of these.
     */
    static ParsedId parseId(byte[] arg, long missingSeq, boolean strict, boolean allowSeqWildcard) {
        if (arg.length > MAX_ID_LENGTH) {
            return null;
        }
        String s = cString(arg);
        if (s.equals("-") || s.equals("+")) {
            if (strict) {
                return null;
            }
            return new ParsedId(s.equals("-") ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = s.indexOf('-');
        Long ms = parseUnsigned(dash < 0 ? s : s.substring(0, dash));
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new ParsedId(new StreamId(ms, missingSeq), true);
        }
        String seqText = s.substring(dash + 1);
        if (allowSeqWildcard && seqText.equals("*")) {
            return new ParsedId(new StreamId(ms, 0), false);
        }
        Long seq = parseUnsigned(seqText);
        return seq == null ? null : new ParsedId(new StreamId(ms, seq), true);
    }

    /** The bytes up to the first NUL, one char per byte. */
    private static String cString(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * string2ull: a canonical non-negative integer, or else what C's strtoull reads when it consumes the
     * whole string: leading white space, an optional sign (a minus negates modulo 2^64), decimal digits, no
     * overflow past 2^64 - 1. Null otherwise.
     */
    static Long parseUnsigned(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (RedisNumbers.isLong(b)) {
            long v = RedisNumbers.parseLong(b);
            return v < 0 ? null : v;
        }
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) {
            return null;
        }
        long v = 0;
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return null;
            }
            int digit = ch - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long next = v * 10 + digit;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return null;
            }
            v = next;
        }
        return negative ? -v : v;
    }

    /** streamParseIDOrReply: "-", "+" or an explicit ID; else INVALID_ID. */
    static StreamId idOrError(byte[] arg, long missingSeq) {
        ParsedId id = parseId(arg, missingSeq, false, false);
        if (id == null) {
            throw new CommandError(INVALID_ID);
        }
        return id.id();
    }

    /** streamParseStrictIDOrReply: an explicit ID ("-" and "+" refused); else INVALID_ID. */
    static StreamId strictIdOrError(byte[] arg, long missingSeq) {
        ParsedId id = parseId(arg, missingSeq, true, false);
        if (id == null) {
            throw new CommandError(INVALID_ID);
        }
        return id.id();
    }

    /**
     * The start of a range (XRANGE, XPENDING, XAUTOCLAIM): an ID whose missing sequence is 0, or with "(" the
     * next ID after it ("(" excludes "-" and "+").
     */
    static StreamId rangeStart(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = strictIdOrError(java.util.Arrays.copyOfRange(arg, 1, arg.length), 0).next();
            if (id == null) {
                throw new CommandError("ERR invalid start ID for the interval");
            }
            return id;
        }
        return idOrError(arg, 0);
    }

    /** The end of a range: an ID whose missing sequence is the largest, or with "(" the ID before it. */
    static StreamId rangeEnd(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = strictIdOrError(java.util.Arrays.copyOfRange(arg, 1, arg.length), -1L).previous();
            if (id == null) {
                throw new CommandError("ERR invalid end ID for the interval");
            }
            return id;
        }
        return idOrError(arg, -1L);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Replies
    // ---------------------------------------------------------------------------------------------------------

    /** An entry as stream replies show it: [id, [field, value, ...]]. */
    static void entry(RespWriter r, StreamValue.Entry e) {
        r.array(2);
        r.bulk(e.id().toBytes());
        r.array(e.fieldsAndValues().length);
        for (byte[] part : e.fieldsAndValues()) {
            r.bulk(part);
        }
    }

    /** Up to {@code count} (0: all) live entries from {@code start} to {@code end}, in order or reversed. */
    static List<StreamValue.Entry> collect(StreamValue s, StreamId start, StreamId end, boolean rev, long count) {
        List<StreamValue.Entry> out = new ArrayList<>();
        s.range(start, end, rev, e -> {
            out.add(e);
            return count == 0 || out.size() < count;
        });
        return out;
    }

    /**
     * An error reply quoting client bytes as C's %s does (up to the first NUL): the parts are Strings,
     * written as they are, or byte arrays. Written directly, as CommandError carries text only.
     */
    static void error(Client c, Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof byte[] bytes ? bytes : ((String) part).getBytes(US_ASCII);
            int n = 0;
            while (part instanceof byte[] && n < b.length && b[n] != 0) {
                n++;
            }
            out.write(b, 0, part instanceof byte[] ? n : b.length);
        }
        c.reply().error(out.toByteArray());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Consumer group delivery (streamReplyWithRange with a group)
    // ---------------------------------------------------------------------------------------------------------

    /** What a read in a consumer group needs: the key and group name (for propagation), group, consumer. */
    record GroupRead(byte[] key, byte[] groupName, StreamGroup group, StreamGroup.Consumer consumer, boolean noack) {
    }

    /**
     * Replies the entries from {@code start} on (up to {@code count}, 0 for all) as a group delivery: each
     * entry past the group's last delivered ID advances it and the read counter; unless NOACK, each entry
     * enters the PEL of the group and the consumer (taken over from another consumer if it was pending
     * there) and goes to replicas as an XCLAIM; with NOACK, the group's new last ID goes as XGROUP SETID.
     * Returns how many entries were replied.
     */
    static int deliver(Client c, StreamValue s, StreamId start, long count, GroupRead read) {
        List<StreamValue.Entry> entries = collect(s, start, StreamId.MAX, false, count);
        StreamGroup group = read.group();
        long now = c.node().now();
        boolean propagateLastId = false;
        RespWriter r = c.reply();
        r.array(entries.size());
        for (StreamValue.Entry e : entries) {
            if (e.id().compareTo(group.lastId()) > 0) {
                if (group.entriesRead() != StreamGroup.INVALID_ENTRIES_READ && !s.rangeHasTombstones(e.id(), null)) {
                    group.setEntriesRead(group.entriesRead() + 1);
                } else if (s.entriesAdded() != 0) {
                    group.setEntriesRead(s.estimateDistanceFromFirstEverEntry(e.id()));
                }
                group.setLastId(e.id());
                propagateLastId |= read.noack();
            }
            entry(r, e);
            if (!read.noack()) {
                StreamGroup.Nack nack = group.pel().get(e.id());
                if (nack == null) {
                    nack = new StreamGroup.Nack(now, 1, null);
                    group.pel().put(e.id(), nack);
                } else {
                    nack.setDeliveryTime(now);
                    nack.setDeliveryCount(1);
                }
                group.assign(e.id(), nack, read.consumer());
                propagateClaim(c, read.key(), read.groupName(), group, e.id().toBytes(), nack);
            }
        }
        if (propagateLastId) {
            propagateGroupId(c, read.key(), read.groupName(), group);
        }
        return entries.size();
    }

    /**
     * streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from {@code start} (up to
     * {@code count}, 0 for all): each still in the stream is replied and counted as delivered again; one
     * deleted meanwhile is replied as [id, nil].
     */
    static void deliverHistory(Client c, StreamValue s, StreamId start, long count, StreamGroup.Consumer consumer) {
        long now = c.node().now();
        List<Map.Entry<StreamId, StreamGroup.Nack>> pending = new ArrayList<>();
        for (Map.Entry<StreamId, StreamGroup.Nack> p : consumer.pel().tailMap(start, true).entrySet()) {
            if (count != 0 && pending.size() >= count) {
                break;
            }
            pending.add(p);
        }
        RespWriter r = c.reply();
        r.array(pending.size());
        for (Map.Entry<StreamId, StreamGroup.Nack> p : pending) {
            StreamValue.Entry e = s.get(p.getKey());
            if (e == null) {
                r.array(2);
                r.bulk(p.getKey().toBytes());
                r.nullArray();
            } else {
                entry(r, e);
                p.getValue().setDeliveryTime(now);
                p.getValue().setDeliveryCount(p.getValue().deliveryCount() + 1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Propagation
    // ---------------------------------------------------------------------------------------------------------

    /**
     * streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID id, which
     * recreates this pending entry on a replica whatever it has (idempotent), and moves the group's last ID.
     */
    static void propagateClaim(Client c, byte[] key, byte[] groupName, StreamGroup group, byte[] idArg,
            StreamGroup.Nack nack) {
        c.node().replication().stream().alsoPropagate(new byte[][] {bytes("XCLAIM"), key, groupName,
            nack.consumer().name(), bytes("0"), idArg, bytes("TIME"), RedisNumbers.toBytes(nack.deliveryTime()),
            bytes("RETRYCOUNT"), RedisNumbers.toBytes(nack.deliveryCount()), bytes("FORCE"), bytes("JUSTID"),
            bytes("LASTID"), group.lastId().toBytes()});
    }

    /** streamPropagateGroupID: XGROUP SETID key group id ENTRIESREAD n. */
    static void propagateGroupId(Client c, byte[] key, byte[] groupName, StreamGroup group) {
        c.node().replication().stream().alsoPropagate(new byte[][] {bytes("XGROUP"), bytes("SETID"), key, groupName,
            group.lastId().toBytes(), bytes("ENTRIESREAD"), RedisNumbers.toBytes(group.entriesRead())});
    }

    /** streamPropagateConsumerCreation: XGROUP CREATECONSUMER key group consumer. */
    static void propagateConsumerCreation(Client c, byte[] key, byte[] groupName, byte[] consumer) {
        c.node().replication().stream().alsoPropagate(new byte[][] {bytes("XGROUP"), bytes("CREATECONSUMER"), key,
            groupName, consumer});
    }
}
