package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StringValueTest {

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static String encodingOf(String s) {
        return StringValue.of(b(s)).encodingName();
    }

    @Test
    void setPicksTheSmallestEncodingAsTryObjectEncodingDoes() {
        assertEquals("int", encodingOf("12345"));
        assertEquals("int", encodingOf("-9223372036854775808"));
        assertEquals("embstr", encodingOf("9223372036854775808"));
        assertEquals("embstr", encodingOf("007"));
        assertEquals("embstr", encodingOf("-0"));
        assertEquals("embstr", encodingOf(" 1"));
        assertEquals("embstr", encodingOf("x".repeat(44)));
        assertEquals("raw", encodingOf("x".repeat(45)));
        assertEquals("embstr", encodingOf(""));
    }

    @Test
    void createNeverMakesAnInt() {
        assertEquals("embstr", StringValue.create(b("10")).encodingName());
        assertEquals("raw", StringValue.create(b("1".repeat(45))).encodingName());
    }

    @Test
    void intValueReadsBackAsItsDigits() {
        StringValue v = StringValue.of(b("-42"));
        assertTrue(v.isInt());
        assertEquals(-42, v.intValue());
        assertEquals(3, v.length());
        assertArrayEquals(b("-42"), v.bytes());
        assertEquals(ObjectType.STRING, v.type());
    }

    @Test
    void unshareMakesAnOwnedRawCopyOnce() {
        byte[] arg = b("hello");
        StringValue shared = StringValue.of(arg);
        StringValue owned = shared.unshare();
        assertNotSame(shared, owned);
        assertEquals("raw", owned.encodingName());
        assertSame(owned, owned.unshare());
        owned.append(b(" world"));
        assertArrayEquals(b("hello"), arg, "the argument array is never written");
        assertArrayEquals(b("hello world"), owned.bytes());
    }

    @Test
    void modifyingASharedValueIsABug() {
        assertThrows(IllegalStateException.class, () -> StringValue.of(b("x".repeat(50))).append(b("y")));
        assertThrows(IllegalStateException.class, () -> StringValue.of(b("1")).setRange(0, b("2")));
    }

    @Test
    void appendsAccumulate() {
        StringValue v = StringValue.of(b("")).unshare();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            v.append(b(Integer.toString(i)));
            expected.append(i);
        }
        assertEquals(expected.toString(), new String(v.bytes(), ISO_8859_1));
        assertEquals(expected.length(), v.length());
    }

    @Test
    void setRangePadsWithZeroBytes() {
        StringValue v = StringValue.zeros(0);
        assertEquals(5, v.setRange(3, b("ab")));
        assertArrayEquals(new byte[] {0, 0, 0, 'a', 'b'}, v.bytes());
        assertEquals(5, v.setRange(1, b("XY")));
        assertArrayEquals(new byte[] {0, 'X', 'Y', 'a', 'b'}, v.bytes());
    }

    @Test
    void readsAsLongOnlyUnderString2llRules() {
        assertTrue(StringValue.create(b("10")).isLong());
        assertEquals(10, StringValue.create(b("10")).toLong());
        assertFalse(StringValue.create(b("010")).isLong());
        assertFalse(StringValue.create(b("1.0")).isLong());
        assertFalse(StringValue.create(b("99999999999999999999")).isLong());
    }
}
