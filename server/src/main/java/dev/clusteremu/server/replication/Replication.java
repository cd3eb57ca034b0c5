package dev.clusteremu.server.replication;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * A node's replication, both sides, as Redis 7.0's replication.c does it (the repl fields of the server
 * struct): the history it holds ({@link ReplicationHistory}), the stream its commands produce
 * ({@link ReplicationStream}), the replicas it feeds ({@link Replicas}), the master it follows
 * ({@link MasterLink}), and the clients waiting for acknowledgements ({@link WaitForReplicas}).
 *
 * <p>The cluster layer decides the role (through the node's data side) and this class carries it out:
 * {@link #setMaster} when the node becomes (or stays) a replica of some master, {@link #unsetMaster} when
 * it is promoted or reset. Owned by the node's loop.
 */
public final class Replication {
    /** replicationCron runs once a second. */
    private static final long CRON_PERIOD_MS = 1000;
    /** CONFIG_DEFAULT_REPL_BACKLOG_SIZE: repl-backlog-size is 1 MB unless set. */
    private static final long DEFAULT_BACKLOG_SIZE = 1024 * 1024;

    final RedisNode node;
    final ReplicationHistory history;
    final ReplicationStream stream;
    final Replicas replicas;
    final MasterLink link;
    final WaitForReplicas waiting;
    private ScheduledFuture<?> cron;
    /** replication_cron_loops: seconds of cron so far, which times the PINGs to replicas. */
    private long cronLoops;

    public Replication(RedisNode node) {
        this.node = node;
        this.history = new ReplicationHistory(DEFAULT_BACKLOG_SIZE);
        this.stream = new ReplicationStream(this);
        this.replicas = new Replicas(this, node);
        this.link = new MasterLink(this, node);
        this.waiting = new WaitForReplicas(this, node);
    }

    /** Starts replicationCron. Call on the node's loop. */
    public void start() {
        cron = node.loop().scheduleAtFixedRate(this::cron, CRON_PERIOD_MS, CRON_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops the cron and drops the link to our master (node shutdown). Call on the node's loop. */
    /**
     * Stalls or resumes the replication connections as the injected network faults say: a connection to
     * or from a node on the other side of a partition stops being read (its bytes wait in the buffers, as
     * packets wait for TCP to retransmit them) and picks up where it was when the partition heals, or is
     * dropped by the replication timeouts if it lasts, as with a real network.
     */
    public void applyFaults(dev.clusteremu.cluster.NetworkFaults faults) {
        int me = node.port();
        link.stallIf(faults);
        replicas.stallIf(faults, me);
    }

    public void shutdown() {
        if (cron != null) {
            cron.cancel(false);
        }
        link.shutdown();
    }

    private void cron() {
        link.cron();
        replicas.cron(cronLoops);
        cronLoops++;
    }

    // ---------------------------------------------------------------------------------------------------
    // Role
    // ---------------------------------------------------------------------------------------------------

    /** Whether a master is configured (server.masterhost != NULL). */
    public boolean isReplica() {
        return link.isReplica();
    }

    /** Whether we are a replica whose link to its master is up (repl_state CONNECTED). */
    public boolean isLinkUp() {
        return link.isConnected();
    }

    /** The master's address, or null when we are a master. */
    public String masterHost() {
        return link.host();
    }

    public int masterPort() {
        return link.port();
    }

    /** Become a replica of the master at ip:port, or follow it at its new address (replicationSetMaster). */
    public void setMaster(String ip, int port) {
        link.setMaster(ip, port);
    }

    /** Become a master (replicationUnsetMaster): after a promotion or CLUSTER RESET. */
    public void unsetMaster() {
        link.unsetMaster();
    }

    /**
     * The offset the cluster bus advertises: master_repl_offset on a master, the offset applied on a
     * replica (replicationGetSlaveOffset).
     */
    public long offset() {
        return isReplica() ? link.appliedOffset() : history.masterReplOffset();
    }

    /**
     * rdbPopulateSaveInfo: the replication position an RDB file records (db 0, our replication id and
     * offset), or null when this node is in no replication chain (a master that never had a backlog).
     */
    public dev.clusteremu.server.rdb.RdbSaveInfo rdbSaveInfo() {
        if (isReplica() || history.hasBacklog()) {
            return new dev.clusteremu.server.rdb.RdbSaveInfo(0, history.replid(), history.masterReplOffset());
        }
        return null;
    }

    /** master_repl_offset: where the stream this node holds ends. */
    public long masterReplOffset() {
        return history.masterReplOffset();
    }

    /** How old a replica's copy of its master's data is, in ms (the data age of a failover candidate). */
    public long masterDataAgeMs() {
        return link.dataAgeMs();
    }

    /** connected_slaves: replicas attached to us. */
    public int connectedReplicas() {
        return replicas.count();
    }

    /** The stream commands propagate into. */
    public ReplicationStream stream() {
        return stream;
    }

    /** repl-backlog-size as CONFIG GET reports it: at least 16 KiB. */
    public long backlogSize() {
        return history.backlogSize();
    }

    /** CONFIG SET repl-backlog-size: resizes a backlog in use, keeping its most recent bytes. */
    public void setBacklogSize(long size) {
        history.setBacklogSize(size);
    }

    // ---------------------------------------------------------------------------------------------------
    // Commands
    // ---------------------------------------------------------------------------------------------------

    /** SYNC, PSYNC replid offset. */
    public void sync(Client c, byte[][] argv) {
        replicas.sync(c, argv);
    }

    /** REPLCONF option value [...]. */
    public void replconf(Client c, byte[][] argv) {
        replicas.replconf(c, argv);
    }

    /** WAIT numreplicas timeout. */
    public void waitCommand(Client c, byte[][] argv) {
        waiting.waitCommand(c, argv);
    }

    /** ROLE (roleCommand). */
    public void role(Client c) {
        RespWriter w = c.reply();
        if (isReplica()) {
            link.role(w);
            return;
        }
        w.array(3);
        w.bulk("master");
        w.integer(history.masterReplOffset());
        replicas.role(w);
    }

    /**
     * checkGoodReplicasStatus: whether this node may take writes under min-replicas-to-write, i.e. it is a
     * replica (its writes are its master's), the option is off (either setting 0), or enough replicas are
     * online and acknowledged within min-replicas-max-lag seconds. Counted when asked, where Redis keeps a
     * count it refreshes every second and whenever a replica comes or goes.
     */
    public boolean goodReplicasSuffice() {
        if (isReplica()) {
            return true;
        }
        long minReplicas = configLong("min-replicas-to-write");
        if (minReplicas == 0) {
            return true;
        }
        long maxLag = configLong("min-replicas-max-lag");
        return maxLag == 0 || replicas.countGood(maxLag) >= minReplicas;
    }

    /** The fields of INFO replication, in Redis 7.0's order, for either role. */
    public void info(BiConsumer<String, Object> field) {
        field.accept("role", isReplica() ? "slave" : "master");
        if (isReplica()) {
            link.info(field);
            field.accept("slave_priority", configLong("replica-priority"));
            field.accept("slave_read_only", node.config().replicaReadOnly ? 1 : 0);
            field.accept("replica_announced", configBool("replica-announced") ? 1 : 0);
        }
        field.accept("connected_slaves", replicas.count());
        long minReplicas = configLong("min-replicas-to-write");
        long maxLag = configLong("min-replicas-max-lag");
        if (minReplicas != 0 && maxLag != 0) {
            field.accept("min_slaves_good_slaves", replicas.countGood(maxLag));
        }
        replicas.info(field);
        ReplicationBacklog backlog = history.backlog();
        field.accept("master_failover_state", "no-failover");
        field.accept("master_replid", history.replid());
        field.accept("master_replid2", history.replid2());
        field.accept("master_repl_offset", history.masterReplOffset());
        field.accept("second_repl_offset", history.secondReplOffset());
        field.accept("repl_backlog_active", backlog != null ? 1 : 0);
        field.accept("repl_backlog_size", history.backlogSize());
        field.accept("repl_backlog_first_byte_offset", backlog != null ? backlog.firstByteOffset() : 0);
        field.accept("repl_backlog_histlen", backlog != null ? backlog.histlen() : 0);
    }

    // ---------------------------------------------------------------------------------------------------
    // Events from the node
    // ---------------------------------------------------------------------------------------------------

    /** A connection closed: a replica is gone, or a waiting client. */
    public void clientClosed(Client c) {
        replicas.clientClosed(c);
        waiting.clientClosed(c);
    }

    /** beforeSleep, first part: answer the WAIT clients whose replicas acknowledged enough. */
    public void processWaitingClients() {
        waiting.process();
    }

    /** beforeSleep, last part: one GETACK for the new WAITs, then send replicas what was written for them. */
    public void beforeSleep() {
        waiting.sendGetAckIfRequested();
        replicas.flush();
    }

    /** Whether writes are paused, as they are on a master during a manual failover. */
    boolean isFailoverPaused() {
        return node.clientPause().isPaused();
    }

    long configLong(String name) {
        return (Long) ConfigTable.valueOf(node, name);
    }

    boolean configBool(String name) {
        return (Boolean) ConfigTable.valueOf(node, name);
    }

    String configText(String name) {
        return (String) ConfigTable.valueOf(node, name);
    }
}
