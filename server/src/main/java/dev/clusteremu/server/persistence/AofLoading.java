package dev.clusteremu.server.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.replication.RdbLoading;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Loading the append only directory at start (aof.c's loadAppendOnlyFiles and loadSingleAppendOnlyFile):
 * the base file the manifest names, then each incr file in order. A file starting with "REDIS" is an RDB
 * (a base written with aof-use-rdb-preamble); otherwise, and after it, the file is commands in RESP, run
 * one by one as a client without a connection would run them (createAOFClient): no replies, no blocking,
 * no key expired on the way, nothing propagated, and MULTI ... EXEC run as a whole at the EXEC.
 *
 * <p>A file cut short in its last command (a crash mid-write) is handled as aof-load-truncated says: on,
 * the file is truncated after its last whole command (or before an unfinished MULTI) and loading goes on,
 * if it was the last file; off, the node refuses to start. A file that is not commands, or a command this
 * node doesn't know, always stops the start. The log lines are Redis's.
 */
final class AofLoading {
    /** AOF_ANNOTATION_LINE_MAX_LEN: fgets reads lines into a buffer this long. */
    private static final int LINE_MAX = 1024;
    /** CLIENT_ID_AOF. */
    private static final long AOF_CLIENT_ID = -1;

    /** A loading's outcome (AOF_OK, AOF_NOT_EXIST, AOF_EMPTY, AOF_OPEN_ERR, AOF_FAILED, AOF_TRUNCATED). */
    enum Status {
        OK, NOT_EXIST, EMPTY, OPEN_ERR, FAILED, TRUNCATED
    }

    /** What was loaded: the base and incr files' bytes, and the base file's. */
    record Loaded(long totalSize, long baseSize) {
    }

    private final RedisNode node;
    private final Path dir;

    AofLoading(RedisNode node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    /**
     * loadAppendOnlyFiles then loadDataFromDisk's log line: loads what {@code manifest} names. Returns
     * null when it names nothing (the node starts empty); a master then claims the slots of the keys it
     * loaded (verifyClusterConfigWithData).
     *
     * @throws IOException when a file is missing, can't be read, is not a valid AOF, or is cut short
     *     without aof-load-truncated; redis-server exits then
     */
    Loaded loadAppendOnlyFiles(AofManifest manifest) throws IOException {
        if (dir == null || (manifest.base() == null && manifest.incr().isEmpty())) {
            return null;
        }
        long start = System.nanoTime();
        List<AofManifest.AofFile> files = new ArrayList<>();
        if (manifest.base() != null) {
            files.add(manifest.base());
        }
        files.addAll(manifest.incr());
        long totalSize = 0;
        for (AofManifest.AofFile f : files) {
            try {
                totalSize += Files.size(dir.resolve(f.name()));
            } catch (IOException e) {
                node.log().warning("Unable to obtain the AOF file " + f.name() + " length. stat: " + reason(e));
                throw new IOException("AOF file " + f.name() + " named by the manifest can't be read: " + reason(e));
            }
        }
        long baseSize = 0;
        if (totalSize > 0) {
            for (int i = 0; i < files.size(); i++) {
                AofManifest.AofFile f = files.get(i);
                boolean base = f.type() == 'b';
                boolean last = i == files.size() - 1;
                if (base) {
                    baseSize = Files.size(dir.resolve(f.name()));
                }
                long fileStart = System.nanoTime();
                Status status = loadSingleAppendOnlyFile(f.name());
                if (status == Status.OK || (status == Status.TRUNCATED && last)) {
                    node.log().notice(String.format(Locale.ROOT, "DB loaded from %s file %s: %.3f seconds",
                            base ? "base" : "incr", f.name(), (System.nanoTime() - fileStart) / 1e9));
                }
                if (status == Status.TRUNCATED && !last) {
                    node.log().warning("Fatal error: the truncated file is not the last file");
                    status = Status.FAILED;
                }
                if (status == Status.OPEN_ERR || status == Status.FAILED) {
                    node.keyspace().clear();
                    node.scripting().functions().clear();
                    throw new IOException("Fatal error loading the AOF file " + f.name() + " (see the log)");
                }
            }
        }
        node.log().notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds",
                (System.nanoTime() - start) / 1e9));
        if (!node.cluster().myself().isReplica()) {
            node.rdb().claimSlotsOfLoadedKeys();
        }
        return totalSize == 0 ? null : new Loaded(totalSize, baseSize);
    }

    /** loadSingleAppendOnlyFile: one file of the directory into the dataset. */
    Status loadSingleAppendOnlyFile(String name) {
        Path path = dir.resolve(name);
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            node.log().warning("The append log file " + name + " doesn't exist: No such file or directory");
            return Status.NOT_EXIST;
        } catch (IOException e) {
            node.log().warning("Fatal error: can't open the append log file " + name + " for reading: " + reason(e));
            return Status.OPEN_ERR;
        }
        if (data.length == 0) {
            return Status.EMPTY;
        }
        Reader in = new Reader(data);
        if (startsWithRdbSignature(data)) {
            node.log().notice("Reading RDB base file on AOF loading...");
            try {
                RdbLoading.Result result = RdbLoading.load(Unpooled.wrappedBuffer(data), node.keyspace(),
                        node.config(), -1, node.scripting().functions()::loadFromRdb);
                node.rdb().loaded(result);
                node.log().notice("Done loading RDB, keys loaded: " + result.loaded() + ", keys expired: "
                        + result.expired() + ".");
            } catch (IOException | RuntimeException e) {
                node.log().warning("Error reading the RDB base file " + name + ", AOF loading aborted: "
                        + e.getMessage());
                return Status.FAILED;
            }
            in.pos = data.length;
        }
        Client fake = createAofClient();
        Client previous = node.currentClient();
        node.setCurrentClient(fake);
        try {
            return replay(name, path, in, fake);
        } finally {
            node.setCurrentClient(previous);
        }
    }

    /** The commands of a file, from where the reader stands; Redis's read, format and EOF errors. */
    private Status replay(String name, Path path, Reader in, Client fake) {
        boolean truncatedAllowed = (Boolean) ConfigTable.valueOf(node, "aof-load-truncated");
        long validUpTo = 0;
        long validBeforeMulti = 0;
        List<byte[][]> transaction = null;
        while (true) {
            byte[] line = in.fgets();
            if (line == null) {
                break;
            }
            if (line[0] == '#') {
                continue; // an annotation (#TS:)
            }
            if (line[0] != '*') {
                return formatError(name);
            }
            if (line.length == 1) {
                return unexpectedEof(name, path, truncatedAllowed, validUpTo);
            }
            long argc = atol(line, 1);
            if (argc < 1 || argc > Integer.MAX_VALUE) {
                return formatError(name);
            }
            byte[][] argv = new byte[(int) argc][];
            for (int j = 0; j < argc; j++) {
                byte[] header = in.fgets();
                if (header == null) {
                    return unexpectedEof(name, path, truncatedAllowed, validUpTo);
                }
                if (header[0] != '$') {
                    return formatError(name);
                }
                long len = atol(header, 1);
                if (len < 0 || len > Integer.MAX_VALUE) {
                    return formatError(name);
                }
                // fread of the argument, then of its CRLF (not checked, as Redis doesn't).
                if (len > in.remaining() || in.remaining() - len < 2) {
                    return unexpectedEof(name, path, truncatedAllowed, validUpTo);
                }
                argv[j] = in.read((int) len);
                in.pos += 2;
            }
            CommandSpec spec = node.processor().table().lookup(argv);
            if (spec == null) {
                node.log().warning("Unknown command '" + new String(argv[0], StandardCharsets.ISO_8859_1)
                        + "' reading the append only file " + name);
                return Status.FAILED;
            }
            if (transaction != null && !spec.name().equals("exec")) {
                transaction.add(argv);
            } else if (spec.name().equals("multi")) {
                validBeforeMulti = validUpTo;
                transaction = new ArrayList<>();
            } else if (spec.name().equals("exec")) {
                if (transaction != null) {
                    for (byte[][] queued : transaction) {
                        run(fake, node.processor().table().lookup(queued), queued);
                    }
                }
                transaction = null;
            } else {
                run(fake, spec, argv);
            }
            if (truncatedAllowed) {
                validUpTo = in.pos;
            }
        }
        if (transaction != null) {
            // A transaction the file ends inside of is undone, as a short read would be.
            node.log().warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            return unexpectedEof(name, path, truncatedAllowed, validBeforeMulti);
        }
        return Status.OK;
    }

    /**
     * The command as the AOF client runs it: its handler directly (cmd->proc), an error being one more
     * reply nobody reads.
     */
    private static void run(Client fake, CommandSpec spec, byte[][] argv) {
        fake.resetPropagation();
        fake.beginCall(argv);
        try {
            spec.handler().execute(fake, argv);
        } catch (CommandError ignored) {
            // The AOF client gets no replies, errors included.
        }
        fake.discardReplies();
    }

    /**
     * createAOFClient: no connection, no blocking, obeyed as a master is (it sees no key as expired, since
     * nothing expires while loading), and authenticated as nobody needs to be.
     */
    private Client createAofClient() {
        Client c = new Client(AOF_CLIENT_ID, node, new EmbeddedChannel(), node.now());
        c.setMaster(true);
        c.setDenyBlocking(true);
        c.setUser(null, true);
        return c;
    }

    /** The uxeof label: truncate after the last whole command with aof-load-truncated, else fail. */
    private Status unexpectedEof(String name, Path path, boolean truncatedAllowed, long validUpTo) {
        if (truncatedAllowed) {
            node.log().warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            node.log().warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(validUpTo);
                node.log().warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
                return Status.TRUNCATED;
            } catch (IOException e) {
                node.log().warning("Error truncating the AOF file " + name + ": " + reason(e));
            }
        }
        node.log().warning("Unexpected end of file reading the append only file " + name + ". You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart "
                + "the server.");
        return Status.FAILED;
    }

    /** The fmterr label. */
    private Status formatError(String name) {
        node.log().warning("Bad file format reading the append only file " + name + ": make a backup of your AOF "
                + "file, then use ./redis-check-aof --fix <filename.manifest>");
        return Status.FAILED;
    }

    private static boolean startsWithRdbSignature(byte[] data) {
        return data.length >= 5 && data[0] == 'R' && data[1] == 'E' && data[2] == 'D' && data[3] == 'I'
                && data[4] == 'S';
    }

    /** C's atoi/strtol on a line: optional blanks and sign, then digits; 0 when none. */
    private static long atol(byte[] s, int from) {
        int i = from;
        while (i < s.length && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '-' || s[i] == '+')) {
            negative = s[i] == '-';
            i++;
        }
        long n = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && n <= Integer.MAX_VALUE) {
            n = n * 10 + (s[i++] - '0');
        }
        return negative ? -n : n;
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
    }

    /** The file as stdio reads it: lines with fgets, arguments with fread. */
    private static final class Reader {
        private final byte[] data;
        int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        /** fgets: through the next '\n', at most LINE_MAX - 1 bytes, or what is left; null at the end. */
        byte[] fgets() {
            if (pos >= data.length) {
                return null;
            }
            int limit = Math.min(data.length, pos + LINE_MAX - 1);
            int end = pos;
            while (end < limit) {
                if (data[end++] == '\n') {
                    break;
                }
            }
            byte[] line = Arrays.copyOfRange(data, pos, end);
            pos = end;
            return line;
        }

        long remaining() {
            return data.length - pos;
        }

        byte[] read(int len) {
            byte[] b = Arrays.copyOfRange(data, pos, pos + len);
            pos += len;
            return b;
        }
    }
}
