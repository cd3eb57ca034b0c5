package dev.clusteremu.server;

import java.nio.file.Path;

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
    public int maxClients = 10000;
    public int hz = 10;
    public long maxMemory;
    public String maxMemoryPolicy = "noeviction";
    public boolean replicaReadOnly = true;
    public boolean appendOnly;

    public ServerConfig(int port, String bind, Path dir) {
        this.port = port;
        this.bind = bind;
        this.dir = dir;
        this.clusterConfigFile = "nodes-" + port + ".conf";
    }
}
