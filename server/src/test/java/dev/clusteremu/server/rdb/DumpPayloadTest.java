package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class DumpPayloadTest {

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    /** Payloads copied from redis-cli DUMP on a real Redis 7.0 (see the session in DumpAgainstRedisTest). */
    @Test
    void stringPayloadsMatchRealRedisOutput() {
        assertEquals("00c13930" + "0a00" + "9d94ea2793fc08b9", HexFormat.of().formatHex(DumpPayload.ofString(bytes("12345"))));
        assertEquals("0000" + "0a00" + "5d9b5c400f7fa2da", HexFormat.of().formatHex(DumpPayload.ofString(new byte[0])));
        assertEquals("0013" + HexFormat.of().formatHex(bytes("9223372036854775807")) + "0a00" + "3a657e9481e85f22",
                HexFormat.of().formatHex(DumpPayload.ofString(bytes("9223372036854775807"))));
        assertEquals("00c31440f00c68656c6c6f20776f726c642068e0d80b016420" + "0a00" + "8343bf245d7fac30",
                HexFormat.of().formatHex(DumpPayload.ofString(bytes("hello world ".repeat(20)))));
    }

    @Property
    void createdPayloadsVerifyAndParseBack(@ForAll @Size(max = 300) byte[] value) throws RdbFormatException {
        byte[] payload = DumpPayload.ofString(value);
        assertTrue(DumpPayload.verify(payload));
        DumpPayload parsed = DumpPayload.parse(payload);
        assertEquals(RdbType.STRING, parsed.type());
        assertArrayEquals(value, parsed.stringValue());
        assertArrayEquals(payload, parsed.toBytes());
    }

    @Test
    void verifyFollowsRedisRules() {
        byte[] payload = DumpPayload.create(RdbType.SET_INTSET, new byte[] {1, 2, 3});
        assertTrue(DumpPayload.verify(payload));
        assertFalse(DumpPayload.verify(Arrays.copyOf(payload, 9)));
        byte[] flipped = payload.clone();
        flipped[1] ^= 1;
        assertFalse(DumpPayload.verify(flipped));
        byte[] newer = payload.clone();
        newer[payload.length - 10] = 11;
        assertFalse(DumpPayload.verify(newer));
        // Only a footer: Redis's verify accepts it (the type byte is checked later, by the loader).
        byte[] footerOnly = Arrays.copyOfRange(DumpPayload.create(0, new byte[0]), 1, 11);
        long crc = Crc64.update(0, footerOnly, 0, 2);
        for (int i = 0; i < 8; i++) {
            footerOnly[2 + i] = (byte) (crc >>> (8 * i));
        }
        assertTrue(DumpPayload.verify(footerOnly));
        assertEquals(DumpPayload.BAD_DATA_FORMAT,
                assertThrows(RdbFormatException.class, () -> DumpPayload.parse(footerOnly)).getMessage());
    }

    @Test
    void parseReportsRestoreErrors() {
        assertEquals("ERR DUMP payload version or checksum are wrong",
                assertThrows(RdbFormatException.class, () -> DumpPayload.parse(new byte[5])).getMessage());
        assertEquals("ERR Bad data format", assertThrows(RdbFormatException.class,
                () -> DumpPayload.parse(DumpPayload.create(8, new byte[] {0}))).getMessage());
        assertEquals("ERR Bad data format", assertThrows(RdbFormatException.class,
                () -> DumpPayload.parse(DumpPayload.create(RdbType.STRING, new byte[] {(byte) 0xc4})).stringValue())
                .getMessage());
    }
}
