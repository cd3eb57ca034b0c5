package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AUTH, requirepass, HELLO AUTH, NOAUTH and ACL users on a single-master cluster: errors of AUTH with and
 * without a password, what an unauthenticated connection may do (and the smaller requests it may send),
 * ACL SETUSER / GETUSER / LIST / USERS / DELUSER / WHOAMI / DRYRUN, and NOPERM for a user limited to some
 * keys or to no command. Every test leaves the node without password and without extra users.
 */
@ExtendWith(DifferentialExtension.class)
class AuthDifferentialTest {

    /** Removes the password and the users a test made, authenticating first if the connection must. */
    private static void restore(DifferentialSession session, String... users) {
        session.reconnect();
        session.referenceClient().call("AUTH", "default", "secret");
        session.candidateClient().call("AUTH", "default", "secret");
        session.check("CONFIG", "SET", "requirepass", "");
        for (String user : users) {
            session.check("ACL", "DELUSER", user);
        }
        session.check("ACL", "LIST");
    }

    @Test
    void authWithoutAPasswordConfigured(DifferentialSession session) {
        session.check("AUTH", "x");
        session.check("AUTH", "default", "anything");
        session.check("AUTH", "nosuchuser", "x");
        session.check("AUTH", "a", "b", "c");
        session.check("AUTH");
        session.check("ACL", "WHOAMI");
    }

    @Test
    void requirepassMakesNewConnectionsAuthenticate(DifferentialSession session) {
        try {
            session.check("CONFIG", "SET", "requirepass", "secret");
            session.check("CONFIG", "GET", "requirepass");
            // The connection that set the password stays authenticated.
            session.check("PING");
            session.reconnect();
            session.check("PING");
            session.check("GET", "k");
            session.check("CLUSTER", "INFO");
            session.check("NOSUCHCOMMAND");
            session.check("AUTH", "wrong");
            session.check("AUTH", "default", "wrong");
            session.check("GET", "k");
            session.check("AUTH", "secret");
            session.check("GET", "k");
            session.check("ACL", "WHOAMI");
            session.check("ACL", "LIST");
            session.check("AUTH", "default", "secret");
        } finally {
            restore(session);
        }
    }

    @Test
    void helloAuthenticatesAndOtherNoAuthCommandsRunBeforeAuth(DifferentialSession session) {
        ReplyMasker clientId = ReplyMasker.mapValue("id");
        try {
            session.check("CONFIG", "SET", "requirepass", "secret");
            session.reconnect();
            session.check("HELLO");
            session.check("HELLO", "3");
            session.check("HELLO", "3", "AUTH", "default", "wrong");
            session.checkMasked(clientId, "HELLO", "3", "AUTH", "default", "secret", "SETNAME", "me");
            session.check("CLIENT", "GETNAME");
            session.check("RESET");
            session.check("GET", "k");
            session.checkMasked(clientId, "HELLO", "2", "AUTH", "default", "secret");
            session.check("GET", "k");
        } finally {
            restore(session);
        }
    }

