package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisNumbersTest {

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0", "1, 1", "-1, -1", "10, 10", "1234567890, 1234567890",
        "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808",
    })
    void string2llAcceptsCanonicalIntegers(String text, long value) {
        assertTrue(RedisNumbers.isLong(ascii(text)));
        assertEquals(value, RedisNumbers.parseLong(ascii(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "-", "+1", "01", "00", "-0", "-01", " 1", "1 ", "1a", "a1", "1.0", "1e3", "0x10",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "000000000000000000001", "--1", "1-",
    })
    void string2llRefusesEverythingElse(String text) {
        assertFalse(RedisNumbers.isLong(ascii(text)));
        assertThrows(NumberFormatException.class, () -> RedisNumbers.parseLong(ascii(text)));
    }

    @Test
    void parseLongReadsARangeOfALargerArray() {
        byte[] line = ascii("$12345\r\n");
        assertTrue(RedisNumbers.isLong(line, 1, 5));
        assertEquals(12345, RedisNumbers.parseLong(line, 1, 5));
        assertFalse(RedisNumbers.isLong(line, 1, 6));
    }

    @Property
    void everyLongRoundTripsThroughItsDecimalBytes(@ForAll long n) {
        byte[] bytes = RedisNumbers.toBytes(n);
        assertArrayEquals(ascii(Long.toString(n)), bytes);
        assertEquals(bytes.length, RedisNumbers.decimalLength(n));
        assertTrue(RedisNumbers.isLong(bytes));
        assertEquals(n, RedisNumbers.parseLong(bytes));
    }

    private static final Pattern CANONICAL = Pattern.compile("0|-?[1-9][0-9]*");

    @Property
    void isLongAcceptsExactlyTheCanonicalSpellingsOfSigned64BitValues(@ForAll("numberLike") String text) {
        boolean expected = text.length() <= 20 && CANONICAL.matcher(text).matches()
                && new BigInteger(text).bitLength() < 64;
        assertEquals(expected, RedisNumbers.isLong(ascii(text)), text);
    }

    @Provide
    Arbitrary<String> numberLike() {
        return Arbitraries.strings().withChars("0123456789-+ x").ofMinLength(0).ofMaxLength(22);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5 | 1.5",
        "0.1 | 0.10000000000000001",
        "1e300 | 1.0000000000000001e+300",
        "1e-5 | 1.0000000000000001e-05",
        "0.0001 | 0.0001",
        "123456789012345678 | 1.2345678901234568e+17",
        "99999999999999999 | 1e+17",
        "12345678901234567 | 12345678901234568",
        "4.9e-324 | 4.9406564584124654e-324",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "100 | 100",
        "-2.5 | -2.5",
        "3.14159 | 3.1415899999999999",
        "1e16 | 10000000000000000",
        "1e17 | 1e+17",
        "0.5 | 0.5",
        "-0.0 | -0",
        "0.0 | 0",
        "1e-4 | 0.0001",
        "1.0000000000000002 | 1.0000000000000002",
        "9.999999999999999e22 | 9.9999999999999992e+22",
        "2.2250738585072014e-308 | 2.2250738585072014e-308",
    })
    void formatG17MatchesCPrintf(double d, String expected) {
        assertEquals(expected, RedisNumbers.formatG17(d));
    }

    @Test
    void formatG17SpellsInfinitiesAndNanLikeGlibc() {
        assertEquals("inf", RedisNumbers.formatG17(Double.POSITIVE_INFINITY));
        assertEquals("-inf", RedisNumbers.formatG17(Double.NEGATIVE_INFINITY));
        assertEquals("nan", RedisNumbers.formatG17(Double.NaN));
        assertEquals("-nan", RedisNumbers.formatG17(Double.longBitsToDouble(0xfff8000000000000L)));
    }

    @Property
    void formatG17KeepsEnoughDigitsToRoundTrip(@ForAll double d) {
        Assume.that(Double.isFinite(d));
        double back = Double.parseDouble(RedisNumbers.formatG17(d));
        assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back));
    }

    /** Python's '%' formats with C printf semantics; compare a large batch in one subprocess call. */
    @Test
    void formatG17AgreesWithPrintfOnManyDoubles() throws Exception {
        List<Double> samples = new ArrayList<>();
        Random random = new Random(20240601);
        for (int i = 0; i < 20_000; i++) {
            samples.add(Double.longBitsToDouble(random.nextLong()));
            samples.add(random.nextInt(2_000_000) / Math.pow(10, random.nextInt(12)) * (random.nextBoolean() ? 1 : -1));
            samples.add(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            samples.add((double) random.nextLong() / (1L << random.nextInt(63)));
        }
        for (int e = -330; e <= 310; e++) {
            samples.add(Math.pow(10, e));
            samples.add(5 * Math.pow(10, e));
            samples.add(Math.nextUp(Math.pow(10, e)));
            samples.add(Math.nextDown(Math.pow(10, e)));
        }
        samples.removeIf(d -> !Double.isFinite(d));

        Process python;
        try {
            python = new ProcessBuilder("python3", "-c",
                    "import sys\nfor l in sys.stdin: print('%.17g' % float.fromhex(l))")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("python3 is not available to compare against printf: " + e.getMessage());
            return;
        }
        Thread feeder = new Thread(() -> {
            try (Writer w = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII)) {
                for (double d : samples) {
                    w.write(Double.toHexString(d));
                    w.write('\n');
                }
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        feeder.start();
        List<String> printed = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(python.getInputStream(), US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                printed.add(line);
            }
        }
        feeder.join();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(samples.size(), printed.size(), "python printed " + printed);
        for (int i = 0; i < samples.size(); i++) {
            double d = samples.get(i);
            assertEquals(printed.get(i), RedisNumbers.formatG17(d), Double.toHexString(d));
        }
    }
}
