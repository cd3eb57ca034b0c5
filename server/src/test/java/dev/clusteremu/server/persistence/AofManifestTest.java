package dev.clusteremu.server.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The append only directory's manifest in Redis 7.0's text form: written as getAofManifestAsString writes
 * it, read with aofLoadManifestFromFile's checks and error texts, and changed by a rewrite as
 * backgroundRewriteDoneHandler changes it.
 */
class AofManifestTest {

    private static AofManifest parse(String text) throws IOException {
        return AofManifest.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String parseError(String text) {
        return assertThrows(IOException.class, () -> parse(text)).getMessage();
    }

    @Test
    void aRewriteMakesANewBaseAndTurnsTheOldFilesIntoHistory() throws IOException {
        AofManifest first = AofManifest.EMPTY.withNewBase("appendonly.aof", true);
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\n", first.format());
        AofManifest loaded = parse("file appendonly.aof.1.base.rdb seq 1 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        AofManifest second = loaded.withNewBase("appendonly.aof", false).withRewrittenIncrAsHistory(false);
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type h\n"
                + "file appendonly.aof.1.base.rdb seq 1 type h\n", second.format());
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\n", second.withoutHistory().format());
    }

    @Test
    void withAppendOnlyOnTheIncrFileBeingWrittenStaysAndTheRewrittenOnesBecomeHistoryOldestFirst()
            throws IOException {
        // As redis-server 7.0.15 leaves it (aof-disable-auto-gc yes) after a rewrite of a directory holding
        // two incr files: the rewrite opened the third, which stays.
        AofManifest loaded = parse("file appendonly.aof.1.incr.aof seq 1 type i\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n");
        AofManifest logging = loaded.withNewIncr("appendonly.aof");
        assertEquals("appendonly.aof.3.incr.aof", logging.lastIncr().name());
        AofManifest rewritten = logging.withNewBase("appendonly.aof", true).withRewrittenIncrAsHistory(true);
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type h\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n", rewritten.format());
    }

    @Test
    void namesThatNeedItAreQuotedAndReadBack() throws IOException {
        AofManifest m = AofManifest.EMPTY.withNewBase("my aof", true);
        assertEquals("file \"my aof.1.base.rdb\" seq 1 type b\n", m.format());
        assertEquals(m, parse(m.format()));
    }

    @Test
    void pairsMayComeInAnyOrderWithCommentsAndExtraPairs() throws IOException {
        AofManifest m = parse("# comment\ntype b seq 7 file base.rdb extra 1\n");
        assertEquals(List.of(), m.history());
        assertEquals(new AofManifest.AofFile("base.rdb", 7, 'b'), m.base());
        assertEquals(7, m.baseSeq());
    }

    @Test
    void badManifestsAreRefusedWithRedisReasons() {
        assertEquals("Found an empty AOF manifest", parseError(""));
        assertEquals("The AOF manifest file contains too long line", parseError("file a seq 1 type b"));
        assertEquals("Invalid AOF manifest file format", parseError("\n"));
        assertEquals("Invalid AOF manifest file format", parseError("file a seq 1\n"));
        assertEquals("Invalid AOF manifest file format", parseError("file a seq 0 type b\n"));
        assertEquals("File can't be a path, just a filename", parseError("file dir/a seq 1 type b\n"));
        assertEquals("Found duplicate base file information", parseError("file a seq 1 type b\nfile b seq 2 type b\n"));
        assertEquals("Found a non-monotonic sequence number",
                parseError("file a seq 2 type i\nfile b seq 2 type i\n"));
        assertEquals("Unknown AOF file type", parseError("file a seq 1 type x\n"));
    }
}
