package dev.clusteremu.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clusteremu.cluster.ClusterSettings;

/**
 * A node's configuration, as redis.conf and CONFIG SET hold it. Start-time values (port, bind, dir) come
 * from {@link NodeOptions}; the rest may change at runtime on the node's loop.
 */
public final class ServerConfig {
    public final int port;
    public final String bind;
    public final Path dir;
    public final String clusterConfigFile;
    public final ClusterSettings cluster = new ClusterSettings();
    public String logLevel = "notice";
    public String requirePass = "";
    public String masterAuth = "";
    public long protoMaxBulkLen = 512L * 1024 * 1024;
    /** maxclients: an unsigned int in Redis, so up to 4294967295. */
    public long maxClients = 10000;
    /** configured_hz: what CONFIG SET hz asked for, capped to 1..500 as Redis caps it. */
    public int hz = 10;
    public long maxMemory;
    public String maxMemoryPolicy = "noeviction";
    public boolean replicaReadOnly = true;
    public boolean appendOnly;
    /**
     * list-max-listpack-size: the fill of each new list's quicklist, a node's limit in bytes when negative
     * (-1 to -5: 4, 8, 16, 32 or 64 KB) or in entries when positive. A list keeps the fill it was created with.
     */
    public long listMaxListpackSize = -2;
    /** zset-max-listpack-entries: a sorted set with more members is converted from listpack to skiplist. */
    public long zsetMaxListpackEntries = 128;
    /** zset-max-listpack-value: a sorted set given a longer member is converted from listpack to skiplist. */
    public long zsetMaxListpackValue = 64;
    /** save: the RDB snapshot points; empty means "never save". LASTSAVE moves on FLUSHALL when not empty. */
    public List<SavePoint> save = List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000));
    /** notify-keyspace-events as a set of {@link dev.clusteremu.server.config.KeyspaceEvents} bits; 0 = off. */
    public int notifyKeyspaceEvents;
    /** cluster-preferred-endpoint-type: ip, hostname or unknown-endpoint (what MOVED/ASK and SLOTS show). */
    public String clusterPreferredEndpointType = "ip";
    /** timeout: seconds a client may stay idle before the server closes it; 0 = never. */
    public long timeout;
    /** hash-max-listpack-entries: a hash with more fields is converted from listpack to hashtable. */
    public long hashMaxListpackEntries = 512;
    /** hash-max-listpack-value: a hash given a longer field or value is converted to hashtable. */
    public long hashMaxListpackValue = 64;
    /** set-max-intset-entries: an intset with more members is converted to hashtable. */
    public long setMaxIntsetEntries = 512;
    /** slowlog-log-slower-than: microseconds from which a command is logged; negative disables the log. */
    public long slowlogLogSlowerThan = 10000;
    /** slowlog-max-len: entries the slow log keeps. */
    public long slowlogMaxLen = 128;
    /** latency-monitor-threshold: milliseconds from which the latency monitor samples an event; 0 = off. */
    public long latencyMonitorThreshold;
    /** latency-tracking: whether each command's latency histogram is kept. */
    public boolean latencyTracking = true;
    /**
     * Parameters Redis has that this emulator accepts and reports but does not act on (databases,
     * slowlog-max-len, ...), by name, as parsed values; absent means the default. Only CONFIG uses it.
     */
    public final Map<String, Object> recordedParams = new HashMap<>();

    /** One "save &lt;seconds&gt; &lt;changes&gt;" point: snapshot after that many seconds with that many writes. */
    public record SavePoint(long seconds, int changes) {
    }

    public ServerConfig(int port, String bind, Path dir) {
        this.port = port;
        this.bind = bind;
        this.dir = dir;
        this.clusterConfigFile = "nodes-" + port + ".conf";
    }
}
