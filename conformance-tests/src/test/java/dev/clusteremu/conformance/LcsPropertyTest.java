package dev.clusteremu.conformance;

import java.util.ArrayList;
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
 * LCS of random strings answers as on redis-server 7.0: over a small alphabet, so that subsequences are
 * long and ambiguous and the walk back must choose between equally long ones as Redis does, with random
 * options (LEN, IDX, MINMATCHLEN, WITHMATCHLEN), in RESP2 or RESP3.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class LcsPropertyTest {
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

    @Property(tries = 150)
    void lcsOfRandomStringsAnswersAsRedis(@ForAll boolean resp3, @ForAll("strings") String a,
                                          @ForAll("strings") String b, @ForAll("options") List<String> options) {
        try (DifferentialSession session = targets.freshSession()) {
            if (resp3) {
                session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            }
            session.check("MSET", "{p}a", a, "{p}b", b);
            List<String> argv = new ArrayList<>(List.of("LCS", "{p}a", "{p}b"));
            argv.addAll(options);
            session.check(argv.toArray(String[]::new));
            session.check("LCS", "{p}b", "{p}a", "IDX", "WITHMATCHLEN");
        }
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("abcx").ofMinLength(0).ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<String>> options() {
        return Arbitraries.of(List.of(), List.of("LEN"), List.of("IDX"), List.of("IDX", "WITHMATCHLEN"),
                List.of("IDX", "MINMATCHLEN", "2"), List.of("IDX", "MINMATCHLEN", "3", "WITHMATCHLEN"),
                List.of("MINMATCHLEN", "2", "IDX"), List.of("LEN", "IDX"), List.of("WITHMATCHLEN"));
    }
}
