package dev.clusteremu.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random sequences of transaction commands (MULTI, EXEC, DISCARD, WATCH, UNWATCH, with writes, reads,
 * queueing errors and cross-slot keys in between) sent by two clients, one of which may touch the other's
 * watched keys: the emulator and redis-server 7.0 answer every command alike.
 */
class TransactionSequenceProperties {
    private static final List<String> KEYS = List.of("{t}a", "{t}b", "{t}c", "x", "y");

    /** The targets, started by the first try and shared by all of them. */
    private static RedisTarget reference;
    private static RedisTarget candidate;

    @AfterContainer
    static void stopTargets() {
        if (candidate != null) {
            candidate.close();
            candidate = null;
        }
        if (reference != null) {
            reference.close();
            reference = null;
        }
    }

    @Property(tries = 60)
    void transactionsAnswerAsRedis(@ForAll("steps") List<List<String>> steps) {
        Assume.that(Files.isExecutable(Path.of("/usr/bin/redis-server")));
        if (reference == null) {
            reference = Targets.realSingleMasterCluster();
            candidate = Targets.candidateSingleMasterCluster();
        }
        try (DifferentialSession first = DifferentialSession.open(reference, candidate);
                DifferentialSession second = DifferentialSession.open(reference, candidate)) {
            first.check("FLUSHALL");
            for (List<String> step : steps) {
                DifferentialSession client = step.get(0).equals("1") ? first : second;
                client.check(step.subList(1, step.size()).toArray(String[]::new));
            }
        }
    }

    /** Steps: "1" or "2" (which client) followed by the command. */
    @Provide
    Arbitrary<List<List<String>>> steps() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<String> value = Arbitraries.of("1", "2", "text");
        Arbitrary<List<String>> command = Arbitraries.oneOf(
                Arbitraries.of(List.of("MULTI"), List.of("EXEC"), List.of("DISCARD"), List.of("UNWATCH"),
                        List.of("NOSUCH"), List.of("SET", "{t}a"), List.of("PING")),
                key.map(k -> List.of("WATCH", k)),
                key.list().ofMinSize(2).ofMaxSize(3).map(ks -> prepend("WATCH", ks)),
                Arbitraries.entries(key, value).map(e -> List.of("SET", e.getKey(), e.getValue())),
                key.map(k -> List.of("GET", k)),
                key.map(k -> List.of("INCR", k)),
                key.map(k -> List.of("DEL", k)),
                key.list().ofMinSize(2).ofMaxSize(3).map(ks -> prepend("MGET", ks)));
        Arbitrary<String> client = Arbitraries.of("1", "1", "1", "2");
        return Arbitraries.entries(client, command).map(e -> prepend(e.getKey(), e.getValue())).list()
                .ofMinSize(1).ofMaxSize(25);
    }

    private static List<String> prepend(String head, List<String> tail) {
        List<String> out = new ArrayList<>();
        out.add(head);
        out.addAll(tail);
        return out;
    }
}
