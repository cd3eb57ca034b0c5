package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * COMMAND GETKEYS and GETKEYSANDFLAGS against a real redis-server 7.0, byte for byte: keys found by the
 * command's key specs (getKeysUsingKeySpecs) and, when the specs can't tell (an unknown, incomplete or
 * variable-flags spec, a bad key count), by the command's own key function with the flags it gives.
 *
 * <p>The command lines come from Redis's COMMAND DOCS of every command and subcommand the emulator has:
 * its argument tree walked into a shortest form (no optional argument, each repeated one once), a full
 * form (every optional argument, each repeated one twice) and one form per alternative of its "oneof"
 * arguments, numkeys counting the keys that follow; plus runs of plain words around the arity, and the
 * cases where Redis's key search is subtle (those of commands the emulator lacks, EVAL and FCALL today, are
 * skipped).
 */
@ExtendWith(DifferentialExtension.class)
class CommandGetKeysDifferentialTest {

    /** An argument of COMMAND DOCS: its name, type, token, flags and, for oneof and block, its arguments. */
    private record Arg(String name, String type, String token, boolean optional, boolean multiple,
                       boolean multipleToken, List<Arg> args) {
    }

    @Test
    void commandLinesBuiltFromRedisDocsGiveRedisKeys(DifferentialSession session) {
        Set<String> implemented = implemented(session);
        for (String name : implemented) {
            if (isContainer(name, implemented)) {
                continue;
            }
            List<String> prefix = List.of(name.split("\\|"));
            List<Arg> args = parseArgs(docField(session, name, "arguments"));
            for (List<String> line : commandLines(prefix, args)) {
                check(session, line);
            }
        }
    }

    @Test
    void wordsAroundTheArityGiveRedisErrorsAndKeys(DifferentialSession session) {
        Set<String> implemented = implemented(session);
        for (String name : implemented) {
            if (isContainer(name, implemented)) {
                continue;
            }
            List<String> prefix = List.of(name.split("\\|"));
            long arity = session.referenceClient().call("COMMAND", "INFO", name).asList().get(0).asList().get(1).asLong();
            for (int argc = Math.max(prefix.size(), (int) Math.abs(arity) - 1); argc <= Math.abs(arity) + 3; argc++) {
                for (String word : List.of("w", "1", "0", "-1", "2x")) {
                    List<String> line = new ArrayList<>(prefix);
                    while (line.size() < argc) {
                        line.add(word);
                    }
                    check(session, line);
                }
            }
        }
    }

