package dev.clusteremu.conformance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Runs a test class as a differential test: the reference (real redis-server) and the candidate
 * ({@link Targets#candidateSingleMasterCluster()}) single-master clusters are started once for the class,
 * and each test method that declares a {@link DifferentialSession} parameter gets a fresh session on both,
 * after FLUSHALL on both, closed when the test ends.
 *
 * <pre>
 * &#64;ExtendWith(DifferentialExtension.class)
 * class GetDifferentialTest {
 *     &#64;Test
 *     void getOfMissingKeyIsNil(DifferentialSession session) {
 *         session.check("GET", "missing");
 *     }
 * }
 * </pre>
 * When a target cannot be started for want of redis-server or of the emulator, every test of the class is
 * skipped.
 */
public final class DifferentialExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DifferentialExtension.class);

    /** The two targets of one test class; stored in the class's store, which closes them after the class. */
    private record TargetPair(RedisTarget reference, RedisTarget candidate) implements AutoCloseable {

        /**
         * Starts both in parallel (a real single-master cluster needs ~2 s to report ok). If either cannot
         * start, the other is closed before the failure is thrown, so that no redis-server outlives the
         * test run.
         */
        static TargetPair start() {
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
                return new TargetPair(reference, candidate.join());
            } catch (CompletionException e) {
                reference.close();
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
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

    /**
     * Starts the class's targets. A target that cannot run here (no redis-server, emulator not wired)
     * aborts every test of the class one by one, so that reports count them as skipped, with the reason.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            context.getStore(NAMESPACE).put(TargetPair.class, TargetPair.start());
        } catch (TestAbortedException e) {
            context.getStore(NAMESPACE).put(TestAbortedException.class, e);
        }
    }

    /** Skips the test if its class's targets could not be started here. */
    @Override
    public void beforeEach(ExtensionContext context) {
        TestAbortedException aborted = context.getStore(NAMESPACE).get(TestAbortedException.class, TestAbortedException.class);
        if (aborted != null) {
            throw new TestAbortedException(aborted.getMessage());
        }
    }

    /** Resolves parameters of type {@link DifferentialSession}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DifferentialSession.class;
    }

    /** A new session on the class's targets, both flushed; closed when the test ends. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TargetPair targets = context.getStore(NAMESPACE).get(TargetPair.class, TargetPair.class);
        DifferentialSession session = DifferentialSession.open(targets.reference(), targets.candidate());
        // Each test starts from an empty keyspace; FLUSHALL's own reply is compared like any other.
        session.check("FLUSHALL");
        context.getStore(NAMESPACE).put(DifferentialSession.class, session);
        return session;
    }
}
