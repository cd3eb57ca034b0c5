package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PFADD, PFCOUNT, PFMERGE and PFDEBUG: the estimates, and the HLL strings themselves (GET and DUMP, sparse
 * and dense, with the cached cardinality in their header), byte for byte as a real redis-server 7.0 has them.
 */
@ExtendWith(DifferentialExtension.class)
class HyperLogLogCommandsDifferentialTest {

    /** PFADD key followed by {@code count} elements named prefix0, prefix1, ... */
    private static String[] pfadd(String key, String prefix, int from, int count) {
        List<String> argv = new ArrayList<>(List.of("PFADD", key));
        for (int i = from; i < from + count; i++) {
            argv.add(prefix + i);
        }
        return argv.toArray(String[]::new);
    }

    private static void checkValue(DifferentialSession session, String key) {
        session.check("GET", key);
        session.check("DUMP", key);
        session.check("PFDEBUG", "ENCODING", key);
    }

    @Test
    void pfaddBuildsTheSameSparseStringOneElementAtATime(DifferentialSession session) {
        session.check("PFADD", "h");
        checkValue(session, "h");
        session.check("PFCOUNT", "h");
        for (int i = 0; i < 300; i++) {
            session.check("PFADD", "h", "element:" + i);
            if (i % 37 == 0) {
                checkValue(session, "h");
                session.check("PFCOUNT", "h");
                checkValue(session, "h");
            }
        }
        session.check("PFADD", "h", "element:1");
        session.check("PFADD", "h");
        session.check("PFCOUNT", "h");
        checkValue(session, "h");
        session.check("PFDEBUG", "DECODE", "h");
    }

    @Test
    void pfcountEstimatesAtEveryScale(DifferentialSession session) {
        int added = 0;
        for (int target : new int[] {1, 10, 100, 1000, 5000, 20000, 100000}) {
            while (added < target) {
                int batch = Math.min(5000, target - added);
                session.check(pfadd("h", "x", added, batch));
                added += batch;
            }
            session.check("PFCOUNT", "h");
            checkValue(session, "h");
        }
    }

    @Test
    void sparseTurnsDenseAtHllSparseMaxBytes(DifferentialSession session) {
        for (String max : new String[] {"3000", "100", "0", "20000"}) {
            session.check("CONFIG", "SET", "hll-sparse-max-bytes", max);
            session.check("DEL", "h");
            for (int i = 0; i < 3000; i += 50) {
                session.check(pfadd("h", "m" + max + ":", i, 50));
                session.check("PFDEBUG", "ENCODING", "h");
                session.check("STRLEN", "h");
            }
            checkValue(session, "h");
            session.check("PFCOUNT", "h");
        }
        session.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }

    @Test
    void aRegisterAbove32TurnsTheHllDense(DifferentialSession session) {
        // The sparse VAL opcode holds at most 32: search elements whose run of zeros is longer.
        session.check("PFADD", "h", "a");
        for (int i = 0; i < 20000; i += 2000) {
            session.check(pfadd("probe", "p", i, 2000));
        }
        checkValue(session, "probe");
        session.check("PFDEBUG", "GETREG", "h");
        checkValue(session, "h");
    }

    @Test
    void pfmergeUnitesIntoTheDestination(DifferentialSession session) {
        session.check(pfadd("{t}a", "a", 0, 100));
        session.check(pfadd("{t}b", "b", 0, 3000));
        session.check(pfadd("{t}c", "a", 50, 100));
        session.check("PFCOUNT", "{t}a", "{t}b", "{t}c", "{t}missing");
        session.check("PFCOUNT", "{t}a", "{t}c");
        session.check("PFMERGE", "{t}sparse", "{t}a", "{t}c");
        checkValue(session, "{t}sparse");
        session.check("PFCOUNT", "{t}sparse");
        session.check("PFMERGE", "{t}dense", "{t}a", "{t}b");
        checkValue(session, "{t}dense");
        session.check("PFMERGE", "{t}a", "{t}c");
        checkValue(session, "{t}a");
        session.check("PFMERGE", "{t}empty");
        checkValue(session, "{t}empty");
        session.check("PFMERGE", "{t}empty2", "{t}missing");
        checkValue(session, "{t}empty2");
        session.check("SET", "{t}ttl", "x", "EX", "100");
        session.check("DEL", "{t}ttl");
        session.check("PFADD", "{t}ttl", "x");
        session.check("EXPIRE", "{t}ttl", "100");
        session.check("PFMERGE", "{t}ttl", "{t}b");
        session.check("TTL", "{t}ttl");
        session.check("PFMERGE", "{t}a", "b");
        session.check("PFCOUNT", "{t}a", "b");
    }

