package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH on a single-master cluster: queueing, the errors that doom a
 * transaction (EXECABORT) and those that only fail one command, the cluster's one-slot rule, WATCH touched
 * by another client, by expiry and by FLUSHALL, and EXEC's replies in RESP2 and RESP3.
 */
@ExtendWith(DifferentialExtension.class)
class TransactionDifferentialTest {

    /** A second connection to each target, for changes made by another client. */
    private static final class Other implements AutoCloseable {
        private final RespClient reference;
        private final RespClient candidate;

        Other(DifferentialSession session) {
            reference = RespClient.connect(session.reference());
            candidate = RespClient.connect(session.candidate());
        }

        /** Sends {@code argv} on both second connections and asserts equal replies. */
        Reply check(String... argv) {
            Reply expected = reference.call(argv);
            assertEquals(expected, candidate.call(argv), "other client: " + String.join(" ", argv));
            return expected;
        }

        @Override
        public void close() {
            reference.close();
            candidate.close();
        }
    }

    @Test
    void execRunsTheQueuedCommandsAndRepliesWithTheirReplies(DifferentialSession session) {
        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("INCR", "{t}a");
        session.check("GET", "{t}a");
        session.check("INCRBY", "{t}a", "x");
        session.check("EXISTS", "{t}a", "{t}b");
        session.check("EXEC");
        session.check("GET", "{t}a");
    }

    @Test
    void emptyTransactionRepliesAnEmptyArray(DifferentialSession session) {
        session.check("MULTI");
        session.check("EXEC");
        session.check("MULTI");
        session.check("PING");
        session.check("ECHO", "x");
        session.check("EXEC");
    }

    @Test
    void transactionCommandsOutOfPlaceAreErrors(DifferentialSession session) {
        session.check("EXEC");
        session.check("DISCARD");
        session.check("MULTI");
        session.check("MULTI");
        session.check("WATCH", "{t}a");
        session.check("SET", "{t}a", "1");
        session.check("EXEC");
        session.check("GET", "{t}a");
        session.check("MULTI", "x");
        session.check("EXEC", "x");
        session.check("DISCARD", "x");
        session.check("UNWATCH", "x");
        session.check("WATCH");
    }

    @Test
    void discardDropsTheQueue(DifferentialSession session) {
        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("DISCARD");
        session.check("GET", "{t}a");
        session.check("EXEC");
    }

    @Test
    void queueingErrorsAbortTheWholeTransaction(DifferentialSession session) {
        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("NOSUCHCOMMAND", "x");
        session.check("SET", "{t}b", "2");
        session.check("EXEC");
        session.check("DBSIZE");

        session.check("MULTI");
        session.check("SET", "{t}a");
        session.check("EXEC");

        session.check("MULTI");
        session.check("CLUSTER", "NOSUCHSUB");
        session.check("EXEC");
        session.check("DBSIZE");
    }

    @Test
    void runtimeErrorsFailOnlyTheirCommand(DifferentialSession session) {
        session.check("SET", "{t}s", "text");
        session.check("MULTI");
        session.check("INCR", "{t}s");
        session.check("SET", "{t}a", "1");
        session.check("SET", "{t}x", "1", "EX", "-5");
        session.check("EXEC");
        session.check("GET", "{t}a");
    }

    @Test
    void keysOfDifferentSlotsAreRefusedAtQueueTimeOrAtExec(DifferentialSession session) {
        session.check("MULTI");
        session.check("MSET", "a", "1", "b", "2");
        session.check("EXEC");

        // Each command alone is fine; together they span two slots, which EXEC refuses and discards.
        session.check("MULTI");
        session.check("SET", "a", "1");
        session.check("SET", "b", "2");
        session.check("EXEC");
        session.check("EXEC");
        session.check("DBSIZE");

        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("GET", "{t}b");
        session.check("EXEC");
    }

    @Test
    void commandsFlaggedNoMultiAreRefusedInside(DifferentialSession session) {
        session.check("MULTI");
        session.check("SAVE");
        session.check("EXEC");
        session.check("MULTI");
        session.check("SHUTDOWN", "NOSAVE");
        session.check("DISCARD");
    }

