package dev.clusteremu.server.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.clusteremu.server.net.Monitors;
import dev.clusteremu.server.resp.InlineArgs;

/**
 * The manifest of an append only directory (aof.c's aofManifest): which files make up the AOF - one base
 * file (an RDB or a command log), the history files waiting to be deleted, and the incremental command
 * logs - with their sequence numbers. On disk it is one line per file, "file NAME seq N type T", the base
 * first, then history, then incr. Immutable: each change makes a new manifest, as Redis changes a copy
 * and swaps it in only once it is on disk.
 */
record AofManifest(AofFile base, List<AofFile> history, List<AofFile> incr, long baseSeq, long incrSeq) {
    /** A file of the manifest; type 'b' base, 'h' history, 'i' incr. */
    record AofFile(String name, long seq, char type) {
    }

    /** The empty manifest a node without an AOF directory starts with. */
    static final AofManifest EMPTY = new AofManifest(null, List.of(), List.of(), 0, 0);

    AofManifest {
        history = List.copyOf(history);
        incr = List.copyOf(incr);
    }

    /**
     * getNewBaseFileNameAndMarkPreAsHistory: a new base named "&lt;appendfilename&gt;.&lt;seq&gt;.base.rdb"
     * (".aof" without an RDB preamble); the old base goes to the head of the history.
     */
    AofManifest withNewBase(String aofFilename, boolean rdbPreamble) {
        List<AofFile> newHistory = new ArrayList<>();
        if (base != null) {
            newHistory.add(new AofFile(base.name(), base.seq(), 'h'));
        }
        newHistory.addAll(history);
        long seq = baseSeq + 1;
        AofFile newBase = new AofFile(aofFilename + "." + seq + ".base" + (rdbPreamble ? ".rdb" : ".aof"), seq, 'b');
        return new AofManifest(newBase, newHistory, incr, seq, incrSeq);
    }

    /** getNewIncrAofName: a new incr file "&lt;appendfilename&gt;.&lt;seq&gt;.incr.aof" after the others. */
    AofManifest withNewIncr(String aofFilename) {
        long seq = incrSeq + 1;
        List<AofFile> newIncr = new ArrayList<>(incr);
        newIncr.add(new AofFile(aofFilename + "." + seq + ".incr.aof", seq, 'i'));
        return new AofManifest(base, history, newIncr, baseSeq, seq);
    }

    /** The incr file written to: the last one. */
    AofFile lastIncr() {
        return incr.isEmpty() ? null : incr.get(incr.size() - 1);
    }

    /**
     * markRewrittenIncrAofAsHistory: once a rewrite's base holds what the incr files logged, they become
     * history - all of them, or all but the last when {@code keepLast}, the one AOF logging goes on in.
     * Taken from the newest, each is put at the head of the history, so they end up there oldest first.
     */
    AofManifest withRewrittenIncrAsHistory(boolean keepLast) {
        int rewritten = keepLast ? incr.size() - 1 : incr.size();
        if (rewritten <= 0) {
            return this;
        }
        List<AofFile> newHistory = new ArrayList<>();
        for (AofFile f : incr.subList(0, rewritten)) {
            newHistory.add(new AofFile(f.name(), f.seq(), 'h'));
        }
        newHistory.addAll(history);
        return new AofManifest(base, newHistory, incr.subList(rewritten, incr.size()), baseSeq, incrSeq);
    }

    /** aofDelHistoryFiles: the manifest once its history files are deleted. */
    AofManifest withoutHistory() {
        return new AofManifest(base, List.of(), incr, baseSeq, incrSeq);
    }

    /** getAofManifestAsString: names that need it are quoted as sdscatrepr quotes them. */
    String format() {
        StringBuilder out = new StringBuilder();
        List<AofFile> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(history);
        all.addAll(incr);
        for (AofFile f : all) {
            out.append("file ");
            byte[] name = f.name().getBytes(StandardCharsets.ISO_8859_1);
            if (needsRepr(name)) {
                Monitors.repr(out, name);
            } else {
                out.append(f.name());
            }
            out.append(" seq ").append(f.seq()).append(" type ").append(f.type()).append('\n');
        }
        return out.toString();
    }

    /**
     * aofLoadManifestFromFile: every line (comments aside) is "file NAME seq N type T" in any order of the
     * pairs, extra pairs allowed; a name must be a plain file name; one base at most; incr sequence
     * numbers strictly increasing. Errors carry Redis's texts, and stop the node from starting.
     */
    static AofManifest parse(byte[] content) throws IOException {
        AofFile base = null;
        List<AofFile> history = new ArrayList<>();
        List<AofFile> incr = new ArrayList<>();
        long baseSeq = 0;
        long incrSeq = 0;
        int start = 0;
        int lines = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lines++;
            if (content[start] == '#') {
                start = end + 1;
                continue;
            }
            if (end == content.length) {
                throw new IOException("The AOF manifest file contains too long line");
            }
            String line = new String(content, start, end - start, StandardCharsets.ISO_8859_1).strip();
            byte[][] argv = line.isEmpty() ? null : InlineArgs.split(line.getBytes(StandardCharsets.ISO_8859_1), 0,
                    line.length());
            if (argv == null || argv.length < 6 || argv.length % 2 != 0) {
                throw new IOException("Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < argv.length; i += 2) {
                String key = new String(argv[i], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                String value = new String(argv[i + 1], StandardCharsets.ISO_8859_1);
                switch (key) {
                    case "file" -> {
                        if (value.contains("/") || value.contains("\\")) {
                            throw new IOException("File can't be a path, just a filename");
                        }
                        name = value;
                    }
                    case "seq" -> seq = atoll(value);
                    case "type" -> type = value.isEmpty() ? 0 : value.charAt(0);
                    default -> {
                        // Unknown pairs are allowed, for forward compatibility.
                    }
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw new IOException("Invalid AOF manifest file format");
            }
            switch (type) {
                case 'b' -> {
                    if (base != null) {
                        throw new IOException("Found duplicate base file information");
                    }
                    base = new AofFile(name, seq, type);
                    baseSeq = seq;
                }
                case 'h' -> history.add(new AofFile(name, seq, type));
                case 'i' -> {
                    if (seq <= incrSeq) {
                        throw new IOException("Found a non-monotonic sequence number");
                    }
                    incr.add(new AofFile(name, seq, type));
                    incrSeq = seq;
                }
                default -> throw new IOException("Unknown AOF file type");
            }
            start = end + 1;
        }
        if (lines == 0) {
            throw new IOException("Found an empty AOF manifest");
        }
        return new AofManifest(base, history, incr, baseSeq, incrSeq);
    }

    /** sdsneedsrepr: quotes, backslashes, spaces or unprintable bytes. */
    private static boolean needsRepr(byte[] s) {
        for (byte b : s) {
            int c = b & 0xff;
            if (c == '\\' || c == '"' || c <= 0x20 || c >= 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** C's atoll: optional sign and leading digits, 0 when none. */
    private static long atoll(String s) {
        String t = s.strip();
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        long n = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            n = n * 10 + (t.charAt(i++) - '0');
        }
        return negative ? -n : n;
    }
}
