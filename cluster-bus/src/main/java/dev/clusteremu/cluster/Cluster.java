package dev.clusteremu.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.clusteremu.cluster.config.ConfigFormatException;
import dev.clusteremu.cluster.config.NodeLine;
import dev.clusteremu.cluster.config.NodeLineFormat;
import dev.clusteremu.cluster.config.NodesConf;
import dev.clusteremu.cluster.config.NodesConfFile;
import dev.clusteremu.cluster.wire.MessageType;
import io.netty.channel.EventLoop;

/**
 * The cluster side of one node: its view of the cluster, the bus, the cron, and the operations behind the
 * CLUSTER command. Everything runs on the node's event loop; the only calls allowed from another thread
 * are {@link #start} (before the node serves) and {@link #stop} (which hops onto the loop).
 */
public final class Cluster {
    final ClusterSettings settings;
    final EventLoop loop;
    final NetworkFaults faults;
    final DataSide data;
    final NodeLog log;
    private final LongSupplier clock;

    final ClusterState state = new ClusterState();
    final Gossip gossip;
    final PacketHandler packets;
    final FailureDetector failures;
    final ConfigEpochs epochs;
    final SlotConfig slotConfig;
    final StateEvaluator stateEvaluator;
    final Failover failover;
    final ClusterCron cron;
    final BusTransport transport;

    private int port;
    private String lastAnnounceIp = "";
    private ScheduledFuture<?> cronTask;
    private boolean beforeSleepScheduled;
    private boolean stopped;

    public Cluster(ClusterSettings settings, EventLoop loop, DataSide data, LongSupplier clock, NodeLog log) {
        this(settings, loop, data, clock, log, NetworkFaults.NONE);
    }

    /** A cluster layer whose bus traffic passes through injected {@code faults} (tests' partitions). */
    public Cluster(ClusterSettings settings, EventLoop loop, DataSide data, LongSupplier clock, NodeLog log,
            NetworkFaults faults) {
        this.settings = settings;
        this.loop = loop;
        this.faults = faults;
        this.data = data;
        this.clock = clock;
        this.log = log;
        this.gossip = new Gossip(this);
        this.packets = new PacketHandler(this);
        this.failures = new FailureDetector(this);
        this.epochs = new ConfigEpochs(this);
        this.slotConfig = new SlotConfig(this);
        this.stateEvaluator = new StateEvaluator(this);
        this.failover = new Failover(this);
        this.cron = new ClusterCron(this);
        this.transport = new BusTransport(this, loop);
    }

    long now() {
        return clock.getAsLong();
    }

    // -------------------------------------------------------------------------------------------------
    // Lifecycle
    // -------------------------------------------------------------------------------------------------

    /**
     * Loads nodes-&lt;port&gt;.conf (or, when there is none, {@code initial}, or else a fresh node with a
     * random id), binds the bus port, and starts the 10 Hz cron (clusterInit). Call from outside the loop,
     * before the node serves clients.
     *
     * @throws IOException              if the config can't be read or written, or the bus port can't be bound
     * @throws ConfigFormatException    if the config file is corrupt (Redis refuses to start then too)
     */
    public void start(String bindAddress, int clientPort, NodesConf initial)
            throws IOException, ConfigFormatException, InterruptedException {
        this.port = clientPort;
        Optional<NodesConf> loaded = settings.configFile == null ? Optional.empty()
                : NodesConfFile.load(settings.configFile);
        boolean save = false;
        if (loaded.isPresent()) {
            applyConfig(loaded.get());
            log.notice("Node configuration loaded, I'm " + state.myself.name);
        } else if (initial != null) {
            applyConfig(initial);
            save = true;
        } else {
            ClusterNode myself = new ClusterNode(ClusterState.randomName(), NodeFlags.MYSELF | NodeFlags.MASTER, now());
            state.myself = myself;
            state.addNode(myself);
            log.notice("No cluster configuration found, I'm " + myself.name);
            save = true;
        }
        state.myself.port = announcedPort();
        state.myself.cport = announcedBusPort();
        updateMyselfAnnounced();
        log.setRole(state.myself.isReplica());
        if (save) {
            saveConfig(true);
        }
        transport.listen(bindAddress, busPort());
        state.onTodo = this::scheduleBeforeSleep;
        state.onSlotRemoved = data::removeChannelsInSlot;
        cronTask = loop.scheduleAtFixedRate(this::cronTick, ClusterCron.PERIOD_MS, ClusterCron.PERIOD_MS,
                TimeUnit.MILLISECONDS);
        loop.execute(() -> {
            if (state.myself.isReplica() && state.myself.master != null && state.myself.master.hasAddress()) {
                data.replicateFrom(state.myself.master.ip, state.myself.master.port);
            }
            stateEvaluator.update();
        });
    }

