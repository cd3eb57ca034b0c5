package dev.clusteremu.server.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Geohash scores, decoded positions and neighbours, with values read from a real redis-server 7.0. */
class GeoHashTest {

    private static long score(double longitude, double latitude) {
        return GeoHash.align52Bits(GeoHash.encodeWGS84(longitude, latitude, GeoHash.STEP_MAX));
    }

    @Test
    void positionsEncodeToRedisScores() {
        assertEquals(3479099956230698L, score(13.361389, 38.115556));
        assertEquals(3479447370796909L, score(15.087269, 37.502669));
    }

    @Test
    void theUpperCornerCarriesIntoTheBitsAboveTheHash() {
        assertEquals(3L << 52, score(180, 85.05112878));
    }

    @Test
    void positionsOutsideTheIndexableAreaDoNotEncode() {
        assertNull(GeoHash.encodeWGS84(0, 85.06, GeoHash.STEP_MAX));
        assertNull(GeoHash.encodeWGS84(180.1, 0, GeoHash.STEP_MAX));
        assertNull(GeoHash.encodeWGS84(0, 0, 0));
    }

    @Test
    void scoresDecodeToTheCentreOfTheirCellAsRedisPrintsIt() {
        double[] palermo = GeoHash.decodeScore(3479099956230698.0);
        assertEquals("13.36138933897018433", GeoFormat.human(palermo[0]));
        assertEquals("38.11555639549629859", GeoFormat.human(palermo[1]));
        double[] corner = GeoHash.decodeScore(13510798882111488.0);
        assertEquals("180", GeoFormat.human(corner[0]));
        assertEquals("85.0511287799999991", GeoFormat.human(corner[1]));
    }

    @Test
    void neighboursShareTheEdgesOfTheirCell() {
        GeoHash.Bits cell = GeoHash.encodeWGS84(13.361389, 38.115556, 10);
        GeoHash.Area area = GeoHash.decodeWGS84(cell);
        GeoHash.Neighbors n = GeoHash.neighbors(cell);
        assertEquals(area.longitudeMax(), GeoHash.decodeWGS84(n.east()).longitudeMin());
        assertEquals(area.longitudeMin(), GeoHash.decodeWGS84(n.west()).longitudeMax());
        assertEquals(area.latitudeMax(), GeoHash.decodeWGS84(n.north()).latitudeMin());
        assertEquals(area.latitudeMin(), GeoHash.decodeWGS84(n.south()).latitudeMax());
        assertEquals(cell, GeoHash.neighbors(n.northEast()).southWest());
        assertEquals(cell, GeoHash.neighbors(n.southEast()).northWest());
    }

    @Test
    void neighboursWrapAroundTheAntimeridian() {
        GeoHash.Bits east = GeoHash.encodeWGS84(179.9, 0, 8);
        GeoHash.Area wrapped = GeoHash.decodeWGS84(GeoHash.neighbors(east).east());
        assertEquals(-180.0, wrapped.longitudeMin());
    }

    @Test
    void scoresConvertToIntegersAsX86Does() {
        assertEquals(-1L, GeoHash.toUnsignedLong(-1.0));
        assertEquals(Long.MIN_VALUE, GeoHash.toUnsignedLong(Double.NaN));
        assertEquals(0L, GeoHash.toUnsignedLong(Double.POSITIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, GeoHash.toUnsignedLong(Double.NEGATIVE_INFINITY));
        assertEquals(Long.parseUnsignedLong("10000000000000000000"), GeoHash.toUnsignedLong(1e19));
        assertEquals(0L, GeoHash.toUnsignedLong(1e30));
        assertEquals(Long.MIN_VALUE, GeoHash.toSignedLong(1e19));
        assertArrayEquals(new double[] {180, GeoHash.LAT_MAX}, GeoHash.decodeScore(-1.0));
    }
}
