package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ListValue;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The list commands of t_list.c, blocking ones included, with Redis 7.0's arity, flags, key positions,
 * replies and errors. Handlers validate their arguments before touching the keyspace, in the order Redis
 * does, so the first error Redis would report is the one reported.
 *
 * <p>A list that loses its last element is deleted. Commands that pop propagate what they did rather than
 * what they were asked (BLPOP → LPOP, BLMOVE → LMOVE, LMPOP → LPOP key count, ...), as replicas must pop
 * exactly the same elements without blocking or choosing among keys.
 */
public final class ListCommands {
    private static final byte[] LPOP = bytes("LPOP");
    private static final byte[] RPOP = bytes("RPOP");
    private static final byte[] LMOVE = bytes("LMOVE");
    private static final byte[] RPOPLPUSH = bytes("RPOPLPUSH");
    private static final byte[] LEFT = bytes("left");
    private static final byte[] RIGHT = bytes("right");

    private ListCommands() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    public static void addTo(CommandTable table) {
        table.add(command("lpush", -3, "write denyoom fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> push(c, argv, true, false)).build());
        table.add(command("rpush", -3, "write denyoom fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> push(c, argv, false, false)).build());
        table.add(command("lpushx", -3, "write denyoom fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> push(c, argv, true, true)).build());
        table.add(command("rpushx", -3, "write denyoom fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> push(c, argv, false, true)).build());
        table.add(command("linsert", 5, "write denyoom").acl("list").keys(1, 1, 1)
                .handler(ListCommands::linsert).build());
        table.add(command("llen", 2, "readonly fast").acl("list").keys(1, 1, 1)
                .handler(ListCommands::llen).build());
        table.add(command("lindex", 3, "readonly").acl("list").keys(1, 1, 1)
                .handler(ListCommands::lindex).build());
        table.add(command("lset", 4, "write denyoom").acl("list").keys(1, 1, 1)
                .handler(ListCommands::lset).build());
        table.add(command("lpop", -2, "write fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> pop(c, argv, true)).build());
        table.add(command("rpop", -2, "write fast").acl("list").keys(1, 1, 1)
                .handler((c, argv) -> pop(c, argv, false)).build());
        table.add(command("lrange", 4, "readonly").acl("list").keys(1, 1, 1)
                .handler(ListCommands::lrange).build());
        table.add(command("ltrim", 4, "write").acl("list").keys(1, 1, 1)
                .handler(ListCommands::ltrim).build());
        table.add(command("lpos", -3, "readonly").acl("list").keys(1, 1, 1)
                .handler(ListCommands::lpos).build());
        table.add(command("lrem", 4, "write").acl("list").keys(1, 1, 1)
                .handler(ListCommands::lrem).build());
        table.add(command("lmove", 5, "write denyoom").acl("list").keys(1, 2, 1)
                .handler(ListCommands::lmove).build());
        table.add(command("rpoplpush", 3, "write denyoom").acl("list").keys(1, 2, 1)
                .handler((c, argv) -> move(c, argv, false, true, null)).build());
        table.add(command("lmpop", -4, "write").acl("list").keys(NumKeys.after(1))
                .handler((c, argv) -> lmpop(c, argv, 1, false)).build());
        table.add(command("blpop", -3, "write noscript blocking").acl("list").keys(1, -2, 1)
                .handler((c, argv) -> blockingPop(c, argv, true)).build());
        table.add(command("brpop", -3, "write noscript blocking").acl("list").keys(1, -2, 1)
                .handler((c, argv) -> blockingPop(c, argv, false)).build());
        table.add(command("blmove", 6, "write denyoom noscript blocking").acl("list").keys(1, 2, 1)
                .handler(ListCommands::blmove).build());
        table.add(command("brpoplpush", 4, "write denyoom noscript blocking").acl("list").keys(1, 2, 1)
                .handler(ListCommands::brpoplpush).build());
        table.add(command("blmpop", -5, "write blocking").acl("list").keys(NumKeys.after(2))
                .handler((c, argv) -> lmpop(c, argv, 2, true)).build());
    }

    // -------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    /** notifyKeyspaceEvent: Redis's calls are mirrored at the same point relative to each reply. */
    private static void notify(Client c, int type, String event, byte[] key) {
        c.node().notifications().notify(type, event, key);
    }

    /** The event of a pop from the head or the tail. */
    private static String popEvent(boolean head) {
        return head ? "lpop" : "rpop";
    }

    /** The event of a push onto the head or the tail. */
    private static String pushEvent(boolean head) {
        return head ? "lpush" : "rpush";
    }

    /** The value as a list, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static ListValue asList(RedisObject o) {
        if (o == null || o instanceof ListValue) {
            return (ListValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /** LEFT or RIGHT (getListPositionFromObjectOrReply): true for the head. */
    private static boolean position(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        } else if (Args.is(arg, "right")) {
            return false;
        }
        throw new CommandError(Args.SYNTAX_ERROR);
    }

    /** A new, empty list stored under {@code key}, with the configured fill. */
    private static ListValue create(Client c, byte[] key) {
        ListValue list = ListValue.create(c.node().config().listMaxListpackSize);
        keyspace(c).setKey(key, list, false);
        return list;
    }

    /**
     * A list that lost elements (listElementsRemoved): the removal is published as {@code event}, then the
     * list is deleted if now empty (and "del" published), else marked changed. Returns whether it was
     * deleted.
     */
    private static boolean removed(Client c, byte[] key, ListValue list, String event) {
        notify(c, KeyspaceEvents.LIST, event, key);
        if (list.length() == 0) {
            keyspace(c).delete(key);
            notify(c, KeyspaceEvents.GENERIC, "del", key);
            return true;
        }
        keyspace(c).valueChangedInPlace(key);
        return false;
    }

    /**
     * addListRangeReply: the elements from {@code start} to {@code end} (negative from the tail, clamped),
     * reversed when {@code reverse}; an empty array when the range is empty.
     */
    private static void rangeReply(RespWriter r, ListValue list, long start, long end, boolean reverse) {
        long length = list.length();
        if (start < 0) {
            start = length + start;
        }
        if (end < 0) {
            end = length + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= length) {
            r.array(0);
            return;
        }
        if (end >= length) {
            end = length - 1;
        }
        long n = end - start + 1;
        r.array((int) n);
        ListValue.Cursor cursor = list.cursor(reverse ? end : start, !reverse);
        for (long i = 0; i < n; i++) {
            r.bulk(cursor.next());
        }
    }

    /**
     * listPopRangeAndReplyWithKey: pops up to {@code count} elements from one end and replies
     * [key, [elements...]]; returns whether the list was deleted.
     */
    private static boolean popRangeWithKey(Client c, byte[] key, ListValue list, boolean head, long count) {
        long n = Math.min(count, list.length());
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(key);
        rangeReply(r, list, head ? 0 : -n, head ? n - 1 : -1, !head);
        list.deleteRange(head ? 0 : -n, n);
        return removed(c, key, list, popEvent(head));
    }

    // -------------------------------------------------------------------------------------------------------
    // Push, insert, set
    // -------------------------------------------------------------------------------------------------------

    /** LPUSH, RPUSH, LPUSHX, RPUSHX (pushGenericCommand); the X forms push only onto an existing list. */
    private static void push(Client c, byte[][] argv, boolean head, boolean onlyIfExists) {
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        if (list == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            list = create(c, argv[1]);
        }
        for (int j = 2; j < argv.length; j++) {
            list.push(argv[j], head);
        }
        keyspace(c).valueChangedInPlace(argv[1]);
        c.reply().integer(list.length());
        notify(c, KeyspaceEvents.LIST, pushEvent(head), argv[1]);
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the list. */
    private static void linsert(Client c, byte[][] argv) {
        boolean after;
        if (Args.is(argv[2], "after")) {
            after = true;
        } else if (Args.is(argv[2], "before")) {
            after = false;
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        if (!list.insert(argv[3], argv[4], after)) {
            c.reply().integer(-1);
            return;
        }
        keyspace(c).valueChangedInPlace(argv[1]);
        notify(c, KeyspaceEvents.LIST, "linsert", argv[1]);
        c.reply().integer(list.length());
    }

    /** LSET key index element. */
    private static void lset(Client c, byte[][] argv) {
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        if (list == null) {
            throw new CommandError("ERR no such key");
        }
        long index = Args.integer(argv[2]);
        if (!list.replace(index, argv[3])) {
            throw new CommandError("ERR index out of range");
        }
        keyspace(c).valueChangedInPlace(argv[1]);
        c.reply().ok();
        notify(c, KeyspaceEvents.LIST, "lset", argv[1]);
    }

    // -------------------------------------------------------------------------------------------------------
    // Reads
    // -------------------------------------------------------------------------------------------------------

    private static void llen(Client c, byte[][] argv) {
        ListValue list = asList(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(list == null ? 0 : list.length());
    }

    /** LINDEX key index: the key is looked up before the index is parsed, as Redis does. */
    private static void lindex(Client c, byte[][] argv) {
        ListValue list = asList(keyspace(c).lookupRead(argv[1]));
        if (list == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] element = list.get(Args.integer(argv[2]));
        if (element == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(element);
        }
    }

    private static void lrange(Client c, byte[][] argv) {
        long start = Args.integer(argv[2]);
        long end = Args.integer(argv[3]);
        ListValue list = asList(keyspace(c).lookupRead(argv[1]));
        if (list == null) {
            c.reply().array(0);
            return;
        }
        rangeReply(c.reply(), list, start, end, false);
    }

    /**
     * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: the index of the rank-th match
     * (negative rank: from the tail), or with COUNT an array of up to that many indexes (0 = all), looking
     * at no more than MAXLEN elements (0 = all).
     */
    private static void lpos(Client c, byte[][] argv) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean moreArgs = j < argv.length - 1;
            if (Args.is(argv[j], "rank") && moreArgs) {
                rank = Args.integer(argv[++j]);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from "
                            + "the second ... or use negative to start from the end of the list");
                }
            } else if (Args.is(argv[j], "count") && moreArgs) {
                count = RangeArgs.positive(argv[++j], "COUNT can't be negative");
            } else if (Args.is(argv[j], "maxlen") && moreArgs) {
                maxlen = RangeArgs.positive(argv[++j], "MAXLEN can't be negative");
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank;
        }
        ListValue list = asList(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        if (list == null) {
            if (count != -1) {
                r.array(0);
            } else {
                r.nullBulk();
            }
            return;
        }
        long length = list.length();
        List<Long> found = new ArrayList<>();
        ListValue.Cursor cursor = list.cursor(fromTail ? -1 : 0, !fromTail);
        long matches = 0;
        for (long index = 0; cursor.hasNext() && (maxlen == 0 || index < maxlen); index++) {
            if (Arrays.equals(cursor.next(), argv[2])) {
                matches++;
                if (matches >= rank) {
                    found.add(fromTail ? length - index - 1 : index);
                    if (count == -1 || (count != 0 && matches - rank + 1 >= count)) {
                        break;
                    }
                }
            }
        }
        if (count != -1) {
            r.array(found.size());
            for (long index : found) {
                r.integer(index);
            }
        } else if (found.isEmpty()) {
            r.nullBulk();
        } else {
            r.integer(found.get(0));
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Removal
    // -------------------------------------------------------------------------------------------------------

    /** LPOP/RPOP key [count]: one element as a bulk string, or with a count an array of up to that many. */
    private static void pop(Client c, byte[][] argv, boolean head) {
        if (argv.length > 3) {
            throw new CommandError("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop") + "' command");
        }
        boolean hasCount = argv.length == 3;
        long count = hasCount ? RangeArgs.positive(argv[2], null) : 0;
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        RespWriter r = c.reply();
        if (list == null) {
            if (hasCount) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            r.array(0);
            return;
        }
        if (!hasCount) {
            r.bulk(list.pop(head));
        } else {
            long n = Math.min(count, list.length());
            rangeReply(r, list, head ? 0 : -n, head ? n - 1 : -1, !head);
            list.deleteRange(head ? 0 : -n, n);
        }
        removed(c, argv[1], list, popEvent(head));
    }

    /**
     * LTRIM key start stop: keeps only the elements of the range; the key goes when none is left. An
     * existing list is published as trimmed even when the range kept it whole, as Redis does.
     */
    private static void ltrim(Client c, byte[][] argv) {
        long start = Args.integer(argv[2]);
        long end = Args.integer(argv[3]);
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        if (list == null) {
            c.reply().ok();
            return;
        }
        long length = list.length();
        if (start < 0) {
            start = length + start;
        }
        if (end < 0) {
            end = length + end;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= length) {
            ltrim = length;
            rtrim = 0;
        } else {
            if (end >= length) {
                end = length - 1;
            }
            ltrim = start;
            rtrim = length - end - 1;
        }
        list.deleteRange(0, ltrim);
        list.deleteRange(-rtrim, rtrim);
        if (ltrim + rtrim > 0) {
            removed(c, argv[1], list, "ltrim");
        } else {
            notify(c, KeyspaceEvents.LIST, "ltrim", argv[1]);
            keyspace(c).signalModifiedKey(argv[1]);
        }
        c.reply().ok();
    }

    /** LREM key count element: removes count matches from the head (negative: from the tail; 0: all). */
    private static void lrem(Client c, byte[][] argv) {
        long toRemove = Args.integer(argv[2]);
        ListValue list = asList(keyspace(c).lookupWrite(argv[1]));
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        long removed = list.remove(argv[3], toRemove < 0 ? -toRemove : toRemove, toRemove < 0);
        if (removed > 0) {
            removed(c, argv[1], list, "lrem");
        }
        c.reply().integer(removed);
    }

    // -------------------------------------------------------------------------------------------------------
    // Moves
    // -------------------------------------------------------------------------------------------------------

    private static void lmove(Client c, byte[][] argv) {
        boolean fromHead = position(argv[3]);
        boolean toHead = position(argv[4]);
        move(c, argv, fromHead, toHead, null);
    }

    /**
     * LMOVE and RPOPLPUSH (lmoveGenericCommand): pops from the source, pushes onto the destination (created
     * if missing; refused with WRONGTYPE if not a list, before anything moves) and replies the element. Run
     * for BLMOVE or BRPOPLPUSH, it propagates as the non-blocking command ({@code rewriteAs}).
     */
    private static void move(Client c, byte[][] argv, boolean fromHead, boolean toHead, byte[][] rewriteAs) {
        Keyspace ks = keyspace(c);
        ListValue source = asList(ks.lookupWrite(argv[1]));
        if (source == null) {
            c.reply().nullBulk();
            return;
        }
        ListValue destination = asList(ks.lookupWrite(argv[2]));
        byte[] element = source.pop(fromHead);
        pushMoved(c, argv[2], destination, element, toHead);
        removed(c, argv[1], source, popEvent(fromHead));
        if (rewriteAs != null) {
            c.rewriteCommandVector(rewriteAs);
        }
    }

    /**
     * lmoveHandlePush: the push side of a move, creating the destination if needed and published before the
     * element is replied.
     */
    private static void pushMoved(Client c, byte[] key, ListValue destination, byte[] element, boolean toHead) {
        ListValue list = destination != null ? destination : create(c, key);
        list.push(element, toHead);
        keyspace(c).valueChangedInPlace(key);
        notify(c, KeyspaceEvents.LIST, pushEvent(toHead), key);
        c.reply().bulk(element);
    }

    // -------------------------------------------------------------------------------------------------------
    // LMPOP and the blocking commands
    // -------------------------------------------------------------------------------------------------------

    /**
     * LMPOP numkeys key... LEFT|RIGHT [COUNT count] and BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT
     * count] (lmpopGenericCommand): pops up to count elements (1 by default) from the first non-empty list,
     * replying [key, [elements...]], propagated as LPOP/RPOP key n.
     */
    private static void lmpop(Client c, byte[][] argv, int numkeysIndex, boolean blocking) {
        MultiPopArgs<Boolean> args = MultiPopArgs.parse(argv, numkeysIndex, ListCommands::position);
        boolean head = args.where();
        long count = args.count();
        List<byte[]> keys = args.keys();
        if (blocking) {
            blockingPop(c, keys, head, argv[1], count);
            return;
        }
        for (byte[] key : keys) {
            ListValue list = asList(keyspace(c).lookupWrite(key));
            if (list == null || list.length() == 0) {
                continue;
            }
            long n = Math.min(count, list.length());
            popRangeWithKey(c, key, list, head, count);
            c.rewriteCommandVector(head ? LPOP : RPOP, key, RedisNumbers.toBytes(n));
            return;
        }
        c.reply().nullArray();
    }

    /** BLPOP/BRPOP key... timeout. */
    private static void blockingPop(Client c, byte[][] argv, boolean head) {
        blockingPop(c, Arrays.asList(argv).subList(1, argv.length - 1), head, argv[argv.length - 1], -1);
    }

    /**
     * blockingPopGenericCommand: pops from the first non-empty list as LPOP/RPOP would (replying [key,
     * element], or for BLMPOP's {@code count} [key, [elements...]]); with every list empty, blocks on all
     * the keys, unless blocking is denied (MULTI, scripts), which answers a null array at once.
     */
    private static void blockingPop(Client c, List<byte[]> keys, boolean head, byte[] timeoutArg, long count) {
        long deadline = BlockingTimeout.deadline(c, timeoutArg);
        for (byte[] key : keys) {
            ListValue list = asList(keyspace(c).lookupWrite(key));
            if (list == null || list.length() == 0) {
                continue;
            }
            if (count != -1) {
                long n = Math.min(count, list.length());
                popRangeWithKey(c, key, list, head, count);
                c.rewriteCommandVector(head ? LPOP : RPOP, key, RedisNumbers.toBytes(n));
                return;
            }
            byte[] element = list.pop(head);
            c.reply().array(2).bulk(key).bulk(element);
            removed(c, key, list, popEvent(head));
            c.rewriteCommandVector(head ? LPOP : RPOP, key);
            return;
        }
        if (c.isDenyBlocking()) {
            c.reply().nullArray();
            return;
        }
        c.node().blockedClients().blockForKeys(c, BlockType.LIST, keys, deadline, true,
                (key, value) -> servePop(c, key, (ListValue) value, head, count));
    }

    /**
     * serveClientBlockedOnList for BLPOP, BRPOP and BLMPOP: pops for the blocked client, propagating the
     * pop as LPOP/RPOP key (with the count actually popped for BLMPOP). Returns whether the list was
     * deleted.
     */
    private static boolean servePop(Client c, byte[] key, ListValue list, boolean head, long count) {
        if (count != -1) {
            alsoPropagate(c, head ? LPOP : RPOP, key, RedisNumbers.toBytes(Math.min(count, list.length())));
            return popRangeWithKey(c, key, list, head, count);
        }
        alsoPropagate(c, head ? LPOP : RPOP, key);
        byte[] element = list.pop(head);
        c.reply().array(2).bulk(key).bulk(element);
        return removed(c, key, list, popEvent(head));
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    private static void blmove(Client c, byte[][] argv) {
        boolean fromHead = position(argv[3]);
        boolean toHead = position(argv[4]);
        long deadline = BlockingTimeout.deadline(c, argv[5]);
        blockingMove(c, argv, fromHead, toHead, deadline, new byte[][] {LMOVE, argv[1], argv[2], argv[3], argv[4]});
    }

    /** BRPOPLPUSH source destination timeout. */
    private static void brpoplpush(Client c, byte[][] argv) {
        long deadline = BlockingTimeout.deadline(c, argv[3]);
        blockingMove(c, argv, false, true, deadline, new byte[][] {RPOPLPUSH, argv[1], argv[2]});
    }

    /**
     * blmoveGenericCommand: a move at once when the source has elements; otherwise blocks on the source
     * alone (a null reply when blocking is denied). The destination's type is checked only when the move
     * happens.
     */
    private static void blockingMove(Client c, byte[][] argv, boolean fromHead, boolean toHead, long deadline,
                                     byte[][] rewriteAs) {
        ListValue source = asList(keyspace(c).lookupWrite(argv[1]));
        if (source != null) {
            move(c, argv, fromHead, toHead, rewriteAs);
            return;
        }
        if (c.isDenyBlocking()) {
            c.reply().nullBulk();
            return;
        }
        boolean rpoplpush = rewriteAs[0] == RPOPLPUSH;
        byte[] destinationKey = argv[2];
        c.node().blockedClients().blockForKeys(c, BlockType.LIST, List.of(argv[1]), deadline, true,
                (key, value) -> serveMove(c, key, (ListValue) value, destinationKey, fromHead, toHead, rpoplpush));
    }

    /**
     * serveClientBlockedOnList for BLMOVE and BRPOPLPUSH: moves one element for the blocked client and
     * propagates LMOVE (or RPOPLPUSH). A destination that now holds another type gets the client a
     * WRONGTYPE error, and the source is left alone. Returns whether the source was deleted.
     */
    private static boolean serveMove(Client c, byte[] key, ListValue source, byte[] destinationKey,
                                     boolean fromHead, boolean toHead, boolean rpoplpush) {
        RedisObject found = keyspace(c).lookupWrite(destinationKey);
        if (found != null && !(found instanceof ListValue)) {
            c.reply().error(RedisObject.WRONGTYPE);
            return false;
        }
        byte[] element = source.pop(fromHead);
        pushMoved(c, destinationKey, (ListValue) found, element, toHead);
        if (rpoplpush) {
            alsoPropagate(c, RPOPLPUSH, key, destinationKey);
        } else {
            alsoPropagate(c, LMOVE, key, destinationKey, fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT);
        }
        return removed(c, key, source, popEvent(fromHead));
    }

    private static void alsoPropagate(Client c, byte[]... argv) {
        c.node().replication().stream().alsoPropagate(argv);
    }
}