    @Test
    void keySearchEdgesAsRedisWalksThem(DifferentialSession session) {
        String[][] lines = {
            {"GEORADIUS", "k", "0", "0", "1", "km", "STORE", "b", "STOREDIST", "c"},
            {"GEORADIUS", "k", "0", "0", "1", "km", "STOREDIST", "c", "STORE", "b"},
            {"GEORADIUS", "k", "0", "0", "1", "km", "STORE"},
            {"GEORADIUS", "k", "0", "0", "1", "km", "WITHDIST", "STORE", "b", "STORE", "d"},
            {"GEORADIUSBYMEMBER", "k", "m", "1", "km", "STOREDIST", "c", "COUNT", "3"},
            {"SORT", "a", "STORE", "b"},
            {"SORT", "a", "BY", "STORE", "GET", "STORE", "LIMIT", "STORE", "STORE", "STORE", "b"},
            {"SORT", "a", "STORE", "b", "STORE", "c"},
            {"SORT", "a", "STORE"},
            {"SORT", "a", "ALPHA"},
            {"SORT_RO", "a", "STORE", "b"},
            {"MIGRATE", "h", "1", "k", "0", "10"},
            {"MIGRATE", "h", "1", "", "0", "10", "KEYS", "a", "b"},
            {"MIGRATE", "h", "1", "k", "0", "10", "KEYS", "a", "b"},
            {"MIGRATE", "h", "1", "", "0", "10", "AUTH", "KEYS", "KEYS", "a"},
            {"MIGRATE", "h", "1", "", "0", "10", "AUTH2", "u", "KEYS", "KEYS", "a"},
            {"MIGRATE", "h", "1", "", "0", "10", "COPY", "REPLACE", "KEYS"},
            {"MIGRATE", "h", "1", "", "0", "10", "KEYS"},
            {"MIGRATE", "h", "1", "k", "0", "10", "keys", "x"},
            {"XREAD", "STREAMS", "a", "b", "0", "0"},
            {"XREAD", "STREAMS", "a", "b", "0"},
            {"XREAD", "STREAMS", "a"},
            {"XREAD", "COUNT", "streams", "STREAMS", "a", "0"},
            {"XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "a", "0"},
            {"XREAD", "NOACK", "STREAMS", "a", "0"},
            {"XREAD", "FOO", "STREAMS", "a", "0"},
            {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "0"},
            {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "a", "b", "0", "0"},
            {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", "0"},
            {"XREADGROUP", "GROUP", "streams", "c", "STREAMS", "a", "0"},
            {"SET", "k", "v"},
            {"SET", "k", "v", "GET"},
            {"SET", "k", "v", "EX", "get"},
            {"SET", "k", "get"},
            {"SET", "k", "v", "GETX"},
            {"BITFIELD", "k"},
            {"BITFIELD", "k", "GET", "u4", "0"},
            {"BITFIELD", "k", "GET", "u4", "0", "OVERFLOW", "SAT", "GET", "u4", "4"},
            {"BITFIELD", "k", "GET", "u4", "0", "SET", "u4", "0", "1"},
            {"BITFIELD", "k", "INCRBY", "u4", "0", "1", "GET", "u4", "0"},
            {"BITFIELD", "k", "GET", "u4"},
            {"BITFIELD", "k", "OVERFLOW"},
            {"BITFIELD_RO", "k", "GET", "u4", "0"},
            {"ZUNIONSTORE", "d", "2", "a", "b"},
            {"ZUNIONSTORE", "d", "2x", "a", "b"},
            {"ZUNIONSTORE", "d", " 2", "a", "b"},
            {"ZUNIONSTORE", "d", "+1", "a", "b"},
            {"ZUNIONSTORE", "d", "3", "a", "b"},
            {"ZUNIONSTORE", "d", "0", "a"},
            {"ZUNIONSTORE", "d", "-1", "a"},
            {"ZUNIONSTORE", "d", "4294967297", "a"},
            {"ZUNIONSTORE", "d", "4294967297x", "a"},
            {"ZUNIONSTORE", "d", "99999999999999999999", "a"},
            {"ZUNIONSTORE", "d", "2147483648", "a"},
            {"ZINTERSTORE", "d", "1", "a", "WEIGHTS", "1"},
            {"ZDIFFSTORE", "d", "1x", "a"},
            {"ZUNION", "1x", "a"},
            {"ZINTER", "2", "a", "b", "WITHSCORES"},
            {"ZINTERCARD", "1", "a", "LIMIT", "1"},
            {"ZDIFF", "1", "a"},
            {"SINTERCARD", "2", "a", "b"},
            {"SINTERCARD", "2x", "a", "b"},
            {"SINTERCARD", "0", "a"},
            {"LMPOP", "1", "a", "LEFT"},
            {"LMPOP", "1x", "a", "LEFT"},
            {"LMPOP", "3", "a", "LEFT"},
            {"BLMPOP", "0", "2", "a", "b", "LEFT"},
            {"BLMPOP", "0", "2x", "a", "b", "LEFT"},
            {"ZMPOP", "1x", "a", "MIN"},
            {"BZMPOP", "0", "1x", "a", "MIN"},
            {"MSET", "a", "1", "b"},
            {"MSET", "a", "1", "b", "2"},
            {"MSETNX", "a", "1", "b"},
            {"EVAL", "s", "0"},
            {"EVAL", "s", "1", "a"},
            {"FCALL", "f", "1x", "a"},
            {"SSUBSCRIBE", "a"},
            {"SPUBLISH", "a", "m"},
            {"PUBLISH", "a", "m"},
            {"OBJECT", "ENCODING", "k"},
            {"OBJECT", "NOSUCH", "k"},
            {"MEMORY", "USAGE", "k", "SAMPLES", "1"},
            {"XINFO", "STREAM", "k", "FULL"},
            {"XGROUP", "CREATE", "k", "g", "$"},
            {"CLIENT", "KILL", "x"},
            {"NOSUCH", "a", "b"},
            {"GET", "k", "x"},
            {"get", "k"},
        };
        Set<String> implemented = implemented(session);
        for (String[] line : lines) {
            String name = line[0].toLowerCase(Locale.ROOT);
            boolean redisOnly = !implemented.contains(name)
                    && !(session.referenceClient().call("COMMAND", "INFO", name).asList().get(0) instanceof Reply.Nil);
            if (!redisOnly) {
                check(session, List.of(line));
            }
        }
    }

    private static void check(DifferentialSession session, List<String> line) {
        List<String> getKeys = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
        getKeys.addAll(line);
        session.check(getKeys.toArray(String[]::new));
        List<String> withFlags = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
        withFlags.addAll(line);
        for (int protocol = 3; protocol >= 2; protocol--) {
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", Integer.toString(protocol));
            session.check(withFlags.toArray(String[]::new));
        }
    }

    // ---- command lines from COMMAND DOCS ----

    /** The shortest and the full form, and one form per alternative index of the oneof arguments. */
    private static Set<List<String>> commandLines(List<String> prefix, List<Arg> args) {
        int alternatives = 1;
        for (Arg arg : flatten(args)) {
            alternatives = Math.max(alternatives, arg.type().equals("oneof") ? arg.args().size() : 1);
        }
        Set<List<String>> lines = new LinkedHashSet<>();
        for (int full = 0; full <= 1; full++) {
            for (int alternative = 0; alternative < alternatives; alternative++) {
                List<String> line = new ArrayList<>(prefix);
                Form form = new Form(full == 1, full == 1 ? 2 : 1, alternative);
                form.emit(args, line);
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<Arg> flatten(List<Arg> args) {
        List<Arg> all = new ArrayList<>();
        for (Arg arg : args) {
            all.add(arg);
            all.addAll(flatten(arg.args()));
        }
        return all;
    }

    /** How one command line is built from the argument tree. */
    private static final class Form {
        private final boolean optionals;
        private final int repeat;
        private final int alternative;
        private int keys;

        Form(boolean optionals, int repeat, int alternative) {
            this.optionals = optionals;
            this.repeat = repeat;
            this.alternative = alternative;
        }

        void emit(List<Arg> args, List<String> line) {
            for (Arg arg : args) {
                if (arg.optional() && !optionals) {
                    continue;
                }
                int times = arg.multiple() ? repeat : 1;
                for (int i = 0; i < times; i++) {
                    if (arg.token() != null && (i == 0 || arg.multipleToken())) {
                        line.add(arg.token());
                    }
                    value(arg, line);
                }
            }
        }

        private void value(Arg arg, List<String> line) {
            switch (arg.type()) {
                case "pure-token" -> { }
                case "key" -> line.add("k" + ++keys);
                case "integer" -> line.add(arg.name().equals("numkeys") ? Integer.toString(repeat) : "1");
                case "double" -> line.add("1.5");
                case "pattern" -> line.add("p*");
                case "unix-time" -> line.add("100");
                case "oneof" -> emit(List.of(arg.args().get(Math.min(alternative, arg.args().size() - 1))), line);
                case "block" -> emit(arg.args(), line);
                default -> line.add(arg.name());
            }
        }
    }

    /** The value of {@code field} in the reference's COMMAND DOCS of {@code name} (RESP2: flat arrays). */
    private static Reply docField(DifferentialSession session, String name, String field) {
        List<Reply> docs = session.referenceClient().call("COMMAND", "DOCS", name).asList().get(1).asList();
        for (int i = 0; i + 1 < docs.size(); i += 2) {
            if (docs.get(i).asString().equals(field)) {
                return docs.get(i + 1);
            }
        }
        return null;
    }

    private static List<Arg> parseArgs(Reply args) {
        List<Arg> parsed = new ArrayList<>();
        if (args == null) {
            return parsed;
        }
        for (Reply arg : args.asList()) {
            List<Reply> fields = arg.asList();
            String name = null;
            String type = null;
            String token = null;
            Set<String> flags = Set.of();
            List<Arg> nested = List.of();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                Reply value = fields.get(i + 1);
                switch (fields.get(i).asString()) {
                    case "name" -> name = value.asString();
                    case "type" -> type = value.asString();
                    case "token" -> token = value.asString();
                    case "flags" -> flags = Set.copyOf(value.asList().stream().map(Reply::asString).toList());
                    case "arguments" -> nested = parseArgs(value);
                    default -> { }
                }
            }
            parsed.add(new Arg(name, type, token, flags.contains("optional"), flags.contains("multiple"),
                    flags.contains("multiple_token"), nested));
        }
        return parsed;
    }

    /** The full names of the emulator's commands and subcommands, as its COMMAND LIST gives them. */
    private static Set<String> implemented(DifferentialSession session) {
        Set<String> names = new LinkedHashSet<>();
        for (Reply name : session.candidateClient().call("COMMAND", "LIST").asList()) {
            names.add(name.asString());
        }
        return names;
    }

    private static boolean isContainer(String name, Set<String> implemented) {
        return implemented.stream().anyMatch(other -> other.startsWith(name + "|"));
    }
}
