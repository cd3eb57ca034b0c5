package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DUMP and RESTORE of string values against a real redis-server 7.0: our payloads equal its payloads byte
 * for byte, and it accepts ours. Skipped when /usr/bin/redis-server is absent.
 */
class DumpAgainstRedisTest {

    private static RealRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        RealRedis.assumeInstalled();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** The brief's values plus integer edges, LZF edges and compressible text of many shapes. */
    static List<byte[]> values() {
        Random random = new Random(20240607);
        List<byte[]> values = new ArrayList<>();
        for (String s : new String[] {"", "0", "-1", "123", "9223372036854775807", "-9223372036854775808",
                "12345678901234567890", "127", "128", "-128", "-129", "32767", "32768", "-32768", "-32769",
                "2147483647", "2147483648", "-2147483648", "-2147483649", "12345678901", "007", "-0", "+1",
                " 1", "1 ", "1.5", "0x10", "aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaa", "abcdefghijklmnopqrstu",
                "hello world hello world hello world hello world hello world hello world"}) {
            values.add(s.getBytes(ISO_8859_1));
        }
        byte[] tenKb = new byte[10 * 1024];
        Arrays.fill(tenKb, (byte) 'a');
        values.add(tenKb);
        byte[] random100 = new byte[100];
        random.nextBytes(random100);
        values.add(random100);
        byte[] oneMb = new byte[1024 * 1024];
        random.nextBytes(oneMb);
        values.add(oneMb);
        // Compressible data of many lengths: small alphabets, repeated words, long runs, near-incompressible.
        String[] alphabets = {"ab", "abcd", "abcdefgh", "0123456789abcdef", "the quick brown fox "};
        for (int i = 0; i < 300; i++) {
            String alphabet = alphabets[i % alphabets.length];
            int len = 21 + random.nextInt(i < 250 ? 300 : 20000);
            byte[] v = new byte[len];
            for (int j = 0; j < len; j++) {
                v[j] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            values.add(v);
        }
        for (int i = 0; i < 50; i++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 21 + i * 37) {
                sb.append("word").append(random.nextInt(20)).append(' ');
            }
            values.add(sb.toString().getBytes(ISO_8859_1));
        }
        return values;
    }

    @Test
    void dumpOfStringsEqualsRedisDumpByteForByte() throws Exception {
        for (byte[] value : values()) {
            assertEquals("OK", redis.call("SET".getBytes(ISO_8859_1), "k".getBytes(ISO_8859_1), value));
            byte[] theirs = (byte[]) redis.call("DUMP", "k");
            byte[] ours = DumpPayload.ofString(value);
            if (!Arrays.equals(theirs, ours)) {
                assertEquals(hex(theirs), hex(ours), "DUMP of " + preview(value));
            }
        }
    }

    @Test
    void restoreAcceptsOurPayloads() throws Exception {
        for (byte[] value : values()) {
            for (boolean compression : new boolean[] {true, false}) {
                byte[] payload = DumpPayload.create(RdbType.STRING, StringEncoding.encode(value, compression));
                assertEquals("OK", redis.call("RESTORE".getBytes(ISO_8859_1), "r".getBytes(ISO_8859_1),
                        "0".getBytes(ISO_8859_1), payload, "REPLACE".getBytes(ISO_8859_1)));
                assertArrayEquals(value, (byte[]) redis.call("GET", "r"), preview(value));
            }
        }
    }

    @Test
    void restoreRejectsWhatVerifyRejectsWithTheSameError() throws Exception {
        byte[] good = DumpPayload.ofString("hello".getBytes(ISO_8859_1));
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 1] ^= 1;
        byte[] newerVersion = DumpPayload.ofString("hello".getBytes(ISO_8859_1));
        newerVersion[newerVersion.length - 10] = 11;
        byte[] tooShort = Arrays.copyOf(good, 9);
        for (byte[] bad : List.of(badCrc, newerVersion, tooShort)) {
            Object reply = redis.call("RESTORE".getBytes(ISO_8859_1), "bad".getBytes(ISO_8859_1),
                    "0".getBytes(ISO_8859_1), bad);
            assertEquals(new RealRedis.Error(DumpPayload.BAD_VERSION_OR_CHECKSUM), reply);
            assertEquals(false, DumpPayload.verify(bad));
        }
        byte[] olderVersion = DumpPayload.create(RdbType.STRING, StringEncoding.encode("x".getBytes(ISO_8859_1)));
        olderVersion[olderVersion.length - 10] = 9;
        fixCrc(olderVersion);
        assertEquals(true, DumpPayload.verify(olderVersion));
        assertEquals("OK", redis.call("RESTORE".getBytes(ISO_8859_1), "old".getBytes(ISO_8859_1),
                "0".getBytes(ISO_8859_1), olderVersion));
    }

    private static void fixCrc(byte[] payload) {
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        for (int i = 0; i < 8; i++) {
            payload[payload.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String preview(byte[] v) {
        String s = new String(v, 0, Math.min(v.length, 40), ISO_8859_1);
        return "\"" + s + (v.length > 40 ? "...\" (" + v.length + " bytes)" : "\"");
    }
}
