package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of ACL SETUSER calls (commands, subcommands, categories, first args, key and channel
 * patterns with their access, selectors, valid and not) leave the same user as on redis-server 7.0: the
 * same replies, the same ACL GETUSER and ACL LIST (single-command runs sorted, see
 * {@link AclRulesDifferentialTest#COMMAND_RULES}), and the same ACL DRYRUN verdicts on a fixed set of
 * commands.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class AclRulesPropertyTest {
    private static DifferentialTargets targets;

    private static final String[][] DRY_RUNS = {
        {"GET", "k1"}, {"GET", "r1"}, {"GET", "w1"}, {"GET", "s1"}, {"SET", "w1", "v"}, {"SET", "r1", "v"},
        {"SET", "t1", "v", "GET"}, {"SET", "b1", "v"}, {"COPY", "r1", "w1"}, {"HSET", "w1", "f", "v"},
        {"HGET", "r1", "f"}, {"CONFIG", "GET", "x"}, {"CONFIG", "SET", "x", "y"}, {"SELECT", "0"}, {"SELECT", "1"},
        {"OBJECT", "ENCODING", "r1"}, {"XINFO", "STREAM", "r1"}, {"PUBLISH", "c1", "m"}, {"PUBLISH", "x", "m"},
        {"SUBSCRIBE", "c1", "x"}, {"CLIENT", "ID"}, {"FLUSHALL"}, {"AUTH", "x"}, {"DEBUG", "OBJECT", "k1"},
    };

    @BeforeContainer
    static void startTargets() {
        targets = DifferentialTargets.start();
    }

    @AfterContainer
    static void stopTargets() {
        if (targets != null) {
            targets.close();
        }
    }

    @Property(tries = 150)
    void randomRulesLeaveTheSameUser(@ForAll("calls") List<List<String>> calls) {
        try (DifferentialSession session = targets.freshSession()) {
            try {
                for (List<String> rules : calls) {
                    List<String> argv = new ArrayList<>(List.of("ACL", "SETUSER", "p"));
                    argv.addAll(rules);
                    session.check(argv.toArray(new String[0]));
                }
                session.checkMasked(AclRulesDifferentialTest.COMMAND_RULES, "ACL", "GETUSER", "p");
                session.checkMasked(AclRulesDifferentialTest.COMMAND_RULES, "ACL", "LIST");
                for (String[] command : DRY_RUNS) {
                    List<String> argv = new ArrayList<>(List.of("ACL", "DRYRUN", "p"));
                    argv.addAll(List.of(command));
                    session.check(argv.toArray(new String[0]));
                }
            } finally {
                session.check("ACL", "DELUSER", "p");
            }
        }
    }

    @Provide
    Arbitrary<List<List<String>>> calls() {
        List<String> categories = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
                "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
                "connection", "transaction", "scripting", "all", "nosuch");
        Arbitrary<String> category = Arbitraries.of(categories).flatMap(c -> Arbitraries.of("+@" + c, "-@" + c));
        Arbitrary<String> command = Arbitraries.of("+get", "-get", "+set", "-set", "+config", "-config",
                "+config|get", "-config|set", "+client|id", "-client", "+select|0", "+select|1", "+debug|object",
                "+object|encoding", "-object", "+hget", "-hset", "+xinfo|stream", "+nosuch", "+get|x|y", "+flushall",
                "allcommands", "nocommands");
        Arbitrary<String> other = Arbitraries.of("on", "off", "nopass", "resetpass", ">pw", "reset", "~k*", "%R~r*",
                "%W~w*", "%RW~b*", "%R~w*", "allkeys", "resetkeys", "&c*", "allchannels", "resetchannels",
                "(+get ~s*)", "(-@all +@write %W~t*)", "(+@read &c*)", "()", "clearselectors", "%~x", "bogus");
        Arbitrary<String> rule = Arbitraries.frequencyOf(
                Tuple.of(4, category), Tuple.of(4, command), Tuple.of(3, other));
        return rule.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(4);
    }
}
