package dev.clusteremu.server.geo;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.keyspace.ScoreRange;
import dev.clusteremu.server.keyspace.ZSetValue;

/**
 * The search behind GEOSEARCH and GEORADIUS (geohash_helper.c's geohashCalculateAreasByShapeWGS84 and
 * geo.c's membersOfAllNeighbors): the shape's centre cell, at a step coarse enough for the shape to fit in
 * it and its eight neighbours, is searched with the neighbours the shape cannot reach left out; each cell
 * is a range of scores, read from the sorted set in score order, and each member found there is kept when
 * its position is within the shape.
 *
 * <p>The points come out cell by cell in the order centre, north, south, east, west, north-east,
 * north-west, south-east, south-west, each cell's in score order: the order of an unsorted reply.
 */
public final class GeoSearch {
    /** MERCATOR_MAX: half the Earth's circumference in Web Mercator meters. */
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoSearch() {
    }

    /** The cells to search (GeoHashRadius): the centre's, its neighbours (some zeroed), the centre's area. */
    record Cells(GeoHash.Bits hash, GeoHash.Neighbors neighbors, GeoHash.Area area) {
    }

    /**
     * geohashEstimateStepsByRadius: the step whose cells are about as large as the search radius, one or
     * two steps coarser beyond 66 and 80 degrees of latitude where cells narrow, within 1..26.
     */
    static int estimateSteps(double rangeMeters, double latitude) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /**
     * geohashCalculateAreasByShapeWGS84: the centre cell at the estimated step, one step coarser when a
     * neighbour does not reach the bounding box's edge on its side; then, from step 2 on, the neighbours
     * on a side where the centre cell already covers the bounding box are dropped.
     */
    static Cells cells(GeoShape shape) {
        double[] bounds = shape.boundingBox();
        double minLon = bounds[0];
        double minLat = bounds[1];
        double maxLon = bounds[2];
        double maxLat = bounds[3];
        int steps = estimateSteps(shape.searchRadiusMeters(), shape.latitude());

        GeoHash.Bits hash = GeoHash.encodeWGS84(shape.longitude(), shape.latitude(), steps);
        GeoHash.Neighbors n = GeoHash.neighbors(hash);
        GeoHash.Area area = GeoHash.decodeWGS84(hash);

        boolean decreaseStep = GeoHash.decodeWGS84(n.north()).latitudeMax() < maxLat
                || GeoHash.decodeWGS84(n.south()).latitudeMin() > minLat
                || GeoHash.decodeWGS84(n.east()).longitudeMax() < maxLon
                || GeoHash.decodeWGS84(n.west()).longitudeMin() > minLon;
        if (steps > 1 && decreaseStep) {
            steps--;
            hash = GeoHash.encodeWGS84(shape.longitude(), shape.latitude(), steps);
            n = GeoHash.neighbors(hash);
            area = GeoHash.decodeWGS84(hash);
        }

        if (steps >= 2) {
            GeoHash.Bits north = n.north();
            GeoHash.Bits south = n.south();
            GeoHash.Bits east = n.east();
            GeoHash.Bits west = n.west();
            GeoHash.Bits northEast = n.northEast();
            GeoHash.Bits southEast = n.southEast();
            GeoHash.Bits northWest = n.northWest();
            GeoHash.Bits southWest = n.southWest();
            if (area.latitudeMin() < minLat) {
                south = GeoHash.Bits.ZERO;
                southWest = GeoHash.Bits.ZERO;
                southEast = GeoHash.Bits.ZERO;
            }
            if (area.latitudeMax() > maxLat) {
                north = GeoHash.Bits.ZERO;
                northEast = GeoHash.Bits.ZERO;
                northWest = GeoHash.Bits.ZERO;
            }
            if (area.longitudeMin() < minLon) {
                west = GeoHash.Bits.ZERO;
                southWest = GeoHash.Bits.ZERO;
                northWest = GeoHash.Bits.ZERO;
            }
            if (area.longitudeMax() > maxLon) {
                east = GeoHash.Bits.ZERO;
                southEast = GeoHash.Bits.ZERO;
                northEast = GeoHash.Bits.ZERO;
            }
            n = new GeoHash.Neighbors(north, east, west, south, northEast, southEast, northWest, southWest);
        }
        return new Cells(hash, n, area);
    }

    /**
     * membersOfAllNeighbors: the members of {@code zset} within {@code shape}, cell by cell. A cell equal
     * to the one searched just before it is skipped (huge radii make neighbours coincide); Redis compares
     * with the previous searched cell only from the second cell on, so a neighbour equal to the centre
     * is searched again. With a {@code limit} (COUNT n ANY; 0 for none) the search stops as soon as that
     * many points are found.
     */
    public static List<GeoPoint> members(ZSetValue zset, GeoShape shape, long limit) {
        Cells c = cells(shape);
        GeoHash.Neighbors n = c.neighbors();
        GeoHash.Bits[] order = {c.hash(), n.north(), n.south(), n.east(), n.west(), n.northEast(), n.northWest(),
            n.southEast(), n.southWest()};
        List<GeoPoint> found = new ArrayList<>();
        int lastProcessed = 0;
        for (int i = 0; i < order.length; i++) {
            if (order[i].isZero()) {
                continue;
            }
            if (lastProcessed != 0 && order[i].equals(order[lastProcessed])) {
                continue;
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                break;
            }
            membersOfCell(zset, order[i], shape, found, limit);
            lastProcessed = i;
        }
        return found;
    }

    /**
     * membersOfGeoHashBox / geoGetPointsInRange: the members whose scores fall in the cell's 52-bit range,
     * from its aligned bits (included) to the next cell's (excluded), that are within the shape, appended
     * to {@code found} until it holds {@code limit} points.
     */
    private static void membersOfCell(ZSetValue zset, GeoHash.Bits cell, GeoShape shape, List<GeoPoint> found,
                                      long limit) {
        double min = GeoHash.align52Bits(cell);
        double max = GeoHash.align52Bits(new GeoHash.Bits(cell.bits() + 1, cell.step()));
        List<ZSetValue.Entry> inRange = new ArrayList<>();
        zset.rangeByScore(new ScoreRange(min, false, max, true), 0, -1, false,
                (member, score) -> inRange.add(new ZSetValue.Entry(member, score)));
        for (ZSetValue.Entry e : inRange) {
            GeoPoint p = shape.pointIfWithin(e.score(), e.member());
            if (p != null) {
                found.add(p);
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                return;
            }
        }
    }
}