    @Test
    void pfcountCachesTheCardinalityInTheHeader(DifferentialSession session) {
        session.check(pfadd("h", "c", 0, 500));
        session.check("GETRANGE", "h", "0", "15");
        session.check("PFCOUNT", "h");
        session.check("GETRANGE", "h", "0", "15");
        session.check("PFADD", "h", "c1");
        session.check("GETRANGE", "h", "0", "15");
        session.check("PFADD", "h", "brand-new");
        session.check("GETRANGE", "h", "0", "15");
        session.check("PFCOUNT", "h");
        session.check("GETRANGE", "h", "0", "15");
    }

    @Test
    void dumpedHllsRestoreOnEitherSide(DifferentialSession session) {
        session.check(pfadd("sparse", "s", 0, 200));
        session.check(pfadd("dense", "d", 0, 5000));
        for (String key : new String[] {"sparse", "dense"}) {
            Reply dump = session.check("DUMP", key);
            byte[] payload = ((Reply.Bulk) dump).bytes();
            session.check("RESTORE".getBytes(ISO_8859_1), (key + "-copy").getBytes(ISO_8859_1),
                    "0".getBytes(ISO_8859_1), payload);
            session.check("PFCOUNT", key + "-copy");
            session.check("PFADD", key + "-copy", "more", "elements");
            checkValue(session, key + "-copy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PFADD s x", "PFCOUNT s", "PFADD n x", "PFCOUNT n", "PFADD short x",
        "PFADD magic x", "PFADD badenc x", "PFCOUNT baddense", "PFADD baddense x", "PFCOUNT stream",
        "PFADD stream x", "PFMERGE s", "PFMERGE h s", "PFCOUNT h s", "PFCOUNT h stream", "PFDEBUG ENCODING s",
        "PFDEBUG ENCODING missing", "PFDEBUG BOGUS h", "PFDEBUG DECODE dense", "PFDEBUG TODENSE h",
        "PFDEBUG TODENSE dense", "PFADD", "PFCOUNT", "PFMERGE", "PFDEBUG ENCODING", "PFSELFTEST x"})
    void nonHllValuesAreRefused(String command, DifferentialSession session) {
        session.check("SET", "s", "not an hll at all");
        session.check("SET", "n", "12345");
        session.check("SET", "short", "HYLL");
        session.check("SET", "magic", "HYLX\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000");
        session.check("SET", "badenc", "HYLL\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000");
        session.check("SET", "baddense", "HYLL\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000xx");
        session.check("XADD", "stream", "1-1", "f", "v");
        session.check("PFADD", "h", "a", "b");
        session.check(pfadd("dense", "d", 0, 5000));
        session.check(command.split(" "));
    }

    @Test
    void corruptSparseBodiesAreInvalidObjects(DifferentialSession session) {
        String header = "48594c4c01000000" + "0000000000000080";
        String[] bodies = {"", "7f", "7fff7fff", "4000", "bf", "7fff" + "80", "00"};
        for (String body : bodies) {
            byte[] value = HexFormat.of().parseHex(header + body);
            session.check("SET".getBytes(ISO_8859_1), "c".getBytes(ISO_8859_1), value);
            session.check("PFCOUNT", "c");
            session.check("PFADD", "c", "x");
            session.check("PFCOUNT", "c", "missing");
            session.check("PFMERGE", "c");
            session.check("PFDEBUG", "TODENSE", "c");
            session.check("GET", "c");
        }
    }
}
