package dev.clusteremu.server.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class IntsetTest {

    /** The intset inside redis-server 7.0's DUMP of SADD vs 5 -3 100000 then SREM vs 100000: still 32 bits. */
    @Test
    void encodesAsRedisDoesAtTheWidthItWasGiven() throws RdbFormatException {
        byte[] expected = HexFormat.of().parseHex("0400000002000000fdffffff05000000");
        assertArrayEquals(expected, Intset.encode(new long[] {-3, 5}, 2, Intset.WIDTH_32));
        Intset.Contents contents = Intset.decode(expected);
        assertEquals(Intset.WIDTH_32, contents.width());
        assertArrayEquals(new long[] {-3, 5}, contents.elements());
    }

    @Test
    void theWidthIsTheSmallestThatHoldsTheValue() {
        assertEquals(Intset.WIDTH_16, Intset.widthOf(32767));
        assertEquals(Intset.WIDTH_16, Intset.widthOf(-32768));
        assertEquals(Intset.WIDTH_32, Intset.widthOf(32768));
        assertEquals(Intset.WIDTH_32, Intset.widthOf(Integer.MIN_VALUE));
        assertEquals(Intset.WIDTH_64, Intset.widthOf(Integer.MAX_VALUE + 1L));
        assertEquals(Intset.WIDTH_64, Intset.widthOf(Long.MIN_VALUE));
    }

    @Test
    void sixtyFourBitMembersRoundTrip() throws RdbFormatException {
        long[] members = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        Intset.Contents contents = Intset.decode(Intset.encode(members, 4, Intset.WIDTH_64));
        assertArrayEquals(members, contents.elements());
    }

    @Test
    void malformedIntsetsAreRefused() {
        byte[] empty = {2, 0, 0, 0, 0, 0, 0, 0};
        byte[] badWidth = {3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
        byte[] short1 = {2, 0, 0, 0, 2, 0, 0, 0, 1, 0};
        byte[] unsorted = {2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0};
        byte[] duplicate = {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0};
        for (byte[] blob : List.of(empty, badWidth, short1, unsorted, duplicate, new byte[5])) {
            assertThrows(RdbFormatException.class, () -> Intset.decode(blob));
        }
    }
}
