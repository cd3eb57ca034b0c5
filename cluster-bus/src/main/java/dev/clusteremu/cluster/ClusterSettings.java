package dev.clusteremu.cluster;

import java.nio.file.Path;

/**
 * The cluster-related settings of one node, as in redis.conf and CONFIG SET. Read on the node's event loop;
 * CONFIG SET changes them there too.
 */
public final class ClusterSettings {
    /** cluster-node-timeout: ms without a PONG before a peer is PFAIL; also scales most other timers. */
    public long nodeTimeout = 15000;
    public boolean requireFullCoverage = true;
    public boolean allowReadsWhenDown = false;
    public boolean allowPubsubshardWhenDown = true;
    public boolean replicaNoFailover = false;
    public int replicaValidityFactor = 10;
    public int migrationBarrier = 1;
    public boolean allowReplicaMigration = true;
    /** repl-ping-replica-period, in seconds: part of a replica's data age limit for failover. */
    public int replPingReplicaPeriod = 10;
    /** cluster-announce-ip: sent in every header so peers use it instead of the socket address. */
    public String announceIp = "";
    public String announceHostname = "";
    /** cluster-announce-port / -bus-port; 0 means "the real one". */
    public int announcePort;
    public int announceBusPort;
    /** cluster-port: the bus port; 0 means client port + 10000. */
    public int busPort;
    /**
     * How long a master waits after start before reporting cluster_state:ok (Redis's CLUSTER_WRITABLE_DELAY,
     * 2000 ms), so that a restarted master learns of a failover before accepting writes. A freshly
     * bootstrapped cluster has nothing to learn, so the launcher may set 0 there.
     */
    public long writableDelay = 2000;
    /** Where nodes-&lt;port&gt;.conf lives; null keeps the config in memory only. */
    public Path configFile;
}
