package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DUMP, RESTORE and RESTORE-ASKING over a real socket, replies byte for byte as redis-server 7.0 gives them. */
class DumpRestoreCommandTest {
    private static final String OK = "+OK\r\n";

    /** DUMP payloads redis-server 7.0.15 returned for these values (raw, int, LZF, empty, long number). */
    private static final String[][] REDIS_DUMPS = {
        {"bar", "000362617" + "20a00e6be4960ee66fd17"},
        {"12345", "00c139300a009d94ea2793fc08b9"},
        {"a".repeat(100), "00c30940640161" + "61e05700016161" + "0a00e8a3b507b06df271"},
        {"", "00000a005d9b5c400f7fa2da"},
        {"12345678901", "000b31323334353637383930310a00304e52d727176510"},
    };

    private static MigrationTestCluster cluster;
    private RespClient c;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MigrationTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void connect() {
        cluster.reset();
        c = new RespClient(cluster.port(0));
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    private static String bulk(byte[] b) {
        return "$" + b.length + "\r\n" + new String(b, ISO_8859_1) + "\r\n";
    }

    private static byte[] payloadOf(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return reply.substring(start, reply.length() - 2).getBytes(ISO_8859_1);
    }

    @Test
    void dumpGivesRedisPayloadsAndNilForAMissingKey() {
        assertEquals("$-1\r\n", c.call("DUMP", "{b}missing"));
        for (String[] dump : REDIS_DUMPS) {
            c.call("SET", "{b}k", dump[0]);
            assertEquals(bulk(hex(dump[1])), c.call("DUMP", "{b}k"), dump[0]);
        }
        assertEquals("-MOVED 15495 127.0.0.1:" + cluster.port(2) + "\r\n", c.call("DUMP", "{a}k"));
    }

    @Test
    void restoreRecreatesADumpedValue() {
        for (String[] dump : REDIS_DUMPS) {
            c.call("DEL", "{b}k");
            assertEquals(OK, c.call("RESTORE", "{b}k", "0", hex(dump[1])));
            assertEquals(bulk(dump[0].getBytes(ISO_8859_1)), c.call("GET", "{b}k"));
            assertEquals(":-1\r\n", c.call("PTTL", "{b}k"));
        }
    }

    @Test
    void restoreSetsARelativeOrAbsoluteTtl() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        assertEquals(OK, c.call("RESTORE", "{b}rel", "100000", payload));
        long pttl = Long.parseLong(c.call("PTTL", "{b}rel").substring(1).trim());
        assertTrue(pttl > 0 && pttl <= 100000, "pttl " + pttl);
        long at = System.currentTimeMillis() + 100000;
        assertEquals(OK, c.call("RESTORE", "{b}abs", Long.toString(at), payload, "ABSTTL"));
        assertEquals(":" + at + "\r\n", c.call("PEXPIRETIME", "{b}abs"));
    }

    @Test
    void aTtlAlreadyPastStoresNothingButReplaceStillDeletes() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        assertEquals(OK, c.call("RESTORE", "{b}k", "1", payload, "ABSTTL"));
        assertEquals(":0\r\n", c.call("EXISTS", "{b}k"));
        c.call("SET", "{b}k", "old");
        assertEquals(OK, c.call("RESTORE", "{b}k", "1", payload, "ABSTTL", "REPLACE"));
        assertEquals(":0\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void restoreRefusesAnExistingKeyUnlessReplace() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        c.call("SET", "{b}k", "old");
        c.call("EXPIRE", "{b}k", "1000");
        assertEquals("-BUSYKEY Target key name already exists.\r\n", c.call("RESTORE", "{b}k", "0", payload));
        // BUSYKEY is checked before the TTL and the payload.
        assertEquals("-BUSYKEY Target key name already exists.\r\n", c.call("RESTORE", "{b}k", "-1", "junk"));
        assertEquals(OK, c.call("RESTORE", "{b}k", "0", payload, "REPLACE"));
        assertEquals("$3\r\nbar\r\n", c.call("GET", "{b}k"));
        assertEquals(":-1\r\n", c.call("TTL", "{b}k"));
    }

