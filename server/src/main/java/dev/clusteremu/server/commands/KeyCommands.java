package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringMatch;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The generic key commands of db.c and expire.c (DEL, EXISTS, TYPE, the TTL and EXPIRE families, KEYS,
 * SCAN, RANDOMKEY, RENAME, TOUCH), with Redis 7.0's arity, flags, key positions, replies and errors.
 */
public final class KeyCommands {
    /** Flags of the EXPIRE family's options. */
    private static final int EXPIRE_NX = 1;
    private static final int EXPIRE_XX = 1 << 1;
    private static final int EXPIRE_GT = 1 << 2;
    private static final int EXPIRE_LT = 1 << 3;

    /** SCAN's default COUNT. */
    private static final long SCAN_DEFAULT_COUNT = 10;
    /**
     * SCAN visits at most 10 × COUNT buckets per call, so a sparse table (many empty buckets) cannot make
     * one call slow; it may then return few or no keys with a non-zero cursor.
     */
    private static final long SCAN_BUCKETS_PER_COUNT = 10;

    private static final String MULTI_SHARD_SUM = "request_policy:multi_shard response_policy:agg_sum";
    private static final byte[] DEL_NAME = "DEL".getBytes(US_ASCII);
    private static final byte[] UNLINK_NAME = "UNLINK".getBytes(US_ASCII);
    private static final byte[] PEXPIREAT_NAME = "PEXPIREAT".getBytes(US_ASCII);

