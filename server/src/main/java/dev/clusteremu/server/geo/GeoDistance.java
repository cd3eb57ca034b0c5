package dev.clusteremu.server.geo;

/**
 * Distances on the Earth as Redis measures them (geohash_helper.c): the haversine great-circle distance
 * over a sphere of radius {@link #EARTH_RADIUS_IN_METERS}, with Redis's own degree/radian conversions, in
 * the same order of floating point operations, so that a distance is Redis's to the last bit wherever the
 * math library agrees with glibc's.
 */
public final class GeoDistance {
    /** Earth's quadratic mean radius for WGS-84, Redis's EARTH_RADIUS_IN_METERS. */
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    /** D_R: M_PI / 180.0, by which deg_rad multiplies and rad_deg divides. */
    private static final double D_R = Math.PI / 180.0;

    private GeoDistance() {
    }

    static double degRad(double degrees) {
        return degrees * D_R;
    }

    static double radDeg(double radians) {
        return radians / D_R;
    }

    /** geohashGetLatDistance: the distance along a meridian between two latitudes, in meters. */
    public static double latitudeDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /**
     * geohashGetDistance: the haversine distance in meters between two positions; when the longitudes are
     * so close that the half-difference's sine is 0, just the distance between the latitudes.
     *
     * <p>sin, cos and asin come from {@link Math}, whose results are closest to glibc's (which Redis calls):
     * a last-bit difference can only show in a distance rounded to 4 decimals when it falls on a rounding
     * boundary.
     */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1);
        double lon2r = degRad(lon2);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latitudeDistance(lat1, lat2);
        }
        double lat1r = degRad(lat1);
        double lat2r = degRad(lat2);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }
}
