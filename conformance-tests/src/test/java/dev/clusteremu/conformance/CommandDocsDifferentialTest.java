package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * COMMAND DOCS against a real redis-server 7.0, for every command and subcommand the emulator has, in
 * RESP2 and RESP3: the docs of a plain command byte for byte; a container's docs with its subcommands
 * compared as a set, since Redis lists them in its hash table's order, which is random per process (the
 * dict seed), and only those the emulator has (a subcommand Redis has and the emulator lacks is not
 * documented by it). Names in the order asked, unknown names skipped; COMMAND DOCS without names compared
 * as a set of the emulator's commands. Also redis-cli, which builds its help and hints from COMMAND DOCS.
 */
@ExtendWith(DifferentialExtension.class)
class CommandDocsDifferentialTest {

    /** The groups COMMAND DOCS names (COMMAND_GROUP_STR), all of which redis-cli offers as "help @group". */
    private static final List<String> GROUPS = List.of("generic", "string", "list", "set", "sorted-set", "hash",
            "pubsub", "transactions", "connection", "server", "scripting", "hyperloglog", "cluster", "geo", "stream",
            "bitmap");

    /** One entry of redis-cli's help: its bold name line, then summary, since, group and a blank line. */
    private static final Pattern HELP_ENTRY = Pattern.compile("\r\n  \u001b\\[1m([^\u001b]*)\u001b\\[0m");

    @Test
    void everyCommandAndSubcommandIsDocumentedAsRedisDocumentsIt(DifferentialSession session) {
        Set<String> implemented = implemented(session);
        for (int protocol = 2; protocol <= 3; protocol++) {
            hello(session, protocol);
            for (String name : implemented) {
                if (isContainer(name, implemented)) {
                    session.checkMasked(implementedDocs(implemented), "COMMAND", "DOCS", name);
                } else {
                    session.check("COMMAND", "DOCS", name);
                }
            }
        }
    }

    @Test
    void namesAreAnsweredInTheOrderAskedAndUnknownOnesAreSkipped(DifferentialSession session) {
        Set<String> implemented = implemented(session);
        for (int protocol = 2; protocol <= 3; protocol++) {
            hello(session, protocol);
            session.check("COMMAND", "DOCS", "get", "SET", "nosuch", "get", "Config|Get", "client|list", "zadd");
            session.check("COMMAND", "DOCS", "nosuch", "get|x", "config|nosuch", "config|get|x", "a|b|c", "", "|",
                    "config|", "|get");
            session.check("COMMAND", "DOCS", "georadius", "xgroup|create", "xadd", "sort", "bitfield", "migrate");
            session.checkMasked(implementedDocs(implemented), "COMMAND", "DOCS", "config", "get", "XINFO",
                    "client|kill", "cluster");
        }
    }

    @Test
    void withoutNamesEveryCommandIsDocumented(DifferentialSession session) {
        Set<String> implemented = implemented(session);
        for (int protocol = 2; protocol <= 3; protocol++) {
            hello(session, protocol);
            session.checkMasked(implementedDocs(implemented), "COMMAND", "DOCS");
        }
    }

    /**
     * redis-cli's "help @group" lists the group's commands from COMMAND DOCS with their argument syntax
     * (what its interactive hints show), summary and since: the same text from both servers, but for the
     * commands the emulator lacks.
     */
    @Test
    void redisCliHelpIsBuiltAlikeFromEitherServer(DifferentialSession session) {
        RedisBinaries.assumeRedisCli();
        Set<String> implemented = implemented(session);
        for (String topic : topics()) {
            String reference = help(session.reference(), topic);
            String candidate = help(session.candidate(), topic);
            assertTrue(reference.contains("summary:"), "redis-cli help " + topic + ": " + reference);
            assertEquals(helpEntriesOf(reference, implemented), candidate, "redis-cli help " + topic);
        }
    }

    private static List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (String group : GROUPS) {
            topics.add("@" + group);
        }
        topics.addAll(List.of("set", "config", "client list", "xgroup", "georadius"));
        return topics;
    }

    private static String help(RedisTarget target, String topic) {
        List<String> args = new ArrayList<>(List.of("-h", target.host(), "-p", Integer.toString(target.port()),
                "help"));
        args.addAll(List.of(topic.split(" ")));
        RedisCli.Result result = RedisCli.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.toString());
        return result.stdout();
    }

    /**
     * The help text without the entries of commands outside {@code implemented}. Each entry starts with
     * "\r\n" and its bold name; the text ends with one more "\r\n" (cliOutputHelp).
     */
    private static String helpEntriesOf(String help, Set<String> implemented) {
        int end = help.endsWith("\r\n") ? help.length() - 2 : help.length();
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher matcher = HELP_ENTRY.matcher(help.substring(0, end));
        while (matcher.find()) {
            starts.add(matcher.start());
            names.add(matcher.group(1).toLowerCase(Locale.ROOT).replace(' ', '|'));
        }
        StringBuilder kept = new StringBuilder(help.substring(0, starts.isEmpty() ? end : starts.get(0)));
        for (int i = 0; i < starts.size(); i++) {
            if (implemented.contains(names.get(i))) {
                kept.append(help, starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : end);
            }
        }
        return kept.append(help.substring(end)).toString();
    }

    private static void hello(DifferentialSession session, int protocol) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", Integer.toString(protocol));
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

    /**
     * Masks a COMMAND DOCS reply down to what the emulator can be compared on: the commands and, in each
     * container's "subcommands", the subcommands that {@code implemented} names, each sorted by name.
     * Maps are RESP3 maps or RESP2 flat arrays and stay what they were.
     */
    private static ReplyMasker implementedDocs(Set<String> implemented) {
        return reply -> commands(reply, implemented);
    }

    private static Reply commands(Reply map, Set<String> implemented) {
        List<Reply.Entry> kept = new ArrayList<>();
        for (Reply.Entry entry : entries(map)) {
            if (implemented.contains(entry.key().asString())) {
                kept.add(new Reply.Entry(entry.key(), docs(entry.value(), implemented)));
            }
        }
        kept.sort(Comparator.comparing(entry -> entry.key().asString()));
        return sameShape(map, kept);
    }

    private static Reply docs(Reply map, Set<String> implemented) {
        List<Reply.Entry> fields = new ArrayList<>();
        for (Reply.Entry entry : entries(map)) {
            boolean subcommands = entry.key().equals(Reply.bulk("subcommands"));
            fields.add(subcommands ? new Reply.Entry(entry.key(), commands(entry.value(), implemented)) : entry);
        }
        return sameShape(map, fields);
    }

    private static List<Reply.Entry> entries(Reply map) {
        if (map instanceof Reply.Map m) {
            return m.entries();
        }
        List<Reply> flat = map.asList();
        List<Reply.Entry> entries = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            entries.add(new Reply.Entry(flat.get(i), flat.get(i + 1)));
        }
        return entries;
    }

    private static Reply sameShape(Reply original, List<Reply.Entry> entries) {
        if (original instanceof Reply.Map) {
            return new Reply.Map(entries);
        }
        List<Reply> flat = new ArrayList<>();
        for (Reply.Entry entry : entries) {
            flat.add(entry.key());
            flat.add(entry.value());
        }
        return new Reply.Array(flat);
    }
}
