package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ObjectType;
import dev.clusteremu.server.keyspace.StreamGroup;
import dev.clusteremu.server.keyspace.StreamId;
import dev.clusteremu.server.keyspace.StreamValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The consumer group commands of t_stream.c: XGROUP, XACK, XPENDING, XCLAIM and XAUTOCLAIM.
 *
 * <p>Replication: XCLAIM and XAUTOCLAIM never go to replicas as they ran (the idle times they compare
 * depend on the clock); each pending entry they change goes as an idempotent XCLAIM with an absolute TIME,
 * FORCE, JUSTID and the group's LASTID, and a last ID they moved without claiming goes as XGROUP SETID.
 */
public final class StreamGroupCommands {
    private static final List<String> XGROUP_HELP = List.of(
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.");
    /** XAUTOCLAIM examines at most COUNT times this many pending entries. */
    private static final int ATTEMPTS_FACTOR = 10;
    /** The largest transient allocation that succeeds (see XAUTOCLAIM's COUNT). */
    private static final long TRANSIENT_ALLOCATION_LIMIT = 1L << 46;

    private StreamGroupCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("xgroup", -2, "")
                .sub(command("create", -5, "write denyoom").acl("stream").keys(2, 2, 1)
                        .handler(StreamGroupCommands::xgroup))
                .sub(command("createconsumer", 5, "write denyoom").acl("stream").keys(2, 2, 1)
                        .handler(StreamGroupCommands::xgroup))
                .sub(command("delconsumer", 5, "write").acl("stream").keys(2, 2, 1)
                        .handler(StreamGroupCommands::xgroup))
                .sub(command("destroy", 4, "write").acl("stream").keys(2, 2, 1)
                        .handler(StreamGroupCommands::xgroup))
                .sub(command("setid", -5, "write").acl("stream").keys(2, 2, 1)
                        .handler(StreamGroupCommands::xgroup))
                .sub(command("help", 2, "loading stale").acl("stream")
                        .handler((c, argv) -> Replies.help(c, argv, XGROUP_HELP)))
                .build());
        table.add(command("xack", -4, "write fast").acl("stream").keys(1, 1, 1)
                .handler(StreamGroupCommands::xack).build());
        table.add(command("xpending", -3, "readonly").acl("stream").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(StreamGroupCommands::xpending).build());
        table.add(command("xclaim", -6, "write fast").acl("stream").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(StreamGroupCommands::xclaim).build());
        table.add(command("xautoclaim", -6, "write fast").acl("stream").keys(1, 1, 1)
                .tips("nondeterministic_output").handler(StreamGroupCommands::xautoclaim).build());
    }

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    // ---------------------------------------------------------------------------------------------------------
    // XGROUP
    // ---------------------------------------------------------------------------------------------------------

    /**
     * XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n], SETID key group id|$ [ENTRIESREAD n],
     * DESTROY key group, CREATECONSUMER key group consumer, DELCONSUMER key group consumer: one handler, as
     * in Redis, so options, the key's and the group's existence are checked in the same order for all.
     */
    private static void xgroup(Client c, byte[][] argv) {
        byte[] sub = argv[1];
        boolean create = Args.is(sub, "create");
        boolean setid = Args.is(sub, "setid");
        boolean mkstream = false;
        long entriesRead = StreamGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < argv.length; ) {
            if (create && Args.is(argv[i], "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && Args.is(argv[i], "entriesread") && i + 1 < argv.length) {
                entriesRead = Args.integer(argv[i + 1]);
                if (entriesRead < 0 && entriesRead != StreamGroup.INVALID_ENTRIES_READ) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw Replies.subcommandSyntaxError(argv);
            }
        }
        Keyspace ks = keyspace(c);
        byte[] key = argv[2];
        byte[] name = argv[3];
        StreamValue s = Streams.asStream(ks.lookupWrite(key));
        StreamGroup group = null;
        if (!mkstream) {
            if (s == null) {
                throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE "
                        + "you may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            group = s.group(name);
            if (group == null && (setid || Args.is(sub, "createconsumer") || Args.is(sub, "delconsumer"))) {
                Streams.error(c, "NOGROUP No such consumer group '", name, "' for key name '", key, "'");
                return;
            }
        }
        RespWriter r = c.reply();
        if (create && argv.length <= 8) {
            StreamId id = isDollar(argv[4]) ? (s == null ? StreamId.MIN : s.lastId())
                    : Streams.strictIdOrError(argv[4], 0);
            if (s == null) {
                s = new StreamValue();
                ks.setKey(key, s, false);
            }
            if (s.createGroup(name, id, entriesRead) == null) {
                throw new CommandError("BUSYGROUP Consumer Group name already exists");
            }
            ks.valueChangedInPlace(key);
            r.ok();
            StreamCommands.notify(c, "xgroup-create", key);
        } else if (setid && (argv.length == 5 || argv.length == 7)) {
            StreamId id = isDollar(argv[4]) ? s.lastId() : Streams.idOrError(argv[4], 0);
            group.setLastId(id);
            group.setEntriesRead(entriesRead);
            ks.valueChangedInPlace(key);
            r.ok();
            StreamCommands.notify(c, "xgroup-setid", key);
        } else if (Args.is(sub, "destroy") && argv.length == 4) {
            if (group == null) {
                r.integer(0);
                return;
            }
            s.destroyGroup(name);
            ks.valueChangedInPlace(key);
            r.integer(1);
            StreamCommands.notify(c, "xgroup-destroy", key);
            // Clients blocked in XREADGROUP on this group must learn it is gone.
            c.node().blockedClients().signalKeyAsReady(key, ObjectType.STREAM);
        } else if (Args.is(sub, "createconsumer") && argv.length == 5) {
            boolean created = createConsumer(c, key, group, argv[4], c.node().now()) != null;
            if (created) {
                ks.valueChangedInPlace(key);
            }
            r.integer(created ? 1 : 0);
        } else if (Args.is(sub, "delconsumer") && argv.length == 5) {
            StreamGroup.Consumer consumer = group.consumer(argv[4]);
            long pending = 0;
            if (consumer != null) {
                pending = consumer.pel().size();
                group.deleteConsumer(consumer);
                ks.valueChangedInPlace(key);
                StreamCommands.notify(c, "xgroup-delconsumer", key);
            }
            r.integer(pending);
        } else {
            throw Replies.subcommandSyntaxError(argv);
        }
    }

    /** "$" as C's strcmp sees it: the argument's C string is exactly "$". */
    static boolean isDollar(byte[] arg) {
        return arg.length >= 1 && arg[0] == '$' && (arg.length == 1 || arg[1] == 0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // XACK
    // ---------------------------------------------------------------------------------------------------------

    /** XACK key group id [id ...]: without the key or group nothing is acknowledged, before IDs are read. */
    private static void xack(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupRead(argv[1]));
        StreamGroup group = s == null ? null : s.group(argv[2]);
        if (group == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[argv.length - 3];
        for (int j = 3; j < argv.length; j++) {
            ids[j - 3] = Streams.strictIdOrError(argv[j], 0);
        }
        int acknowledged = 0;
        for (StreamId id : ids) {
            StreamGroup.Nack nack = group.pel().get(id);
            if (nack != null) {
                group.removePending(id, nack);
                acknowledged++;
            }
        }
        if (acknowledged > 0) {
            ks.valueChangedInPlace(argv[1]);
        }
        c.reply().integer(acknowledged);
    }

    // ---------------------------------------------------------------------------------------------------------
    // XPENDING
    // ---------------------------------------------------------------------------------------------------------

    /**
     * XPENDING key group [[IDLE min-idle] start end count [consumer]]: the summary (count, smallest and
     * largest pending ID, pending count per consumer) or the pending entries in a range with their consumer,
     * idle time and delivery count.
     */
    private static void xpending(Client c, byte[][] argv) {
        boolean summary = argv.length == 3;
        if (argv.length != 3 && (argv.length < 6 || argv.length > 9)) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argv.length >= 6) {
            int startIdx = 3;
            if (Args.is(argv[3], "idle")) {
                minIdle = Args.integer(argv[4]);
                if (argv.length < 8) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                startIdx += 2;
            }
            count = Math.max(0, Args.integer(argv[startIdx + 2]));
            start = Streams.rangeStart(argv[startIdx]);
            end = Streams.rangeEnd(argv[startIdx + 1]);
            if (startIdx + 3 < argv.length) {
                consumerName = argv[startIdx + 3];
            }
        }
        StreamValue s = Streams.asStream(keyspace(c).lookupRead(argv[1]));
        StreamGroup group = s == null ? null : s.group(argv[2]);
        if (group == null) {
            Streams.error(c, "NOGROUP No such key '", argv[1], "' or consumer group '", argv[2], "'");
            return;
        }
        RespWriter r = c.reply();
        if (summary) {
            r.array(4);
            r.integer(group.pel().size());
            if (group.pel().isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(group.pel().firstKey().toBytes());
            r.bulk(group.pel().lastKey().toBytes());
            List<StreamGroup.Consumer> withPending = new ArrayList<>();
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                if (!consumer.pel().isEmpty()) {
                    withPending.add(consumer);
                }
            }
            r.array(withPending.size());
            for (StreamGroup.Consumer consumer : withPending) {
                r.array(2);
                r.bulk(consumer.name());
                r.bulk(consumer.pel().size());
            }
            return;
        }
        StreamGroup.Consumer consumer = null;
        if (consumerName != null) {
            consumer = group.consumer(consumerName);
            if (consumer == null) {
                r.array(0);
                return;
            }
        }
        Map<StreamId, StreamGroup.Nack> pel = consumer != null ? consumer.pel() : group.pel();
        long now = c.node().now();
        List<Map.Entry<StreamId, StreamGroup.Nack>> shown = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, StreamGroup.Nack> p
                    : ((java.util.NavigableMap<StreamId, StreamGroup.Nack>) pel).subMap(start, true, end, true).entrySet()) {
                if (shown.size() >= count) {
                    break;
                }
                if (minIdle != 0 && now - p.getValue().deliveryTime() < minIdle) {
                    continue;
                }
                shown.add(p);
            }
        }
        r.array(shown.size());
        for (Map.Entry<StreamId, StreamGroup.Nack> p : shown) {
            r.array(4);
            r.bulk(p.getKey().toBytes());
            r.bulk(p.getValue().consumer().name());
            r.integer(Math.max(0, now - p.getValue().deliveryTime()));
            r.integer(p.getValue().deliveryCount());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // XCLAIM, XAUTOCLAIM
    // ---------------------------------------------------------------------------------------------------------

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID]
     * [LASTID id]: takes over the pending entries idle for at least min-idle-time (FORCE: creates them if
     * the entry exists), creating the consumer on the way. Pending entries whose entry was deleted are
     * dropped. Replies the claimed entries (or their IDs with JUSTID).
     */
    private static void xclaim(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupRead(argv[1]));
        StreamGroup group = s == null ? null : s.group(argv[2]);
        if (group == null) {
            Streams.error(c, "NOGROUP No such key '", argv[1], "' or consumer group '", argv[2], "'");
            return;
        }
        long minIdle = integer(argv[4], "ERR Invalid min-idle-time argument for XCLAIM");
        minIdle = Math.max(0, minIdle);
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argv.length; j++) {
            Streams.ParsedId id = Streams.parseId(argv[j], 0, true, false);
            if (id == null) {
                break;
            }
            ids.add(id.id());
        }
        int lastIdArg = j - 1;
        long now = c.node().now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            byte[] opt = argv[j];
            if (Args.is(opt, "force")) {
                force = true;
            } else if (Args.is(opt, "justid")) {
                justId = true;
            } else if (Args.is(opt, "idle") && more) {
                deliveryTime = now - integer(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(opt, "time") && more) {
                deliveryTime = integer(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Args.is(opt, "retrycount") && more) {
                retryCount = integer(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(opt, "lastid") && more) {
                lastId = Streams.strictIdOrError(argv[++j], 0);
            } else {
                Streams.error(c, "ERR Unrecognized XCLAIM option '", opt, "'");
                return;
            }
        }
        boolean propagateLastId = false;
        if (lastId.compareTo(group.lastId()) > 0) {
            group.setLastId(lastId);
            propagateLastId = true;
        }
        // A bogus time (negative, or in the future) means now: clients may compute it from their own clock.
        if (deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        byte[] key = argv[1];
        byte[] groupName = argv[2];
        StreamGroup.Consumer consumer = null;
        boolean consumerCreated = false;
        List<Object> replies = new ArrayList<>();
        boolean changed = false;
        for (int k = 5; k <= lastIdArg; k++) {
            StreamId id = ids.get(k - 5);
            StreamGroup.Nack nack = group.pel().get(id);
            StreamValue.Entry entry = s.get(id);
            if (entry == null) {
                if (nack != null) {
                    Streams.propagateClaim(c, key, groupName, group, argv[k], nack);
                    propagateLastId = false;
                    changed = true;
                    group.removePending(id, nack);
                }
                continue;
            }
            if (force && nack == null) {
                nack = new StreamGroup.Nack(now, 1, null);
                group.pel().put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer() != null && minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumerCreated = group.consumer(argv[3]) == null;
                consumer = lookupOrCreateConsumer(group, argv[3], now);
            }
            nack.setDeliveryTime(deliveryTime);
            if (retryCount >= 0) {
                nack.setDeliveryCount(retryCount);
            } else if (!justId) {
                nack.setDeliveryCount(nack.deliveryCount() + 1);
            }
            group.assign(id, nack, consumer);
            replies.add(justId ? id : entry);
            Streams.propagateClaim(c, key, groupName, group, argv[k], nack);
            propagateLastId = false;
            changed = true;
        }
        if (propagateLastId) {
            Streams.propagateGroupId(c, key, groupName, group);
            changed = true;
        }
        if (changed || consumer != null) {
            ks.valueChangedInPlace(key);
        }
        writeClaimed(c, c.reply(), replies, key, consumerCreated);
        c.preventCommandPropagation();
    }

    /**
     * The claimed entries, or their IDs alone (JUSTID). A consumer the claim created is published right
     * after the array's length: Redis creates it, before the first claimed entry is written, behind the
     * array's deferred length.
     */
    private static void writeClaimed(Client c, RespWriter r, List<Object> replies, byte[] key,
            boolean consumerCreated) {
        r.array(replies.size());
        if (consumerCreated) {
            StreamCommands.notify(c, "xgroup-createconsumer", key);
        }
        for (Object reply : replies) {
            if (reply instanceof StreamId id) {
                r.bulk(id.toBytes());
            } else {
                Streams.entry(r, (StreamValue.Entry) reply);
            }
        }
    }

    /**
     * streamLookupConsumer (refreshing its seen time) or streamCreateConsumer, for XCLAIM and XAUTOCLAIM,
     * which publish a creation where Redis's reply has it ({@link #writeClaimed}).
     */
    private static StreamGroup.Consumer lookupOrCreateConsumer(StreamGroup group, byte[] name, long now) {
        StreamGroup.Consumer consumer = group.consumer(name);
        if (consumer != null) {
            consumer.setSeenTime(now);
            return consumer;
        }
        return group.createConsumer(name, now);
    }

    /**
     * streamCreateConsumer: a new consumer of the group of the stream at {@code key}, published as
     * "xgroup-createconsumer" (XGROUP CREATECONSUMER, XREADGROUP); null, and nothing published, when the
     * group already has it.
     */
    static StreamGroup.Consumer createConsumer(Client c, byte[] key, StreamGroup group, byte[] name, long now) {
        StreamGroup.Consumer consumer = group.createConsumer(name, now);
        if (consumer != null) {
            StreamCommands.notify(c, "xgroup-createconsumer", key);
        }
        return consumer;
    }

    private static long integer(byte[] arg, String error) {
        if (!RedisNumbers.isLong(arg)) {
            throw new CommandError(error);
        }
        return RedisNumbers.parseLong(arg);
    }

    /**
     * XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]: XCLAIM over the PEL from start,
     * claiming up to COUNT entries (default 100) among at most 10 times as many examined, and dropping those
     * whose entry was deleted. Replies the cursor to continue from (0-0 at the end), the claimed entries,
     * and the IDs dropped.
     */
    private static void xautoclaim(Client c, byte[][] argv) {
        long minIdle = Math.max(0, integer(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = Streams.rangeStart(argv[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "count") && more) {
                long max = Long.MAX_VALUE / Math.max(StreamId.ENCODED_SIZE, ATTEMPTS_FACTOR);
                byte[] arg = argv[++j];
                if (!RedisNumbers.isLong(arg) || RedisNumbers.parseLong(arg) < 1 || RedisNumbers.parseLong(arg) > max) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = RedisNumbers.parseLong(arg);
            } else if (Args.is(argv[j], "justid")) {
                justId = true;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        Keyspace ks = keyspace(c);
        StreamValue s = Streams.asStream(ks.lookupRead(argv[1]));
        StreamGroup group = s == null ? null : s.group(argv[2]);
        if (group == null) {
            Streams.error(c, "NOGROUP No such key '", argv[1], "' or consumer group '", argv[2], "'");
            return;
        }
        // Redis allocates an array of COUNT IDs for the deleted ones up front; allocations past what the
        // address space offers fail. Where exactly depends on the machine: we take 2^46 bytes.
        if (count > TRANSIENT_ALLOCATION_LIMIT / StreamId.ENCODED_SIZE) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
        }
        byte[] key = argv[1];
        byte[] groupName = argv[2];
        long attempts = count * ATTEMPTS_FACTOR;
        long now = c.node().now();
        StreamGroup.Consumer consumer = null;
        boolean consumerCreated = false;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        Iterator<Map.Entry<StreamId, StreamGroup.Nack>> it = group.pel().tailMap(start, true).entrySet().iterator();
        StreamId cursor = StreamId.MIN;
        boolean changed = false;
        while (true) {
            if (attempts-- == 0 || count == 0) {
                if (it.hasNext()) {
                    cursor = it.next().getKey();
                }
                break;
            }
            if (!it.hasNext()) {
                break;
            }
            Map.Entry<StreamId, StreamGroup.Nack> p = it.next();
            StreamId id = p.getKey();
            StreamGroup.Nack nack = p.getValue();
            StreamValue.Entry entry = s.get(id);
            if (entry == null) {
                Streams.propagateClaim(c, key, groupName, group, id.toBytes(), nack);
                it.remove();
                if (nack.consumer() != null) {
                    nack.consumer().pel().remove(id);
                }
                deleted.add(id);
                count--;
                changed = true;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumerCreated = group.consumer(argv[3]) == null;
                consumer = lookupOrCreateConsumer(group, argv[3], now);
            }
            nack.setDeliveryTime(now);
            if (!justId) {
                nack.setDeliveryCount(nack.deliveryCount() + 1);
            }
            group.assign(id, nack, consumer);
            claimed.add(justId ? id : entry);
            count--;
            Streams.propagateClaim(c, key, groupName, group, id.toBytes(), nack);
            changed = true;
        }
        if (changed || consumer != null) {
            ks.valueChangedInPlace(key);
        }
        RespWriter r = c.reply();
        r.array(3);
        r.bulk(cursor.toBytes());
        writeClaimed(c, r, claimed, key, consumerCreated);
        r.array(deleted.size());
        for (StreamId id : deleted) {
            r.bulk(id.toBytes());
        }
        c.preventCommandPropagation();
    }
}
