package dev.clusteremu.server.keyspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.clusteremu.server.resp.RedisNumbers;

/**
 * Redis's value digests (debug.c: xorDigest, mixDigest, xorObjectDigest), which DEBUG DIGEST and
 * DEBUG DIGEST-VALUE print and redis-cli --cluster compares between a migration's source and target. SHA-1
 * based: xor for unordered parts, "mix" (SHA1 of the running digest) where order matters.
 */
public final class ObjectDigest {
    private ObjectDigest() {
    }

    /** The digest of one key's value and expire flag (DEBUG DIGEST-VALUE), or 20 zero bytes for no value. */
    public static byte[] ofValue(RedisObject value, boolean hasExpire) {
        byte[] digest = new byte[20];
        if (value != null) {
            mixValue(digest, value, hasExpire);
        }
        return digest;
    }

    /** Mixes a value and its expire flag into {@code digest} (xorObjectDigest, which continues a digest). */
    private static void mixValue(byte[] digest, RedisObject value, boolean hasExpire) {
        byte[] type = new byte[4];
        int code = value.type().rdbObjectCode();
        type[0] = (byte) (code >>> 24);
        type[1] = (byte) (code >>> 16);
        type[2] = (byte) (code >>> 8);
        type[3] = (byte) code;
        mix(digest, type);
        if (value instanceof StringValue s) {
            mix(digest, s.bytes());
        } else if (value instanceof SetValue set) {
            // Members are unordered: each is xor-ed in on its own, so the order of iteration does not matter.
            for (int i = 0; i < set.size(); i++) {
                xor(digest, set.memberAt(i));
            }
        } else if (value instanceof HashValue hash) {
            // Each pair is mixed in order (field, then value) into a digest of its own, and the pairs'
            // digests are xor-ed in: unordered across pairs, ordered within one.
            hash.forEach((field, v) -> {
                byte[] pair = new byte[20];
                mix(pair, field);
                mix(pair, v);
                xor(digest, pair);
            });
        } else if (value instanceof ListValue list) {
            // Order matters: each element is mixed into the running digest, head to tail.
            ListValue.Cursor cursor = list.cursor(0, true);
            while (cursor.hasNext()) {
                mix(digest, cursor.next());
            }
        } else if (value instanceof ZSetValue zset) {
            // Order does not: each member and its "%.17g" score make a digest of their own, xor-ed in.
            zset.forEachAscending((member, score) -> {
                byte[] element = new byte[20];
                mix(element, member);
                mix(element, RedisNumbers.formatG17(score).getBytes(StandardCharsets.US_ASCII));
                xor(digest, element);
            });
        } else if (value instanceof StreamValue stream) {
            // Each live entry: "ms.seq", then its fields and values in order.
            stream.range(StreamId.MIN, StreamId.MAX, false, e -> {
                mix(digest, (Long.toUnsignedString(e.id().ms()) + "." + Long.toUnsignedString(e.id().seq()))
                        .getBytes(StandardCharsets.US_ASCII));
                for (byte[] part : e.fieldsAndValues()) {
                    mix(digest, part);
                }
                return true;
            });
        } else {
            throw new IllegalStateException("no digest for " + value.type());
        }
        if (hasExpire) {
            xor(digest, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The digest of the whole dataset (computeDatasetDigest): db 0 mixed in, then every key-value xor-ed. */
    public static byte[] ofDataset(Keyspace keyspace) {
        byte[] fin = new byte[20];
        if (keyspace.size() == 0) {
            return fin;
        }
        mix(fin, new byte[4]); // db 0, big-endian
        keyspace.forEachStoredKey(key -> {
            byte[] d = new byte[20];
            mix(d, key);
            mixValue(d, keyspace.peekIncludingExpired(key), keyspace.getExpire(key) != -1);
            xor(fin, d);
        });
        return fin;
    }

    /** Lowercase hex, as DEBUG prints digests. */
    public static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** digest ^= SHA1(data). */
    static void xor(byte[] digest, byte[] data) {
        byte[] hash = sha1(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    /** digest = SHA1(digest ^ SHA1(data)): order-preserving. */
    static void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        System.arraycopy(sha1(digest), 0, digest, 0, 20);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
