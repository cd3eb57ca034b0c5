package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.LexRange;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.ScoreRange;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.keyspace.StringMatch;
import dev.clusteremu.server.keyspace.ZSetValue;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.resp.Strtod;

/**
 * The sorted set commands of t_zset.c, blocking ones included, with Redis 7.0's arity, flags, key
 * positions, replies and errors. Scores are read with string2d (ZADD, WEIGHTS) or strtod (ranges), and
 * written with "%.17g" as doubles (RESP3) or bulk strings (RESP2). With WITHSCORES, RESP2 replies are flat
 * [member, score, ...] and RESP3 ones nested [[member, score], ...].
 *
 * <p>Handlers validate their arguments before touching the keyspace, in Redis's order. A sorted set that
 * loses its last member is deleted. Pops propagate as ZPOPMIN/ZPOPMAX of the key actually popped, with the
 * count actually popped, never as the blocking or multi-key command received.
 */
public final class ZSetCommands {
    private static final String NOT_A_FLOAT = "ERR value is not a valid float";
    private static final String RANGE_NOT_A_FLOAT = "ERR min or max is not a float";
    private static final String NOT_A_LEX_RANGE = "ERR min or max not valid string range item";
    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(US_ASCII);
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(US_ASCII);
    /** ZRANDMEMBER: up to this many times the count, the result is made by removing from a full copy. */
    private static final long RANDOM_SUBTRACT_FACTOR = 3;

    /** Which elements a ZRANGE-like command selects. */
    private enum RangeType { AUTO, RANK, SCORE, LEX }

    /** The direction of a ZRANGE-like command, when the command fixes it. */
    private enum Direction { AUTO, FORWARD, REVERSE }

    /** The set operations of ZUNION, ZINTER and ZDIFF (SET_OP_*). */
    private enum SetOp { UNION, INTER, DIFF }

    /** AGGREGATE SUM|MIN|MAX. */
    private enum Aggregate { SUM, MIN, MAX }

