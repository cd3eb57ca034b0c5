package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * XREAD and XREADGROUP (xreadCommand): read new entries from one or more streams (of one slot), or block
 * until some arrive ({@link StreamBlocking}). XREADGROUP reads in a consumer group: "&gt;" delivers entries
 * never delivered to the group, an explicit ID replays the consumer's own pending entries.
 *
 * <p>Neither goes to replicas as it ran: XREADGROUP's effects go as the XCLAIM, XGROUP SETID and XGROUP
 * CREATECONSUMER commands that describe them.
 */
public final class StreamReadCommands {
    /** XREAD_BLOCKED_DEFAULT_COUNT: a blocked read without COUNT is served at most this many entries. */
    static final int BLOCKED_DEFAULT_COUNT = 1000;

    private StreamReadCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("xread", -4, "readonly blocking").acl("stream").keys(StreamReadCommands::streamKeys)
                .handler((c, argv) -> xread(c, argv, false)).build());
        table.add(command("xreadgroup", -7, "write blocking").acl("stream").keys(StreamReadCommands::streamKeys)
                .handler((c, argv) -> xread(c, argv, true)).build());
    }

    /**
     * xreadGetKeys: the keys are the first half of what follows STREAMS, found by skipping the options
     * before it; none when the command is malformed (it then fails without being redirected).
     */
    static int[] streamKeys(byte[][] argv) {
        int streamsPos = -1;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "block") || Args.is(argv[i], "count")) {
                i++;
            } else if (Args.is(argv[i], "group")) {
                i += 2;
            } else if (Args.is(argv[i], "streams")) {
                streamsPos = i;
                break;
            } else if (!Args.is(argv[i], "noack")) {
                break;
            }
        }
        int num = streamsPos == -1 ? 0 : argv.length - streamsPos - 1;
        if (num == 0 || num % 2 != 0) {
            return new int[0];
        }
        int[] keys = new int[num / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = streamsPos + 1 + i;
        }
        return keys;
    }

    /**
     * XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...] and XREADGROUP GROUP group consumer
     * [COUNT n] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]: every stream that has something to
     * give is served now; if none has and BLOCK was given, the client waits; else the reply is a null array.
     */
    private static void xread(Client c, byte[][] argv, boolean group) {
        long timeoutAt = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        byte[] groupName = null;
        byte[] consumerName = null;
        boolean noack = false;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            byte[] o = argv[i];
            if (Args.is(o, "block") && more > 0) {
                timeoutAt = timeout(c, argv[++i]);
            } else if (Args.is(o, "count") && more > 0) {
                count = Math.max(0, Args.integer(argv[++i]));
            } else if (Args.is(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = argv.length - streamsArg;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' "
                            + "must be specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "group") && more >= 2) {
                if (!group) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD "
                            + "instead.");
                }
                groupName = argv[i + 1];
                consumerName = argv[i + 2];
                i += 2;
            } else if (Args.is(o, "noack")) {
                if (!group) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD "
                            + "instead.");
                }
                noack = true;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        if (streamsArg == 0) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        if (group && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        Keyspace ks = c.node().keyspace();
        StreamId[] ids = new StreamId[streams];
        StreamGroup[] groups = new StreamGroup[streams];
        for (int i = 0; i < streams; i++) {
            byte[] key = argv[streamsArg + i];
            byte[] idArg = argv[streamsArg + streams + i];
            StreamValue s = Streams.asStream(ks.lookupRead(key));
            if (groupName != null) {
                groups[i] = s == null ? null : s.group(groupName);
                if (groups[i] == null) {
                    Streams.error(c, "NOGROUP No such key '", key, "' or consumer group '", groupName,
                            "' in XREADGROUP with GROUP option");
                    c.preventCommandPropagation();
                    return;
                }
            }
            if (StreamGroupCommands.isDollar(idArg)) {
                if (group) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to "
                            + "read the history of this consumer by specifying a proper ID, or use the > ID to get new "
                            + "messages. The $ ID would just return an empty result set.");
                }
                ids[i] = s == null ? StreamId.MIN : s.lastId();
            } else if (isGreaterThan(idArg)) {
                if (!group) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the "
                            + "GROUP <group> <consumer> option.");
                }
                ids[i] = StreamId.MAX;
            } else {
                ids[i] = Streams.strictIdOrError(idArg, 0);
            }
        }
        c.preventCommandPropagation();
        if (serveNow(c, argv, streamsArg, streams, ids, groups, groupName, consumerName, count, noack)) {
            return;
        }
        // A client that may not block (inside MULTI, a script, our master's link) is answered as if its
        // BLOCK timed out at once.
        if (timeoutAt != -1 && !c.isDenyBlocking()) {
            StreamBlocking.block(c, argv, streamsArg, streams, ids, timeoutAt,
                    count != 0 ? count : BLOCKED_DEFAULT_COUNT, groupName, consumerName, noack);
            return;
        }
        c.reply().nullArray();
    }

    /** ">" as C's strcmp sees it. */
    private static boolean isGreaterThan(byte[] arg) {
        return arg.length >= 1 && arg[0] == '>' && (arg.length == 1 || arg[1] == 0);
    }

    /**
     * getTimeoutFromObjectOrReply in milliseconds: a non-negative integer, 0 meaning forever (returned as 0),
     * else an absolute time.
     */
    private static long timeout(Client c, byte[] arg) {
        if (!RedisNumbers.isLong(arg)) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        long ms = RedisNumbers.parseLong(arg);
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return ms > 0 ? ms + c.node().now() : 0;
    }

    /**
     * The synchronous part of xreadCommand: serves each stream that has entries past its ID (for a group
     * with "&gt;", past the group's last delivered ID; with an explicit ID, the consumer's history, always).
     * Returns whether anything was served; the reply is then written.
     */
    private static boolean serveNow(Client c, byte[][] argv, int streamsArg, int streams, StreamId[] ids,
            StreamGroup[] groups, byte[] groupName, byte[] consumerName, long count, boolean noack) {
        Keyspace ks = c.node().keyspace();
        int served = 0;
        boolean[] serve = new boolean[streams];
        StreamId[] from = ids.clone();
        for (int i = 0; i < streams; i++) {
            StreamValue s = Streams.asStream(ks.lookupRead(argv[streamsArg + i]));
            if (s == null) {
                continue;
            }
            if (groupName != null) {
                if (!from[i].equals(StreamId.MAX)) {
                    serve[i] = true;
                } else if (s.length() > 0 && s.lastValidId().compareTo(groups[i].lastId()) > 0) {
                    serve[i] = true;
                    from[i] = groups[i].lastId();
                }
            } else if (s.length() > 0 && s.lastValidId().compareTo(from[i]) > 0) {
                serve[i] = true;
            }
            if (serve[i]) {
                served++;
            }
        }
        if (served == 0) {
            return false;
        }
        RespWriter r = c.reply();
        if (r.protocol() == 2) {
            r.array(served);
        } else {
            r.map(served);
        }
        for (int i = 0; i < streams; i++) {
            if (!serve[i]) {
                continue;
            }
            byte[] key = argv[streamsArg + i];
            StreamValue s = (StreamValue) ks.lookupRead(key);
            StreamId start = from[i].next();
            if (start == null) {
                start = StreamId.MIN;
            }
            if (r.protocol() == 2) {
                r.array(2);
            }
            r.bulk(key);
            if (groupName == null) {
                java.util.List<StreamValue.Entry> entries = Streams.collect(s, start, StreamId.MAX, false, count);
                r.array(entries.size());
                for (StreamValue.Entry e : entries) {
                    Streams.entry(r, e);
                }
                continue;
            }
            StreamGroup.Consumer consumer = consumer(c, key, groupName, groups[i], consumerName, noack);
            if (!ids[i].equals(StreamId.MAX)) {
                Streams.deliverHistory(c, s, start, count, consumer);
            } else {
                Streams.deliver(c, s, start, count, new Streams.GroupRead(key, groupName, groups[i], consumer, noack));
            }
            ks.valueChangedInPlace(key);
        }
        return true;
    }

    /**
     * The consumer a group read is for, looked up (refreshing its seen time) or created; a consumer created by
     * a NOACK read goes to replicas as XGROUP CREATECONSUMER, as no XCLAIM will create it there.
     */
    static StreamGroup.Consumer consumer(Client c, byte[] key, byte[] groupName, StreamGroup group, byte[] name,
            boolean noack) {
        StreamGroup.Consumer consumer = group.consumer(name);
        long now = c.node().now();
        if (consumer != null) {
            consumer.setSeenTime(now);
            return consumer;
        }
        consumer = StreamGroupCommands.createConsumer(c, key, group, name, now);
        if (noack) {
            Streams.propagateConsumerCreation(c, key, groupName, name);
        }
        return consumer;
    }
}
