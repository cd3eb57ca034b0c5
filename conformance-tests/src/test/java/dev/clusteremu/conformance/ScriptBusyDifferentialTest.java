package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scripts that run past busy-reply-threshold, against redis-server 7.0.15: the server answers other
 * clients BUSY (naming SCRIPT KILL or FUNCTION KILL) except for the commands allowed while busy, SCRIPT
 * KILL and FUNCTION KILL stop the right kind of script (not one that already wrote), a killed script
 * cannot catch its end with pcall, and its caller gets the kill error.
 */
@ExtendWith(DifferentialExtension.class)
class ScriptBusyDifferentialTest {
    private static final Duration LONG_READ = Duration.ofSeconds(30);

    /** The caller's connection to each target, on which a busy script runs. */
    private RespClient referenceCaller;
    private RespClient candidateCaller;

    @BeforeEach
    void shortThreshold(DifferentialSession session) {
        session.check("CONFIG", "SET", "busy-reply-threshold", "100");
        referenceCaller = RespClient.connect(session.reference()).timeout(LONG_READ);
        candidateCaller = RespClient.connect(session.candidate()).timeout(LONG_READ);
    }

    @AfterEach
    void defaultThreshold(DifferentialSession session) {
        referenceCaller.close();
        candidateCaller.close();
        session.check("CONFIG", "SET", "lua-time-limit", "5000");
    }

    /** Starts {@code argv} on both callers without waiting, then waits until both servers answer BUSY. */
    private void startBusy(DifferentialSession session, String... argv) {
        referenceCaller.send(argv);
        candidateCaller.send(argv);
        Wait.until("both servers are busy", () -> session.referenceClient().call("PING").isError()
                && session.candidateClient().call("PING").isError());
    }

    /** FUNCTION STATS with the running function's duration_ms masked, at whatever depth it is. */
    private static Reply maskDuration(Reply reply) {
        if (reply instanceof Reply.Array array) {
            java.util.List<Reply> elements = new java.util.ArrayList<>();
            for (Reply e : array.elements()) {
                elements.add(maskDuration(e));
            }
            for (int i = 0; i + 1 < elements.size(); i++) {
                if (elements.get(i).equals(Reply.bulk("duration_ms"))) {
                    elements.set(i + 1, Reply.status("<duration>"));
                }
            }
            return new Reply.Array(elements);
        }
        return reply;
    }

    /** The replies both callers finally get. */
    private void checkCallerReplies() {
        assertEquals(referenceCaller.read(), candidateCaller.read());
    }

    @Test
    void aBusyScriptAnswersOthersBusyUntilKilled(DifferentialSession session) {
        startBusy(session, "EVAL", "local i = 0 while true do i = i + 1 end", "0");
        session.check("PING");
        session.check("GET", "k");
        session.check("SHUTDOWN");
        session.check("FUNCTION", "STATS");
        session.check("FUNCTION", "KILL");
        session.check("SCRIPT", "KILL");
        checkCallerReplies();
        session.check("PING");
        session.check("SCRIPT", "KILL");
    }

    @Test
    void pcallCannotCatchTheKill(DifferentialSession session) {
        startBusy(session, "EVAL", "while true do pcall(function() while true do end end) end", "0");
        session.check("SCRIPT", "KILL");
        checkCallerReplies();
        session.check("PING");
    }

    @Test
    void aScriptThatWroteCannotBeKilled(DifferentialSession session) {
        startBusy(session, "EVAL", "redis.call('set', 'x', '1') local t = redis.call('time') "
                + "while tonumber(redis.call('time')[1]) < tonumber(t[1]) + 2 do end return 'done'", "0");
        session.check("SCRIPT", "KILL");
        session.check("GET", "x");
        checkCallerReplies();
        session.check("GET", "x");
    }

    @Test
    void aBusyFunctionIsKilledWithFunctionKill(DifferentialSession session) {
        session.check("FUNCTION", "LOAD", "REPLACE", "#!lua name=busy\nredis.register_function('spin', function() "
                + "while true do end end)");
        startBusy(session, "FCALL", "spin", "0");
        session.check("PING");
        session.checkMasked(ScriptBusyDifferentialTest::maskDuration, "FUNCTION", "STATS");
        session.check("SCRIPT", "KILL");
        session.check("FUNCTION", "KILL");
        checkCallerReplies();
        session.check("FUNCTION", "DELETE", "busy");
    }
}
