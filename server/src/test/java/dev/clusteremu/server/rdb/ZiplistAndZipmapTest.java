package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class ZiplistAndZipmapTest {

    private static List<String> text(List<byte[]> elements) {
        return elements.stream().map(e -> new String(e, ISO_8859_1)).toList();
    }

    /**
     * A ziplist of "a", 5 (immediate), -2 (8-bit), 1000 (16-bit), 100000 (24-bit), 2^31 (64-bit), as Redis
     * 6 wrote them: each entry after the previous one's size.
     */
    @Test
    void aZiplistReadsAsItsElementsWithIntegersInDecimal() throws RdbFormatException {
        byte[] zl = HexFormat.of().parseHex("26000000" + "1b000000" + "0600"
                + "00" + "0161"
                + "03" + "f6"
                + "02" + "fefe"
                + "03" + "c0e803"
                + "04" + "f0a08601"
                + "05" + "e00000008000000000"
                + "ff");
        assertEquals(List.of("a", "5", "-2", "1000", "100000", "2147483648"), text(Ziplist.decode(zl)));
    }

    @Test
    void aCorruptZiplistIsRefused() {
        byte[] good = HexFormat.of().parseHex("0e0000000a0000000100" + "000161" + "ff");
        byte[] badPrevlen = HexFormat.of().parseHex("0e0000000a0000000100" + "010161" + "ff");
        byte[] badTail = HexFormat.of().parseHex("0e0000000b0000000100" + "000161" + "ff");
        byte[] badCount = HexFormat.of().parseHex("0e0000000a0000000200" + "000161" + "ff");
        assertEquals(List.of("a"), text(assertDoesNotThrow(good)));
        for (byte[] corrupt : List.of(badPrevlen, badTail, badCount, new byte[4])) {
            assertThrows(RdbFormatException.class, () -> Ziplist.decode(corrupt));
        }
    }

    private static List<byte[]> assertDoesNotThrow(byte[] zl) {
        try {
            return Ziplist.decode(zl);
        } catch (RdbFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** zipmap.c's own example: "foo" => "bar", "hello" => "world", plus a value with free bytes after it. */
    @Test
    void aZipmapReadsAsFieldsAndValuesSkippingFreeBytes() throws RdbFormatException {
        byte[] zm = ("\u0003\u0003foo\u0003\u0000bar\u0005hello\u0005\u0000world\u0001k\u0001\u0002vxx\u00ff")
                .getBytes(ISO_8859_1);
        assertEquals(List.of("foo", "bar", "hello", "world", "k", "v"), text(Zipmap.decode(zm)));
    }

    @Test
    void aCorruptOrEmptyZipmapIsRefused() {
        byte[] empty = {0, (byte) 0xff};
        byte[] badCount = "\u0002\u0001a\u0001\u0000b\u00ff".getBytes(ISO_8859_1);
        byte[] overrun = "\u0001\u0009a\u0001\u0000b\u00ff".getBytes(ISO_8859_1);
        byte[] noEnd = "\u0001\u0001a\u0001\u0000b".getBytes(ISO_8859_1);
        for (byte[] corrupt : List.of(empty, badCount, overrun, noEnd)) {
            assertThrows(RdbFormatException.class, () -> Zipmap.decode(corrupt));
        }
    }
}
