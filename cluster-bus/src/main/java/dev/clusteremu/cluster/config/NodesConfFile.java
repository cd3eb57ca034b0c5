package dev.clusteremu.cluster.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and writes nodes-&lt;port&gt;.conf. The text is handled as ISO-8859-1, one char per byte, so
 * whatever bytes a file holds come back unchanged on save; everything Redis writes there is ASCII.
 */
public final class NodesConfFile {

    private NodesConfFile() {
    }

    /**
     * The configuration in {@code file}, or empty when there is none yet: the file does not exist or has
     * zero length (Redis creates an empty one to hold its lock before it has anything to write, and
     * treats it as "no config").
     *
     * @throws IOException           when the file exists but cannot be read (Redis exits then)
     * @throws ConfigFormatException when the content is not a loadable config (Redis exits then too)
     */
    public static Optional<NodesConf> load(Path file) throws IOException, ConfigFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length == 0) {
            return Optional.empty();
        }
        return Optional.of(NodesConf.parse(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    /**
     * Replaces {@code file} with the rendering of {@code conf} so that after a crash at any point the
     * file holds either the old config or the new one, never a mix or a truncated one. Redis 7.0 gets
     * there by one write() over the old file, padded to its length, and a truncate; a rename does the
     * same without ever exposing a half-written file.
     */
    public static void save(Path file, NodesConf conf) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        // Same directory as the target: a rename is only atomic within one file system.
        Path temp = dir.resolve(absolute.getFileName() + ".tmp");
        ByteBuffer content = ByteBuffer.wrap(NodesConf.render(conf).getBytes(StandardCharsets.ISO_8859_1));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    out.write(content);
                }
                // The data must be on disk before the rename is: otherwise a crash can leave the new name
                // pointing at a file whose blocks were never written (an empty or zero-filled config).
                out.force(true);
            }
            // rename(2): readers see the old file or the new one, nothing in between.
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    /**
     * Makes the rename itself durable: it is a change to the directory, which sits in the page cache
     * until the directory is synced, so a crash could otherwise bring back the old config after the
     * node already acted on the new one (for example after voting in an election).
     */
    private static void forceDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // Some platforms (Windows) cannot open a directory; their rename is all we get.
        }
        try (channel) {
            channel.force(true);
        }
    }
}
