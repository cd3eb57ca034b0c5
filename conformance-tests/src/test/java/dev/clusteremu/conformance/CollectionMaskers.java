package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maskers for the replies of hash and set commands whose order or choice is a server's own: the order of a
 * hashtable-encoded hash or set, the random picks of HRANDFIELD, SRANDMEMBER and SPOP, the member order
 * inside a DUMP of a hashtable encoding. Each keeps what is a fact (which elements, how many, distinct or
 * not, the reply's RESP type) and masks only the rest, so that a wrong element or count still shows.
 */
final class CollectionMaskers {
    /** RDB_TYPE_HASH and RDB_TYPE_SET: the hashtable encodings in a DUMP's first byte. */
    private static final int HASHTABLE_HASH = 4;
    private static final int HASHTABLE_SET = 2;

    private CollectionMaskers() {
    }

    /**
     * Field/value pairs in a server's order, as HGETALL and HSCAN give them: a RESP3 map's entries, or a
     * flat RESP2 array's pairs, sorted by field. Other replies pass unchanged.
     */
    static ReplyMasker unorderedPairs() {
        return reply -> {
            if (reply instanceof Reply.Map map) {
                List<Reply.Entry> entries = new ArrayList<>(map.entries());
                entries.sort(Comparator.comparing(e -> e.key().toString()));
                return new Reply.Map(entries);
            }
            if (reply instanceof Reply.Array array && array.elements().size() % 2 == 0) {
                List<List<Reply>> pairs = new ArrayList<>();
                for (int i = 0; i < array.elements().size(); i += 2) {
                    pairs.add(array.elements().subList(i, i + 2));
                }
                pairs.sort(Comparator.comparing(p -> p.get(0).toString()));
                List<Reply> flat = new ArrayList<>();
                pairs.forEach(flat::addAll);
                return new Reply.Array(flat);
            }
            return reply;
        };
    }

    /**
     * A DUMP payload reduced to its first byte, the RDB type, which names the encoding (16 listpack or 4
     * hashtable for hashes, 11 intset or 2 hashtable for sets): for values whose bytes hold a hash table's
     * order. A nil or an error passes unchanged.
     */
    static ReplyMasker dumpType() {
        return reply -> reply instanceof Reply.Bulk bulk && bulk.bytes().length > 0
                ? Reply.status("<DUMP of RDB type " + (bulk.bytes()[0] & 0xff) + ">")
                : reply;
    }

    /**
     * An array or set reply whose elements are random picks among {@code members}: each element that is one
     * of them becomes {@code +<member>}, so only the count and the reply type remain; with {@code distinct},
     * an element seen before is left as it is, so a repeat shows as a difference.
     */
    static ReplyMasker sampleOf(Collection<Reply> members, boolean distinct) {
        Set<Reply> allowed = new HashSet<>(members);
        return reply -> {
            if (!(reply instanceof Reply.Array) && !(reply instanceof Reply.Set)) {
                return reply;
            }
            Set<Reply> seen = new HashSet<>();
            List<Reply> masked = new ArrayList<>();
            for (Reply e : reply.asList()) {
                boolean fresh = seen.add(e) || !distinct;
                masked.add(allowed.contains(e) && fresh ? Reply.status("<member>") : e);
            }
            return reply instanceof Reply.Set ? new Reply.Set(masked) : new Reply.Array(masked);
        };
    }

    /**
     * HRANDFIELD ... WITHVALUES: random field/value pairs of {@code hash}, flat (RESP2) or nested as
     * [field, value] arrays (RESP3). Each pair that is one of the hash's becomes {@code +<pair>} (flat: two
     * {@code +<pair>} elements); with {@code distinct}, a field seen before is left as it is.
     */
    static ReplyMasker pairSampleOf(Map<Reply, Reply> hash, boolean distinct) {
        return reply -> {
            if (!(reply instanceof Reply.Array array)) {
                return reply;
            }
            List<Reply> elements = array.elements();
            boolean nested = !elements.isEmpty() && elements.get(0) instanceof Reply.Array;
            Set<Reply> seen = new HashSet<>();
            List<Reply> masked = new ArrayList<>();
            int step = nested ? 1 : 2;
            for (int i = 0; i + step <= elements.size(); i += step) {
                Reply field = nested ? elements.get(i).asList().get(0) : elements.get(i);
                Reply value = nested ? elements.get(i).asList().get(1) : elements.get(i + 1);
                boolean fresh = seen.add(field) || !distinct;
                boolean valid = value.equals(hash.get(field)) && fresh;
                if (nested) {
                    masked.add(valid ? Reply.status("<pair>") : elements.get(i));
                } else {
                    masked.add(valid ? Reply.status("<pair>") : field);
                    masked.add(valid ? Reply.status("<pair>") : value);
                }
            }
            return new Reply.Array(masked);
        };
    }

    /**
     * A DUMP reduced to its type byte only for the hashtable encodings (type 4 hashes and type 2 sets),
     * whose bytes hold a table's order; a listpack's or an intset's DUMP is left whole, to be compared
     * byte for byte.
     */
    static ReplyMasker dumpTypeOfHashtables() {
        ReplyMasker type = dumpType();
        return reply -> isHashtableDump(reply) ? type.mask(reply) : reply;
    }

    /** Whether {@code reply} is a DUMP payload of a hashtable-encoded hash (type 4) or set (type 2). */
    static boolean isHashtableDump(Reply reply) {
        if (!(reply instanceof Reply.Bulk bulk) || bulk.bytes().length == 0) {
            return false;
        }
        int type = bulk.bytes()[0] & 0xff;
        return type == HASHTABLE_HASH || type == HASHTABLE_SET;
    }
}
