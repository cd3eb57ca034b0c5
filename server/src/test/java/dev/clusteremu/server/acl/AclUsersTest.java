package dev.clusteremu.server.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.commands.Commands;

/**
 * ACL SETUSER rules, their descriptions and the permission checks, on the node's own command table. The
 * expected descriptions and errors were read from redis-server 7.0.15 (ACL LIST, ACL SETUSER, ACL DRYRUN);
 * where Redis lists single commands in its dict's random order, the expected strings use this table's
 * order with the same rules.
 */
class AclUsersTest {
    private final AclUsers acl = new AclUsers(Commands.table());

    private String setUser(String name, String... rules) {
        List<byte[]> args = new ArrayList<>();
        for (String r : rules) {
            args.add(r.getBytes(StandardCharsets.ISO_8859_1));
        }
        return acl.setUser(name, args);
    }

    private String described(String name) {
        return AclUsers.describe(acl.get(name));
    }

    private AclUsers.Refusal refusal(String user, String... argv) {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        CommandSpec spec = Commands.table().lookup(args);
        return AclUsers.refusal(acl.get(user), spec, args);
    }

    @Test
    void defaultUserHasEverything() {
        assertEquals("on nopass ~* &* +@all", described("default"));
    }

    @Test
    void categoryRulesAreDescribedByTheBestFittingCategories() {
        assertNull(setUser("y", "+@all", "-@write", "-@dangerous"));
        assertEquals("off resetchannels +@all -@write -@admin -info -sort_ro -keys", described("y"));
        assertNull(setUser("z", "-@all", "+@slow", "-@fast"));
        assertEquals("off resetchannels -@all +@slow", described("z"));
        assertNull(setUser("w", "+@all", "-@dangerous", "+flushall", "-config|set"));
        assertEquals("off resetchannels +@all -@admin -flushdb -info -sort -sort_ro -keys -restore -restore-asking "
                + "-migrate -swapdb", described("w"));
    }

    @Test
    void containerRulesSpillOverToSubcommandsAndSubcommandRulesDoNot() {
        assertNull(setUser("u", "-@all", "+config", "-config|set", "+client|id", "+@hash", "-hset"));
        assertEquals("off resetchannels -@all +@hash +client|id +config -config|set -hset", described("u"));
    }

    @Test
    void theLastAllOrNothingRuleDecidesTheStart() {
        assertNull(setUser("u", "+@all", "-@all", "+@all", "-get", "+get"));
        assertEquals("off resetchannels +@all", described("u"));
        assertNull(setUser("u", "-@all", "+@slow", "nocommands"));
        assertEquals("off resetchannels -@all", described("u"));
    }

    @Test
    void firstArgumentsAreKeptPerCommandAndDroppedByACommandRule() {
        assertNull(setUser("v", "+select|0", "+select|1", "+SELECT|0", "+debug|object", "+GET", "+config|GET"));
        assertEquals("off resetchannels -@all +select|0 +select|1 +config|get +get +debug|object", described("v"));
        assertEquals(AclUsers.Denial.COMMAND, refusal("v", "SELECT", "2").denial());
        assertNull(refusal("v", "select", "0"));
        assertNull(setUser("v", "-select"));
        assertEquals("off resetchannels -@all +config|get +get +debug|object", described("v"));
    }

    @Test
    void keyPatternsCarryTheirAccessAndMerge() {
        assertNull(setUser("u", "%RW~a", "%WR~b", "%R~c", "%W~c", "%r~d", "%w~e", "%R"));
        assertEquals("off ~a ~b ~c %R~d %W~e %R~ resetchannels -@all", described("u"));
        assertEquals("~a ~b ~c %R~d %W~e %R~", AclUsers.selectors(acl.get("u")).get(0).keys());
    }

