package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ACL rules against redis-server 7.0: ACL SETUSER with command, subcommand, category and first-arg rules,
 * %R~/%W~ key patterns and selectors, and the errors for bad ones; ACL LIST and ACL GETUSER (RESP2 and
 * RESP3) describing the result with Redis's computed rules; ACL CAT; ACL DRYRUN; and users running
 * commands for real: NOPERM errors and the ACL LOG entries they leave.
 *
 * <p>Redis lists the single-command part of a rule description ("+get -config|set +select|0") in the
 * order of its command dict, which hashes with a random seed at each start: two runs of redis-server
 * disagree on it. {@link #COMMAND_RULES} sorts each run of such rules; everything else, the categories
 * chosen and their order included, is compared as sent. ACL CAT of a category is likewise compared as
 * a set.
 */
@ExtendWith(DifferentialExtension.class)
class AclRulesDifferentialTest {

    /**
     * Sorts every run of consecutive single-command rules in the bulk strings of a reply (at any depth),
     * leaving the +@all/-@all start, the categories, patterns and selector parentheses where they are.
     */
    static final ReplyMasker COMMAND_RULES = AclRulesDifferentialTest::sortCommandRules;

    private static Reply sortCommandRules(Reply reply) {
        if (reply instanceof Reply.Bulk bulk) {
            return new Reply.Bulk(sortCommandRules(bulk.asString()).getBytes(StandardCharsets.ISO_8859_1));
        }
        if (reply instanceof Reply.Array array) {
            return new Reply.Array(array.elements().stream().map(AclRulesDifferentialTest::sortCommandRules).toList());
        }
        if (reply instanceof Reply.Map map) {
            return new Reply.Map(map.entries().stream()
                    .map(e -> new Reply.Entry(e.key(), sortCommandRules(e.value()))).toList());
        }
        return reply;
    }

    private static String sortCommandRules(String text) {
        List<String> tokens = new ArrayList<>();
        for (String t : text.replace("(", "( ").replace(")", " )").split(" ", -1)) {
            tokens.add(t);
        }
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String t : tokens) {
            boolean single = (t.startsWith("+") || t.startsWith("-")) && !t.startsWith("+@") && !t.startsWith("-@");
            if (single) {
                run.add(t);
                continue;
            }
            run.sort(null);
            out.addAll(run);
            run.clear();
            out.add(t);
        }
        run.sort(null);
        out.addAll(run);
        return String.join(" ", out);
    }

    /** Rule sequences whose descriptions exercise the category fit, subcommands, first args and selectors. */
    private static final String[][] RULE_SEQUENCES = {
        {"on", ">pw", "~k*", "&ch*", "+@all"},
        {"+select|0", "+select|1", "+SELECT|0", "+debug|object", "+GET", "+config|GET"},
        {"+@all", "-@dangerous", "+flushall", "-config|set"},
        {"-@all", "+@read", "-@hash", "+hget"},
        {"+@all", "-@write", "-@dangerous"},
        {"-@all", "+@slow"},
        {"-@all", "+@slow", "-@fast"},
        {"-@all", "+config", "-config|set", "+client|id", "+@hash", "-hset"},
        {"+@all", "-@all", "+@all", "-get", "+get"},
        {"+@all", "-@read", "+@write", "-@stream", "-@list", "+@geo", "+xadd"},
        {"-@all", "+@scripting", "+@transaction", "+@connection", "-auth", "-hello"},
        {"-@all", "+@pubsub", "+@blocking", "-@slow"},
        {"allcommands", "-@keyspace", "+del", "-object", "+object|encoding", "-@sortedset"},
        {"nocommands", "+@admin", "-@dangerous", "+@string", "-set", "+setnx"},
        {"on", "nopass", "skip-sanitize-payload", "+@all", "-@admin", "+@fast", "-@keyspace", "-debug", "~k*",
            "&c*", "%R~r*", "%W~w*", "(+get ~x)", "(-@all +set %W~y &q)"},
        {"%RW~a", "%WR~b", "%R~c", "%W~c", "%r~d", "%w~e", "%R"},
        {"(~a", "+get)", "(%R~b +set)", "()"},
        {"(~a", "(~b", "+get)"},
        {"(~a 'bc)"},
        {"+@all", "clearselectors", "(+get)", "clearselectors", "(+set)"},
        {">pw", ">pw2", "<pw", "on", "reset"},
        {"allkeys", "resetkeys", "~a", "allchannels", "resetchannels", "&b", "&b", "~a"},
    };

    @Test
    void ruleSequencesAreDescribedAsRedisDescribesThem(DifferentialSession session) {
        try {
            for (int i = 0; i < RULE_SEQUENCES.length; i++) {
                session.check(setUser("u" + i, RULE_SEQUENCES[i]));
                session.checkMasked(COMMAND_RULES, "ACL", "GETUSER", "u" + i);
            }
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            for (int i = 0; i < RULE_SEQUENCES.length; i++) {
                session.checkMasked(COMMAND_RULES, "ACL", "GETUSER", "u" + i);
            }
            session.check("ACL", "GETUSER", "nobody");
        } finally {
            for (int i = 0; i < RULE_SEQUENCES.length; i++) {
                session.check("ACL", "DELUSER", "u" + i);
            }
        }
    }

    @Test
    void rulesChangeAnExistingUserStepByStep(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "s", "-@all", "+@read");
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
            session.check("ACL", "SETUSER", "s", "-@string", "+get", "(+set ~k)");
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
            session.check("ACL", "SETUSER", "s", "+@string", "-get", "(+get)");
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
            session.check("ACL", "SETUSER", "s", "+nosuch", "+get");
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
            session.check("ACL", "SETUSER", "s", "reset");
            session.checkMasked(COMMAND_RULES, "ACL", "LIST");
        } finally {
            session.check("ACL", "DELUSER", "s");
        }
    }

    @Test
    void badRulesAreRefusedWithRedisErrors(DifferentialSession session) {
        String[] bad = {"+", "-", "+|", "+get|", "+config|", "+config|get|x", "+get|foo|bar", "+config|foo",
            "-select|0", "+@foo", "-@", "+@", "%", "%~a", "%~", "%X~d", "%RR~a", "%R~a b", "~a b", "&a b", "foo",
            "(foo)", "(~a", "<nope", "#abc", "!abc", "#" + "A".repeat(64), "+@ALL", "-@READ", "+GET|x|"};
        for (String rule : bad) {
            session.check("ACL", "SETUSER", "bad", "on", rule);
        }
        session.check("ACL", "SETUSER", "bad", "allkeys", "~a");
        session.check("ACL", "SETUSER", "bad", "allkeys", "%R~a");
        session.check("ACL", "SETUSER", "bad", "allchannels", "&a");
        session.check("ACL", "SETUSER", "bad", "(~a", "+get");
        session.check("ACL", "SETUSER", "bad", "(~a +nosuch)");
        session.check("ACL", "SETUSER", "bad", "(~a allkeys ~b)");
        session.check("ACL", "SETUSER", "bad user");
        session.check("ACL", "GETUSER", "bad");
        session.check("ACL", "DELUSER", "bad");
    }

    @Test
    void aclCatListsTheCategoriesAndTheCommandsOfEach(DifferentialSession session) {
        Reply categories = session.check("ACL", "CAT");
        for (Reply category : ((Reply.Array) categories).elements()) {
            session.checkMasked(ReplyMasker.unordered(), "ACL", "CAT", category.asString());
        }
        session.checkMasked(ReplyMasker.unordered(), "ACL", "CAT", "READ");
        session.check("ACL", "CAT", "nosuch");
        session.check("ACL", "CAT", "all");
        session.check("ACL", "CAT", "read", "write");
    }

    @Test
    void dryRunChecksKeysByTheirAccessAndSelectorsInTurn(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "r", "on", ">pw", "+@all", "%R~r*", "%W~w*", "~b*", "(+get ~s*)",
                    "(+set %W~t*)", "&c*", "(&d* +publish)");
            String[][] commands = {
                {"GET", "r1"}, {"GET", "w1"}, {"SET", "w1", "v"}, {"SET", "r1", "v"}, {"SET", "r1", "v", "GET"},
                {"SET", "w1", "v", "GET"}, {"SET", "b1", "v", "GET"}, {"GET", "s1"}, {"SET", "s1", "v"},
                {"SET", "t1", "v"}, {"SET", "t1", "v", "GET"}, {"COPY", "r1", "w1"}, {"COPY", "w1", "r1"},
                {"COPY", "r1", "zz"}, {"LMOVE", "r1", "w1", "left", "right"}, {"MSET", "w1", "a", "zz", "b"},
                {"MGET", "r1", "zz", "w1"}, {"SINTERSTORE", "w1", "r1", "r2"}, {"SORT", "r1", "STORE", "w1"},
                {"SORT", "r1", "STORE", "r2"}, {"EVAL", "return 1", "2", "r1", "w1"}, {"EVAL", "return 1", "1", "zz"},
                {"PUBLISH", "d1", "m"}, {"PUBLISH", "e1", "m"}, {"SUBSCRIBE", "c1", "d1"}, {"PSUBSCRIBE", "c*"},
                {"XREAD", "STREAMS", "r1", "w1", "0", "0"}, {"GETDEL", "r1"}, {"EXISTS", "w1"},
                {"OBJECT", "ENCODING", "w1"}, {"DEL", "r1"}, {"BITFIELD", "r1", "GET", "u8", "0"},
                {"BITFIELD", "r1", "SET", "u8", "0", "1"}, {"BITFIELD_RO", "w1", "GET", "u8", "0"},
                {"ZUNIONSTORE", "w1", "2", "r1", "r2"}, {"GEORADIUS", "r1", "0", "0", "1", "km", "STORE", "w1"},
                {"MIGRATE", "127.0.0.1", "1", "", "0", "1", "KEYS", "r1", "w1"}, {"RENAME", "w1", "w2"},
                {"TOUCH", "w1"}, {"LPUSH", "w1", "x"}, {"XADD", "r1", "*", "f", "v"},
            };
            for (String[] command : commands) {
                List<String> argv = new ArrayList<>(List.of("ACL", "DRYRUN", "r"));
                argv.addAll(List.of(command));
                session.check(argv.toArray(new String[0]));
            }
            session.check("ACL", "SETUSER", "s", "on", "nopass", "-@all", "+select|0", "+debug|object", "+config|get",
                    "~*");
            session.check("ACL", "DRYRUN", "s", "SELECT", "0");
            session.check("ACL", "DRYRUN", "s", "select", "1");
            session.check("ACL", "DRYRUN", "s", "SELECT");
            session.check("ACL", "DRYRUN", "s", "DEBUG", "OBJECT", "k");
            session.check("ACL", "DRYRUN", "s", "CONFIG", "GET", "x");
            session.check("ACL", "DRYRUN", "s", "CONFIG", "SET", "x", "y");
            session.check("ACL", "DRYRUN", "s", "CONFIG");
            session.check("ACL", "DRYRUN", "s", "CONFIG", "nosuch");
            session.check("ACL", "DRYRUN", "s", "nosuch");
            session.check("ACL", "DRYRUN", "s", "AUTH", "x");
            session.check("ACL", "DRYRUN", "nobody", "GET", "x");
        } finally {
            session.check("ACL", "DELUSER", "r", "s");
        }
    }

    @Test
    void restrictedUsersAreRefusedWithNopermAndTheRefusalsLogged(DifferentialSession session) {
        session.check("ACL", "LOG", "RESET");
        session.check("SET", "r1", "v");
        session.check("SET", "w1", "v");
        try {
            session.check("ACL", "SETUSER", "r", "on", ">pw", "-@all", "+@read", "+@write", "-@dangerous",
                    "+select|0", "+config|get", "%R~r*", "%W~w*", "&c*", "(+@all ~admin* -flushall)");
            session.check("AUTH", "r", "pw");
            session.check("GET", "r1");
            session.check("GET", "w1");
            session.check("SET", "w1", "x");
            session.check("SET", "r1", "x");
            session.check("APPEND", "w1", "x");
            session.check("GETSET", "w1", "y");
            session.check("SELECT", "0");
            session.check("SELECT", "1");
            session.check("CONFIG", "GET", "maxmemory");
            session.check("CONFIG", "SET", "maxmemory", "0");
            session.check("FLUSHALL");
            session.check("SET", "admin1", "v");
            session.check("GET", "admin1");
            session.check("PUBLISH", "c1", "m");
            session.check("PUBLISH", "x1", "m");
            session.checkMasked(ReplyMasker.unordered(), "KEYS", "*");
            session.check("MULTI");
            session.check("GET", "w1");
            session.check("CONFIG", "SET", "maxmemory", "0");
            session.check("GET", "r1");
            session.check("EXEC");
            session.check("AUTH", "default", "x");
            session.checkMasked(AclLogDifferentialTest.ENTRIES, "ACL", "LOG");
        } finally {
            session.check("AUTH", "default", "x");
            session.check("ACL", "DELUSER", "r");
        }
    }

    @Test
    void subscribersLosingAChannelOrPatternAreDisconnected(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "sub", "on", ">pw", "+@all", "&news.*", "&alerts", "&p*");
            List<String> outcomes = new ArrayList<>();
            for (RedisTarget target : List.of(session.reference(), session.candidate())) {
                outcomes.add(subscribersAfterRuleChanges(session, target));
            }
            assertEquals(outcomes.get(0), outcomes.get(1));
        } finally {
            session.check("ACL", "DELUSER", "sub");
        }
    }

    /**
     * Three subscribers of user "sub" (a channel, a pattern, a shard channel); after each rule change on
     * {@code target}, which of them the server has closed.
     */
    private static String subscribersAfterRuleChanges(DifferentialSession session, RedisTarget target) {
        StringBuilder out = new StringBuilder();
        try (RespClient admin = RespClient.connect(target); RespClient channel = RespClient.connect(target);
                RespClient pattern = RespClient.connect(target); RespClient shard = RespClient.connect(target)) {
            admin.call("ACL", "SETUSER", "sub", "reset", "on", ">pw", "+@all", "&news.*", "&alerts", "&p*");
            channel.call("AUTH", "sub", "pw");
            out.append(channel.call("SUBSCRIBE", "news.today")).append('\n');
            pattern.call("AUTH", "sub", "pw");
            out.append(pattern.call("PSUBSCRIBE", "p*")).append('\n');
            shard.call("AUTH", "sub", "pw");
            out.append(shard.call("SSUBSCRIBE", "alerts")).append('\n');
            List<RespClient> subscribers = List.of(channel, pattern, shard);
            for (String[] rules : List.of(new String[] {"&more"}, new String[] {"resetchannels", "&news.*", "&p*", "&alerts", "&x"},
                    new String[] {"resetchannels", "&news.*", "&p*", "&alerts"}, new String[] {"resetchannels", "&p*", "&alerts", "&news.today"},
                    new String[] {"resetchannels", "&p?", "&alerts"}, new String[] {"resetchannels"})) {
                List<String> argv = new ArrayList<>(List.of("ACL", "SETUSER", "sub"));
                argv.addAll(List.of(rules));
                out.append(String.join(" ", rules)).append(": ").append(admin.call(argv.toArray(new String[0])));
                for (RespClient s : subscribers) {
                    out.append(' ').append(pingOrClosed(s));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * PING on a subscriber whose server has already answered the ACL SETUSER that may have closed it: its
     * reply, or "closed". A closed connection is told at once, so nothing waits for a quiet period.
     */
    private static String pingOrClosed(RespClient subscriber) {
        try {
            return subscriber.call("PING").toString();
        } catch (UncheckedIOException e) {
            return "closed";
        }
    }

    private static String[] setUser(String name, String... rules) {
        List<String> argv = new ArrayList<>(List.of("ACL", "SETUSER", name));
        argv.addAll(List.of(rules));
        return argv.toArray(new String[0]);
    }
}
