package dev.clusteremu.server.migrate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.RdbFormatException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.junit.jupiter.api.Test;

class DumpSerializerTest {
    /** A node's configuration with Redis's default encoding limits. */
    private static final ServerConfig CONFIG = new ServerConfig(7000, "127.0.0.1", null);

    @Test
    void everyStringEncodingDumpsTheSameBytes() {
        byte[] expected = HexFormat.of().parseHex("00c139300a009d94ea2793fc08b9");
        assertArrayEquals(expected, DumpSerializer.dump(StringValue.of("12345".getBytes(ISO_8859_1))));
        assertArrayEquals(expected, DumpSerializer.dump(StringValue.create("12345".getBytes(ISO_8859_1))));
        StringValue raw = StringValue.create("1234".getBytes(ISO_8859_1)).unshare();
        raw.append("5".getBytes(ISO_8859_1));
        assertArrayEquals(expected, DumpSerializer.dump(raw));
    }

    @Test
    void restoredStringsTakeTheSmallestEncoding() throws RdbFormatException {
        StringValue number =
                (StringValue) DumpSerializer.restore(DumpPayload.ofString("-42".getBytes(ISO_8859_1)), CONFIG);
        assertEquals(StringValue.Encoding.INT, number.encoding());
        assertEquals(-42, number.intValue());
        StringValue text =
                (StringValue) DumpSerializer.restore(DumpPayload.ofString("x".repeat(45).getBytes(ISO_8859_1)), CONFIG);
        assertEquals(StringValue.Encoding.RAW, text.encoding());
    }

    @Test
    void payloadsOfOtherTypesAreBadDataFormatUntilTheirSerializerExists() {
        byte[] list = DumpPayload.create(18, new byte[] {1, 2, 3});
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> DumpSerializer.restore(list, CONFIG));
        assertEquals(DumpPayload.BAD_DATA_FORMAT, e.getMessage());
    }

    @Test
    void aWrongChecksumIsReportedBeforeTheType() {
        byte[] payload = DumpPayload.create(0x20, new byte[0]);
        payload[payload.length - 1] ^= 1;
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> DumpSerializer.restore(payload, CONFIG));
        assertEquals(DumpPayload.BAD_VERSION_OR_CHECKSUM, e.getMessage());
    }

    @Property
    void stringsSurviveDumpAndRestore(@ForAll byte[] value) throws RdbFormatException {
        StringValue restored =
                (StringValue) DumpSerializer.restore(DumpSerializer.dump(StringValue.of(value)), CONFIG);
        assertArrayEquals(value, restored.bytes());
    }
}
