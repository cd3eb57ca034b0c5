package dev.clusteremu.server.scripting.lua;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One printf conversion as glibc renders it: what Lua 5.1's tostring ("%.14g"), string.format and the
 * cjson encoder hand to sprintf. Floating conversions are exact: the double's binary value is rounded to
 * the requested digits with ties to even, as glibc rounds, not through Java's own formatting (which
 * differs in %g, in the exponent digits and in rounding).
 */
public final class CFormat {
    private final boolean left;
    private final boolean plus;
    private final boolean space;
    private final boolean alt;
    private final boolean zero;
    private final int width;
    private final int precision;

    /**
     * A conversion spec: flags out of "-+ #0", a width (-1 for none) and a precision (-1 for none).
     */
    public CFormat(String flags, int width, int precision) {
        this.left = flags.indexOf('-') >= 0;
        this.plus = flags.indexOf('+') >= 0;
        this.space = flags.indexOf(' ') >= 0;
        this.alt = flags.indexOf('#') >= 0;
        this.zero = flags.indexOf('0') >= 0;
        this.width = width;
        this.precision = precision;
    }

    /** "%.14g", LUAI_NUMFFORMAT: how Lua 5.1 turns a number into a string. */
    public static String g14(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e14) {
            if (d == 0) {
                return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
            }
            return Long.toString((long) d);
        }
        return new CFormat("", -1, 14).floating('g', d);
    }

    /** A double conversion: e, E, f, F, g or G. */
    public String floating(char conv, double d) {
        boolean upper = Character.isUpperCase(conv);
        char c = Character.toLowerCase(conv);
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        String body;
        boolean numeric = true;
        if (Double.isNaN(d)) {
            body = "nan";
            numeric = false;
        } else if (Double.isInfinite(d)) {
            body = "inf";
            numeric = false;
        } else {
            int p = precision < 0 ? 6 : precision;
            BigDecimal abs = new BigDecimal(d).abs();
            body = switch (c) {
                case 'e' -> exponential(abs, p);
                case 'f' -> fixed(abs, p);
                default -> general(abs, p);
            };
        }
        if (upper) {
            body = body.toUpperCase(java.util.Locale.ROOT);
        }
        String sign = negative ? "-" : plus ? "+" : space ? " " : "";
        return pad(sign, body, numeric && zero && !left);
    }

    private String exponential(BigDecimal abs, int p) {
        if (abs.signum() == 0) {
            return "0" + (p > 0 || alt ? "." + "0".repeat(p) : "") + "e+00";
        }
        BigDecimal r = abs.round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        int exp = digits.length() - 1 - r.scale();
        if (digits.length() < p + 1) {
            digits = digits + "0".repeat(p + 1 - digits.length());
        } else if (digits.length() > p + 1) {
            digits = digits.substring(0, p + 1);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(digits.charAt(0));
        if (p > 0 || alt) {
            sb.append('.');
        }
        sb.append(digits, 1, digits.length());
        appendExponent(sb, exp);
        return sb.toString();
    }

    private static void appendExponent(StringBuilder sb, int exp) {
        sb.append('e').append(exp < 0 ? '-' : '+');
        int m = Math.abs(exp);
        if (m < 10) {
            sb.append('0');
        }
        sb.append(m);
    }

    private String fixed(BigDecimal abs, int p) {
        String s = abs.setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        if (p == 0 && alt) {
            s += ".";
        }
        return s;
    }

    private String general(BigDecimal abs, int p) {
        if (p == 0) {
            p = 1;
        }
        int x;
        if (abs.signum() == 0) {
            x = 0;
        } else {
            BigDecimal r = abs.round(new MathContext(p, RoundingMode.HALF_EVEN));
            x = r.precision() - 1 - r.scale();
        }
        String s;
        if (p > x && x >= -4) {
            s = fixed(abs, p - 1 - x);
        } else {
            s = exponential(abs, p - 1);
        }
        if (!alt) {
            int e = s.indexOf('e');
            String mantissa = e >= 0 ? s.substring(0, e) : s;
            String exponent = e >= 0 ? s.substring(e) : "";
            if (mantissa.indexOf('.') >= 0) {
                int end = mantissa.length();
                while (mantissa.charAt(end - 1) == '0') {
                    end--;
                }
                if (mantissa.charAt(end - 1) == '.') {
                    end--;
                }
                mantissa = mantissa.substring(0, end);
            }
            s = mantissa + exponent;
        }
        return s;
    }

    /** %d / %i of a C long. */
    public String signedInteger(long v) {
        String digits = v == 0 && precision == 0 ? "" : BigInteger.valueOf(v).abs().toString();
        digits = minDigits(digits);
        String sign = v < 0 ? "-" : plus ? "+" : space ? " " : "";
        return pad(sign, digits, zero && !left && precision < 0);
    }

    /** %o, %u, %x, %X of a C long printed as unsigned long. */
    public String unsignedInteger(char conv, long v) {
        String digits;
        String prefix = "";
        if (v == 0 && precision == 0) {
            digits = "";
        } else {
            digits = switch (conv) {
                case 'o' -> Long.toOctalString(v);
                case 'x' -> Long.toHexString(v);
                case 'X' -> Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
                default -> Long.toUnsignedString(v);
            };
        }
        digits = minDigits(digits);
        if (alt) {
            if (conv == 'o' && !digits.startsWith("0")) {
                digits = "0" + digits;
            } else if (conv == 'x' && v != 0) {
                prefix = "0x";
            } else if (conv == 'X' && v != 0) {
                prefix = "0X";
            }
        }
        return pad(prefix, digits, zero && !left && precision < 0);
    }

    private String minDigits(String digits) {
        if (precision > digits.length()) {
            return "0".repeat(precision - digits.length()) + digits;
        }
        return digits;
    }

    /** A string (or %c's one char) padded to the width; precision cuts a string. */
    public String text(String s) {
        if (precision >= 0 && s.length() > precision) {
            s = s.substring(0, precision);
        }
        return pad("", s, false);
    }

    private String pad(String prefix, String body, boolean zeroPad) {
        int len = prefix.length() + body.length();
        if (width <= len) {
            return prefix + body;
        }
        String fill;
        if (left) {
            return prefix + body + " ".repeat(width - len);
        }
        if (zeroPad) {
            fill = "0".repeat(width - len);
            return prefix + fill + body;
        }
        return " ".repeat(width - len) + prefix + body;
    }
}
