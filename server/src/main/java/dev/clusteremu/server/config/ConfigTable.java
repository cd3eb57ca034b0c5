package dev.clusteremu.server.config;

import static dev.clusteremu.server.config.ValueType.Choice;
import static dev.clusteremu.server.config.ValueType.bool;
import static dev.clusteremu.server.config.ValueType.checked;
import static dev.clusteremu.server.config.ValueType.flagsOf;
import static dev.clusteremu.server.config.ValueType.integer;
import static dev.clusteremu.server.config.ValueType.memory;
import static dev.clusteremu.server.config.ValueType.memoryOrPercent;
import static dev.clusteremu.server.config.ValueType.oneOf;
import static dev.clusteremu.server.config.ValueType.text;
import static dev.clusteremu.server.config.ValueType.unsignedInteger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.command.CommandError;

/**
 * Every CONFIG parameter of Redis 7.0, as data (config.c's static_configs, in its order): name, alias,
 * flags, type and default or the node field it lives in. Plus CONFIG GET's matching and CONFIG SET's
 * all-or-nothing update. Shared by all nodes; values live on each node.
 */
public final class ConfigTable {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xffffffffL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long ULLONG_MAX = -1L;
    private static final long MB = 1024 * 1024;
    /** The cluster settings CONFIG SET applies to myself at once (clusterUpdateMyself*). */
    private static final Consumer<RedisNode> UPDATE_MYSELF = n -> n.cluster().updateMyselfAnnounced();

    /** Enum names whose position is the value stored in ServerConfig as text. */
    private static final List<String> LOG_LEVELS = List.of("debug", "verbose", "notice", "warning");
    private static final List<String> EVICTION_POLICIES = List.of("volatile-lru", "volatile-lfu", "volatile-random",
            "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");
    private static final List<String> ENDPOINT_TYPES = List.of("ip", "hostname", "unknown-endpoint");

    private static final ConfigTable STANDARD = new ConfigTable(rows());

    /** Each parameter, then its alias as a parameter of its own (as Redis registers both). */
    private final List<ConfigParam> params;
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();

    private ConfigTable(List<Row> rows) {
        List<ConfigParam> all = new ArrayList<>();
        for (Row r : rows) {
            all.add(new ConfigParam(r.name, r.alias, r.flags, r.type, r.getter, r.setter));
            if (r.alias != null) {
                all.add(new ConfigParam(r.alias, r.name, r.flags, r.type, r.getter, r.setter));
            }
        }
        this.params = Collections.unmodifiableList(all);
        for (ConfigParam p : params) {
            byName.put(p.name(), p);
        }
    }

    /** The table of Redis 7.0's parameters. */
    public static ConfigTable standard() {
        return STANDARD;
    }

    /** The parameter with this name or alias (case-insensitive), or null. */
    public ConfigParam lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The current value of parameter {@code name} on {@code node}, as parsed (Boolean, Long, String, ...):
     * for code that acts on a parameter kept in the node's recorded parameters.
     */
    public static Object valueOf(RedisNode node, String name) {
        return STANDARD.lookup(name).value(node);
    }

    /** Every parameter and alias, in table order. */
    public List<ConfigParam> all() {
        return params;
    }