    /** Saves the config and closes the bus. Must run on the loop. */
    public void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (cronTask != null) {
            cronTask.cancel(false);
        }
        saveConfig(true);
        for (ClusterNode n : state.nodeList()) {
            if (n.link != null) {
                n.link.close();
            }
            if (n.inboundLink != null) {
                n.inboundLink.close();
            }
        }
        transport.close();
    }

    private void cronTick() {
        if (stopped) {
            return;
        }
        try {
            cron.run();
        } catch (RuntimeException e) {
            log.warning("Cluster cron failed: " + e);
        }
        beforeSleep();
    }

    /** The bus port: cluster-port, or client port + 10000. */
    public int busPort() {
        return settings.busPort != 0 ? settings.busPort : port + 10000;
    }

    int announcedPort() {
        return settings.announcePort != 0 ? settings.announcePort : port;
    }

    int announcedBusPort() {
        return settings.announceBusPort != 0 ? settings.announceBusPort : busPort();
    }

    /**
     * Keeps myself in sync with settings that CONFIG SET may change: announced ip, hostname, ports and the
     * NOFAILOVER flag (clusterUpdateMyself*). CONFIG SET calls it at once, as Redis's apply functions do,
     * and the cron too. Nothing to do before the node has started. Must run on the loop.
     */
    public void updateMyselfAnnounced() {
        ClusterNode myself = state.myself;
        if (myself == null) {
            return;
        }
        if (!settings.announceIp.equals(lastAnnounceIp)) {
            lastAnnounceIp = settings.announceIp;
            // An empty announce-ip means autodetect again from the next MEET.
            myself.ip = settings.announceIp;
        }
        myself.hostname = settings.announceHostname;
        myself.port = announcedPort();
        myself.cport = announcedBusPort();
        int old = myself.flags;
        myself.flags = settings.replicaNoFailover ? myself.flags | NodeFlags.NOFAILOVER
                : myself.flags & ~NodeFlags.NOFAILOVER;
        if (myself.flags != old) {
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
        }
    }

    private void scheduleBeforeSleep() {
        if (!beforeSleepScheduled && !stopped) {
            beforeSleepScheduled = true;
            loop.execute(this::beforeSleep);
        }
    }

    /**
     * Work deferred to the end of the current event loop iteration, done once however many times it was
     * asked for (clusterBeforeSleep): elections, state, and saving the config.
     */
    void beforeSleep() {
        beforeSleepScheduled = false;
        int flags = state.todoBeforeSleep;
        state.todoBeforeSleep = 0;
        if (stopped) {
            return;
        }
        if ((flags & ClusterState.TODO_HANDLE_MANUALFAILOVER) != 0) {
            if (state.myself.isReplica()) {
                failover.handleManualFailover();
                failover.handleReplicaFailover();
            }
        } else if ((flags & ClusterState.TODO_HANDLE_FAILOVER) != 0) {
            failover.handleReplicaFailover();
        }
        if ((flags & ClusterState.TODO_UPDATE_STATE) != 0) {
            stateEvaluator.update();
        }
        if ((flags & ClusterState.TODO_SAVE_CONFIG) != 0) {
            saveConfig((flags & ClusterState.TODO_FSYNC_CONFIG) != 0);
        }
    }

    /** A new outbound connection: PING (or MEET, for a node we are introducing ourselves to) at once. */
    void onOutboundConnected(BusLink link) {
        ClusterNode node = link.node;
        long oldPingSent = node.pingSent;
        gossip.sendPing(link, node.hasFlag(NodeFlags.MEET) ? MessageType.MEET : MessageType.PING);
        if (oldPingSent != 0) {
            // A ping was already pending on the previous link: keep its time, or a flapping link would
            // hide the node's failure forever.
            node.pingSent = oldPingSent;
        }
        // MEET once; if no PONG ever comes, the handshake node simply expires.
        node.flags &= ~NodeFlags.MEET;
    }

    // -------------------------------------------------------------------------------------------------
    // nodes.conf
    // -------------------------------------------------------------------------------------------------

    /** Writes nodes-&lt;port&gt;.conf now (clusterSaveConfig). Fsync is always done; the flag is kept for clarity. */
    public void saveConfig(boolean fsync) {
        state.todoBeforeSleep &= ~(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_FSYNC_CONFIG);
        if (settings.configFile == null) {
            return;
        }
        try {
            NodesConfFile.save(settings.configFile, toNodesConf());
        } catch (IOException e) {
            throw new UncheckedIOException("can't update cluster config file " + settings.configFile, e);
        }
    }

    /** The config as nodes.conf holds it: every node but those in handshake, then the epochs. */
    public NodesConf toNodesConf() {
        List<NodeLine> lines = new ArrayList<>();
        for (ClusterNode n : state.nodes.values()) {
            if (!n.inHandshake()) {
                lines.add(describe(n));
            }
        }
        return new NodesConf(lines, state.currentEpoch, state.lastVoteEpoch);
    }

    /** Builds the table from a loaded config (clusterLoadConfig), with Redis's adjustments on load. */
    private void applyConfig(NodesConf conf) {
        long now = now();
        for (NodeLine line : conf.nodes()) {
            ClusterNode n = state.nodes.get(line.id());
            if (n == null) {
                n = new ClusterNode(line.id(), 0, now);
                state.addNode(n);
            }
            n.ip = line.ip();
            n.hostname = line.hostname();
            n.port = line.port();
            n.cport = line.cport();
            n.flags = line.flags();
            if (n.isMyself()) {
                state.myself = n;
            }
            if (n.isFailed()) {
                n.failTime = now;
            }
            if (line.masterId() != null) {
                ClusterNode master = state.nodes.get(line.masterId());
                if (master == null) {
                    master = new ClusterNode(line.masterId(), 0, now);
                    state.addNode(master);
                }
                n.master = master;
                master.addReplica(n);
            }
            // Times in the file are stale: only "a ping was pending" survives, as now.
            n.pingSent = line.pingSent() != 0 ? now : 0;
            n.pongReceived = line.pongReceived() != 0 ? now : 0;
            // A replica's line shows its master's epoch; its own is learned again from the bus.
            n.configEpoch = n.isReplica() && n.master != null ? 0 : line.configEpoch();
            SlotBitmap slots = line.slots();
            for (int j = 0; j < KeySlot.SLOTS; j++) {
                if (slots.get(j)) {
                    state.addSlot(n, j);
                }
            }
            for (var e : line.migrating().entrySet()) {
                state.migratingSlotsTo[e.getKey()] = placeholder(e.getValue(), now);
            }
            for (var e : line.importing().entrySet()) {
                state.importingSlotsFrom[e.getKey()] = placeholder(e.getValue(), now);
            }
        }
        state.currentEpoch = conf.currentEpoch();
        state.lastVoteEpoch = conf.lastVoteEpoch();
        // Protection against hand-edited files: currentEpoch can't be below any configEpoch.
        state.currentEpoch = Math.max(state.currentEpoch, state.maxEpoch());
    }

    private ClusterNode placeholder(String name, long now) {
        ClusterNode n = state.nodes.get(name);
        if (n == null) {
            n = new ClusterNode(name, 0, now);
            state.addNode(n);
        }
        return n;
    }

    /** A node as a CLUSTER NODES / nodes.conf line; open slots only on the myself line. */
    NodeLine describe(ClusterNode n) {
        TreeMap<Integer, String> migrating = new TreeMap<>();
        TreeMap<Integer, String> importing = new TreeMap<>();
        if (n.isMyself()) {
            for (int j = 0; j < KeySlot.SLOTS; j++) {
                if (state.migratingSlotsTo[j] != null) {
                    migrating.put(j, state.migratingSlotsTo[j].name);
                } else if (state.importingSlotsFrom[j] != null) {
                    importing.put(j, state.importingSlotsFrom[j].name);
                }
            }
        }
        return new NodeLine(n.name, n.ip, n.port, n.cport, n.hostname, n.flags, n.master != null ? n.master.name : null,
                n.pingSent, n.pongReceived, n.shownConfigEpoch(), n.isConnected(), n.slots, migrating, importing);
    }

    // -------------------------------------------------------------------------------------------------
    // Queries (for routing, INFO and the CLUSTER command's replies)
    // -------------------------------------------------------------------------------------------------

    public ClusterNode myself() {
        return state.myself;
    }

    public Collection<ClusterNode> nodes() {
        return Collections.unmodifiableCollection(state.nodes.values());
    }

    /** The node with this id, or null (also for a malformed id). */
    public ClusterNode lookup(String id) {
        return state.lookup(id);
    }

    public ClusterNode slotOwner(int slot) {
        return state.slots[slot];
    }

    public ClusterNode migratingTo(int slot) {
        return state.migratingSlotsTo[slot];
    }

    public ClusterNode importingFrom(int slot) {
        return state.importingSlotsFrom[slot];
    }

    public boolean isStateOk() {
        return state.state == ClusterState.STATE_OK;
    }

    public long currentEpoch() {
        return state.currentEpoch;
    }

    public int size() {
        return state.size;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** CLUSTER NODES: one line per known node, handshake nodes included, each followed by "\n". */
    public String nodesDescription() {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : state.nodes.values()) {
            sb.append(NodeLineFormat.format(describe(n))).append('\n');
        }
        return sb.toString();
    }

    /** The CLUSTER NODES line of one node (CLUSTER REPLICAS replies with these). */
    public String nodeDescription(ClusterNode n) {
        return NodeLineFormat.format(describe(n));
    }

    /** CLUSTER INFO, lines ending in \r\n, in Redis's order. */
    public String info() {
        int assigned = 0;
        int ok = 0;
        int pfail = 0;
        int fail = 0;
        for (ClusterNode n : state.slots) {
            if (n == null) {
                continue;
            }
            assigned++;
            if (n.isFailed()) {
                fail++;
            } else if (n.isTimedOut()) {
                pfail++;
            } else {
                ok++;
            }
        }
        ClusterNode myself = state.myself;
        long myEpoch = myself.isReplica() && myself.master != null ? myself.master.configEpoch : myself.configEpoch;
        StringBuilder sb = new StringBuilder();
        sb.append("cluster_state:").append(isStateOk() ? "ok" : "fail").append("\r\n");
        sb.append("cluster_slots_assigned:").append(assigned).append("\r\n");
        sb.append("cluster_slots_ok:").append(ok).append("\r\n");
        sb.append("cluster_slots_pfail:").append(pfail).append("\r\n");
        sb.append("cluster_slots_fail:").append(fail).append("\r\n");
        sb.append("cluster_known_nodes:").append(state.nodes.size()).append("\r\n");
        sb.append("cluster_size:").append(state.size).append("\r\n");
        sb.append("cluster_current_epoch:").append(Long.toUnsignedString(state.currentEpoch)).append("\r\n");
        sb.append("cluster_my_epoch:").append(Long.toUnsignedString(myEpoch)).append("\r\n");
        appendStats(sb, state.messagesSent, "sent");
        appendStats(sb, state.messagesReceived, "received");
        sb.append("total_cluster_links_buffer_limit_exceeded:").append(state.linksBufferLimitExceeded).append("\r\n");
        return sb.toString();
    }

    private static void appendStats(StringBuilder sb, long[] counts, String direction) {
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            total += counts[i];
            sb.append("cluster_stats_messages_").append(MessageType.statsName(i)).append('_').append(direction)
                    .append(':').append(counts[i]).append("\r\n");
        }
        sb.append("cluster_stats_messages_").append(direction).append(':').append(total).append("\r\n");
    }

    /** Valid failure reports about {@code node} (CLUSTER COUNT-FAILURE-REPORTS). */
    public int failureReportCount(ClusterNode node) {
        return failures.reportCount(node);
    }

    /** One row of CLUSTER LINKS. */
    public record LinkInfo(boolean inbound, String node, long createTime, String events, long sendBufferAllocated,
            long sendBufferUsed) {
    }

    /** CLUSTER LINKS: for every node, its outbound then its inbound link. */
    public List<LinkInfo> links() {
        List<LinkInfo> out = new ArrayList<>();
        for (ClusterNode n : state.nodes.values()) {
            for (BusLink l : new BusLink[] {n.link, n.inboundLink}) {
                if (l != null) {
                    long used = l.pendingBytes();
                    out.add(new LinkInfo(l.inbound, n.name, l.ctime, used > 0 ? "rw" : "r", used, used));
                }
            }
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------------
    // Operations behind CLUSTER subcommands. Each either changes the config or throws ClusterException
    // with Redis's message, having changed nothing.
    // -------------------------------------------------------------------------------------------------

    /**
     * CLUSTER MEET: starts a handshake with ip:port@cport unless one to the same address is in progress
     * (clusterStartHandshake). The node gets a random name and HANDSHAKE|MEET until its first reply.
     */
    public void meet(String ip, long port, long cport) {
        var address = Addresses.parseLiteral(ip);
        if (address == null || port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
            throw new ClusterException("Invalid node address specified: " + ip + ":" + port);
        }
        String normalized = Addresses.format(address);
        for (ClusterNode n : state.nodes.values()) {
            if (n.inHandshake() && n.ip.equalsIgnoreCase(normalized) && n.port == port && n.cport == cport) {
                return; // already shaking hands with that address: Redis answers OK all the same
            }
        }
        ClusterNode n = new ClusterNode(ClusterState.randomName(), NodeFlags.HANDSHAKE | NodeFlags.MEET, now());
        n.ip = normalized;
        n.port = (int) port;
        n.cport = (int) cport;
        state.addNode(n);
    }

    /**
     * Checks slots for ADDSLOTS(RANGE)/DELSLOTS(RANGE) (checkSlotAssignmentsOrReply) and records them in
     * {@code seen}; throws on a busy (or, deleting, unassigned) slot or one named twice.
     */
    public void checkSlotAssignments(boolean[] seen, boolean delete, int start, int end) {
        for (int slot = start; slot <= end; slot++) {
            if (delete && state.slots[slot] == null) {
                throw new ClusterException("Slot " + slot + " is already unassigned");
            } else if (!delete && state.slots[slot] != null) {
                throw new ClusterException("Slot " + slot + " is already busy");
            }
            if (seen[slot]) {
                throw new ClusterException("Slot " + slot + " specified multiple times");
            }
            seen[slot] = true;
        }
    }

    /** Assigns (or unassigns) every slot marked in {@code slots} to myself, after checkSlotAssignments. */
    public void updateSlots(boolean[] slots, boolean delete) {
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            if (!slots[j]) {
                continue;
            }
            // Owning a slot ends importing it.
            state.importingSlotsFrom[j] = null;
            if (delete) {
                state.deleteSlot(j);
            } else {
                state.addSlot(state.myself, j);
            }
        }
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /** CLUSTER FLUSHSLOTS: only when the database is empty. */
    public void flushSlots() {
        if (data.keyCount() != 0) {
            throw new ClusterException("DB must be empty to perform CLUSTER FLUSHSLOTS.");
        }
        state.deleteNodeSlots(state.myself);
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /** CLUSTER SETSLOT slot MIGRATING id. */
    public void setSlotMigrating(int slot, String nodeId) {
        requireMasterForSetSlot();
        if (state.slots[slot] != state.myself) {
            throw new ClusterException("I'm not the owner of hash slot " + slot);
        }
        state.migratingSlotsTo[slot] = knownMasterForSetSlot(nodeId);
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
    }

    /** CLUSTER SETSLOT slot IMPORTING id. */
    public void setSlotImporting(int slot, String nodeId) {
        requireMasterForSetSlot();
        if (state.slots[slot] == state.myself) {
            throw new ClusterException("I'm already the owner of hash slot " + slot);
        }
        state.importingSlotsFrom[slot] = knownMasterForSetSlot(nodeId);
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
    }

    /** CLUSTER SETSLOT slot STABLE. */
    public void setSlotStable(int slot) {
        requireMasterForSetSlot();
        state.importingSlotsFrom[slot] = null;
        state.migratingSlotsTo[slot] = null;
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
    }

    /**
     * CLUSTER SETSLOT slot NODE id: binds the slot, closing a migration. Giving away our last slot makes us
     * a replica of the receiver; taking a slot we imported bumps our configEpoch so the cluster adopts the
     * new owner, and tells everyone at once.
     */
    public void setSlotNode(int slot, String nodeId) {
        requireMasterForSetSlot();
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("Unknown node " + nodeId);
        }
        if (n.isReplica()) {
            throw new ClusterException("Target node is not a master");
        }
        ClusterNode myself = state.myself;
        if (state.slots[slot] == myself && n != myself && data.countKeysInSlot(slot) != 0) {
            throw new ClusterException("Can't assign hashslot " + slot
                    + " to a different node while I still hold keys for this hash slot.");
        }
        if (data.countKeysInSlot(slot) == 0 && state.migratingSlotsTo[slot] != null) {
            state.migratingSlotsTo[slot] = null;
        }
        boolean slotWasMine = state.slots[slot] == myself;
        state.deleteSlot(slot);
        state.addSlot(n, slot);
        if (slotWasMine && n != myself && myself.slotCount() == 0 && settings.allowReplicaMigration) {
            log.warning("Configuration change detected. Reconfiguring myself as a replica of " + n.name);
            setMaster(n);
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_FSYNC_CONFIG);
        }
        if (n == myself && state.importingSlotsFrom[slot] != null) {
            if (epochs.bumpWithoutConsensus()) {
                log.warning("configEpoch updated after importing slot " + slot);
            }
            state.importingSlotsFrom[slot] = null;
            gossip.broadcastPong(false);
        }
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
    }

    private void requireMasterForSetSlot() {
        if (state.myself.isReplica()) {
            throw new ClusterException("Please use SETSLOT only with masters.");
        }
    }

    private ClusterNode knownMasterForSetSlot(String nodeId) {
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("I don't know about node " + nodeId);
        }
        if (n.isReplica()) {
            throw new ClusterException("Target node is not a master");
        }
        return n;
    }

    /** CLUSTER BUMPEPOCH: "BUMPED &lt;epoch&gt;" or "STILL &lt;epoch&gt;". */
    public String bumpEpoch() {
        boolean bumped = epochs.bumpWithoutConsensus();
        return (bumped ? "BUMPED " : "STILL ") + Long.toUnsignedString(state.myself.configEpoch);
    }

    /** CLUSTER FORGET: drop a node and keep it out for a minute. */
    public void forget(String nodeId) {
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("Unknown node " + nodeId);
        } else if (n == state.myself) {
            throw new ClusterException("I tried hard but I can't forget myself...");
        } else if (state.myself.isReplica() && state.myself.master == n) {
            throw new ClusterException("Can't forget my master!");
        }
        state.blacklistAdd(n.name, now());
        state.deleteNode(n);
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /** CLUSTER REPLICATE: become a replica of a master; a master must be empty and slotless first. */
    public void replicate(String nodeId) {
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("Unknown node " + nodeId);
        }
        if (n == state.myself) {
            throw new ClusterException("Can't replicate myself");
        }
        if (n.isReplica()) {
            throw new ClusterException("I can only replicate a master, not a replica.");
        }
        if (state.myself.isMaster() && (state.myself.slotCount() != 0 || data.keyCount() != 0)) {
            throw new ClusterException("To set a master the node must be empty and without assigned slots.");
        }
        setMaster(n);
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /** CLUSTER REPLICAS: the master's replicas, each as a CLUSTER NODES line. */
    public List<String> replicasOf(String nodeId) {
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("Unknown node " + nodeId);
        }
        if (n.isReplica()) {
            throw new ClusterException("The specified node is not a master");
        }
        List<String> lines = new ArrayList<>();
        for (ClusterNode r : n.replicas) {
            lines.add(nodeDescription(r));
        }
        return lines;
    }

    /** CLUSTER COUNT-FAILURE-REPORTS. */
    public int countFailureReports(String nodeId) {
        ClusterNode n = state.lookup(nodeId);
        if (n == null) {
            throw new ClusterException("Unknown node " + nodeId);
        }
        return failures.reportCount(n);
    }

    /** CLUSTER FAILOVER [FORCE|TAKEOVER]: preconditions, then the manual failover machinery. */
    public void failover(boolean force, boolean takeover) {
        ClusterNode myself = state.myself;
        if (myself.isMaster()) {
            throw new ClusterException("You should send CLUSTER FAILOVER to a replica");
        } else if (myself.master == null) {
            throw new ClusterException("I'm a replica but my master is unknown to me");
        } else if (!force && (myself.master.isFailed() || myself.master.link == null)) {
            throw new ClusterException("Master is down or failed, please use CLUSTER FAILOVER FORCE");
        }
        failover.startManualFailover(force, takeover);
    }

    /**
     * CLUSTER SET-CONFIG-EPOCH: only for a node that knows nobody and has epoch 0; used when creating a
     * cluster so that masters start distinct, without waiting for collision resolution.
     */
    public void setConfigEpoch(long epoch) {
        if (epoch < 0) {
            throw new ClusterException("Invalid config epoch specified: " + epoch);
        } else if (state.nodes.size() > 1) {
            throw new ClusterException("The user can assign a config epoch only when the node does not know any "
                    + "other node.");
        } else if (state.myself.configEpoch != 0) {
            throw new ClusterException("Node config epoch is already non-zero");
        }
        state.myself.configEpoch = epoch;
        log.warning("configEpoch set to " + epoch + " via CLUSTER SET-CONFIG-EPOCH");
        if (Long.compareUnsigned(state.currentEpoch, epoch) < 0) {
            state.currentEpoch = epoch;
        }
        state.todo(ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_SAVE_CONFIG);
    }

    /**
     * CLUSTER RESET [HARD|SOFT] (clusterReset): forget everyone, drop slots, become a master (flushing a
     * replica's data); HARD also takes a new id and zeroes the epochs. A master must hold no keys.
     */
    public void reset(boolean hard) {
        ClusterNode myself = state.myself;
        if (myself.isMaster() && data.keyCount() != 0) {
            throw new ClusterException("CLUSTER RESET can't be called with master nodes containing keys");
        }
        if (myself.isReplica()) {
            state.setNodeAsMaster(myself);
            log.setRole(false);
            data.stopReplicating();
            data.flushAll();
        }
        state.closeAllSlots();
        failover.resetManualFailover();
        for (int j = 0; j < KeySlot.SLOTS; j++) {
            state.deleteSlot(j);
        }
        for (ClusterNode n : state.nodeList()) {
            if (n != myself) {
                state.deleteNode(n);
            }
        }
        if (hard) {
            state.currentEpoch = 0;
            state.lastVoteEpoch = 0;
            myself.configEpoch = 0;
            log.warning("configEpoch set to 0 via CLUSTER RESET HARD");
            state.renameNode(myself, ClusterState.randomName());
            log.notice("Node hard reset, now I'm " + myself.name);
        }
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE | ClusterState.TODO_FSYNC_CONFIG);
    }

    /**
     * Spreads a PUBLISH over the bus (clusterPropagatePublish): to every node for a plain channel; for a
     * sharded one (SPUBLISH), only to the nodes serving my slots — my master or myself, and its replicas.
     */
    public void propagatePublish(byte[] channel, byte[] message, boolean sharded) {
        if (!sharded) {
            gossip.broadcast(new dev.clusteremu.cluster.wire.ClusterMessage(gossip.header(MessageType.PUBLISH),
                    new dev.clusteremu.cluster.wire.MessageBody.Publish(channel, message)));
            return;
        }
        ClusterNode myself = state.myself;
        ClusterNode master = myself.isMaster() ? myself : myself.master;
        if (master == null) {
            return;
        }
        List<ClusterNode> shard = new ArrayList<>();
        shard.add(master);
        shard.addAll(master.replicas);
        for (ClusterNode n : shard) {
            if (n.hasFlag(NodeFlags.MYSELF | NodeFlags.HANDSHAKE) || n.link == null) {
                continue;
            }
            n.link.send(new dev.clusteremu.cluster.wire.ClusterMessage(gossip.header(MessageType.PUBLISHSHARD),
                    new dev.clusteremu.cluster.wire.MessageBody.Publish(channel, message)));
        }
    }

    /** Makes myself a replica of {@code master} (clusterSetMaster). */
    void setMaster(ClusterNode master) {
        ClusterNode myself = state.myself;
        if (myself.isMaster()) {
            myself.flags &= ~(NodeFlags.MASTER | NodeFlags.MIGRATE_TO);
            myself.flags |= NodeFlags.SLAVE;
            state.closeAllSlots();
        } else if (myself.master != null) {
            myself.master.removeReplica(myself);
        }
        myself.master = master;
        master.addReplica(myself);
        log.setRole(true);
        data.replicateFrom(master.ip, master.port);
        failover.resetManualFailover();
    }
}
