package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CLUSTER subcommands on a single-master cluster: replies and every error text, compared with a real
 * redis-server 7.0. Node ids and ports differ between the two servers and are masked; commands that name
 * the node itself are sent with each server's own id.
 */
@ExtendWith(DifferentialExtension.class)
class ClusterCommandsDifferentialTest {

    /** Sends argv built from each server's own id to that server, and compares the replies. */
    private static void checkWithOwnId(DifferentialSession session, Function<String, String[]> argv) {
        String refId = session.referenceClient().call("CLUSTER", "MYID").asString();
        String candId = session.candidateClient().call("CLUSTER", "MYID").asString();
        Reply expected = session.referenceClient().call(argv.apply(refId));
        Reply actual = session.candidateClient().call(argv.apply(candId));
        NodeIdentityMasker masker = NodeIdentityMasker.of(session);
        assertEquals(masker.mask(expected), masker.mask(actual), "replies differ for " + String.join(" ",
                argv.apply("<own id>")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "bar", "hello", "FOO", "", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap",
            "foo{bar}{zap}", "{}", "{", "}{", "a{b}c{d}", "{{}}"})
    void keyslotHashesLikeRedis(String key, DifferentialSession session) {
        session.check("CLUSTER", "KEYSLOT", key);
    }

    @Test
    void countAndGetKeysInSlot(DifferentialSession session) {
        session.check("MSET", "{user}a", "1", "{user}b", "2", "{user}c", "3");
        session.check("CLUSTER", "COUNTKEYSINSLOT", "5474");
        session.checkMasked(ReplyMasker.unordered(), "CLUSTER", "GETKEYSINSLOT", "5474", "10");
        session.check("CLUSTER", "GETKEYSINSLOT", "5474", "0");
        session.check("CLUSTER", "COUNTKEYSINSLOT", "0");
        session.check("CLUSTER", "GETKEYSINSLOT", "0", "10");
        for (String bad : new String[] {"-1", "16384", "abc", ""}) {
            session.check("CLUSTER", "COUNTKEYSINSLOT", bad);
            session.check("CLUSTER", "GETKEYSINSLOT", bad, "1");
        }
        session.check("CLUSTER", "GETKEYSINSLOT", "0", "-1");
        session.check("CLUSTER", "GETKEYSINSLOT", "0", "x");
    }

    @Test
    void addslotsErrors(DifferentialSession session) {
        session.check("CLUSTER", "ADDSLOTS", "0");
        session.check("CLUSTER", "ADDSLOTS", "16383", "0");
        for (String bad : new String[] {"-1", "16384", "abc", "1.5", ""}) {
            session.check("CLUSTER", "ADDSLOTS", bad);
            session.check("CLUSTER", "DELSLOTS", bad);
            session.check("CLUSTER", "ADDSLOTSRANGE", bad, "10");
            session.check("CLUSTER", "DELSLOTSRANGE", "10", bad);
        }
        session.check("CLUSTER", "ADDSLOTS", "0", "abc");
        session.check("CLUSTER", "ADDSLOTSRANGE", "5", "1");
        session.check("CLUSTER", "ADDSLOTSRANGE", "0", "10");
        session.check("CLUSTER", "ADDSLOTSRANGE", "0", "1", "2");
        session.check("CLUSTER", "ADDSLOTSRANGE", "0");
        session.check("CLUSTER", "DELSLOTSRANGE", "7", "3");
        session.check("CLUSTER", "ADDSLOTS");
        session.check("CLUSTER", "DELSLOTS");
    }

    @Test
    void delslotsThenAddslotsRestoresTheSlot(DifferentialSession session) {
        session.check("CLUSTER", "DELSLOTS", "100");
        session.check("CLUSTER", "DELSLOTS", "100");
        session.check("CLUSTER", "DELSLOTSRANGE", "100", "101");
        session.check("CLUSTER", "ADDSLOTS", "100", "100");
        session.check("CLUSTER", "DELSLOTS", "101", "101");
        session.check("CLUSTER", "ADDSLOTS", "100");
        session.check("CLUSTER", "COUNTKEYSINSLOT", "100");
        awaitStateOk(session);
    }

    private static void awaitStateOk(DifferentialSession session) {
        Wait.until("both back to cluster_state:ok", () ->
                session.referenceClient().call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok")
                        && session.candidateClient().call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok"));
    }

    @Test
    void meetRejectsBadAddresses(DifferentialSession session) {
        session.check("CLUSTER", "MEET", "localhost", "7000");
        session.check("CLUSTER", "MEET", "1.2.3", "7000");
        session.check("CLUSTER", "MEET", "256.0.0.1", "7000");
        session.check("CLUSTER", "MEET", "127.0.0.1", "abc");
        session.check("CLUSTER", "MEET", "127.0.0.1", "7000", "abc");
        session.check("CLUSTER", "MEET", "127.0.0.1", "0");
        session.check("CLUSTER", "MEET", "127.0.0.1", "-5");
        session.check("CLUSTER", "MEET", "127.0.0.1", "65536");
        session.check("CLUSTER", "MEET", "127.0.0.1", "60000");
        session.check("CLUSTER", "MEET", "127.0.0.1", "7000", "0");
        session.check("CLUSTER", "MEET", "127.0.0.1", "7000", "17000", "x");
        session.check("CLUSTER", "MEET", "127.0.0.1");
    }

    @Test
    void nodeIdErrors(DifferentialSession session) {
        for (String sub : new String[] {"REPLICATE", "FORGET", "COUNT-FAILURE-REPORTS", "REPLICAS", "SLAVES"}) {
            session.check("CLUSTER", sub, "0000000000000000000000000000000000000000");
            session.check("CLUSTER", sub, "nosuchnode");
            session.check("CLUSTER", sub);
        }
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "REPLICATE", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "FORGET", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "COUNT-FAILURE-REPORTS", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "REPLICAS", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "SLAVES", id});
    }

