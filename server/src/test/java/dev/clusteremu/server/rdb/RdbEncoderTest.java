package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class RdbEncoderTest {

    private static byte[] encode(boolean compression, boolean checksum, Consumer<RdbEncoder> write) {
        ByteBuf buf = Unpooled.buffer();
        try {
            write.accept(new RdbEncoder(buf, compression, checksum));
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } finally {
            buf.release();
        }
    }

    private static String hex(Consumer<RdbEncoder> write) {
        return HexFormat.of().formatHex(encode(true, true, write));
    }

    private static String hexOf(String text) {
        return HexFormat.of().formatHex(bytes(text));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void lengthsUseTheShortestOfFourForms() {
        assertEquals("00", hex(e -> e.writeLength(0)));
        assertEquals("3f", hex(e -> e.writeLength(63)));
        assertEquals("4040", hex(e -> e.writeLength(64)));
        assertEquals("7fff", hex(e -> e.writeLength(16383)));
        assertEquals("8000004000", hex(e -> e.writeLength(16384)));
        assertEquals("80ffffffff", hex(e -> e.writeLength(0xFFFF_FFFFL)));
        assertEquals("810000000100000000", hex(e -> e.writeLength(0x1_0000_0000L)));
        assertEquals("81ffffffffffffffff", hex(e -> e.writeLength(-1)));
    }

    @Test
    void canonicalIntegersOfUpTo32BitsAreIntegerEncodedLittleEndian() {
        assertEquals("c000", hex(e -> e.writeString(bytes("0"))));
        assertEquals("c0ff", hex(e -> e.writeString(bytes("-1"))));
        assertEquals("c07f", hex(e -> e.writeString(bytes("127"))));
        assertEquals("c18000", hex(e -> e.writeString(bytes("128"))));
        assertEquals("c10080", hex(e -> e.writeString(bytes("-32768"))));
        assertEquals("c1ff7f", hex(e -> e.writeString(bytes("32767"))));
        assertEquals("c200800000", hex(e -> e.writeString(bytes("32768"))));
        assertEquals("c2ffffff7f", hex(e -> e.writeString(bytes("2147483647"))));
        assertEquals("c200000080", hex(e -> e.writeString(bytes("-2147483648"))));
    }

    @Test
    void otherStringsAreLengthPrefixed() {
        assertEquals("00", hex(e -> e.writeString(new byte[0])));
        assertEquals("0a" + hexOf("2147483648"), hex(e -> e.writeString(bytes("2147483648"))));
        assertEquals("0b" + hexOf("12345678901"), hex(e -> e.writeString(bytes("12345678901"))));
        assertEquals("03" + hexOf("007"), hex(e -> e.writeString(bytes("007"))));
        assertEquals("02" + hexOf("-0"), hex(e -> e.writeString(bytes("-0"))));
        assertEquals("02" + hexOf("+1"), hex(e -> e.writeString(bytes("+1"))));
        assertEquals("13" + hexOf("9223372036854775807"), hex(e -> e.writeString(bytes("9223372036854775807"))));
        // 20 bytes: never compressed, however repetitive.
        assertEquals("14" + hexOf("a".repeat(20)), hex(e -> e.writeString(bytes("a".repeat(20)))));
    }

    @Test
    void longerStringsAreLzfCompressedOnlyWhenThatSavesFourBytes() {
        // 21 'a': a literal run "aa" and a back reference of 19 bytes at offset 1, 6 bytes, so it is kept.
        assertEquals("c30615016161e00a00", hex(e -> e.writeString(bytes("a".repeat(21)))));
        // 21 distinct bytes cannot be compressed: stored verbatim.
        assertEquals("15" + hexOf("abcdefghijklmnopqrstu"), hex(e -> e.writeString(bytes("abcdefghijklmnopqrstu"))));
        // With compression off the same 21 'a' are verbatim.
        assertEquals("15" + hexOf("a".repeat(21)),
                HexFormat.of().formatHex(encode(false, true, e -> e.writeString(bytes("a".repeat(21))))));
    }

    @Test
    void longsSaveLikeIntEncodedObjects() {
        assertEquals("c0ff", hex(e -> e.writeLongAsString(-1)));
        assertEquals("c2ffffff7f", hex(e -> e.writeLongAsString(Integer.MAX_VALUE)));
        assertEquals("14" + hexOf("-9223372036854775808"), hex(e -> e.writeLongAsString(Long.MIN_VALUE)));
    }

    @Test
    void timesAndDoublesAreLittleEndian() {
        assertEquals("0102030405060708", hex(e -> e.writeMillisecondTime(0x0807060504030201L)));
        assertEquals("000000000000f03f", hex(e -> e.writeBinaryDouble(1.0)));
        assertEquals("fc" + "00e40b5402000000", hex(e -> e.writeExpireTimeMs(10_000_000_000L)));
    }

    @Test
    void opcodesHaveRedisNumbers() {
        assertEquals("fe00", hex(e -> e.writeSelectDb(0)));
        assertEquals("fe0f", hex(e -> e.writeSelectDb(15)));
        assertEquals("fb0501", hex(e -> e.writeResizeDb(5, 1)));
        assertEquals("f80a", hex(e -> e.writeIdle(10)));
        assertEquals("f9ff", hex(e -> e.writeFreq(255)));
        assertEquals("f5" + "03" + hexOf("abc"), hex(e -> e.writeFunction(bytes("abc"))));
    }

    /** The header and aux fields exactly as a real Redis 7.0 SAVE lays them out (compared with xxd). */
    @Test
    void headerAndInfoAuxFieldsAreLaidOutAsRedisDoes() {
        String expected = hexOf("REDIS0010")
                + "fa" + "09" + hexOf("redis-ver") + "06" + hexOf("7.0.15")
                + "fa" + "0a" + hexOf("redis-bits") + "c040"
                + "fa" + "05" + hexOf("ctime") + "c2709c066b"
                + "fa" + "08" + hexOf("used-mem") + "c240b70e00"
                + "fa" + "08" + hexOf("aof-base") + "c000";
        assertEquals(expected, hex(e -> {
            e.writeHeader();
            e.writeInfoAuxFields(0x6b069c70L, 0x000eb740L, null, false);
        }));
    }

    @Test
    void replicationAuxFieldsComeBetweenUsedMemAndAofBase() {
        // A repl-id is random hex, which LZF cannot shorten by 4 bytes, so it is stored verbatim; like every
        // aux value it goes through rdbSaveRawString, and a repetitive one would be compressed.
        String replId = "8f0c2a7d5e1b93c64a0f7e2d18b5c9a3e6f1d04b";
        String expected = "fa" + "08" + hexOf("used-mem") + "c001"
                + "fa" + "0e" + hexOf("repl-stream-db") + "c003"
                + "fa" + "07" + hexOf("repl-id") + "28" + hexOf(replId)
                + "fa" + "0b" + hexOf("repl-offset") + "0a" + hexOf("5000000000")
                + "fa" + "08" + hexOf("aof-base") + "c001";
        String all = hex(e -> e.writeInfoAuxFields(1, 1, new RdbSaveInfo(3, replId, 5_000_000_000L), true));
        assertEquals(expected, all.substring(all.indexOf("fa08" + hexOf("used-mem"))));
    }

    @Test
    void eofIsFollowedByTheChecksumOfEverythingBefore() {
        byte[] rdb = encode(true, true, e -> {
            e.writeHeader();
            e.writeSelectDb(0);
            e.writeStringKeyValue(bytes("k"), bytes("v"), 1234);
            e.writeEof();
        });
        long crc = Crc64.update(0, rdb, 0, rdb.length - 8);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (crc >>> (8 * i)), rdb[rdb.length - 8 + i]);
        }
        assertEquals(hexOf("REDIS0010") + "fe00" + "fc" + "d204000000000000" + "00" + "016b" + "0176" + "ff",
                HexFormat.of().formatHex(rdb, 0, rdb.length - 8));
    }

    @Test
    void withoutChecksumTheTrailerIsZero() {
        byte[] rdb = encode(true, false, e -> {
            e.writeHeader();
            e.writeEof();
        });
        assertEquals(hexOf("REDIS0010") + "ff" + "0000000000000000", HexFormat.of().formatHex(rdb));
    }

    @Test
    void checksumSurvivesTheCallerDrainingTheBuffer() {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder encoder = new RdbEncoder(buf);
        ByteBuf all = Unpooled.buffer();
        encoder.writeHeader();
        all.writeBytes(buf);
        buf.discardReadBytes();
        encoder.writeStringKeyValue(bytes("key"), bytes("x".repeat(1000)), -1);
        all.writeBytes(buf);
        buf.discardReadBytes();
        encoder.writeEof();
        all.writeBytes(buf);
        byte[] rdb = new byte[all.readableBytes()];
        all.readBytes(rdb);
        assertEquals(Crc64.update(0, rdb, 0, rdb.length - 8), encoder.checksum());
        buf.release();
        all.release();
    }
}
