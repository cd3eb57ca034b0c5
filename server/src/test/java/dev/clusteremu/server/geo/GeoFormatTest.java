package dev.clusteremu.server.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The number formats of geo replies, as glibc's printf and Redis's util.c print them. */
class GeoFormatTest {

    @Test
    void distancesHaveFourDecimalsRoundedHalfToEven() {
        assertEquals("166274.1516", GeoFormat.distance(166274.15156960033));
        assertEquals("0.0000", GeoFormat.distance(0));
        assertEquals("0.0000", GeoFormat.distance(0.00004));
        assertEquals("0.0005", GeoFormat.distance(0.0005));
        assertEquals("0.0012", GeoFormat.distance(0.00125));
        assertEquals("12.0000", GeoFormat.distance(12));
    }

    @Test
    void coordinatesHaveSeventeenDecimalsTrimmed() {
        assertEquals("15.08726745843887329", GeoFormat.human(15.087267458438873));
        assertEquals("180", GeoFormat.human(180));
        assertEquals("0", GeoFormat.human(-0.0));
        assertEquals("0", GeoFormat.human(-1e-20));
        assertEquals("-0.5", GeoFormat.human(-0.5));
    }

    @Test
    void printfFKeepsTheSignOfZero() {
        assertEquals("200.000000", GeoFormat.printfF(200));
        assertEquals("-0.000000", GeoFormat.printfF(-0.0));
        assertEquals("-85.051129", GeoFormat.printfF(-85.0511288));
        assertEquals("inf", GeoFormat.printfF(Double.POSITIVE_INFINITY));
        assertEquals("-inf", GeoFormat.printfF(Double.NEGATIVE_INFINITY));
    }
}
