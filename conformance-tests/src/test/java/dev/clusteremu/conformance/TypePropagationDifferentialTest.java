package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a master sends its replicas for the bitmap, HyperLogLog and stream commands: the same command
 * stream as redis-server 7.0, command for command (XADD with its generated ID, approximate trims made
 * exact, XREADGROUP/XCLAIM/XAUTOCLAIM as XCLAIM, XGROUP SETID and XGROUP CREATECONSUMER, MULTI/EXEC around
 * several), read by a bare replica attached to each master. Delivery times and generated IDs are masked.
 */
@ExtendWith(DifferentialExtension.class)
class TypePropagationDifferentialTest {
    private static final ReplyMasker TIMES = StreamMasks.times();

    /**
     * Runs {@code script} on both masters (each line one command, replies masked for times) and checks that
     * both propagate the same commands.
     */
    private static void checkPropagation(DifferentialSession session, String script) {
        try (ReplicationProbe reference = ReplicationProbe.attach(session.reference());
             ReplicationProbe candidate = ReplicationProbe.attach(session.candidate())) {
            for (String line : script.strip().split("\n")) {
                session.checkMasked(TIMES.andThen(StreamMasks.autoIds()), line.strip().split(" +"));
            }
            List<String> marker = List.of("SET", "propagation-marker", "end");
            session.check(marker.toArray(String[]::new));
            List<List<String>> expected = mask(reference.until(marker));
            List<List<String>> actual = mask(candidate.until(marker));
            assertEquals(String.join("\n", expected.stream().map(Object::toString).toList()),
                    String.join("\n", actual.stream().map(Object::toString).toList()));
        }
    }

    /** Masks XCLAIM's TIME argument and IDs generated from the clock. */
    private static List<List<String>> mask(List<List<String>> commands) {
        long now = System.currentTimeMillis();
        List<List<String>> out = new ArrayList<>();
        for (List<String> command : commands) {
            List<String> masked = new ArrayList<>(command);
            for (int i = 0; i < masked.size(); i++) {
                String arg = masked.get(i);
                if (i > 0 && masked.get(i - 1).equalsIgnoreCase("TIME") && command.get(0).equalsIgnoreCase("XCLAIM")) {
                    masked.set(i, "<time>");
                } else if (arg.matches("\\d{13}-\\d+") && Math.abs(Long.parseLong(arg.split("-")[0]) - now) < 86_400_000L) {
                    masked.set(i, "<auto-id>");
                }
            }
            out.add(masked);
        }
        return out;
    }

    @Test
    void bitmapCommandsPropagateAsTheyRan(DifferentialSession session) {
        checkPropagation(session, """
                SETBIT b 7 1
                SETBIT b 7 1
                SETBIT b 100 0
                BITFIELD b SET u8 0 200 INCRBY u8 0 100 GET u8 0
                BITFIELD b OVERFLOW FAIL INCRBY u8 0 100
                BITFIELD b GET u8 0
                BITFIELD_RO b GET u8 0
                SET {b}x abc
                BITOP NOT {b}y {b}x
                BITOP AND {b}y {b}missing
                """);
    }

    @Test
    void hyperloglogCommandsPropagateTheirChanges(DifferentialSession session) {
        checkPropagation(session, """
                PFADD h a b c
                PFADD h a
                PFCOUNT h
                PFCOUNT h
                PFADD {h}2 c d
                PFCOUNT h {h}2
                PFMERGE {h}3 h {h}2
                PFDEBUG TODENSE h
                PFDEBUG GETREG {h}2
                PFDEBUG ENCODING h
                """);
    }

    @Test
    void xaddGoesWithItsIdAndAnExactTrim(DifferentialSession session) {
        session.check("CONFIG", "SET", "stream-node-max-entries", "5");
        try {
            StringBuilder script = new StringBuilder();
            for (int i = 1; i <= 12; i++) {
                script.append("XADD s MAXLEN ~ 4 ").append(i).append("-* f v\n");
            }
            script.append("""
                    XADD s 20-5 f v
                    XADD s MINID ~ 10 21-* f v
                    XADD s MAXLEN 3 LIMIT 100 22-0 f v
                    XADD s NOMKSTREAM MAXLEN ~ 2 LIMIT 2 23-0 f v
                    XADD missing NOMKSTREAM 1-1 f v
                    XTRIM s MAXLEN ~ 1
                    XTRIM s MINID = 22
                    XTRIM s MAXLEN 100
                    XDEL s 23-0 99-0
                    XDEL s 99-0
                    XSETID s 30-0
                    XADD s * f v
                    """);
            checkPropagation(session, script.toString());
        } finally {
            session.check("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Test
    void groupReadsAndClaimsGoAsXclaimAndSetid(DifferentialSession session) {
        checkPropagation(session, """
                XADD s 1-0 f 1
                XADD s 2-0 f 2
                XADD s 3-0 f 3
                XGROUP CREATE s g 0
                XGROUP CREATE s g2 $ ENTRIESREAD 3
                XREADGROUP GROUP g alice COUNT 1 STREAMS s >
                XREADGROUP GROUP g bob STREAMS s >
                XREADGROUP GROUP g alice STREAMS s 0
                XREADGROUP GROUP g2 carol NOACK STREAMS s >
                XADD s 4-0 f 4
                XREADGROUP GROUP g2 carol NOACK STREAMS s >
                XREADGROUP GROUP g2 dave NOACK STREAMS s 0
                XCLAIM s g carol 0 1-0 2-0
                XCLAIM s g carol 0 3 JUSTID RETRYCOUNT 5
                XCLAIM s g carol 0 LASTID 9-0
                XCLAIM s g carol 0 1-0 LASTID 10-0
                XDEL s 2-0
                XCLAIM s g erin 0 2-0
                XAUTOCLAIM s g frank 0 0 COUNT 1
                XAUTOCLAIM s g frank 0 0 JUSTID
                XACK s g 1-0 3-0
                XACK s g 1-0
                XGROUP CREATECONSUMER s g gina
                XGROUP DELCONSUMER s g gina
                XGROUP SETID s g 1-0 ENTRIESREAD 1
                XGROUP DESTROY s g2
                XGROUP CREATE new g $ MKSTREAM
                """);
    }
}
