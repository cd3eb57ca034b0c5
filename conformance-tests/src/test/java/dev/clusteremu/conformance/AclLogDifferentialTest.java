package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ACL LOG against redis-server 7.0: commands, keys and channels a user may not use and failed
 * authentications (AUTH, HELLO) are logged with Redis's reason, context (toplevel, multi), object and user;
 * repeats are grouped and counted; the log is capped by acllog-max-len; COUNT and RESET; the errors. An
 * entry's age and its client's CLIENT LIST line are the servers' own: the age is masked, and of the client
 * line only the fields that describe the command (name, flags, db, multi, cmd, user, resp) are compared.
 */
@ExtendWith(DifferentialExtension.class)
class AclLogDifferentialTest {

    /** The fields of an entry's client-info line that both servers must agree on. */
    private static final List<String> CLIENT_FIELDS = List.of("name", "flags", "db", "multi", "cmd", "user", "resp");

    /** Masks each entry's age-seconds and reduces its client-info to {@link #CLIENT_FIELDS}. */
    static final ReplyMasker ENTRIES = reply -> {
        if (!(reply instanceof Reply.Array entries)) {
            return reply;
        }
        List<Reply> masked = new ArrayList<>();
        for (Reply entry : entries.elements()) {
            masked.add(ReplyMasker.mapValue("age-seconds").andThen(AclLogDifferentialTest::clientFields).mask(entry));
        }
        return new Reply.Array(masked);
    };

    private static Reply clientFields(Reply entry) {
        if (entry instanceof Reply.Map map) {
            List<Reply.Entry> out = new ArrayList<>();
            for (Reply.Entry e : map.entries()) {
                out.add(e.key().equals(Reply.bulk("client-info")) ? new Reply.Entry(e.key(), filter(e.value())) : e);
            }
            return new Reply.Map(out);
        }
        if (entry instanceof Reply.Array array) {
            List<Reply> out = new ArrayList<>(array.elements());
            for (int i = 0; i + 1 < out.size(); i += 2) {
                if (out.get(i).equals(Reply.bulk("client-info"))) {
                    out.set(i + 1, filter(out.get(i + 1)));
                }
            }
            return new Reply.Array(out);
        }
        return entry;
    }

