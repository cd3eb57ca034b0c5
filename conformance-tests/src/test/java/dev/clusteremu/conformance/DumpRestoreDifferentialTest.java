package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DUMP, RESTORE, RESTORE-ASKING, the replies MIGRATE gives without reaching a target, and the FUNCTION
 * family as {@code redis-cli --cluster add-node} uses it: every reply byte for byte as a real redis-server
 * 7.0 gives it.
 */
@ExtendWith(DifferentialExtension.class)
class DumpRestoreDifferentialTest {

    private static final ReplyMasker PTTL_100S = ReplyMasker.integerWithin(1, 100_000);

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    /** Values covering every string encoding: int, embstr, raw, LZF-compressed, binary. */
    private static byte[][] values() {
        byte[] random = new byte[300];
        new Random(7).nextBytes(random);
        return new byte[][] {bytes("0"), bytes("-1"), bytes("127"), bytes("128"), bytes("-32768"), bytes("65535"),
            bytes("2147483647"), bytes("-2147483649"), bytes("9223372036854775807"), bytes("0123"), bytes("+5"),
            bytes("-0"), bytes(" 1"), bytes(""), bytes("bar"), bytes("x".repeat(44)), bytes("x".repeat(45)),
            bytes("ab".repeat(11)), bytes("abc".repeat(1000)), random, new byte[] {0, '\r', '\n', (byte) 0xff}};
    }

    @Test
    void dumpOfEveryStringEncodingIsRedisPayload(DifferentialSession session) {
        session.check("DUMP", "missing");
        for (byte[] value : values()) {
            session.check(bytes("SET"), bytes("k"), value);
            session.check("DUMP", "k");
        }
        session.check("SET", "n", "10");
        session.check("INCRBYFLOAT", "n", "0.5");
        session.check("DUMP", "n");
        session.check("APPEND", "n", "1");
        session.check("DUMP", "n");
        session.check("INCR", "counter");
        session.check("DUMP", "counter");
    }

    @Test
    void restoreRecreatesEveryDumpedValue(DifferentialSession session) {
        for (byte[] value : values()) {
            session.check(bytes("SET"), bytes("k"), value);
            Reply dump = session.check("DUMP", "k");
            byte[] payload = ((Reply.Bulk) dump).bytes();
            session.check(bytes("RESTORE"), bytes("copy"), bytes("0"), payload, bytes("REPLACE"));
            session.check("GET", "copy");
            session.check("DUMP", "copy");
            session.check("STRLEN", "copy");
        }
    }

    @Test
    void restoreTtlOptions(DifferentialSession session) {
        byte[] payload = hex("00036261720a00e6be4960ee66fd17");
        session.check(bytes("RESTORE"), bytes("rel"), bytes("100000"), payload);
        session.checkMasked(PTTL_100S, "PTTL", "rel");
        String at = Long.toString(System.currentTimeMillis() + 100_000);
        session.check(bytes("RESTORE"), bytes("abs"), bytes(at), payload, bytes("ABSTTL"));
        session.check("PEXPIRETIME", "abs");
        session.check(bytes("RESTORE"), bytes("past"), bytes("1"), payload, bytes("ABSTTL"));
        session.check("EXISTS", "past");
        session.check("SET", "old", "x");
        session.check(bytes("RESTORE"), bytes("old"), bytes("1"), payload, bytes("ABSTTL"), bytes("REPLACE"));
        session.check("EXISTS", "old");
        session.check(bytes("RESTORE"), bytes("idle"), bytes("0"), payload, bytes("IDLETIME"), bytes("100"));
        session.check(bytes("RESTORE"), bytes("freq"), bytes("0"), payload, bytes("FREQ"), bytes("100"));
        session.check("GET", "idle");
        session.check("TTL", "freq");
    }

    @Test
    void restoreErrorsInRedisOrder(DifferentialSession session) {
        byte[] payload = hex("00036261720a00e6be4960ee66fd17");
        session.check("SET", "busy", "x");
        session.check(bytes("RESTORE"), bytes("busy"), bytes("0"), payload);
        session.check(bytes("RESTORE"), bytes("busy"), bytes("-1"), bytes("junk"));
        session.check(bytes("RESTORE"), bytes("busy"), bytes("0"), payload, bytes("BOGUS"));
        for (String[] options : new String[][] {{"BOGUS"}, {"IDLETIME"}, {"FREQ"}, {"IDLETIME", "x"},
                {"IDLETIME", "-1"}, {"FREQ", "-1"}, {"FREQ", "256"}, {"IDLETIME", "1", "FREQ", "1"},
                {"FREQ", "1", "IDLETIME", "1"}, {"REPLACE", "ABSTTL", "REPLACE"}, {"replace\0junk"}}) {
            byte[][] argv = new byte[4 + options.length][];
            argv[0] = bytes("RESTORE");
            argv[1] = bytes("k");
            argv[2] = bytes("0");
            argv[3] = payload;
            for (int i = 0; i < options.length; i++) {
                argv[4 + i] = bytes(options[i]);
            }
            session.check(argv);
            session.check("DEL", "k");
        }
        session.check(bytes("RESTORE"), bytes("k"), bytes("x"), payload);
        session.check(bytes("RESTORE"), bytes("k"), bytes("-1"), payload);
        session.check("RESTORE", "k", "0");
        session.check("RESTORE-ASKING", "k", "0");
    }

