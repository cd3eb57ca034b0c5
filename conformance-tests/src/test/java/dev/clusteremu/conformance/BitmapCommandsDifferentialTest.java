package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO: every reply, error and the strings they
 * leave behind (read back with GET and DUMP), compared byte for byte with a real redis-server 7.0.
 */
@ExtendWith(DifferentialExtension.class)
class BitmapCommandsDifferentialTest {

    /** Runs each line of {@code script} (words separated by spaces) as one checked command. */
    private static void run(DifferentialSession session, String script) {
        for (String line : script.strip().split("\n")) {
            session.check(line.strip().split(" +"));
        }
    }

    @Test
    void setbitGrowsTheStringAndRepliesTheOldBit(DifferentialSession session) {
        run(session, """
                SETBIT b 7 1
                SETBIT b 7 1
                SETBIT b 7 0
                SETBIT b 100 1
                GET b
                STRLEN b
                SETBIT b 0 1
                GET b
                DUMP b
                GETBIT b 0
                GETBIT b 1
                GETBIT b 100
                GETBIT b 1000000
                GETBIT missing 5
                SET n 123
                GETBIT n 2
                SETBIT n 2 0
                GET n
                SET e abc EX 100
                SETBIT e 3 1
                TTL e
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SETBIT b -1 1", "SETBIT b x 1", "SETBIT b 1 2", "SETBIT b 1 -1", "SETBIT b 1 x",
        "SETBIT b 4294967296 1", "SETBIT b 4294967295 1", "GETBIT b -1", "GETBIT b 4294967296", "GETBIT b #1",
        "SETBIT b 1", "GETBIT b", "SETBIT h 1 1", "GETBIT h 1", "SETBIT b 01 1", "SETBIT b 1 01"})
    void bitArgumentsAreCheckedBeforeTheType(String command, DifferentialSession session) {
        session.check("XADD", "h", "1-1", "f", "v");
        session.check(command.split(" "));
        session.check("EXISTS", "b");
    }

    @Test
    void setbitPastProtoMaxBulkLenIsRefused(DifferentialSession session) {
        session.check("CONFIG", "SET", "proto-max-bulk-len", "1048576");
        try {
            run(session, """
                    SETBIT b 8388607 1
                    SETBIT b 8388608 1
                    STRLEN b
                    BITFIELD b SET u8 8388600 1
                    BITFIELD b SET u8 #1048576 1
                    """);
        } finally {
            session.check("CONFIG", "SET", "proto-max-bulk-len", "536870912");
        }
    }

    @Test
    void bitcountCountsWholeStringsAndByteOrBitRanges(DifferentialSession session) {
        session.check("SET", "s", "foobar");
        String[] ranges = {"", "0 0", "1 1", "0 -1", "-2 -1", "-1 -2", "5 30", "-100 100", "2 1", "0 0 BIT",
            "5 30 BIT", "1 1 bit", "0 47 BIT", "-5 -1 BIT", "3 3 BIT", "7 8 BIT", "0 0 BYTE", "1 2 byte",
            "-3 -20 BOGUS", "0 0 BOGUS", "0", "0 1 BIT x", "a 1", "1 a", "0 9223372036854775807 BIT"};
        for (String range : ranges) {
            session.check(("BITCOUNT s " + range).strip().split(" "));
        }
        run(session, """
                BITCOUNT missing
                BITCOUNT missing 0
                BITCOUNT missing a b
                SET n 12345
                BITCOUNT n
                BITCOUNT n 1 2 BIT
                SET empty ""
                XADD h 1-1 f v
                BITCOUNT h
                BITCOUNT h 0
                """);
    }

    @Test
    void bitposFindsTheFirstSetOrClearBit(DifferentialSession session) {
        session.check("SET", "s", "\u0000\u00ff\u00f0");
        session.check("SET", "ones", "\u00ff\u00ff\u00ff");
        session.check("SET", "zeros", "\u0000\u0000");
        String[] args = {"1", "0", "1 1", "0 1", "1 2", "0 2", "1 0 -1", "0 0 -1", "1 -1", "0 -1", "1 2 1",
            "1 0 0 BIT", "1 7 9 BIT", "1 8 9 BIT", "0 8 15 BIT", "0 8 20 BIT", "0 12 23 bit", "1 20 23 BIT",
            "1 0 0 BYTE", "1 1 1 byte", "1 1 1 BOGUS", "0 -10 -1 BIT", "0 -100 100", "0 5", "1 5"};
        for (String key : new String[] {"s", "ones", "zeros"}) {
            for (String a : args) {
                session.check(("BITPOS " + key + " " + a).split(" "));
            }
        }
        run(session, """
                BITPOS missing 1
                BITPOS missing 0
                BITPOS missing 0 a b
                BITPOS s 2
                BITPOS s x
                BITPOS s -1
                BITPOS s 1 a
                BITPOS s 1 0 a
                BITPOS s 1 0 1 BIT x
                SET n 7
                BITPOS n 1
                XADD h 1-1 f v
                BITPOS h 1
                BITPOS h 2
                """);
        session.check("SET", "empty", "");
        session.check("BITPOS", "empty", "0");
        session.check("BITPOS", "empty", "1");
        session.check("BITPOS", "empty", "0", "0", "-1");
    }

    @Test
    void bitopCombinesStringsPaddedWithZeros(DifferentialSession session) {
        session.check("SET", "{t}a", "foobar");
        session.check("SET", "{t}b", "abcdef-longer");
        session.check("SET", "{t}c", "1234");
        for (String op : new String[] {"AND", "OR", "XOR", "and", "xor"}) {
            session.check("BITOP", op, "{t}dest", "{t}a", "{t}b", "{t}c");
            session.check("GET", "{t}dest");
            session.check("BITOP", op, "{t}dest", "{t}a", "{t}missing");
            session.check("GET", "{t}dest");
            session.check("BITOP", op, "{t}dest", "{t}a");
            session.check("GET", "{t}dest");
        }
        String longA = "x".repeat(100);
        String longB = "y".repeat(70);
        session.check("SET", "{t}la", longA);
        session.check("SET", "{t}lb", longB);
        for (String op : new String[] {"AND", "OR", "XOR"}) {
            session.check("BITOP", op, "{t}dest", "{t}la", "{t}lb", "{t}a");
            session.check("GET", "{t}dest");
            session.check("DUMP", "{t}dest");
        }
        run(session, """
                BITOP NOT {t}dest {t}a
                GET {t}dest
                BITOP NOT {t}dest {t}la
                GET {t}dest
                BITOP NOT {t}dest {t}a {t}b
                BITOP BOGUS {t}dest {t}a
                SET {t}dest x EX 100
                BITOP OR {t}dest {t}a
                TTL {t}dest
                BITOP OR {t}dest {t}missing {t}missing2
                EXISTS {t}dest
                BITOP AND {t}dest {t}missing
                XADD {t}h 1-1 f v
                BITOP OR {t}dest {t}a {t}h
                BITOP OR {t}h {t}a
                TYPE {t}h
                SET {t}n 255
                BITOP NOT {t}dest {t}n
                GET {t}dest
                BITOP AND {t}dest
                BITOP OR a b c
                """);
    }

    @Test
    void bitfieldGetSetIncrbyWithEveryOverflowMode(DifferentialSession session) {
        run(session, """
                BITFIELD f SET u8 0 255 GET u8 0 GET i8 0
                BITFIELD f INCRBY u8 0 10 OVERFLOW SAT INCRBY u8 0 300 OVERFLOW FAIL INCRBY u8 0 1 GET u8 0
                BITFIELD f OVERFLOW WRAP INCRBY i5 100 1 INCRBY i5 100 20 GET i5 100
                BITFIELD f OVERFLOW SAT INCRBY i5 100 100 INCRBY i5 100 -200 OVERFLOW FAIL INCRBY i5 100 -1
                BITFIELD f SET i64 8 -1 GET i64 8 GET u63 8 INCRBY i64 8 1 GET u1 8
                BITFIELD f SET i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 9223372036854775807
                BITFIELD f OVERFLOW SAT SET i64 0 -9223372036854775808 INCRBY i64 0 -1 OVERFLOW FAIL INCRBY i64 0 -1
                BITFIELD f OVERFLOW WRAP INCRBY i64 0 -1 GET i64 0
                BITFIELD f SET u63 0 9223372036854775807 INCRBY u63 0 1 OVERFLOW SAT INCRBY u63 0 -5 INCRBY u63 0 9223372036854775807
                BITFIELD f OVERFLOW SAT SET u8 #2 -1 OVERFLOW WRAP SET u8 #3 -1 OVERFLOW FAIL SET u8 #4 -1 SET u8 #5 256
                BITFIELD f OVERFLOW SAT SET i8 #6 200 SET i8 #7 -200 OVERFLOW WRAP SET i8 #8 200
                BITFIELD f GET u4 #0 GET u4 #1 GET u16 #3 GET i3 7 GET u1 1000
                GET f
                STRLEN f
                DUMP f
                BITFIELD f
                BITFIELD missing GET u8 0 GET i64 100
                EXISTS missing
                BITFIELD_RO f GET u8 0 GET i8 #1
                BITFIELD_RO missing GET u8 0
                BITFIELD created OVERFLOW FAIL INCRBY u2 100 10
                GET created
                SET n 42
                BITFIELD n GET u8 0 SET u8 0 65
                GET n
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BITFIELD f GET", "BITFIELD f GET u8", "BITFIELD f SET u8 0", "BITFIELD f INCRBY u8 0",
        "BITFIELD f BOGUS u8 0", "BITFIELD f GET u64 0", "BITFIELD f GET i65 0", "BITFIELD f GET u0 0",
        "BITFIELD f GET x8 0", "BITFIELD f GET u 0", "BITFIELD f GET U8 0", "BITFIELD f GET u8 -1",
        "BITFIELD f GET u8 #-1", "BITFIELD f GET u8 #", "BITFIELD f GET u8 x", "BITFIELD f SET u8 0 x",
        "BITFIELD f OVERFLOW BOGUS GET u8 0", "BITFIELD f OVERFLOW", "BITFIELD f GET u8 0 OVERFLOW",
        "BITFIELD f SET u8 0 1 GET u64 0", "BITFIELD f GET u8 0 SET u8 #x 1", "BITFIELD h GET u8 0",
        "BITFIELD h SET u8 0 1", "BITFIELD_RO f SET u8 0 1", "BITFIELD_RO h SET u8 0 1", "BITFIELD_RO h GET u8 0",
        "BITFIELD_RO f INCRBY u8 0 1 GET u8 0", "BITFIELD_RO f OVERFLOW SAT", "BITFIELD f GET u8 0 GET",
        "BITFIELD f get u8 0 set i8 8 -1 incrby u8 0 1 overflow sat", "BITFIELD", "BITFIELD_RO",
        "BITFIELD f GET u8 9223372036854775807", "BITFIELD f GET u8 #9223372036854775807"})
    void bitfieldErrorsInRedisOrder(String command, DifferentialSession session) {
        session.check("SET", "f", "abc");
        session.check("XADD", "h", "1-1", "f", "v");
        session.check(command.split(" "));
        session.check("GET", "f");
    }

    @Test
    void bitCommandsAnswerResp3Nulls(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET", "u2", "0");
        session.check("BITCOUNT", "f");
    }
}
