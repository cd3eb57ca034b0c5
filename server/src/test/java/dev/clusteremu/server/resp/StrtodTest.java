package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrtodTest {

    private static Strtod.Parsed parse(String s) {
        return Strtod.prefix(s.getBytes(ISO_8859_1));
    }

    @ParameterizedTest(name = "strtod(\"{0}\") reads {2} bytes as {1}")
    @CsvSource(delimiter = '|', value = {
        "1|1.0|1", "-2.5|-2.5|4", "+.5|0.5|3", "5.|5.0|2", "1e3|1000.0|3", "1e|1.0|1", "1e+|1.0|1",
        "'  7'|7.0|3", "0x10|16.0|4", "0x1.8p1|3.0|7", "0x|0.0|1", "0xg|0.0|1", "inf|Infinity|3",
        "-Infinity|-Infinity|9", "infx|Infinity|3", "12abc|12.0|2", "abc|0.0|0", "''|0.0|0", ".|0.0|0",
        "1e400|Infinity|5", "1e-400|0.0|6", "0.1|0.1|3", "1.7976931348623157e308|1.7976931348623157E308|22"})
    void readsTheLongestNumberPrefix(String input, double value, int end) {
        Strtod.Parsed p = parse(input.equals("''") ? "" : input);
        assertEquals(value, p.value());
        assertEquals(end, p.end());
    }

    @Test
    void nanAndItsOptionalCharSequenceAreRead() {
        assertTrue(Double.isNaN(parse("nan").value()));
        assertEquals(8, parse("nan(abc)").end());
        assertEquals(3, parse("nan(abc").end());
    }

    @Test
    void outOfRangeValuesSetErange() {
        assertTrue(parse("1e400").range());
        assertTrue(parse("-1e-400").range());
        assertTrue(!parse("inf").range());
        assertTrue(!parse("0e400").range());
    }

    @ParameterizedTest(name = "string2d accepts \"{0}\"")
    @ValueSource(strings = {"1", "-0", "1.5", "inf", "-inf", "+inf", "1e-310", "0x1p-1074", "3.", ".25"})
    void string2dAcceptsWholeNumbers(String s) {
        assertEquals(parse(s).value(), Strtod.string2d(s.getBytes(ISO_8859_1)));
    }

    @ParameterizedTest(name = "string2d refuses \"{0}\"")
    @ValueSource(strings = {"", " 1", "1 ", "nan", "1e400", "-1e400", "1e-400", "abc", "1x", "0x"})
    void string2dRefusesWhatRedisRefuses(String s) {
        assertNull(Strtod.string2d(s.getBytes(ISO_8859_1)));
    }

    @Test
    void aNulByteEndsTheNumber() {
        assertEquals(1, Strtod.prefix(new byte[] {'5', 0, 'x'}).end());
        assertNull(Strtod.string2d(new byte[] {'5', 0}));
    }

    @Provide
    Arbitrary<String> numberish() {
        return Arbitraries.strings().withChars("0123456789.eEpPxX+-infatyINFATY( )_").ofMaxLength(24);
    }

    /** glibc's strtod through Python's ctypes: value bits, bytes read and ERANGE, for many inputs at once. */
    @Property(tries = 1)
    void everyPrefixReadsAsGlibcReadsIt(@ForAll("batch") List<String> inputs) throws Exception {
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import ctypes, sys, struct",
                    "libc = ctypes.CDLL(None, use_errno=True)",
                    "libc.strtod.restype = ctypes.c_double",
                    "libc.strtod.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]",
                    "for line in sys.stdin:",
                    "    s = bytes.fromhex(line.strip())",
                    "    buf = ctypes.create_string_buffer(s)",
                    "    end = ctypes.c_char_p()",
                    "    ctypes.set_errno(0)",
                    "    v = libc.strtod(buf, ctypes.byref(end))",
                    "    n = ctypes.cast(end, ctypes.c_void_p).value - ctypes.addressof(buf)",
                    "    bits = struct.unpack('<q', struct.pack('<d', v))[0]",
                    "    print(bits, n, 1 if ctypes.get_errno() == 34 else 0)")).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("python3 is not available to compare against glibc's strtod: " + e.getMessage());
            return;
        }
        try (Writer w = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII)) {
            for (String s : inputs) {
                w.write(HexFormat.of().formatHex(s.getBytes(ISO_8859_1)) + "\n");
            }
        }
        List<String> answers = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(python.getInputStream(), ISO_8859_1))) {
            for (String line; (line = r.readLine()) != null; ) {
                answers.add(line);
            }
        }
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(inputs.size(), answers.size());
        for (int i = 0; i < inputs.size(); i++) {
            String[] glibc = answers.get(i).split(" ");
            Strtod.Parsed p = parse(inputs.get(i));
            String input = "\"" + inputs.get(i) + "\"";
            assertEquals(Integer.parseInt(glibc[1]), p.end(), "bytes read of " + input);
            double expected = Double.longBitsToDouble(Long.parseLong(glibc[0]));
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(p.value()), "value of " + input);
            } else {
                assertEquals(Long.parseLong(glibc[0]), Double.doubleToRawLongBits(p.value()), "value of " + input);
            }
            boolean erangeMatters = expected == 0 || Double.isInfinite(expected);
            if (erangeMatters) {
                assertEquals(glibc[2].equals("1"), p.range(), "ERANGE of " + input);
            }
        }
    }

    @Provide
    Arbitrary<List<String>> batch() {
        Arbitrary<String> special = Arbitraries.of("1e308", "1e309", "2.4703282292062328e-324",
                "2.4703282292062327e-324", "4.9e-324", "0x1p-1075", "0x1.fffffffffffffp1023", "0x1p1024",
                "123456789012345678901234567890", "0.000000000000000000000000000001e-300", "  -0", "nan(x_1)",
                "infinit", "1.e5", "-.e5", "0x.8", "0x.p1", "0xp1", "1e-5000000000000000000000");
        return Arbitraries.oneOf(numberish(), special).list().ofSize(3000);
    }
}
