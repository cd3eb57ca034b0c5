package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.geo.GeoDistance;
import dev.clusteremu.server.geo.GeoFormat;
import dev.clusteremu.server.geo.GeoHash;
import dev.clusteremu.server.geo.GeoPoint;
import dev.clusteremu.server.geo.GeoSearch;
import dev.clusteremu.server.geo.GeoShape;
import dev.clusteremu.server.geo.PartialSort;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.ZSetValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.resp.Strtod;

/**
 * The geo commands of geo.c, on top of sorted sets: a position is a member whose score is its 52-bit
 * geohash ({@link GeoHash}). GEOADD turns itself into the ZADD it amounts to, which is what runs,
 * propagates and notifies. Searches (GEOSEARCH, GEOSEARCHSTORE and the deprecated GEORADIUS family) read
 * the cells around the centre ({@link GeoSearch}) and reply or store what they found.
 *
 * <p>Arguments are checked in Redis's order, interleaved with the lookups Redis makes while parsing: the
 * source key's type first, then the centre and distance, then the options left to right (a FROMMEMBER
 * member is looked up when its option is read), then the combinations. Distances are replied with 4
 * decimals and coordinates as "%.17Lf" trimmed, as bulk strings in RESP2 and, for coordinates, as doubles
 * in RESP3.
 */
