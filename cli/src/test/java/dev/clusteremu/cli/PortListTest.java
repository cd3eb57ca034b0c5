package dev.clusteremu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PortListTest {

    @Test
    void rangesAndListsMixInTheOrderGiven() {
        assertEquals(List.of(7003, 7000, 7001, 7002, 7005), PortList.parse("7003,7000-7002, 7005").ports());
    }

    @Test
    void singlePortIsARangeOfOne() {
        assertEquals(List.of(6379), PortList.parse("6379").ports());
    }

    @Test
    void lowestAndHighestUsablePortsAreAccepted() {
        assertEquals(List.of(1, 55535), PortList.parse("1,55535").ports());
    }

    @Test
    void toStringWritesConsecutiveRunsAsRanges() {
        assertEquals("7000-7002,7005", PortList.parse("7000,7001,7002,7005").toString());
        assertEquals("7003,7000-7002", PortList.parse("7003,7000-7002").toString());
        assertEquals("6379", PortList.parse("6379").toString());
    }

    @Test
    void emptyPartsAndSignsAreNotPorts() {
        for (String text : List.of("", "7000,", ",7000", "7000-", "-7000", "+7000", "7000--7001", "7000-7001-7002")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortList.parse(text), text);
            assertTrue(e.getMessage().endsWith("is not a port or a range of ports (examples: 7000-7005, "
                    + "7000,7001,7002, 7000-7002,7005)"), e.getMessage());
        }
    }

    @Test
    void numbersTooLongForAnIntAreNotPorts() {
        assertThrows(IllegalArgumentException.class, () -> PortList.parse("99999999999"));
    }
}
