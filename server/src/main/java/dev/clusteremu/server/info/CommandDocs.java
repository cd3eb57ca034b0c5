package dev.clusteremu.server.info;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.resp.RespWriter;

/**
 * A command's entry in COMMAND DOCS (addReplyCommandDocs): summary, since, group, complexity, doc flags,
 * deprecation, history, the argument tree and the subcommands. The texts are Redis 7.0.15's own reply
 * data, read once per JVM from command-docs.txt (written by tools/gen-command-docs from a real
 * redis-server, whose header describes the format) and shared by every node.
 */
public final class CommandDocs {
    private static final String RESOURCE = "/dev/clusteremu/server/command-docs.txt";

    private CommandDocs() {
    }

    /** Parsed on first use: nodes that never hear COMMAND DOCS don't pay for it. */
    private static final class Loaded {
        static final Map<String, Doc> BY_FULL_NAME = load();
        static final Doc UNDOCUMENTED = new Doc();
    }

    /** What Redis documents about one command or subcommand; a field Redis leaves out is null or empty. */
    private static final class Doc {
        String summary;
        String since;
        String group;
        String complexity;
        List<String> docFlags = List.of();
        String deprecatedSince;
        String replacedBy;
        final List<String[]> history = new ArrayList<>();
        final List<Argument> arguments = new ArrayList<>();
    }

    /** One argument (redisCommandArg): a oneof or block argument has arguments of its own. */
    private static final class Argument {
        final String name;
        final String type;
        int keySpecIndex = -1;
        String token;
        String summary;
        String since;
        String deprecatedSince;
        List<String> flags = List.of();
        final List<Argument> arguments = new ArrayList<>();

        Argument(String name, String type) {
            this.name = name;
            this.type = type;
        }
    }

    /**
     * Writes the docs map of {@code spec}, a command or a subcommand. A container's "subcommands" holds
     * the subcommands this node implements, keyed by full name as Redis keys them. A command Redis does not
     * document gets only what the node knows: its subcommands, if any.
     */
    public static void write(RespWriter r, CommandSpec spec) {
        Doc doc = Loaded.BY_FULL_NAME.getOrDefault(spec.fullName(), Loaded.UNDOCUMENTED);
        int fields = count(doc.summary) + count(doc.since) + count(doc.group) + count(doc.complexity)
                + count(doc.docFlags) + count(doc.deprecatedSince) + count(doc.replacedBy) + count(doc.history)
                + count(doc.arguments) + (spec.isContainer() ? 1 : 0);
        r.map(fields);
        text(r, "summary", doc.summary);
        text(r, "since", doc.since);
        text(r, "group", doc.group);
        text(r, "complexity", doc.complexity);
        if (!doc.docFlags.isEmpty()) {
            r.bulk("doc_flags");
            flags(r, doc.docFlags);
        }
        text(r, "deprecated_since", doc.deprecatedSince);
        text(r, "replaced_by", doc.replacedBy);
        if (!doc.history.isEmpty()) {
            r.bulk("history");
            r.set(doc.history.size());
            for (String[] entry : doc.history) {
                r.array(2).bulk(entry[0]).bulk(entry[1]);
            }
        }
        if (!doc.arguments.isEmpty()) {
            r.bulk("arguments");
            arguments(r, doc.arguments);
        }
        if (spec.isContainer()) {
            r.bulk("subcommands");
            r.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.fullName());
                write(r, sub);
            }
        }
    }

    /** addReplyCommandArgList: an array of maps whose fields come in this fixed order. */
    private static void arguments(RespWriter r, List<Argument> arguments) {
        r.array(arguments.size());
        for (Argument a : arguments) {
            int fields = 2 + (a.keySpecIndex >= 0 ? 1 : 0) + count(a.token) + count(a.summary) + count(a.since)
                    + count(a.deprecatedSince) + count(a.flags) + count(a.arguments);
            r.map(fields);
            text(r, "name", a.name);
            text(r, "type", a.type);
            if (a.keySpecIndex >= 0) {
                r.bulk("key_spec_index");
                r.integer(a.keySpecIndex);
            }
            text(r, "token", a.token);
            text(r, "summary", a.summary);
            text(r, "since", a.since);
            text(r, "deprecated_since", a.deprecatedSince);
            if (!a.flags.isEmpty()) {
                r.bulk("flags");
                flags(r, a.flags);
            }
            if (!a.arguments.isEmpty()) {
                r.bulk("arguments");
                arguments(r, a.arguments);
            }
        }
    }

    /** addReplyCommandFlags: a set of status replies. */
    private static void flags(RespWriter r, List<String> flags) {
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
    }

    private static void text(RespWriter r, String field, String value) {
        if (value != null) {
            r.bulk(field);
            r.bulk(value);
        }
    }

    private static int count(String value) {
        return value == null ? 0 : 1;
    }

    private static int count(List<?> values) {
        return values.isEmpty() ? 0 : 1;
    }

    // ---- command-docs.txt ----

    private static Map<String, Doc> load() {
        Map<String, Doc> docs = new HashMap<>();
        try (InputStream in = CommandDocs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Doc doc = null;
            List<Argument> openArguments = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int indent = 0;
                while (line.charAt(indent) == '\t') {
                    indent++;
                }
                String[] cols = line.substring(indent).split("\t", -1);
                if (indent == 0) {
                    doc = new Doc();
                    docs.put(unescape(cols[0]), doc);
                } else if (cols[0].equals("arg")) {
                    argument(doc, openArguments, indent - 1, cols);
                } else {
                    field(doc, cols);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** A command field line: "summary TAB text", "history TAB since TAB changes", ... */
    private static void field(Doc doc, String[] cols) {
        String value = unescape(cols[1]);
        switch (cols[0]) {
            case "summary" -> doc.summary = value;
            case "since" -> doc.since = value;
            case "group" -> doc.group = value;
            case "complexity" -> doc.complexity = value;
            case "doc_flags" -> doc.docFlags = List.of(value.split(","));
            case "deprecated_since" -> doc.deprecatedSince = value;
            case "replaced_by" -> doc.replacedBy = value;
            case "history" -> doc.history.add(new String[] {value, unescape(cols[2])});
            default -> throw new IllegalStateException(RESOURCE + ": unknown field " + cols[0]);
        }
    }

    /**
     * An argument line at {@code depth} (0 for the command's own arguments): it belongs to the last
     * argument read one level up, as the file nests them.
     */
    private static void argument(Doc doc, List<Argument> open, int depth, String[] cols) {
        Argument a = new Argument(unescape(cols[1]), unescape(cols[2]));
        for (int i = 3; i < cols.length; i++) {
            int eq = cols[i].indexOf('=');
            String value = unescape(cols[i].substring(eq + 1));
            switch (cols[i].substring(0, eq)) {
                case "key_spec_index" -> a.keySpecIndex = Integer.parseInt(value);
                case "token" -> a.token = value;
                case "summary" -> a.summary = value;
                case "since" -> a.since = value;
                case "deprecated_since" -> a.deprecatedSince = value;
                case "flags" -> a.flags = List.of(value.split(","));
                default -> throw new IllegalStateException(RESOURCE + ": unknown attribute " + cols[i]);
            }
        }
        (depth == 0 ? doc.arguments : open.get(depth - 1).arguments).add(a);
        open.subList(depth, open.size()).clear();
        open.add(a);
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
