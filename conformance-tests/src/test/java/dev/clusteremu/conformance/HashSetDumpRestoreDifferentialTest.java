package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.StringEncoding;

/**
 * DUMP and RESTORE of hashes and sets between the emulator and redis-server 7.0. Payloads of listpack hashes
 * and intsets are equal byte for byte (checked in the command tests); here both servers RESTORE the same
 * payloads, Redis's own and hand-made ones in the encodings Redis 7.0 no longer writes (ziplist and zipmap
 * hashes), and must then hold the same data in the same encoding, or refuse the payload alike. A payload of
 * a hashtable encoding holds its table's order, which differs between servers; it is compared by its type
 * byte and by the data it restores to.
 */
@ExtendWith(DifferentialExtension.class)
class HashSetDumpRestoreDifferentialTest {

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    /** The reference's DUMP of {@code key}. */
    private static byte[] referenceDump(DifferentialSession session, String key) {
        return ((Reply.Bulk) session.referenceClient().call("DUMP", key)).bytes();
    }

    /** RESTORE {@code key} 0 {@code payload} on both, compared. */
    private static void restore(DifferentialSession session, String key, byte[] payload) {
        session.check(bytes("RESTORE"), bytes(key), bytes("0"), payload);
    }

    /** HSET {@code key} with {@code n} fields on the reference only, 100 per command. */
    private static void fillReferenceHash(DifferentialSession session, String key, int n, String valuePrefix) {
        for (int from = 0; from < n; from += 100) {
            List<String> argv = new ArrayList<>(List.of("HSET", key));
            for (int i = from; i < Math.min(n, from + 100); i++) {
                argv.add("f" + i);
                argv.add(valuePrefix + i);
            }
            session.referenceClient().call(argv.toArray(String[]::new));
        }
    }

    /** SADD {@code key} with members {@code prefix}0.. on the reference only, 100 per command. */
    private static void fillReferenceSet(DifferentialSession session, String key, int n, String prefix) {
        for (int from = 0; from < n; from += 100) {
            List<String> argv = new ArrayList<>(List.of("SADD", key));
            for (int i = from; i < Math.min(n, from + 100); i++) {
                argv.add(prefix + i);
            }
            session.referenceClient().call(argv.toArray(String[]::new));
        }
    }

