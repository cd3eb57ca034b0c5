package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.resp.RedisNumbers;

class ListpackTest {

    private static List<byte[]> elements(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String e : s) {
            out.add(e.getBytes(ISO_8859_1));
        }
        return out;
    }

    /** The listpack inside redis-server 7.0's DUMP of HSET vh a 1 b -70000 c text d 9223372036854775807. */
    @Test
    void encodesAsRedisDoesEveryIntegerWidthAndStrings() {
        byte[] expected = HexFormat.of().parseHex("2a00000008008161020101816202f290eefe04816302847465787405"
                + "816402f4ffffffffffffff7f09ff");
        assertArrayEquals(expected, Listpack.encode(elements("a", "1", "b", "-70000", "c", "text", "d",
                "9223372036854775807")));
    }

    /** Listpacks inside redis-server 7.0's DUMPs of HSET k v v, for each v. */
    @Test
    void integersTakeTheSmallestEncodingAndNonCanonicalNumbersStayStrings() {
        assertEquals("0b00000002007f017f01ff", hex(Listpack.encode(elements("127", "127"))));
        assertEquals("0d0000000200c08002c08002ff", hex(Listpack.encode(elements("128", "128"))));
        assertEquals("0d0000000200d00002d00002ff", hex(Listpack.encode(elements("-4096", "-4096"))));
        assertEquals("0f0000000200f1ff7f03f1ff7f03ff", hex(Listpack.encode(elements("32767", "32767"))));
        assertEquals("11000000020083303037048330303704ff", hex(Listpack.encode(elements("007", "007"))));
        assertEquals("0f0000000200822b3103822b3103ff", hex(Listpack.encode(elements("+1", "+1"))));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void longStringsUseTwelveAndThirtyTwoBitLengthsAndLongerBacklens() throws RdbFormatException {
        for (int len : new int[] {63, 64, 127, 4095, 4096, 20000}) {
            byte[] s = "x".repeat(len).getBytes(ISO_8859_1);
            byte[] lp = Listpack.encode(List.of(s));
            assertEquals(Listpack.emptySize() + Listpack.entrySize(s), lp.length);
            assertArrayEquals(s, Listpack.decode(lp).get(0));
        }
    }

    @Property
    void everyListOfElementsDecodesBackAndSizesAdd(@ForAll("elementLists") List<byte[]> elements)
            throws RdbFormatException {
        byte[] lp = Listpack.encode(elements);
        long size = Listpack.emptySize();
        for (byte[] e : elements) {
            size += Listpack.entrySize(e);
        }
        assertEquals(size, lp.length);
        List<byte[]> decoded = Listpack.decode(lp);
        assertEquals(elements.size(), decoded.size());
        for (int i = 0; i < elements.size(); i++) {
            assertArrayEquals(elements.get(i), decoded.get(i));
        }
    }

    @Provide
    Arbitrary<List<byte[]>> elementLists() {
        Arbitrary<byte[]> numbers = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 127L, 128L, -4096L, 4095L, -4097L, 4096L, 32767L, -32769L, 8388607L, -8388609L,
                        2147483647L, -2147483649L, Long.MAX_VALUE, Long.MIN_VALUE)).map(RedisNumbers::toBytes);
        Arbitrary<byte[]> strings = Arbitraries.bytes().array(byte[].class).ofMaxSize(5000);
        return Arbitraries.oneOf(numbers, strings).list().ofMaxSize(40);
    }

    @Test
    void aCorruptListpackIsRefused() {
        byte[] good = Listpack.encode(elements("a", "1"));
        byte[] badLength = good.clone();
        badLength[0]++;
        byte[] badCount = good.clone();
        badCount[4] = 3;
        byte[] badBacklen = good.clone();
        badBacklen[good.length - 2] = 9;
        byte[] badEnd = good.clone();
        badEnd[good.length - 1] = 0;
        byte[] badEncoding = good.clone();
        badEncoding[Listpack.HEADER_SIZE] = (byte) 0xF5;
        for (byte[] corrupt : List.of(badLength, badCount, badBacklen, badEnd, badEncoding, new byte[3])) {
            assertThrows(RdbFormatException.class, () -> Listpack.decode(corrupt));
        }
    }

    @Test
    void anUnknownCountIsAccepted() throws RdbFormatException {
        byte[] lp = Listpack.encode(elements("a", "b"));
        lp[4] = (byte) 0xFF;
        lp[5] = (byte) 0xFF;
        assertEquals(2, Listpack.decode(lp).size());
    }
}
