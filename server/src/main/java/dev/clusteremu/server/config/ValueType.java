package dev.clusteremu.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * How a parameter's text becomes a value and back: the bool / enum / numeric / string kinds of Redis's
 * standardConfig table (config.c), with Redis's parsing rules and refusal texts. Values are immutable
 * Java objects (Boolean, Integer enum value, Long, String, ...) so a CONFIG SET can parse every argument
 * before changing anything.
 */
interface ValueType {
    /** Parses CONFIG SET's argument; throws {@link InvalidConfigValue} with Redis's reason. */
    Object parse(String text);

    /** The value as CONFIG GET prints it. */
    String format(Object value);

    // ---- bool ----

    /** yes/no, case-insensitive (yesnotoi); printed lowercase. */
    static ValueType bool() {
        return bool(v -> { });
    }

    /** A bool with an extra check on the parsed value (is_valid_fn). */
    static ValueType bool(Consumer<Boolean> check) {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                Boolean b;
                if (text.equalsIgnoreCase("yes")) {
                    b = true;
                } else if (text.equalsIgnoreCase("no")) {
                    b = false;
                } else {
                    throw new InvalidConfigValue("argument must be 'yes' or 'no'");
                }
                check.accept(b);
                return b;
            }

            @Override
            public String format(Object value) {
                return (Boolean) value ? "yes" : "no";
            }
        };
    }

    // ---- enum ----

    /** A name -> value pair of an enum parameter (configEnum). */
    record Choice(String name, int value) {
    }

    /**
     * One of the names, case-insensitive, stored as its int value; printed as the first name with that
     * value (so oom-score-adj "relative" reads back as "yes", its synonym listed first).
     */
    static ValueType oneOf(Choice... choices) {
        return new Enumerated(List.of(choices), false, v -> { });
    }

    /** Convenience for enums whose values are just their positions. */
    static ValueType oneOf(String... names) {
        Choice[] choices = new Choice[names.length];
        for (int i = 0; i < names.length; i++) {
            choices[i] = new Choice(names[i], i);
        }
        return oneOf(choices);
    }

    /**
     * Space-separated names OR-ed together (MULTI_ARG enum, e.g. shutdown-on-sigint "save now"); printed
     * as the names whose bits are set, in table order, or the exact name for a value that has one.
     */
    static ValueType flagsOf(Consumer<Integer> check, Choice... choices) {
        return new Enumerated(List.of(choices), true, check);
    }

    final class Enumerated implements ValueType {
        private final List<Choice> choices;
        private final boolean bitflags;
        private final Consumer<Integer> check;

        Enumerated(List<Choice> choices, boolean bitflags, Consumer<Integer> check) {
            this.choices = choices;
            this.bitflags = bitflags;
            this.check = check;
        }

        @Override
        public Object parse(String text) {
            List<String> args = bitflags ? splitArgs(text) : List.of(text);
            if (args.isEmpty()) {
                throw mustBeOneOf();
            }
            int value = 0;
            for (String arg : args) {
                boolean matched = false;
                for (Choice c : choices) {
                    if (c.name().equalsIgnoreCase(arg)) {
                        value |= c.value();
                        matched = true;
                    }
                }
                if (!matched) {
                    throw mustBeOneOf();
                }
            }
            check.accept(value);
            return value;
        }

        private InvalidConfigValue mustBeOneOf() {
            List<String> names = new ArrayList<>();
            for (Choice c : choices) {
                names.add(c.name());
            }
            return new InvalidConfigValue("argument(s) must be one of the following: " + String.join(", ", names));
        }

        @Override
        public String format(Object value) {
            int v = (Integer) value;
            List<String> names = new ArrayList<>();
            int unmatched = v;
            for (Choice c : choices) {
                if (c.value() == v) {
                    return c.name();
                }
                if (bitflags && c.value() != 0 && (unmatched & c.value()) == c.value()) {
                    names.add(c.name());
                    unmatched &= ~c.value();
                }
            }
            return names.isEmpty() || unmatched != 0 ? "unknown" : String.join(" ", names);
        }
    }

    // ---- numeric ----

    /** A signed integer in [lower, upper], plain decimal only (string2ll). */
    static ValueType integer(long lower, long upper) {
        return new Numeric(lower, upper, false, false, false);
    }

    /** An unsigned integer (unsigned int, size_t, unsigned long long): bounds compared as unsigned. */
    static ValueType unsignedInteger(long lower, long upper) {
        return new Numeric(lower, upper, true, false, false);
    }

    /** A byte count accepting units (1gb, 64mb, 100k: memtoull) and printed as plain bytes. */
    static ValueType memory(long lower, long upper, boolean unsigned) {
        return new Numeric(lower, upper, unsigned, true, false);
    }

    /** A byte count or a percentage "N%" (stored negative, as Redis does; printed back as "N%"). */
    static ValueType memoryOrPercent(long lower, long upper) {
        return new Numeric(lower, upper, false, true, true);
    }

    /** A numeric with an extra check on the parsed value. */
    static ValueType checked(ValueType base, Consumer<Long> check) {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                Object v = base.parse(text);
                check.accept((Long) v);
                return v;
            }

            @Override
            public String format(Object value) {
                return base.format(value);
            }
        };
    }

    final class Numeric implements ValueType {
        private final long lower;
        private final long upper;
        private final boolean unsigned;
        private final boolean memory;
        private final boolean percent;

        Numeric(long lower, long upper, boolean unsigned, boolean memory, boolean percent) {
            this.lower = lower;
            this.upper = upper;
            this.unsigned = unsigned;
            this.memory = memory;
            this.percent = percent;
        }

        @Override
        public Object parse(String text) {
            long v = parseNumber(text);
            if (unsigned) {
                if (Long.compareUnsigned(v, upper) > 0 || Long.compareUnsigned(v, lower) < 0) {
                    throw new InvalidConfigValue("argument must be between " + Long.toUnsignedString(lower) + " and "
                            + Long.toUnsignedString(upper) + " inclusive");
                }
            } else if (percent && v < 0) {
                if (v < lower) {
                    throw new InvalidConfigValue("percentage argument must be less or equal to " + -lower);
                }
            } else if (v > upper || v < lower) {
                throw new InvalidConfigValue("argument must be between " + lower + " and " + upper + " inclusive");
            }
            return v;
        }

        /** numericParseString: memory units first, then "N%", then a plain integer for plain numerics. */
        private long parseNumber(String text) {
            if (memory) {
                Long bytes = memToBytes(text);
                if (bytes != null) {
                    return bytes;
                }
            }
            if (percent && text.length() > 1 && text.endsWith("%")) {
                byte[] digits = text.substring(0, text.length() - 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                if (RedisNumbers.isLong(digits) && RedisNumbers.parseLong(digits) >= 0) {
                    return -RedisNumbers.parseLong(digits);
                }
            }
            if (!memory && !percent) {
                byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                if (RedisNumbers.isLong(b)) {
                    return RedisNumbers.parseLong(b);
                }
                throw new InvalidConfigValue("argument couldn't be parsed into an integer");
            }
            throw new InvalidConfigValue(percent ? "argument must be a memory or percent value"
                    : "argument must be a memory value");
        }

        @Override
        public String format(Object value) {
            long v = (Long) value;
            if (percent && v < 0) {
                return -v + "%";
            }
            return memory || unsigned ? Long.toUnsignedString(v) : Long.toString(v);
        }
    }

    /**
     * memtoull: digits then an optional unit b, k (1000), kb (1024), m, mb, g, gb, case-insensitive; null when
     * malformed. Like strtoull, no digits at all reads as 0 and an overflow saturates; the unit multiplies
     * with 64-bit wrap-around, as in C.
     */
    static Long memToBytes(String text) {
        if (text.startsWith("-")) {
            return null;
        }
        int u = 0;
        while (u < text.length() && text.charAt(u) >= '0' && text.charAt(u) <= '9') {
            u++;
        }
        long mul = switch (text.substring(u).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
        if (mul < 0 || u >= 128) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < u; i++) {
            int d = text.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                value = -1L; // ULLONG_MAX, as strtoull saturates
                break;
            }
            value = value * 10 + d;
        }
        return value * mul;
    }

    // ---- strings ----

    /** Free text, with an optional check (is_valid_fn). Empty means "not set" and reads back as "". */
    static ValueType text(Consumer<String> check) {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                check.accept(text);
                return text;
            }

            @Override
            public String format(Object value) {
                return (String) value;
            }
        };
    }

    static ValueType text() {
        return text(s -> { });
    }

    // ---- helpers shared by multi-argument parameters ----

    /**
     * A MULTI_ARG value split as Redis splits it (sdssplitlen on single spaces): "" has no arguments, and
     * two spaces in a row make an empty argument.
     */
    static List<String> splitArgs(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(" ", -1));
    }

    /**
     * C's strtoll in base 10 as config.c uses it: leading whitespace and a sign allowed, no digits reads as
     * 0 (ending where the text started), overflow saturates. Null when characters follow the number, i.e.
     * when Redis's "*endptr != '\0'" check fails.
     */
    static Long strtoll(String text) {
        int i = 0;
        while (i < text.length() && isCSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            int d = text.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                overflow = true;
            } else {
                value = value * 10 + d;
            }
            i++;
        }
        if (i == digitsStart) {
            return text.isEmpty() ? 0L : null; // no conversion: endptr is the text's first character
        }
        if (i != text.length()) {
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
