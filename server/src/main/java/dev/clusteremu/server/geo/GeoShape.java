package dev.clusteremu.server.geo;

/**
 * The area a geo search covers (GeoShape): a circle of a radius (BYRADIUS, GEORADIUS) or an axis-aligned
 * box of a width and a height (BYBOX) around a centre, the sizes in the unit the command named and
 * {@code conversion} the meters in one such unit.
 */
public final class GeoShape {
    private final boolean circular;
    private final double longitude;
    private final double latitude;
    private final double radius;
    private final double width;
    private final double height;
    private final double conversion;

    private GeoShape(boolean circular, double longitude, double latitude, double radius, double width,
                     double height, double conversion) {
        this.circular = circular;
        this.longitude = longitude;
        this.latitude = latitude;
        this.radius = radius;
        this.width = width;
        this.height = height;
        this.conversion = conversion;
    }

    /** CIRCULAR_TYPE: points within {@code radius} units of the centre. */
    public static GeoShape circle(double longitude, double latitude, double radius, double conversion) {
        return new GeoShape(true, longitude, latitude, radius, 0, 0, conversion);
    }

    /** RECTANGLE_TYPE: points within a box {@code width} by {@code height} units centred on the centre. */
    public static GeoShape box(double longitude, double latitude, double width, double height,
                               double conversion) {
        return new GeoShape(false, longitude, latitude, 0, width, height, conversion);
    }

    public double longitude() {
        return longitude;
    }

    public double latitude() {
        return latitude;
    }

    /** Meters per unit of the command's sizes: a distance in meters divided by it is in that unit. */
    public double conversion() {
        return conversion;
    }

    /**
     * geohashBoundingBox: {min longitude, min latitude, max longitude, max latitude} of the box around the
     * shape. The longitude span is the one of the edge farther from the equator, where a distance spans
     * more degrees: the northern edge's in the northern hemisphere, the southern edge's in the southern.
     */
    double[] boundingBox() {
        double halfHeight = conversion * (circular ? radius : height / 2);
        double halfWidth = conversion * (circular ? radius : width / 2);
        double latDelta = GeoDistance.radDeg(halfHeight / GeoDistance.EARTH_RADIUS_IN_METERS);
        double longDeltaTop = GeoDistance.radDeg(halfWidth / GeoDistance.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoDistance.degRad(latitude + latDelta)));
        double longDeltaBottom = GeoDistance.radDeg(halfWidth / GeoDistance.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoDistance.degRad(latitude - latDelta)));
        boolean southernHemisphere = latitude < 0;
        double longDelta = southernHemisphere ? longDeltaBottom : longDeltaTop;
        return new double[] {longitude - longDelta, latitude - latDelta, longitude + longDelta, latitude + latDelta};
    }

    /**
     * The distance in meters that decides how coarse the searched cells are: the radius, or the half
     * diagonal of the box.
     */
    double searchRadiusMeters() {
        double r = circular ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        return r * conversion;
    }

    /**
     * geoWithinShape: the member with {@code score} as a found point when its decoded position lies in the
     * shape, else null. A box is tested on the latitude distance first, then on the longitude distance
     * along the point's own parallel, before the distance from the centre is computed.
     */
    GeoPoint pointIfWithin(double score, byte[] member) {
        double[] xy = GeoHash.decodeScore(score);
        double distance;
        if (circular) {
            distance = GeoDistance.distance(longitude, latitude, xy[0], xy[1]);
            if (distance > radius * conversion) {
                return null;
            }
        } else {
            double widthMeters = width * conversion;
            double heightMeters = height * conversion;
            if (GeoDistance.latitudeDistance(xy[1], latitude) > heightMeters / 2) {
                return null;
            }
            if (GeoDistance.distance(xy[0], xy[1], longitude, xy[1]) > widthMeters / 2) {
                return null;
            }
            distance = GeoDistance.distance(longitude, latitude, xy[0], xy[1]);
        }
        return new GeoPoint(xy[0], xy[1], distance, score, member);
    }
}