    @Test
    void setslotErrors(DifferentialSession session) {
        session.check("CLUSTER", "SETSLOT", "0");
        session.check("CLUSTER", "SETSLOT", "abc", "STABLE");
        session.check("CLUSTER", "SETSLOT", "16384", "STABLE");
        session.check("CLUSTER", "SETSLOT", "0", "FOO");
        session.check("CLUSTER", "SETSLOT", "0", "STABLE", "x");
        session.check("CLUSTER", "SETSLOT", "0", "MIGRATING");
        session.check("CLUSTER", "SETSLOT", "0", "MIGRATING", "nosuchnode");
        session.check("CLUSTER", "SETSLOT", "0", "IMPORTING", "nosuchnode");
        session.check("CLUSTER", "SETSLOT", "0", "NODE", "nosuchnode");
        session.check("CLUSTER", "SETSLOT", "0", "STABLE");
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "SETSLOT", "0", "IMPORTING", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "SETSLOT", "0", "NODE", id});
        checkWithOwnId(session, id -> new String[] {"CLUSTER", "SETSLOT", "0", "MIGRATING", id});
        session.check("CLUSTER", "SETSLOT", "0", "STABLE");
    }

    @Test
    void masterOnlyAndEmptyOnlyOperationsAreRefused(DifferentialSession session) {
        session.check("CLUSTER", "FAILOVER");
        session.check("CLUSTER", "FAILOVER", "FORCE");
        session.check("CLUSTER", "FAILOVER", "foo");
        session.check("CLUSTER", "FAILOVER", "FORCE", "x");
        session.check("SET", "k", "v");
        session.check("CLUSTER", "FLUSHSLOTS");
        session.check("CLUSTER", "RESET");
        session.check("CLUSTER", "RESET", "HARD");
        session.check("CLUSTER", "RESET", "foo");
        session.check("CLUSTER", "RESET", "SOFT", "x");
        session.check("CLUSTER", "SET-CONFIG-EPOCH", "-1");
        session.check("CLUSTER", "SET-CONFIG-EPOCH", "abc");
        session.check("CLUSTER", "SAVECONFIG");
    }

    @Test
    void helpAndUnknownSubcommands(DifferentialSession session) {
        session.check("CLUSTER", "HELP");
        session.check("cluster", "help");
        session.check("CLUSTER", "HELP", "x");
        session.check("CLUSTER", "NOSUCH");
        session.check("CLUSTER", "nosuch", "a", "b");
        session.check("CLUSTER");
        for (String sub : new String[] {"MYID", "NODES", "SLOTS", "SHARDS", "INFO", "LINKS", "BUMPEPOCH", "FLUSHSLOTS",
                "SAVECONFIG"}) {
            session.check("CLUSTER", sub, "extra");
        }
        session.check("CLUSTER", "KEYSLOT");
        session.check("CLUSTER", "KEYSLOT", "a", "b");
        session.check("ASKING", "x");
        session.check("ASKING");
        session.check("READONLY");
        session.check("READWRITE");
    }

    @Test
    void preferredEndpointTypeAndHostnameShapeSlotsAndShards(DifferentialSession session) {
        NodeIdentityMasker masker = NodeIdentityMasker.of(session);
        try {
            // CONFIG SET applies the hostname to myself at once (clusterUpdateMyselfHostname).
            session.check("CONFIG", "SET", "cluster-announce-hostname", "node-a.example");
            session.checkMasked(masker, "CLUSTER", "NODES");
            session.checkMasked(masker, "CLUSTER", "SLOTS");
            session.check("CONFIG", "SET", "cluster-preferred-endpoint-type", "hostname");
            session.checkMasked(masker, "CLUSTER", "SLOTS");
            session.checkMasked(masker, "CLUSTER", "SHARDS");
            session.check("CONFIG", "SET", "cluster-preferred-endpoint-type", "unknown-endpoint");
            session.checkMasked(masker, "CLUSTER", "SLOTS");
            session.checkMasked(masker, "CLUSTER", "SHARDS");
        } finally {
            session.check("CONFIG", "SET", "cluster-preferred-endpoint-type", "ip");
            session.check("CONFIG", "SET", "cluster-announce-hostname", "");
            session.checkMasked(masker, "CLUSTER", "NODES");
        }
    }

    @Test
    void introspectionRepliesHaveRedisShape(DifferentialSession session) {
        NodeIdentityMasker masker = NodeIdentityMasker.of(session);
        session.checkMasked(masker, "CLUSTER", "MYID");
        session.checkMasked(masker, "CLUSTER", "SLOTS");
        session.checkMasked(masker, "CLUSTER", "SHARDS");
        session.checkMasked(masker, "CLUSTER", "NODES");
        session.checkMasked(masker, "CLUSTER", "LINKS");
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.checkMasked(masker, "CLUSTER", "SLOTS");
        session.checkMasked(masker, "CLUSTER", "SHARDS");
        session.checkMasked(masker, "CLUSTER", "NODES");
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "2");
    }
}
