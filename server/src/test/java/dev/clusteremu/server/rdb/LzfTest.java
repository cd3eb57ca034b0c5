package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class LzfTest {

    private static byte[] roundTrip(byte[] data) {
        // Enough for liblzf's worst case: one control byte per 32 literals, and its 3-byte end-of-loop margin.
        byte[] compressed = new byte[data.length + data.length / 32 + 4];
        int clen = Lzf.compress(data, 0, data.length, compressed, 0, compressed.length);
        byte[] back = new byte[data.length];
        assertEquals(data.length, Lzf.decompress(compressed, 0, clen, back, 0, back.length));
        return back;
    }

    @Property
    void anyBytesRoundTrip(@ForAll @Size(min = 1, max = 2000) byte[] data) {
        assertArrayEquals(data, roundTrip(data));
    }

    @Provide
    Arbitrary<byte[]> compressible() {
        // Few distinct bytes and long inputs: many matches, long ones, and offsets up to the 8 KB window.
        return Arbitraries.integers().between(1, 4).flatMap(alphabet -> Arbitraries.bytes()
                .between((byte) 'a', (byte) ('a' + alphabet - 1)).array(byte[].class).ofMinSize(1).ofMaxSize(20000));
    }

    @Property(tries = 300)
    void compressibleBytesRoundTrip(@ForAll("compressible") byte[] data) {
        assertArrayEquals(data, roundTrip(data));
    }

    @Property
    void compressionEitherFitsTheLimitOrReportsZero(@ForAll("compressible") byte[] data,
            @ForAll @IntRange(min = 1, max = 100) int percent) {
        int limit = Math.max(1, data.length * percent / 100);
        byte[] out = new byte[limit];
        int clen = Lzf.compress(data, 0, data.length, out, 0, limit);
        assertTrue(clen >= 0 && clen <= limit);
        if (clen > 0) {
            byte[] back = new byte[data.length];
            assertEquals(data.length, Lzf.decompress(out, 0, clen, back, 0, back.length));
            assertArrayEquals(data, back);
        }
    }

    @Property
    void offsetsIntoLargerArraysAreHonoured(@ForAll("compressible") byte[] data) {
        byte[] in = new byte[data.length + 10];
        System.arraycopy(data, 0, in, 7, data.length);
        byte[] out = new byte[data.length * 2 + 20];
        int clen = Lzf.compress(in, 7, data.length, out, 5, data.length * 2 + 2);
        byte[] back = new byte[data.length + 4];
        assertEquals(data.length, Lzf.decompress(out, 5, clen, back, 3, data.length));
        assertArrayEquals(data, Arrays.copyOfRange(back, 3, 3 + data.length));
    }

    /**
     * LZF bodies taken from real redis-server 7.0 DUMP output (DUMP k after SET k v): they decompress to the
     * value, and compressing the value gives the same bytes.
     */
    @Test
    void decompressesAndReproducesRealRedisOutput() {
        assertRealRedisSample("hello world ".repeat(20), "0c68656c6c6f20776f726c642068e0d80b016420");
        assertRealRedisSample("abc".repeat(12) + "xyz" + "0123456789".repeat(4),
                "0361626361e017020c78797a30313233343536373839e0130901" + "3839");
        byte[] tenKb = new byte[10 * 1024];
        Arrays.fill(tenKb, (byte) 'a');
        byte[] compressed = new byte[tenKb.length - 4];
        int clen = Lzf.compress(tenKb, 0, tenKb.length, compressed, 0, compressed.length);
        byte[] back = new byte[tenKb.length];
        assertEquals(tenKb.length, Lzf.decompress(compressed, 0, clen, back, 0, back.length));
        assertArrayEquals(tenKb, back);
    }

    private static void assertRealRedisSample(String value, String hex) {
        byte[] expected = HexFormat.of().parseHex(hex);
        byte[] plain = value.getBytes(US_ASCII);
        byte[] back = new byte[plain.length];
        assertEquals(plain.length, Lzf.decompress(expected, 0, expected.length, back, 0, back.length));
        assertArrayEquals(plain, back);
        byte[] out = new byte[plain.length - 4];
        int clen = Lzf.compress(plain, 0, plain.length, out, 0, out.length);
        assertEquals(hex, HexFormat.of().formatHex(out, 0, clen));
    }

    @Test
    void incompressibleInputReportsZero() {
        byte[] data = "abcdefghijklmnopqrstuvwxyz".getBytes(US_ASCII);
        assertEquals(0, Lzf.compress(data, 0, data.length, new byte[data.length - 4], 0, data.length - 4));
        assertEquals(0, Lzf.compress(data, 0, 0, new byte[10], 0, 10));
    }

    @Test
    void malformedInputIsRefused() {
        byte[] out = new byte[100];
        // A literal run of 3 with only 2 bytes left.
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {2, 'a', 'b'}, 0, 3, out, 0, 100));
        // A back reference before anything was produced.
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x20, 0}, 0, 2, out, 0, 100));
        // Output larger than announced.
        assertThrows(IllegalArgumentException.class,
                () -> Lzf.decompress(new byte[] {2, 'a', 'b', 'c'}, 0, 4, out, 0, 2));
        // A back reference cut short.
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0, 'a', 0x20}, 0, 3, out, 0, 100));
    }
}
