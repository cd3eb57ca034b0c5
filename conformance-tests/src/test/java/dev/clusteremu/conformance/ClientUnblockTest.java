package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CLIENT UNBLOCK over real connections, against redis-server 7.0: a client blocked on a list, a sorted set,
 * a stream (plain and in a consumer group) or in WAIT is unblocked as if it timed out, or with -UNBLOCKED,
 * in RESP2 and RESP3; it then serves its next command, gets none of what arrives later, and its blocked
 * command counts as a failed call with a latency histogram entry, as updateStatsOnUnblock counts it. The
 * same script runs on both servers and what every connection read must be the same bytes.
 */
@ExtendWith(DifferentialExtension.class)
class ClientUnblockTest {

    /** A blocking client, a client that unblocks it, and the transcript of what both read. */
    private static final class Actors implements AutoCloseable {
        private final RespClient blocked;
        private final RespClient admin;
        private final long blockedId;
        private final List<String> transcript = new ArrayList<>();

        Actors(RedisTarget target) {
            blocked = RespClient.connect(target).timeout(Duration.ofSeconds(20));
            admin = RespClient.connect(target);
            blockedId = blocked.call("CLIENT", "ID").asLong();
        }

        /** The blocking client sends {@code argv}; returns once the server counts it as blocked. */
        void block(String... argv) {
            blocked.send(argv);
            Wait.until("the client to block", () -> admin.call("INFO", "clients").asString()
                    .contains("blocked_clients:1\r\n"));
        }

        /** CLIENT UNBLOCK of the blocked client with the given reason words; both replies go to the transcript. */
        void unblock(String... reason) {
            List<String> argv = new ArrayList<>(List.of("CLIENT", "UNBLOCK", Long.toString(blockedId)));
            argv.addAll(List.of(reason));
            admin.send(argv.toArray(String[]::new));
            transcript.add("admin: " + Reply.escape(admin.readRawReply()));
            transcript.add("blocked: " + Reply.escape(blocked.readRawReply()));
        }

        /** Reads the blocked client's pending reply (its blocking command's, once served). */
        void blockedReply() {
            transcript.add("blocked: " + Reply.escape(blocked.readRawReply()));
        }

        void blockedCall(String... argv) {
            blocked.send(argv);
            transcript.add("blocked: " + Reply.escape(blocked.readRawReply()));
        }

        void adminCall(String... argv) {
            admin.send(argv);
            transcript.add("admin: " + Reply.escape(admin.readRawReply()));
        }

        /** Statistics lines without their timings: calls, rejected and failed calls, errors by code. */
        void stats(String command) {
            for (String line : admin.call("INFO", "commandstats").asString().split("\r\n")) {
                if (line.startsWith("cmdstat_" + command + ":")) {
                    transcript.add("stats: " + line.replaceAll("usec=\\d+,usec_per_call=[0-9.]+,", ""));
                }
            }
            for (String line : admin.call("INFO", "errorstats").asString().split("\r\n")) {
                if (line.startsWith("errorstat_")) {
                    transcript.add("stats: " + line);
                }
            }
            Reply histogram = admin.call("LATENCY", "HISTOGRAM", command);
            transcript.add("histogram calls: " + (histogram.asList().isEmpty() ? "none"
                    : histogram.asList().get(1).asList().get(1)));
        }

        /**
         * The arguments of the slow log's entries, newest first, but for the INFO calls that wait for the
         * client to block (how many there are depends on timing) and CLIENT UNBLOCK's own (the client id).
         */
        void slowlog() {
            for (Reply entry : admin.call("SLOWLOG", "GET", "-1").asList()) {
                List<Reply> args = entry.asList().get(3).asList();
                boolean polling = !args.isEmpty() && (args.get(0).equals(Reply.bulk("INFO"))
                        || args.get(0).equals(Reply.bulk("CLIENT")));
                if (!polling) {
                    transcript.add("slowlog: " + args);
                }
            }
        }

        @Override
        public void close() {
            blocked.close();
            admin.close();
        }
    }

    @FunctionalInterface
    private interface Script {
        void run(Actors a);
    }

