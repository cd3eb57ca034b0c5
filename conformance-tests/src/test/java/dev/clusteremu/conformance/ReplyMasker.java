package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites the parts of a reply that legitimately differ between two servers (times, ids, hash-table
 * order) into a stable form, so that the rest can still be compared exactly. A masked value becomes a
 * status reply naming what was there, e.g. {@code +<integer in [1, 100000]>}, so assertion messages stay
 * readable; a value outside what the masker accepts is left as it is and shows up as a difference.
 */
@FunctionalInterface
public interface ReplyMasker {

    /** The masked form of {@code reply}. */
    Reply mask(Reply reply);

    /** This masker, then {@code next}. */
    default ReplyMasker andThen(ReplyMasker next) {
        return reply -> next.mask(mask(reply));
    }

    /**
     * Sorts the elements of an array or set reply by their canonical form: for replies whose order is the
     * server's hash-table order (KEYS, SMEMBERS), which only says which elements there are. Duplicates
     * are kept, so the comparison is as multisets.
     */
    static ReplyMasker unordered() {
        return reply -> {
            if (reply instanceof Reply.Array array) {
                return new Reply.Array(sorted(array.elements()));
            } else if (reply instanceof Reply.Set set) {
                return new Reply.Set(sorted(set.elements()));
            }
            return reply;
        };
    }

    /**
     * Replaces an integer reply within {@code [min, max]} by {@code +<integer in [min, max]>}: for values
     * that move with the clock, such as TTL and PTTL, where only the range is a fact.
     */
    static ReplyMasker integerWithin(long min, long max) {
        return reply -> reply instanceof Reply.Int i && i.value() >= min && i.value() <= max
                ? Reply.status("<integer in [" + min + ", " + max + "]>")
                : reply;
    }

    /**
     * Replaces the value stored under {@code key} in a map reply (RESP3) or in a flat key/value array reply
     * (the RESP2 form of a map) by {@code +<masked>}: for fields such as HELLO's client {@code id}.
     */
    static ReplyMasker mapValue(String key) {
        Reply field = Reply.bulk(key);
        Reply masked = Reply.status("<masked>");
        return reply -> {
            if (reply instanceof Reply.Map map) {
                List<Reply.Entry> entries = new ArrayList<>();
                for (Reply.Entry entry : map.entries()) {
                    entries.add(entry.key().equals(field) ? new Reply.Entry(entry.key(), masked) : entry);
                }
                return new Reply.Map(entries);
            } else if (reply instanceof Reply.Array array && array.elements().size() % 2 == 0) {
                List<Reply> elements = new ArrayList<>(array.elements());
                for (int i = 0; i < elements.size(); i += 2) {
                    if (elements.get(i).equals(field)) {
                        elements.set(i + 1, masked);
                    }
                }
                return new Reply.Array(elements);
            }
            return reply;
        };
    }

    private static List<Reply> sorted(List<Reply> elements) {
        List<Reply> copy = new ArrayList<>(elements);
        copy.sort(Comparator.comparing(Reply::toString));
        return copy;
    }
}
