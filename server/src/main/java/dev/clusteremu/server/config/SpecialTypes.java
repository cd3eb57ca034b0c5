package dev.clusteremu.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.clusteremu.server.ServerConfig.SavePoint;

/**
 * The parameters config.c parses with their own functions (createSpecialConfig) and the string checks
 * (is_valid_fn) of a few others, each with Redis's refusal text.
 */
final class SpecialTypes {
    /** CONFIG_BINDADDR_MAX. */
    private static final int MAX_BIND_ADDRESSES = 16;
    /** NET_HOST_STR_LEN: the longest announced hostname is one less. */
    private static final int MAX_HOSTNAME = 256;
    /** Client classes of client-output-buffer-limit, in the order CONFIG GET prints them. */
    private static final String[] BUFFER_LIMIT_CLASSES = {"normal", "slave", "pubsub"};
    /** What strtod accepts as a percentile (string2d): a decimal number or an infinity, nothing around. */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?((\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i:inf|infinity))");

    private SpecialTypes() {
    }

    /** save "&lt;seconds&gt; &lt;changes&gt; ...": pairs, seconds ≥ 1, changes ≥ 0; "" means no snapshots. */
    static ValueType save() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                List<String> args = ValueType.splitArgs(text);
                if (args.size() % 2 == 1) {
                    throw invalidSave();
                }
                List<SavePoint> points = new ArrayList<>();
                for (int j = 0; j < args.size(); j += 2) {
                    Long seconds = ValueType.strtoll(args.get(j));
                    Long changes = ValueType.strtoll(args.get(j + 1));
                    if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                        throw invalidSave();
                    }
                    points.add(new SavePoint(seconds, (int) (long) changes));
                }
                return List.copyOf(points);
            }

            @Override
            @SuppressWarnings("unchecked")
            public String format(Object value) {
                List<String> parts = new ArrayList<>();
                for (SavePoint p : (List<SavePoint>) value) {
                    parts.add(p.seconds() + " " + p.changes());
                }
                return String.join(" ", parts);
            }
        };
    }

    private static InvalidConfigValue invalidSave() {
        return new InvalidConfigValue("Invalid save parameters");
    }

    /** bind: up to 16 addresses separated by spaces; "" binds nothing. */
    static ValueType bind() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                List<String> args = ValueType.splitArgs(text);
                if (args.size() > MAX_BIND_ADDRESSES) {
                    throw new InvalidConfigValue("Too many bind addresses specified.");
                }
                return args;
            }

            @Override
            @SuppressWarnings("unchecked")
            public String format(Object value) {
                return String.join(" ", (List<String>) value);
            }
        };
    }

    /** notify-keyspace-events: class letters, see {@link KeyspaceEvents}. */
    static ValueType keyspaceEvents() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                int flags = KeyspaceEvents.parse(text);
                if (flags < 0) {
                    throw new InvalidConfigValue("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                }
                return flags;
            }

            @Override
            public String format(Object value) {
                return KeyspaceEvents.format((Integer) value);
            }
        };
    }

    /**
     * client-output-buffer-limit "&lt;class&gt; &lt;hard&gt; &lt;soft&gt; &lt;soft-seconds&gt; ...": the value is
     * one {hard, soft, seconds} row per class (normal, slave, pubsub). A parsed value holds rows only for
     * the classes named; the others are null and keep their current limits when set.
     */
    static ValueType clientOutputBufferLimit() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                List<String> args = ValueType.splitArgs(text);
                if (args.size() % 4 != 0) {
                    throw new InvalidConfigValue("Wrong number of arguments in buffer limit configuration.");
                }
                long[][] rows = new long[BUFFER_LIMIT_CLASSES.length][];
                for (int j = 0; j < args.size(); j += 4) {
                    int cls = bufferLimitClass(args.get(j));
                    if (cls < 0) {
                        throw new InvalidConfigValue("Invalid client class specified in buffer limit configuration.");
                    }
                    Long hard = ValueType.memToBytes(args.get(j + 1));
                    Long soft = ValueType.memToBytes(args.get(j + 2));
                    Long seconds = ValueType.strtoll(args.get(j + 3));
                    if (hard == null || soft == null || seconds == null || (int) (long) seconds < 0) {
                        throw new InvalidConfigValue(
                                "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                    }
                    rows[cls] = new long[] {hard, soft, (int) (long) seconds};
                }
                return rows;
            }

            @Override
            public String format(Object value) {
                long[][] rows = (long[][]) value;
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < rows.length; i++) {
                    parts.add(BUFFER_LIMIT_CLASSES[i] + " " + Long.toUnsignedString(rows[i][0]) + " "
                            + Long.toUnsignedString(rows[i][1]) + " " + rows[i][2]);
                }
                return String.join(" ", parts);
            }
        };
    }

    /** The limits after applying a parsed client-output-buffer-limit to the current ones. */
    static long[][] mergeBufferLimits(long[][] current, long[][] update) {
        long[][] merged = current.clone();
        for (int i = 0; i < merged.length; i++) {
            if (update[i] != null) {
                merged[i] = update[i];
            }
        }
        return merged;
    }

    /** getClientTypeByName without "master", which has no buffer limit of its own. */
    private static int bufferLimitClass(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            default -> -1;
        };
    }

    /** oom-score-adj-values: exactly three integers in [-2000, 2000] (master, replica, background child). */
    static ValueType oomScoreAdjValues() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                List<String> args = ValueType.splitArgs(text);
                if (args.size() != 3) {
                    throw new InvalidConfigValue("wrong number of arguments");
                }
                int[] values = new int[3];
                for (int i = 0; i < 3; i++) {
                    Long v = ValueType.strtoll(args.get(i));
                    if (v == null || v < -2000 || v > 2000) {
                        throw new InvalidConfigValue(
                                "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
                    }
                    values[i] = (int) (long) v;
                }
                return values;
            }

            @Override
            public String format(Object value) {
                int[] v = (int[]) value;
                return v[0] + " " + v[1] + " " + v[2];
            }
        };
    }

    /** latency-tracking-info-percentiles: numbers in [0, 100], printed like "%f" without trailing zeros. */
    static ValueType percentiles() {
        return new ValueType() {
            @Override
            public Object parse(String text) {
                List<String> args = ValueType.splitArgs(text);
                double[] values = new double[args.size()];
                for (int i = 0; i < values.length; i++) {
                    if (!DECIMAL.matcher(args.get(i)).matches()) {
                        throw new InvalidConfigValue("Invalid latency-tracking-info-percentiles parameters");
                    }
                    values[i] = parseDecimal(args.get(i));
                    if (values[i] > 100.0 || values[i] < 0.0) {
                        throw new InvalidConfigValue(
                                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
                    }
                }
                return values;
            }

            @Override
            public String format(Object value) {
                List<String> parts = new ArrayList<>();
                for (double d : (double[]) value) {
                    parts.add(trimDouble(String.format(Locale.ROOT, "%f", d)));
                }
                return String.join(" ", parts);
            }
        };
    }

    private static double parseDecimal(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    /** trimDoubleString: "99.900000" → "99.9", "50.000000" → "50". */
    static String trimDouble(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /** isValidAnnouncedHostname: under 256 bytes of letters, digits, '-' and '.'. */
    static void checkHostname(String name) {
        if (name.length() >= MAX_HOSTNAME) {
            throw new InvalidConfigValue("Hostnames must be less than " + MAX_HOSTNAME + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                throw new InvalidConfigValue("Hostnames may only contain alphanumeric characters, hyphens or dots");
            }
        }
    }

    /**
     * isValidProcTitleTemplate: every {variable} known ("{{" is a literal brace), and something left once
     * expanded with an empty title and trimmed of spaces.
     */
    static void checkProcTitleTemplate(String template) {
        StringBuilder expanded = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int open = template.indexOf('{', p);
            if (open < 0) {
                expanded.append(template, p, template.length());
                break;
            }
            expanded.append(template, p, open);
            if (open + 1 >= template.length()) {
                throw invalidTemplate();
            }
            if (template.charAt(open + 1) == '{') {
                expanded.append('{');
                p = open + 2;
                continue;
            }
            int close = template.indexOf('}', open + 1);
            if (close < 0) {
                throw invalidTemplate();
            }
            expanded.append(switch (template.substring(open + 1, close)) {
                case "title", "unixsocket" -> "";
                case "listen-addr" -> "*:0";
                case "server-mode" -> "[cluster]";
                case "config-file" -> "-";
                case "port", "tls-port" -> "0";
                default -> throw invalidTemplate();
            });
            p = close + 1;
        }
        if (expanded.toString().replaceAll("^ +| +$", "").isEmpty()) {
            throw invalidTemplate();
        }
    }

    private static InvalidConfigValue invalidTemplate() {
        return new InvalidConfigValue("template format is invalid or contains unknown variables");
    }
}
