package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.HashValue;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.LongDouble;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringMatch;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The hash commands of t_hash.c, with Redis 7.0's arity, flags, key positions, replies and errors. Each
 * handler checks its arguments and the key's type before it changes anything, in the order Redis checks
 * them, so a refused command changes nothing and answers Redis's first error.
 */
public final class HashCommands {
    /**
     * HRANDFIELD_SUB_STRATEGY_MUL and SRANDMEMBER_SUB_STRATEGY_MUL: when the hash or set has fewer than 3
     * times the elements asked for, the sample is made by dropping random elements from a copy rather than
     * by picking random ones until enough differ.
     */
    private static final int SUB_STRATEGY_MUL = 3;
    /** With WITHVALUES each field brings two replies, so HRANDFIELD's count must stay within half of LONG_MAX. */
    private static final long WITHVALUES_COUNT_MAX = Long.MAX_VALUE / 2;
    private static final String NOT_A_FLOAT = "ERR value is not a valid float";
    private static final byte[] HSET_NAME = "HSET".getBytes(US_ASCII);

    private HashCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("hset", -4, "write denyoom fast").acl("hash").keys(1, 1, 1)
                .handler((c, argv) -> hset(c, argv, false)).build());
        table.add(command("hmset", -4, "write denyoom fast").acl("hash").keys(1, 1, 1)
                .handler((c, argv) -> hset(c, argv, true)).build());
        table.add(command("hsetnx", 4, "write denyoom fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hsetnx).build());
        table.add(command("hget", 3, "readonly fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hget).build());
        table.add(command("hmget", -3, "readonly fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hmget).build());
        table.add(command("hdel", -3, "write fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hdel).build());
        table.add(command("hlen", 2, "readonly fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hlen).build());
        table.add(command("hstrlen", 3, "readonly fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hstrlen).build());
        table.add(command("hexists", 3, "readonly fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hexists).build());
        table.add(command("hkeys", 2, "readonly").acl("hash").keys(1, 1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> hgetall(c, argv, true, false)).build());
        table.add(command("hvals", 2, "readonly").acl("hash").keys(1, 1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> hgetall(c, argv, false, true)).build());
        table.add(command("hgetall", 2, "readonly").acl("hash").keys(1, 1, 1).tips("nondeterministic_output_order")
                .handler((c, argv) -> hgetall(c, argv, true, true)).build());
        table.add(command("hincrby", 4, "write denyoom fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hincrby).build());
        table.add(command("hincrbyfloat", 4, "write denyoom fast").acl("hash").keys(1, 1, 1)
                .handler(HashCommands::hincrbyfloat).build());
        table.add(command("hrandfield", -2, "readonly").acl("hash").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(HashCommands::hrandfield).build());
        table.add(command("hscan", -3, "readonly").acl("hash").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(HashCommands::hscan).build());
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

    /** The value as a hash, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static HashValue asHash(RedisObject o) {
        if (o == null || o instanceof HashValue) {
            return (HashValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /**
     * Stores a hash the command filled: a new one is added under the key, an existing one was changed in
     * place (hashTypeLookupWriteOrCreate's dbAdd, or signalModifiedKey).
     */
    private static void stored(Keyspace ks, byte[] key, HashValue hash, boolean created) {
        if (created) {
            ks.setKey(key, hash, false);
        } else {
            ks.valueChangedInPlace(key);
        }
    }

    private static void bulkOrNull(RespWriter r, byte[] value) {
        if (value == null) {
            r.nullBulk();
        } else {
            r.bulk(value);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Writes
    // -------------------------------------------------------------------------------------------------------

    /**
     * HSET / HMSET key field value [field value ...]: an odd pair count is an arity error, checked before
     * the key. Every argument is measured against hash-max-listpack-value before any is written
     * (hashTypeTryConversion). HSET answers how many fields it added, HMSET +OK.
     */
    private static void hset(Client c, byte[][] argv, boolean hmset) {
        if (argv.length % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for '" + (hmset ? "hmset" : "hset") + "' command");
        }
        Keyspace ks = keyspace(c);
        ServerConfig config = c.node().config();
        HashValue hash = asHash(ks.lookupWrite(argv[1]));
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create();
        }
        hash.convertIfTooLong(argv, 2, argv.length - 1, config.hashMaxListpackValue);
        int added = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (!hash.set(argv[i], argv[i + 1], config.hashMaxListpackEntries, config.hashMaxListpackValue)) {
                added++;
            }
        }
        stored(ks, argv[1], hash, created);
        if (hmset) {
            c.reply().ok();
        } else {
            c.reply().integer(added);
        }
        notify(c, KeyspaceEvents.HASH, "hset", argv[1]);
    }

    /** HSETNX key field value: 1 when the field was added, 0 (and no change) when it existed. */
    private static void hsetnx(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        ServerConfig config = c.node().config();
        HashValue hash = asHash(ks.lookupWrite(argv[1]));
        if (hash != null && hash.get(argv[2]) != null) {
            c.reply().integer(0);
            return;
        }
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create();
        }
        hash.convertIfTooLong(argv, 2, 3, config.hashMaxListpackValue);
        hash.set(argv[2], argv[3], config.hashMaxListpackEntries, config.hashMaxListpackValue);
        stored(ks, argv[1], hash, created);
        c.reply().integer(1);
        notify(c, KeyspaceEvents.HASH, "hset", argv[1]);
    }

    /**
     * HDEL key field [field ...]: how many of the fields were removed. The key goes with its last field,
     * and the fields after that are not looked at.
     */
    private static void hdel(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        HashValue hash = asHash(ks.lookupWrite(argv[1]));
        if (hash == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < argv.length; j++) {
            if (hash.delete(argv[j])) {
                deleted++;
                if (hash.size() == 0) {
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
            notify(c, KeyspaceEvents.HASH, "hdel", argv[1]);
            if (keyRemoved) {
                notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
            }
        }
        c.reply().integer(deleted);
    }

    /**
     * HINCRBY key field increment: the field (0 when missing) must read as a 64-bit integer and the sum must
     * not overflow. The increment is parsed before the key is looked at.
     */
    private static void hincrby(Client c, byte[][] argv) {
        long incr = Args.integer(argv[3]);
        Keyspace ks = keyspace(c);
        ServerConfig config = c.node().config();
        HashValue hash = asHash(ks.lookupWrite(argv[1]));
        byte[] current = hash == null ? null : hash.get(argv[2]);
        long value = 0;
        if (current != null) {
            if (!RedisNumbers.isLong(current)) {
                throw new CommandError("ERR hash value is not an integer");
            }
            value = RedisNumbers.parseLong(current);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        value += incr;
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create();
        }
        hash.set(argv[2], RedisNumbers.toBytes(value), config.hashMaxListpackEntries, config.hashMaxListpackValue);
        stored(ks, argv[1], hash, created);
        c.reply().integer(value);
        notify(c, KeyspaceEvents.HASH, "hincrby", argv[1]);
    }

    /**
     * HINCRBYFLOAT key field increment: as INCRBYFLOAT, in long double precision, printed with %.17Lf minus
     * trailing zeros. An infinite increment is refused before the key is looked at. Replicas get
     * HSET key field result, so that they store exactly the text this node computed.
     */
    private static void hincrbyfloat(Client c, byte[][] argv) {
        LongDouble incr = LongDouble.parse(argv[3]);
        if (incr == null) {
            throw new CommandError(NOT_A_FLOAT);
        }
        if (!incr.isFinite()) {
            throw new CommandError("ERR value is NaN or Infinity");
        }
        Keyspace ks = keyspace(c);
        ServerConfig config = c.node().config();
        HashValue hash = asHash(ks.lookupWrite(argv[1]));
        byte[] current = hash == null ? null : hash.get(argv[2]);
        LongDouble value = LongDouble.of(0);
        if (current != null) {
            value = LongDouble.parse(current);
            if (value == null) {
                throw new CommandError("ERR hash value is not a float");
            }
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] result = sum.toHumanString().getBytes(US_ASCII);
        boolean created = hash == null;
        if (created) {
            hash = HashValue.create();
        }
        hash.set(argv[2], result, config.hashMaxListpackEntries, config.hashMaxListpackValue);
        stored(ks, argv[1], hash, created);
        c.rewriteCommandVector(HSET_NAME, argv[1], argv[2], result);
        c.reply().bulk(result);
        notify(c, KeyspaceEvents.HASH, "hincrbyfloat", argv[1]);
    }

    // -------------------------------------------------------------------------------------------------------
    // Reads
    // -------------------------------------------------------------------------------------------------------

    private static void hget(Client c, byte[][] argv) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        bulkOrNull(c.reply(), hash == null ? null : hash.get(argv[2]));
    }

    /** HMGET: a missing key is an empty hash, so every field answers nil. */
    private static void hmget(Client c, byte[][] argv) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            bulkOrNull(r, hash == null ? null : hash.get(argv[j]));
        }
    }

    private static void hlen(Client c, byte[][] argv) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(hash == null ? 0 : hash.size());
    }

    private static void hstrlen(Client c, byte[][] argv) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        byte[] value = hash == null ? null : hash.get(argv[2]);
        c.reply().integer(value == null ? 0 : value.length);
    }

    private static void hexists(Client c, byte[][] argv) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(hash != null && hash.get(argv[2]) != null ? 1 : 0);
    }

    /**
     * HGETALL (a map of fields to values), HKEYS and HVALS (arrays), in the hash's order: insertion order for
     * a listpack, the table's for a hashtable.
     */
    private static void hgetall(Client c, byte[][] argv, boolean fields, boolean values) {
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        int n = hash == null ? 0 : hash.size();
        if (fields && values) {
            r.map(n);
        } else {
            r.array(n);
        }
        for (int i = 0; i < n; i++) {
            if (fields) {
                r.bulk(hash.fieldAt(i));
            }
            if (values) {
                r.bulk(hash.valueAt(i));
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // HRANDFIELD
    // -------------------------------------------------------------------------------------------------------

    /**
     * HRANDFIELD key [count [WITHVALUES]]: without count, one random field or nil. The count is parsed
     * first, then the options, then the key is looked at.
     */
    private static void hrandfield(Client c, byte[][] argv) {
        if (argv.length >= 3) {
            long count = SetCommands.rangedCount(argv[2]);
            boolean withValues = argv.length == 4;
            if (argv.length > 4 || (withValues && !KeyCommands.optionIs(argv[3], "withvalues"))) {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
            if (withValues && (count < -WITHVALUES_COUNT_MAX || count > WITHVALUES_COUNT_MAX)) {
                throw new CommandError("ERR value is out of range");
            }
            hrandfieldWithCount(c, argv[1], count, withValues);
            return;
        }
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        if (hash == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(hash.fieldAt(ThreadLocalRandom.current().nextInt(hash.size())));
    }

    /**
     * hrandfieldWithCountCommand. A negative count asks for that many fields picked independently (repeats
     * possible); a positive one for distinct fields, at most the whole hash. With WITHVALUES each field is
     * followed by its value: flat in RESP2, a [field, value] pair per field in RESP3.
     */
    private static void hrandfieldWithCount(Client c, byte[] key, long l, boolean withValues) {
        HashValue hash = asHash(keyspace(c).lookupRead(key));
        RespWriter r = c.reply();
        if (hash == null || l == 0) {
            r.array(0);
            return;
        }
        boolean pairs = withValues && c.protocol() > 2;
        int size = hash.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (l < 0 || l == 1) {
            long count = Math.abs(l);
            r.array(replyLength(count, withValues, pairs));
            for (long n = 0; n < count; n++) {
                entry(r, hash, random.nextInt(size), withValues, pairs);
            }
            return;
        }
        if (l >= size) {
            r.array(replyLength(size, withValues, pairs));
            for (int i = 0; i < size; i++) {
                entry(r, hash, i, withValues, pairs);
            }
            return;
        }
        int count = (int) l;
        r.array(replyLength(count, withValues, pairs));
        for (int i : distinctIndexes(size, count, hash.encoding() == HashValue.Encoding.LISTPACK)) {
            entry(r, hash, i, withValues, pairs);
        }
    }

    /**
     * {@code count} distinct random positions below {@code size} (count &lt; size). Near the whole hash
     * (CASE 3), random positions are dropped from all of them; otherwise (CASE 4) a listpack is sampled in
     * one ordered pass (lpRandomPairsUnique) and a hashtable by random picks until enough differ.
     */
    static List<Integer> distinctIndexes(int size, int count, boolean orderedSample) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Integer> out = new ArrayList<>(count);
        if ((long) count * SUB_STRATEGY_MUL > size) {
            for (int i = 0; i < size; i++) {
                out.add(i);
            }
            while (out.size() > count) {
                int drop = random.nextInt(out.size());
                Collections.swap(out, drop, out.size() - 1);
                out.remove(out.size() - 1);
            }
        } else if (orderedSample) {
            int needed = count;
            for (int i = 0; i < size && needed > 0; i++) {
                if (random.nextInt(size - i) < needed) {
                    out.add(i);
                    needed--;
                }
            }
        } else {
            Set<Integer> seen = new HashSet<>();
            while (out.size() < count) {
                int i = random.nextInt(size);
                if (seen.add(i)) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /** The reply's array length: RESP2 flattens field/value pairs, RESP3 nests them. */
    private static int replyLength(long count, boolean withValues, boolean pairs) {
        return Math.toIntExact(withValues && !pairs ? 2 * count : count);
    }

    private static void entry(RespWriter r, HashValue hash, int i, boolean withValues, boolean pairs) {
        if (pairs) {
            r.array(2);
        }
        r.bulk(hash.fieldAt(i));
        if (withValues) {
            r.bulk(hash.valueAt(i));
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // HSCAN
    // -------------------------------------------------------------------------------------------------------

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key (a missing
     * key answers an empty scan whatever the options), then the options. A listpack hash comes whole with
     * cursor 0; a hashtable one a bucket at a time, up to COUNT pairs, as SCAN does.
     */
    private static void hscan(Client c, byte[][] argv) {
        long cursor = KeyCommands.parseCursor(argv[2]);
        HashValue hash = asHash(keyspace(c).lookupRead(argv[1]));
        if (hash == null) {
            SetCommands.scanReply(c.reply(), 0, List.of());
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 3);
        List<byte[]> found = new ArrayList<>();
        if (hash.encoding() == HashValue.Encoding.HASHTABLE) {
            // Each field brings its value: COUNT counts replies, so twice as many (scanGenericCommand).
            long count = options.count() * 2;
            long maxIterations = count * ScanOptions.BUCKETS_PER_COUNT;
            do {
                cursor = hash.scan(cursor, (field, value) -> {
                    found.add(field);
                    found.add(value);
                });
            } while (cursor != 0 && maxIterations-- != 0 && Long.compareUnsigned(found.size(), count) < 0);
        } else {
            hash.forEach((field, value) -> {
                found.add(field);
                found.add(value);
            });
            cursor = 0;
        }
        List<byte[]> kept = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i += 2) {
            if (options.pattern() == null || StringMatch.matches(options.pattern(), found.get(i))) {
                kept.add(found.get(i));
                kept.add(found.get(i + 1));
            }
        }
        SetCommands.scanReply(c.reply(), cursor, kept);
    }
}