    private ZSetCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("zadd", -4, "write denyoom fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zadd(c, argv, 0)).build());
        table.add(command("zincrby", 4, "write denyoom fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zadd(c, argv, ZSetValue.ADD_INCR)).build());
        table.add(command("zcard", 2, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zcard).build());
        table.add(command("zcount", 4, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zcount).build());
        table.add(command("zlexcount", 4, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zlexcount).build());
        table.add(command("zscore", 3, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zscore).build());
        table.add(command("zmscore", -3, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zmscore).build());
        table.add(command("zrank", 3, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrank(c, argv, false)).build());
        table.add(command("zrevrank", 3, "readonly fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrank(c, argv, true)).build());
        table.add(command("zrem", -3, "write fast").acl("sortedset").keys(1, 1, 1)
                .handler(ZSetCommands::zrem).build());
        table.add(command("zremrangebyrank", 4, "write").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zremrange(c, argv, RangeType.RANK)).build());
        table.add(command("zremrangebyscore", 4, "write").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zremrange(c, argv, RangeType.SCORE)).build());
        table.add(command("zremrangebylex", 4, "write").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zremrange(c, argv, RangeType.LEX)).build());
        table.add(command("zrange", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.AUTO, Direction.AUTO)).build());
        table.add(command("zrangestore", -5, "write denyoom").acl("sortedset").keys(1, 2, 1)
                .handler((c, argv) -> zrange(c, argv, argv[1], RangeType.AUTO, Direction.AUTO)).build());
        table.add(command("zrevrange", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.RANK, Direction.REVERSE)).build());
        table.add(command("zrangebyscore", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.SCORE, Direction.FORWARD)).build());
        table.add(command("zrevrangebyscore", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.SCORE, Direction.REVERSE)).build());
        table.add(command("zrangebylex", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.LEX, Direction.FORWARD)).build());
        table.add(command("zrevrangebylex", -4, "readonly").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zrange(c, argv, null, RangeType.LEX, Direction.REVERSE)).build());
        table.add(command("zunion", -3, "readonly").acl("sortedset").keys(NumKeys.after(1))
                .handler((c, argv) -> setOperation(c, argv, null, 1, SetOp.UNION, false)).build());
        table.add(command("zunionstore", -4, "write denyoom").acl("sortedset").keys(1, 1, 1)
                .keys(NumKeys.withDestination(1, 2))
                .handler((c, argv) -> setOperation(c, argv, argv[1], 2, SetOp.UNION, false)).build());
        table.add(command("zinter", -3, "readonly").acl("sortedset").keys(NumKeys.after(1))
                .handler((c, argv) -> setOperation(c, argv, null, 1, SetOp.INTER, false)).build());
        table.add(command("zinterstore", -4, "write denyoom").acl("sortedset").keys(1, 1, 1)
                .keys(NumKeys.withDestination(1, 2))
                .handler((c, argv) -> setOperation(c, argv, argv[1], 2, SetOp.INTER, false)).build());
        table.add(command("zintercard", -3, "readonly").acl("sortedset").keys(NumKeys.after(1))
                .handler((c, argv) -> setOperation(c, argv, null, 1, SetOp.INTER, true)).build());
        table.add(command("zdiff", -3, "readonly").acl("sortedset").keys(NumKeys.after(1))
                .handler((c, argv) -> setOperation(c, argv, null, 1, SetOp.DIFF, false)).build());
        table.add(command("zdiffstore", -4, "write denyoom").acl("sortedset").keys(1, 1, 1)
                .keys(NumKeys.withDestination(1, 2))
                .handler((c, argv) -> setOperation(c, argv, argv[1], 2, SetOp.DIFF, false)).build());
        table.add(command("zrandmember", -2, "readonly").acl("sortedset").keys(1, 1, 1)
                .tips("nondeterministic_output").handler(ZSetCommands::zrandmember).build());
        table.add(command("zpopmin", -2, "write fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zpop(c, argv, false)).build());
        table.add(command("zpopmax", -2, "write fast").acl("sortedset").keys(1, 1, 1)
                .handler((c, argv) -> zpop(c, argv, true)).build());
        table.add(command("zmpop", -4, "write").acl("sortedset").keys(NumKeys.after(1))
                .handler((c, argv) -> zmpop(c, argv, 1, false)).build());
        table.add(command("bzpopmin", -3, "write noscript blocking fast").acl("sortedset").keys(1, -2, 1)
                .handler((c, argv) -> bzpop(c, argv, false)).build());
        table.add(command("bzpopmax", -3, "write noscript blocking fast").acl("sortedset").keys(1, -2, 1)
                .handler((c, argv) -> bzpop(c, argv, true)).build());
        table.add(command("bzmpop", -5, "write blocking").acl("sortedset").keys(NumKeys.after(2))
                .handler((c, argv) -> zmpop(c, argv, 2, true)).build());
        table.add(command("zscan", -3, "readonly").acl("sortedset").keys(1, 1, 1)
                .tips("nondeterministic_output").handler(ZSetCommands::zscan).build());
    }

    // -------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    private static ServerConfig config(Client c) {
        return c.node().config();
    }

    /** notifyKeyspaceEvent: Redis's calls are mirrored at the same point relative to each reply. */
    private static void notify(Client c, int type, String event, byte[] key) {
        c.node().notifications().notify(type, event, key);
    }

    /** The value as a sorted set, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static ZSetValue asZSet(RedisObject o) {
        if (o == null || o instanceof ZSetValue) {
            return (ZSetValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /** A score or weight as getDoubleFromObjectOrReply reads it (string2d). */
    private static double parseDouble(byte[] arg, String error) {
        Double d = Strtod.string2d(arg);
        if (d == null) {
            throw new CommandError(error);
        }
        return d;
    }

    /**
     * zslParseRange: each bound a number as strtod reads it, exclusive when prefixed by "(". Redis reads
     * the arguments as C strings, so a NUL byte ends them, leading white space is allowed, an empty bound is
     * 0 and overflow is ±inf; only trailing garbage and NaN are refused.
     */
    private static ScoreRange parseScoreRange(byte[] min, byte[] max) {
        boolean minExclusive = min.length > 0 && min[0] == '(';
        boolean maxExclusive = max.length > 0 && max[0] == '(';
        Double lo = rangeBound(min, minExclusive ? 1 : 0);
        Double hi = rangeBound(max, maxExclusive ? 1 : 0);
        if (lo == null || hi == null) {
            throw new CommandError(RANGE_NOT_A_FLOAT);
        }
        return new ScoreRange(lo, minExclusive, hi, maxExclusive);
    }

    private static Double rangeBound(byte[] arg, int from) {
        byte[] text = Arrays.copyOfRange(arg, from, arg.length);
        Strtod.Parsed p = Strtod.prefix(text);
        boolean ended = p.end() == text.length || text[p.end()] == 0;
        return ended && !Double.isNaN(p.value()) ? p.value() : null;
    }

    private static LexRange parseLexRange(byte[] min, byte[] max) {
        LexRange range = LexRange.parse(min, max);
        if (range == null) {
            throw new CommandError(NOT_A_LEX_RANGE);
        }
        return range;
    }

    /**
     * A sorted set that lost members, the removal already published: deleted if now empty (and "del"
     * published), else marked changed. Returns whether it was deleted.
     */
    private static boolean removed(Client c, byte[] key, ZSetValue zset) {
        if (zset.length() == 0) {
            keyspace(c).delete(key);
            notify(c, KeyspaceEvents.GENERIC, "del", key);
            return true;
        }
        keyspace(c).valueChangedInPlace(key);
        return false;
    }

    /** Elements with or without scores: RESP2 flat, RESP3 pairs nested (zrangeResultEmit*ToClient). */
    private static void elementsReply(Client c, List<ZSetValue.Entry> entries, boolean withScores) {
        RespWriter r = c.reply();
        boolean nested = withScores && r.protocol() > 2;
        r.array(withScores && !nested ? entries.size() * 2 : entries.size());
        for (ZSetValue.Entry e : entries) {
            if (nested) {
                r.array(2);
            }
            r.bulk(e.member());
            if (withScores) {
                r.doubleValue(e.score());
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // ZADD, ZINCRBY, ZREM
    // -------------------------------------------------------------------------------------------------------

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] and ZINCRBY key increment member
     * (zaddGenericCommand). All scores are parsed before anything changes. A new key is a listpack unless
     * zset-max-listpack-entries is 0 or the first member is longer than zset-max-listpack-value. GEOADD
     * calls it with the ZADD it turned itself into.
     */
    static void zadd(Client c, byte[][] argv, int flags) {
        int scoreIndex = 2;
        boolean ch = false;
        for (; scoreIndex < argv.length; scoreIndex++) {
            byte[] opt = argv[scoreIndex];
            if (Args.is(opt, "nx")) {
                flags |= ZSetValue.ADD_NX;
            } else if (Args.is(opt, "xx")) {
                flags |= ZSetValue.ADD_XX;
            } else if (Args.is(opt, "ch")) {
                ch = true;
            } else if (Args.is(opt, "incr")) {
                flags |= ZSetValue.ADD_INCR;
            } else if (Args.is(opt, "gt")) {
                flags |= ZSetValue.ADD_GT;
            } else if (Args.is(opt, "lt")) {
                flags |= ZSetValue.ADD_LT;
            } else {
                break;
            }
        }
        boolean incr = (flags & ZSetValue.ADD_INCR) != 0;
        boolean nx = (flags & ZSetValue.ADD_NX) != 0;
        boolean xx = (flags & ZSetValue.ADD_XX) != 0;
        boolean gt = (flags & ZSetValue.ADD_GT) != 0;
        boolean lt = (flags & ZSetValue.ADD_LT) != 0;
        int elements = argv.length - scoreIndex;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = parseDouble(argv[scoreIndex + j * 2], NOT_A_FLOAT);
        }
        Keyspace ks = keyspace(c);
        ZSetValue zset = asZSet(ks.lookupWrite(argv[1]));
        ServerConfig cfg = config(c);
        if (zset == null && xx) {
            if (incr) {
                c.reply().nullBulk();
            } else {
                c.reply().integer(0);
            }
            return;
        }
        if (zset == null) {
            zset = cfg.zsetMaxListpackEntries == 0 || cfg.zsetMaxListpackValue < argv[scoreIndex + 1].length
                    ? ZSetValue.newSkiplist() : ZSetValue.newListpack();
            ks.setKey(argv[1], zset, false);
        }
        long added = 0;
        long updated = 0;
        long processed = 0;
        double score = 0;
        for (int j = 0; j < elements; j++) {
            ZSetValue.AddResult result = zset.add(scores[j], argv[scoreIndex + 1 + j * 2], flags,
                    cfg.zsetMaxListpackEntries, cfg.zsetMaxListpackValue);
            if ((result.flags() & ZSetValue.NAN) != 0) {
                // Only INCR makes NaN, and only on a member already there: nothing has changed yet.
                throw new CommandError("ERR resulting score is not a number (NaN)");
            }
            if ((result.flags() & ZSetValue.ADDED) != 0) {
                added++;
            }
            if ((result.flags() & ZSetValue.UPDATED) != 0) {
                updated++;
            }
            if ((result.flags() & ZSetValue.NOP) == 0) {
                processed++;
            }
            score = result.newScore();
        }
        if (added + updated > 0) {
            ks.valueChangedInPlace(argv[1]);
        }
        if (incr) {
            if (processed > 0) {
                c.reply().doubleValue(score);
            } else {
                c.reply().nullBulk();
            }
        } else {
            c.reply().integer(ch ? added + updated : added);
        }
        if (added + updated > 0) {
            notify(c, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", argv[1]);
        }
    }

    /** ZREM key member...: how many were removed; the key goes with its last member. */
    private static void zrem(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupWrite(argv[1]));
        if (zset == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        for (int j = 2; j < argv.length; j++) {
            if (zset.delete(argv[j])) {
                deleted++;
            }
            if (zset.length() == 0) {
                break;
            }
        }
        if (deleted > 0) {
            notify(c, KeyspaceEvents.ZSET, "zrem", argv[1]);
            removed(c, argv[1], zset);
        }
        c.reply().integer(deleted);
    }

    /** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX (zremrangeGenericCommand). */
    private static void zremrange(Client c, byte[][] argv, RangeType type) {
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (type) {
            case RANK -> {
                start = Args.integer(argv[2]);
                end = Args.integer(argv[3]);
            }
            case SCORE -> scores = parseScoreRange(argv[2], argv[3]);
            default -> lex = parseLexRange(argv[2], argv[3]);
        }
        ZSetValue zset = asZSet(keyspace(c).lookupWrite(argv[1]));
        if (zset == null) {
            c.reply().integer(0);
            return;
        }
        long deleted;
        if (type == RangeType.RANK) {
            long length = zset.length();
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
                c.reply().integer(0);
                return;
            }
            if (end >= length) {
                end = length - 1;
            }
            deleted = zset.removeRangeByRank(start, end);
        } else if (type == RangeType.SCORE) {
            deleted = zset.removeRangeByScore(scores);
        } else {
            deleted = zset.removeRangeByLex(lex);
        }
        if (deleted > 0) {
            notify(c, KeyspaceEvents.ZSET, switch (type) {
                case RANK -> "zremrangebyrank";
                case SCORE -> "zremrangebyscore";
                default -> "zremrangebylex";
            }, argv[1]);
            removed(c, argv[1], zset);
        }
        c.reply().integer(deleted);
    }

    // -------------------------------------------------------------------------------------------------------
    // Point reads
    // -------------------------------------------------------------------------------------------------------

    private static void zcard(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(zset == null ? 0 : zset.length());
    }

    private static void zscore(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        Double score = zset == null ? null : zset.score(argv[2]);
        if (score == null) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(score);
        }
    }

    /** ZMSCORE key member...: a missing key reads as an empty set. */
    private static void zmscore(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            Double score = zset == null ? null : zset.score(argv[j]);
            if (score == null) {
                r.nullBulk();
            } else {
                r.doubleValue(score);
            }
        }
    }

    private static void zrank(Client c, byte[][] argv, boolean reverse) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        long rank = zset == null ? -1 : zset.rank(argv[2], reverse);
        if (rank < 0) {
            c.reply().nullBulk();
        } else {
            c.reply().integer(rank);
        }
    }

    private static void zcount(Client c, byte[][] argv) {
        ScoreRange range = parseScoreRange(argv[2], argv[3]);
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(zset == null ? 0 : zset.count(range));
    }

    private static void zlexcount(Client c, byte[][] argv) {
        LexRange range = parseLexRange(argv[2], argv[3]);
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        c.reply().integer(zset == null ? 0 : zset.lexCount(range));
    }

    // -------------------------------------------------------------------------------------------------------
    // ZRANGE and its variants
    // -------------------------------------------------------------------------------------------------------

    /**
     * zrangeGenericCommand, for ZRANGE, ZRANGESTORE ({@code destination} set) and the legacy ZREVRANGE,
     * Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, which fix the range type and direction:
     * {@code <src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]}. With REV a score or
     * lex range is given max first.
     */
    private static void zrange(Client c, byte[][] argv, byte[] destination, RangeType type, Direction direction) {
        int keyIndex = destination == null ? 1 : 2;
        int minIndex = keyIndex + 1;
        int maxIndex = keyIndex + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < argv.length; j++) {
            int leftArgs = argv.length - j - 1;
            if (destination == null && Args.is(argv[j], "withscores")) {
                withScores = true;
            } else if (Args.is(argv[j], "limit") && leftArgs >= 2) {
                offset = Args.integer(argv[j + 1]);
                limit = Args.integer(argv[j + 2]);
                j += 2;
            } else if (direction == Direction.AUTO && Args.is(argv[j], "rev")) {
                direction = Direction.REVERSE;
            } else if (type == RangeType.AUTO && Args.is(argv[j], "bylex")) {
                type = RangeType.LEX;
            } else if (type == RangeType.AUTO && Args.is(argv[j], "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        boolean reverse = direction == Direction.REVERSE;
        if (type == RangeType.AUTO) {
            type = RangeType.RANK;
        }
        if (limit != -1 && type == RangeType.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        if (reverse && type != RangeType.RANK) {
            int swap = minIndex;
            minIndex = maxIndex;
            maxIndex = swap;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (type) {
            case RANK -> {
                start = Args.integer(argv[minIndex]);
                end = Args.integer(argv[maxIndex]);
            }
            case SCORE -> scores = parseScoreRange(argv[minIndex], argv[maxIndex]);
            default -> lex = parseLexRange(argv[minIndex], argv[maxIndex]);
        }
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[keyIndex]));
        List<ZSetValue.Entry> result = new ArrayList<>();
        long knownLength = -1;
        if (zset != null) {
            ZSetValue.EntryVisitor collect = (member, score) -> result.add(new ZSetValue.Entry(member, score));
            switch (type) {
                case RANK -> knownLength = rankRange(zset, start, end, reverse, collect);
                case SCORE -> zset.rangeByScore(scores, offset, limit, reverse, collect);
                default -> zset.rangeByLex(lex, offset, limit, reverse, collect);
            }
        }
        if (destination == null) {
            elementsReply(c, result, withScores);
        } else {
            store(c, destination, result, knownLength);
        }
    }

    /**
     * genericZrangebyrankCommand's selection: ranks {@code start} to {@code end} (negative from the end,
     * clamped), reversed when {@code reverse}. Returns how many elements the range holds.
     */
    private static long rankRange(ZSetValue zset, long start, long end, boolean reverse, ZSetValue.EntryVisitor v) {
        long length = zset.length();
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
            return 0;
        }
        if (end >= length) {
            end = length - 1;
        }
        zset.rangeByRank(start, end, reverse, v);
        return end - start + 1;
    }

    /**
     * ZRANGESTORE's result (zrangeResultBeginStore ... FinalizeStore): a set built member by member,
     * starting as a skiplist only when the count known in advance ({@code knownLength}, -1 for score and
     * lex ranges) exceeds zset-max-listpack-entries, stored over whatever the destination held; an empty
     * result deletes the destination.
     */
    private static void store(Client c, byte[] destination, List<ZSetValue.Entry> result, long knownLength) {
        ServerConfig cfg = config(c);
        if (result.isEmpty()) {
            c.reply().integer(0);
            if (keyspace(c).delete(destination)) {
                notify(c, KeyspaceEvents.GENERIC, "del", destination);
            }
            return;
        }
        ZSetValue zset = knownLength > cfg.zsetMaxListpackEntries ? ZSetValue.newSkiplist() : ZSetValue.newListpack();
        for (ZSetValue.Entry e : result) {
            zset.add(e.score(), e.member(), 0, cfg.zsetMaxListpackEntries, cfg.zsetMaxListpackValue);
        }
        keyspace(c).setKey(destination, zset, false);
        c.reply().integer(result.size());
        notify(c, KeyspaceEvents.ZSET, "zrangestore", destination);
    }

    // -------------------------------------------------------------------------------------------------------
    // ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms
    // -------------------------------------------------------------------------------------------------------

    /** One input of a set operation (zsetopsrc): its value (null when missing) and WEIGHTS factor. */
    private static final class Source {
        final ZSetValue zset;
        double weight = 1.0;

        Source(ZSetValue zset) {
            this.zset = zset;
        }

        long length() {
            return zset == null ? 0 : zset.length();
        }

        Double find(byte[] member) {
            return zset == null ? null : zset.score(member);
        }
    }

    /** What a set operation built: the result, and the member sizes zsetConvertToListpackIfNeeded weighs. */
    private static final class Built {
        final ZSetValue result = ZSetValue.newSkiplist();
        long maxMemberLength;
        long totalMemberLength;
        long cardinality;

        void add(byte[] member, double score) {
            result.add(score, member, 0, Long.MAX_VALUE, Long.MAX_VALUE);
            maxMemberLength = Math.max(maxMemberLength, member.length);
            totalMemberLength += member.length;
        }
    }

    /**
     * zunionInterDiffGenericCommand: {@code numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]
     * [WITHSCORES]} for ZUNION/ZINTER, no options but WITHSCORES for ZDIFF, LIMIT for ZINTERCARD, and no
     * WITHSCORES for the STORE forms, which replace {@code destination} with the result.
     */
    private static void setOperation(Client c, byte[][] argv, byte[] destination, int numkeysIndex, SetOp op,
                                     boolean cardinalityOnly) {
        long setnum = Args.integer(argv[numkeysIndex]);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + Args.lower(argv[0]) + "' command");
        }
        if (setnum > argv.length - (numkeysIndex + 1)) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        List<Source> sources = new ArrayList<>();
        int j = numkeysIndex + 1;
        for (int i = 0; i < setnum; i++, j++) {
            sources.add(new Source(inputSet(keyspace(c).lookupRead(argv[j]))));
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < argv.length) {
            int remaining = argv.length - j;
            if (op != SetOp.DIFF && !cardinalityOnly && remaining >= setnum + 1 && Args.is(argv[j], "weights")) {
                j++;
                for (Source s : sources) {
                    s.weight = parseDouble(argv[j++], "ERR weight value is not a float");
                }
            } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && Args.is(argv[j], "aggregate")) {
                byte[] name = argv[j + 1];
                if (Args.is(name, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Args.is(name, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Args.is(name, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                j += 2;
            } else if (destination == null && !cardinalityOnly && Args.is(argv[j], "withscores")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && Args.is(argv[j], "limit")) {
                limit = RangeArgs.positive(argv[j + 1], "LIMIT can't be negative");
                j += 2;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        if (op != SetOp.DIFF) {
            // Smallest first, which makes intersections cheap; a stable sort, as glibc's qsort is here.
            sources.sort(Comparator.comparingLong(Source::length));
        }
        Built built = new Built();
        switch (op) {
            case INTER -> intersect(sources, aggregate, cardinalityOnly, limit, built);
            case UNION -> union(sources, aggregate, built);
            default -> difference(sources, built);
        }
        if (destination != null) {
            storeSetResult(c, destination, built, switch (op) {
                case INTER -> "zinterstore";
                case UNION -> "zunionstore";
                default -> "zdiffstore";
            });
        } else if (cardinalityOnly) {
            c.reply().integer(built.cardinality);
        } else {
            List<ZSetValue.Entry> entries = new ArrayList<>();
            built.result.forEachAscending((member, score) -> entries.add(new ZSetValue.Entry(member, score)));
            elementsReply(c, entries, withScores);
        }
    }

    /**
     * An input of a set operation: a sorted set, or null when missing. Redis also takes plain sets there,
     * each member with score 1; a type without such a view is refused with WRONGTYPE.
     */
    private static ZSetValue inputSet(RedisObject o) {
        if (o instanceof SetValue set) {
            ZSetValue scored = ZSetValue.newSkiplist();
            for (int i = 0; i < set.size(); i++) {
                scored.add(1.0, set.memberAt(i), 0, Long.MAX_VALUE, Long.MAX_VALUE);
            }
            return scored;
        }
        return asZSet(o);
    }

    /** zunionInterAggregate: a sum that comes out NaN (inf + -inf) counts as 0. */
    private static double aggregate(double target, double value, Aggregate aggregate) {
        return switch (aggregate) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0.0 : sum;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** SET_OP_INTER: every member of the smallest input found in all others, from its last member down. */
    private static void intersect(List<Source> sources, Aggregate aggregate, boolean cardinalityOnly, long limit,
                                  Built built) {
        Source first = sources.get(0);
        if (first.length() == 0) {
            return;
        }
        List<ZSetValue.Entry> candidates = new ArrayList<>();
        first.zset.forEachDescending((member, score) -> candidates.add(new ZSetValue.Entry(member, score)));
        for (ZSetValue.Entry e : candidates) {
            double score = first.weight * e.score();
            if (Double.isNaN(score)) {
                score = 0;
            }
            boolean inAll = true;
            for (int j = 1; j < sources.size() && inAll; j++) {
                Source other = sources.get(j);
                Double value = other.zset == first.zset ? Double.valueOf(e.score()) : other.find(e.member());
                if (value == null) {
                    inAll = false;
                } else {
                    score = aggregate(score, value * other.weight, aggregate);
                }
            }
            if (!inAll) {
                continue;
            }
            if (cardinalityOnly) {
                built.cardinality++;
                if (limit != 0 && built.cardinality >= limit) {
                    return;
                }
            } else {
                built.add(e.member(), score);
            }
        }
    }

    /** SET_OP_UNION: every member of every input, scores aggregated in input order. */
    private static void union(List<Source> sources, Aggregate aggregate, Built built) {
        Map<ByteBuffer, double[]> accumulator = new LinkedHashMap<>();
        for (Source s : sources) {
            if (s.length() == 0) {
                continue;
            }
            s.zset.forEachDescending((member, score) -> {
                double weighted = s.weight * score;
                if (Double.isNaN(weighted)) {
                    weighted = 0;
                }
                double[] existing = accumulator.get(ByteBuffer.wrap(member));
                if (existing == null) {
                    accumulator.put(ByteBuffer.wrap(member), new double[] {weighted});
                } else {
                    existing[0] = aggregate(existing[0], weighted, aggregate);
                }
            });
        }
        for (Map.Entry<ByteBuffer, double[]> e : accumulator.entrySet()) {
            built.add(e.getKey().array(), e.getValue()[0]);
        }
    }

    /** SET_OP_DIFF: the members of the first input in none of the others, scores kept. */
    private static void difference(List<Source> sources, Built built) {
        Source first = sources.get(0);
        if (first.length() == 0) {
            return;
        }
        first.zset.forEachDescending((member, score) -> {
            for (int j = 1; j < sources.size(); j++) {
                if (sources.get(j).find(member) != null) {
                    return;
                }
            }
            built.add(member, score);
        });
    }

    /**
     * The STORE forms: the result replaces the destination (a listpack if small enough), published as
     * {@code event}, or deletes it.
     */
    private static void storeSetResult(Client c, byte[] destination, Built built, String event) {
        ZSetValue result = built.result;
        if (result.length() == 0) {
            c.reply().integer(0);
            if (keyspace(c).delete(destination)) {
                notify(c, KeyspaceEvents.GENERIC, "del", destination);
            }
            return;
        }
        ServerConfig cfg = config(c);
        result.convertToListpackIfNeeded(built.maxMemberLength, built.totalMemberLength, cfg.zsetMaxListpackEntries,
                cfg.zsetMaxListpackValue);
        keyspace(c).setKey(destination, result, false);
        c.reply().integer(result.length());
        notify(c, KeyspaceEvents.ZSET, event, destination);
    }

    // -------------------------------------------------------------------------------------------------------
    // ZRANDMEMBER
    // -------------------------------------------------------------------------------------------------------

    /**
     * ZRANDMEMBER key [count [WITHSCORES]]: one random member, or count distinct members (all of them, from
     * the last down, when count reaches the size), or with a negative count that many picks with repeats.
     */
    private static void zrandmember(Client c, byte[][] argv) {
        if (argv.length >= 3) {
            long count = RangeArgs.inRange(argv[2], -Long.MAX_VALUE, Long.MAX_VALUE, null);
            boolean withScores = false;
            if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withscores"))) {
                throw new CommandError(Args.SYNTAX_ERROR);
            } else if (argv.length == 4) {
                withScores = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    throw new CommandError("ERR value is out of range");
                }
            }
            randomMembers(c, argv[1], count, withScores);
            return;
        }
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        if (zset == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(zset.entryAt(ThreadLocalRandom.current().nextLong(zset.length())).member());
    }

    /**
     * zrandmemberWithCountCommand: with a negative count (or 1), that many independent picks, written as
     * they are drawn; a count reaching the size, the whole set from the last member down; otherwise count
     * distinct members, in listpack order when drawn from a small share of a listpack (lpRandomPairsUnique),
     * else in no particular order.
     */
    private static void randomMembers(Client c, byte[] key, long requested, boolean withScores) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(key));
        if (zset == null || requested == 0) {
            c.reply().array(0);
            return;
        }
        long size = zset.length();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long count = Math.abs(requested);
        if (requested < 0 || count == 1) {
            RespWriter r = c.reply();
            boolean nested = withScores && r.protocol() > 2;
            r.array((int) (withScores && !nested ? count * 2 : count));
            for (long i = 0; i < count; i++) {
                ZSetValue.Entry e = zset.entryAt(random.nextLong(size));
                if (nested) {
                    r.array(2);
                }
                r.bulk(e.member());
                if (withScores) {
                    r.doubleValue(e.score());
                }
            }
            return;
        }
        List<ZSetValue.Entry> picked = new ArrayList<>();
        if (count >= size) {
            zset.forEachDescending((member, score) -> picked.add(new ZSetValue.Entry(member, score)));
        } else if (count * RANDOM_SUBTRACT_FACTOR > size || zset.isListpack()) {
            List<Long> positions = new ArrayList<>();
            for (long i = 0; i < size; i++) {
                positions.add(i);
            }
            Collections.shuffle(positions, random);
            List<Long> chosen = new ArrayList<>(positions.subList(0, (int) count));
            if (zset.isListpack() && count * RANDOM_SUBTRACT_FACTOR <= size) {
                Collections.sort(chosen);
            }
            for (long p : chosen) {
                picked.add(zset.entryAt(p));
            }
        } else {
            Set<ByteBuffer> seen = new HashSet<>();
            while (picked.size() < count) {
                ZSetValue.Entry e = zset.entryAt(random.nextLong(size));
                if (seen.add(ByteBuffer.wrap(e.member()))) {
                    picked.add(e);
                }
            }
        }
        elementsReply(c, picked, withScores);
    }

    // -------------------------------------------------------------------------------------------------------
    // Pops
    // -------------------------------------------------------------------------------------------------------

    /** ZPOPMIN/ZPOPMAX key [count]: more than one argument after the key is a syntax error. */
    private static void zpop(Client c, byte[][] argv, boolean max) {
        if (argv.length > 3) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        long count = argv.length == 3 ? RangeArgs.positive(argv[2], null) : -1;
        boolean nested = c.reply().protocol() > 2 && count != -1;
        genericPop(c, List.of(argv[1]), max, false, count, nested, false);
    }

    /**
     * genericZpopCommand: pops from the first of {@code keys} that exists (which must be a sorted set) up
     * to {@code count} members (-1: one, 0: none). The reply: with {@code emitKey} the key first (flat for
     * BZPOPMIN/BZPOPMAX, [key, [[member, score]...]] when {@code nested} for ZMPOP/BZMPOP); without, the
     * members and scores flat, or pairs when {@code nested}. No key: a null array when
     * {@code nilWhenEmpty}, else an empty array. Returns the key popped from (null if none) and whether it
     * was deleted.
     */
    private static PopResult genericPop(Client c, List<byte[]> keys, boolean max, boolean emitKey, long count,
                                        boolean nested, boolean nilWhenEmpty) {
        byte[] key = null;
        ZSetValue zset = null;
        for (byte[] k : keys) {
            zset = asZSet(keyspace(c).lookupWrite(k));
            if (zset != null) {
                key = k;
                break;
            }
        }
        RespWriter r = c.reply();
        if (zset == null) {
            if (nilWhenEmpty) {
                r.nullArray();
            } else {
                r.array(0);
            }
            return new PopResult(null, 0, false);
        }
        if (count == 0) {
            r.array(0);
            return new PopResult(null, 0, false);
        }
        long n = Math.min(count == -1 ? 1 : count, zset.length());
        if (!nested && !emitKey) {
            r.array((int) (n * 2));
        } else if (nested && !emitKey) {
            r.array((int) n);
        } else if (!nested) {
            r.array((int) (n * 2 + 1));
            r.bulk(key);
        } else {
            r.array(2);
            r.bulk(key);
            r.array((int) n);
        }
        for (long i = 0; i < n; i++) {
            ZSetValue.Entry e = zset.pop(max);
            if (i == 0) {
                notify(c, KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", key);
            }
            if (nested) {
                r.array(2);
            }
            r.bulk(e.member());
            r.doubleValue(e.score());
        }
        return new PopResult(key, n, removed(c, key, zset));
    }

    /** ZMPOP's MIN|MAX: whether it pops the highest scores; anything else is a syntax error. */
    private static boolean isMax(byte[] arg) {
        if (Args.is(arg, "min")) {
            return false;
        } else if (Args.is(arg, "max")) {
            return true;
        }
        throw new CommandError(Args.SYNTAX_ERROR);
    }

    /** What a pop did: the key popped from (null when nothing was), how many, and whether the key went. */
    private record PopResult(byte[] key, long popped, boolean deleted) {
    }

    /**
     * ZMPOP numkeys key... MIN|MAX [COUNT count] and BZMPOP timeout numkeys key... MIN|MAX [COUNT count]
     * (zmpopGenericCommand), replying [key, [[member, score]...]] or a null array; ZMPOP propagates as
     * ZPOPMIN/ZPOPMAX key n.
     */
    private static void zmpop(Client c, byte[][] argv, int numkeysIndex, boolean blocking) {
        MultiPopArgs<Boolean> args = MultiPopArgs.parse(argv, numkeysIndex, ZSetCommands::isMax);
        boolean max = args.where();
        long count = args.count();
        List<byte[]> keys = args.keys();
        if (blocking) {
            blockingPop(c, keys, max, argv[1], count, true);
            return;
        }
        PopResult popped = genericPop(c, keys, max, true, count, true, true);
        if (popped.key() != null) {
            c.rewriteCommandVector(max ? ZPOPMAX : ZPOPMIN, popped.key(), RedisNumbers.toBytes(popped.popped()));
        }
    }

    /** BZPOPMIN/BZPOPMAX key... timeout. */
    private static void bzpop(Client c, byte[][] argv, boolean max) {
        blockingPop(c, Arrays.asList(argv).subList(1, argv.length - 1), max, argv[argv.length - 1], -1, false);
    }

    /**
     * blockingGenericZpopCommand: pops from the first non-empty set of {@code keys} at once, propagated as
     * ZPOPMIN/ZPOPMAX key [n]; with none, blocks on all of them, unless blocking is denied (MULTI, scripts),
     * which answers a null array at once.
     */
    private static void blockingPop(Client c, List<byte[]> keys, boolean max, byte[] timeoutArg, long count,
                                    boolean nested) {
        long deadline = BlockingTimeout.deadline(c, timeoutArg);
        for (byte[] key : keys) {
            ZSetValue zset = asZSet(keyspace(c).lookupWrite(key));
            if (zset == null || zset.length() == 0) {
                continue;
            }
            PopResult popped = genericPop(c, List.of(key), max, true, count, nested, nested);
            propagatedAs(c, max, key, count, popped.popped(), true);
            return;
        }
        if (c.isDenyBlocking()) {
            c.reply().nullArray();
            return;
        }
        c.node().blockedClients().blockForKeys(c, BlockType.ZSET, keys, deadline, true, (key, value) -> {
            long length = ((ZSetValue) value).length();
            PopResult popped = genericPop(c, List.of(key), max, true, count, nested, nested);
            propagatedAs(c, max, key, count, Math.min(count, length), false);
            return popped.deleted();
        });
    }

    /**
     * The pop a blocking pop propagates as: ZPOPMIN/ZPOPMAX key, with the count popped when a count was
     * given (BZMPOP); {@code rewrite} for a pop done by the command itself, else queued on its own, as
     * serveClientsBlockedOnSortedSetKey does for a served client.
     */
    private static void propagatedAs(Client c, boolean max, byte[] key, long count, long popped, boolean rewrite) {
        byte[][] argv = count == -1 ? new byte[][] {max ? ZPOPMAX : ZPOPMIN, key}
                : new byte[][] {max ? ZPOPMAX : ZPOPMIN, key, RedisNumbers.toBytes(popped)};
        if (rewrite) {
            c.rewriteCommandVector(argv);
        } else {
            c.node().replication().stream().alsoPropagate(argv);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // ZSCAN
    // -------------------------------------------------------------------------------------------------------

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count] (scanGenericCommand on a sorted set): member and score
     * pairs, the score as d2string prints it; a listpack is returned whole with cursor 0. Options are
     * checked only once the key is found to be a sorted set.
     */
    private static void zscan(Client c, byte[][] argv) {
        long cursor = KeyCommands.parseCursor(argv[2]);
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        if (zset == null) {
            r.array(2).bulk(0).array(0);
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < argv.length; i += 2) {
            boolean hasValue = argv.length - i >= 2;
            if (Args.is(argv[i], "count") && hasValue) {
                count = Args.integer(argv[i + 1]);
                if (count < 1) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
            } else if (Args.is(argv[i], "match") && hasValue) {
                pattern = argv[i + 1];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        List<ZSetValue.Entry> found = new ArrayList<>();
        ZSetValue.EntryVisitor collect = (member, score) -> found.add(new ZSetValue.Entry(member, score));
        if (zset.isListpack()) {
            cursor = zset.scan(cursor, collect);
        } else {
            // A member and its score count as two of COUNT, as in Redis.
            long wanted = count * 2;
            long maxIterations = wanted * 10;
            do {
                cursor = zset.scan(cursor, collect);
            } while (cursor != 0 && maxIterations-- != 0 && found.size() * 2L < wanted);
        }
        List<ZSetValue.Entry> out = new ArrayList<>(found.size());
        for (ZSetValue.Entry e : found) {
            if (pattern == null || StringMatch.matches(pattern, e.member())) {
                out.add(e);
            }
        }
        r.array(2);
        r.bulk(cursor);
        r.array(out.size() * 2);
        for (ZSetValue.Entry e : out) {
            r.bulk(e.member());
            r.bulk(ZSetValue.d2string(e.score()));
        }
    }
}
