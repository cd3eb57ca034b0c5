package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * REPLCONF, PSYNC, WAIT, ROLE, REPLICAOF and FAILOVER as a client (not a replica) meets them on a master
 * without replicas: the same replies, errors included, as redis-server 7.0 in cluster mode.
 */
@ExtendWith(DifferentialExtension.class)
class ReplicationCommandsDifferentialTest {

    @Test
    void replconfAcceptsKnownOptionsAndRefusesOthers(DifferentialSession session) {
        session.check("REPLCONF");
        session.check("REPLCONF", "listening-port", "6380");
        session.check("REPLCONF", "listening-port", "x");
        session.check("REPLCONF", "ip-address", "10.0.0.1");
        session.check("REPLCONF", "ip-address", "a".repeat(255));
        session.check("REPLCONF", "ip-address", "a".repeat(256));
        session.check("REPLCONF", "capa", "eof", "capa", "psync2");
        session.check("REPLCONF", "capa", "whatever");
        session.check("REPLCONF", "rdb-only", "0");
        session.check("REPLCONF", "rdb-only", "1");
        session.check("REPLCONF", "rdb-only", "2");
        session.check("REPLCONF", "rdb-only", "x");
        session.check("REPLCONF", "rdb-filter-only", "");
        session.check("REPLCONF", "rdb-filter-only", "functions");
        session.check("REPLCONF", "rdb-filter-only", "keys");
        session.check("REPLCONF", "rdb-filter-only", "\"unbalanced");
        session.check("REPLCONF", "listening-port");
        session.check("REPLCONF", "nosuch", "1");
        session.check("REPLCONF", "capa", "eof", "nosuch", "1");
    }

    @Test
    void psyncRefusesABadOffsetAndNeedsItsArguments(DifferentialSession session) {
        session.check("PSYNC", "?", "x");
        session.check("PSYNC", "?");
        session.check("SYNC", "x");
    }

    @Test
    void waitCountsReplicasOrRefusesBadArguments(DifferentialSession session) {
        session.check("WAIT", "0", "0");
        session.check("WAIT", "1", "1");
        session.check("WAIT", "x", "0");
        session.check("WAIT", "1", "x");
        session.check("WAIT", "1", "-1");
        session.check("WAIT", "1");
    }

    @Test
    void roleOfAMasterWithoutReplicas(DifferentialSession session) {
        session.check("ROLE");
        session.check("ROLE", "x");
    }

    @Test
    void replicaofAndFailoverAreLeftToTheCluster(DifferentialSession session) {
        session.check("REPLICAOF", "NO", "ONE");
        session.check("SLAVEOF", "127.0.0.1", "6379");
        session.check("REPLICAOF", "x");
        session.check("FAILOVER");
        session.check("FAILOVER", "ABORT");
    }

    @Test
    void minReplicasToWriteRefusesWritesOfAMasterWithoutReplicas(DifferentialSession session) {
        session.check("SET", "k", "before");
        try {
            session.check("CONFIG", "SET", "min-replicas-to-write", "1");
            assertEquals(goodReplicasLine(session.referenceClient()), goodReplicasLine(session.candidateClient()));
            session.check("SET", "k", "v");
            session.check("DEL", "k");
            session.check("FLUSHALL");
            session.check("GET", "k");
            session.check("PING");
            session.check("MULTI");
            session.check("SET", "k", "v");
            session.check("GET", "k");
            session.check("EXEC");
            session.check("EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "k");
            session.check("EVAL", "return redis.pcall('set', KEYS[1], 'v')", "1", "k");
            session.check("EVAL", "return redis.call('get', KEYS[1])", "1", "k");
            session.check("EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "k");
            session.check("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k");
            session.check("CONFIG", "SET", "min-replicas-max-lag", "0");
            session.check("SET", "k", "after");
        } finally {
            session.check("CONFIG", "SET", "min-replicas-to-write", "0", "min-replicas-max-lag", "10");
        }
        session.check("GET", "k");
    }

    private static String goodReplicasLine(RespClient c) {
        return c.call("INFO", "replication").asString().lines().filter(l -> l.startsWith("min_slaves_good_slaves"))
                .findFirst().orElse("(none)");
    }
}
