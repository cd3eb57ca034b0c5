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
import dev.clusteremu.server.keyspace.LongDouble;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The string commands of t_string.c, with Redis 7.0's arity, flags, key positions, replies and errors. Each
 * handler validates everything it can before touching the keyspace, so a refused command changes nothing.
 */
public final class StringCommands {
    /** Flags of SET's and GETEX's options (OBJ_SET_NX ... OBJ_PERSIST). */
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int EX = 1 << 2;
    private static final int PX = 1 << 3;
    private static final int KEEPTTL = 1 << 4;
    private static final int GET = 1 << 5;
    private static final int EXAT = 1 << 6;
    private static final int PXAT = 1 << 7;
    private static final int PERSIST = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    private static final String NOT_A_FLOAT = "ERR value is not a valid float";
    private static final byte[] SET_NAME = "SET".getBytes(US_ASCII);
    private static final byte[] PXAT_OPTION = "PXAT".getBytes(US_ASCII);
    private static final byte[] KEEPTTL_OPTION = "KEEPTTL".getBytes(US_ASCII);
    private static final byte[] PEXPIREAT_NAME = "PEXPIREAT".getBytes(US_ASCII);
    private static final byte[] PERSIST_NAME = "PERSIST".getBytes(US_ASCII);
    private static final String MULTI_SHARD = "request_policy:multi_shard";