    private static Reply filter(Reply clientInfo) {
        List<String> kept = new ArrayList<>();
        for (String field : clientInfo.asString().split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0 && CLIENT_FIELDS.contains(field.substring(0, eq))) {
                kept.add(field);
            }
        }
        return new Reply.Bulk(String.join(" ", kept).getBytes(StandardCharsets.UTF_8));
    }

    /** A user limited to keys k* and channels ch*, and one that may run no command at all. */
    private static void users(DifferentialSession session) {
        session.check("ACL", "LOG", "RESET");
        session.check("ACL", "SETUSER", "limited", "on", ">pw", "+@all", "~k*", "&ch*");
        session.check("ACL", "SETUSER", "idle", "on", ">pw", "-@all", "~*", "&*");
    }

    @Test
    void refusalsInsideScriptsAreLoggedWithTheLuaContext(DifferentialSession session) {
        users(session);
        try {
            session.check("AUTH", "limited", "pw");
            session.check("EVAL", "return redis.call('GET', 'other')", "0");
            session.check("EVAL", "return redis.call('PUBLISH', 'elsewhere', 'm')", "0");
            session.check("EVAL", "return redis.pcall('GET', 'other')", "0");
            session.check("EVAL", "return redis.call('GET', 'k1')", "0");
        } finally {
            session.reconnect();
        }
        session.checkMasked(ENTRIES, "ACL", "LOG");
    }

    @Test
    void refusedCommandsKeysAndChannelsAreLogged(DifferentialSession session) {
        users(session);
        try {
            session.check("AUTH", "limited", "pw");
            session.check("GET", "other");
            session.check("GET", "k1");
            session.check("MSET", "k1", "v", "nokey", "v");
            session.check("PUBLISH", "other", "m");
            session.check("PUBLISH", "ch1", "m");
            session.check("SPUBLISH", "other", "m");
            session.check("PSUBSCRIBE", "c*");
            session.check("SUBSCRIBE", "ch1", "other");
            session.check("CLIENT", "SETNAME", "named");
            session.check("GET", "other");
            session.check("AUTH", "idle", "pw");
            session.check("PING");
            session.check("GET", "k1");
            session.check("AUTH", "default", "anything");
            session.checkMasked(ENTRIES, "ACL", "LOG");
            session.checkMasked(ENTRIES, "ACL", "LOG", "2");
            session.check("ACL", "LOG", "0");
            session.check("ACL", "LOG", "-5");
        } finally {
            session.check("AUTH", "default", "anything");
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }

    @Test
    void failedAuthenticationsAreLogged(DifferentialSession session) {
        users(session);
        try {
            session.check("AUTH", "limited", "wrong");
            session.check("auth", "nosuchuser", "wrong");
            session.check("AUTH", "nosuchuser", "wrong");
            session.check("HELLO", "2", "AUTH", "limited", "wrong");
            session.check("ACL", "SETUSER", "limited", "off");
            session.check("AUTH", "limited", "pw");
            session.checkMasked(ENTRIES, "ACL", "LOG");
        } finally {
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }

    @Test
    void refusalsInTransactionsAreLoggedInTheMultiContext(DifferentialSession session) {
        users(session);
        try (RespClient otherReference = RespClient.connect(session.reference());
                RespClient otherCandidate = RespClient.connect(session.candidate())) {
            session.check("AUTH", "limited", "pw");
            session.check("MULTI");
            session.check("GET", "other");
            session.check("EXEC");
            session.check("MULTI");
            session.check("GET", "k1");
            session.check("PUBLISH", "ch1", "m");
            for (RespClient other : List.of(otherReference, otherCandidate)) {
                other.call("ACL", "SETUSER", "limited", "resetkeys", "~z*", "resetchannels", "&z*");
            }
            session.check("EXEC");
            session.check("AUTH", "default", "x");
            session.checkMasked(ENTRIES, "ACL", "LOG");
        } finally {
            session.check("AUTH", "default", "x");
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }

    @Test
    void repeatsAreGroupedAndTheLogIsCapped(DifferentialSession session) {
        users(session);
        try {
            session.check("AUTH", "limited", "pw");
            for (int i = 0; i < 3; i++) {
                session.check("GET", "other");
            }
            session.check("GET", "other2");
            session.check("GET", "other");
            session.check("AUTH", "default", "x");
            session.checkMasked(ENTRIES, "ACL", "LOG");
            session.check("CONFIG", "SET", "acllog-max-len", "2");
            session.check("AUTH", "limited", "pw");
            session.check("GET", "other3");
            session.check("AUTH", "default", "x");
            session.checkMasked(ENTRIES, "ACL", "LOG");
            session.check("CONFIG", "SET", "acllog-max-len", "0");
            session.check("AUTH", "nosuchuser", "x");
            session.check("ACL", "LOG");
            session.check("ACL", "LOG", "RESET");
            session.check("ACL", "LOG");
        } finally {
            session.check("AUTH", "default", "x");
            session.check("CONFIG", "SET", "acllog-max-len", "128");
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }

    @Test
    void entriesAreMapsInResp3(DifferentialSession session) {
        users(session);
        try {
            session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            session.check("AUTH", "limited", "pw");
            session.check("GET", "other");
            session.check("AUTH", "default", "x");
            session.checkMasked(ENTRIES, "ACL", "LOG");
        } finally {
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }

    @Test
    void badArgumentsAreRefused(DifferentialSession session) {
        session.check("ACL", "LOG", "notanumber");
        session.check("ACL", "LOG", "1", "2");
        session.check("ACL", "LOG", "RESET", "now");
        session.check("ACL", "LOG", "99999999999999999999");
        session.check("COMMAND", "INFO", "acl|log");
        session.check("ACL", "HELP");
    }

    @Test
    void dryRunNamesTheRefusedChannel(DifferentialSession session) {
        users(session);
        try {
            session.check("ACL", "DRYRUN", "limited", "PUBLISH", "other", "m");
            session.check("ACL", "DRYRUN", "limited", "PUBLISH", "ch1", "m");
            session.check("ACL", "DRYRUN", "limited", "SUBSCRIBE", "ch1", "other");
            session.check("ACL", "DRYRUN", "limited", "PSUBSCRIBE", "ch*");
            session.check("ACL", "DRYRUN", "limited", "PSUBSCRIBE", "ch1");
            session.check("ACL", "DRYRUN", "limited", "SPUBLISH", "other", "m");
            session.check("ACL", "DRYRUN", "limited", "GET", "other");
            session.check("ACL", "DRYRUN", "idle", "GET", "k");
            session.check("ACL", "LOG");
        } finally {
            session.check("ACL", "DELUSER", "limited", "idle");
        }
    }
}
