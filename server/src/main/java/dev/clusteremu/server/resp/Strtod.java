package dev.clusteremu.server.resp;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} as glibc implements it, and Redis's {@code string2d} on top of it: how Redis reads
 * sorted set scores, ZADD increments, WEIGHTS and score ranges.
 *
 * <p>strtod reads the longest prefix that is a number: leading white space, an optional sign, then a decimal
 * number with optional exponent ("1", ".5", "5.", "1e3"), a hexadecimal one with optional binary exponent
 * ("0x1A", "0x1.8p3"), "inf" or "infinity", or "nan" with an optional "(chars)", all case-insensitive. The
 * value is correctly rounded. Out-of-range values become ±infinity or zero and set ERANGE, which is how
 * string2d tells "1e400" (refused) from "inf" (accepted).
 */
public final class Strtod {
    /** Exponents beyond this saturate: the value is infinite or zero whatever the digits. */
    private static final long EXPONENT_CLAMP = 100_000;

    private Strtod() {
    }

    /**
     * What strtod read from the start of a string.
     *
     * @param value the number (0 when nothing was read)
     * @param end   the index after the last byte read; 0 when no number was found (strtod's endptr = nptr)
     * @param range whether strtod set ERANGE: the exact value overflowed to infinity or underflowed
     */
    public record Parsed(double value, int end, boolean range) {
    }

    /** strtod over {@code s} (which, unlike a C string, may hold NUL bytes: they end the number as any other). */
    public static Parsed prefix(byte[] s) {
        int i = 0;
        while (i < s.length && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (matchesIgnoreCase(s, i, "infinity")) {
            return new Parsed(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8, false);
        }
        if (matchesIgnoreCase(s, i, "inf")) {
            return new Parsed(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3, false);
        }
        if (matchesIgnoreCase(s, i, "nan")) {
            return new Parsed(Double.NaN, nanEnd(s, i + 3), false);
        }
        if (i + 1 < s.length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            Parsed hex = hexadecimal(s, i + 2, negative);
            if (hex != null) {
                return hex;
            }
        }
        return decimal(s, i, negative);
    }

    /**
     * Redis's string2d: the whole string must be one number as strtod reads it, with no leading white
     * space, not NaN, and neither overflowing to infinity nor underflowing to zero. Null when refused.
     */
    public static Double string2d(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) {
            return null;
        }
        Parsed p = prefix(s);
        if (p.end != s.length || Double.isNaN(p.value)
                || (p.range && (Double.isInfinite(p.value) || p.value == 0))) {
            return null;
        }
        return p.value;
    }

    /** "nan" may be followed by "(n-char-sequence)", taken only when the closing parenthesis is there. */
    private static int nanEnd(byte[] s, int i) {
        if (i >= s.length || s[i] != '(') {
            return i;
        }
        int j = i + 1;
        while (j < s.length && (isDigit(s[j]) || (s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z' || s[j] == '_')) {
            j++;
        }
        return j < s.length && s[j] == ')' ? j + 1 : i;
    }

    /** Digits, an optional point and digits (at least one digit), then an optional complete exponent. */
    private static Parsed decimal(byte[] s, int start, boolean negative) {
        int i = start;
        StringBuilder digits = new StringBuilder();
        long pointShift = 0;
        boolean anyDigit = false;
        boolean nonZero = false;
        while (i < s.length && isDigit(s[i])) {
            appendDigit(digits, s[i]);
            nonZero |= s[i] != '0';
            anyDigit = true;
            i++;
        }
        if (i < s.length && s[i] == '.') {
            int j = i + 1;
            while (j < s.length && isDigit(s[j])) {
                appendDigit(digits, s[j]);
                nonZero |= s[j] != '0';
                pointShift++;
                anyDigit = true;
                j++;
            }
            if (anyDigit) {
                i = j;
            }
        }
        if (!anyDigit) {
            return new Parsed(0, 0, false);
        }
        long exponent = 0;
        if (i < s.length && (s[i] == 'e' || s[i] == 'E')) {
            int[] end = new int[1];
            Long e = exponent(s, i + 1, end);
            if (e != null) {
                exponent = e;
                i = end[0];
            }
        }
        long scale = Math.max(-EXPONENT_CLAMP, Math.min(EXPONENT_CLAMP, exponent - pointShift));
        String text = (digits.length() == 0 ? "0" : digits) + "E" + scale;
        double magnitude = Double.parseDouble(text);
        boolean range = Double.isInfinite(magnitude) || (magnitude == 0 && nonZero);
        return new Parsed(negative ? -magnitude : magnitude, i, range);
    }

    /**
     * A hexadecimal number after "0x": hex digits with an optional point (at least one digit), then an
     * optional binary exponent "p[+-]digits". Null when no hex digit follows, in which case strtod reads
     * just the "0".
     */
    private static Parsed hexadecimal(byte[] s, int start, boolean negative) {
        int i = start;
        StringBuilder whole = new StringBuilder();
        StringBuilder fraction = new StringBuilder();
        boolean nonZero = false;
        while (i < s.length && hexValue(s[i]) >= 0) {
            whole.append((char) s[i]);
            nonZero |= s[i] != '0';
            i++;
        }
        if (i < s.length && s[i] == '.') {
            int j = i + 1;
            while (j < s.length && hexValue(s[j]) >= 0) {
                fraction.append((char) s[j]);
                nonZero |= s[j] != '0';
                j++;
            }
            if (whole.length() > 0 || fraction.length() > 0) {
                i = j;
            }
        }
        if (whole.length() == 0 && fraction.length() == 0) {
            return null;
        }
        long exponent = 0;
        if (i < s.length && (s[i] == 'p' || s[i] == 'P')) {
            int[] end = new int[1];
            Long e = exponent(s, i + 1, end);
            if (e != null) {
                exponent = e;
                i = end[0];
            }
        }
        exponent = Math.max(-EXPONENT_CLAMP, Math.min(EXPONENT_CLAMP, exponent));
        String text = "0x" + (whole.length() == 0 ? "0" : whole) + "." + fraction + "p" + exponent;
        double magnitude = Double.parseDouble(text);
        boolean range = Double.isInfinite(magnitude) || (magnitude == 0 && nonZero);
        return new Parsed(negative ? -magnitude : magnitude, i, range);
    }

    /** An exponent's optional sign and decimal digits from {@code i}, or null when there is no digit. */
    private static Long exponent(byte[] s, int i, int[] end) {
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i >= s.length || !isDigit(s[i])) {
            return null;
        }
        long e = 0;
        while (i < s.length && isDigit(s[i])) {
            e = Math.min(e * 10 + (s[i] - '0'), Long.MAX_VALUE / 20);
            i++;
        }
        end[0] = i;
        return negative ? -e : e;
    }

    private static void appendDigit(StringBuilder digits, byte d) {
        // Leading zeros carry no value; dropping them keeps huge inputs of zeros cheap.
        if (digits.length() > 0 || d != '0') {
            digits.append((char) d);
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean matchesIgnoreCase(byte[] s, int from, String word) {
        if (from + word.length() > s.length) {
            return false;
        }
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k < w.length; k++) {
            if (Character.toLowerCase((char) (s[from + k] & 0xff)) != w[k]) {
                return false;
            }
        }
        return true;
    }
}
