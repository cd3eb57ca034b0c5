package dev.clusteremu.server.geo;

/**
 * The geohash of Redis's geo commands (geohash.c): a longitude/latitude pair as the interleaved bits of
 * its two fixed-point offsets within their ranges, latitude bits at the even positions and longitude bits
 * at the odd ones. At {@link #STEP_MAX} steps a hash has 52 bits, which a sorted set stores exactly as a
 * double score: that score is how GEOADD saves a position.
 *
 * <p>Redis indexes latitudes within ±{@link #LAT_MAX} only, the limits of the Web Mercator projection
 * (EPSG:900913), so the poles cannot be stored. GEOHASH re-encodes a position over the standard ±90
 * degrees to print the usual base-32 string.
 *
 * <p>Arithmetic is done as geohash.c does it, in doubles and unsigned 64-bit words, so that every score,
 * decoded position and neighbouring cell is Redis's bit for bit.
 */
public final class GeoHash {
    /** GEO_STEP_MAX: 26 steps of one latitude and one longitude bit each, 52 bits, a double's mantissa. */
    public static final int STEP_MAX = 26;
    /** GEO_LAT_MIN / GEO_LAT_MAX: the Web Mercator limits, beyond which no position can be indexed. */
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    /** GEO_LONG_MIN / GEO_LONG_MAX. */
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;

    /** The ranges a stored position is encoded over (geohashGetCoordRange). */
    public static final Range WGS84_LONGITUDE = new Range(LONG_MIN, LONG_MAX);
    public static final Range WGS84_LATITUDE = new Range(LAT_MIN, LAT_MAX);
    /** The standard geohash ranges, for GEOHASH's strings. */
    public static final Range STANDARD_LONGITUDE = new Range(-180, 180);
    public static final Range STANDARD_LATITUDE = new Range(-90, 90);

    private static final long EVEN_BITS = 0x5555555555555555L;
    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    private GeoHash() {
    }

    /** A coordinate range (GeoHashRange). */
    public record Range(double min, double max) {
        boolean isZero() {
            return min == 0 && max == 0;
        }
    }

    /**
     * A cell: its {@code step * 2} interleaved bits and its step (GeoHashBits). {@link #ZERO} is a cell
     * dropped from a search (GZERO).
     */
    public record Bits(long bits, int step) {
        public static final Bits ZERO = new Bits(0, 0);

        /** HASHISZERO. */
        public boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    /** The extent of a cell (GeoHashArea). */
    public record Area(Bits hash, double longitudeMin, double longitudeMax, double latitudeMin,
                       double latitudeMax) {
    }

    /** The eight cells around one (GeoHashNeighbors). */
    public record Neighbors(Bits north, Bits east, Bits west, Bits south, Bits northEast, Bits southEast,
                            Bits northWest, Bits southWest) {
    }

    // ---------------------------------------------------------------------------------------------------
    // Interleaving
    // ---------------------------------------------------------------------------------------------------

    /** The low 32 bits of {@code v} moved to the even bit positions 0, 2, ..., 62. */
    private static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & EVEN_BITS;
        return v;
    }

    /** The even bits of {@code v} gathered into the low 32 bits: the inverse of {@link #spread}. */
    private static long gather(long v) {
        v &= EVEN_BITS;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    /** interleave64: latitude bits at the even positions, longitude bits at the odd ones. */
    static long interleave(long latitudeBits, long longitudeBits) {
        return spread(latitudeBits) | (spread(longitudeBits) << 1);
    }

    // ---------------------------------------------------------------------------------------------------
    // Encoding and decoding
    // ---------------------------------------------------------------------------------------------------

    /**
     * geohashEncode: the cell of {@code step} (1..32) steps holding the position within the ranges, or null
     * when the position is outside them or outside the indexable area. Each offset is scaled to
     * 2^step and truncated to an unsigned 32-bit integer, as C converts it; a position on a range's
     * upper edge therefore carries into the bit above the cell's own.
     */
    public static Bits encode(Range longRange, Range latRange, double longitude, double latitude, int step) {
        if (step > 32 || step == 0 || latRange.isZero() || longRange.isZero()) {
            return null;
        }
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min
                || longitude > longRange.max) {
            return null;
        }
        double latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
        double longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new Bits(interleave((long) latOffset, (long) longOffset), step);
    }

    /** geohashEncodeWGS84: a position's cell over the ranges Redis stores positions in. */
    public static Bits encodeWGS84(double longitude, double latitude, int step) {
        return encode(WGS84_LONGITUDE, WGS84_LATITUDE, longitude, latitude, step);
    }