    /**
     * CONFIG GET: for each argument, the parameter of that exact name (reported under the name as typed)
     * or, for a glob pattern, every non-hidden parameter and alias matching it without case. Each parameter
     * once, in the order found.
     */
    public Map<String, String> get(RedisNode node, List<String> patterns) {
        Map<String, String> found = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String pattern : patterns) {
            if (!Glob.hasWildcards(pattern)) {
                ConfigParam p = lookup(pattern);
                if (p != null && seen.add(pattern.toLowerCase(Locale.ROOT))) {
                    found.put(pattern, p.get(node));
                }
                continue;
            }
            for (ConfigParam p : params) {
                if (!p.has(ConfigParam.Flag.HIDDEN) && !seen.contains(p.name())
                        && Glob.matches(pattern, p.name(), true)) {
                    seen.add(p.name());
                    found.put(p.name(), p.get(node));
                }
            }
        }
        return found;
    }

    /**
     * CONFIG SET name value [name value ...], all or nothing (configSetCommand): unknown names, immutable or
     * protected parameters and repeated names are refused first, then every value is parsed, then each is
     * set in order; if one can't take effect the ones already set get their old values back. The first
     * problem found is the one reported, in Redis's words.
     */
    public void set(RedisNode node, List<String> args) {
        if (args.size() % 2 != 0) {
            throw new CommandError("ERR syntax error");
        }
        int count = args.size() / 2;
        List<ConfigParam> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = args.get(2 * i);
            ConfigParam p = lookup(name);
            if (p == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (p.has(ConfigParam.Flag.IMMUTABLE)) {
                throw failed(name, "can't set immutable config");
            }
            if (p.has(ConfigParam.Flag.PROTECTED)) {
                throw failed(name, "can't set protected config");
            }
            if (targets.contains(p)) {
                throw failed(name, "duplicate parameter");
            }
            targets.add(p);
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                values.add(targets.get(i).parse(args.get(2 * i + 1)));
            } catch (InvalidConfigValue e) {
                throw failed(targets.get(i).name(), e.reason());
            }
        }
        List<Object> previous = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConfigParam p = targets.get(i);
            previous.add(p.value(node));
            try {
                p.set(node, values.get(i));
            } catch (InvalidConfigValue e) {
                for (int j = i - 1; j >= 0; j--) {
                    targets.get(j).set(node, previous.get(j));
                }
                throw failed(p.name(), e.reason());
            }
        }
    }

    /**
     * Applies a directive given at start, as a line of redis.conf or a {@code --name value} argument of
     * redis-server: immutable parameters are allowed here. Throws IllegalArgumentException with Redis's
     * reason ("Bad directive or wrong number of arguments", or the value's error).
     */
    public void applyAtStart(RedisNode node, String name, String value) {
        ConfigParam p = checkAtStart(name, value);
        try {
            p.set(node, p.parse(value));
        } catch (InvalidConfigValue e) {
            throw new IllegalArgumentException(name + " " + value + ": " + e.reason());
        }
    }

    /** Checks a start-time directive without applying it; returns its parameter. */
    public ConfigParam checkAtStart(String name, String value) {
        ConfigParam p = lookup(name);
        if (p == null) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments: '" + name + "'");
        }
        try {
            p.parse(value);
        } catch (InvalidConfigValue e) {
            throw new IllegalArgumentException(name + " " + value + ": " + e.reason());
        }
        return p;
    }

    private static CommandError failed(String name, String reason) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    // ---- the table ----

    /**
     * Redis 7.0's parameters with their Redis defaults. Defaults are written in CONFIG SET's own syntax and
     * parsed by the row's type, so a default can't disagree with what the type accepts.
     */
    private static List<Row> rows() {
        List<Row> t = new ArrayList<>();
        // Bool parameters.
        t.add(row("rdbchecksum", bool()).immutable().recorded("yes"));
        t.add(row("daemonize", bool()).immutable().recorded("no"));
        t.add(row("io-threads-do-reads", bool()).immutable().recorded("no"));
        t.add(row("always-show-logo", bool()).immutable().recorded("no"));
        t.add(row("protected-mode", bool()).recorded("yes"));
        t.add(row("rdbcompression", bool()).recorded("yes"));
        t.add(row("rdb-del-sync-files", bool()).recorded("no"));
        t.add(row("activerehashing", bool()).recorded("yes"));
        t.add(row("stop-writes-on-bgsave-error", bool()).recorded("yes"));
        t.add(row("set-proc-title", bool()).immutable().recorded("yes"));
        t.add(row("dynamic-hz", bool()).recorded("yes"));
        t.add(row("lazyfree-lazy-eviction", bool()).recorded("no"));
        t.add(row("lazyfree-lazy-expire", bool()).recorded("no"));
        t.add(row("lazyfree-lazy-server-del", bool()).recorded("no"));
        t.add(row("lazyfree-lazy-user-del", bool()).recorded("no"));
        t.add(row("lazyfree-lazy-user-flush", bool()).recorded("no"));
        t.add(row("repl-disable-tcp-nodelay", bool()).recorded("no"));
        t.add(row("repl-diskless-sync", bool()).recorded("yes"));
        t.add(row("aof-rewrite-incremental-fsync", bool()).recorded("yes"));
        t.add(row("no-appendfsync-on-rewrite", bool()).recorded("no"));
        t.add(row("cluster-require-full-coverage", bool())
                .field(c -> c.cluster.requireFullCoverage, (c, v) -> c.cluster.requireFullCoverage = (Boolean) v));
        t.add(row("rdb-save-incremental-fsync", bool()).recorded("yes"));
        t.add(row("aof-load-truncated", bool()).recorded("yes"));
        t.add(row("aof-use-rdb-preamble", bool()).recorded("yes"));
        t.add(row("aof-timestamp-enabled", bool()).recorded("no"));
        t.add(row("cluster-replica-no-failover", bool()).alias("cluster-slave-no-failover")
                .field(c -> c.cluster.replicaNoFailover, (c, v) -> c.cluster.replicaNoFailover = (Boolean) v)
                .andThen(UPDATE_MYSELF));
        t.add(row("replica-lazy-flush", bool()).alias("slave-lazy-flush").recorded("no"));
        t.add(row("replica-serve-stale-data", bool()).alias("slave-serve-stale-data").recorded("yes"));
        t.add(row("replica-read-only", bool()).alias("slave-read-only")
                .field(c -> c.replicaReadOnly, (c, v) -> c.replicaReadOnly = (Boolean) v));
        t.add(row("replica-ignore-maxmemory", bool()).alias("slave-ignore-maxmemory").recorded("yes"));
        t.add(row("jemalloc-bg-thread", bool()).recorded("yes"));
        // The reference build (Debian's redis-server 7.0.15) refuses it the same way.
        t.add(row("activedefrag", bool(on -> {
            if (on) {
                throw new InvalidConfigValue("Active defragmentation cannot be enabled: it requires a Redis server "
                        + "compiled with a modified Jemalloc like the one shipped by default with the Redis source "
                        + "distribution");
            }
        })).recorded("no"));
        t.add(row("syslog-enabled", bool()).immutable().recorded("no"));
        t.add(row("cluster-enabled", bool()).immutable().computed(n -> true));
        // updateAppendonly: switching it at runtime starts or stops logging.
        t.add(row("appendonly", bool()).computed(n -> n.config().appendOnly).applied((n, v) -> {
            if (!n.appendOnlyFile().setEnabled((Boolean) v)) {
                throw new InvalidConfigValue("Unable to turn on AOF. Check server logs.");
            }
        }));
        t.add(row("cluster-allow-reads-when-down", bool())
                .field(c -> c.cluster.allowReadsWhenDown, (c, v) -> c.cluster.allowReadsWhenDown = (Boolean) v));
        t.add(row("cluster-allow-pubsubshard-when-down", bool()).field(c -> c.cluster.allowPubsubshardWhenDown,
                (c, v) -> c.cluster.allowPubsubshardWhenDown = (Boolean) v));
        t.add(row("crash-log-enabled", bool()).recorded("yes"));
        t.add(row("crash-memcheck-enabled", bool()).recorded("yes"));
        t.add(row("use-exit-on-panic", bool()).hidden().recorded("no"));
        t.add(row("disable-thp", bool()).immutable().recorded("yes"));
        t.add(row("cluster-allow-replica-migration", bool()).field(c -> c.cluster.allowReplicaMigration,
                (c, v) -> c.cluster.allowReplicaMigration = (Boolean) v));
        t.add(row("replica-announced", bool()).recorded("yes"));
        t.add(row("latency-tracking", bool())
                .field(c -> c.latencyTracking, (c, v) -> c.latencyTracking = (Boolean) v));
        t.add(row("aof-disable-auto-gc", bool()).recorded("no"));
        t.add(row("replica-ignore-disk-write-errors", bool()).recorded("no"));

        // String parameters.
        t.add(row("aclfile", text()).immutable().recorded(""));
        t.add(row("unixsocket", text()).immutable().recorded(""));
        t.add(row("pidfile", text()).immutable().recorded(""));
        t.add(row("replica-announce-ip", text()).alias("slave-announce-ip").recorded(""));
        t.add(row("masteruser", text()).recorded(""));
        t.add(row("cluster-announce-ip", text())
                .field(c -> c.cluster.announceIp, (c, v) -> c.cluster.announceIp = (String) v).andThen(UPDATE_MYSELF));
        t.add(row("cluster-config-file", text()).immutable().computed(n -> n.config().clusterConfigFile));
        t.add(row("cluster-announce-hostname", text(SpecialTypes::checkHostname))
                .field(c -> c.cluster.announceHostname, (c, v) -> c.cluster.announceHostname = (String) v)
                .andThen(UPDATE_MYSELF));
        t.add(row("syslog-ident", text()).immutable().recorded("redis"));
        t.add(row("dbfilename", text()).protectedConfig().recorded("dump.rdb"));
        t.add(row("appendfilename", text()).immutable().recorded("appendonly.aof"));
        t.add(row("appenddirname", text()).immutable().recorded("appendonlydir"));
        t.add(row("server_cpulist", text()).immutable().recorded(""));
        t.add(row("bio_cpulist", text()).immutable().recorded(""));
        t.add(row("aof_rewrite_cpulist", text()).immutable().recorded(""));
        t.add(row("bgsave_cpulist", text()).immutable().recorded(""));
        t.add(row("ignore-warnings", text()).recorded(""));
        t.add(row("proc-title-template", text(SpecialTypes::checkProcTitleTemplate))
                .recorded("{title} {listen-addr} {server-mode}"));
        t.add(row("bind-source-addr", text()).recorded(""));
        t.add(row("logfile", text()).immutable().recorded(""));
        t.add(row("masterauth", text()).field(c -> c.masterAuth, (c, v) -> c.masterAuth = (String) v));
        // requirepass is the default user's password (ACLUpdateDefaultUserPassword): empty makes it nopass.
        t.add(row("requirepass", text()).computed(n -> n.config().requirePass).applied((n, v) -> {
            n.config().requirePass = (String) v;
            n.acl().setDefaultPassword(((String) v).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }));

        // Enum parameters.
        t.add(row("supervised", oneOf("no", "upstart", "systemd", "auto")).immutable().recorded("no"));
        t.add(row("syslog-facility", oneOf("user", "local0", "local1", "local2", "local3", "local4", "local5",
                "local6", "local7")).immutable().recorded("local0"));
        t.add(row("repl-diskless-load", oneOf("disabled", "on-empty-db", "swapdb")).recorded("disabled"));
        ValueType logLevels = oneOf(LOG_LEVELS.toArray(new String[0]));
        t.add(row("loglevel", logLevels).field(c -> LOG_LEVELS.indexOf(c.logLevel),
                (c, v) -> c.logLevel = LOG_LEVELS.get((Integer) v)));
        t.add(row("maxmemory-policy", oneOf(EVICTION_POLICIES.toArray(new String[0])))
                .field(c -> EVICTION_POLICIES.indexOf(c.maxMemoryPolicy),
                        (c, v) -> c.maxMemoryPolicy = EVICTION_POLICIES.get((Integer) v)));
        t.add(row("appendfsync", oneOf("everysec", "always", "no")).recorded("everysec"));
        t.add(row("oom-score-adj", oneOf(new Choice("no", 0), new Choice("yes", 1), new Choice("relative", 1),
                new Choice("absolute", 2))).recorded("no"));
        Row pubsubDefault = row("acl-pubsub-default", oneOf(new Choice("allchannels", 1),
                new Choice("resetchannels", 0))).recorded("resetchannels");
        BiConsumer<RedisNode, Object> recordPubsubDefault = pubsubDefault.setter;
        t.add(pubsubDefault.applied((n, v) -> {
            recordPubsubDefault.accept(n, v);
            n.acl().setPubsubDefaultAllChannels((Integer) v == 1);
        }));
        t.add(row("sanitize-dump-payload", oneOf("no", "yes", "clients")).recorded("no"));
        t.add(row("enable-protected-configs", oneOf("no", "yes", "local")).immutable().recorded("no"));
        t.add(row("enable-debug-command", oneOf("no", "yes", "local")).immutable().recorded("no"));
        t.add(row("enable-module-command", oneOf("no", "yes", "local")).immutable().recorded("no"));
        t.add(row("cluster-preferred-endpoint-type", oneOf(ENDPOINT_TYPES.toArray(new String[0])))
                .field(c -> ENDPOINT_TYPES.indexOf(c.clusterPreferredEndpointType),
                        (c, v) -> c.clusterPreferredEndpointType = ENDPOINT_TYPES.get((Integer) v)));
        t.add(row("propagation-error-behavior", oneOf("ignore", "panic", "panic-on-replicas")).recorded("ignore"));
        t.add(row("shutdown-on-sigint", shutdownFlags()).recorded("default"));
        t.add(row("shutdown-on-sigterm", shutdownFlags()).recorded("default"));

        // Integer parameters.
        t.add(row("databases", integer(1, INT_MAX)).immutable().recorded("16"));
        t.add(row("port", integer(0, 65535)).computed(n -> (long) n.config().port).applied((n, v) -> {
            // The listener is bound once at start; moving it is not supported, so any other port
            // fails the way Redis fails when it cannot listen there.
            if ((Long) v != n.config().port) {
                throw new InvalidConfigValue("Unable to listen on this port. Check server logs.");
            }
        }));
        t.add(row("io-threads", integer(1, 128)).immutable().recorded("1"));
        t.add(row("auto-aof-rewrite-percentage", integer(0, INT_MAX)).recorded("100"));
        t.add(row("cluster-replica-validity-factor", integer(0, INT_MAX)).alias("cluster-slave-validity-factor")
                .field(c -> (long) c.cluster.replicaValidityFactor,
                        (c, v) -> c.cluster.replicaValidityFactor = asInt(v)));
        t.add(row("list-max-listpack-size", integer(INT_MIN, INT_MAX)).alias("list-max-ziplist-size")
                .field(c -> c.listMaxListpackSize, (c, v) -> c.listMaxListpackSize = (Long) v));
        t.add(row("tcp-keepalive", integer(0, INT_MAX)).recorded("300"));
        t.add(row("cluster-migration-barrier", integer(0, INT_MAX))
                .field(c -> (long) c.cluster.migrationBarrier, (c, v) -> c.cluster.migrationBarrier = asInt(v)));
        t.add(row("active-defrag-cycle-min", integer(1, 99)).recorded("1"));
        t.add(row("active-defrag-cycle-max", integer(1, 99)).recorded("25"));
        t.add(row("active-defrag-threshold-lower", integer(0, 1000)).recorded("10"));
        t.add(row("active-defrag-threshold-upper", integer(0, 1000)).recorded("100"));
        t.add(row("lfu-log-factor", integer(0, INT_MAX)).recorded("10"));
        t.add(row("lfu-decay-time", integer(0, INT_MAX)).recorded("1"));
        t.add(row("replica-priority", integer(0, INT_MAX)).alias("slave-priority").recorded("100"));
        t.add(row("repl-diskless-sync-delay", integer(0, INT_MAX)).recorded("5"));
        t.add(row("maxmemory-samples", integer(1, INT_MAX)).recorded("5"));
        t.add(row("maxmemory-eviction-tenacity", integer(0, 100)).recorded("10"));
        t.add(row("timeout", integer(0, INT_MAX)).field(c -> c.timeout, (c, v) -> c.timeout = (Long) v));
        t.add(row("replica-announce-port", integer(0, 65535)).alias("slave-announce-port").recorded("0"));
        t.add(row("tcp-backlog", integer(0, INT_MAX)).immutable().recorded("511"));
        t.add(row("cluster-port", integer(0, 65535)).immutable().computed(n -> (long) n.config().cluster.busPort));
        t.add(row("cluster-announce-bus-port", integer(0, 65535))
                .field(c -> (long) c.cluster.announceBusPort, (c, v) -> c.cluster.announceBusPort = asInt(v))
                .andThen(UPDATE_MYSELF));
        t.add(row("cluster-announce-port", integer(0, 65535))
                .field(c -> (long) c.cluster.announcePort, (c, v) -> c.cluster.announcePort = asInt(v))
                .andThen(UPDATE_MYSELF));
        t.add(row("cluster-announce-tls-port", integer(0, 65535)).recorded("0"));
        t.add(row("repl-timeout", integer(1, INT_MAX)).recorded("60"));
        t.add(row("repl-ping-replica-period", integer(1, INT_MAX)).alias("repl-ping-slave-period")
                .field(c -> (long) c.cluster.replPingReplicaPeriod,
                        (c, v) -> c.cluster.replPingReplicaPeriod = asInt(v)));
        t.add(row("list-compress-depth", integer(0, INT_MAX)).recorded("0"));
        t.add(row("rdb-key-save-delay", integer(INT_MIN, INT_MAX)).hidden().recorded("0"));
        t.add(row("key-load-delay", integer(INT_MIN, INT_MAX)).hidden().recorded("0"));
        t.add(row("active-expire-effort", integer(1, 10)).recorded("1"));
        // hz is a hint: any value is accepted and then capped to 1..500 (updateHZ).
        t.add(row("hz", integer(0, INT_MAX)).field(c -> (long) c.hz,
                (c, v) -> c.hz = (int) Math.max(1, Math.min(500, (Long) v))));
        t.add(row("min-replicas-to-write", integer(0, INT_MAX)).alias("min-slaves-to-write").recorded("0"));
        t.add(row("min-replicas-max-lag", integer(0, INT_MAX)).alias("min-slaves-max-lag").recorded("10"));
        t.add(row("watchdog-period", integer(0, INT_MAX)).hidden().recorded("0"));
        t.add(row("shutdown-timeout", integer(0, INT_MAX)).recorded("10"));
        t.add(row("repl-diskless-sync-max-replicas", integer(0, INT_MAX)).recorded("0"));
        t.add(row("maxclients", unsignedInteger(1, UINT_MAX))
                .field(c -> c.maxClients, (c, v) -> c.maxClients = (Long) v));
        t.add(row("unixsocketperm", unsignedInteger(0, 0777)).immutable().recorded("0"));
        t.add(row("socket-mark-id", unsignedInteger(0, UINT_MAX)).immutable().recorded("0"));
        t.add(row("active-defrag-max-scan-fields", integer(1, LONG_MAX)).recorded("1000"));
        t.add(row("slowlog-max-len", integer(0, LONG_MAX))
                .field(c -> c.slowlogMaxLen, (c, v) -> c.slowlogMaxLen = (Long) v));
        t.add(row("acllog-max-len", integer(0, LONG_MAX)).recorded("128"));
        t.add(row("busy-reply-threshold", integer(0, LONG_MAX)).alias("lua-time-limit").recorded("5000"));
        t.add(row("cluster-node-timeout", integer(0, LONG_MAX))
                .field(c -> c.cluster.nodeTimeout, (c, v) -> c.cluster.nodeTimeout = (Long) v));
        t.add(row("slowlog-log-slower-than", integer(-1, LONG_MAX))
                .field(c -> c.slowlogLogSlowerThan, (c, v) -> c.slowlogLogSlowerThan = (Long) v));
        t.add(row("latency-monitor-threshold", integer(0, LONG_MAX))
                .field(c -> c.latencyMonitorThreshold, (c, v) -> c.latencyMonitorThreshold = (Long) v));
        t.add(row("proto-max-bulk-len", memory(MB, LONG_MAX, false))
                .field(c -> c.protoMaxBulkLen, (c, v) -> c.protoMaxBulkLen = (Long) v));
        t.add(row("stream-node-max-entries", integer(0, LONG_MAX)).recorded("100"));
        t.add(row("repl-backlog-size", memory(1, LONG_MAX, false)).computed(n -> n.replication().backlogSize())
                .applied((n, v) -> n.replication().setBacklogSize((Long) v)));
        // A lower maxmemory takes effect at once: keys are evicted right after the change (updateMaxmemory).
        t.add(row("maxmemory", memory(0, ULLONG_MAX, true)).computed(n -> n.config().maxMemory).applied((n, v) -> {
            n.config().maxMemory = (Long) v;
            if ((Long) v != 0 && Long.compareUnsigned((Long) v, n.maxMemory().usedMemory()) < 0) {
                n.log().warning("WARNING: the new maxmemory value set via CONFIG SET (" + Long.toUnsignedString((Long) v)
                        + ") is smaller than the current memory usage (" + n.maxMemory().usedMemory()
                        + "). This will result in key eviction and/or the inability to accept new write commands "
                        + "depending on the maxmemory-policy.");
                n.loop().execute(n.maxMemory()::performEvictions);
            }
        }));
        t.add(row("cluster-link-sendbuf-limit", memory(0, ULLONG_MAX, true)).recorded("0"));
        t.add(row("hash-max-listpack-entries", unsignedInteger(0, LONG_MAX)).alias("hash-max-ziplist-entries")
                .field(c -> c.hashMaxListpackEntries, (c, v) -> c.hashMaxListpackEntries = (Long) v));
        t.add(row("set-max-intset-entries", unsignedInteger(0, LONG_MAX))
                .field(c -> c.setMaxIntsetEntries, (c, v) -> c.setMaxIntsetEntries = (Long) v));
        t.add(row("zset-max-listpack-entries", unsignedInteger(0, LONG_MAX)).alias("zset-max-ziplist-entries")
                .field(c -> c.zsetMaxListpackEntries, (c, v) -> c.zsetMaxListpackEntries = (Long) v));
        t.add(row("active-defrag-ignore-bytes", memory(1, LONG_MAX, true)).recorded("104857600"));
        t.add(row("hash-max-listpack-value", memory(0, LONG_MAX, true)).alias("hash-max-ziplist-value")
                .field(c -> c.hashMaxListpackValue, (c, v) -> c.hashMaxListpackValue = (Long) v));
        t.add(row("stream-node-max-bytes", memory(0, LONG_MAX, true)).recorded("4096"));
        t.add(row("zset-max-listpack-value", memory(0, LONG_MAX, true)).alias("zset-max-ziplist-value")
                .field(c -> c.zsetMaxListpackValue, (c, v) -> c.zsetMaxListpackValue = (Long) v));
        t.add(row("hll-sparse-max-bytes", memory(0, LONG_MAX, true)).recorded("3000"));
        t.add(row("tracking-table-max-keys", unsignedInteger(0, LONG_MAX)).recorded("1000000"));
        t.add(row("client-query-buffer-limit", memory(MB, LONG_MAX, true)).recorded("1073741824"));
        t.add(row("maxmemory-clients", memoryOrPercent(-100, LONG_MAX)).recorded("0"));
        t.add(row("repl-backlog-ttl", integer(0, LONG_MAX)).recorded("3600"));
        t.add(row("auto-aof-rewrite-min-size", memory(0, LONG_MAX, false)).recorded("67108864"));
        t.add(row("loading-process-events-interval-bytes", integer(1024, INT_MAX)).hidden().recorded("2097152"));

        // TLS: accepted while TLS stays off; turning it on needs certificates this emulator doesn't have,
        // which Redis reports as a failed TLS configuration.
        t.add(row("tls-port", checked(integer(0, 65535), port -> refuseTls(port != 0))).recorded("0"));
        t.add(row("tls-session-cache-size", integer(0, INT_MAX)).recorded("20480"));
        t.add(row("tls-session-cache-timeout", integer(0, INT_MAX)).recorded("300"));
        t.add(row("tls-cluster", bool(ConfigTable::refuseTls)).recorded("no"));
        t.add(row("tls-replication", bool(ConfigTable::refuseTls)).recorded("no"));
        t.add(row("tls-auth-clients", oneOf("no", "yes", "optional")).recorded("yes"));
        t.add(row("tls-prefer-server-ciphers", bool()).recorded("no"));
        t.add(row("tls-session-caching", bool()).recorded("yes"));
        for (String name : List.of("tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
                "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file",
                "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites")) {
            t.add(row(name, text()).recorded(""));
        }

        // Parameters with their own parsing.
        t.add(row("dir", text()).protectedConfig().computed(n -> n.config().dir != null
                ? n.config().dir.toAbsolutePath().toString() : System.getProperty("user.dir")));
        t.add(row("save", SpecialTypes.save()).field(c -> c.save, (c, v) -> c.save = castList(v)));
        Row limits = row("client-output-buffer-limit", SpecialTypes.clientOutputBufferLimit())
                .recorded("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        BiConsumer<RedisNode, Object> store = limits.setter;
        Function<RedisNode, Object> current = limits.getter;
        t.add(limits.applied((n, v) -> store.accept(n,
                SpecialTypes.mergeBufferLimits((long[][]) current.apply(n), (long[][]) v))));
        t.add(row("oom-score-adj-values", SpecialTypes.oomScoreAdjValues()).recorded("0 200 800"));
        t.add(row("notify-keyspace-events", SpecialTypes.keyspaceEvents())
                .field(c -> c.notifyKeyspaceEvents, (c, v) -> c.notifyKeyspaceEvents = (Integer) v));
        t.add(row("bind", SpecialTypes.bind()).computed(n -> List.of(n.config().bind)).applied((n, v) -> {
            // Like port: the listener can't move, which Redis reports as a failed bind.
            if (!v.equals(List.of(n.config().bind))) {
                throw new InvalidConfigValue("Failed to bind to specified addresses.");
            }
        }));
        t.add(row("replicaof", text()).alias("slaveof").immutable().computed(n -> n.data().masterHost() == null ? ""
                : n.data().masterHost() + " " + n.data().masterPort()));
        t.add(row("latency-tracking-info-percentiles", SpecialTypes.percentiles()).recorded("50 99 99.9"));
        return t;
    }

    /** shutdown-on-sigint/sigterm: flags of SHUTDOWN_SAVE, NOSAVE, NOW, FORCE; SAVE and NOSAVE exclude each other. */
    private static ValueType shutdownFlags() {
        return flagsOf(v -> {
            if ((v & 1) != 0 && (v & 2) != 0) {
                throw new InvalidConfigValue("shutdown options SAVE and NOSAVE can't be used simultaneously");
            }
        }, new Choice("default", 0), new Choice("save", 1), new Choice("nosave", 2), new Choice("now", 4),
                new Choice("force", 8));
    }

    private static void refuseTls(boolean enabling) {
        if (enabling) {
            throw new InvalidConfigValue("Unable to update TLS configuration. Check server logs.");
        }
    }

    private static int asInt(Object v) {
        return (int) (long) (Long) v;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> castList(Object v) {
        return (List<T>) v;
    }

    private static Row row(String name, ValueType type) {
        return new Row(name, type);
    }

    /** A row being declared. */
    private static final class Row {
        final String name;
        final ValueType type;
        String alias;
        final EnumSet<ConfigParam.Flag> flags = EnumSet.noneOf(ConfigParam.Flag.class);
        Function<RedisNode, Object> getter;
        /** Immutable and protected parameters keep this one: CONFIG SET refuses them before setting. */
        BiConsumer<RedisNode, Object> setter;

        Row(String name, ValueType type) {
            this.name = name;
            this.type = type;
            this.setter = (n, v) -> {
                throw new IllegalStateException(name + " is read-only");
            };
        }

        Row alias(String a) {
            this.alias = a;
            return this;
        }

        Row immutable() {
            flags.add(ConfigParam.Flag.IMMUTABLE);
            return this;
        }

        Row protectedConfig() {
            flags.add(ConfigParam.Flag.PROTECTED);
            return this;
        }

        Row hidden() {
            flags.add(ConfigParam.Flag.HIDDEN);
            return this;
        }

        /** Kept in the node's recordedParams; the default is given in CONFIG SET's own syntax. */
        Row recorded(String defaultText) {
            Object defaultValue = type.parse(defaultText);
            this.getter = n -> n.config().recordedParams.getOrDefault(name, defaultValue);
            this.setter = (n, v) -> n.config().recordedParams.put(name, v);
            return this;
        }

        /** Lives in a ServerConfig field. */
        Row field(Function<ServerConfig, Object> get, BiConsumer<ServerConfig, Object> set) {
            this.getter = n -> get.apply(n.config());
            this.setter = (n, v) -> set.accept(n.config(), v);
            return this;
        }

        /** Read from the node (read-only parameters, or ones whose setter is given by {@link #applied}). */
        Row computed(Function<RedisNode, Object> get) {
            this.getter = get;
            return this;
        }

        Row applied(BiConsumer<RedisNode, Object> set) {
            this.setter = set;
            return this;
        }

        /** After the value is set, {@code effect} brings the running node in line with it. */
        Row andThen(Consumer<RedisNode> effect) {
            BiConsumer<RedisNode, Object> set = this.setter;
            this.setter = (n, v) -> {
                set.accept(n, v);
                effect.accept(n);
            };
            return this;
        }
    }
}
