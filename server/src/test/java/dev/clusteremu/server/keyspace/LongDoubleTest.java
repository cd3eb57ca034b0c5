package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors taken from INCRBYFLOAT on redis-server 7.0.15 (x86-64, glibc). */
class LongDoubleTest {

    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(ISO_8859_1));
    }

    private static String sum(String a, String b) {
        LongDouble x = parse(a);
        LongDouble y = parse(b);
        assertNotNull(x, a);
        assertNotNull(y, b);
        LongDouble s = x.add(y);
        return s.isFinite() ? s.toHumanString() : "non-finite";
    }

    @ParameterizedTest
    @CsvSource({
        "1.5, 0.1, 1.6",
        "0.1, 0.2, 0.3",
        "2.6, 0x10, 18.6",
        "18.6, 0x1p-2, 18.85",
        "18.85, 1e-4940, 18.85",
        "18.85, 0X.8P1, 19.85",
        "0, 3.0e3, 3000",
        "3000, 1.23456789012345678901234, 3001.23456789012345669",
        "10.5, -10.5, 0",
        "0, -0.0, 0",
        "0, 1e30, 1000000000000000000024696061952",
        "0.3, 0.000003814697265625, 0.30000381469726563",
        "0.30000381469726563, -0.3, 0.00000381469726563",
        "0.00000381469726563, 0.000011444091796875, 0.0000152587890625",
        "0.0000152587890625, 1e-18, 0.0000152587890625",
        "0.0000152587890625, -1e-5, 0.0000052587890625",
        "5.5, -5.99999999999999999999999, -0.5",
        "-0.5, 18446744073709551615, 18446744073709551614",
        "18446744073709551614, 18446744073709551617, 36893488147419103230",
        "36893488147419103230, 123456789012345678901234567890e-10, 49239167048653671120",
        "9223372036854775807, 1, 9223372036854775808",
        "9223372036854775808, 0.5, 9223372036854775808",
        "0x1p-16445, 0, 0",
        "1.1e4932, 1.1e4932, non-finite",
        "inf, 1, non-finite",
        "1, -INFINITY, non-finite",
        "+1, .5, 1.5",
        "5., 0, 5",
    })
    void addsAndPrintsLikeRedis(String a, String b, String expected) {
        assertEquals(expected, sum(a, b));
    }

    @Test
    void printsTheFullDigitsOfHugeValues() {
        String s = sum("0", "1.1e4932");
        assertEquals(4933, s.length());
        String redis = "10999999999999999999743731075282418176590308692790434077349880018170241451065131125042"
                + "4750798933487852024830828136103947803293488326530687424755821918029663261587976928442614444658"
                + "7301862925949044860103916345584575444940764072805023841127038694056136469796496577126541639538";
        assertEquals(redis, s.substring(0, redis.length()));
        assertEquals("1000000000000000000028188068394758651458645343362905203862591069353968553400862986203936399"
                + "48483", sum("1e400", "1").substring(0, 96));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", " 1", "1 ", "nan", "-nan", "1e5000", "-1e5000", "1e-5000", "0x", "0x1p", "1e+",
        "infinit", ".", "1e", "+", "-", "0x.p1", "1\u0000", "1,5", "1e99999999999999999999"})
    void refusesWhatString2ldRefuses(String s) {
        assertNull(parse(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "0e99999999999", "+.5", "5.", "0x1P3", "1e-4940", "INF", "-Infinity",
        "0000000000001", "1.18973149535723176502e+4932"})
    void acceptsWhatString2ldAccepts(String s) {
        assertNotNull(parse(s), s);
    }

    @Test
    void refusesStringsOfFiveKilobytes() {
        assertEquals("1", parse("0".repeat(5118) + "1").toHumanString());
        assertNull(parse("0".repeat(5119) + "1"));
    }

    @Test
    void infinityIsNotFinite() {
        assertFalse(parse("inf").isFinite());
        assertEquals("-9223372036854775808", LongDouble.of(Long.MIN_VALUE).toHumanString());
    }
}
