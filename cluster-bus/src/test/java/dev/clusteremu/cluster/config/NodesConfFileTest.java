package dev.clusteremu.cluster.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.clusteremu.cluster.NodeFlags.MASTER;
import static dev.clusteremu.cluster.NodeFlags.MYSELF;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.line;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodesConfFileTest {

    private static final NodesConf CONF = new NodesConf(List.of(line("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "127.0.0.1", 7000, 17000, "", MYSELF | MASTER, null, 0, 0, 3, true, slots(0, 99))), 3, 1);

    @TempDir
    Path dir;

    @Test
    void missingFileMeansNoConfig() throws Exception {
        assertEquals(Optional.empty(), NodesConfFile.load(dir.resolve("nodes-7000.conf")));
    }

    @Test
    void zeroLengthFileMeansNoConfig() throws Exception {
        Path file = Files.createFile(dir.resolve("nodes-7000.conf"));
        assertEquals(Optional.empty(), NodesConfFile.load(file));
    }

    @Test
    void savedConfigLoadsBack() throws Exception {
        Path file = dir.resolve("nodes-7000.conf");
        NodesConfFile.save(file, CONF);
        assertEquals(Optional.of(CONF), NodesConfFile.load(file));
    }

    @Test
    void saveReplacesALongerFileWithExactlyTheNewContentAndLeavesNoTempFile() throws Exception {
        Path file = dir.resolve("nodes-7000.conf");
        Files.writeString(file, "x".repeat(10_000));
        NodesConfFile.save(file, CONF);
        assertEquals(NodesConf.render(CONF), Files.readString(file, StandardCharsets.ISO_8859_1));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(file), entries.toList());
        }
    }

    @Test
    void corruptFileIsRefused() throws Exception {
        Path file = dir.resolve("nodes-7000.conf");
        Files.writeString(file, "garbage\n");
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> NodesConfFile.load(file));
        assertEquals("line 1: a node line needs at least 8 fields, got 1", e.getMessage());
    }
}
