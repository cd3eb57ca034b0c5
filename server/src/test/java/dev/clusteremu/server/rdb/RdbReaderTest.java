package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class RdbReaderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static byte[] rdb(Consumer<RdbEncoder> body) {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder encoder = new RdbEncoder(buf);
        encoder.writeHeader();
        body.accept(encoder);
        encoder.writeEof();
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        return b;
    }

    private static CollectingVisitor read(byte[] rdb) throws IOException {
        CollectingVisitor c = new CollectingVisitor();
        RdbReadResult result = RdbReader.read(new ByteArrayInputStream(rdb), c);
        assertEquals(rdb.length, result.bytesRead());
        return c;
    }

    @Property
    void stringKeyValuesRoundTrip(@ForAll @Size(max = 3) List<@Size(max = 200) byte[]> values,
            @ForAll boolean compression) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder encoder = new RdbEncoder(buf, compression, true);
        encoder.writeHeader();
        encoder.writeSelectDb(0);
        for (int i = 0; i < values.size(); i++) {
            encoder.writeStringKeyValue(values.get(i), values.get(i), i % 2 == 0 ? -1 : 1_700_000_000_000L + i);
        }
        encoder.writeEof();
        byte[] rdb = new byte[buf.readableBytes()];
        buf.readBytes(rdb);
        buf.release();
        CollectingVisitor c = read(rdb);
        assertEquals(values.size(), c.keys.size());
        for (int i = 0; i < values.size(); i++) {
            assertArrayEquals(values.get(i), c.keys.get(i).key());
            assertArrayEquals(values.get(i), c.values.get(i));
            assertEquals(i % 2 == 0 ? -1 : 1_700_000_000_000L + i, c.keys.get(i).expireMs());
        }
    }

    @Test
    void keyAttributesApplyToTheNextKeyOnly() throws IOException {
        CollectingVisitor c = read(rdb(e -> {
            e.writeAuxField("redis-ver", "7.0.15");
            e.writeSelectDb(2);
            e.writeResizeDb(3, 1);
            e.writeExpireTimeMs(42);
            e.writeIdle(7);
            e.writeStringKeyValue(bytes("a"), bytes("1"), -1);
            e.writeFreq(200);
            e.writeKeyValue(bytes("b"), RdbType.SET_INTSET, StringEncoding.encode(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}),
                    -1);
            e.writeStringKeyValue(bytes("c"), bytes(""), -1);
        }));
        assertEquals("7.0.15", c.aux.get("redis-ver"));
        assertEquals(List.of(2), c.selectedDbs);
        assertArrayEquals(new long[] {3, 1}, c.resizes.get(0));
        RdbKey a = c.keys.get(0);
        assertEquals(2, a.db());
        assertArrayEquals(bytes("a"), a.key());
        assertEquals(42, a.expireMs());
        assertEquals(7, a.lruIdleSeconds());
        assertEquals(-1, a.lfuFreq());
        assertEquals(RdbType.STRING, a.type());
        RdbKey b = c.keys.get(1);
        assertEquals(-1, b.expireMs());
        assertEquals(-1, b.lruIdleSeconds());
        assertEquals(200, b.lfuFreq());
        assertEquals(RdbType.SET_INTSET, b.type());
        assertEquals("08" + "0200000000000000", HexFormat.of().formatHex(c.values.get(1)));
        RdbKey key3 = c.keys.get(2);
        assertEquals(-1, key3.lfuFreq());
        assertArrayEquals(new byte[0], c.values.get(2));
    }

    @Test
    void decodesEveryStringEncoding() throws IOException {
        // Raw, INT8, INT16, INT32 and LZF bodies written by hand.
        byte[] body = HexFormat.of().parseHex("00" + "0161" + "0101"
                + "00" + "0162" + "c0f6" + "00" + "0163" + "c13930" + "00" + "0164" + "c200000080"
                + "00" + "0165" + "c30615016161e00a00");
        byte[] rdb = withHeaderAndChecksum("REDIS0010", body);
        CollectingVisitor c = read(rdb);
        assertArrayEquals(bytes("\u0001"), c.value("a"));
        assertArrayEquals(bytes("-10"), c.value("b"));
        assertArrayEquals(bytes("12345"), c.value("c"));
        assertArrayEquals(bytes("-2147483648"), c.value("d"));
        assertArrayEquals(bytes("a".repeat(21)), c.value("e"));
    }

    /** The header, {@code body}, EOF and a correct checksum. */
    private static byte[] withHeaderAndChecksum(String header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(header));
        out.writeBytes(body);
        out.write(0xff);
        long crc = Crc64.crc64(out.toByteArray());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)));
        }
        return out.toByteArray();
    }

    @Test
    void aWrongChecksumIsRefusedAndAZeroChecksumIsNotChecked() throws IOException {
        byte[] good = rdb(e -> e.writeStringKeyValue(bytes("k"), bytes("v"), -1));
        byte[] bad = good.clone();
        bad[bad.length - 3] ^= 0x10;
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(bad));
        assertEquals(true, e.getMessage().startsWith("Wrong RDB checksum expected: ("));
        byte[] zero = good.clone();
        Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
        assertEquals(0, RdbReader.read(new ByteArrayInputStream(zero), new CollectingVisitor()).checksum());
        byte[] corruptData = good.clone();
        corruptData[corruptData.length - 10] ^= 1;
        assertThrows(RdbFormatException.class, () -> read(corruptData));
    }

    @Test
    void headersAreCheckedLikeRedis() throws IOException {
        assertEquals("Wrong signature trying to load DB from file",
                assertThrows(RdbFormatException.class, () -> read(withHeaderAndChecksum("RADIS0010", new byte[0])))
                        .getMessage());
        assertEquals("Can't handle RDB format version 11",
                assertThrows(RdbFormatException.class, () -> read(withHeaderAndChecksum("REDIS0011", new byte[0])))
                        .getMessage());
        assertEquals("Can't handle RDB format version 0",
                assertThrows(RdbFormatException.class, () -> read(withHeaderAndChecksum("REDIS0000", new byte[0])))
                        .getMessage());
        assertEquals(9, RdbReader.read(new ByteArrayInputStream(withHeaderAndChecksum("REDIS0009", new byte[0])),
                new CollectingVisitor()).rdbVersion());
    }

    @Test
    void versionsBefore5HaveNoChecksumAndOldExpiresAreSeconds() throws IOException {
        // REDIS0004: EXPIRETIME (seconds, 4 bytes LE), a string key, EOF, and nothing after.
        byte[] rdb = HexFormat.of().parseHex(HexFormat.of().formatHex(bytes("REDIS0004")) + "fd" + "10270000"
                + "00" + "016b" + "0176" + "ff");
        CollectingVisitor c = read(rdb);
        assertEquals(10_000_000L, c.key("k").expireMs());
    }

    @Test
    void bytesAfterTheChecksumAreLeftInTheStream() throws IOException {
        byte[] rdb = rdb(e -> e.writeStringKeyValue(bytes("k"), bytes("v"), -1));
        byte[] withTail = Arrays.copyOf(rdb, rdb.length + 4);
        System.arraycopy(bytes("*1\r\n"), 0, withTail, rdb.length, 4);
        ByteArrayInputStream in = new ByteArrayInputStream(withTail);
        RdbReader.read(in, new CollectingVisitor());
        assertArrayEquals(bytes("*1\r\n"), in.readAllBytes());
    }

    @Test
    void shortInputAndUnknownEncodingsAreFormatErrors() {
        byte[] rdb = rdb(e -> e.writeStringKeyValue(bytes("k"), bytes("value"), -1));
        assertEquals("Unexpected EOF reading RDB file", assertThrows(RdbFormatException.class,
                () -> read(Arrays.copyOf(rdb, rdb.length - 12))).getMessage());
        assertEquals("Unknown RDB encoding type 8", assertThrows(RdbFormatException.class,
                () -> read(withHeaderAndChecksum("REDIS0010", HexFormat.of().parseHex("08016b00")))).getMessage());
        assertEquals("Unknown RDB string encoding type 4", assertThrows(RdbFormatException.class,
                () -> read(withHeaderAndChecksum("REDIS0010", HexFormat.of().parseHex("00016bc4")))).getMessage());
        assertEquals("Unknown length encoding 2 in rdbLoadLen()", assertThrows(RdbFormatException.class,
                () -> read(withHeaderAndChecksum("REDIS0010", HexFormat.of().parseHex("00016b82")))).getMessage());
        assertEquals("Invalid LZF compressed string", assertThrows(RdbFormatException.class,
                () -> read(withHeaderAndChecksum("REDIS0010", HexFormat.of().parseHex("00016bc3030a026161")))).getMessage());
    }

    @Test
    void functionLibrariesAreExposedInBothLayouts() throws IOException {
        String code = "#!lua name=lib\nredis.register_function('f', function() return 1 end)";
        assertEquals(List.of(code), read(rdb(e -> e.writeFunction(bytes(code)))).functions.stream()
                .map(b -> new String(b, ISO_8859_1)).toList());
        // 7.0-rc FUNCTION: name, engine, has-description, description, code.
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder e = new RdbEncoder(buf, true, false);
        e.writeType(RdbOpcode.FUNCTION);
        e.writeString(bytes("lib"));
        e.writeString(bytes("LUA"));
        e.writeLength(1);
        e.writeString(bytes("a description"));
        e.writeString(bytes("redis.register_function('f', function() return 1 end)"));
        byte[] body = new byte[buf.readableBytes()];
        buf.readBytes(body);
        buf.release();
        assertEquals("#!LUA name=lib\nredis.register_function('f', function() return 1 end)",
                new String(read(withHeaderAndChecksum("REDIS0010", body)).functions.get(0), ISO_8859_1));
    }

    /** MODULE_AUX for module type "mymodtype" (encver 3), when=2, with one of each annotated field. */
    private static byte[] moduleAuxRdb() {
        long id = 0;
        for (char ch : "mymodtype".toCharArray()) {
            id = (id << 6) | "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(ch);
        }
        long moduleId = (id << 10) | 3;
        return rdb(e -> {
            e.writeType(RdbOpcode.MODULE_AUX);
            e.writeLength(moduleId);
            e.writeLength(RdbOpcode.MODULE_UINT);
            e.writeLength(2);
            e.writeLength(RdbOpcode.MODULE_SINT);
            e.writeLength(5);
            e.writeLength(RdbOpcode.MODULE_STRING);
            e.writeString(bytes("data"));
            e.writeLength(RdbOpcode.MODULE_FLOAT);
            e.writeRaw(new byte[4]);
            e.writeLength(RdbOpcode.MODULE_DOUBLE);
            e.writeBinaryDouble(1.5);
            e.writeLength(RdbOpcode.MODULE_EOF);
            e.writeStringKeyValue(bytes("after"), bytes("module"), -1);
        });
    }

    @Test
    void moduleAuxDataIsRefusedByDefaultWithRedisMessage() {
        assertEquals("The RDB file contains AUX module data I can't load: no matching module 'mymodtype'",
                assertThrows(RdbFormatException.class, () -> read(moduleAuxRdb())).getMessage());
    }

    @Test
    void moduleAuxDataCanBeSkippedByAVisitor() throws IOException {
        long[] seen = new long[2];
        CollectingVisitor c = new CollectingVisitor() {
            @Override
            public void moduleAux(long moduleId, long when, byte[] data) {
                seen[0] = moduleId & 1023;
                seen[1] = when;
            }
        };
        RdbReader.read(new ByteArrayInputStream(moduleAuxRdb()), c);
        assertArrayEquals(new long[] {3, 2}, seen);
        assertArrayEquals(bytes("module"), c.value("after"));
    }

    @Test
    void rawValuesOfOlderTypesAreWalked() throws IOException {
        // A LIST (type 1) of two strings and a ZSET (type 3) with text scores, inf and nan.
        byte[] list = HexFormat.of().parseHex("02" + "0161" + "c005");
        byte[] zset = HexFormat.of().parseHex("03" + "0161" + "03312e35" + "0162" + "fe" + "0163" + "fd");
        CollectingVisitor c = read(rdb(e -> {
            e.writeKeyValue(bytes("l"), RdbType.LIST, list, -1);
            e.writeKeyValue(bytes("z"), RdbType.ZSET, zset, -1);
        }));
        assertArrayEquals(list, c.value("l"));
        assertArrayEquals(zset, c.value("z"));
    }

    @Test
    void moduleValuesWithoutAnnotationsCannotBeRead() {
        byte[] rdb = rdb(e -> e.writeKeyValue(bytes("m"), RdbType.MODULE, HexFormat.of().parseHex("00"), -1));
        assertEquals("The RDB file contains module data I can't load: no matching module type 'AAAAAAAAA'",
                assertThrows(RdbFormatException.class, () -> read(rdb)).getMessage());
    }
}
