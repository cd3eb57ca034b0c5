package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PING, ECHO, SELECT, DBSIZE, FLUSHALL, FLUSHDB, HELLO and the unknown-command error, on a cluster node. */
@ExtendWith(DifferentialExtension.class)
class ConnectionCommandsDifferentialTest {

    /** HELLO's reply carries the connection's client id, which is each server's own counter. */
    private static final ReplyMasker CLIENT_ID = ReplyMasker.mapValue("id");

    @Test
    void pingRepliesPongOrItsMessage(DifferentialSession session) {
        session.check("PING");
        session.check("ping");
        session.check("PING", "hello");
        session.check("PING", "");
        session.check("PING", "PONG");
    }

    @Test
    void echoRepliesItsArgumentAsBulk(DifferentialSession session) {
        session.check("ECHO", "hello");
        session.check("ECHO", "");
        session.check("echo", "two words");
        session.check("ECHO".getBytes(StandardCharsets.US_ASCII), new byte[] {0, (byte) 0xff, '\r', '\n', '$'});
    }

    @Test
    void selectAcceptsOnlyDatabaseZeroInClusterMode(DifferentialSession session) {
        session.check("SELECT", "0");
        session.check("SELECT", "1");
        session.check("SELECT", "15");
        session.check("SELECT", "16");
        session.check("SELECT", "-1");
        session.check("SELECT", "00");
    }

    @Test
    void selectRejectsANonIntegerIndex(DifferentialSession session) {
        session.check("SELECT", "x");
        session.check("SELECT", "1.5");
        session.check("SELECT", "");
        session.check("SELECT", "9999999999");
    }

    @Test
    void dbsizeCountsTheKeys(DifferentialSession session) {
        session.check("DBSIZE");
        session.check("MSET", "{t}a", "1", "{t}b", "2");
        session.check("SET", "c", "3");
        session.check("DBSIZE");
        session.check("DEL", "c");
        session.check("DBSIZE");
    }

    @Test
    void flushallEmptiesTheKeyspaceInEveryMode(DifferentialSession session) {
        session.check("MSET", "{t}a", "1", "{t}b", "2");
        session.check("FLUSHALL");
        session.check("DBSIZE");
        session.check("SET", "a", "1");
        session.check("FLUSHALL", "ASYNC");
        session.check("DBSIZE");
        session.check("SET", "a", "1");
        session.check("flushall", "sync");
        session.check("DBSIZE");
    }

    @Test
    void flushdbEmptiesTheOnlyDatabase(DifferentialSession session) {
        session.check("SET", "a", "1");
        session.check("FLUSHDB");
        session.check("GET", "a");
        session.check("SET", "a", "1");
        session.check("FLUSHDB", "SYNC");
        session.check("FLUSHDB", "ASYNC");
        session.check("DBSIZE");
    }

    @Test
    void flushRejectsAnUnknownMode(DifferentialSession session) {
        session.check("SET", "a", "1");
        session.check("FLUSHALL", "x");
        session.check("FLUSHALL", "SYNC", "ASYNC");
        session.check("FLUSHDB", "x");
        session.check("FLUSHDB", "ASYNC", "x");
        session.check("DBSIZE");
    }

    @Test
    void unknownCommandQuotesItsFirstArguments(DifferentialSession session) {
        session.check("FOO", "a", "b");
        session.check("FOO");
        session.check("foo", "a b", "it's");
        session.check("");
        session.check("FOO", "line\r\nbreak");
        // The name is cut at 128 bytes, and arguments are listed while the list is under 128 bytes.
        session.check("X".repeat(200));
        session.check("FOO", "a".repeat(100), "b".repeat(100), "c");
        session.check("FOO".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xc3, (byte) 0xa9, 0});
    }

    @Test
    void helloThreeSwitchesTheConnectionToResp3(DifferentialSession session) {
        session.checkMasked(CLIENT_ID, "HELLO", "3");
        session.check("PING");
        session.check("PING", "x");
        session.check("GET", "missing");
        session.check("SET", "k", "v", "NX");
        session.check("SET", "k", "v", "NX");
        session.checkMasked(CLIENT_ID, "HELLO");
        session.checkMasked(CLIENT_ID, "HELLO", "2");
        session.check("GET", "missing");
    }

    @Test
    void helloRejectsUnsupportedVersionsAndOptions(DifferentialSession session) {
        session.check("HELLO", "4");
        session.check("HELLO", "1");
        session.check("HELLO", "abc");
        session.check("HELLO", "3", "FOO");
        session.check("HELLO", "3", "AUTH");
        session.check("HELLO", "3", "SETNAME");
        session.check("GET", "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PING a b", "ECHO", "ECHO a b", "SELECT", "SELECT 0 1", "DBSIZE x"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }
}
