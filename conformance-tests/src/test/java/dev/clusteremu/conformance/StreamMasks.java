package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Maskers for what legitimately differs in stream replies between two servers: times (idle times, delivery
 * and seen times, which follow each server's clock) and IDs generated from the clock by XADD *.
 */
final class StreamMasks {
    private static final Pattern ID = Pattern.compile("\\d+-\\d+");
    private static final Reply TIME = Reply.status("<time>");
    private static final Reply AUTO_ID = Reply.status("<auto-id>");
    /** An auto ID's time is within a day of the test's clock. */
    private static final long DAY_MS = 86_400_000L;

    private StreamMasks() {
    }

    /**
     * Masks the times in XPENDING's extended form ([id, consumer, idle, deliveries]), XINFO CONSUMERS' idle,
     * and XINFO STREAM FULL's delivery times ([id, consumer, time, count] and [id, time, count]) and
     * seen-time, in RESP2 flat maps and RESP3 maps alike.
     */
    static ReplyMasker times() {
        return r -> maskTimes(r, java.util.Set.of("idle", "seen-time"), true);
    }

    /** Masks the values of {@code keys} in maps (and RESP2 flat maps) at any depth. */
    static ReplyMasker valuesOf(String... keys) {
        return r -> maskTimes(r, java.util.Set.of(keys), false);
    }

    private static Reply maskTimes(Reply r, java.util.Set<String> keys, boolean positional) {
        if (r instanceof Reply.Map map) {
            List<Reply.Entry> entries = new ArrayList<>();
            for (Reply.Entry e : map.entries()) {
                entries.add(new Reply.Entry(e.key(), isKey(e.key(), keys) ? TIME : maskTimes(e.value(), keys, positional)));
            }
            return new Reply.Map(entries);
        }
        if (!(r instanceof Reply.Array array)) {
            return r;
        }
        List<Reply> el = new ArrayList<>(array.elements());
        if (positional && el.size() == 4 && isId(el.get(0)) && el.get(1) instanceof Reply.Bulk && el.get(2) instanceof Reply.Int
                && el.get(3) instanceof Reply.Int) {
            el.set(2, TIME);
            return new Reply.Array(el);
        }
        if (positional && el.size() == 3 && isId(el.get(0)) && el.get(1) instanceof Reply.Int && el.get(2) instanceof Reply.Int) {
            el.set(1, TIME);
            return new Reply.Array(el);
        }
        for (int i = 0; i < el.size(); i++) {
            boolean valueOfKey = i % 2 == 1 && el.size() % 2 == 0 && isKey(el.get(i - 1), keys)
                    && !(el.get(i) instanceof Reply.Array);
            el.set(i, valueOfKey ? TIME : maskTimes(el.get(i), keys, positional));
        }
        return new Reply.Array(el);
    }

    private static boolean isKey(Reply r, java.util.Set<String> keys) {
        return r instanceof Reply.Bulk b && keys.contains(text(b));
    }

    private static boolean isId(Reply r) {
        return r instanceof Reply.Bulk b && ID.matcher(text(b)).matches();
    }

    private static String text(Reply.Bulk b) {
        return new String(b.bytes(), StandardCharsets.ISO_8859_1);
    }

    /** Masks every ID whose time part is within a day of now: IDs XADD * generated. */
    static ReplyMasker autoIds() {
        long now = System.currentTimeMillis();
        return new ReplyMasker() {
            @Override
            public Reply mask(Reply r) {
                if (r instanceof Reply.Bulk b && isId(b)) {
                    long ms = Long.parseUnsignedLong(text(b).substring(0, text(b).indexOf('-')));
                    return Math.abs(ms - now) < DAY_MS ? AUTO_ID : r;
                }
                if (r instanceof Reply.Array a) {
                    List<Reply> el = new ArrayList<>();
                    for (Reply e : a.elements()) {
                        el.add(mask(e));
                    }
                    return new Reply.Array(el);
                }
                return r;
            }
        };
    }
}
