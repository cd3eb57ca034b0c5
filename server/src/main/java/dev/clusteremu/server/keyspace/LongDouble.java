package dev.clusteremu.server.keyspace;

import java.math.BigInteger;

/**
 * The C {@code long double} of Redis on x86-64 Linux: the x87 80-bit extended format, with a 64-bit
 * mantissa and a 15-bit exponent, computed exactly so that INCRBYFLOAT prints what redis-server prints.
 *
 * <p>Why not {@code double}: Redis parses both operands with strtold, adds them in extended precision and
 * prints the sum with {@code %.17Lf}; with 11 more mantissa bits than a double, 0.1 + 0.2 prints as "0.3"
 * and large sums keep digits a double would lose. Each step is reproduced exactly: parsing rounds the exact
 * decimal value to the nearest 64-bit mantissa (ties to even, denormals below 2^-16382, as glibc's strtold
 * does), addition rounds the exact sum the same way, and printing rounds the exact binary value to 17
 * decimals (ties to even, as glibc's printf). Values are held as sign, mantissa (below 2^64) and binary
 * exponent.
 */
public final class LongDouble {
    /** Mantissa bits of the x87 extended format (explicit integer bit included). */
    private static final int MANTISSA_BITS = 64;
    /** The exponent of the smallest denormal, 2^-16445 = 2^(-16382 - 63). */
    private static final int MIN_EXPONENT = -16445;
    /** Finite values are below 2^16384 (LDBL_MAX = (2 - 2^-63) * 2^16383). */
    private static final int MAX_BIT_LENGTH = 16384;
    /** MAX_LONG_DOUBLE_CHARS: string2ld refuses strings of 5 KiB or more. */
    private static final int MAX_CHARS = 5 * 1024;
    /** Decimal exponents safely beyond the finite range (LDBL_MAX ~ 1.19e4932, denormal min ~ 3.6e-4951). */
    private static final int DECIMAL_OVERFLOW = 4940;
    private static final int DECIMAL_UNDERFLOW = -4970;
    /** Binary exponents safely beyond the finite range, for hexadecimal input. */
    private static final long BINARY_OVERFLOW = MAX_BIT_LENGTH + 8;
    private static final long BINARY_UNDERFLOW = MIN_EXPONENT - 8;
    /** %.17Lf prints 17 decimals. */
    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);

    private static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);
    private static final LongDouble NON_FINITE = new LongDouble(false, BigInteger.ZERO, 0, true);

    private final boolean negative;
    private final BigInteger mantissa;
    private final int exponent;
    /** Infinity or NaN: INCRBYFLOAT refuses either the same way, so they need not be told apart. */
    private final boolean nonFinite;

    private LongDouble(boolean negative, BigInteger mantissa, int exponent, boolean nonFinite) {
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
        this.nonFinite = nonFinite;
    }

    /** A 64-bit integer, which the 64-bit mantissa holds exactly. */
    public static LongDouble of(long value) {
        if (value == 0) {
            return ZERO;
        }
        BigInteger m = BigInteger.valueOf(value);
        return new LongDouble(value < 0, m.abs(), 0, false);
    }

    /** Whether the value is neither infinite nor NaN. */
    public boolean isFinite() {
        return !nonFinite;
    }

    /**
     * The value string2ld reads from {@code s}, or null where it fails: strtold's syntax (decimal or
     * hexadecimal, optional sign, "inf"/"infinity") over the whole string, no leading space, at most 5119
     * bytes, no NaN, and no overflow or underflow to zero of a nonzero number (ERANGE).
     */
    public static LongDouble parse(byte[] s) {
        if (s.length == 0 || s.length >= MAX_CHARS || isSpace(s[0])) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        if (matchesIgnoreCase(s, i, "inf") || matchesIgnoreCase(s, i, "infinity")) {
            return NON_FINITE;
        }
        if (s.length - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            return parseHex(s, i + 2, negative);
        }
        return parseDecimal(s, i, negative);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean matchesIgnoreCase(byte[] s, int from, String word) {
        if (s.length - from != word.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if (Character.toLowerCase((char) s[from + j]) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** digits [. digits] or . digits, then an optional e[sign]digits; all of the rest of the string. */
    private static LongDouble parseDecimal(byte[] s, int i, boolean negative) {
        StringBuilder digits = new StringBuilder();
        int fractionDigits = 0;
        boolean seenPoint = false;
        boolean anyDigit = false;
        for (; i < s.length; i++) {
            byte b = s[i];
            if (b >= '0' && b <= '9') {
                anyDigit = true;
                if (digits.length() > 0 || b != '0') {
                    digits.append((char) b);
                }
                if (seenPoint) {
                    fractionDigits++;
                }
            } else if (b == '.' && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return null;
        }
        long exp10 = 0;
        if (i < s.length) {
            if (s[i] != 'e' && s[i] != 'E') {
                return null;
            }
            Long e = parseExponent(s, i + 1);
            if (e == null) {
                return null;
            }
            exp10 = e;
        }
        if (digits.length() == 0) {
            return ZERO;
        }
        // value = digits * 10^scale
        long scale = exp10 - fractionDigits;
        long magnitude = scale + digits.length();
        if (magnitude > DECIMAL_OVERFLOW || magnitude < DECIMAL_UNDERFLOW) {
            return null;
        }
        BigInteger d = new BigInteger(digits.toString());
        BigInteger num = scale >= 0 ? d.multiply(BigInteger.TEN.pow((int) scale)) : d;
        BigInteger den = scale >= 0 ? BigInteger.ONE : BigInteger.TEN.pow((int) -scale);
        return rangeChecked(roundRational(negative, num, den));
    }

    /** hexdigits [. hexdigits] or . hexdigits, then an optional p[sign]digits (a binary exponent). */
    private static LongDouble parseHex(byte[] s, int i, boolean negative) {
        BigInteger m = BigInteger.ZERO;
        long fractionDigits = 0;
        boolean seenPoint = false;
        boolean anyDigit = false;
        for (; i < s.length; i++) {
            int v = Character.digit((char) s[i], 16);
            if (v >= 0) {
                anyDigit = true;
                m = m.shiftLeft(4).or(BigInteger.valueOf(v));
                if (seenPoint) {
                    fractionDigits++;
                }
            } else if (s[i] == '.' && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return null;
        }
        long exp2 = 0;
        if (i < s.length) {
            if (s[i] != 'p' && s[i] != 'P') {
                return null;
            }
            Long e = parseExponent(s, i + 1);
            if (e == null) {
                return null;
            }
            exp2 = e;
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        long scale = exp2 - 4 * fractionDigits;
        long magnitude = scale + m.bitLength();
        if (magnitude > BINARY_OVERFLOW || magnitude < BINARY_UNDERFLOW) {
            return null;
        }
        return rangeChecked(roundBinary(negative, m, (int) scale));
    }

    /**
     * [sign] digits to the end of the string, saturated far beyond any finite range (strtold reads exponents
     * of any length); null when malformed.
     */
    private static Long parseExponent(byte[] s, int i) {
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i == s.length) {
            return null;
        }
        long e = 0;
        for (; i < s.length; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return null;
            }
            e = Math.min(e * 10 + (s[i] - '0'), 1_000_000_000L);
        }
        return negative ? -e : e;
    }

    /** Overflow to infinity or underflow to zero of a nonzero input are strtold's ERANGE: refused. */
    private static LongDouble rangeChecked(LongDouble v) {
        return v.nonFinite || v.mantissa.signum() == 0 ? null : v;
    }

    /** The sum, rounded to the extended format; non-finite if either operand is or the sum overflows. */
    public LongDouble add(LongDouble other) {
        if (nonFinite || other.nonFinite) {
            return NON_FINITE;
        }
        int e = Math.min(exponent, other.exponent);
        BigInteger a = mantissa.shiftLeft(exponent - e);
        BigInteger b = other.mantissa.shiftLeft(other.exponent - e);
        BigInteger sum = (negative ? a.negate() : a).add(other.negative ? b.negate() : b);
        return roundBinary(sum.signum() < 0, sum.abs(), e);
    }

    /** The product with {@code factor}, rounded to the extended format; non-finite if this is or it overflows. */
    public LongDouble multiply(long factor) {
        if (nonFinite) {
            return NON_FINITE;
        }
        BigInteger product = mantissa.multiply(BigInteger.valueOf(factor).abs());
        return roundBinary(negative != factor < 0, product, exponent);
    }

    /**
     * C's {@code (long long) ceill(x)} on x86-64: the least integer not below the value; a value outside
     * the long range, infinity or NaN converts to the "integer indefinite" {@code Long.MIN_VALUE}.
     */
    public long ceilToLong() {
        if (nonFinite) {
            return Long.MIN_VALUE;
        }
        BigInteger whole;
        if (exponent >= 0) {
            whole = mantissa.shiftLeft(exponent);
        } else {
            whole = mantissa.shiftRight(-exponent);
            boolean fraction = mantissa.signum() != 0 && mantissa.getLowestSetBit() < -exponent;
            if (fraction && !negative) {
                whole = whole.add(BigInteger.ONE);
            }
        }
        if (negative) {
            whole = whole.negate();
        }
        return whole.bitLength() < Long.SIZE ? whole.longValue() : Long.MIN_VALUE;
    }

    /** mag * 2^exp rounded to a 64-bit mantissa, ties to even, no finer than the smallest denormal. */
    private static LongDouble roundBinary(boolean negative, BigInteger mag, int exp) {
        if (mag.signum() == 0) {
            return ZERO;
        }
        int shift = Math.max(mag.bitLength() - MANTISSA_BITS, MIN_EXPONENT - exp);
        if (shift <= 0) {
            return finite(negative, mag, exp);
        }
        BigInteger q = mag.shiftRight(shift);
        int cmp = compareToHalf(mag, shift);
        if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        return finite(negative, q, exp + shift);
    }

    /** Compares the low {@code bits} bits of {@code mag} with 2^(bits-1): the dropped part against a half. */
    private static int compareToHalf(BigInteger mag, int bits) {
        if (!mag.testBit(bits - 1)) {
            return -1;
        }
        return mag.getLowestSetBit() < bits - 1 ? 1 : 0;
    }

    /** num/den (both positive) rounded to a 64-bit mantissa, ties to even, denormals included. */
    private static LongDouble roundRational(boolean negative, BigInteger num, BigInteger den) {
        // num/den lies in (2^(a-b-1), 2^(a-b+1)), so a quotient scaled by 2^-(a-b-64) has 64 or 65 bits.
        int exp = num.bitLength() - den.bitLength() - MANTISSA_BITS;
        BigInteger[] qr = scaledQuotient(num, den, exp);
        if (qr[0].bitLength() > MANTISSA_BITS) {
            exp++;
            qr = scaledQuotient(num, den, exp);
        }
        if (exp < MIN_EXPONENT) {
            exp = MIN_EXPONENT;
            qr = scaledQuotient(num, den, exp);
        }
        BigInteger q = qr[0];
        BigInteger divisor = exp < 0 ? den : den.shiftLeft(exp);
        int cmp = qr[1].shiftLeft(1).compareTo(divisor);
        if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        if (q.signum() == 0) {
            return ZERO;
        }
        return finite(negative, q, exp);
    }

    /** floor(num / den / 2^exp) and its remainder (relative to den scaled the same way). */
    private static BigInteger[] scaledQuotient(BigInteger num, BigInteger den, int exp) {
        return exp < 0 ? num.shiftLeft(-exp).divideAndRemainder(den) : num.divideAndRemainder(den.shiftLeft(exp));
    }

    /** A rounded value: renormalizes a mantissa that rounding carried to 2^64, and overflows to infinity. */
    private static LongDouble finite(boolean negative, BigInteger q, int exp) {
        if (q.bitLength() > MANTISSA_BITS) {
            q = q.shiftRight(1);
            exp++;
        }
        if ((long) exp + q.bitLength() > MAX_BIT_LENGTH) {
            return NON_FINITE;
        }
        return new LongDouble(negative, q, exp, false);
    }

    /**
     * The value as Redis prints it for INCRBYFLOAT (ld2string, LD_STR_HUMAN): {@code %.17Lf}, then trailing
     * zeros and a trailing point removed, and "-0" turned into "0". Only for finite values.
     */
    public String toHumanString() {
        if (nonFinite) {
            throw new IllegalStateException("not finite");
        }
        BigInteger scaled;
        if (exponent >= 0) {
            scaled = mantissa.shiftLeft(exponent).multiply(TEN_POW_17);
        } else {
            BigInteger exact = mantissa.multiply(TEN_POW_17);
            int shift = -exponent;
            scaled = exact.shiftRight(shift);
            int cmp = compareToHalf(exact, shift);
            if (cmp > 0 || (cmp == 0 && scaled.testBit(0))) {
                scaled = scaled.add(BigInteger.ONE);
            }
        }
        if (scaled.signum() == 0) {
            return "0";
        }
        String digits = scaled.toString();
        StringBuilder sb = new StringBuilder(digits.length() + 3);
        if (negative) {
            sb.append('-');
        }
        if (digits.length() <= 17) {
            sb.append('0');
        } else {
            sb.append(digits, 0, digits.length() - 17);
        }
        String fraction = digits.length() <= 17 ? "0".repeat(17 - digits.length()) + digits
                : digits.substring(digits.length() - 17);
        int end = fraction.length();
        while (end > 0 && fraction.charAt(end - 1) == '0') {
            end--;
        }
        if (end > 0) {
            sb.append('.').append(fraction, 0, end);
        }
        return sb.toString();
    }
}
