package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static dev.clusteremu.server.commands.Streams.bytes;

import java.util.List;
import java.util.Map;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ObjectType;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The stream commands that add, read, trim and describe entries (t_stream.c): XADD, XRANGE, XREVRANGE,
 * XLEN, XDEL, XTRIM, XSETID and XINFO. Consumer groups are in {@link StreamGroupCommands}, XREAD and
 * XREADGROUP in {@link StreamReadCommands}.
 *
 * <p>Replication: XADD goes to replicas with the ID it generated in place of "*" or "ms-*", and an
 * approximate trim ("~") as the exact one it turned out to be ("=" and the resulting length or first ID),
 * so that replicas end with the same entries whatever their node layout and clock.
 */
public final class StreamCommands {
    /** STREAM_LISTPACK_MAX_SIZE: an entry larger than this cannot be stored. */
    private static final long LISTPACK_MAX_SIZE = 1L << 30;
    private static final List<String> XINFO_HELP = List.of(
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.");

    private StreamCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("xadd", -5, "write denyoom fast").acl("stream").keys(1, 1, 1)
                .tips("nondeterministic_output").handler(StreamCommands::xadd).build());
        table.add(command("xrange", -4, "readonly").acl("stream").keys(1, 1, 1)
                .handler((c, argv) -> xrange(c, argv, false)).build());
        table.add(command("xrevrange", -4, "readonly").acl("stream").keys(1, 1, 1)
                .handler((c, argv) -> xrange(c, argv, true)).build());
        table.add(command("xlen", 2, "readonly fast").acl("stream").keys(1, 1, 1)
                .handler(StreamCommands::xlen).build());
        table.add(command("xdel", -3, "write fast").acl("stream").keys(1, 1, 1)
                .handler(StreamCommands::xdel).build());
        table.add(command("xtrim", -4, "write").acl("stream").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(StreamCommands::xtrim).build());
        table.add(command("xsetid", -3, "write denyoom fast").acl("stream").keys(1, 1, 1)
                .handler(StreamCommands::xsetid).build());
        table.add(command("xinfo", -2, "")
                .sub(command("consumers", 4, "readonly").acl("stream").keys(2, 2, 1).tips("nondeterministic_output")
                        .handler(StreamCommands::xinfo))
                .sub(command("groups", 3, "readonly").acl("stream").keys(2, 2, 1).handler(StreamCommands::xinfo))
                .sub(command("stream", -3, "readonly").acl("stream").keys(2, 2, 1).handler(StreamCommands::xinfo))
                .sub(command("help", 2, "loading stale").acl("stream")
                        .handler((c, argv) -> Replies.help(c, argv, XINFO_HELP)))
                .build());
    }

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    /** notifyKeyspaceEvent of a stream event: Redis's calls are mirrored at the same point relative to each reply. */
    static void notify(Client c, String event, byte[] key) {
        c.node().notifications().notify(KeyspaceEvents.STREAM, event, key);
    }

    static long nodeMaxBytes(Client c) {
        return ((Number) ConfigTable.valueOf(c.node(), "stream-node-max-bytes")).longValue();
    }

    static long nodeMaxEntries(Client c) {
        return ((Number) ConfigTable.valueOf(c.node(), "stream-node-max-entries")).longValue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // XADD and XTRIM options
    // ---------------------------------------------------------------------------------------------------------

    /** streamAddTrimArgs: XADD's and XTRIM's parsed options. */
    private static final class TrimArgs {
        StreamId id;
        boolean idGiven;
        boolean seqGiven = true;
        boolean noMkStream;
        /** 'n' none, 'l' MAXLEN, 'i' MINID. */
        char strategy = 'n';
        /** Where the MAXLEN count or MINID ID is in argv, to rewrite it. */
        int strategyArgIndex;
        boolean approx;
        long limit;
        long maxLen;
        StreamId minId;
        /** XADD: where the ID is. */
        int idIndex;
    }

    /**
     * streamParseAddOrTrimArgsOrReply: [MAXLEN|MINID [=|~] threshold [LIMIT count]] [NOMKSTREAM] and, for
     * XADD, the ID ("*" ends the options at once). An approximate trim without LIMIT is limited to 100
     * times stream-node-max-entries (clamped to 10000 for 0 and to 1000000), as Redis limits it; our
     * master's trims are never limited, as it already rewrote them exact.
     */
    private static TrimArgs parseTrim(Client c, byte[][] argv, boolean xadd) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((Args.is(opt, "maxlen") || Args.is(opt, "minid")) && more > 0) {
                boolean byLength = Args.is(opt, "maxlen");
                if (a.strategy != 'n') {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                if (byLength) {
                    a.maxLen = Args.integer(argv[i + 1]);
                    if (a.maxLen < 0) {
                        throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                    }
                } else {
                    a.minId = Streams.strictIdOrError(argv[i + 1], 0);
                }
                i++;
                a.strategy = byLength ? 'l' : 'i';
                a.strategyArgIndex = i;
            } else if (Args.is(opt, "limit") && more > 0) {
                a.limit = Args.integer(argv[i + 1]);
                if (a.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                Streams.ParsedId id = Streams.parseId(opt, 0, true, true);
                if (id == null) {
                    throw new CommandError(Streams.INVALID_ID);
                }
                a.id = id.id();
                a.seqGiven = id.seqGiven();
                a.idGiven = true;
                break;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        a.idIndex = i;
        if (a.limit != 0 && a.strategy == 'n') {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == 'n') {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (c.isMaster()) {
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            long limit = 100 * nodeMaxEntries(c);
            a.limit = limit <= 0 ? 10000 : Math.min(limit, 1_000_000);
        } else {
            a.limit = 0;
        }
        return a;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        return s.trim(a.strategy == 'l' ? a.maxLen : -1, a.minId, a.approx, a.limit);
    }

    /**
     * After an approximate trim: "~" becomes "=" and the threshold becomes what the trim left (the length,
     * or the first entry's ID, tombstones included), so replicas trim to exactly the same entries.
     */
    private static void rewriteApproxTrim(byte[][] argv, StreamValue s, TrimArgs a) {
        argv[a.strategyArgIndex - 1] = bytes("=");
        argv[a.strategyArgIndex] = a.strategy == 'l'
                ? RedisNumbers.toBytes(s.length())
                : s.edgeId(true, false).toBytes();
    }

    // ---------------------------------------------------------------------------------------------------------
    // XADD
    // ---------------------------------------------------------------------------------------------------------

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]. */
    private static void xadd(Client c, byte[][] argv) {
        TrimArgs a = parseTrim(c, argv, true);
        int fieldPos = a.idIndex + 1;
        if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'xadd' command");
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupWrite(argv[1]));
        if (s == null) {
            if (a.noMkStream) {
                c.reply().nullBulk();
                return;
            }
            s = new StreamValue();
            ks.setKey(argv[1], s, false);
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        if (a.idGiven && !a.seqGiven && s.sequenceExhausted(a.id)) {
            throw new CommandError("ERR Elements are too large to be stored");
        }
        StreamId id = s.nextId(a.idGiven ? a.id : null, a.seqGiven, c.node().now());
        if (id == null) {
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        long total = 0;
        for (int j = fieldPos; j < argv.length; j++) {
            total += argv[j].length;
        }
        if (total > LISTPACK_MAX_SIZE) {
            throw new CommandError("ERR Elements are too large to be stored");
        }
        s.append(id, argv, fieldPos, nodeMaxBytes(c), nodeMaxEntries(c));
        c.reply().bulk(id.toBytes());
        ks.valueChangedInPlace(argv[1]);
        notify(c, "xadd", argv[1]);
        byte[][] propagated = argv.clone();
        if (a.strategy != 'n') {
            if (trim(s, a) > 0) {
                notify(c, "xtrim", argv[1]);
            }
            if (a.approx) {
                rewriteApproxTrim(propagated, s, a);
            }
        }
        if (!a.idGiven || !a.seqGiven) {
            propagated[a.idIndex] = id.toBytes();
        }
        c.rewriteCommandVector(propagated);
        c.node().blockedClients().signalKeyAsReady(argv[1], ObjectType.STREAM);
    }

    // ---------------------------------------------------------------------------------------------------------
    // XRANGE, XREVRANGE, XLEN
    // ---------------------------------------------------------------------------------------------------------

    /**
     * XRANGE key start end [COUNT n] and XREVRANGE key end start [COUNT n]: "-" and "+" are the extremes,
     * "(" excludes an ID, a missing sequence is 0 at the start and the largest at the end. COUNT 0 (or
     * negative) answers a null array.
     */
    private static void xrange(Client c, byte[][] argv, boolean rev) {
        StreamId start = Streams.rangeStart(rev ? argv[3] : argv[2]);
        StreamId end = Streams.rangeEnd(rev ? argv[2] : argv[3]);
        long count = -1;
        for (int j = 4; j < argv.length; j++) {
            if (Args.is(argv[j], "count") && j + 1 < argv.length) {
                count = Math.max(0, Args.integer(argv[++j]));
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        StreamValue s = Streams.asStream(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        if (s == null) {
            r.array(0);
        } else if (count == 0) {
            r.nullArray();
        } else {
            List<StreamValue.Entry> entries = Streams.collect(s, start, end, rev, Math.max(count, 0));
            r.array(entries.size());
            for (StreamValue.Entry e : entries) {
                Streams.entry(r, e);
            }
        }
    }

    private static void xlen(Client c, byte[][] argv) {
        StreamValue s = Streams.asStream(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(s == null ? 0 : s.length());
    }

    // ---------------------------------------------------------------------------------------------------------
    // XDEL, XTRIM, XSETID
    // ---------------------------------------------------------------------------------------------------------

    /** XDEL key id [id ...]: every ID is checked before any entry goes; replies how many went. */
    private static void xdel(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupWrite(argv[1]));
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[argv.length - 2];
        for (int j = 2; j < argv.length; j++) {
            ids[j - 2] = Streams.strictIdOrError(argv[j], 0);
        }
        int deleted = 0;
        boolean firstDeleted = false;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                firstDeleted |= id.equals(s.firstId());
                s.noteDeleted(id);
                deleted++;
            }
        }
        if (deleted > 0) {
            if (s.length() == 0 || firstDeleted) {
                s.refreshFirstId();
            }
            ks.valueChangedInPlace(argv[1]);
            notify(c, "xdel", argv[1]);
        }
        c.reply().integer(deleted);
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: replies how many entries went. */
    private static void xtrim(Client c, byte[][] argv) {
        TrimArgs a = parseTrim(c, argv, false);
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupWrite(argv[1]));
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = trim(s, a);
        if (deleted > 0) {
            notify(c, "xtrim", argv[1]);
            if (a.approx) {
                byte[][] propagated = argv.clone();
                rewriteApproxTrim(propagated, s, a);
                c.rewriteCommandVector(propagated);
            }
            ks.valueChangedInPlace(argv[1]);
        }
        c.reply().integer(deleted);
    }

    /**
     * XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]: the last ID may not go below the last entry, nor
     * the added count below the length, nor the largest deleted ID above the last ID.
     */
    private static void xsetid(Client c, byte[][] argv) {
        StreamId id = Streams.strictIdOrError(argv[2], 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < argv.length; i += 2) {
            boolean more = i < argv.length - 1;
            if (Args.is(argv[i], "entriesadded") && more) {
                entriesAdded = Args.integer(argv[i + 1]);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
            } else if (Args.is(argv[i], "maxdeletedid") && more) {
                maxDeleted = Streams.strictIdOrError(argv[i + 1], 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError(
                            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupWrite(argv[1]));
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError(
                        "ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) {
            s.setEntriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            s.setMaxDeletedEntryId(maxDeleted);
        }
        ks.valueChangedInPlace(argv[1]);
        c.reply().ok();
        notify(c, "xsetid", argv[1]);
    }

    // ---------------------------------------------------------------------------------------------------------
    // XINFO
    // ---------------------------------------------------------------------------------------------------------

    /** XINFO CONSUMERS key group | GROUPS key | STREAM key [FULL [COUNT n]]. */
    private static void xinfo(Client c, byte[][] argv) {
        StreamValue s = Streams.asStream(keyspace(c).lookupRead(argv[2]));
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        if (Args.is(argv[1], "consumers")) {
            StreamGroup g = s.group(argv[3]);
            if (g == null) {
                Streams.error(c, "NOGROUP No such consumer group '", argv[3], "' for key name '", argv[2], "'");
                return;
            }
            infoConsumers(c, g);
        } else if (Args.is(argv[1], "groups")) {
            infoGroups(c, s);
        } else {
            infoStream(c, argv, s);
        }
    }

    private static void infoConsumers(Client c, StreamGroup g) {
        long now = c.node().now();
        RespWriter r = c.reply();
        r.array(g.consumers().size());
        for (StreamGroup.Consumer consumer : g.consumers().values()) {
            r.map(3);
            r.bulk("name").bulk(consumer.name());
            r.bulk("pending").integer(consumer.pel().size());
            r.bulk("idle").integer(Math.max(0, now - consumer.seenTime()));
        }
    }

    private static void infoGroups(Client c, StreamValue s) {
        RespWriter r = c.reply();
        r.array(s.groups().size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups().entrySet()) {
            StreamGroup g = e.getValue();
            r.map(6);
            r.bulk("name").bulk(e.getKey());
            r.bulk("consumers").integer(g.consumers().size());
            r.bulk("pending").integer(g.pel().size());
            r.bulk("last-delivered-id").bulk(g.lastId().toBytes());
            r.bulk("entries-read");
            integerOrNull(r, g.entriesRead() == StreamGroup.INVALID_ENTRIES_READ ? null : g.entriesRead());
            r.bulk("lag");
            integerOrNull(r, s.lag(g));
        }
    }

    private static void integerOrNull(RespWriter r, Long v) {
        if (v == null) {
            r.nullBulk();
        } else {
            r.integer(v);
        }
    }

    /**
     * XINFO STREAM key [FULL [COUNT n]]: the summary with the first and last entries, or with FULL the
     * entries (COUNT of them, default 10, 0 for all) and every group with its PEL and consumers.
     */
    private static void infoStream(Client c, byte[][] argv, StreamValue s) {
        int options = argv.length - 3;
        boolean full = options > 0;
        long count = 10;
        if (full) {
            if ((options != 1 && options != 3) || !Args.is(argv[3], "full")) {
                throw Replies.subcommandSyntaxError(argv);
            }
            if (options == 3) {
                if (!Args.is(argv[4], "count")) {
                    throw Replies.subcommandSyntaxError(argv);
                }
                count = Args.integer(argv[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        RespWriter r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length").integer(s.length());
        r.bulk("radix-tree-keys").integer(s.nodeCount());
        r.bulk("radix-tree-nodes").integer(s.radixTreeNodes());
        r.bulk("last-generated-id").bulk(s.lastId().toBytes());
        r.bulk("max-deleted-entry-id").bulk(s.maxDeletedEntryId().toBytes());
        r.bulk("entries-added").integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id").bulk(s.firstId().toBytes());
        if (!full) {
            r.bulk("groups").integer(s.groups().size());
            r.bulk("first-entry");
            edgeEntry(r, s, false);
            r.bulk("last-entry");
            edgeEntry(r, s, true);
            return;
        }
        r.bulk("entries");
        List<StreamValue.Entry> entries = Streams.collect(s, StreamId.MIN, StreamId.MAX, false, count);
        r.array(entries.size());
        for (StreamValue.Entry e : entries) {
            Streams.entry(r, e);
        }
        r.bulk("groups");
        r.array(s.groups().size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups().entrySet()) {
            fullGroup(r, s, e.getKey(), e.getValue(), count);
        }
    }

    private static void edgeEntry(RespWriter r, StreamValue s, boolean last) {
        List<StreamValue.Entry> edge = Streams.collect(s, StreamId.MIN, StreamId.MAX, last, 1);
        if (edge.isEmpty()) {
            r.nullBulk();
        } else {
            Streams.entry(r, edge.get(0));
        }
    }

    private static void fullGroup(RespWriter r, StreamValue s, byte[] name, StreamGroup g, long count) {
        r.map(7);
        r.bulk("name").bulk(name);
        r.bulk("last-delivered-id").bulk(g.lastId().toBytes());
        r.bulk("entries-read");
        integerOrNull(r, g.entriesRead() == StreamGroup.INVALID_ENTRIES_READ ? null : g.entriesRead());
        r.bulk("lag");
        integerOrNull(r, s.lag(g));
        r.bulk("pel-count").integer(g.pel().size());
        r.bulk("pending");
        int shown = (int) (count == 0 ? g.pel().size() : Math.min(count, g.pel().size()));
        r.array(shown);
        int n = 0;
        for (Map.Entry<StreamId, StreamGroup.Nack> p : g.pel().entrySet()) {
            if (n++ == shown) {
                break;
            }
            r.array(4);
            r.bulk(p.getKey().toBytes());
            r.bulk(p.getValue().consumer().name());
            r.integer(p.getValue().deliveryTime());
            r.integer(p.getValue().deliveryCount());
        }
        r.bulk("consumers");
        r.array(g.consumers().size());
        for (StreamGroup.Consumer consumer : g.consumers().values()) {
            r.map(4);
            r.bulk("name").bulk(consumer.name());
            r.bulk("seen-time").integer(consumer.seenTime());
            r.bulk("pel-count").integer(consumer.pel().size());
            r.bulk("pending");
            int cshown = (int) (count == 0 ? consumer.pel().size() : Math.min(count, consumer.pel().size()));
            r.array(cshown);
            int k = 0;
            for (Map.Entry<StreamId, StreamGroup.Nack> p : consumer.pel().entrySet()) {
                if (k++ == cshown) {
                    break;
                }
                r.array(3);
                r.bulk(p.getKey().toBytes());
                r.integer(p.getValue().deliveryTime());
                r.integer(p.getValue().deliveryCount());
            }
        }
    }
}
