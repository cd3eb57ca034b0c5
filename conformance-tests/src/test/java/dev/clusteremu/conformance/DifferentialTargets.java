package dev.clusteremu.conformance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The reference (a real redis-server) and the candidate single-master clusters of a differential run that
 * is not a JUnit test class with {@link DifferentialExtension}, such as a jqwik property container: started
 * together, closed together, and giving out {@link DifferentialSession}s on both.
 */
final class DifferentialTargets implements AutoCloseable {
    private final RedisTarget reference;
    private final RedisTarget candidate;

    private DifferentialTargets(RedisTarget reference, RedisTarget candidate) {
        this.reference = reference;
        this.candidate = candidate;
    }

    /** Starts both in parallel; if either fails, the other is closed before the failure is thrown. */
    static DifferentialTargets start() {
        CompletableFuture<RedisTarget> candidate = CompletableFuture.supplyAsync(Targets::candidateSingleMasterCluster);
        RedisTarget reference;
        try {
            reference = Targets.realSingleMasterCluster();
        } catch (RuntimeException e) {
            try {
                candidate.join().close();
            } catch (CompletionException alsoFailed) {
                e.addSuppressed(alsoFailed.getCause());
            }
            throw e;
        }
        try {
            return new DifferentialTargets(reference, candidate.join());
        } catch (CompletionException e) {
            reference.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** A new session on both targets, after FLUSHALL on both (compared like any command). */
    DifferentialSession freshSession() {
        DifferentialSession session = DifferentialSession.open(reference, candidate);
        session.check("FLUSHALL");
        return session;
    }

    @Override
    public void close() {
        try {
            candidate.close();
        } finally {
            reference.close();
        }
    }
}