    private StringCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("get", 2, "readonly fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::get).build());
        table.add(command("set", -3, "write denyoom").acl("string").keys(1, 1, 1)
                .handler(StringCommands::set).build());
        table.add(command("setnx", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::setnx).build());
        table.add(command("setex", 4, "write denyoom").acl("string").keys(1, 1, 1)
                .handler((c, argv) -> setWithExpire(c, argv, EX)).build());
        table.add(command("psetex", 4, "write denyoom").acl("string").keys(1, 1, 1)
                .handler((c, argv) -> setWithExpire(c, argv, PX)).build());
        table.add(command("getset", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::getset).build());
        table.add(command("getdel", 2, "write fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::getdel).build());
        table.add(command("getex", -2, "write fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::getex).build());
        table.add(command("append", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::append).build());
        table.add(command("strlen", 2, "readonly fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::strlen).build());
        table.add(command("getrange", 4, "readonly").acl("string").keys(1, 1, 1)
                .handler(StringCommands::getrange).build());
        table.add(command("substr", 4, "readonly").acl("string").keys(1, 1, 1)
                .handler(StringCommands::getrange).build());
        table.add(command("setrange", 4, "write denyoom").acl("string").keys(1, 1, 1)
                .handler(StringCommands::setrange).build());
        table.add(command("mget", -2, "readonly fast").acl("string").keys(1, -1, 1).tips(MULTI_SHARD)
                .handler(StringCommands::mget).build());
        table.add(command("mset", -3, "write denyoom").acl("string").keys(1, -1, 2)
                .tips(MULTI_SHARD + " response_policy:all_succeeded")
                .handler((c, argv) -> mset(c, argv, false)).build());
        table.add(command("msetnx", -3, "write denyoom").acl("string").keys(1, -1, 2)
                .tips(MULTI_SHARD + " response_policy:agg_min")
                .handler((c, argv) -> mset(c, argv, true)).build());
        table.add(command("incr", 2, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler((c, argv) -> incrDecr(c, argv[1], 1)).build());
        table.add(command("decr", 2, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler((c, argv) -> incrDecr(c, argv[1], -1)).build());
        table.add(command("incrby", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler((c, argv) -> incrDecr(c, argv[1], Args.integer(argv[2]))).build());
        table.add(command("decrby", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::decrby).build());
        table.add(command("incrbyfloat", 3, "write denyoom fast").acl("string").keys(1, 1, 1)
                .handler(StringCommands::incrbyfloat).build());
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

    /** The value as a string, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static StringValue asString(RedisObject o) {
        if (o == null || o instanceof StringValue) {
            return (StringValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /** addReplyBulk of a string value: an int-encoded one prints its decimal digits. */
    private static void bulk(RespWriter r, StringValue v) {
        if (v.isInt()) {
            r.bulk(v.intValue());
        } else {
            r.bulk(v.bytes());
        }
    }

    private static void bulkOrNull(RespWriter r, StringValue v) {
        if (v == null) {
            r.nullBulk();
        } else {
            bulk(r, v);
        }
    }

    /**
     * checkStringLength: a string may not grow past proto-max-bulk-len (nor past what a Java array holds).
     * Both sizes are non-negative.
     */
    private static void checkStringLength(Client c, long size, long append) {
        long limit = Math.min(c.node().config().protoMaxBulkLen, Integer.MAX_VALUE - 8);
        if (size > limit - append) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // GET, SET and their variants
    // -------------------------------------------------------------------------------------------------------

    private static void get(Client c, byte[][] argv) {
        bulkOrNull(c.reply(), asString(keyspace(c).lookupRead(argv[1])));
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]. */
    private static void set(Client c, byte[][] argv) {
        int flags = 0;
        byte[] expire = null;
        for (int j = 3; j < argv.length; j++) {
            byte[] opt = argv[j];
            boolean hasNext = j < argv.length - 1;
            if (KeyCommands.optionIs(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (KeyCommands.optionIs(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (KeyCommands.optionIs(opt, "get")) {
                flags |= GET;
            } else if (KeyCommands.optionIs(opt, "keepttl") && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else {
                int unit = expireOption(opt, flags, hasNext);
                if (unit == 0) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                flags |= unit;
                expire = argv[++j];
            }
        }
        setGeneric(c, argv[1], argv[2], flags, expire, "set", false);
        // Replicas need not read the old value: SET ... GET propagates without GET, unless the expire
        // already rewrote it whole.
        if ((flags & GET) != 0 && expire == null) {
            c.rewriteCommandVector(withoutGet(argv));
        }
    }

    /** argv without its GET options (any case, but exactly "get" as C reads the argument). */
    private static byte[][] withoutGet(byte[][] argv) {
        List<byte[]> kept = new ArrayList<>();
        for (int j = 0; j < argv.length; j++) {
            if (j < 3 || !KeyCommands.optionIs(argv[j], "get")) {
                kept.add(argv[j]);
            }
        }
        return kept.toArray(new byte[0][]);
    }

    /**
     * Which of EX, PX, EXAT, PXAT {@code opt} is, when it may follow the options in {@code flags} and has a
     * value after it; 0 otherwise (parseExtendedStringArgumentsOrReply: the expire options exclude each
     * other, KEEPTTL and PERSIST, though each may repeat).
     */
    private static int expireOption(byte[] opt, int flags, boolean hasNext) {
        int option;
        if (KeyCommands.optionIs(opt, "ex")) {
            option = EX;
        } else if (KeyCommands.optionIs(opt, "px")) {
            option = PX;
        } else if (KeyCommands.optionIs(opt, "exat")) {
            option = EXAT;
        } else if (KeyCommands.optionIs(opt, "pxat")) {
            option = PXAT;
        } else {
            return 0;
        }
        int excluded = (ANY_EXPIRE & ~option) | KEEPTTL | PERSIST;
        return (flags & excluded) == 0 && hasNext ? option : 0;
    }

    private static void setnx(Client c, byte[][] argv) {
        setGeneric(c, argv[1], argv[2], NX, null, "setnx", true);
    }

    /** SETEX key seconds value, PSETEX key milliseconds value. */
    private static void setWithExpire(Client c, byte[][] argv, int unit) {
        setGeneric(c, argv[1], argv[3], unit, argv[2], unit == EX ? "setex" : "psetex", false);
    }

    /**
     * setGenericCommand: the expire is validated first, then GET reads and replies the old value (refusing
     * a non-string before anything changes), then NX/XX decide. An expire already in the past is stored as
     * such, not turned into a delete: Redis 7.0 leaves the key to lazy or active expiry (DBSIZE still counts
     * it). Replies +OK or nil, or with {@code integerReply} (SETNX) 1 or 0, after the "set" (and "expire")
     * notifications.
     */
    private static void setGeneric(Client c, byte[] key, byte[] value, int flags, byte[] expire, String name,
            boolean integerReply) {
        Keyspace ks = keyspace(c);
        long when = expire == null ? 0 : expireMillis(c, expire, flags, name);
        RespWriter r = c.reply();
        boolean get = (flags & GET) != 0;
        if (get) {
            bulkOrNull(r, asString(ks.lookupRead(key)));
        }
        boolean found = ks.lookupWrite(key) != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if (!get) {
                if (integerReply) {
                    r.integer(0);
                } else {
                    r.nullBulk();
                }
            }
            return;
        }
        ks.setKey(key, StringValue.of(value), (flags & KEEPTTL) != 0);
        notify(c, KeyspaceEvents.STRING, "set", key);
        if (expire != null) {
            ks.setExpire(key, when);
            // Replicas get the absolute time: a relative one would expire later there, by the lag.
            c.rewriteCommandVector(SET_NAME, key, value, PXAT_OPTION, RedisNumbers.toBytes(when));
            notify(c, KeyspaceEvents.GENERIC, "expire", key);
        }
        if (!get) {
            if (integerReply) {
                r.integer(1);
            } else {
                r.ok();
            }
        }
    }

    /**
     * getExpireMillisecondsOrReply: the expire argument as an absolute Unix time in milliseconds. Must be
     * positive; EX/PX are relative to now; any overflow is "invalid expire time".
     */
    private static long expireMillis(Client c, byte[] arg, int flags, String name) {
        long ms = Args.integer(arg);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
            throw invalidExpireTime(name);
        }
        if (seconds) {
            ms *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            ms += c.node().now();
        }
        if (ms <= 0) {
            throw invalidExpireTime(name);
        }
        return ms;
    }

    static CommandError invalidExpireTime(String name) {
        return new CommandError("ERR invalid expire time in '" + name + "' command");
    }

    private static void getset(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        bulkOrNull(c.reply(), asString(ks.lookupRead(argv[1])));
        ks.setKey(argv[1], StringValue.of(argv[2]), false);
        notify(c, KeyspaceEvents.STRING, "set", argv[1]);
        c.rewriteCommandVector(SET_NAME, argv[1], argv[2]);
    }

    private static void getdel(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StringValue old = asString(ks.lookupRead(argv[1]));
        bulkOrNull(c.reply(), old);
        if (old != null) {
            ks.delete(argv[1]);
            c.rewriteCommandVector(KeyCommands.deletion(c, "lazyfree-lazy-user-del"), argv[1]);
            notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
        }
    }

    /**
     * GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]: a missing key answers nil before the expire is even
     * validated; an EXAT/PXAT already in the past deletes the key after replying its value.
     */
    private static void getex(Client c, byte[][] argv) {
        int flags = 0;
        byte[] expire = null;
        for (int j = 2; j < argv.length; j++) {
            byte[] opt = argv[j];
            if (KeyCommands.optionIs(opt, "persist") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
                flags |= PERSIST;
            } else {
                int unit = expireOption(opt, flags, j < argv.length - 1);
                if (unit == 0) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                flags |= unit;
                expire = argv[++j];
            }
        }
        Keyspace ks = keyspace(c);
        StringValue v = asString(ks.lookupRead(argv[1]));
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        long when = expire == null ? 0 : expireMillis(c, expire, flags, "getex");
        bulk(c.reply(), v);
        // GETEX never propagates as itself: replicas get the change it made, with an absolute time.
        if ((flags & (EXAT | PXAT)) != 0 && when <= c.node().now()) {
            ks.delete(argv[1]);
            c.rewriteCommandVector(KeyCommands.deletion(c, "lazyfree-lazy-expire"), argv[1]);
            notify(c, KeyspaceEvents.GENERIC, "del", argv[1]);
        } else if (expire != null) {
            ks.setExpire(argv[1], when);
            c.rewriteCommandVector(PEXPIREAT_NAME, argv[1], RedisNumbers.toBytes(when));
            notify(c, KeyspaceEvents.GENERIC, "expire", argv[1]);
        } else if ((flags & PERSIST) != 0 && ks.removeExpire(argv[1])) {
            c.rewriteCommandVector(PERSIST_NAME, argv[1]);
            notify(c, KeyspaceEvents.GENERIC, "persist", argv[1]);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Lengths and ranges
    // -------------------------------------------------------------------------------------------------------

    /** APPEND: a missing key is created as SET would; an existing string grows in place (raw). */
    private static void append(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StringValue v = asString(ks.lookupWrite(argv[1]));
        if (v == null) {
            StringValue created = StringValue.of(argv[2]);
            ks.setKey(argv[1], created, false);
            notify(c, KeyspaceEvents.STRING, "append", argv[1]);
            c.reply().integer(created.length());
            return;
        }
        checkStringLength(c, v.length(), argv[2].length);
        StringValue grown = v.unshare();
        grown.append(argv[2]);
        if (grown != v) {
            ks.setKey(argv[1], grown, true);
        } else {
            ks.valueChangedInPlace(argv[1]);
        }
        notify(c, KeyspaceEvents.STRING, "append", argv[1]);
        c.reply().integer(grown.length());
    }

    private static void strlen(Client c, byte[][] argv) {
        StringValue v = asString(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(v == null ? 0 : v.length());
    }

    /**
     * GETRANGE key start end (and SUBSTR): inclusive, negative offsets from the end, clamped. Two negative
     * offsets in reverse order answer empty before clamping, but a reversed pair that clamps to the same
     * byte still answers that byte (GETRANGE s -100 -50 is the first byte).
     */
    private static void getrange(Client c, byte[][] argv) {
        long start = Args.integer(argv[2]);
        long end = Args.integer(argv[3]);
        StringValue v = asString(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        if (v == null) {
            r.bulk(new byte[0]);
            return;
        }
        byte[] s = v.bytes();
        long len = s.length;
        if (start < 0 && end < 0 && start > end) {
            r.bulk(new byte[0]);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        end = Math.min(end, len - 1);
        if (start > end || len == 0) {
            r.bulk(new byte[0]);
        } else {
            r.bulk(Arrays.copyOfRange(s, (int) start, (int) end + 1));
        }
    }

    /**
     * SETRANGE key offset value: pads with zero bytes up to the offset. An empty value changes nothing and
     * answers the current length, before the size limit is checked.
     */
    private static void setrange(Client c, byte[][] argv) {
        long offset = Args.integer(argv[2]);
        byte[] value = argv[3];
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        Keyspace ks = keyspace(c);
        StringValue v = asString(ks.lookupWrite(argv[1]));
        StringValue target;
        if (v == null) {
            if (value.length == 0) {
                c.reply().integer(0);
                return;
            }
            checkStringLength(c, offset, value.length);
            target = StringValue.zeros((int) offset + value.length);
            ks.setKey(argv[1], target, false);
        } else {
            if (value.length == 0) {
                c.reply().integer(v.length());
                return;
            }
            checkStringLength(c, offset, value.length);
            target = v.unshare();
            if (target != v) {
                ks.setKey(argv[1], target, true);
            } else {
                ks.valueChangedInPlace(argv[1]);
            }
        }
        target.setRange((int) offset, value);
        notify(c, KeyspaceEvents.STRING, "setrange", argv[1]);
        c.reply().integer(target.length());
    }

    // -------------------------------------------------------------------------------------------------------
    // Multiple keys
    // -------------------------------------------------------------------------------------------------------

    /** MGET: a missing key or one of another type answers nil, never WRONGTYPE. */
    private static void mget(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        RespWriter r = c.reply();
        r.array(argv.length - 1);
        for (int j = 1; j < argv.length; j++) {
            RedisObject o = ks.lookupRead(argv[j]);
            bulkOrNull(r, o instanceof StringValue s ? s : null);
        }
    }

    /**
     * MSET / MSETNX key value [key value ...]: an odd number of pairs is an arity error (checked here, after
     * routing). MSETNX sets nothing when any key exists. Later pairs win over earlier ones with the same key.
     */
    private static void mset(Client c, byte[][] argv, boolean nx) {
        if (argv.length % 2 == 0) {
            throw new CommandError("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
        }
        Keyspace ks = keyspace(c);
        if (nx) {
            for (int j = 1; j < argv.length; j += 2) {
                if (ks.lookupWrite(argv[j]) != null) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < argv.length; j += 2) {
            ks.setKey(argv[j], StringValue.of(argv[j + 1]), false);
            notify(c, KeyspaceEvents.STRING, "set", argv[j]);
        }
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Counters
    // -------------------------------------------------------------------------------------------------------

    /**
     * INCR, DECR, INCRBY: the value must read as a 64-bit integer (a missing key is 0) and the result must
     * not overflow. The key keeps its TTL (dbOverwrite).
     */
    private static void incrDecr(Client c, byte[] key, long incr) {
        Keyspace ks = keyspace(c);
        StringValue v = asString(ks.lookupWrite(key));
        long value = 0;
        if (v != null) {
            if (!v.isLong()) {
                throw new CommandError(Args.NOT_AN_INTEGER);
            }
            value = v.toLong();
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        value += incr;
        ks.setKey(key, StringValue.ofLong(value), true);
        notify(c, KeyspaceEvents.STRING, "incrby", key);
        c.reply().integer(value);
    }

    /** DECRBY: negating the decrement must not overflow. */
    private static void decrby(Client c, byte[][] argv) {
        long decrement = Args.integer(argv[2]);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrDecr(c, argv[1], -decrement);
    }

    /**
     * INCRBYFLOAT: both operands read as long doubles (strtold), summed in extended precision, printed with
     * %.17Lf minus trailing zeros. The result is stored as a plain string (embstr or raw, never int) and
     * keeps the key's TTL.
     */
    private static void incrbyfloat(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        StringValue v = asString(ks.lookupWrite(argv[1]));
        LongDouble value;
        if (v == null) {
            value = LongDouble.of(0);
        } else if (v.isInt()) {
            value = LongDouble.of(v.intValue());
        } else {
            value = LongDouble.parse(v.bytes());
        }
        LongDouble incr = LongDouble.parse(argv[2]);
        if (value == null || incr == null) {
            throw new CommandError(NOT_A_FLOAT);
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        StringValue result = StringValue.create(sum.toHumanString().getBytes(US_ASCII));
        ks.setKey(argv[1], result, true);
        notify(c, KeyspaceEvents.STRING, "incrbyfloat", argv[1]);
        // Replicas get the result, not the increment: float formatting may differ from one build to another.
        c.rewriteCommandVector(SET_NAME, argv[1], result.bytes(), KEEPTTL_OPTION);
        c.reply().bulk(result.bytes());
    }
}
