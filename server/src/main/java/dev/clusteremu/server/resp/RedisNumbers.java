package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number parsing and formatting with Redis's exact rules, so that what the emulator accepts and prints
 * matches redis-server byte for byte.
 *
 * <p>Parsing mirrors {@code string2ll} (util.c), the strict parser behind every integer argument and every
 * RESP length: decimal digits with an optional '-', no '+', no spaces, no leading zeros, no "-0", at most
 * 20 characters, and the signed 64-bit range. Formatting mirrors the C {@code printf} conversions Redis
 * 7.0 uses on the wire ({@code %lld} and {@code %.17g}).
 */
public final class RedisNumbers {

    /** string2ll rejects strings of LONG_STR_SIZE (21) bytes or more: "-9223372036854775808" is 20. */
    private static final int LONG_STR_MAX = 20;

    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

    /** %g switches to exponent form at 10^precision; below it every integral double prints exactly. */
    private static final double G17_FIXED_LIMIT = 1e17;

    private RedisNumbers() {
    }

    /** True when {@code s} is a number string2ll accepts. */
    public static boolean isLong(byte[] s) {
        return isLong(s, 0, s.length);
    }

    /** True when the {@code len} bytes of {@code s} at {@code off} are a number string2ll accepts. */
    public static boolean isLong(byte[] s, int off, int len) {
        if (len == 0 || len > LONG_STR_MAX) {
            return false;
        }
        if (len == 1 && s[off] == '0') {
            return true;
        }
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative && ++i == end) {
            return false;
        }
        // Why the first digit must be 1-9: "0" alone was handled above, so "007", "-0" and "-07" are refused
        // just as Redis refuses them; a number has exactly one spelling.
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        // Accumulate as a negative value: the negative range is one larger, so Long.MIN_VALUE fits.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplyLimit = limit / 10;
        long acc = 0;
        for (; i < end; i++) {
            int digit = s[i] - '0';
            if (digit < 0 || digit > 9 || acc < multiplyLimit) {
                return false;
            }
            acc *= 10;
            if (acc < limit + digit) {
                return false;
            }
            acc -= digit;
        }
        return true;
    }

    /**
     * The value of {@code s} under string2ll rules.
     *
     * @throws NumberFormatException when {@link #isLong(byte[])} is false
     */
    public static long parseLong(byte[] s) {
        return parseLong(s, 0, s.length);
    }

    /**
     * The value of the {@code len} bytes of {@code s} at {@code off} under string2ll rules.
     *
     * @throws NumberFormatException when {@link #isLong(byte[], int, int)} is false
     */
    public static long parseLong(byte[] s, int off, int len) {
        if (!isLong(s, off, len)) {
            throw new NumberFormatException("not an integer: " + new String(s, off, len, ISO_8859_1));
        }
        int i = off;
        boolean negative = s[i] == '-';
        if (negative) {
            i++;
        }
        long acc = 0;
        for (; i < off + len; i++) {
            acc = acc * 10 - (s[i] - '0');
        }
        return negative ? acc : -acc;
    }

    /** The number of bytes of {@code n} in decimal, the sign included. */
    public static int decimalLength(long n) {
        int len = n < 0 ? 2 : 1;
        for (long q = n < 0 ? n : -n; q <= -10; q /= 10) {
            len++;
        }
        return len;
    }

    /** {@code n} in decimal as ASCII bytes, as {@code ll2string} prints it. */
    public static byte[] toBytes(long n) {
        int len = decimalLength(n);
        byte[] out = new byte[len];
        long q = n < 0 ? n : -n;
        for (int i = len - 1; i >= (n < 0 ? 1 : 0); i--) {
            out[i] = (byte) ('0' - (q % 10));
            q /= 10;
        }
        if (n < 0) {
            out[0] = '-';
        }
        return out;
    }

    /**
     * {@code d} as C's {@code printf("%.17g", d)} prints it with glibc: the value correctly rounded to 17
     * significant digits (ties to even), trailing zeros and a bare trailing point removed, and exponent
     * form {@code d.ddde±XX} (at least two exponent digits) when the decimal exponent is below -4 or at
     * least 17. This is how Redis 7.0's addReplyDouble renders ZSCORE and friends, so 0.1 becomes
     * "0.10000000000000001". Infinities are "inf"/"-inf" and NaN is "nan" or "-nan" after its sign bit.
     */
    public static String formatG17(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        if (Math.abs(d) < G17_FIXED_LIMIT && d == Math.rint(d)) {
            return Long.toString((long) d);
        }
        BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN_DIGITS).stripTrailingZeros();
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (exponent < -4 || exponent >= 17) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                sb.append('0');
            }
            sb.append(magnitude);
        } else if (exponent < 0) {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (digits.length() <= exponent + 1) {
            sb.append(digits);
            for (int i = digits.length(); i <= exponent; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return sb.toString();
    }
}