    /** Runs {@code script} on each server, from an empty dataset and fresh statistics, and compares. */
    private static void compare(DifferentialSession session, Script script) {
        List<List<String>> transcripts = new ArrayList<>();
        for (RedisTarget target : List.of(session.reference(), session.candidate())) {
            try (RespClient c = RespClient.connect(target)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "RESETSTAT");
            }
            try (Actors actors = new Actors(target)) {
                script.run(actors);
                transcripts.add(actors.transcript);
            }
        }
        assertEquals(transcripts.get(0), transcripts.get(1), "transcripts of reference then candidate");
    }

    @Test
    void listClientUnblockedAsOnTimeoutGetsANullArray(DifferentialSession session) {
        compare(session, a -> {
            a.block("BLPOP", "{u}list", "0");
            a.unblock();
            a.adminCall("LPUSH", "{u}list", "x");
            a.blockedCall("LRANGE", "{u}list", "0", "-1");
            a.block("BRPOPLPUSH", "{u}list2", "{u}dst", "100");
            a.unblock("TIMEOUT");
            a.block("BLMPOP", "0", "2", "{u}a", "{u}b", "LEFT");
            a.unblock("timeout");
            a.stats("blpop");
            a.stats("brpoplpush");
            a.stats("blmpop");
        });
    }

    @Test
    void listClientUnblockedWithErrorGetsUnblocked(DifferentialSession session) {
        compare(session, a -> {
            a.block("BLMOVE", "{u}src", "{u}dst", "LEFT", "RIGHT", "0");
            a.unblock("ERROR");
            a.adminCall("RPUSH", "{u}src", "y");
            a.blockedCall("LLEN", "{u}src");
            a.stats("blmove");
        });
    }

    @Test
    void sortedSetClientsAreUnblocked(DifferentialSession session) {
        compare(session, a -> {
            a.block("BZPOPMIN", "{u}z", "0");
            a.unblock("TIMEOUT");
            a.block("BZMPOP", "0", "1", "{u}z", "MAX", "COUNT", "2");
            a.unblock("error");
            a.adminCall("ZADD", "{u}z", "1", "m");
            a.blockedCall("ZCARD", "{u}z");
            a.stats("bzpopmin");
            a.stats("bzmpop");
        });
    }

    @Test
    void streamClientsAreUnblocked(DifferentialSession session) {
        compare(session, a -> {
            a.adminCall("XADD", "{u}s", "1-1", "f", "v");
            a.adminCall("XGROUP", "CREATE", "{u}s", "g", "$");
            a.block("XREAD", "BLOCK", "0", "STREAMS", "{u}s", "$");
            a.unblock();
            a.block("XREAD", "COUNT", "1", "BLOCK", "60000", "STREAMS", "{u}s", "{u}s2", "$", "$");
            a.unblock("ERROR");
            a.block("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{u}s", ">");
            a.unblock("TIMEOUT");
            a.block("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{u}s", ">");
            a.unblock("ERROR");
            a.adminCall("XADD", "{u}s", "2-1", "f", "w");
            a.adminCall("XPENDING", "{u}s", "g");
            a.blockedCall("XREADGROUP", "GROUP", "g", "c", "STREAMS", "{u}s", ">");
            a.stats("xread");
            a.stats("xreadgroup");
        });
    }

    @Test
    void waitIsUnblockedWithTheReplicasThatAcknowledged(DifferentialSession session) {
        compare(session, a -> {
            a.blockedCall("SET", "{u}k", "v");
            a.block("WAIT", "1", "0");
            a.unblock("TIMEOUT");
            a.block("WAIT", "2", "100000");
            a.unblock("ERROR");
            a.blockedCall("GET", "{u}k");
            a.stats("wait");
        });
    }

    @Test
    void resp3ClientUnblockedAsOnTimeoutGetsANull(DifferentialSession session) {
        compare(session, a -> {
            // HELLO's reply holds the connection's id, which differs: only its protocol switch matters here.
            a.blocked.call("HELLO", "3", "SETNAME", "blocked");
            a.block("BLPOP", "{u}list", "0");
            a.unblock("TIMEOUT");
            a.block("XREAD", "BLOCK", "0", "STREAMS", "{u}s", "$");
            a.unblock();
            a.block("BZPOPMAX", "{u}z", "0");
            a.unblock("ERROR");
        });
    }

    /**
     * A served command enters the slow log with its arguments; one ended by CLIENT UNBLOCK without them, as
     * Redis resets the client before it logs it.
     */
    @Test
    void unblockedAndServedCommandsEnterTheSlowLogWhenTheyEnd(DifferentialSession session) {
        compare(session, a -> {
            a.adminCall("CONFIG", "SET", "slowlog-log-slower-than", "0");
            try {
                a.adminCall("SLOWLOG", "RESET");
                a.block("BLPOP", "{u}list", "0");
                a.unblock("ERROR");
                a.block("BLPOP", "{u}list", "0");
                a.adminCall("RPUSH", "{u}list", "x");
                a.blockedReply();
                a.blockedCall("PING");
                a.slowlog();
            } finally {
                a.adminCall("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
        });
    }

    @Test
    void clientsThatAreNotBlockedAreLeftAlone(DifferentialSession session) {
        compare(session, a -> {
            a.adminCall("CLIENT", "UNBLOCK", Long.toString(a.blockedId));
            a.adminCall("CLIENT", "UNBLOCK", Long.toString(a.blockedId), "ERROR");
            a.adminCall("CLIENT", "UNBLOCK", "999999999");
            a.adminCall("CLIENT", "UNBLOCK", "-1", "TIMEOUT");
            a.blockedCall("PING");
        });
    }

    @Test
    void badArgumentsAreRefused(DifferentialSession session) {
        session.check("CLIENT", "UNBLOCK");
        session.check("CLIENT", "UNBLOCK", "notanumber");
        session.check("CLIENT", "UNBLOCK", "notanumber", "TIMEOUT");
        session.check("CLIENT", "UNBLOCK", "notanumber", "BADREASON");
        session.check("CLIENT", "UNBLOCK", "1", "BADREASON");
        session.check("CLIENT", "UNBLOCK", "1", "TIMEOUT", "extra");
        session.check("CLIENT", "UNBLOCK", "99999999999999999999");
        session.check("COMMAND", "INFO", "client|unblock");
        session.check("CLIENT", "HELP");
    }
}
