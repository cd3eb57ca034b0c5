package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.clusteremu.server.rdb.DumpPayload;
import dev.clusteremu.server.rdb.Listpack;
import dev.clusteremu.server.rdb.RdbType;
import dev.clusteremu.server.rdb.StringEncoding;

/**
 * DUMP and RESTORE of lists and sorted sets between a real redis-server 7.0 and the emulator: a payload
 * either one produced restores on both to the same value, and dumps again to the same bytes; payloads in
 * the encodings only older Redis versions wrote (linked lists, ziplists, quicklists of ziplists, text
 * scores) load alike on both; broken ones are refused alike. Keys share the {d} tag.
 */
@ExtendWith(DifferentialExtension.class)
class ListAndSortedSetDumpDifferentialTest {

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    /** Builds values of every layout on the reference only; returns their keys. */
    private static List<String> buildOnReference(DifferentialSession session) {
        RespClient r = session.referenceClient();
        List<String> keys = new ArrayList<>();
        r.call("RPUSH", "{d}small", "a", "1", "-1", "200", "hello", "");
        keys.add("{d}small");
        List<String> push = new ArrayList<>(List.of("RPUSH", "{d}big"));
        for (int i = 0; i < 600; i++) {
            push.add(i % 4 == 0 ? Integer.toString(i * 1_000_003) : "v" + "q".repeat(i % 150));
        }
        r.call(push.toArray(String[]::new));
        r.call("LINSERT", "{d}big", "AFTER", "v" + "q".repeat(75), "inserted");
        r.call("LSET", "{d}big", "300", "z".repeat(5000));
        keys.add("{d}big");
        r.call("ZADD", "{d}zlp", "1", "a", "2.5", "b", "-0", "c", "inf", "d", "1e20", "e", "0.1", "f");
        keys.add("{d}zlp");
        List<String> zadd = new ArrayList<>(List.of("ZADD", "{d}zsl"));
        for (int i = 0; i < 300; i++) {
            zadd.add(i % 3 == 0 ? Integer.toString(i) : i + ".25");
            zadd.add("member-" + i);
        }
        r.call(zadd.toArray(String[]::new));
        r.call("ZADD", "{d}zsl", "-0", "negative-zero");
        keys.add("{d}zsl");
        return keys;
    }

    private static void compareContents(DifferentialSession session, String key) {
        session.check("TYPE", key);
        String type = session.referenceClient().call("TYPE", key).asString();
        if (type.equals("list")) {
            session.check("LRANGE", key, "0", "-1");
        } else {
            session.check("ZRANGE", key, "0", "-1", "WITHSCORES");
        }
        session.check("DUMP", key);
    }

    @Test
    void realPayloadsRestoreIntoTheEmulatorAndDumpBackIdentically(DifferentialSession session) {
        for (String key : buildOnReference(session)) {
            byte[] payload = ((Reply.Bulk) session.referenceClient().call("DUMP", key)).bytes();
            session.check(b("RESTORE"), b(key + "-copy"), b("0"), payload);
            session.check(b("RESTORE"), b(key + "-copy"), b("0"), payload);
            compareContents(session, key + "-copy");
        }
    }

    @Test
    void emulatorPayloadsRestoreIntoRealRedis(DifferentialSession session) {
        List<String> keys = buildOnReference(session);
        for (String key : keys) {
            byte[] payload = ((Reply.Bulk) session.referenceClient().call("DUMP", key)).bytes();
            session.candidateClient().call(b("RESTORE"), b(key), b("0"), payload);
        }
        for (String key : keys) {
            byte[] emulated = ((Reply.Bulk) session.candidateClient().call("DUMP", key)).bytes();
            session.check(b("RESTORE"), b(key + "-back"), b("0"), emulated, b("REPLACE"));
            compareContents(session, key + "-back");
        }
    }

    /** A ziplist of strings shorter than 64 bytes, as Redis before 7.0 wrote small lists and zsets. */
    private static byte[] ziplist(String... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int previous = 0;
        int lastOffset = 10;
        for (String e : entries) {
            lastOffset = 10 + body.size();
            byte[] data = b(e);
            body.write(previous);
            body.write(data.length);
            body.writeBytes(data);
            previous = 2 + data.length;
        }
        int total = 11 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeLe(out, total, 4);
        writeLe(out, lastOffset, 4);
        writeLe(out, entries.length, 2);
        out.writeBytes(body.toByteArray());
        out.write(0xff);
        return out.toByteArray();
    }

