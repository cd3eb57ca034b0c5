package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The geo commands against a real redis-server 7.0, byte for byte: GEOADD's scores (through ZSCORE and
 * DUMP), positions, distances and geohashes as Redis prints them, every search form and option with its
 * order of results (unsorted cell order, sorted, and the partial sort of COUNT with ties), the stored
 * results and their encodings, every error in Redis's order, RESP2 and RESP3 shapes, routing of the STORE
 * forms, what a master propagates and the keyspace events. Keys share the {g} tag.
 */
@ExtendWith(DifferentialExtension.class)
class GeoCommandsDifferentialTest {

    private static void resp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
    }

    /** Sicily and a few far places, including the edges of the indexable area. */
    private static void fill(DifferentialSession session, String key) {
        session.check("GEOADD", key, "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
                "13.583333", "37.316667", "Agrigento", "12.758489", "38.788135", "edge1", "17.241510", "38.788135",
                "edge2", "-73.9857", "40.7484", "NYC", "151.2093", "-33.8688", "Sydney", "180", "85.05112878",
                "corner", "-180", "-85.05112878", "anticorner", "0", "0", "origin", "-0.1278", "51.5074", "London");
    }

    @Test
    void geoaddStoresGeohashScoresThroughZadd(DifferentialSession session) {
        fill(session, "{g}a");
        session.check("ZRANGE", "{g}a", "0", "-1", "WITHSCORES");
        session.check("GEOADD", "{g}a", "NX", "1", "1", "Palermo", "2", "2", "new");
        session.check("GEOADD", "{g}a", "XX", "1", "1", "Palermo", "3", "3", "other");
        session.check("GEOADD", "{g}a", "XX", "CH", "1.5", "1.5", "Palermo", "3", "3", "other");
        session.check("GEOADD", "{g}a", "CH", "nx", "4", "4", "fresh");
        session.check("GEOADD", "{g}a", "CH", "1.5", "1.5", "Palermo");
        session.check("ZSCORE", "{g}a", "Palermo");
        session.check("DUMP", "{g}a");
        session.check("OBJECT", "ENCODING", "{g}a");
        session.check("GEOADD", "{g}big", "1", "1", "m".repeat(70));
        session.check("OBJECT", "ENCODING", "{g}big");
    }

    @Test
    void geoaddRefusesBadInputInRedisOrder(DifferentialSession session) {
        session.check("GEOADD", "{g}a", "200", "100", "x");
        session.check("GEOADD", "{g}a", "-0", "100", "x");
        session.check("GEOADD", "{g}a", "0", "-85.0511288", "x");
        session.check("GEOADD", "{g}a", "1e300", "0", "x");
        session.check("GEOADD", "{g}a", "-inf", "0", "x");
        session.check("GEOADD", "{g}a", "180.0000001", "0.12345649999", "x");
        session.check("GEOADD", "{g}a", "one", "2", "x");
        session.check("GEOADD", "{g}a", "1", "two", "x");
        session.check("GEOADD", "{g}a", "200", "two", "x");
        session.check("GEOADD", "{g}a", "1", "1", "x", "500", "1", "y");
        session.check("GEOADD", "{g}a", "1", "1", "x", "2");
        session.check("GEOADD", "{g}a", "NX", "XX", "1", "1", "x");
        session.check("GEOADD", "{g}a", "CH", "CH", "CH");
        session.check("GEOADD", "{g}a", "GT", "1", "1", "x");
        session.check("GEOADD", "{g}a", "INCR", "1", "1", "x");
        session.check("GEOADD", "{g}a", "1", "1");
        session.check("GEOADD", "{g}a", " 1", "1", "x");
        session.check("GEOADD", "{g}a", "nan", "1", "x");
        session.check("EXISTS", "{g}a");
        session.check("SET", "{g}s", "v");
        session.check("GEOADD", "{g}s", "1", "1", "x");
        session.check("GEOADD", "{g}s", "1", "100", "x");
        session.check("GEOADD", "{g}missing", "XX", "1", "1", "x");
        session.check("EXISTS", "{g}missing");
    }

    @Test
    void positionsDistancesAndGeohashesPrintAsRedisDoes(DifferentialSession session) {
        fill(session, "{g}a");
        for (int protocol = 2; protocol <= 3; protocol++) {
            session.check("GEOPOS", "{g}a", "Palermo", "nope", "corner", "anticorner", "origin", "Sydney", "NYC");
            session.check("GEOPOS", "{g}missing", "a", "b");
            session.check("GEOHASH", "{g}a", "Palermo", "nope", "corner", "anticorner", "origin", "Sydney", "London");
            session.check("GEOHASH", "{g}missing", "a");
            session.check("GEODIST", "{g}a", "Palermo", "Catania");
            session.check("GEODIST", "{g}a", "Palermo", "nope");
            session.check("GEODIST", "{g}missing", "Palermo", "Catania");
            session.check("GEODIST", "{g}a", "Palermo", "Palermo");
            for (String unit : new String[] {"m", "KM", "ft", "Mi"}) {
                session.check("GEODIST", "{g}a", "NYC", "Sydney", unit);
                session.check("GEODIST", "{g}a", "corner", "anticorner", unit);
                session.check("GEODIST", "{g}a", "London", "origin", unit);
            }
            session.check("GEODIST", "{g}a", "Palermo", "Catania", "parsec");
            session.check("GEODIST", "{g}missing", "a", "b", "parsec");
            session.check("GEODIST", "{g}a", "Palermo", "Catania", "km", "extra");
            resp3(session);
        }
        session.check("SET", "{g}s", "v");
        session.check("GEOPOS", "{g}s", "a");
        session.check("GEOHASH", "{g}s", "a");
        session.check("GEODIST", "{g}s", "a", "b");
        session.check("GEODIST", "{g}s", "a", "b", "parsec");
    }

    @Test
    void scoresThatAreNotGeohashesStillDecode(DifferentialSession session) {
        session.check("ZADD", "{g}z", "0", "zero", "-1", "negative", "0.5", "half", "4503599627370495", "max52",
                "4503599627370496", "two52", "9007199254740993", "big", "1e19", "huge", "1e30", "enormous",
                "-1e30", "tiny", "inf", "infinite", "-inf", "minusinfinite", "-9.3e18", "belowmin");
        String[] members = {"zero", "negative", "half", "max52", "two52", "big", "huge", "enormous", "tiny",
            "infinite", "minusinfinite", "belowmin"};
        List<String> pos = new ArrayList<>(List.of("GEOPOS", "{g}z"));
        pos.addAll(List.of(members));
        session.check(pos.toArray(String[]::new));
        pos.set(0, "GEOHASH");
        session.check(pos.toArray(String[]::new));
        for (String m : members) {
            session.check("GEODIST", "{g}z", "zero", m);
            session.check("GEOSEARCH", "{g}z", "FROMMEMBER", m, "BYRADIUS", "100", "km", "WITHCOORD", "WITHHASH");
        }
    }

    @Test
    void geosearchOptionsSelectSortAndDecorate(DifferentialSession session) {
        fill(session, "{g}a");
        for (int protocol = 2; protocol <= 3; protocol++) {
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD",
                    "WITHDIST", "WITHHASH");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "withdist");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHHASH",
                    "WITHCOORD");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "WITHDIST",
                    "COUNT", "2");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "WITHDIST",
                    "COUNT", "2", "DESC");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "COUNT", "2",
                    "ANY");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "COUNT", "1",
                    "ANY", "ASC", "WITHDIST");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "COUNT", "100");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "WITHDIST",
                    "WITHCOORD");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "160", "50", "km", "ASC");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYBOX", "800000", "600000", "FT", "DESC",
                    "WITHDIST");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "0", "0", "BYRADIUS", "0", "m", "WITHDIST");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "0", "0", "BYBOX", "0", "0", "m", "WITHDIST");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "10", "10", "BYRADIUS", "1", "m");
            session.check("GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "FROMMEMBER", "NYC", "BYRADIUS", "10",
                    "km", "BYRADIUS", "100", "km");
            session.check("GEOSEARCH", "{g}a", "BYRADIUS", "10", "km", "FROMMEMBER", "Palermo");
            resp3(session);
        }
    }

    @Test
    void searchesCoverTheWholeWorldThePolesAndTheAntimeridian(DifferentialSession session) {
        fill(session, "{g}a");
        session.check("GEOADD", "{g}a", "179.9", "0", "east", "-179.9", "0", "west", "179.99", "84.9", "ne",
                "-179.99", "-84.9", "sw", "0", "85", "north", "0", "-85", "south");
        String[][] centres = {{"0", "0"}, {"180", "0"}, {"-180", "0"}, {"179.95", "84.95"}, {"0", "85.05"},
            {"-100", "-70"}, {"13", "38"}, {"180", "85.05112878"}};
        String[] radii = {"0", "1", "500", "5000", "20000", "25000", "inf"};
        for (String[] c : centres) {
            for (String r : radii) {
                session.check("GEOSEARCH", "{g}a", "FROMLONLAT", c[0], c[1], "BYRADIUS", r, "km", "WITHDIST");
                session.check("GEOSEARCH", "{g}a", "FROMLONLAT", c[0], c[1], "BYBOX", r, r, "km", "WITHDIST");
                session.check("GEORADIUS", "{g}a", c[0], c[1], r, "km", "ASC");
            }
        }
    }

    @Test
    void countWithoutAnyKeepsTheNearestAndBreaksTiesAsRedis(DifferentialSession session) {
        List<String> add = new ArrayList<>(List.of("GEOADD", "{g}t"));
        for (int i = 0; i < 60; i++) {
            add.addAll(List.of("2", "2", "same" + i));
            add.addAll(List.of(Double.toString(2 + (i % 4) * 0.001), Double.toString(2 - (i % 3) * 0.001),
                    "near" + i));
        }
        session.check(add.toArray(String[]::new));
        for (String count : new String[] {"1", "3", "7", "8", "41", "50", "60", "61", "119", "120", "121"}) {
            session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km", "COUNT", count);
            session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km", "COUNT", count,
                    "DESC", "WITHDIST");
            session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2.0005", "2", "BYBOX", "10", "10", "km", "COUNT",
                    count, "WITHDIST");
            session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km", "COUNT", count,
                    "ANY", "DESC");
        }
        session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km");
        session.check("GEOSEARCH", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km", "DESC");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}t", "FROMLONLAT", "2", "2", "BYRADIUS", "10", "km", "COUNT",
                "5", "STOREDIST");
        session.check("ZRANGE", "{g}d", "0", "-1", "WITHSCORES");
    }

    @Test
    void searchErrorsComeInRedisOrder(DifferentialSession session) {
        fill(session, "{g}a");
        String[][] commands = {
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "nope", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "nope", "BYRADIUS", "x", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "-1", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "x", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "parsec"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "1", "-1", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "x", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "1", "y", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "-1", "y", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "1", "1", "yd"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYBOX", "1", "1"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m", "BYBOX", "1", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMMEMBER", "Palermo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "200", "1", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "x", "1", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "ANY"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "COUNT", "0"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "COUNT", "-3", "ANY"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "COUNT", "x"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "COUNT"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "WITHCOORDS"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "STORE", "{g}x"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "STOREDIST"},
            {"GEOSEARCH", "{g}a", "BYRADIUS", "1", "m", "ASC"},
            {"geoSearch", "{g}a", "FROMLONLAT", "1", "1", "ASC"},
            {"GEOSEARCH", "{g}a", "FROMLONLAT", "1", "1", "ASC", "ANY"},
            {"GEOSEARCH", "{g}missing", "FROMMEMBER", "nope", "BYRADIUS", "1", "m"},
            {"GEOSEARCH", "{g}missing", "FROMMEMBER", "nope", "BYRADIUS", "-1", "m"},
            {"GEOSEARCH", "{g}missing", "FROMMEMBER", "nope", "ASC", "DESC"},
            {"GEOSEARCH", "{g}missing", "FROMLONLAT", "1", "100", "BYRADIUS", "1", "m"},
            {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "WITHDIST"},
            {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "STORE", "{g}x"},
            {"GEOSEARCHSTORE", "{g}d", "{g}a", "BYRADIUS", "1", "m", "ANY", "WITHHASH"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "WITHDIST", "STORE", "{g}x"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "STOREDIST", "{g}x", "WITHCOORD"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "STORE"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "FROMMEMBER", "Palermo"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "BYBOX", "1", "1", "m"},
            {"GEORADIUS", "{g}a", "15", "97", "200", "km"},
            {"GEORADIUS", "{g}a", "15", "37", "-200", "km"},
            {"GEORADIUS", "{g}a", "15", "37", "x", "km"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "lightyear"},
            {"GEORADIUS", "{g}a", "15", "37", "200", "km", "ANY"},
            {"GEORADIUS_RO", "{g}a", "15", "37", "200", "km", "STORE", "{g}x"},
            {"GEORADIUS_RO", "{g}a", "15", "37", "200", "km", "STOREDIST", "{g}x"},
            {"GEORADIUSBYMEMBER", "{g}a", "nope", "200", "km"},
            {"GEORADIUSBYMEMBER", "{g}a", "Palermo", "-200", "km"},
            {"GEORADIUSBYMEMBER", "{g}a", "Palermo", "200", "au"},
            {"GEORADIUSBYMEMBER", "{g}missing", "nope", "x", "au"},
            {"GEORADIUSBYMEMBER", "{g}missing", "nope", "x", "au", "WITHDIST", "STORE", "{g}x"},
            {"GEORADIUSBYMEMBER", "{g}missing", "nope", "x", "au", "BOGUS"},
            {"GEORADIUSBYMEMBER_RO", "{g}a", "Palermo", "200", "km", "STORE", "{g}x"},
            {"GEOSEARCH", "{g}a"},
            {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "1", "1"},
            {"GEORADIUS", "{g}a", "1", "1", "1"},
            {"GEODIST", "{g}a", "x"},
            {"GEOPOS"},
        };
        for (String[] command : commands) {
            session.check(command);
        }
        session.check("SET", "{g}s", "v");
        session.check("GEOSEARCH", "{g}s", "FROMMEMBER", "x", "BYRADIUS", "-1", "m");
        session.check("GEORADIUS", "{g}s", "200", "100", "1", "m");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}s", "FROMMEMBER", "x", "BYRADIUS", "1", "m");
        session.check("GEOSEARCHSTORE", "{g}s", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m");
        session.check("TYPE", "{g}s");
    }

    @Test
    void storeFormsReplaceOrDeleteTheirDestination(DifferentialSession session) {
        fill(session, "{g}a");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
        session.check("ZRANGE", "{g}d", "0", "-1", "WITHSCORES");
        session.check("OBJECT", "ENCODING", "{g}d");
        session.check("DUMP", "{g}d");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                "STOREDIST", "COUNT", "2", "DESC");
        session.check("ZRANGE", "{g}d", "0", "-1", "WITHSCORES");
        session.check("GEORADIUS", "{g}a", "15", "37", "200", "km", "STORE", "{g}r", "COUNT", "3");
        session.check("ZRANGE", "{g}r", "0", "-1", "WITHSCORES");
        session.check("GEORADIUS", "{g}a", "15", "37", "200", "mi", "STOREDIST", "{g}r", "STORE", "{g}r2");
        session.check("EXISTS", "{g}r2");
        session.check("ZRANGE", "{g}r", "0", "-1", "WITHSCORES");
        session.check("GEORADIUSBYMEMBER", "{g}a", "Palermo", "300", "km", "STOREDIST", "{g}r", "ASC");
        session.check("ZRANGE", "{g}r", "0", "-1", "WITHSCORES");
        session.check("GEORADIUSBYMEMBER", "{g}a", "Palermo", "300", "km", "STORE", "{g}a");
        session.check("ZRANGE", "{g}a", "0", "-1", "WITHSCORES");
        session.check("EXPIRE", "{g}d", "1000");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
        session.check("TTL", "{g}d");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "-100", "0", "BYRADIUS", "1", "km");
        session.check("EXISTS", "{g}d");
        session.check("SET", "{g}d", "string");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}missing", "FROMMEMBER", "x", "BYRADIUS", "1", "km");
        session.check("EXISTS", "{g}d");
        session.check("GEOSEARCHSTORE", "{g}d", "{g}missing", "FROMMEMBER", "x", "BYRADIUS", "1", "km");
        session.check("GEORADIUSBYMEMBER", "{g}missing", "x", "1", "km", "STORE", "{g}a");
        session.check("EXISTS", "{g}a");
        session.check("GEORADIUS", "{g}missing", "1", "1", "1", "km");
    }

    @Test
    void storedResultsAreListpacksOrSkiplistsAsTheLimitsSay(DifferentialSession session) {
        List<String> add = new ArrayList<>(List.of("GEOADD", "{g}many"));
        for (int i = 0; i < 140; i++) {
            add.addAll(List.of(Double.toString(10 + i * 0.001), Double.toString(10 + (i % 7) * 0.001), "p" + i));
        }
        add.addAll(List.of("10.05", "10.002", "q".repeat(65)));
        session.check(add.toArray(String[]::new));
        session.check("OBJECT", "ENCODING", "{g}many");
        for (String count : new String[] {"128", "129", "141"}) {
            session.check("GEOSEARCHSTORE", "{g}d", "{g}many", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km",
                    "COUNT", count);
            session.check("OBJECT", "ENCODING", "{g}d");
            session.check("DUMP", "{g}d");
        }
        session.check("GEOSEARCHSTORE", "{g}d", "{g}many", "FROMLONLAT", "10.05", "10.002", "BYRADIUS", "1",
                "m");
        session.check("OBJECT", "ENCODING", "{g}d");
        session.check("CONFIG", "SET", "zset-max-listpack-entries", "2");
        try {
            session.check("GEOSEARCHSTORE", "{g}d", "{g}many", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km",
                    "COUNT", "3");
            session.check("OBJECT", "ENCODING", "{g}d");
        } finally {
            session.check("CONFIG", "SET", "zset-max-listpack-entries", "128");
        }
    }

    @Test
    void storeFormsAreRoutedByBothKeys(DifferentialSession session) {
        fill(session, "{g}a");
        session.check("GEOSEARCHSTORE", "other", "{g}a", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km");
        session.check("GEORADIUS", "{g}a", "15", "37", "200", "km", "STORE", "other");
        session.check("GEORADIUS", "{g}a", "15", "37", "200", "km", "STOREDIST", "other");
        session.check("GEORADIUSBYMEMBER", "{g}a", "Palermo", "200", "km", "STORE", "other");
        session.check("GEORADIUSBYMEMBER", "{g}a", "Palermo", "200", "km", "STORE", "other", "STORE", "{g}b");
        session.check("GEORADIUS", "{g}a", "15", "37", "200", "km", "STORE", "{g}b", "STOREDIST", "other");
        session.check("GEORADIUS_RO", "{g}a", "15", "37", "200", "km", "STORE", "other");
        for (String command : new String[] {"geoadd", "geodist", "geohash", "geopos", "georadius", "georadius_ro",
            "georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"}) {
            session.check("COMMAND", "INFO", command);
        }
        session.check("COMMAND", "GETKEYS", "GEORADIUS", "a", "1", "2", "3", "km", "STORE", "b");
        session.check("COMMAND", "GETKEYSANDFLAGS", "GEORADIUSBYMEMBER", "a", "m", "3", "km", "STOREDIST", "c");
        session.check("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "m");
    }

    @Test
    void mastersPropagateGeoaddAsZaddAndStoresAsReceived(DifferentialSession session) {
        try (ReplicationProbe reference = ReplicationProbe.attach(session.reference());
             ReplicationProbe candidate = ReplicationProbe.attach(session.candidate())) {
            fill(session, "{g}a");
            session.check("GEOADD", "{g}a", "xx", "CH", "13.361389", "38.115556", "Palermo", "1", "2", "none");
            session.check("GEOADD", "{g}a", "NX", "13.361389", "38.115556", "Palermo");
            session.check("GEOADD", "{g}a", "1", "100", "bad");
            session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
            session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m");
            session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m");
            session.check("GEORADIUS", "{g}a", "15", "37", "200", "km", "STOREDIST", "{g}r");
            session.check("GEORADIUS", "{g}a", "15", "37", "200", "km");
            session.check("GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
            session.check("MULTI");
            session.check("GEOADD", "{g}a", "5", "5", "queued");
            session.check("GEOSEARCHSTORE", "{g}d", "{g}a", "FROMMEMBER", "queued", "BYRADIUS", "1", "km");
            session.check("EXEC");
            List<String> marker = List.of("SET", "propagation-marker", "end");
            session.check(marker.toArray(String[]::new));
            assertEquals(reference.until(marker).toString(), candidate.until(marker).toString());
        }
    }

    @Test
    void geoCommandsRaiseTheEventsOfWhatTheyDid(DifferentialSession session) {
        fill(session, "{g}a");
        PubSubDifferentialTest.awaitNoSubscribers(session);
        session.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(1, "PSUBSCRIBE", "__key*");
            sub.check(1, "SUBSCRIBE", "sentinel");
            String[][] commands = {
                {"GEOADD", "{g}a", "1", "1", "one"},
                {"GEOADD", "{g}new", "1", "1", "one"},
                {"GEOADD", "{g}a", "NX", "2", "2", "one"},
                {"GEOADD", "{g}a", "1", "100", "bad"},
                {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
                {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
                {"GEOSEARCHSTORE", "{g}d", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
                {"GEORADIUS", "{g}a", "15", "37", "200", "km", "STORE", "{g}r"},
                {"GEORADIUSBYMEMBER", "{g}a", "Palermo", "200", "km", "STOREDIST", "{g}r"},
                {"GEORADIUSBYMEMBER", "{g}missing", "Palermo", "200", "km", "STOREDIST", "{g}r"},
                {"GEOSEARCH", "{g}a", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
            };
            for (String[] command : commands) {
                session.check(command);
                session.check("PUBLISH", "sentinel", "next");
                while (true) {
                    List<Reply> frame = sub.next().asList();
                    if (frame.get(0).equals(Reply.bulk("message")) && frame.get(1).equals(Reply.bulk("sentinel"))) {
                        break;
                    }
                }
            }
        } finally {
            session.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }
}