    @Test
    void watchedKeyTouchedByAnotherClientMakesExecReplyNull(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("SET", "{t}a", "1");
            session.check("WATCH", "{t}a");
            other.check("SET", "{t}a", "2");
            session.check("MULTI");
            session.check("SET", "{t}a", "3");
            session.check("EXEC");
            session.check("GET", "{t}a");

            // EXEC unwatched: the next transaction runs.
            session.check("MULTI");
            session.check("SET", "{t}a", "3");
            session.check("EXEC");
        }
    }

    @Test
    void watchedKeyChangedByTheClientItselfBeforeMultiAlsoCounts(DifferentialSession session) {
        session.check("WATCH", "{t}a");
        session.check("SET", "{t}a", "1");
        session.check("MULTI");
        session.check("GET", "{t}a");
        session.check("EXEC");
    }

    @Test
    void untouchedWatchLetsExecRun(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("WATCH", "{t}a", "{t}b");
            other.check("SET", "{t}c", "x");
            other.check("GET", "{t}a");
            session.check("MULTI");
            session.check("SET", "{t}a", "1");
            session.check("EXEC");
        }
    }

    @Test
    void unwatchForgetsTouchedKeys(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("WATCH", "{t}a");
            other.check("SET", "{t}a", "2");
            session.check("UNWATCH");
            session.check("MULTI");
            session.check("INCR", "{t}a");
            session.check("EXEC");
        }
    }

    @Test
    void discardUnwatches(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("WATCH", "{t}a");
            session.check("MULTI");
            session.check("DISCARD");
            other.check("SET", "{t}a", "2");
            session.check("MULTI");
            session.check("GET", "{t}a");
            session.check("EXEC");
        }
    }

    @Test
    void deletedAndExpiringWatchedKeysCount(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("SET", "{t}a", "1");
            session.check("WATCH", "{t}a");
            other.check("DEL", "{t}a");
            session.check("MULTI");
            session.check("EXEC");

            session.check("SET", "{t}a", "1");
            session.check("WATCH", "{t}a");
            other.check("PEXPIRE", "{t}a", "100000");
            session.check("MULTI");
            session.check("EXEC");

            // Watching a missing key: a DEL of it changes nothing; creating it does.
            session.check("WATCH", "{t}missing");
            other.check("DEL", "{t}missing");
            session.check("MULTI");
            session.check("EXEC");
            session.check("WATCH", "{t}missing");
            other.check("SET", "{t}missing", "now");
            session.check("MULTI");
            session.check("EXEC");
        }
    }

    @Test
    void watchedKeyThatExpiresBeforeExecMakesItFail(DifferentialSession session) throws InterruptedException {
        // WATCH must come while the key lives, EXEC once it has expired: a TTL far longer than the round trips
        // between SET and WATCH on a loaded machine, stalls included, then a sleep past it (it starts after
        // WATCH, so after SET).
        long ttl = 1500;
        session.check("SET", "{t}a", "1", "PX", Long.toString(ttl));
        session.check("WATCH", "{t}a");
        Thread.sleep(ttl + 100);
        session.check("MULTI");
        session.check("GET", "{t}a");
        session.check("EXEC");
    }

    @Test
    void flushallTouchesEveryWatchedKeyThatExists(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("SET", "{t}a", "1");
            session.check("WATCH", "{t}a");
            other.check("FLUSHALL");
            session.check("MULTI");
            session.check("EXEC");

            session.check("WATCH", "{t}nothing");
            other.check("FLUSHALL");
            session.check("MULTI");
            session.check("EXEC");
        }
    }

    @Test
    void execRepliesInRespThreeShapes(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("GET", "{t}a");
        session.check("GET", "{t}missing");
        session.check("MGET", "{t}missing", "{t}a");
        session.check("EXEC");
        try (Other other = new Other(session)) {
            session.check("WATCH", "{t}a");
            other.check("SET", "{t}a", "2");
            session.check("MULTI");
            session.check("GET", "{t}a");
            session.check("EXEC");
        }
        session.check("MULTI");
        session.check("NOSUCHCOMMAND");
        session.check("EXEC");
    }

    @Test
    void askingInsideMultiIsQueuedLikeAnyCommand(DifferentialSession session) {
        session.check("MULTI");
        session.check("ASKING");
        session.check("SET", "{t}a", "1");
        session.check("EXEC");
        session.check("ASKING");
        session.check("MULTI");
        session.check("GET", "{t}a");
        session.check("EXEC");
    }

    @Test
    void blockingAndSpecialCommandsInsideExec(DifferentialSession session) {
        session.check("MULTI");
        session.check("WAIT", "1", "0");
        session.check("MONITOR");
        session.check("CLIENT", "REPLY", "ON");
        session.check("EXEC");
    }

    @Test
    void outOfMemoryRefusesEveryQueuedCommandAndAbortsExec(DifferentialSession session) {
        try (Other other = new Other(session)) {
            session.check("MULTI");
            session.check("SET", "{t}a", "1");
            other.check("CONFIG", "SET", "maxmemory", "1");
            // EXEC stands for its denyoom SET: refused, it aborts the transaction with the reason.
            session.check("EXEC");
            session.check("MULTI");
            session.check("GET", "{t}a");
            session.check("PING");
            session.check("DISCARD");
            session.check("MULTI");
            session.check("EXEC");
        } finally {
            session.check("CONFIG", "SET", "maxmemory", "0");
        }
        session.check("DBSIZE");
    }
}
