package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** DEBUG DIGEST-VALUE of hashes and sets, against values printed by redis-server 7.0. */
class ObjectDigestTest {

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    @Test
    void aSetDigestIsRedisWhateverItsEncodingAndOrder() {
        SetValue intset = SetValue.createIntset();
        SetValue table = SetValue.createHashtable(0);
        for (String m : new String[] {"3", "1", "2"}) {
            intset.add(b(m), 512);
            table.add(b(m), 512);
        }
        assertEquals("2a462a3f51a1db89738ebbeef0c47ce1bbc85246", ObjectDigest.hex(ObjectDigest.ofValue(intset, false)));
        assertEquals("2a462a3f51a1db89738ebbeef0c47ce1bbc85246", ObjectDigest.hex(ObjectDigest.ofValue(table, false)));
    }

    @Test
    void aHashDigestIsRedisWithAndWithoutAnExpire() {
        HashValue h = HashValue.create();
        h.set(b("b"), b("2"), 512, 64);
        h.set(b("a"), b("1"), 512, 64);
        assertEquals("6c8f22b3bf510fdcfd6122dd0f908a80e88243bf", ObjectDigest.hex(ObjectDigest.ofValue(h, false)));
        h.convertToHashtable();
        assertEquals("6c8f22b3bf510fdcfd6122dd0f908a80e88243bf", ObjectDigest.hex(ObjectDigest.ofValue(h, false)));
        HashValue expiring = HashValue.create();
        expiring.set(b("a"), b("1"), 512, 64);
        expiring.set(b("b"), b("2"), 512, 64);
        assertEquals("8a0adc4c6368e5883c77c9254afa451bf22c023c",
                ObjectDigest.hex(ObjectDigest.ofValue(expiring, true)));
    }
}
