package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request side of RESP as a server parses it: inline commands, pipelines, and protocol errors. A
 * protocol error is answered with "-ERR Protocol error: ..." and the connection is then closed (Redis
 * sets CLIENT_CLOSE_AFTER_REPLY); commands before the bad bytes are still answered, and other
 * connections never notice.
 */
@ExtendWith(DifferentialExtension.class)
class ProtocolDifferentialTest {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"PING\r\n", "PING\n", "ping\r\n", "ECHO hello\r\n", "PING   hello  \r\n",
            "ECHO \"two words\"\r\n", "ECHO 'single quoted'\r\n", "ECHO \"a\\x41\\n\\t\\\"b\"\r\n", "ECHO 'it\\'s'\r\n",
            "ECHO \"\"\r\n", "\r\n\r\nPING\r\n", "   \r\nPING\r\n", "\"\"\r\n", "foo bar\r\n", "SET k \"v w\"\r\nGET k\r\n",
            "PING\r\nPING\r\nPING\r\n"})
    void inlineCommandsAreSplitLikeAShell(String input, DifferentialSession session) {
        session.checkRaw(bytes(input));
    }

    @Test
    void threePipelinedCommandsInOneWriteGetThreeRepliesInOrder(DifferentialSession session) {
        DifferentialSession.RawOutcome outcome = session.checkRaw(concat(RespClient.command("SET", "k", "v"),
                RespClient.command("GET", "k"), RespClient.command("DEL", "k")));
        assertEquals(new DifferentialSession.RawOutcome(
                List.of(Reply.status("OK"), Reply.bulk("v"), Reply.integer(1)), false), outcome);
    }

    @Test
    void inlineAndMultibulkCommandsMixInOnePipeline(DifferentialSession session) {
        session.checkRaw(concat(bytes("SET k 1\r\n"), RespClient.command("INCR", "k"), bytes("GET k\r\n")));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"*-1\r\nPING\r\n", "*-2\r\nPING\r\n", "*0\r\nPING\r\n", "*1\r\n$4\r\nPING\r\nPING\r\n",
            "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"})
    void emptyMultibulksAreIgnored(String input, DifferentialSession session) {
        session.checkRaw(bytes(input));
    }

    /** Redis skips the two bytes after a bulk's payload without checking that they are CRLF. */
    @Test
    void theTwoBytesAfterABulkAreSkippedUnchecked(DifferentialSession session) {
        session.checkRaw(bytes("*1\r\n$4\r\nPINGxx"));
        session.checkRaw(bytes("*2\r\n$4\r\nECHO\r\n$2\r\nhiXY*1\r\n$4\r\nPING\r\n"));
    }

    /**
     * The first part is sent unchecked (a command written after it would complete it); a server that
     * answered or closed after it would show that in the outcome of the rest.
     */
    @Test
    void anIncompleteCommandWaitsForTheRest(DifferentialSession session) {
        byte[] head = bytes("*2\r\n$4\r\nECHO\r\n$5\r\nhel");
        session.referenceClient().sendRaw(head);
        session.candidateClient().sendRaw(head);
        DifferentialSession.RawOutcome outcome = session.checkRaw(bytes("lo\r\n"));
        assertEquals(new DifferentialSession.RawOutcome(List.of(Reply.bulk("hello")), false), outcome);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"*abc\r\n", "*\r\n", "*3000000000\r\n", "*1x\r\n", "*+1\r\n"})
    void anInvalidMultibulkLengthClosesTheConnection(String input, DifferentialSession session) {
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes(input)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"*1\r\n:1\r\n", "*2\r\n+PING\r\n", "*2\r\n$4\r\nECHO\r\nhello\r\n", "*1\r\n*1\r\n"})
    void aMissingDollarClosesTheConnection(String input, DifferentialSession session) {
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes(input)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"*1\r\n$abc\r\n", "*1\r\n$\r\n", "*1\r\n$-1\r\n", "*1\r\n$536870913\r\n",
            "*1\r\n$99999999999\r\n"})
    void anInvalidBulkLengthClosesTheConnection(String input, DifferentialSession session) {
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes(input)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"ECHO 'unbalanced\r\n", "ECHO \"unbalanced\r\n", "ECHO \"a\"b\r\n", "ECHO 'a'b\r\n",
            "SET k \"v\r\n"})
    void unbalancedQuotesCloseTheConnection(String input, DifferentialSession session) {
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes(input)));
    }

    @Test
    void tooBigInlineRequestsCloseTheConnection(DifferentialSession session) {
        // Redis gives up on a line without a newline once 64 KiB (PROTO_INLINE_MAX_SIZE) are buffered.
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes("a".repeat(70 * 1024))));
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes("*" + "1".repeat(70 * 1024))));
        assertClosedAfterProtocolError(session.checkRawUntilClose(bytes("*1\r\n$" + "1".repeat(70 * 1024))));
    }

    @Test
    void commandsBeforeAProtocolErrorAreAnswered(DifferentialSession session) {
        DifferentialSession.RawOutcome outcome = session.checkRaw(
                concat(RespClient.command("SET", "k", "v"), bytes("PING\r\n*abc\r\nPING\r\n")));
        assertEquals(new DifferentialSession.RawOutcome(List.of(Reply.status("OK"), Reply.status("PONG"),
                Reply.error("ERR Protocol error: invalid multibulk length")), true), outcome);
        session.check("GET", "k");
    }

    @Test
    void aProtocolErrorLeavesOtherConnectionsAlone(DifferentialSession session) {
        try (DifferentialSession other = DifferentialSession.open(session.reference(), session.candidate())) {
            other.check("SET", "k", "v");
            assertClosedAfterProtocolError(session.checkRawUntilClose(bytes("*1\r\n$abc\r\n")));
            other.check("PING");
            other.check("GET", "k");
            assertFalse(other.checkRaw(bytes("PING\r\n")).closed());
        }
    }

    private static void assertClosedAfterProtocolError(DifferentialSession.RawOutcome outcome) {
        assertTrue(outcome.closed(), "the server must close the connection: " + outcome);
        Reply last = outcome.replies().get(outcome.replies().size() - 1);
        assertTrue(last.isError() && last.asString().startsWith("ERR Protocol error: "), outcome.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
