package dev.clusteremu.conformance;

import org.opentest4j.TestAbortedException;

import net.jqwik.api.Assume;

/**
 * The two single-master clusters a differential property compares, a real redis-server 7.0 and the
 * candidate, for test engines that {@link DifferentialExtension} does not serve (jqwik properties): started
 * once per container, each try opening its own {@link DifferentialSession}. Without redis-server (or an
 * emulator that cannot start), every try is skipped.
 */
final class PairedTargets implements AutoCloseable {
    private final RedisTarget reference;
    private final RedisTarget candidate;

    private PairedTargets(RedisTarget reference, RedisTarget candidate) {
        this.reference = reference;
        this.candidate = candidate;
    }

    /** Starts both targets; null when one cannot run here (then {@link #session} skips every try). */
    static PairedTargets start() {
        RedisTarget reference;
        try {
            reference = Targets.realSingleMasterCluster();
        } catch (TestAbortedException e) {
            return null;
        }
        try {
            return new PairedTargets(reference, Targets.candidateSingleMasterCluster());
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
    }

    /** A new session on both targets (the caller closes it), or a skipped try when they are not running. */
    static DifferentialSession session(PairedTargets targets) {
        Assume.that(targets != null);
        return DifferentialSession.open(targets.reference, targets.candidate);
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