    private KeyCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("del", -2, "write").acl("keyspace").keys(1, -1, 1).tips(MULTI_SHARD_SUM)
                .handler(KeyCommands::del).build());
        table.add(command("unlink", -2, "write fast").acl("keyspace").keys(1, -1, 1).tips(MULTI_SHARD_SUM)
                .handler(KeyCommands::del).build());
        table.add(command("exists", -2, "readonly fast").acl("keyspace").keys(1, -1, 1).tips(MULTI_SHARD_SUM)
                .handler(KeyCommands::exists).build());
        table.add(command("touch", -2, "readonly fast").acl("keyspace").keys(1, -1, 1).tips(MULTI_SHARD_SUM)
                .handler(KeyCommands::touch).build());
        table.add(command("type", 2, "readonly fast").acl("keyspace").keys(1, 1, 1)
                .handler(KeyCommands::type).build());
        table.add(command("ttl", 2, "readonly fast").acl("keyspace").keys(1, 1, 1).tips("nondeterministic_output")
                .handler((c, argv) -> ttl(c, argv, false, false)).build());
        table.add(command("pttl", 2, "readonly fast").acl("keyspace").keys(1, 1, 1).tips("nondeterministic_output")
                .handler((c, argv) -> ttl(c, argv, true, false)).build());
        table.add(command("expiretime", 2, "readonly fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> ttl(c, argv, false, true)).build());
        table.add(command("pexpiretime", 2, "readonly fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> ttl(c, argv, true, true)).build());
        table.add(command("expire", -3, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> expire(c, argv, "expire", true, true)).build());
        table.add(command("pexpire", -3, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> expire(c, argv, "pexpire", true, false)).build());
        table.add(command("expireat", -3, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> expire(c, argv, "expireat", false, true)).build());
        table.add(command("pexpireat", -3, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> expire(c, argv, "pexpireat", false, false)).build());
        table.add(command("persist", 2, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler(KeyCommands::persist).build());
        table.add(command("keys", 2, "readonly").acl("keyspace dangerous")
                .tips("request_policy:all_shards nondeterministic_output_order")
                .handler(KeyCommands::keys).build());
        table.add(command("scan", -2, "readonly").acl("keyspace")
                .tips("nondeterministic_output request_policy:special")
                .handler(KeyCommands::scan).build());
        table.add(command("randomkey", 1, "readonly").acl("keyspace")
                .tips("request_policy:all_shards nondeterministic_output")
                .handler(KeyCommands::randomkey).build());
        table.add(command("rename", 3, "write").acl("keyspace").keys(1, 2, 1)
                .handler((c, argv) -> rename(c, argv, false)).build());
        table.add(command("renamenx", 3, "write fast").acl("keyspace").keys(1, 2, 1)
                .handler((c, argv) -> rename(c, argv, true)).build());
        table.add(command("copy", -3, "write denyoom").acl("keyspace").keys(1, 2, 1)
                .handler(KeyCommands::copy).build());
    }

    /**
     * Whether an option argument is {@code keyword}, case-insensitively, read as a C string the way Redis's
     * strcasecmp reads it: bytes after a NUL are not part of the option ("ex\0junk" is EX).
     */
    static boolean optionIs(byte[] arg, String keyword) {
        return Args.is(cString(arg), keyword);
    }

    /** The bytes up to the first NUL: what %s and strcasecmp see of an argument. */
    private static byte[] cString(byte[] arg) {
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == 0) {
                return Arrays.copyOf(arg, i);
            }
        }
        return arg;
    }

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    /** A "generic" keyspace notification, where db.c and expire.c raise one. */
    private static void notifyGeneric(Client c, String event, byte[] key) {
        c.node().notifications().notify(KeyspaceEvents.GENERIC, event, key);
    }

    /**
     * The command a deletion propagates as: UNLINK when {@code lazyfreeParam} (a lazyfree-lazy-* parameter)
     * is on, since the deletion was asynchronous, else DEL.
     */
    static byte[] deletion(Client c, String lazyfreeParam) {
        return (Boolean) ConfigTable.valueOf(c.node(), lazyfreeParam) ? UNLINK_NAME : DEL_NAME;
    }

    // -------------------------------------------------------------------------------------------------------
    // Existence and deletion
    // -------------------------------------------------------------------------------------------------------

    /**
     * DEL / UNLINK: counts the keys actually deleted. A key that had already expired is reclaimed but not
     * counted, and a key named twice is deleted once.
     */
    private static void del(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        int deleted = 0;
        for (int j = 1; j < argv.length; j++) {
            ks.expireIfNeeded(argv[j]);
            if (ks.delete(argv[j])) {
                notifyGeneric(c, "del", argv[j]);
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    /** EXISTS key...: how many of the keys exist, without counting as an access to them (LOOKUP_NOTOUCH). */
    private static void exists(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        int found = 0;
        for (int j = 1; j < argv.length; j++) {
            if (ks.lookupReadNoTouch(argv[j]) != null) {
                found++;
            }
        }
        c.reply().integer(found);
    }

    /** TOUCH key...: how many of the keys exist, each lookup an access (their idle time restarts). */
    private static void touch(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        int touched = 0;
        for (int j = 1; j < argv.length; j++) {
            if (ks.lookupRead(argv[j]) != null) {
                touched++;
            }
        }
        c.reply().integer(touched);
    }

    private static void type(Client c, byte[][] argv) {
        RedisObject o = keyspace(c).lookupReadNoTouch(argv[1]);
        c.reply().simple(o == null ? "none" : o.type().typeName());
    }

    // -------------------------------------------------------------------------------------------------------
    // Expires
    // -------------------------------------------------------------------------------------------------------

    /**
     * TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without expire, else the remaining time
     * (never negative) or the absolute time, in seconds rounded to nearest or in milliseconds.
     */
    private static void ttl(Client c, byte[][] argv, boolean milliseconds, boolean absolute) {
        Keyspace ks = keyspace(c);
        RespWriter r = c.reply();
        if (ks.lookupReadNoTouch(argv[1]) == null) {
            r.integer(-2);
            return;
        }
        long expire = ks.getExpire(argv[1]);
        if (expire == -1) {
            r.integer(-1);
            return;
        }
        long ttl = Math.max(absolute ? expire : expire - c.node().now(), 0);
        // (ttl + 500) / 1000 as redis-server computes it: unsigned, so even the largest TTL rounds correctly.
        r.integer(milliseconds ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }

    /**
     * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX|XX|GT|LT] (expireGenericCommand): options first,
     * then the time (negative allowed, overflow refused), then the key. A time already past deletes the
     * key; GT treats "no expire" as infinite, LT as larger than any time. As in Redis, a deletion's "del"
     * notification comes before the reply, a new expire's "expire" notification after it.
     */
    private static void expire(Client c, byte[][] argv, String name, boolean relative, boolean seconds) {
        int flags = expireFlags(c, argv);
        if (flags < 0) {
            return;
        }
        long when = Args.integer(argv[2]);
        long basetime = relative ? c.node().now() : 0;
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw StringCommands.invalidExpireTime(name);
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) {
            throw StringCommands.invalidExpireTime(name);
        }
        when += basetime;

        Keyspace ks = keyspace(c);
        byte[] key = argv[1];
        if (ks.lookupWrite(key) == null) {
            c.reply().integer(0);
            return;
        }
        if (flags != 0) {
            long current = ks.getExpire(key);
            boolean refused = ((flags & EXPIRE_NX) != 0 && current != -1)
                    || ((flags & EXPIRE_XX) != 0 && current == -1)
                    || ((flags & EXPIRE_GT) != 0 && (when <= current || current == -1))
                    || ((flags & EXPIRE_LT) != 0 && current != -1 && when >= current);
            if (refused) {
                c.reply().integer(0);
                return;
            }
        }
        // Replicas get the outcome with an absolute time: a DEL for a time already past, else PEXPIREAT,
        // which a lagging replica applies the same, with the options as they were.
        if (when <= c.node().now()) {
            ks.delete(key);
            c.rewriteCommandVector(deletion(c, "lazyfree-lazy-expire"), key);
            notifyGeneric(c, "del", key);
            c.reply().integer(1);
        } else {
            ks.setExpire(key, when);
            byte[][] propagated = argv.clone();
            if (!name.equals("pexpireat")) {
                propagated[0] = PEXPIREAT_NAME;
            }
            if (relative || seconds) {
                propagated[2] = RedisNumbers.toBytes(when);
            }
            c.rewriteCommandVector(propagated);
            c.reply().integer(1);
            notifyGeneric(c, "expire", key);
        }
    }

    /**
     * The NX/XX/GT/LT options of the EXPIRE family (parseExtendedExpireArgumentsOrReply). An unknown option
     * is quoted in the error as the C string Redis prints, so its reply is written here directly and -1
     * returned; incompatible combinations throw.
     */
    private static int expireFlags(Client c, byte[][] argv) {
        int flags = 0;
        for (int j = 3; j < argv.length; j++) {
            if (optionIs(argv[j], "nx")) {
                flags |= EXPIRE_NX;
            } else if (optionIs(argv[j], "xx")) {
                flags |= EXPIRE_XX;
            } else if (optionIs(argv[j], "gt")) {
                flags |= EXPIRE_GT;
            } else if (optionIs(argv[j], "lt")) {
                flags |= EXPIRE_LT;
            } else {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                err.writeBytes("ERR Unsupported option ".getBytes(ISO_8859_1));
                err.writeBytes(cString(argv[j]));
                c.reply().error(err.toByteArray());
                return -1;
            }
        }
        if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    private static void persist(Client c, byte[][] argv) {
        Keyspace ks = keyspace(c);
        boolean removed = ks.lookupWrite(argv[1]) != null && ks.removeExpire(argv[1]);
        if (removed) {
            notifyGeneric(c, "persist", argv[1]);
        }
        c.reply().integer(removed ? 1 : 0);
    }

    // -------------------------------------------------------------------------------------------------------
    // Iteration
    // -------------------------------------------------------------------------------------------------------

    /** KEYS pattern: every live key matching; expired keys are skipped, not deleted. */
    private static void keys(Client c, byte[][] argv) {
        byte[] pattern = argv[1];
        boolean allKeys = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        keyspace(c).forEachLiveKey(k -> {
            if (allKeys || StringMatch.matches(pattern, k)) {
                out.add(k);
            }
        });
        RespWriter r = c.reply();
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (scanGenericCommand): collects the keys of
     * successive buckets until COUNT keys or 10 × COUNT buckets, then filters by pattern, by type, and drops
     * keys found expired (deleting them). Replies the next cursor and the keys.
     */
    private static void scan(Client c, byte[][] argv) {
        long cursor = parseCursor(argv[1]);
        long count = SCAN_DEFAULT_COUNT;
        byte[] pattern = null;
        byte[] typeName = null;
        for (int i = 2; i < argv.length; i += 2) {
            boolean hasValue = argv.length - i >= 2;
            if (optionIs(argv[i], "count") && hasValue) {
                count = Args.integer(argv[i + 1]);
                if (count < 1) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
            } else if (optionIs(argv[i], "match") && hasValue) {
                pattern = argv[i + 1];
                // "*" matches everything: the same as no pattern.
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (optionIs(argv[i], "type") && hasValue) {
                typeName = cString(argv[i + 1]);
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }

        Keyspace ks = keyspace(c);
        List<byte[]> keys = new ArrayList<>();
        // A huge COUNT wraps this negative, as in Redis: effectively no bucket limit.
        long maxIterations = count * SCAN_BUCKETS_PER_COUNT;
        do {
            cursor = ks.scan(cursor, keys::add);
        } while (cursor != 0 && maxIterations-- != 0 && keys.size() < count);

        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (pattern != null && !StringMatch.matches(pattern, k)) {
                continue;
            }
            if (typeName != null) {
                RedisObject o = ks.lookupReadNoTouch(k);
                if (!Args.is(typeName, o == null ? "none" : o.type().typeName())) {
                    continue;
                }
            }
            if (ks.expireIfNeeded(k)) {
                continue;
            }
            out.add(k);
        }
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(cursor);
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    /**
     * The cursor as parseScanCursorOrReply reads it with strtoul: an unsigned 64-bit decimal with an optional
     * sign ("-1" wraps to 2^64-1), no leading space, ending at the end of the argument or at a NUL byte; an
     * empty argument is cursor 0. Out of range or malformed: "invalid cursor".
     */
    static long parseCursor(byte[] arg) {
        if (arg.length > 0 && isSpace(arg[0])) {
            throw invalidCursor();
        }
        int i = 0;
        boolean negative = false;
        if (i < arg.length && (arg[i] == '+' || arg[i] == '-')) {
            negative = arg[i] == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        for (; i < arg.length && arg[i] >= '0' && arg[i] <= '9'; i++) {
            int digit = arg[i] - '0';
            // value * 10 + digit must stay below 2^64, compared as unsigned.
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                throw invalidCursor();
            }
            value = value * 10 + digit;
        }
        if (i == digitsStart) {
            // No digits: strtoul converts nothing and points back at the start of the argument.
            if (arg.length == 0 || arg[0] == 0) {
                return 0;
            }
            throw invalidCursor();
        }
        if (i < arg.length && arg[i] != 0) {
            throw invalidCursor();
        }
        return negative ? -value : value;
    }

    private static CommandError invalidCursor() {
        return new CommandError("ERR invalid cursor");
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static void randomkey(Client c, byte[][] argv) {
        byte[] key = keyspace(c).randomKey();
        if (key == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(key);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Renaming
    // -------------------------------------------------------------------------------------------------------

    /**
     * RENAME / RENAMENX src dst: moves the value and its expire; an existing destination is overwritten
     * (RENAME) or left alone with reply 0 (RENAMENX). Renaming a key to itself changes nothing but still
     * requires the key to exist.
     */
    private static void rename(Client c, byte[][] argv, boolean nx) {
        Keyspace ks = keyspace(c);
        byte[] src = argv[1];
        byte[] dst = argv[2];
        RedisObject value = ks.lookupWrite(src);
        if (value == null) {
            throw new CommandError("ERR no such key");
        }
        RespWriter r = c.reply();
        if (Arrays.equals(src, dst)) {
            if (nx) {
                r.integer(0);
            } else {
                r.ok();
            }
            return;
        }
        long expire = ks.getExpire(src);
        if (ks.lookupWrite(dst) != null) {
            if (nx) {
                r.integer(0);
                return;
            }
            ks.delete(dst);
        }
        ks.setKey(dst, value, false);
        if (expire != -1) {
            ks.setExpire(dst, expire);
        }
        ks.delete(src);
        notifyGeneric(c, "rename_from", src);
        notifyGeneric(c, "rename_to", dst);
        if (nx) {
            r.integer(1);
        } else {
            r.ok();
        }
    }

    /**
     * COPY source destination [DB index] [REPLACE]: 1 if copied (value and expire), 0 if the source is
     * missing or the destination exists without REPLACE. DB must be a valid index, and only 0 in cluster
     * mode; both keys are in one slot, which routing already ensured.
     */
    private static void copy(Client c, byte[][] argv) {
        boolean replace = false;
        long databases = (Long) ConfigTable.valueOf(c.node(), "databases");
        long dbid = 0;
        for (int j = 3; j < argv.length; j++) {
            if (Args.is(argv[j], "replace")) {
                replace = true;
            } else if (Args.is(argv[j], "db") && j + 1 < argv.length) {
                dbid = Args.integer(argv[j + 1]);
                if (dbid < Integer.MIN_VALUE || dbid > Integer.MAX_VALUE) {
                    throw new CommandError(Args.NOT_AN_INTEGER);
                }
                if (dbid < 0 || dbid >= databases) {
                    throw new CommandError("ERR DB index is out of range");
                }
                j++;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        if (dbid != 0) {
            throw new CommandError("ERR Copying to another database is not allowed in cluster mode");
        }
        byte[] src = argv[1];
        byte[] dst = argv[2];
        if (Arrays.equals(src, dst)) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        Keyspace ks = keyspace(c);
        RedisObject value = ks.lookupRead(src);
        if (value == null) {
            c.reply().integer(0);
            return;
        }
        long expire = ks.getExpire(src);
        if (ks.lookupWrite(dst) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            ks.delete(dst);
        }
        ks.setKey(dst, value.duplicate(), false);
        if (expire != -1) {
            ks.setExpire(dst, expire);
        }
        c.reply().integer(1);
    }
}