    @Test
    void damagedPayloadsAndPayloadsReadIntoTheirFooter(DifferentialSession session) {
        byte[] payload = hex("00036261720a00e6be4960ee66fd17");
        byte[] flipped = payload.clone();
        flipped[2] ^= 1;
        byte[] newer = payload.clone();
        newer[payload.length - 10] = 11;
        for (byte[] bad : new byte[][] {flipped, newer, bytes("short"), new byte[0], hex("003f6f6b0a000d6bbde42fe9ad18"),
                hex("0a005d9b5c400f7fa2da"), hex("200a00b2ff57ff87b28e31"), new byte[10],
                hex("000a6f6b0a008c6effe55ecc558f")}) {
            session.check(bytes("RESTORE"), bytes("k"), bytes("0"), bad);
            session.check("GET", "k");
            session.check("DEL", "k");
        }
    }

    @Test
    void restoreAskingActsAsRestoreOnAnOwnedSlot(DifferentialSession session) {
        byte[] payload = hex("00036261720a00e6be4960ee66fd17");
        session.check(bytes("RESTORE-ASKING"), bytes("k"), bytes("0"), payload);
        session.check(bytes("RESTORE-ASKING"), bytes("k"), bytes("0"), payload);
        session.check(bytes("RESTORE-ASKING"), bytes("k"), bytes("100000"), payload, bytes("REPLACE"));
        session.checkMasked(PTTL_100S, "PTTL", "k");
    }

    @Test
    void migrateRepliesThatNeedNoTarget(DifferentialSession session) {
        int closed = closedPort();
        String port = Integer.toString(closed);
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000");
        session.check("MIGRATE", "127.0.0.1", port, "", "0", "1000", "KEYS", "a", "b");
        session.check("SET", "k", "v");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000", "BOGUS");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000", "AUTH");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000", "AUTH2", "user");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000", "COPY", "KEYS", "k");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "x");
        session.check("MIGRATE", "127.0.0.1", port, "k", "x", "1000");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0");
        session.check("MIGRATE", "127.0.0.1", port, "k", "0", "1000");
        session.check("MIGRATE", "127.0.0.1", port, "", "0", "1000", "COPY", "REPLACE", "KEYS", "k", "other");
        session.check("MIGRATE", "127.0.0.1", "-1", "k", "0", "1000");
        session.check("MIGRATE", "nosuchhost.invalid", port, "k", "0", "1000");
        session.check("GET", "k");
    }

    @Test
    void commandTableRowsMatchRedis(DifferentialSession session) {
        session.check("COMMAND", "INFO", "dump", "restore", "restore-asking", "migrate");
        session.check("COMMAND", "GETKEYS", "MIGRATE", "127.0.0.1", "6379", "k", "0", "1000");
        session.check("COMMAND", "GETKEYS", "MIGRATE", "127.0.0.1", "6379", "", "0", "1000", "COPY", "AUTH2", "u", "p",
                "KEYS", "a", "b");
        session.check("COMMAND", "GETKEYS", "RESTORE-ASKING", "k", "0", "payload");
        session.check("COMMAND", "INFO", "function|dump", "function|list", "function|restore", "function|flush");
    }

    @Test
    void theFunctionFamilyAsAddNodeUsesIt(DifferentialSession session) {
        session.check("FUNCTION", "LIST");
        session.check("FUNCTION", "LIST", "WITHCODE");
        session.check("FUNCTION", "LIST", "LIBRARYNAME", "x*", "WITHCODE");
        Reply dump = session.check("FUNCTION", "DUMP");
        byte[] empty = ((Reply.Bulk) dump).bytes();
        session.check(bytes("FUNCTION"), bytes("RESTORE"), empty);
        for (String policy : new String[] {"FLUSH", "APPEND", "replace", "other"}) {
            session.check(bytes("FUNCTION"), bytes("RESTORE"), empty, bytes(policy));
        }
        session.check("FUNCTION", "RESTORE", "junk");
        session.check("FUNCTION", "RESTORE", "a", "b", "c");
        session.check(bytes("FUNCTION"), bytes("RESTORE"), hex("00036261720a00e6be4960ee66fd17"));
        session.check("FUNCTION", "LIST", "LIBRARYNAME");
        session.check("FUNCTION", "LIST", "bogus");
        session.check("FUNCTION", "FLUSH");
        session.check("FUNCTION", "FLUSH", "SYNC");
        session.check("FUNCTION", "FLUSH", "later");
        session.check("FUNCTION", "DELETE", "nolib");
        session.check("FUNCTION", "HELP");
        session.check("FUNCTION", "DUMP");
        for (String code : new String[] {"#!py name=x\nfoo", "#!lua name=x", "lua name=x\n", "#!lua name=x-y\n",
                "#!lua foo=x\n", "#!lua\n", "#!lua name=a name=b\n"}) {
            session.check("FUNCTION", "LOAD", code);
        }
        session.check("FUNCTION", "LOAD", "bogus", "#!lua name=a\n");
        session.check("FUNCTION", "LOAD", "REPLACE");
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
