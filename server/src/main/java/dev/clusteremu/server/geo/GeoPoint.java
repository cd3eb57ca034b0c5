package dev.clusteremu.server.geo;

/**
 * A member found by a geo search (geoPoint): its decoded position, its distance in meters from the
 * search's centre, and its score (the 52-bit geohash).
 */
public record GeoPoint(double longitude, double latitude, double distance, double score, byte[] member) {
}