    @Test
    void unauthenticatedConnectionsMaySendOnlySmallRequests(DifferentialSession session) {
        try {
            session.check("CONFIG", "SET", "requirepass", "secret");
            session.reconnect();
            session.checkRawUntilClose(RespClient.command("ECHO", "x".repeat(20000)));
            session.checkRawUntilClose(RespClient.command("DEL", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
            session.check("AUTH", "secret");
            session.check("ECHO", "x".repeat(20000));
            session.check("DEL", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        } finally {
            restore(session);
        }
    }

    @Test
    void usersAreCreatedDescribedAndDeleted(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "app", "on", ">pw", "~*", "+@all");
            session.check("ACL", "SETUSER", "idle");
            session.check("ACL", "SETUSER", "ops", "on", "nopass", "allkeys", "allchannels", "allcommands");
            session.check("ACL", "SETUSER", "keys", "on", ">a", ">b", "~app:*", "~cache:*", "&news", "+@all");
            session.check("ACL", "SETUSER", "keys", "<a", "#" + "0".repeat(64), "!" + "0".repeat(64));
            session.check("ACL", "SETUSER", "reset-me", "on", ">x", "~*", "+@all", "reset");
            session.check("ACL", "USERS");
            session.check("ACL", "LIST");
            session.check("ACL", "GETUSER", "app");
            session.check("ACL", "GETUSER", "idle");
            session.check("ACL", "GETUSER", "keys");
            session.check("ACL", "GETUSER", "ops");
            session.check("ACL", "GETUSER", "default");
            session.check("ACL", "GETUSER", "nosuch");
            session.check("ACL", "DELUSER", "idle", "nosuch", "reset-me");
            session.check("ACL", "DELUSER", "default");
            session.check("ACL", "DELUSER", "app", "default");
            session.check("ACL", "USERS");
        } finally {
            restore(session, "app", "idle", "ops", "keys", "reset-me");
        }
    }

    @Test
    void setuserRefusesBadRulesAsAWhole(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "u", "on", "foo");
            session.check("ACL", "GETUSER", "u");
            session.check("ACL", "SETUSER", "u", "<nope");
            session.check("ACL", "SETUSER", "u", "#abc");
            session.check("ACL", "SETUSER", "u", "!" + "A".repeat(64));
            session.check("ACL", "SETUSER", "u", "~*", "~a");
            session.check("ACL", "SETUSER", "u", "&*", "&a");
            session.check("ACL", "SETUSER", "a b");
            session.check("ACL", "SETUSER", "u", "(~a");
            session.check("ACL", "SETUSER", "u", "on", "skip-sanitize-payload", "");
            session.check("ACL", "GETUSER", "u");
            session.check("ACL", "SETUSER", "u", "sanitize-payload", "off", "resetchannels", "resetkeys", "nocommands");
            session.check("ACL", "LIST");
            session.check("ACL", "SETUSER");
            session.check("ACL", "GETUSER");
            session.check("ACL", "DELUSER");
            session.check("ACL", "USERS", "x");
        } finally {
            restore(session, "u");
        }
    }

    @Test
    void usersAreLimitedToTheirKeysAndCommands(DifferentialSession session) {
        try {
            session.check("ACL", "SETUSER", "limited", "on", ">pw", "~app:*", "+@all");
            session.check("ACL", "SETUSER", "none", "on", "nopass", "~*", "-@all");
            session.check("ACL", "SETUSER", "off", "off", ">pw", "~*", "+@all");
            session.check("AUTH", "off", "pw");
            session.check("AUTH", "limited", "wrong");
            session.check("AUTH", "limited", "pw");
            session.check("ACL", "WHOAMI");
            session.check("SET", "app:{t}1", "v");
            session.check("GET", "app:{t}1");
            session.check("GET", "other");
            session.check("MGET", "app:{t}1", "x{t}");
            session.check("PING");
            session.check("MULTI");
            session.check("SET", "app:{t}2", "v");
            session.check("SET", "{t}3", "v");
            session.check("EXEC");
            session.check("AUTH", "none", "whatever");
            session.check("ACL", "WHOAMI");
            session.check("GET", "app:{t}1");
            session.check("PING");
            session.check("AUTH", "default", "x");
            session.check("ACL", "DRYRUN", "limited", "GET", "app:1");
            session.check("ACL", "DRYRUN", "limited", "GET", "other");
            session.check("ACL", "DRYRUN", "none", "GET", "other");
            session.check("ACL", "DRYRUN", "none", "AUTH", "x");
            session.check("ACL", "DRYRUN", "nosuch", "GET", "x");
            session.check("ACL", "DRYRUN", "limited", "NOSUCH", "x");
            session.check("ACL", "DRYRUN", "limited", "GET");
        } finally {
            restore(session, "limited", "none", "off");
        }
    }

    @Test
    void deletingAUserDisconnectsItsClients(DifferentialSession session) {
        try (RespClient otherReference = RespClient.connect(session.reference());
                RespClient otherCandidate = RespClient.connect(session.candidate())) {
            session.check("ACL", "SETUSER", "temp", "on", ">pw", "~*", "+@all");
            assertEquals(otherReference.call("AUTH", "temp", "pw"), otherCandidate.call("AUTH", "temp", "pw"));
            session.check("ACL", "DELUSER", "temp");
            assertTrue(otherReference.isClosedByPeer(RespClient.DEFAULT_TIMEOUT), "redis-server closes it");
            assertTrue(otherCandidate.isClosedByPeer(RespClient.DEFAULT_TIMEOUT), "the emulator closes it");
        } finally {
            restore(session, "temp");
        }
    }

    @Test
    void aclIntrospection(DifferentialSession session) {
        session.check("ACL", "CAT");
        session.check("ACL", "CAT", "nosuch");
        session.check("ACL", "CAT", "read", "write");
        session.check("ACL", "HELP");
        session.check("ACL", "GENPASS", "0");
        session.check("ACL", "GENPASS", "4097");
        session.check("ACL", "GENPASS", "x");
        session.check("ACL", "LOAD");
        session.check("ACL", "SAVE");
        session.check("ACL", "NOSUCH");
        assertEquals(64, session.referenceClient().call("ACL", "GENPASS").asString().length());
        assertEquals(64, session.candidateClient().call("ACL", "GENPASS").asString().length());
        assertEquals(2, session.candidateClient().call("ACL", "GENPASS", "5").asString().length());
        // The emulator has fewer commands than Redis; every one it lists in a category must be Redis's too.
        for (String category : new String[] {"transaction", "connection", "admin", "keyspace"}) {
            Set<String> expected = new HashSet<>();
            for (Reply r : session.referenceClient().call("ACL", "CAT", category).asList()) {
                expected.add(new String(((Reply.Bulk) r).bytes(), US_ASCII));
            }
            for (Reply r : session.candidateClient().call("ACL", "CAT", category).asList()) {
                String name = new String(((Reply.Bulk) r).bytes(), US_ASCII);
                assertTrue(expected.contains(name), name + " is not in Redis's @" + category);
            }
        }
    }
}