    @Test
    void restoreChecksItsArgumentsInRedisOrder() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        String syntax = "-ERR syntax error\r\n";
        assertEquals(syntax, c.call("RESTORE", "{b}k", "0", payload, "BOGUS"));
        assertEquals(syntax, c.call("RESTORE", "{b}k", "0", payload, "IDLETIME"));
        assertEquals(syntax, c.call("RESTORE", "{b}k", "0", payload, "IDLETIME", "1", "FREQ", "1"));
        assertEquals(syntax, c.call("RESTORE", "{b}k", "0", payload, "FREQ", "1", "IDLETIME", "1"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
                c.call("RESTORE", "{b}k", "0", payload, "IDLETIME", "x"));
        assertEquals("-ERR Invalid IDLETIME value, must be >= 0\r\n",
                c.call("RESTORE", "{b}k", "0", payload, "IDLETIME", "-1"));
        assertEquals("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n",
                c.call("RESTORE", "{b}k", "0", payload, "FREQ", "256"));
        assertEquals("-ERR value is not an integer or out of range\r\n", c.call("RESTORE", "{b}k", "x", payload));
        assertEquals("-ERR Invalid TTL value, must be >= 0\r\n", c.call("RESTORE", "{b}k", "-1", payload));
        assertEquals("-ERR wrong number of arguments for 'restore' command\r\n", c.call("RESTORE", "{b}k", "0"));
        assertEquals(OK, c.call("RESTORE", "{b}k", "0", payload, "IDLETIME", "10", "ABSTTL", "REPLACE"));
        assertEquals(OK, c.call("RESTORE", "{b}k", "0", payload, "freq", "255", "replace"));
    }

    @Test
    void aDamagedPayloadIsRefused() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        String checksum = "-ERR DUMP payload version or checksum are wrong\r\n";
        byte[] flipped = payload.clone();
        flipped[2] ^= 1;
        assertEquals(checksum, c.call("RESTORE", "{b}k", "0", flipped));
        assertEquals(checksum, c.call("RESTORE", "{b}k", "0", "short"));
        byte[] newer = payload.clone();
        newer[payload.length - 10] = 11;
        assertEquals(checksum, c.call("RESTORE", "{b}k", "0", newer));
        // Good footers around: a string longer than the payload, a footer alone, an unknown type byte.
        String badFormat = "-ERR Bad data format\r\n";
        assertEquals(badFormat, c.call("RESTORE", "{b}k", "0", hex("003f6f6b0a000d6bbde42fe9ad18")));
        assertEquals(badFormat, c.call("RESTORE", "{b}k", "0", hex("0a005d9b5c400f7fa2da")));
        assertEquals(badFormat, c.call("RESTORE", "{b}k", "0", hex("200a00b2ff57ff87b28e31")));
        assertEquals(":0\r\n", c.call("EXISTS", "{b}k"));
    }

    @Test
    void aValueMayRunIntoTheFooterAsRedisReadsIt() {
        // Version 0 and a zero CRC: the type byte 0 and an empty string, read out of the footer itself.
        assertEquals(OK, c.call("RESTORE", "{b}empty", "0", new byte[10]));
        assertEquals("$0\r\n\r\n", c.call("GET", "{b}empty"));
        // A 10-byte string of which 8 bytes are the version and the CRC.
        assertEquals(OK, c.call("RESTORE", "{b}k", "0", hex("000a6f6b0a008c6effe55ecc558f")));
        assertEquals(bulk(hex("6f6b0a008c6effe55ecc")), c.call("GET", "{b}k"));
    }

    @Test
    void restoreAskingIsServedOnAnImportingSlotWhereRestoreIsRedirected() {
        byte[] payload = hex(REDIS_DUMPS[0][1]);
        try (RespClient importing = new RespClient(cluster.port(1))) {
            assertEquals(OK, importing.call("CLUSTER", "SETSLOT", "3564", "IMPORTING", cluster.id(0)));
            try {
                assertEquals("-MOVED 3564 127.0.0.1:" + cluster.port(0) + "\r\n",
                        importing.call("RESTORE", "{j}k", "0", payload));
                assertEquals(OK, importing.call("RESTORE-ASKING", "{j}k", "0", payload));
                assertEquals(OK, importing.call("ASKING"));
                assertEquals("$3\r\nbar\r\n", importing.call("GET", "{j}k"));
            } finally {
                importing.call("CLUSTER", "SETSLOT", "3564", "STABLE");
            }
        }
    }
}
