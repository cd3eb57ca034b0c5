package dev.clusteremu.server.info;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * A key specification of a command (keySpec in server.h): how to find one group of its keys and what the
 * command does to them. Redis 7.0's specs are data (key-specs.tsv, from its commands/*.json); a command
 * missing there gets one spec derived from its legacy first/last/step range.
 *
 * @param flags         key flags in Redis's reply order and spelling (RO, RW, OW, RM, access, update, ...)
 * @param notes         the spec's note, or null
 * @param keyword       begin_search by keyword: the keyword, or null for begin_search by index
 * @param begin         the index (or, with a keyword, where the keyword search starts: negative from the end)
 * @param findKeys      "range", "keynum" or "unknown" (then begin_search is unknown too, as in every Redis spec)
 * @param a             range: lastkey; keynum: keynumidx
 * @param b             range: keystep; keynum: firstkey
 * @param c             range: limit; keynum: keystep
 */
public record KeySpec(List<String> flags, String notes, String keyword, int begin, String findKeys, int a, int b,
        int c) {

    /** addReplyFlagsForKeyArgs's order. */
    private static final List<String> FLAG_ORDER = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", "not_key", "incomplete", "variable_flags");
    private static final Map<String, List<KeySpec>> REDIS_SPECS = load();

    /** The command's key specs: Redis's for a Redis command, else one derived from its key range, if any. */
    public static List<KeySpec> of(CommandSpec spec) {
        List<KeySpec> known = REDIS_SPECS.get(spec.fullName());
        if (known != null) {
            return known;
        }
        if (spec.firstKey() <= 0) {
            return List.of();
        }
        List<String> flags = spec.has(CommandFlag.WRITE) ? List.of("RW", "access", "update") : List.of("RO", "access");
        int last = spec.lastKey() >= 0 ? spec.lastKey() - spec.firstKey() : spec.lastKey();
        return List.of(new KeySpec(flags, null, null, spec.firstKey(), "range", last, spec.keyStep(), 0));
    }

    public boolean beginsAtKeyword() {
        return keyword != null;
    }

    /**
     * The argv positions this spec finds (one spec's turn in getKeysUsingKeySpecs): none when its keyword
     * is absent, which is no error; null when the arguments don't fit it (bad numkeys, out of range) or the
     * spec can't say (unknown, or incomplete once its keyword is found), so that the whole search fails.
     */
    public List<Integer> positions(byte[][] argv) {
        int argc = argv.length;
        if (findKeys.equals("unknown")) {
            return null;
        }
        int first = 0;
        if (keyword == null) {
            first = begin;
        } else {
            int start = begin > 0 ? begin : argc + begin;
            int end = begin > 0 ? argc - 1 : 1;
            for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                if (i >= argc || i < 1) {
                    break;
                }
                if (Args.is(argv[i], keyword)) {
                    first = i + 1;
                    break;
                }
            }
            if (first == 0) {
                return List.of();
            }
        }
        int last;
        int step;
        if (findKeys.equals("range")) {
            step = b;
            if (a >= 0) {
                last = first + a;
            } else if (c == 0) {
                last = argc + a;
            } else {
                last = first + ((argc - first) / c + a);
            }
        } else {
            step = c;
            if (a >= argc || first + a >= argc) {
                return null;
            }
            byte[] numkeys = argv[first + a];
            if (!RedisNumbers.isLong(numkeys) || RedisNumbers.parseLong(numkeys) < 0) {
                return null;
            }
            first += b;
            last = first + (int) RedisNumbers.parseLong(numkeys) - 1;
        }
        if (last >= argc || last < first || first >= argc) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = first; i <= last; i += step) {
            out.add(i);
        }
        return flags.contains("incomplete") ? null : out;
    }

    private static Map<String, List<KeySpec>> load() {
        Map<String, List<KeySpec>> specs = new HashMap<>();
        try (InputStream in = KeySpec.class.getResourceAsStream("key-specs.tsv")) {
            if (in == null) {
                throw new IllegalStateException("key-specs.tsv missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                specs.computeIfAbsent(cols[0], k -> new ArrayList<>()).add(parse(cols));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        specs.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return specs;
    }

    private static KeySpec parse(String[] cols) {
        List<String> flags = new ArrayList<>();
        for (String f : cols[1].split(",")) {
            flags.add(f.length() == 2 ? f : f.toLowerCase(Locale.ROOT));
        }
        flags.sort((x, y) -> FLAG_ORDER.indexOf(x) - FLAG_ORDER.indexOf(y));
        String notes = cols.length > 4 ? cols[4] : null;
        String keyword = null;
        int begin = 0;
        if (cols[2].startsWith("index:")) {
            begin = Integer.parseInt(cols[2].substring(6));
        } else if (cols[2].startsWith("keyword:")) {
            String[] kw = cols[2].substring(8).split(",");
            keyword = kw[0];
            begin = Integer.parseInt(kw[1]);
        }
        String findKeys = "unknown";
        int[] n = new int[3];
        int colon = cols[3].indexOf(':');
        if (colon > 0) {
            findKeys = cols[3].substring(0, colon);
            String[] nums = cols[3].substring(colon + 1).split(",");
            for (int i = 0; i < 3; i++) {
                n[i] = Integer.parseInt(nums[i]);
            }
        }
        return new KeySpec(List.copyOf(flags), notes, keyword, begin, findKeys, n[0], n[1], n[2]);
    }
}