    /** geohashDecode: the extent of a cell within the ranges; null for {@link Bits#ZERO}. */
    public static Area decode(Range longRange, Range latRange, Bits hash) {
        if (hash.isZero() || latRange.isZero() || longRange.isZero()) {
            return null;
        }
        int step = hash.step();
        long latCell = gather(hash.bits());
        long longCell = gather(hash.bits() >>> 1);
        double latScale = latRange.max - latRange.min;
        double longScale = longRange.max - longRange.min;
        double cells = (double) (1L << step);
        // The cell numbers are unsigned 32-bit integers in C: the one after the last wraps to 0.
        long nextLongCell = (longCell + 1) & 0xFFFFFFFFL;
        long nextLatCell = (latCell + 1) & 0xFFFFFFFFL;
        return new Area(hash,
                longRange.min + (longCell * 1.0 / cells) * longScale,
                longRange.min + (nextLongCell * 1.0 / cells) * longScale,
                latRange.min + (latCell * 1.0 / cells) * latScale,
                latRange.min + (nextLatCell * 1.0 / cells) * latScale);
    }

    /** geohashDecodeWGS84. */
    public static Area decodeWGS84(Bits hash) {
        return decode(WGS84_LONGITUDE, WGS84_LATITUDE, hash);
    }

    /**
     * geohashDecodeToLongLatWGS84: the centre of a cell, {longitude, latitude}, clamped to the indexable
     * area; null for {@link Bits#ZERO}.
     */
    public static double[] decodeToLongLat(Bits hash) {
        Area area = decodeWGS84(hash);
        if (area == null) {
            return null;
        }
        double longitude = (area.longitudeMin() + area.longitudeMax()) / 2;
        longitude = Math.max(LONG_MIN, Math.min(LONG_MAX, longitude));
        double latitude = (area.latitudeMin() + area.latitudeMax()) / 2;
        latitude = Math.max(LAT_MIN, Math.min(LAT_MAX, latitude));
        return new double[] {longitude, latitude};
    }

    /**
     * decodeGeohash: the position a sorted set score stands for, {longitude, latitude}. The score is
     * converted to an unsigned 64-bit integer as C converts it on x86-64 and read as a 26-step hash, which
     * always decodes: a score that is not a geo score still stands for some position, clamped to the
     * indexable area.
     */
    public static double[] decodeScore(double score) {
        return decodeToLongLat(new Bits(toUnsignedLong(score), STEP_MAX));
    }

    /**
     * {@code (uint64_t) d} as gcc compiles it for x86-64: truncation below 2^63; above it, the value less
     * 2^63 truncated with the top bit flipped; cvttsd2si's "integer indefinite" 2^63 for what it cannot
     * convert (NaN, values below -2^63, infinities), which the upper path flips to 0.
     */
    public static long toUnsignedLong(double d) {
        double twoTo63 = 0x1p63;
        if (!(d >= twoTo63)) {
            return toSignedLong(d);
        }
        return toSignedLong(d - twoTo63) ^ Long.MIN_VALUE;
    }

    /** {@code (long long) d} on x86-64 (cvttsd2si): truncation, or -2^63 for what does not fit. */
    public static long toSignedLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** geohashAlign52Bits: a cell's bits moved to the top of a 52-bit score. */
    public static long align52Bits(Bits hash) {
        return hash.bits() << (52 - hash.step() * 2);
    }

    // ---------------------------------------------------------------------------------------------------
    // Neighbours
    // ---------------------------------------------------------------------------------------------------

    /**
     * geohash_move_x / geohash_move_y: the cell {@code d} (-1, 0, 1) cells east (longitude, the odd bits)
     * or north (latitude, the even bits), wrapping around within the cell's step. The carry of adding one
     * runs through the other coordinate's bit positions, which are filled with ones (or zeros when
     * subtracting) for that purpose and masked off afterwards.
     */
    private static Bits move(Bits hash, int d, boolean longitude) {
        if (d == 0) {
            return hash;
        }
        long own = hash.bits() & (longitude ? ODD_BITS : EVEN_BITS);
        long other = hash.bits() & (longitude ? EVEN_BITS : ODD_BITS);
        int shift = 64 - hash.step() * 2;
        long filler = (longitude ? EVEN_BITS : ODD_BITS) >>> shift;
        if (d > 0) {
            own = own + (filler + 1);
        } else {
            own = own | filler;
            own = own - (filler + 1);
        }
        own &= (longitude ? ODD_BITS : EVEN_BITS) >>> shift;
        return new Bits(own | other, hash.step());
    }

    /** geohashNeighbors: the eight cells around {@code hash}, of the same step. */
    public static Neighbors neighbors(Bits hash) {
        return new Neighbors(
                move(hash, 1, false),
                move(hash, 1, true),
                move(hash, -1, true),
                move(hash, -1, false),
                move(move(hash, 1, true), 1, false),
                move(move(hash, 1, true), -1, false),
                move(move(hash, -1, true), 1, false),
                move(move(hash, -1, true), -1, false));
    }
}