    @Test
    void selectorsAreMergedFromSeveralArgumentsAndDescribedInParentheses() {
        assertNull(setUser("u", "+@all", "-@admin", "~k*", "(~a", "+get)", "(%W~y", "&q", "+set)", "()"));
        assertEquals("off ~k* resetchannels +@all -@admin (~a resetchannels -@all +get) "
                + "(%W~y resetchannels &q -@all +set) (resetchannels -@all)", described("u"));
        assertNull(setUser("u", "clearselectors"));
        assertEquals("off ~k* resetchannels +@all -@admin", described("u"));
        assertNull(setUser("t", "(~a", "(~b", "+get)"));
        assertEquals("off resetchannels -@all (~b resetchannels -@all +get)", described("t"));
        assertNull(setUser("q", "(~a 'bc)"));
        assertEquals("off resetchannels -@all (resetchannels -@all)", described("q"));
    }

    @Test
    void badRulesAreRefusedWithRedisWordsAndChangeNothing() {
        String unknown = "Unknown command or category name in ACL";
        assertEquals("Error in ACL SETUSER modifier '+': " + unknown, setUser("u", "+"));
        assertEquals("Error in ACL SETUSER modifier '+|': " + unknown, setUser("u", "+|"));
        assertEquals("Error in ACL SETUSER modifier '+get|': Syntax error", setUser("u", "+get|"));
        assertEquals("Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not "
                + "supported", setUser("u", "+config|get|x"));
        assertEquals("Error in ACL SETUSER modifier '+config|foo': " + unknown, setUser("u", "+config|foo"));
        assertEquals("Error in ACL SETUSER modifier '-select|0': " + unknown, setUser("u", "-select|0"));
        assertEquals("Error in ACL SETUSER modifier '+@foo': " + unknown, setUser("u", "+@foo"));
        assertEquals("Error in ACL SETUSER modifier '%': Syntax error", setUser("u", "%"));
        assertEquals("Error in ACL SETUSER modifier '%~a': Syntax error", setUser("u", "%~a"));
        assertEquals("Error in ACL SETUSER modifier '%RR~a': Syntax error", setUser("u", "%RR~a"));
        assertEquals("Error in ACL SETUSER modifier '(foo)': Syntax error", setUser("u", "(foo)"));
        assertEquals("Unmatched parenthesis in acl selector starting at '(~a'.", setUser("u", "on", "(~a"));
        assertEquals("Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern (or the 'allkeys' "
                + "flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of "
                + "patterns", setUser("u", "allkeys", "~a"));
        assertNull(acl.get("u"));
        assertNull(setUser("u", "~a\u001cb"));
        assertEquals("Error in ACL SETUSER modifier '~a\u000bb': Syntax error", setUser("u", "~a\u000bb"));
    }

    @Test
    void keysAreCheckedWithTheAccessTheirSpecsAskFor() {
        assertNull(setUser("r", "on", "+@all", "%R~r*", "%W~w*", "~b*", "(+get ~s*)", "(+set %W~t*)", "&c*",
                "(&d* +publish)"));
        assertNull(refusal("r", "GET", "r1"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.KEY, 1), refusal("r", "GET", "w1"));
        assertNull(refusal("r", "SET", "w1", "v"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.KEY, 1), refusal("r", "SET", "w1", "v", "GET"));
        assertNull(refusal("r", "SET", "t1", "v"));
        assertNull(refusal("r", "COPY", "r1", "w1"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.KEY, 2), refusal("r", "COPY", "r1", "zz"));
        assertNull(refusal("r", "BITFIELD", "r1", "GET", "u8", "0"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.KEY, 1), refusal("r", "BITFIELD", "r1", "SET", "u8", "0",
                "1"));
        assertNull(refusal("r", "PUBLISH", "d1", "m"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.CHANNEL, 1), refusal("r", "PUBLISH", "e1", "m"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.CHANNEL, 2), refusal("r", "SUBSCRIBE", "c1", "d1"));
    }

    @Test
    void aNoAuthCommandIsNeverRefusedForItsName() {
        assertNull(setUser("n", "on", "nopass", "-@all"));
        assertNull(refusal("n", "AUTH", "x"));
        assertEquals(new AclUsers.Refusal(AclUsers.Denial.COMMAND, 0), refusal("n", "GET", "k"));
    }
}