    /**
     * A ziplist of {@code elements}: Strings as 6-bit strings, Integers 0-12 in the encoding byte and others
     * as 16-bit integers, each entry after its 1-byte previous length.
     */
    private static byte[] ziplist(Object... elements) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        int previous = 0;
        int tail = 10;
        for (Object e : elements) {
            tail = 10 + entries.size();
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            entry.write(previous);
            if (e instanceof String s) {
                entry.write(s.length());
                entry.writeBytes(bytes(s));
            } else if ((Integer) e >= 0 && (Integer) e <= 12) {
                entry.write(0xF1 + (Integer) e);
            } else {
                entry.write(0xC0);
                entry.write((Integer) e & 0xff);
                entry.write(((Integer) e >> 8) & 0xff);
            }
            previous = entry.size();
            entries.writeBytes(entry.toByteArray());
        }
        int total = 10 + entries.size() + 1;
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        writeLE(zl, total, 4);
        writeLE(zl, tail, 4);
        writeLE(zl, elements.length, 2);
        zl.writeBytes(entries.toByteArray());
        zl.write(0xFF);
        return zl.toByteArray();
    }

    /** A zipmap of field/value pairs, lengths of 254 and more in five bytes, no free bytes. */
    private static byte[] zipmap(String... pairs) {
        ByteArrayOutputStream zm = new ByteArrayOutputStream();
        zm.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i++) {
            byte[] s = bytes(pairs[i]);
            if (s.length < 254) {
                zm.write(s.length);
            } else {
                zm.write(254);
                writeLE(zm, s.length, 4);
            }
            if (i % 2 == 1) {
                zm.write(0);
            }
            zm.writeBytes(s);
        }
        zm.write(0xFF);
        return zm.toByteArray();
    }

    private static void writeLE(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** A DUMP payload of a value saved as one string (a listpack, ziplist, zipmap or intset blob). */
    private static byte[] blobPayload(int type, byte[] blob) {
        return DumpPayload.create(type, StringEncoding.encode(blob));
    }

    @Test
    void listpackHashesAndIntsetsRestoreToTheSameBytes(DifferentialSession session) {
        session.referenceClient().call("HSET", "h", "a", "1", "b", "-70000", "c", "x".repeat(40));
        session.referenceClient().call("SADD", "s", "5", "-100000", "3");
        restore(session, "h2", referenceDump(session, "h"));
        restore(session, "s2", referenceDump(session, "s"));
        session.check("DUMP", "h2");
        session.check("DUMP", "s2");
        session.check("HGETALL", "h2");
        session.check("SMEMBERS", "s2");
        byte[] candidateDump = ((Reply.Bulk) session.candidateClient().call("DUMP", "h2")).bytes();
        restore(session, "h3", candidateDump);
        session.check("DUMP", "h3");
    }

    @Test
    void hashtablePayloadsOfRedisRestoreToTheSameData(DifferentialSession session) {
        fillReferenceHash(session, "h", 600, "v");
        fillReferenceSet(session, "s", 700, "m");
        fillReferenceSet(session, "ints", 600, "");
        restore(session, "h2", referenceDump(session, "h"));
        restore(session, "s2", referenceDump(session, "s"));
        restore(session, "ints2", referenceDump(session, "ints"));
        session.checkMasked(CollectionMaskers.unorderedPairs(), "HGETALL", "h2");
        session.checkMasked(ReplyMasker.unordered(), "SMEMBERS", "s2");
        session.checkMasked(ReplyMasker.unordered(), "SMEMBERS", "ints2");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "h2");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "s2");
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "ints2");
        session.check("HLEN", "h2");
        session.check("SCARD", "s2");
        restore(session, "h2", referenceDump(session, "h"));
        session.check("RESTORE", "h2", "0", "x", "REPLACE");
    }

    @Test
    void restoredValuesTakeTheEncodingTheLimitsGiveThem(DifferentialSession session) {
        fillReferenceHash(session, "table", 600, "v");
        byte[] table = referenceDump(session, "table");
        fillReferenceSet(session, "intTable", 600, "");
        byte[] intTable = referenceDump(session, "intTable");
        session.referenceClient().call("HSET", "small", "a", "1", "b", "2", "c", "3");
        byte[] small = referenceDump(session, "small");
        session.referenceClient().call("SADD", "smallSet", "1", "2", "3");
        byte[] smallSet = referenceDump(session, "smallSet");
        try {
            // A type 4 hash or type 2 set within the limits loads as a listpack or an intset, in the payload's
            // order: the same payload gives the same bytes on both.
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "1000", "set-max-intset-entries", "1000");
            restore(session, "r:table", table);
            session.check("DUMP", "r:table");
            restore(session, "r:intTable", intTable);
            session.check("DUMP", "r:intTable");
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "2", "set-max-intset-entries", "2");
            restore(session, "r:small", small);
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "r:small");
            restore(session, "r:smallSet", smallSet);
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "r:smallSet");
        } finally {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "512", "set-max-intset-entries", "512");
        }
    }

    @Test
    void aHashtablePayloadConvertsAtItsFirstLongFieldOrValueOrNonIntegerMember(DifferentialSession session) {
        fillReferenceHash(session, "h", 520, "v");
        session.referenceClient().call("HSET", "h", "long", "x".repeat(100));
        session.referenceClient().call("SADD", "s", "word");
        fillReferenceSet(session, "s", 600, "");
        byte[] hash = referenceDump(session, "h");
        byte[] set = referenceDump(session, "s");
        try {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "1000", "set-max-intset-entries", "1000");
            restore(session, "r:h", hash);
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "r:h");
            session.check("HGET", "r:h", "long");
            restore(session, "r:s", set);
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "r:s");
            session.check("SISMEMBER", "r:s", "word");
        } finally {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "512", "set-max-intset-entries", "512");
        }
    }

    @Test
    void ziplistAndZipmapHashesOfOlderRedisLoadAsListpacks(DifferentialSession session) {
        restore(session, "zl", blobPayload(RdbType.HASH_ZIPLIST, ziplist("name", "redis", "ver", 7, "n", -300)));
        session.check("DUMP", "zl");
        session.check("HGETALL", "zl");
        restore(session, "zm", blobPayload(RdbType.HASH_ZIPMAP, zipmap("a", "1", "bb", "hello", "c", "")));
        session.check("DUMP", "zm");
        session.check("HGETALL", "zm");
        // A zipmap with a value over hash-max-listpack-value is a hashtable once loaded; a ziplist is not.
        restore(session, "zmLong", blobPayload(RdbType.HASH_ZIPMAP, zipmap("f", "v".repeat(300), "g", "w")));
        session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "zmLong");
        session.check("HGET", "zmLong", "f");
        byte[] longZiplist = ziplist("f", "v".repeat(63), "g", "w".repeat(63));
        restore(session, "zlLong", blobPayload(RdbType.HASH_ZIPLIST, longZiplist));
        session.check("DUMP", "zlLong");
        try {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "1");
            restore(session, "zlMany", blobPayload(RdbType.HASH_ZIPLIST, ziplist("a", 1, "b", 2)));
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "zlMany");
            restore(session, "zmMany", blobPayload(RdbType.HASH_ZIPMAP, zipmap("a", "1", "b", "2")));
            session.checkMasked(CollectionMaskers.dumpType(), "DUMP", "zmMany");
        } finally {
            session.check("CONFIG", "SET", "hash-max-listpack-entries", "512");
        }
    }

    @Test
    void emptyAndMalformedPayloadsAreRefusedAlike(DifferentialSession session) {
        restore(session, "emptyZiplist", blobPayload(RdbType.HASH_ZIPLIST, ziplist()));
        restore(session, "emptyListpack", blobPayload(RdbType.HASH_LISTPACK, new byte[] {7, 0, 0, 0, 0, 0, -1}));
        restore(session, "badListpackLength", blobPayload(RdbType.HASH_LISTPACK, new byte[] {9, 0, 0, 0, 0, 0, -1}));
        restore(session, "emptyIntset", blobPayload(RdbType.SET_INTSET, new byte[] {2, 0, 0, 0, 0, 0, 0, 0}));
        restore(session, "badWidth", blobPayload(RdbType.SET_INTSET, new byte[] {3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0}));
        restore(session, "shortIntset", blobPayload(RdbType.SET_INTSET, new byte[] {2, 0, 0, 0, 2, 0, 0, 0, 1, 0}));
        restore(session, "emptyZipmap", blobPayload(RdbType.HASH_ZIPMAP, new byte[] {0, -1}));
        restore(session, "emptyTable", DumpPayload.create(RdbType.HASH, new byte[] {0}));
        restore(session, "emptySet", DumpPayload.create(RdbType.SET, new byte[] {0}));
        restore(session, "truncatedSet", DumpPayload.create(RdbType.SET, new byte[] {3, 1, 'a'}));
        byte[] good = blobPayload(RdbType.SET_INTSET, new byte[] {2, 0, 0, 0, 1, 0, 0, 0, 1, 0});
        restore(session, "good", good);
        good[good.length - 1] ^= 1;
        restore(session, "badChecksum", good);
        session.check("DBSIZE");
    }
}
