package dev.clusteremu.server.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The number formats of the geo replies, as glibc's printf and Redis's util.c print them:
 * <ul>
 * <li>distances with 4 decimals (fixedpoint_d2string): "5.2145 meters away" rather than 17 digits;</li>
 * <li>coordinates as addReplyHumanLongDouble prints them: "%.17Lf" with trailing zeros removed;</li>
 * <li>"%f" in the invalid longitude,latitude error.</li>
 * </ul>
 * glibc prints the exact binary value rounded to the requested digits, ties to even, which
 * {@link BigDecimal} reproduces.
 */
public final class GeoFormat {
    private static final int DISTANCE_DECIMALS = 4;
    private static final double DISTANCE_SCALE = 10000.0;
    private static final int HUMAN_DECIMALS = 17;
    private static final int PRINTF_F_DECIMALS = 6;

    private GeoFormat() {
    }

    /**
     * fixedpoint_d2string(d, 4): {@code d * 10000} rounded to an integer with llrint (ties to even), printed
     * with 4 decimals: 0 is "0.0000", a negative value that rounds to 0 is "0.0000" too.
     */
    public static String distance(double d) {
        long v = (long) Math.rint(d * DISTANCE_SCALE);
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) {
            sb.append('-');
        }
        String digits = Long.toString(Math.abs(v));
        if (digits.length() <= DISTANCE_DECIMALS) {
            digits = "0".repeat(DISTANCE_DECIMALS + 1 - digits.length()) + digits;
        }
        sb.append(digits, 0, digits.length() - DISTANCE_DECIMALS).append('.')
                .append(digits, digits.length() - DISTANCE_DECIMALS, digits.length());
        return sb.toString();
    }

    /**
     * ld2string(LD_STR_HUMAN) of a double: "%.17Lf", trailing zeros and a bare trailing point removed, and
     * "-0" written "0". Only for finite values.
     */
    public static String human(double d) {
        String text = fixed(d, HUMAN_DECIMALS);
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        text = text.substring(0, end);
        return text.equals("-0") ? "0" : text;
    }

    /** "%f": six decimals; "inf"/"-inf" for infinities, "nan"/"-nan" for NaN (sign as its sign bit). */
    public static String printfF(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return fixed(d, PRINTF_F_DECIMALS);
    }

    /** "%.Nf" of a finite double, the sign kept for negative zero and for negatives that round to zero. */
    private static String fixed(double d, int decimals) {
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        String magnitude = new BigDecimal(Math.abs(d)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return negative ? "-" + magnitude : magnitude;
    }
}
