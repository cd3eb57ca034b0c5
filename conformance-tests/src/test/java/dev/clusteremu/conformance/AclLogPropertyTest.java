package dev.clusteremu.conformance;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of allowed and refused commands by a user limited to keys k* and channels ch*, with
 * failed authentications mixed in and a small acllog-max-len, leave the same ACL LOG as on redis-server
 * 7.0: the same entries, reasons, contexts, objects, counts and order (ages and client lines masked as in
 * {@link AclLogDifferentialTest}).
 */
@AddLifecycleHook(NeedsRedisServer.class)
class AclLogPropertyTest {
    private static DifferentialTargets targets;

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

    @Property(tries = 100)
    void randomRefusalsLeaveTheSameLog(@ForAll("steps") List<String[]> steps, @ForAll("maxLen") String maxLen) {
        try (DifferentialSession session = targets.freshSession()) {
            session.check("ACL", "LOG", "RESET");
            session.check("CONFIG", "SET", "acllog-max-len", maxLen);
            session.check("ACL", "SETUSER", "limited", "on", ">pw", "+@all", "~k*", "&ch*");
            session.check("AUTH", "limited", "pw");
            for (String[] step : steps) {
                session.check(step);
            }
            session.check("AUTH", "default", "x");
            session.checkMasked(AclLogDifferentialTest.ENTRIES, "ACL", "LOG", "100");
            session.check("CONFIG", "SET", "acllog-max-len", "128");
            session.check("ACL", "DELUSER", "limited");
        }
    }

    @Provide
    Arbitrary<String> maxLen() {
        return Arbitraries.of("1", "3", "128");
    }

    @Provide
    Arbitrary<List<String[]>> steps() {
        Arbitrary<String> key = Arbitraries.of("k1", "k2", "other", "x", "{k1}z");
        Arbitrary<String> channel = Arbitraries.of("ch1", "ch2", "other", "c*", "ch*");
        return Arbitraries.oneOf(
                        key.map(k -> new String[] {"GET", k}),
                        key.map(k -> new String[] {"SET", k, "v"}),
                        channel.map(ch -> new String[] {"PUBLISH", ch, "m"}),
                        channel.map(ch -> new String[] {"PSUBSCRIBE", "nomatch", ch}),
                        Arbitraries.of("limited", "nobody").map(u -> new String[] {"AUTH", u, "wrong"}),
                        Arbitraries.of(new String[] {"MULTI"}, new String[] {"EXEC"}, new String[] {"DISCARD"},
                                new String[] {"AUTH", "limited", "pw"}))
                .list().ofMinSize(1).ofMaxSize(25);
    }
}
