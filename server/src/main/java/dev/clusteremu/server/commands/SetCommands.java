package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.keyspace.StringMatch;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The set commands of t_set.c, with Redis 7.0's arity, flags, key positions, replies and errors. Each
 * handler checks its arguments and the keys' types before it changes anything, in the order Redis checks
 * them, so a refused command changes nothing and answers Redis's first error.
 */
public final class SetCommands {
    /**
     * SPOP_MOVE_STRATEGY_MUL: when SPOP leaves fewer than a fifth of the popped count behind, it builds the
     * remaining set anew from random members and pops the rest of the old one, instead of picking the popped
     * members one by one.
     */
    private static final long SPOP_MOVE_STRATEGY_MUL = 5;
    private static final byte[] SREM_NAME = "SREM".getBytes(US_ASCII);
    private static final byte[] DEL_NAME = "DEL".getBytes(US_ASCII);

    /** SET_OP_UNION / SET_OP_DIFF of sunionDiffGenericCommand. */
    private enum SetOp { UNION, DIFF }

    private SetCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("sadd", -3, "write denyoom fast").acl("set").keys(1, 1, 1)
                .handler(SetCommands::sadd).build());
        table.add(command("srem", -3, "write fast").acl("set").keys(1, 1, 1)
                .handler(SetCommands::srem).build());
        table.add(command("smove", 4, "write fast").acl("set").keys(1, 2, 1)
                .handler(SetCommands::smove).build());
        table.add(command("sismember", 3, "readonly fast").acl("set").keys(1, 1, 1)
                .handler(SetCommands::sismember).build());
        table.add(command("smismember", -3, "readonly fast").acl("set").keys(1, 1, 1)
                .handler(SetCommands::smismember).build());
        table.add(command("scard", 2, "readonly fast").acl("set").keys(1, 1, 1)
                .handler(SetCommands::scard).build());
        table.add(command("smembers", 2, "readonly").acl("set").keys(1, 1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> sinter(c, keys(argv, 1, argv.length), null, false, 0)).build());
        table.add(command("spop", -2, "write fast").acl("set").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(SetCommands::spop).build());
        table.add(command("srandmember", -2, "readonly").acl("set").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(SetCommands::srandmember).build());
        table.add(command("sinter", -2, "readonly").acl("set").keys(1, -1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> sinter(c, keys(argv, 1, argv.length), null, false, 0)).build());
        table.add(command("sinterstore", -3, "write denyoom").acl("set").keys(1, -1, 1)
                .handler((c, argv) -> sinter(c, keys(argv, 2, argv.length), argv[1], false, 0)).build());
        table.add(command("sintercard", -3, "readonly").acl("set").keys(SetCommands::sintercardKeys)
                .handler(SetCommands::sintercard).build());
        table.add(command("sunion", -2, "readonly").acl("set").keys(1, -1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> sunionDiff(c, keys(argv, 1, argv.length), null, SetOp.UNION)).build());
        table.add(command("sunionstore", -3, "write denyoom").acl("set").keys(1, -1, 1)
                .handler((c, argv) -> sunionDiff(c, keys(argv, 2, argv.length), argv[1], SetOp.UNION)).build());
        table.add(command("sdiff", -2, "readonly").acl("set").keys(1, -1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> sunionDiff(c, keys(argv, 1, argv.length), null, SetOp.DIFF)).build());
        table.add(command("sdiffstore", -3, "write denyoom").acl("set").keys(1, -1, 1)
                .handler((c, argv) -> sunionDiff(c, keys(argv, 2, argv.length), argv[1], SetOp.DIFF)).build());
        table.add(command("sscan", -3, "readonly").acl("set").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(SetCommands::sscan).build());
    }

    // -------------------------------------------------------------------------------------------------------
    // Helpers, some shared with the hash commands
    // -------------------------------------------------------------------------------------------------------

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    /** notifyKeyspaceEvent: Redis's calls are mirrored at the same point relative to each reply. */
    private static void notify(Client c, int type, String event, byte[] key) {
        c.node().notifications().notify(type, event, key);
    }

    /** The value as a set, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static SetValue asSet(RedisObject o) {
        if (o == null || o instanceof SetValue) {
            return (SetValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /** set-max-intset-entries. */
    private static long maxIntset(Client c) {
        return c.node().config().setMaxIntsetEntries;
    }

    private static byte[][] keys(byte[][] argv, int from, int to) {
        return Arrays.copyOfRange(argv, from, to);
    }

    /**
     * A count in -LONG_MAX..LONG_MAX (SRANDMEMBER's and HRANDFIELD's: getRangeLongFromObjectOrReply with
     * Redis's default texts).
     */
    static long rangedCount(byte[] arg) {
        long count = Args.integer(arg);
        if (count == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and "
                    + Long.MAX_VALUE);
        }
        return count;
    }

    /** A SCAN-family reply: the next cursor as a bulk string, then the elements (shared.emptyscan when none). */
    static void scanReply(RespWriter r, long cursor, List<byte[]> elements) {
        r.array(2);
        r.bulk(cursor);
        r.array(elements.size());
        for (byte[] e : elements) {
            r.bulk(e);
        }
    }

    /** Stores a set the command filled: added under the key when new, else changed in place. */
    private static void stored(Keyspace ks, byte[] key, SetValue set, boolean created) {
        if (created) {
            ks.setKey(key, set, false);
        } else {
            ks.valueChangedInPlace(key);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Single-set writes
    // -------------------------------------------------------------------------------------------------------

    /**
     * SADD key member [member ...]: how many members were added. A new set is an intset when its first
     * member is an integer (setTypeCreate), and converts as members come.
     */
    private static void sadd(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        SetValue set = asSet(ks.lookupWrite(argv[1]));
        boolean created = set == null;
        if (created) {
            set = SetValue.createFor(argv[2]);
        }
        long max = maxIntset(c);
        int added = 0;
        for (int j = 2; j < argv.length; j++) {
            if (set.add(argv[j], max)) {
                added++;
            }
        }
        if (added > 0) {
            stored(ks, argv[1], set, created);
            notify(c, KeyspaceEvents.SET, "sadd", argv[1]);
        }
        c.reply().integer(added);
    }

    /** SREM key member [member ...]: how many were removed; the key goes with its last member. */
    private static void srem(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        SetValue set = asSet(ks.lookupWrite(argv[1]));
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < argv.length; j++) {
            if (set.remove(argv[j])) {
                deleted++;
                if (set.size() == 0) {
                    ks.delete(argv[1]);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            if (!keyRemoved) {
                ks.valueChangedInPlace(argv[1]);
            }
            notify(c, KeyspaceEvents.SET, "srem", argv[1]);
            if (keyRemoved) {
                notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
            }
        }
        c.reply().integer(deleted);
    }

    /**
     * SMOVE source destination member: 1 when moved. A missing source answers 0 before either type is
     * checked; moving within one set only answers whether the member is there.
     */
    private static void smove(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        RedisObject srcObject = ks.lookupWrite(argv[1]);
        RedisObject dstObject = ks.lookupWrite(argv[2]);
        byte[] member = argv[3];
        if (srcObject == null) {
            c.reply().integer(0);
            return;
        }
        SetValue src = asSet(srcObject);
        SetValue dst = asSet(dstObject);
        if (src == dst) {
            c.reply().integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.reply().integer(0);
            return;
        }
        notify(c, KeyspaceEvents.SET, "srem", argv[1]);
        if (src.size() == 0) {
            ks.delete(argv[1]);
            notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
        } else {
            ks.valueChangedInPlace(argv[1]);
        }
        if (dst == null) {
            dst = SetValue.createFor(member);
            dst.add(member, maxIntset(c));
            ks.setKey(argv[2], dst, false);
            notify(c, KeyspaceEvents.SET, "sadd", argv[2]);
        } else if (dst.add(member, maxIntset(c))) {
            ks.valueChangedInPlace(argv[2]);
            notify(c, KeyspaceEvents.SET, "sadd", argv[2]);
        }
        c.reply().integer(1);
    }

    // -------------------------------------------------------------------------------------------------------
    // Single-set reads
    // -------------------------------------------------------------------------------------------------------

    private static void sismember(Client c, byte[][] argv) {
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(set != null && set.contains(argv[2]) ? 1 : 0);
    }

    /** SMISMEMBER: a missing key is an empty set, so every member answers 0. */
    private static void smismember(Client c, byte[][] argv) {
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            r.integer(set != null && set.contains(argv[j]) ? 1 : 0);
        }
    }

    private static void scard(Client c, byte[][] argv) {
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(set == null ? 0 : set.size());
    }

    // -------------------------------------------------------------------------------------------------------
    // SPOP and SRANDMEMBER
    // -------------------------------------------------------------------------------------------------------

    /**
     * SPOP key [count]: without count, one random member (nil for a missing key); replicas get it as
     * SREM key member, since they must remove the same one.
     */
    private static void spop(Client c, byte[][] argv) {
        if (argv.length == 3) {
            spopWithCount(c, argv);
            return;
        } else if (argv.length > 3) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        Keyspace ks = keyspace(c);
        SetValue set = asSet(ks.lookupWrite(argv[1]));
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] member = set.memberAt(ThreadLocalRandom.current().nextInt(set.size()));
        set.remove(member);
        notify(c, KeyspaceEvents.SET, "spop", argv[1]);
        c.rewriteCommandVector(SREM_NAME, argv[1], member);
        c.reply().bulk(member);
        if (set.size() == 0) {
            ks.delete(argv[1]);
            notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
        } else {
            ks.valueChangedInPlace(argv[1]);
        }
    }

    /**
     * SPOP key count: a set reply of up to count distinct members, removed. Popping the whole set deletes
     * the key and propagates as DEL; otherwise as one SREM per member, in the order popped.
     */
    private static void spopWithCount(Client c, byte[][] argv) {
        long count = RedisNumbers.isLong(argv[2]) ? RedisNumbers.parseLong(argv[2]) : -1;
        if (count < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        Keyspace ks = keyspace(c);
        byte[] key = argv[1];
        SetValue set = asSet(ks.lookupWrite(key));
        RespWriter r = c.reply();
        if (set == null || count == 0) {
            r.set(0);
            return;
        }
        int size = set.size();
        notify(c, KeyspaceEvents.SET, "spop", key);
        if (count >= size) {
            sunionDiff(c, new byte[][] {key}, null, SetOp.UNION);
            ks.delete(key);
            notify(c, KeyspaceEvents.GENERIC, "del", key);
            c.rewriteCommandVector(DEL_NAME, key);
            return;
        }
        r.set((int) count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<byte[]> popped = new ArrayList<>((int) count);
        long remaining = size - count;
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            for (long n = 0; n < count; n++) {
                byte[] member = set.memberAt(random.nextInt(set.size()));
                set.remove(member);
                r.bulk(member);
                popped.add(member);
            }
            ks.valueChangedInPlace(key);
        } else {
            // The members that stay are moved to a new set (setTypeCreate from the first of them, so a
            // hashtable set of integers becomes an intset again), and what is left of the old one is popped.
            SetValue kept = null;
            for (long n = 0; n < remaining; n++) {
                byte[] member = set.memberAt(random.nextInt(set.size()));
                if (kept == null) {
                    kept = SetValue.createFor(member);
                }
                kept.add(member, maxIntset(c));
                set.remove(member);
            }
            for (int i = 0; i < set.size(); i++) {
                byte[] member = set.memberAt(i);
                r.bulk(member);
                popped.add(member);
            }
            ks.setKey(key, kept, true);
        }
        propagateAsSrems(c, key, popped);
    }

    /**
     * SPOP with a count reaches replicas as one SREM per popped member (alsoPropagate of each, the SPOP
     * itself not propagated). The command's own propagation slot carries the last SREM and the others are
     * queued before it, which puts the same commands in the same order into the stream.
     */
    private static void propagateAsSrems(Client c, byte[] key, List<byte[]> popped) {
        for (int i = 0; i < popped.size() - 1; i++) {
            c.node().replication().stream().alsoPropagate(new byte[][] {SREM_NAME, key, popped.get(i)});
        }
        c.rewriteCommandVector(SREM_NAME, key, popped.get(popped.size() - 1));
    }

    /** SRANDMEMBER key [count]: without count, one random member or nil. */
    private static void srandmember(Client c, byte[][] argv) {
        if (argv.length == 3) {
            srandmemberWithCount(c, argv);
            return;
        } else if (argv.length > 3) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(set.memberAt(ThreadLocalRandom.current().nextInt(set.size())));
    }

    /**
     * SRANDMEMBER key count: an array; a negative count asks for that many independent picks (repeats
     * possible), a positive one for distinct members, at most the whole set (then in the set's order).
     * The count is parsed before the key is looked at.
     */
    private static void srandmemberWithCount(Client c, byte[][] argv) {
        long l = rangedCount(argv[2]);
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        if (set == null || l == 0) {
            r.array(0);
            return;
        }
        int size = set.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (l < 0 || l == 1) {
            long count = Math.abs(l);
            r.array(Math.toIntExact(count));
            for (long n = 0; n < count; n++) {
                r.bulk(set.memberAt(random.nextInt(size)));
            }
            return;
        }
        if (l >= size) {
            r.array(size);
            for (int i = 0; i < size; i++) {
                r.bulk(set.memberAt(i));
            }
            return;
        }
        List<Integer> picked = HashCommands.distinctIndexes(size, (int) l, false);
        r.array(picked.size());
        for (int i : picked) {
            r.bulk(set.memberAt(i));
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Intersection, union, difference
    // -------------------------------------------------------------------------------------------------------

    /**
     * The keys of SINTERCARD numkeys key [key ...]. Redis takes them from the key spec (numkeys, a string2ll
     * integer, then that many keys) and, where the spec does not fit the arguments, from sintercardGetKeys,
     * which reads numkeys with atoi and finds nothing for a count below 1 or beyond the arguments. Where the
     * spec fits, atoi reads the same count, so atoi alone gives the keys Redis routes on; the command itself
     * refuses what finds no key.
     */
    private static int[] sintercardKeys(byte[][] argv) {
        long numkeys = atoi(argv[1]);
        if (numkeys < 1 || numkeys > argv.length - 2) {
            return new int[0];
        }
        int[] positions = new int[(int) numkeys];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = 2 + i;
        }
        return positions;
    }

    /** C's atoi: leading white space, a sign, digits up to the first other byte; 0 when none. */
    private static int atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            v = v * 10 + (s[i] - '0');
            if (v > Integer.MAX_VALUE) {
                return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            }
        }
        return (int) (negative ? -v : v);
    }

    /**
     * SINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting stopped at
     * LIMIT when it is not 0. numkeys and then the options are checked before any key.
     */
    private static void sintercard(Client c, byte[][] argv) {
        long numkeys = RedisNumbers.isLong(argv[1]) ? RedisNumbers.parseLong(argv[1]) : 0;
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > argv.length - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < argv.length; j++) {
            boolean moreArgs = argv.length - 1 - j > 0;
            if (KeyCommands.optionIs(argv[j], "limit") && moreArgs) {
                j++;
                limit = RedisNumbers.isLong(argv[j]) ? RedisNumbers.parseLong(argv[j]) : -1;
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        sinter(c, keys(argv, 2, 2 + (int) numkeys), null, true, limit);
    }

    /**
     * sinterGenericCommand, for SINTER, SMEMBERS, SINTERSTORE ({@code dst} given) and SINTERCARD
     * ({@code cardinalityOnly}, stopping at {@code limit} unless 0). Every key's type is checked first; a
     * missing key makes the intersection empty. Otherwise the smallest set is walked in its order and each
     * member kept if every other set has it. A stored result is built as SINTERSTORE builds it (an intset
     * that converts as members come); an empty one deletes the destination.
     */
    private static void sinter(Client c, byte[][] keys, byte[] dst, boolean cardinalityOnly, long limit) {
        Keyspace ks = keyspace(c);
        SetValue[] sets = new SetValue[keys.length];
        boolean empty = false;
        for (int j = 0; j < keys.length; j++) {
            sets[j] = asSet(ks.lookupRead(keys[j]));
            empty |= sets[j] == null;
        }
        RespWriter r = c.reply();
        if (empty) {
            if (dst != null) {
                if (ks.delete(dst)) {
                    notify(c, KeyspaceEvents.GENERIC, "del", dst);
                }
                r.integer(0);
            } else if (cardinalityOnly) {
                r.integer(0);
            } else {
                r.set(0);
            }
            return;
        }
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        SetValue smallest = sets[0];
        List<byte[]> members = new ArrayList<>();
        SetValue result = dst == null ? null : SetValue.createIntset();
        long cardinality = 0;
        for (int i = 0; i < smallest.size(); i++) {
            byte[] member = smallest.memberAt(i);
            if (!inAllOthers(sets, member)) {
                continue;
            }
            if (cardinalityOnly) {
                cardinality++;
                if (limit != 0 && cardinality >= limit) {
                    break;
                }
            } else if (result != null) {
                result.add(member, maxIntset(c));
            } else {
                members.add(member);
            }
        }
        if (cardinalityOnly) {
            r.integer(cardinality);
        } else if (result != null) {
            store(c, dst, result, "sinterstore");
        } else {
            r.set(members.size());
            for (byte[] m : members) {
                r.bulk(m);
            }
        }
    }

    /** Whether every set after the first, other than the first itself named again, has {@code member}. */
    private static boolean inAllOthers(SetValue[] sets, byte[] member) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] != sets[0] && !sets[j].contains(member)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of a *STORE: a non-empty result replaces the destination (its TTL gone), its size is the
     * reply, and the store is published as {@code event}; an empty one deletes the destination (a "del"
     * if there was one) and the reply is 0.
     */
    private static void store(Client c, byte[] dst, SetValue result, String event) {
        Keyspace ks = keyspace(c);
        RespWriter r = c.reply();
        if (result.size() > 0) {
            ks.setKey(dst, result, false);
            r.integer(result.size());
            notify(c, KeyspaceEvents.SET, event, dst);
        } else {
            r.integer(0);
            if (ks.delete(dst)) {
                notify(c, KeyspaceEvents.GENERIC, "del", dst);
            }
        }
    }

    /**
     * sunionDiffGenericCommand, for SUNION, SDIFF and their STORE forms ({@code dst} given). Missing keys
     * are empty sets. The result is built in a new intset that converts as members come, and replied in
     * its order (ascending while it is an intset).
     *
     * <p>SDIFF picks one of Redis's two algorithms by the same estimate of work, since they can leave an
     * intset of different widths: the first (walk the first set, keep members no other set has; the others
     * sorted largest first) unless half the first set's size times the number of sets is more than the sum
     * of all sizes, else the second (add the first set, then remove every other set's members, stopping
     * once nothing is left). A first set named again later makes the difference empty.
     */
    private static void sunionDiff(Client c, byte[][] keys, byte[] dst, SetOp op) {
        Keyspace ks = keyspace(c);
        SetValue[] sets = new SetValue[keys.length];
        boolean sameSet = false;
        for (int j = 0; j < keys.length; j++) {
            sets[j] = asSet(ks.lookupRead(keys[j]));
            if (j > 0 && sets[j] != null && sets[j] == sets[0]) {
                sameSet = true;
            }
        }
        boolean firstAlgorithm = true;
        if (op == SetOp.DIFF && sets[0] != null && !sameSet) {
            long algoOneWork = 0;
            long algoTwoWork = 0;
            for (SetValue s : sets) {
                if (s != null) {
                    algoOneWork += sets[0].size();
                    algoTwoWork += s.size();
                }
            }
            algoOneWork /= 2;
            firstAlgorithm = algoOneWork <= algoTwoWork;
            if (firstAlgorithm && sets.length > 1) {
                Arrays.sort(sets, 1, sets.length,
                        Comparator.comparingInt((SetValue s) -> s == null ? 0 : s.size()).reversed());
            }
        }
        long max = maxIntset(c);
        SetValue result = SetValue.createIntset();
        if (op == SetOp.UNION) {
            for (SetValue s : sets) {
                for (int i = 0; s != null && i < s.size(); i++) {
                    result.add(s.memberAt(i), max);
                }
            }
        } else if (sets[0] != null && !sameSet && firstAlgorithm) {
            for (int i = 0; i < sets[0].size(); i++) {
                byte[] member = sets[0].memberAt(i);
                if (!inAnyOther(sets, member)) {
                    result.add(member, max);
                }
            }
        } else if (sets[0] != null && !sameSet) {
            for (int j = 0; j < sets.length && (j == 0 || result.size() > 0); j++) {
                for (int i = 0; sets[j] != null && i < sets[j].size(); i++) {
                    if (j == 0) {
                        result.add(sets[j].memberAt(i), max);
                    } else {
                        result.remove(sets[j].memberAt(i));
                    }
                }
            }
        }
        RespWriter r = c.reply();
        if (dst != null) {
            store(c, dst, result, op == SetOp.UNION ? "sunionstore" : "sdiffstore");
            return;
        }
        r.set(result.size());
        for (int i = 0; i < result.size(); i++) {
            r.bulk(result.memberAt(i));
        }
    }

    /** Whether a set after the first has {@code member}. */
    private static boolean inAnyOther(SetValue[] sets, byte[] member) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] != null && sets[j].contains(member)) {
                return true;
            }
        }
        return false;
    }

    // -------------------------------------------------------------------------------------------------------
    // SSCAN
    // -------------------------------------------------------------------------------------------------------

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key (a missing
     * key answers an empty scan whatever the options), then the options. An intset comes whole, ascending,
     * with cursor 0; a hashtable set a bucket at a time, up to COUNT members, as SCAN does.
     */
    private static void sscan(Client c, byte[][] argv) {
        long cursor = KeyCommands.parseCursor(argv[2]);
        SetValue set = asSet(keyspace(c).lookupRead(argv[1]));
        if (set == null) {
            scanReply(c.reply(), 0, List.of());
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 3);
        List<byte[]> found = new ArrayList<>();
        if (set.encoding() == SetValue.Encoding.HASHTABLE) {
            long count = options.count();
            long maxIterations = count * ScanOptions.BUCKETS_PER_COUNT;
            do {
                cursor = set.scan(cursor, found::add);
            } while (cursor != 0 && maxIterations-- != 0 && found.size() < count);
        } else {
            for (int i = 0; i < set.size(); i++) {
                found.add(set.memberAt(i));
            }
            cursor = 0;
        }
        List<byte[]> kept = new ArrayList<>(found.size());
        for (byte[] member : found) {
            if (options.pattern() == null || StringMatch.matches(options.pattern(), member)) {
                kept.add(member);
            }
        }
        scanReply(c.reply(), cursor, kept);
    }
}
