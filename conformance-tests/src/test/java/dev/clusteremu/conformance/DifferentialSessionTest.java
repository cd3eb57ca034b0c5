package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/**
 * The harness must see every difference: each test makes the two targets differ on purpose, through
 * steps sent to one side only, and expects the check to fail with both replies in its message.
 */
@ExtendWith(DifferentialExtension.class)
class DifferentialSessionTest {

    @Test
    void checkPassesWhenBothAnswerAlikeAndReturnsTheReferenceReply(DifferentialSession session) {
        assertEquals(Reply.status("OK"), session.check("SET", "k", "v"));
        assertEquals(Reply.bulk("v"), session.check("GET", "k"));
    }

    @Test
    void checkFailsWithTheCommandAndBothReplies(DifferentialSession session) {
        session.candidateClient().call("SET", "k", "other");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> session.check("GET", "k"));
        assertEquals("replies differ for GET k"
                + "\n  reference " + session.reference().description() + ": (nil)"
                + "\n  candidate " + session.candidate().description() + ": \"other\"", failure.getMessage());
    }

    @Test
    void checkComparesRespTypesNotJustValues(DifferentialSession session) {
        session.candidateClient().call("HELLO", "3");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> session.check("GET", "missing"));
        assertTrue(failure.getMessage().endsWith(": (nil)\n  candidate " + session.candidate().description()
                + ": (null)"), failure.getMessage());
    }

    @Test
    void checkMaskedComparesOnlyWhatTheMaskerKeeps(DifferentialSession session) {
        session.referenceClient().call("SET", "k", "v", "EX", "100");
        session.candidateClient().call("SET", "k", "v", "EX", "200");
        session.checkMasked(ReplyMasker.integerWithin(1, 200), "TTL", "k");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> session.checkMasked(ReplyMasker.integerWithin(1, 150), "TTL", "k"));
        assertTrue(failure.getMessage().contains("masked +<integer in [1, 150]>"), failure.getMessage());
    }

    @Test
    void checkRawComparesRepliesAndTheClose(DifferentialSession session) {
        byte[] unbalanced = "ECHO 'x\r\n".getBytes(StandardCharsets.US_ASCII);
        DifferentialSession.RawOutcome outcome = session.checkRaw(unbalanced);
        assertEquals(new DifferentialSession.RawOutcome(
                List.of(Reply.error("ERR Protocol error: unbalanced quotes in request")), true), outcome);
        assertEquals(Reply.status("PONG"), session.check("PING"), "closed connections are replaced");
    }

    @Test
    void checkRawSeesOnlyOneSideClosing(DifferentialSession session) {
        // A password on the candidate only: Redis closes an unauthenticated connection that sends a
        // multibulk of more than 10 elements, while the reference's connection answers it.
        assertEquals(Reply.status("OK"), session.candidateClient().call("CONFIG", "SET", "requirepass", "secret"));
        try {
            session.reconnect();
            byte[] elevenElements = RespClient.command("DEL", "{k}1", "{k}2", "{k}3", "{k}4", "{k}5", "{k}6",
                    "{k}7", "{k}8", "{k}9", "{k}10");
            AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                    () -> session.checkRaw(elevenElements));
            assertTrue(failure.getMessage().endsWith(": [0], connection open\n  candidate "
                    + session.candidate().description()
                    + ": [-ERR Protocol error: unauthenticated multibulk length] then closed the connection"),
                    failure.getMessage());
        } finally {
            session.reconnect();
            session.candidateClient().call("AUTH", "secret");
            session.candidateClient().call("CONFIG", "SET", "requirepass", "");
        }
    }

    @Test
    void checkFullScanComparesTheElementsAsSets(DifferentialSession session) {
        session.check("MSET", "{s}1", "a", "{s}2", "b", "{s}3", "c");
        assertEquals(List.of(Reply.bulk("{s}1"), Reply.bulk("{s}2"), Reply.bulk("{s}3")),
                session.checkFullScan("SCAN", "COUNT", "1"));
        session.candidateClient().call("SET", "{s}4", "d");
        assertThrows(AssertionFailedError.class, () -> session.checkFullScan("SCAN"));
    }
}
