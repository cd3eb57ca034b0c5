package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-connection modes: CLIENT REPLY, CLIENT PAUSE / UNPAUSE, CLIENT TRACKING with its invalidation pushes,
 * CLIENT CACHING, TRACKINGINFO and GETREDIR, RESET, and MONITOR, on a single-master cluster.
 */
@ExtendWith(DifferentialExtension.class)
class ClientModesDifferentialTest {

    private static byte[] commands(String[]... commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] argv : commands) {
            out.writeBytes(RespClient.command(argv));
        }
        return out.toByteArray();
    }

    private static String[] cmd(String... argv) {
        return argv;
    }

    @Test
    void replyOffSilencesUntilReplyOn(DifferentialSession session) {
        session.checkRaw(commands(cmd("CLIENT", "REPLY", "OFF"), cmd("SET", "a", "1"), cmd("GET", "a"),
                cmd("NOSUCH"), cmd("CLIENT", "REPLY", "ON"), cmd("GET", "a")));
        session.check("GET", "a");
    }

    @Test
    void replySkipSilencesOnlyTheNextCommand(DifferentialSession session) {
        session.checkRaw(commands(cmd("CLIENT", "REPLY", "SKIP"), cmd("SET", "a", "1"), cmd("GET", "a")));
        session.checkRaw(commands(cmd("CLIENT", "REPLY", "SKIP"), cmd("CLIENT", "REPLY", "SKIP"), cmd("GET", "a"),
                cmd("GET", "a")));
        session.checkRaw(commands(cmd("CLIENT", "REPLY", "OFF"), cmd("CLIENT", "REPLY", "SKIP"), cmd("GET", "a"),
                cmd("CLIENT", "REPLY", "ON"), cmd("GET", "a")));
        session.check("CLIENT", "REPLY", "MAYBE");
        session.check("CLIENT", "REPLY");
        session.check("CLIENT", "REPLY", "ON", "x");
    }

    @Test
    void resetClearsReplyOffAndAnswersReset(DifferentialSession session) {
        session.checkRaw(commands(cmd("CLIENT", "REPLY", "OFF"), cmd("RESET"), cmd("PING")));
    }

    @Test
    void resetReturnsTheConnectionToItsInitialState(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3", "SETNAME", "me");
        session.check("CLIENT", "TRACKING", "ON");
        session.check("READONLY");
        session.check("MULTI");
        session.check("SET", "{t}a", "1");
        session.check("RESET");
        session.check("CLIENT", "GETNAME");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("EXEC");
        session.check("GET", "{t}a");
        session.check("RESET", "x");
    }

    @Test
    void pauseAndUnpauseAnswerAndCheckTheirArguments(DifferentialSession session) {
        session.check("CLIENT", "PAUSE", "x");
        session.check("CLIENT", "PAUSE", "-1");
        session.check("CLIENT", "PAUSE", "10", "SOMETIMES");
        session.check("CLIENT", "PAUSE", "10", "WRITE", "x");
        session.check("CLIENT", "PAUSE");
        session.check("CLIENT", "PAUSE", "0");
        session.check("CLIENT", "PAUSE", "100000", "WRITE");
        // Reads go on; writes wait, from other connections too, until UNPAUSE.
        session.check("GET", "a");
        try (RespClient writerReference = RespClient.connect(session.reference());
                RespClient writerCandidate = RespClient.connect(session.candidate())) {
            writerReference.send("SET", "a", "1");
            writerCandidate.send("SET", "a", "1");
            session.check("GET", "a");
            session.check("CLIENT", "UNPAUSE");
            assertEquals(writerReference.read(), writerCandidate.read());
        }
        session.check("GET", "a");
        session.check("CLIENT", "UNPAUSE", "x");
    }

    @Test
    void trackingOptionsAreCheckedAsRedisChecksThem(DifferentialSession session) {
        session.check("CLIENT", "TRACKING", "MAYBE");
        session.check("CLIENT", "TRACKING", "ON", "NOSUCH");
        session.check("CLIENT", "TRACKING", "ON", "PREFIX", "a");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN");
        session.check("CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT");
        session.check("CLIENT", "TRACKING", "ON", "REDIRECT", "999999");
        session.check("CLIENT", "TRACKING", "ON", "REDIRECT", "x");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a");
        session.check("CLIENT", "CACHING", "YES");
        session.check("CLIENT", "GETREDIR");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("CLIENT", "TRACKING", "ON", "OPTIN", "NOLOOP");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("CLIENT", "CACHING", "NO");
        session.check("CLIENT", "CACHING", "MAYBE");
        session.check("CLIENT", "CACHING", "YES");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("CLIENT", "TRACKING", "ON", "OPTOUT");
        session.check("CLIENT", "TRACKING", "ON", "BCAST");
        session.check("CLIENT", "TRACKING", "OFF");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "b", "PREFIX", "a");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "bc");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c");
        session.check("CLIENT", "TRACKINGINFO");
        session.check("CLIENT", "TRACKING", "OFF");
        session.check("CLIENT", "TRACKINGINFO");
    }

    @Test
    void trackedKeysAreInvalidatedWithRespThreePushes(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("SET", "{t}a", "1");
        session.check("CLIENT", "TRACKING", "ON");
        session.check("GET", "{t}a");
        session.check("MGET", "{t}b", "{t}c");
        try (RespClient otherReference = RespClient.connect(session.reference());
                RespClient otherCandidate = RespClient.connect(session.candidate())) {
            assertEquals(otherReference.call("SET", "{t}a", "2"), otherCandidate.call("SET", "{t}a", "2"));
            assertEquals(otherReference.call("DEL", "{t}c"), otherCandidate.call("DEL", "{t}c"));
            assertEquals(otherReference.call("SET", "{t}c", "x"), otherCandidate.call("SET", "{t}c", "x"));
        }
        // The pushes arrived after the other client's writes; they are read back in order here.
        session.checkRaw(commands(cmd("PING")));
        // A key the client changes itself is invalidated after its own reply.
        session.check("GET", "{t}a");
        session.checkRaw(commands(cmd("SET", "{t}a", "3")));
        session.check("GET", "{t}a");
        session.checkRaw(commands(cmd("FLUSHALL")));
    }

    @Test
    void noloopSkipsTheClientsOwnChangesAndOptinNeedsCaching(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("CLIENT", "TRACKING", "ON", "NOLOOP");
        session.check("GET", "{t}a");
        session.checkRaw(commands(cmd("SET", "{t}a", "1"), cmd("PING")));
        session.check("CLIENT", "TRACKING", "OFF");
        session.check("CLIENT", "TRACKING", "ON", "OPTIN");
        session.check("GET", "{t}a");
        session.checkRaw(commands(cmd("SET", "{t}a", "2"), cmd("PING")));
        session.checkRaw(commands(cmd("CLIENT", "CACHING", "YES"), cmd("GET", "{t}a"), cmd("SET", "{t}a", "3"),
                cmd("PING")));
    }

    @Test
    void broadcastModeSendsTheChangedKeysOfItsPrefixes(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "item:");
        try (RespClient otherReference = RespClient.connect(session.reference());
                RespClient otherCandidate = RespClient.connect(session.candidate())) {
            for (String[] argv : List.of(cmd("SET", "user:{t}1", "a"), cmd("SET", "other{t}", "b"),
                    cmd("MSET", "item:{t}1", "x", "item:{t}2", "y"))) {
                assertEquals(otherReference.call(argv), otherCandidate.call(argv));
            }
        }
        session.checkRaw(commands(cmd("PING")));
    }

    @Test
    void redirectSendsInvalidationsToAnotherConnection(DifferentialSession session) {
        try (RespClient sinkReference = RespClient.connect(session.reference());
                RespClient sinkCandidate = RespClient.connect(session.candidate())) {
            sinkReference.call("HELLO", "3");
            sinkCandidate.call("HELLO", "3");
            long idReference = sinkReference.call("CLIENT", "ID").asLong();
            long idCandidate = sinkCandidate.call("CLIENT", "ID").asLong();
            assertEquals(Reply.status("OK"), session.referenceClient()
                    .call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(idReference)));
            assertEquals(Reply.status("OK"), session.candidateClient()
                    .call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(idCandidate)));
            session.check("GET", "{t}a");
            session.check("SET", "{t}a", "1");
            Reply expected = sinkReference.read();
            assertEquals(expected, sinkCandidate.read());
            assertEquals(Reply.Push.class, expected.getClass(), expected.toString());
            assertEquals(session.referenceClient().call("CLIENT", "GETREDIR").asLong(), idReference);
            assertEquals(session.candidateClient().call("CLIENT", "GETREDIR").asLong(), idCandidate);
        }
    }

    @Test
    void monitorShowsOtherClientsCommands(DifferentialSession session) {
        // A second MONITOR is ignored: no reply at all, or it would be read below in place of a MONITOR line.
        session.check("MONITOR");
        session.referenceClient().send("MONITOR");
        session.candidateClient().send("MONITOR");
        try (RespClient otherReference = RespClient.connect(session.reference());
                RespClient otherCandidate = RespClient.connect(session.candidate())) {
            String portReference = port(otherReference);
            String portCandidate = port(otherCandidate);
            for (String[] argv : List.of(cmd("SET", "a", "with \"quotes\"\n\\"), cmd("GET", "a"),
                    cmd("CONFIG", "GET", "maxmemory"), cmd("AUTH", "x", "y"), cmd("MULTI"), cmd("INCR", "a"),
                    cmd("EXEC"), cmd("ECHO", "\u0001\u00ff"))) {
                assertEquals(otherReference.call(argv), otherCandidate.call(argv));
            }
            // CLIENT INFO, then every command but the admin CONFIG GET.
            String reference = monitorLines(session.referenceClient(), 8, portReference);
            String candidate = monitorLines(session.candidateClient(), 8, portCandidate);
            assertEquals(reference, candidate);
        }
        // A monitor's connection can't touch the keyspace any more.
        session.check("GET", "a");
        session.check("PING");
    }

    private static String port(RespClient client) {
        return client.call("CLIENT", "INFO").asString().replaceAll("(?s).* addr=[^:]+:(\\d+) .*", "$1");
    }

    /** Reads {@code n} MONITOR lines, masking each one's timestamp and the client's port. */
    private static String monitorLines(RespClient monitor, int n, String port) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String line = monitor.read().asString();
            assertTrue(line.matches("\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] .*"), line);
            sb.append(line.replaceFirst("^\\d+\\.\\d{6} ", "<time> ").replace(":" + port + "]", ":<port>]"))
                    .append('\n');
        }
        return sb.toString();
    }
}