    private static void writeLe(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static byte[] payload(int type, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return DumpPayload.create(type, out.toByteArray());
    }

    private static byte[] string(byte[] s) {
        return StringEncoding.encode(s, false);
    }

    private static byte[] length(int n) {
        return new byte[] {(byte) n};
    }

    @Test
    void oldListEncodingsLoadAlike(DifferentialSession session) {
        List<byte[]> payloads = List.of(
                payload(RdbType.LIST, length(3), string(b("a")), string(b("42")), string(b("c"))),
                payload(RdbType.LIST_ZIPLIST, string(ziplist("x", "1", "y", "2", "z"))),
                payload(RdbType.LIST_QUICKLIST, length(3), string(ziplist("a", "b")), string(ziplist()),
                        string(ziplist("c"))),
                payload(RdbType.LIST_QUICKLIST_2, length(2), length(2), string(Listpack.encode(List.of(b("x"),
                        b("7")))), length(1), string(b("plain"))),
                payload(RdbType.LIST, length(0)),
                payload(RdbType.LIST_ZIPLIST, string(ziplist())),
                payload(RdbType.LIST_QUICKLIST, length(1), string(ziplist())));
        int i = 0;
        for (byte[] p : payloads) {
            String key = "{d}old" + i++;
            session.check(b("RESTORE"), b(key), b("0"), p);
            session.check("EXISTS", key);
            session.check("LRANGE", key, "0", "-1");
            session.check("DUMP", key);
        }
    }

    @Test
    void oldSortedSetEncodingsLoadAlike(DifferentialSession session) {
        byte[] textScores = new byte[] {2, 1, 'a', 3, '1', '.', '5', 1, 'b', (byte) 254};
        List<byte[]> payloads = List.of(
                payload(RdbType.ZSET, textScores),
                payload(RdbType.ZSET_ZIPLIST, string(ziplist("a", "1", "b", "2.5", "c", "-3"))),
                payload(RdbType.ZSET_ZIPLIST, string(ziplist("odd", "1", "count"))),
                payload(RdbType.ZSET_ZIPLIST, string(ziplist())),
                payload(RdbType.ZSET_2, length(0)),
                payload(RdbType.ZSET, new byte[] {1, 1, 'n', (byte) 253}));
        int i = 0;
        for (byte[] p : payloads) {
            String key = "{d}oldz" + i++;
            session.check(b("RESTORE"), b(key), b("0"), p);
            session.check("EXISTS", key);
            session.check("ZRANGE", key, "0", "-1", "WITHSCORES");
            session.check("DUMP", key);
        }
    }

    @Test
    void restoredSetsTakeTheConfiguredEncoding(DifferentialSession session) {
        buildOnReference(session);
        byte[] big = ((Reply.Bulk) session.referenceClient().call("DUMP", "{d}zsl")).bytes();
        byte[] small = ((Reply.Bulk) session.referenceClient().call("DUMP", "{d}zlp")).bytes();
        session.check("CONFIG", "SET", "zset-max-listpack-entries", "1000");
        session.check(b("RESTORE"), b("{d}was-skiplist"), b("0"), big);
        session.check("DUMP", "{d}was-skiplist");
        session.check("CONFIG", "SET", "zset-max-listpack-entries", "2");
        session.check(b("RESTORE"), b("{d}was-listpack"), b("0"), small);
        session.check("DUMP", "{d}was-listpack");
        session.check("CONFIG", "SET", "zset-max-listpack-entries", "128");
        session.check("CONFIG", "SET", "list-max-listpack-size", "3");
        session.check(b("RESTORE"), b("{d}list-fill"), b("0"),
                payload(RdbType.LIST_ZIPLIST, string(ziplist("1", "2", "3", "4", "5", "6", "7"))));
        session.check("DUMP", "{d}list-fill");
        session.check("RPUSH", "{d}list-fill", "8");
        session.check("DUMP", "{d}list-fill");
        session.check("CONFIG", "SET", "list-max-listpack-size", "-2");
    }

    @Test
    void payloadsOfAListAndASortedSetAreWhatTheEmulatorWrites(DifferentialSession session) {
        session.check("RPUSH", "{d}l", "a", "b");
        session.check("ZADD", "{d}z", "1", "a");
        RespClient e = session.candidateClient();
        assertEquals(RdbType.LIST_QUICKLIST_2, ((Reply.Bulk) e.call("DUMP", "{d}l")).bytes()[0]);
        assertEquals(RdbType.ZSET_LISTPACK, ((Reply.Bulk) e.call("DUMP", "{d}z")).bytes()[0]);
    }
}
