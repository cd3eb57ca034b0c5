package dev.clusteremu.server.values;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.keyspace.HashValue;
import dev.clusteremu.server.keyspace.SetValue;
import dev.clusteremu.server.migrate.DumpSerializer;
import dev.clusteremu.server.rdb.RdbEncoder;
import dev.clusteremu.server.rdb.RdbFormatException;
import dev.clusteremu.server.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Hashes and sets in their RDB forms: the bytes Redis 7.0 writes (DUMP payloads printed by redis-server),
 * what each RDB type loads as under the encoding limits, and round trips of every encoding.
 */
class HashSetSerializersTest {

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static ServerConfig config(long hashEntries, long hashValue, long intsetEntries) {
        ServerConfig config = new ServerConfig(7000, "127.0.0.1", null);
        config.hashMaxListpackEntries = hashEntries;
        config.hashMaxListpackValue = hashValue;
        config.setMaxIntsetEntries = intsetEntries;
        return config;
    }

    private static final ServerConfig DEFAULTS = config(512, 64, 512);

    /** A type 2 set or a type 4 hash (count of pairs) of {@code strings}. */
    private static byte[] counted(long count, String... strings) {
        ByteBuf buf = Unpooled.buffer();
        RdbEncoder out = new RdbEncoder(buf);
        out.writeLength(count);
        for (String s : strings) {
            out.writeString(b(s));
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Test
    void dumpsOfListpacksAndIntsetsAreRedisOwn() {
        HashValue h = HashValue.create();
        String[][] pairs = {{"a", "1"}, {"b", "-70000"}, {"c", "text"}, {"d", "9223372036854775807"}};
        for (String[] pair : pairs) {
            h.set(b(pair[0]), b(pair[1]), 512, 64);
        }
        assertEquals("102a2a00000008008161020101816202f290eefe04816302847465787405816402f4ffffffffffffff7f09ff"
                + "0a002be8ef02d5978033", HexFormat.of().formatHex(DumpSerializer.dump(h)));
        SetValue s = SetValue.createIntset();
        for (String m : new String[] {"5", "-3", "100000"}) {
            s.add(b(m), 512);
        }
        s.remove(b("100000"));
        assertEquals("0b100400000002000000fdffffff050000000a0037098409d9e5db21",
                HexFormat.of().formatHex(DumpSerializer.dump(s)));
    }

    @Test
    void hashtablesAreWrittenAsCountedStrings() throws RdbFormatException {
        HashValue h = HashValue.create();
        h.set(b("f"), b("v"));
        h.convertToHashtable();
        assertEquals(RdbType.HASH, RdbValues.encode(h).rdbType());
        assertArrayEquals(counted(1, "f", "v"), RdbValues.encode(h).bytes());
        SetValue s = SetValue.createHashtable(0);
        s.add(b("12"), 512);
        assertEquals(RdbType.SET, RdbValues.encode(s).rdbType());
        assertArrayEquals(counted(1, "12"), RdbValues.encode(s).bytes());
    }

    @Test
    void aTableHashLoadsAsAListpackUntilALimitIsPassed() throws RdbFormatException {
        HashValue small = (HashValue) RdbValues.decode(RdbType.HASH, counted(2, "a", "1", "b", "2"), DEFAULTS);
        assertEquals(HashValue.Encoding.LISTPACK, small.encoding());
        HashValue many = (HashValue) RdbValues.decode(RdbType.HASH, counted(2, "a", "1", "b", "2"),
                config(1, 64, 512));
        assertEquals(HashValue.Encoding.HASHTABLE, many.encoding());
        HashValue longValue = (HashValue) RdbValues.decode(RdbType.HASH,
                counted(2, "a", "1", "b", "x".repeat(65)), DEFAULTS);
        assertEquals(HashValue.Encoding.HASHTABLE, longValue.encoding());
        assertEquals(2, longValue.size());
    }

    @Test
    void aListpackHashStaysAListpackWhateverItsValuesUnlessItHasTooManyFields() throws RdbFormatException {
        HashValue h = HashValue.create();
        h.set(b("f"), b("x".repeat(100)));
        h.set(b("g"), b("y"));
        byte[] encoded = RdbValues.encode(h).bytes();
        assertEquals(HashValue.Encoding.LISTPACK,
                ((HashValue) RdbValues.decode(RdbType.HASH_LISTPACK, encoded, DEFAULTS)).encoding());
        assertEquals(HashValue.Encoding.HASHTABLE,
                ((HashValue) RdbValues.decode(RdbType.HASH_LISTPACK, encoded, config(1, 64, 512))).encoding());
    }

    @Test
    void aTableSetLoadsAsAnIntsetWhileItsMembersAreFewIntegers() throws RdbFormatException {
        SetValue ints = (SetValue) RdbValues.decode(RdbType.SET, counted(3, "3", "-1", "2"), DEFAULTS);
        assertEquals(SetValue.Encoding.INTSET, ints.encoding());
        assertEquals("-1", new String(ints.memberAt(0), ISO_8859_1));
        SetValue mixed = (SetValue) RdbValues.decode(RdbType.SET, counted(3, "3", "x", "2"), DEFAULTS);
        assertEquals(SetValue.Encoding.HASHTABLE, mixed.encoding());
        SetValue many = (SetValue) RdbValues.decode(RdbType.SET, counted(3, "3", "1", "2"), config(512, 64, 2));
        assertEquals(SetValue.Encoding.HASHTABLE, many.encoding());
    }

    @Test
    void emptyValuesAndDuplicatesAreRefused() {
        for (byte[] bad : List.of(counted(0), counted(2, "a", "a"), counted(3, "1", "2"))) {
            assertThrows(RdbFormatException.class, () -> RdbValues.decode(RdbType.SET, bad, DEFAULTS));
        }
        for (byte[] bad : List.of(counted(0), counted(2, "f", "1", "f", "2"))) {
            assertThrows(RdbFormatException.class, () -> RdbValues.decode(RdbType.HASH, bad, DEFAULTS));
        }
    }

    @Property
    void hashesSurviveTheirRdbFormInTheSameEncoding(
            @ForAll @Size(max = 40) List<@IntRange(max = 99) Integer> fields, @ForAll boolean table)
            throws RdbFormatException {
        HashValue h = HashValue.create();
        for (int f : fields) {
            h.set(b("f" + f), b(f % 3 == 0 ? Integer.toString(f * 1000) : "v".repeat(f % 50)));
        }
        if (table || h.size() == 0) {
            h.convertToHashtable();
        }
        if (h.size() == 0) {
            return;
        }
        RdbValues.Encoded encoded = RdbValues.encode(h);
        HashValue back = (HashValue) RdbValues.decode(encoded.rdbType(), encoded.bytes(), config(40, 64, 512));
        assertEquals(h.size(), back.size());
        h.forEach((f, v) -> assertArrayEquals(v, back.get(f)));
        if (h.encoding() == HashValue.Encoding.LISTPACK) {
            assertArrayEquals(encoded.bytes(), RdbValues.encode(back).bytes());
        }
    }

    @Property
    void setsSurviveTheirRdbFormInTheSameEncoding(@ForAll @Size(min = 1, max = 60) List<Long> members,
                                                  @ForAll boolean withWord) throws RdbFormatException {
        SetValue s = SetValue.createIntset();
        for (long m : members) {
            s.add(b(Long.toString(m)), 512);
        }
        if (withWord) {
            s.add(b("word"), 512);
        }
        RdbValues.Encoded encoded = RdbValues.encode(s);
        SetValue back = (SetValue) RdbValues.decode(encoded.rdbType(), encoded.bytes(), DEFAULTS);
        assertEquals(s.encoding(), back.encoding());
        assertEquals(s.size(), back.size());
        for (int i = 0; i < s.size(); i++) {
            byte[] m = s.memberAt(i);
            assertTrue(back.contains(m));
        }
        if (s.encoding() == SetValue.Encoding.INTSET) {
            assertArrayEquals(encoded.bytes(), RdbValues.encode(back).bytes());
        }
    }
}