public final class GeoCommands {
    private static final byte[] ZADD = "zadd".getBytes(US_ASCII);
    private static final String NOT_A_FLOAT = "ERR value is not a valid float";
    private static final String COULD_NOT_DECODE = "ERR could not decode requested zset member";
    private static final String UNSUPPORTED_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    /** The base-32 alphabet of geohash strings. */
    private static final byte[] GEO_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes(US_ASCII);
    /** GEOHASH prints 11 characters, though 52 bits fill only 10: the 11th is always '0'. */
    private static final int GEOHASH_LENGTH = 11;
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * The search commands (georadiusGeneric's flags): where the centre comes from and which store options
     * each accepts.
     */
    private enum Search {
        GEORADIUS(true, false, false),
        GEORADIUS_RO(true, false, true),
        GEORADIUSBYMEMBER(false, true, false),
        GEORADIUSBYMEMBER_RO(false, true, true),
        GEOSEARCH(false, false, false),
        GEOSEARCHSTORE(false, false, false);

        /** RADIUS_COORDS: longitude, latitude, radius and unit follow the key. */
        final boolean fromCoords;
        /** RADIUS_MEMBER: member, radius and unit follow the key. */
        final boolean fromMember;
        /** RADIUS_NOSTORE: STORE and STOREDIST are syntax errors. */
        final boolean noStore;

        Search(boolean fromCoords, boolean fromMember, boolean noStore) {
            this.fromCoords = fromCoords;
            this.fromMember = fromMember;
            this.noStore = noStore;
        }

        /** The GEOSEARCH flag: FROMMEMBER/FROMLONLAT and BYRADIUS/BYBOX options instead of fixed arguments. */
        boolean isGeosearch() {
            return this == GEOSEARCH || this == GEOSEARCHSTORE;
        }
    }

    /** SORT_NONE, SORT_ASC, SORT_DESC. */
    private enum Sort { NONE, ASC, DESC }

    /** Nearest first (sort_gp_asc); points at the same distance compare equal. */
    private static final Comparator<GeoPoint> ASCENDING = (a, b) ->
            a.distance() > b.distance() ? 1 : a.distance() == b.distance() ? 0 : -1;
    /** sort_gp_desc: the opposite of {@link #ASCENDING}, equal points still equal. */
    private static final Comparator<GeoPoint> DESCENDING = (a, b) -> -ASCENDING.compare(a, b);

    private GeoCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("geoadd", -5, "write denyoom").acl("geo").keys(1, 1, 1)
                .handler(GeoCommands::geoadd).build());
        table.add(command("geodist", -4, "readonly").acl("geo").keys(1, 1, 1)
                .handler(GeoCommands::geodist).build());
        table.add(command("geohash", -2, "readonly").acl("geo").keys(1, 1, 1)
                .handler(GeoCommands::geohash).build());
        table.add(command("geopos", -2, "readonly").acl("geo").keys(1, 1, 1)
                .handler(GeoCommands::geopos).build());
        table.add(command("georadius", -6, "write denyoom").acl("geo").keys(1, 1, 1)
                .keys(GeoCommands::georadiusKeys)
                .handler((c, argv) -> search(c, argv, Search.GEORADIUS)).build());
        table.add(command("georadius_ro", -6, "readonly").acl("geo").keys(1, 1, 1)
                .handler((c, argv) -> search(c, argv, Search.GEORADIUS_RO)).build());
        table.add(command("georadiusbymember", -5, "write denyoom").acl("geo").keys(1, 1, 1)
                .keys(GeoCommands::georadiusKeys)
                .handler((c, argv) -> search(c, argv, Search.GEORADIUSBYMEMBER)).build());
        table.add(command("georadiusbymember_ro", -5, "readonly").acl("geo").keys(1, 1, 1)
                .handler((c, argv) -> search(c, argv, Search.GEORADIUSBYMEMBER_RO)).build());
        table.add(command("geosearch", -7, "readonly").acl("geo").keys(1, 1, 1)
                .handler((c, argv) -> search(c, argv, Search.GEOSEARCH)).build());
        table.add(command("geosearchstore", -8, "write denyoom").acl("geo").keys(1, 2, 1)
                .handler((c, argv) -> search(c, argv, Search.GEOSEARCHSTORE)).build());
    }

    /**
     * georadiusGetKeys: the source key, and the key of the last STORE or STOREDIST followed by an argument,
     * looked for from the sixth argument on (both GEORADIUS and GEORADIUSBYMEMBER), skipping each such
     * option's argument.
     */
    private static int[] georadiusKeys(byte[][] argv) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((Args.is(argv[i], "store") || Args.is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        return stored == -1 ? new int[] {1} : new int[] {1, stored};
    }

    // -------------------------------------------------------------------------------------------------------
    // Argument helpers
    // -------------------------------------------------------------------------------------------------------

    private static Keyspace keyspace(Client c) {
        return c.node().keyspace();
    }

    /** The value as a sorted set, null when missing; any other type is refused with WRONGTYPE (checkType). */
    private static ZSetValue asZSet(RedisObject o) {
        if (o == null || o instanceof ZSetValue) {
            return (ZSetValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    private static double parseDouble(byte[] arg, String error) {
        Double d = Strtod.string2d(arg);
        if (d == null) {
            throw new CommandError(error);
        }
        return d;
    }

    /**
     * extractLongLatOrReply: argv[i] and argv[i+1] as {longitude, latitude}, both parsed before the pair is
     * checked against the indexable area; the error prints them with "%f".
     */
    private static double[] longLat(byte[][] argv, int i) {
        double longitude = parseDouble(argv[i], NOT_A_FLOAT);
        double latitude = parseDouble(argv[i + 1], NOT_A_FLOAT);
        if (longitude < GeoHash.LONG_MIN || longitude > GeoHash.LONG_MAX || latitude < GeoHash.LAT_MIN
                || latitude > GeoHash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + GeoFormat.printfF(longitude) + ","
                    + GeoFormat.printfF(latitude));
        }
        return new double[] {longitude, latitude};
    }

    /** longLatFromMember: the position of {@code member}, or "could not decode requested zset member". */
    private static double[] memberPosition(ZSetValue zset, byte[] member) {
        Double score = zset.score(member);
        if (score == null) {
            throw new CommandError(COULD_NOT_DECODE);
        }
        return GeoHash.decodeScore(score);
    }

    /** extractUnitOrReply: meters per unit of M, KM, FT or MI, in any case. */
    private static double unit(byte[] arg) {
        if (Args.is(arg, "m")) {
            return 1;
        } else if (Args.is(arg, "km")) {
            return 1000;
        } else if (Args.is(arg, "ft")) {
            return 0.3048;
        } else if (Args.is(arg, "mi")) {
            return 1609.34;
        }
        throw new CommandError(UNSUPPORTED_UNIT);
    }

    /** extractDistanceOrReply: argv[i] a non-negative radius, argv[i+1] its unit: {radius, conversion}. */
    private static double[] radius(byte[][] argv, int i) {
        double radius = parseDouble(argv[i], "ERR need numeric radius");
        if (radius < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return new double[] {radius, unit(argv[i + 1])};
    }

    /** extractBoxOrReply: width, height (non-negative) and unit: {width, height, conversion}. */
    private static double[] box(byte[][] argv, int i) {
        double width = parseDouble(argv[i], "ERR need numeric width");
        double height = parseDouble(argv[i + 1], "ERR need numeric height");
        if (height < 0 || width < 0) {
            throw new CommandError("ERR height or width cannot be negative");
        }
        return new double[] {width, height, unit(argv[i + 2])};
    }

    /** addReplyHumanLongDouble: "%.17Lf" trimmed, a bulk string in RESP2 and a double in RESP3. */
    private static void humanDouble(RespWriter r, double d) {
        String text = GeoFormat.human(d);
        if (r.protocol() == 2) {
            r.bulk(text);
            return;
        }
        byte[] body = text.getBytes(US_ASCII);
        byte[] frame = new byte[body.length + 3];
        frame[0] = ',';
        System.arraycopy(body, 0, frame, 1, body.length);
        System.arraycopy(CRLF, 0, frame, body.length + 1, 2);
        r.raw(frame);
    }

    // -------------------------------------------------------------------------------------------------------
    // GEOADD, GEOPOS, GEODIST, GEOHASH
    // -------------------------------------------------------------------------------------------------------

    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member [...]: every position is checked and turned into its
     * 52-bit score, then the command becomes {@code zadd key [options] score member ...} (replacing the
     * command vector, as geoaddCommand does), which runs as ZADD: its reply, its errors (no member at all
     * is ZADD's syntax error), what it propagates.
     */
    private static void geoadd(Client c, byte[][] argv) {
        int longIndex = 2;
        boolean nx = false;
        boolean xx = false;
        for (; longIndex < argv.length; longIndex++) {
            byte[] opt = argv[longIndex];
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (!Args.is(opt, "ch")) {
                break;
            }
        }
        if ((argv.length - longIndex) % 3 != 0 || (xx && nx)) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        int elements = (argv.length - longIndex) / 3;
        byte[][] zadd = new byte[longIndex + elements * 2][];
        zadd[0] = ZADD;
        System.arraycopy(argv, 1, zadd, 1, longIndex - 1);
        for (int i = 0; i < elements; i++) {
            int at = longIndex + i * 3;
            double[] xy = longLat(argv, at);
            long bits = GeoHash.align52Bits(GeoHash.encodeWGS84(xy[0], xy[1], GeoHash.STEP_MAX));
            zadd[longIndex + i * 2] = RedisNumbers.toBytes(bits);
            zadd[longIndex + 1 + i * 2] = argv[at + 2];
        }
        c.rewriteCommandVector(zadd);
        ZSetCommands.zadd(c, zadd, 0);
    }

    /** GEOPOS key member...: [longitude, latitude] per member, a null array for a missing one. */
    private static void geopos(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            Double score = zset == null ? null : zset.score(argv[j]);
            if (score == null) {
                r.nullArray();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            r.array(2);
            humanDouble(r, xy[0]);
            humanDouble(r, xy[1]);
        }
    }

    /**
     * GEODIST key member1 member2 [M|KM|FT|MI]: the unit is checked before the key is looked up; a missing
     * key or member is a null reply.
     */
    private static void geodist(Client c, byte[][] argv) {
        double toMeters = 1;
        if (argv.length == 5) {
            toMeters = unit(argv[4]);
        } else if (argv.length > 5) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        Double score1 = zset == null ? null : zset.score(argv[2]);
        Double score2 = zset == null ? null : zset.score(argv[3]);
        if (score1 == null || score2 == null) {
            c.reply().nullBulk();
            return;
        }
        double[] a = GeoHash.decodeScore(score1);
        double[] b = GeoHash.decodeScore(score2);
        c.reply().bulk(GeoFormat.distance(GeoDistance.distance(a[0], a[1], b[0], b[1]) / toMeters));
    }

    /**
     * GEOHASH key member...: the standard 11-character geohash of each position, a null for a missing
     * member. Redis stores latitudes over ±85.05 degrees, so a position is decoded and encoded again over
     * the standard ±90 to make a geohash other tools read.
     */
    private static void geohash(Client c, byte[][] argv) {
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[1]));
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            Double score = zset == null ? null : zset.score(argv[j]);
            if (score == null) {
                r.nullBulk();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            long bits = GeoHash.encode(GeoHash.STANDARD_LONGITUDE, GeoHash.STANDARD_LATITUDE, xy[0], xy[1],
                    GeoHash.STEP_MAX).bits();
            byte[] text = new byte[GEOHASH_LENGTH];
            for (int i = 0; i < GEOHASH_LENGTH; i++) {
                int index = i == GEOHASH_LENGTH - 1 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
                text[i] = GEO_ALPHABET[index];
            }
            r.bulk(text);
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Searches
    // -------------------------------------------------------------------------------------------------------

    /**
     * georadiusGeneric, for every search command:
     * <pre>
     * GEORADIUS key longitude latitude radius unit [options]
     * GEORADIUSBYMEMBER key member radius unit [options]
     *     [WITHCOORD] [WITHDIST] [WITHHASH] [ASC|DESC] [COUNT n [ANY]] [STORE key] [STOREDIST key]
     * GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius unit|BYBOX width height unit
     *     [WITHCOORD] [WITHDIST] [WITHHASH] [ASC|DESC] [COUNT n [ANY]]
     * GEOSEARCHSTORE destination key (the same FROM and BY) [ASC|DESC] [COUNT n [ANY]] [STOREDIST]
     * </pre>
     * COUNT without ANY sorts nearest first unless told otherwise; with ANY the search stops at the n-th
     * point found. With a store key the points found replace it as a sorted set (scored by geohash, or by
     * distance in the command's unit with STOREDIST), or delete it when there are none.
     */
    private static void search(Client c, byte[][] argv, Search command) {
        int sourceIndex = command == Search.GEOSEARCHSTORE ? 2 : 1;
        ZSetValue zset = asZSet(keyspace(c).lookupRead(argv[sourceIndex]));

        Query q = new Query();
        int baseArgs;
        if (command.fromCoords) {
            baseArgs = 6;
            q.circular = true;
            q.center = longLat(argv, 2);
            q.setRadius(radius(argv, baseArgs - 2));
        } else if (command.fromMember && zset == null) {
            // No source: the remaining arguments are still parsed, to tell a store reply from a plain one.
            baseArgs = 5;
        } else if (command.fromMember) {
            baseArgs = 5;
            q.circular = true;
            q.center = memberPosition(zset, argv[2]);
            q.setRadius(radius(argv, baseArgs - 2));
        } else {
            baseArgs = command == Search.GEOSEARCHSTORE ? 3 : 2;
            if (command == Search.GEOSEARCHSTORE) {
                q.storeKey = argv[1];
            }
        }
        parseOptions(argv, baseArgs, command, zset, q);

        if (q.storeKey != null && (q.withDist || q.withHash || q.withCoords)) {
            String what = command == Search.GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS";
            throw new CommandError("ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (command.isGeosearch() && !(q.fromMember || q.fromLonLat)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + Args.text(argv[0]));
        }
        if (command.isGeosearch() && !(q.byRadius || q.byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for "
                    + Args.text(argv[0]));
        }
        if (q.any && q.count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }

        if (zset == null) {
            if (q.storeKey != null) {
                if (keyspace(c).delete(q.storeKey)) {
                    c.node().notifications().notify(KeyspaceEvents.GENERIC, "del", q.storeKey);
                }
                c.reply().integer(0);
            } else {
                c.reply().array(0);
            }
            return;
        }

        // COUNT means the nearest n, so it sorts unless ANY asked for any n.
        if (q.count != 0 && q.sort == Sort.NONE && !q.any) {
            q.sort = Sort.ASC;
        }
        GeoShape shape = q.circular ? GeoShape.circle(q.center[0], q.center[1], q.radius, q.conversion)
                : GeoShape.box(q.center[0], q.center[1], q.width, q.height, q.conversion);
        List<GeoPoint> found = GeoSearch.members(zset, shape, q.any ? q.count : 0);
        if (found.isEmpty() && q.storeKey == null) {
            c.reply().array(0);
            return;
        }
        GeoPoint[] points = found.toArray(GeoPoint[]::new);
        int returned = q.count == 0 || points.length < q.count ? points.length : (int) q.count;
        if (q.sort != Sort.NONE) {
            Comparator<GeoPoint> order = q.sort == Sort.ASC ? ASCENDING : DESCENDING;
            if (returned == points.length) {
                // glibc's qsort is a merge sort: stable, as Arrays.sort is for objects.
                Arrays.sort(points, order);
            } else {
                PartialSort.sort(points, order, 0, returned - 1);
            }
        }
        if (q.storeKey == null) {
            reply(c, points, returned, q);
        } else {
            store(c, points, returned, q, command);
        }
    }

    /** A search's arguments as parsed so far. */
    private static final class Query {
        double[] center;
        boolean circular;
        double radius;
        double width;
        double height;
        double conversion;
        boolean withDist;
        boolean withHash;
        boolean withCoords;
        boolean fromMember;
        boolean fromLonLat;
        boolean byRadius;
        boolean byBox;
        boolean any;
        Sort sort = Sort.NONE;
        long count;
        byte[] storeKey;
        boolean storeDist;

        void setRadius(double[] radiusAndConversion) {
            radius = radiusAndConversion[0];
            conversion = radiusAndConversion[1];
        }
    }

    /**
     * The options after the fixed arguments, left to right; each is checked (and a FROMMEMBER member looked
     * up) when it is read. An option whose arguments are missing, or that the command does not take, is a
     * syntax error.
     */
    private static void parseOptions(byte[][] argv, int baseArgs, Search command, ZSetValue zset, Query q) {
        int remaining = argv.length - baseArgs;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[baseArgs + i];
            boolean canStore = !command.noStore && !command.isGeosearch();
            if (Args.is(arg, "withdist")) {
                q.withDist = true;
            } else if (Args.is(arg, "withhash")) {
                q.withHash = true;
            } else if (Args.is(arg, "withcoord")) {
                q.withCoords = true;
            } else if (Args.is(arg, "any")) {
                q.any = true;
            } else if (Args.is(arg, "asc")) {
                q.sort = Sort.ASC;
            } else if (Args.is(arg, "desc")) {
                q.sort = Sort.DESC;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                q.count = Args.integer(argv[baseArgs + i + 1]);
                if (q.count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if (Args.is(arg, "store") && i + 1 < remaining && canStore) {
                q.storeKey = argv[baseArgs + i + 1];
                q.storeDist = false;
                i++;
            } else if (Args.is(arg, "storedist") && i + 1 < remaining && canStore) {
                q.storeKey = argv[baseArgs + i + 1];
                q.storeDist = true;
                i++;
            } else if (Args.is(arg, "storedist") && command == Search.GEOSEARCHSTORE) {
                q.storeDist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && command.isGeosearch() && !q.fromLonLat) {
                if (zset != null) {
                    q.center = memberPosition(zset, argv[baseArgs + i + 1]);
                }
                q.fromMember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && command.isGeosearch() && !q.fromMember) {
                q.center = longLat(argv, baseArgs + i + 1);
                q.fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && command.isGeosearch() && !q.byBox) {
                q.setRadius(radius(argv, baseArgs + i + 1));
                q.circular = true;
                q.byRadius = true;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && command.isGeosearch() && !q.byRadius) {
                double[] box = box(argv, baseArgs + i + 1);
                q.width = box[0];
                q.height = box[1];
                q.conversion = box[2];
                q.circular = false;
                q.byBox = true;
                i += 3;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
    }

    /**
     * The first {@code returned} points: each a bare member, or [member, distance?, hash?, [lon, lat]?] when
     * any WITH option was given; distances in the command's unit.
     */
    private static void reply(Client c, GeoPoint[] points, int returned, Query q) {
        int options = (q.withDist ? 1 : 0) + (q.withHash ? 1 : 0) + (q.withCoords ? 1 : 0);
        RespWriter r = c.reply();
        r.array(returned);
        for (int i = 0; i < returned; i++) {
            GeoPoint p = points[i];
            if (options > 0) {
                r.array(options + 1);
            }
            r.bulk(p.member());
            if (q.withDist) {
                r.bulk(GeoFormat.distance(p.distance() / q.conversion));
            }
            if (q.withHash) {
                r.integer(GeoHash.toSignedLong(p.score()));
            }
            if (q.withCoords) {
                r.array(2);
                humanDouble(r, p.longitude());
                humanDouble(r, p.latitude());
            }
        }
    }

    /**
     * STORE, STOREDIST and GEOSEARCHSTORE: the first {@code returned} points as a new sorted set, built as a
     * skiplist and turned into a listpack if small enough, replacing the store key (a "georadiusstore" or
     * "geosearchstore" event), or the store key deleted when nothing was found. Replies the count stored.
     */
    private static void store(Client c, GeoPoint[] points, int returned, Query q, Search command) {
        Keyspace ks = keyspace(c);
        if (returned > 0) {
            ZSetValue result = ZSetValue.newSkiplist();
            long maxMemberLength = 0;
            long totalMemberLength = 0;
            for (int i = 0; i < returned; i++) {
                GeoPoint p = points[i];
                double score = q.storeDist ? p.distance() / q.conversion : p.score();
                maxMemberLength = Math.max(maxMemberLength, p.member().length);
                totalMemberLength += p.member().length;
                result.add(score, p.member(), 0, Long.MAX_VALUE, Long.MAX_VALUE);
            }
            ServerConfig cfg = c.node().config();
            result.convertToListpackIfNeeded(maxMemberLength, totalMemberLength, cfg.zsetMaxListpackEntries,
                    cfg.zsetMaxListpackValue);
            ks.setKey(q.storeKey, result, false);
            c.node().notifications().notify(KeyspaceEvents.ZSET,
                    command.isGeosearch() ? "geosearchstore" : "georadiusstore", q.storeKey);
        } else if (ks.delete(q.storeKey)) {
            c.node().notifications().notify(KeyspaceEvents.GENERIC, "del", q.storeKey);
        }
        c.reply().integer(returned);
    }
}
