package dev.clusteremu.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import dev.clusteremu.cluster.Cluster;
import dev.clusteremu.cluster.NodeLog;
import dev.clusteremu.cluster.config.ConfigFormatException;
import dev.clusteremu.cluster.config.NodesConf;
import dev.clusteremu.server.acl.AclUsers;
import dev.clusteremu.server.command.CommandProcessor;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.info.SlowLog;
import dev.clusteremu.server.keyspace.ExpiryMode;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.latency.LatencyMonitor;
import dev.clusteremu.server.multi.WatchedKeys;
import dev.clusteremu.server.net.BlockedClients;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.net.ClientHandler;
import dev.clusteremu.server.net.ClientPause;
import dev.clusteremu.server.net.ClientRegistry;
import dev.clusteremu.server.net.Monitors;
import dev.clusteremu.server.net.TrackingTable;
import dev.clusteremu.server.persistence.AofRewrite;
import dev.clusteremu.server.persistence.AppendOnlyFile;
import dev.clusteremu.server.persistence.RdbFile;
import dev.clusteremu.server.pubsub.Notifications;
import dev.clusteremu.server.pubsub.PubSub;
import dev.clusteremu.server.replication.Replication;
import dev.clusteremu.server.resp.RespDecoder;
import dev.clusteremu.server.scripting.Scripting;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * One emulated redis-server in cluster mode: a client port speaking RESP, a cluster bus on port + 10000,
 * a keyspace, replication, and a nodes-&lt;port&gt;.conf. All of its state lives on one event loop thread;
 * other threads reach it only through {@link #call}.
 *
 * <p>Work that Redis does once per event loop iteration, in beforeSleep (answering WAITs, running the
 * clients just unblocked, serving clients blocked on keys made ready outside a command, asking replicas for
 * ACKs, sending replicas their stream), is done in a task queued behind the current event the first time
 * something asks for it ({@link #requestBeforeSleep}).
 */
public final class RedisNode {
    private final ServerConfig config;
    private final EventLoop loop;
    private final LongSupplier clock;
    private final NodeLog log;
    private final Keyspace keyspace;
    private final ClientRegistry clients;
    private final ServerStats stats = new ServerStats();
    private final Cluster cluster;
    private final CommandProcessor processor;
    private final NodeDataSide dataSide;
    private final Replication replication;
    private final BlockedClients blockedClients;
    private final ClientPause clientPause;
    private final PubSub pubsub;
    private final Notifications notifications;
    private final AclUsers acl;
    private final WatchedKeys watchedKeys;
    private final TrackingTable tracking;
    private final Monitors monitors = new Monitors();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final MaxMemory maxMemory;
    private final RdbFile rdb = new RdbFile(this);
    private final Scripting scripting;
    private final AofRewrite aof = new AofRewrite(this);
    private final AppendOnlyFile appendOnlyFile = new AppendOnlyFile(this);
    private final String runId;
    private final long startTime;
    private Channel listener;
    private java.util.concurrent.ScheduledFuture<?> cron;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final dev.clusteremu.cluster.NetworkFaults faults;
    private final Runnable faultsChanged = this::faultsChanged;
    private volatile boolean running;
    /** server.current_client: the client whose command is running, or null. */
    private Client currentClient;
    private boolean beforeSleepScheduled;
    /** server.active_expire_enabled: DEBUG SET-ACTIVE-EXPIRE 0 stops the active expire cycle. */
    private boolean activeExpireEnabled = true;

    public RedisNode(NodeOptions options, EventLoop loop, CommandTable commands, LongSupplier clock) {
        this.config = new ServerConfig(options.port(), options.bind(), options.dir());
        this.acl = new AclUsers(commands);
        this.config.cluster.nodeTimeout = options.nodeTimeout();
        this.config.cluster.announceIp = options.announceIp();
        if (options.dir() != null) {
            this.config.cluster.configFile = options.dir().resolve(config.clusterConfigFile);
        }
        this.loop = loop;
        this.clock = clock;
        this.config.logLevel = NodeLog.levelName(options.logLevel());
        this.log = new NodeLog(options.logSink(), () -> NodeLog.levelOf(config.logLevel), String.valueOf(options.port()));
        this.keyspace = new Keyspace(clock);
        this.clients = new ClientRegistry(this);
        this.pubsub = new PubSub(clients);
        this.notifications = new Notifications(() -> config.notifyKeyspaceEvents, pubsub);
        this.blockedClients = new BlockedClients(this);
        this.clientPause = new ClientPause(this, blockedClients);
        keyspace.setReadyKeyListener(blockedClients::signalKeyAsReady);
        this.replication = new Replication(this);
        this.dataSide = new NodeDataSide(this);
        this.cluster = new Cluster(config.cluster, loop, dataSide, clock, log, options.faults());
        this.faults = options.faults();
        this.processor = new CommandProcessor(this, commands);
        this.watchedKeys = new WatchedKeys(keyspace, clock);
        this.tracking = new TrackingTable(this);
        this.maxMemory = new MaxMemory(this);
        this.scripting = new Scripting(this);
        keyspace.setAccessPolicy(maxMemory.accessPolicy());
        // signalModifiedKey and signalFlushedDb: WATCH and client-side caching follow every change, and
        // the XREADGROUP clients of a flushed stream learn that it went.
        keyspace.setChangeListener(new Keyspace.ChangeListener() {
            @Override
            public void keyModified(byte[] key) {
                watchedKeys.touch(key);
                tracking.invalidate(currentClient, key);
            }

            @Override
            public void flushing() {
                blockedClients.signalDeletedStreamsBeforeFlush();
                watchedKeys.touchAllBeforeFlush();
                tracking.invalidateAllOnFlush();
            }
        });
        keyspace.setExpiryMode(this::expiryMode);
        keyspace.setExpiryClock(this::expiryNow);
        keyspace.setNotifier(notifications::notify);
        keyspace.setExpiredKeyListener(key -> replication.stream()
                .propagateDeletion(key, (Boolean) ConfigTable.valueOf(this, "lazyfree-lazy-expire")));
        this.runId = randomHex(40);
        this.startTime = clock.getAsLong();
    }

    /**
     * Loads or creates the cluster config (using {@code initial} when the node has no nodes.conf yet),
     * binds the bus and client ports, and starts serving. Call from outside the node's loop.
     */
    public void start(NodesConf initial) throws IOException, ConfigFormatException, InterruptedException {
        cluster.start(config.bind, config.port, initial);
        loadDumpFile();
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 511)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RespDecoder decoder = new RespDecoder();
                        decoder.setMaxBulkLength(() -> config.protoMaxBulkLen);
                        ch.pipeline().addLast(decoder, new ClientHandler(RedisNode.this, processor));
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(config.bind, config.port)).sync().channel();
        } catch (RuntimeException e) {
            call(() -> {
                cluster.shutdown();
                return null;
            });
            throw e;
        }
        running = true;
        loop.submit(replication::start).syncUninterruptibly();
        long period = 1000 / config.hz;
        cron = loop.scheduleAtFixedRate(this::serverCron, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
        log.notice("Ready to accept connections");
    }

    /**
     * Before serving, as redis-server's main does: the append only directory's manifest is read, the dataset
     * loaded (loadDataFromDisk: from the AOF with appendonly yes, else from the dump file), the AOF opened
     * for appending and its history files deleted; a bad file stops the start.
     */
    private void loadDumpFile() throws IOException {
        IOException failed = call(() -> {
            try {
                aof.loadManifestAtStart();
                appendOnlyFile.loadDataFromDisk();
                appendOnlyFile.openIfNeededOnServerStart();
                aof.deleteHistory();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        if (failed != null) {
            call(() -> {
                cluster.shutdown();
                return null;
            });
            throw failed;
        }
    }

    /**
     * Stops the node as SIGTERM stops redis-server (a test's stop): the final snapshot its save points call
     * for, whatever comes of it, then nodes.conf saved and every port closed; completes when stopped.
     */
    public CompletableFuture<Void> stop() {
        loop.execute(() -> {
            if (running) {
                saveBeforeExit(false, false, true);
            }
            shutdown();
        });
        return terminated;
    }

    /**
     * finishShutdown's final snapshot: the dump file is written when save points are set and NOSAVE was not
     * asked for, or when SAVE was. Returns whether the node may exit: false when the save failed, unless
     * {@code force}. A node without a directory has nothing to write. Must run on the loop.
     */
    public boolean saveBeforeExit(boolean save, boolean nosave, boolean force) {
        if (rdb.path() == null || !(save || !nosave && !config.save.isEmpty())) {
            return true;
        }
        rdb.awaitBackgroundWrite();
        log.notice("Saving the final RDB snapshot before exiting.");
        if (rdb.save()) {
            return true;
        }
        log.warning(force ? "Error trying to save the DB. Exit anyway." : "Error trying to save the DB, can't exit.");
        return force;
    }

    /** Completes once the node has stopped, whoever stopped it (its own SHUTDOWN included). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Stops the node from its own loop (prepareForShutdown): saves nodes.conf, closes the bus, every client
     * and the listener. Other nodes of the JVM keep running.
     */
    public void shutdown() {
        try {
            if (running) {
                running = false;
                log.warning("Redis is now ready to exit, bye bye...");
                cron.cancel(false);
                faults.removeListener(faultsChanged);
                scripting.shutdown();
                appendOnlyFile.shutdown();
                replication.shutdown();
                cluster.shutdown();
                clients.closeAll();
                if (listener != null) {
                    listener.close();
                }
            }
            terminated.complete(null);
        } catch (RuntimeException e) {
            terminated.completeExceptionally(e);
        }
    }

    /** Called from the thread that changed the faults: re-applied on the node's loop. */
    private void faultsChanged() {
        loop.execute(() -> {
            if (running) {
                replication.applyFaults(faults);
            }
        });
    }

    /**
     * The node's periodic housekeeping (serverCron, at hz): active expiry — a quarter of each period at
     * most, as Redis's slow cycle — on masters only, since replicas wait for their master's DELs, and not
     * while clients are paused, since the dataset must then hold still; incremental rehashing of the
     * keyspace; the redirection of clients blocked on keys of slots this node no longer serves
     * (clientsCron); and the AOF's retried writes, a scheduled AOF rewrite, the save points and the AOF's
     * growth rewrite, in Redis's order.
     */
    private void serverCron() {
        if (activeExpireEnabled && !replication.isReplica() && !clientPause.isPaused()) {
            keyspace.activeExpireCycle(250_000L / config.hz);
        }
        keyspace.rehashFor(1_000);
        blockedClients.redirectIfSlotsMoved();
        appendOnlyFile.cron();
        aof.cronScheduled();
        rdb.cron();
        aof.cronGrowth();
    }

    /**
     * What a lookup may do with an expired key (expireIfNeeded): nothing is expired for our master's
     * stream; a replica, or a master while clients are paused, hides the key without deleting it; a master
     * deletes it.
     */
    private ExpiryMode expiryMode() {
        if (currentClient != null && currentClient.isMaster()) {
            return ExpiryMode.IGNORE;
        }
        return replication.isReplica() || clientPause.isPaused() ? ExpiryMode.HIDE : ExpiryMode.DELETE;
    }

    /**
     * keyIsExpired's "now": a running script's start time (scriptTimeSnapshot), else the running command's
     * (fixed_time_expire), else the clock.
     */
    private long expiryNow() {
        long script = scripting.timeSnapshot();
        if (script >= 0) {
            return script;
        }
        return processor.isInCall() ? processor.callStartMillis() : clock.getAsLong();
    }

    /** DEBUG SET-ACTIVE-EXPIRE: turns the active expire cycle on or off. */
    public void setActiveExpireEnabled(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    /** Has {@link #beforeSleep} run once the current event is handled, if it is not already due. */
    public void requestBeforeSleep() {
        if (!beforeSleepScheduled) {
            beforeSleepScheduled = true;
            loop.execute(this::beforeSleep);
        }
    }

    /** What Redis's beforeSleep does that this node needs, in its order. */
    private void beforeSleep() {
        beforeSleepScheduled = false;
        replication.processWaitingClients();
        blockedClients.processUnblocked();
        tracking.broadcast();
        // Keys made ready outside any command (a stream deleted by the expire cycle, slots dropped by the
        // cluster) are served here; a busy script's are served when it ends.
        if (!scripting.isBusy() && blockedClients.hasReadyKeys()) {
            blockedClients.handleClientsBlockedOnKeys();
        }
        replication.beforeSleep();
        appendOnlyFile.beforeSleep();
        clients.handlePendingWrites();
    }

    /** A client connection closed (freeClient): whatever tracked it forgets it. */
    public void clientClosed(Client c) {
        pubsub.unsubscribeEverything(c);
        blockedClients.clientClosed(c);
        replication.clientClosed(c);
        watchedKeys.discard(c);
        monitors.remove(c);
        tracking.clientClosed(c);
    }

    /** Sets the client whose command is running (server.current_client); null when none. */
    public void setCurrentClient(Client c) {
        currentClient = c;
    }

    public Client currentClient() {
        return currentClient;
    }

    /** Runs {@code task} on the node's loop and returns its result. */
    public <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            return loop.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public boolean isRunning() {
        return running;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** The node's time in Unix microseconds (MONITOR's timestamps); the clock's milliseconds, scaled. */
    public long nowMicros() {
        return clock.getAsLong() * 1000;
    }

    public int port() {
        return config.port;
    }

    public ServerConfig config() {
        return config;
    }

    /** The injected network faults this node's traffic passes through (tests' partitions). */
    public dev.clusteremu.cluster.NetworkFaults faults() {
        return faults;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    public NodeLog log() {
        return log;
    }

    public EventLoop loop() {
        return loop;
    }

    public NodeDataSide data() {
        return dataSide;
    }

    public Replication replication() {
        return replication;
    }

    /** Pub/Sub: subscriptions and the delivery of messages to this node's subscribers. */
    public PubSub pubsub() {
        return pubsub;
    }

    /**
     * Keyspace notifications: call {@code notifications().notify(KeyspaceEvents.X, "event", key)} where
     * Redis calls notifyKeyspaceEvent.
     */
    public Notifications notifications() {
        return notifications;
    }

    public BlockedClients blockedClients() {
        return blockedClients;
    }

    public ClientPause clientPause() {
        return clientPause;
    }

    /** The ACL users; clients authenticate as one of them. */
    public AclUsers acl() {
        return acl;
    }

    /** Which clients WATCH which keys. */
    public WatchedKeys watchedKeys() {
        return watchedKeys;
    }

    /** Client-side caching's invalidation table. */
    public TrackingTable tracking() {
        return tracking;
    }

    /** The clients in MONITOR mode. */
    public Monitors monitors() {
        return monitors;
    }

    /** The latency monitor's events (LATENCY). */
    public LatencyMonitor latency() {
        return latency;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    /** The append only directory's rewrites (BGREWRITEAOF). */
    public AofRewrite aof() {
        return aof;
    }

    /** The append only file: the commands logged with appendonly yes. */
    public AppendOnlyFile appendOnlyFile() {
        return appendOnlyFile;
    }

    /** The dump file: SAVE, BGSAVE, loading at start. */
    public RdbFile rdb() {
        return rdb;
    }

    /** EVAL scripts and function libraries, and the script running now. */
    public Scripting scripting() {
        return scripting;
    }

    /** Used memory by the node's estimate, and eviction. */
    public MaxMemory maxMemory() {
        return maxMemory;
    }

    /** The command processor, which our master's stream runs through too. */
    public CommandProcessor processor() {
        return processor;
    }

    /** run_id: 40 random hex chars, new at each start, as INFO server reports it. */
    public String runId() {
        return runId;
    }

    public long startTime() {
        return startTime;
    }

    private static String randomHex(int n) {
        StringBuilder sb = new StringBuilder(n);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }
}
