package dev.clusteremu.server.info;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.ServerConfig;
import dev.clusteremu.server.ServerStats;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.persistence.AofRewrite;
import dev.clusteremu.server.persistence.AppendOnlyFile;
import dev.clusteremu.server.persistence.RdbFile;

/**
 * The text of INFO (genRedisInfoString): the sections asked for, in Redis's fixed order, each a
 * "# Title" line then "field:value" lines, all ending in \r\n, with one empty line between sections.
 * Field names and order are Redis 7.0.15's. Values are the node's own where it has them (uptime, ports,
 * clients, commands, role, keys); process figures come from the JVM; what the emulator doesn't do
 * (forks, AOF, defrag, Lua) reads as Redis reads when idle.
 */
public final class InfoReport {
    /** The Redis version this node is indistinguishable from (REDIS_VERSION). */
    public static final String REDIS_VERSION = "7.0.15";

    /** Sections INFO gives with no argument or "default": all but commandstats and latencystats. */
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "module_list", "errorstats", "cluster", "keyspace");
    /** LRU_CLOCK_MAX: the LRU clock is seconds modulo 2^24. */
    private static final long LRU_CLOCK_MAX = (1 << 24) - 1;

    private final RedisNode node;
    private final CommandTable commands;
    private final Set<String> sections = new HashSet<>();
    private boolean all;
    private final StringBuilder out = new StringBuilder();
    private int written;

    private InfoReport(RedisNode node, CommandTable commands) {
        this.node = node;
        this.commands = commands;
    }

    /**
     * INFO [section ...] (genInfoSectionDict): no argument means the default sections; "default" adds
     * them, "all" and "everything" take every section (there are no module sections to tell them apart);
     * names are case-insensitive and unknown ones add nothing.
     */
    public static String generate(RedisNode node, CommandTable commands, List<String> args) {
        InfoReport r = new InfoReport(node, commands);
        if (args.isEmpty()) {
            r.sections.addAll(DEFAULT_SECTIONS);
        }
        for (String arg : args) {
            String name = arg.toLowerCase(Locale.ROOT);
            switch (name) {
                case "default" -> r.sections.addAll(DEFAULT_SECTIONS);
                case "all", "everything" -> r.all = true;
                default -> r.sections.add(name);
            }
        }
        return r.render();
    }

    /** LASTSAVE: the last RDB snapshot's unix time; a node that never saved reports its start time. */
    public static long lastSave(RedisNode node) {
        long saved = node.stats().lastSaveSeconds();
        return saved != 0 ? saved : node.startTime() / 1000;
    }

    private String render() {
        if (wants("server")) {
            server();
        }
        if (wants("clients")) {
            clients();
        }
        if (wants("memory")) {
            memory();
        }
        if (wants("persistence")) {
            persistence();
        }
        if (wants("stats")) {
            stats();
        }
        if (wants("replication")) {
            replication();
        }
        if (wants("cpu")) {
            cpu();
        }
        if (wants("module_list") || wants("modules")) {
            section("Modules");
        }
        if (wants("commandstats")) {
            commandStats();
        }
        if (wants("errorstats")) {
            section("Errorstats");
            for (Map.Entry<String, Long> e : node.stats().errorCounts().entrySet()) {
                field("errorstat_" + safe(e.getKey()), "count=" + e.getValue());
            }
        }
        if (wants("latencystats")) {
            latencyStats();
        }
        if (wants("cluster")) {
            section("Cluster");
            field("cluster_enabled", 1);
        }
        if (wants("keyspace")) {
            keyspace();
        }
        return out.toString();
    }

    private boolean wants(String section) {
        return all || sections.contains(section);
    }

    // ---- sections ----

    private void server() {
        ServerConfig config = node.config();
        long now = node.now();
        long uptime = (now - node.startTime()) / 1000;
        section("Server");
        field("redis_version", REDIS_VERSION);
        field("redis_git_sha1", "00000000");
        field("redis_git_dirty", 0);
        field("redis_build_id", "0");
        field("redis_mode", "cluster");
        field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        field("arch_bits", System.getProperty("os.arch").contains("64") ? 64 : 32);
        field("monotonic_clock", "POSIX clock_gettime");
        field("multiplexing_api", multiplexingApi());
        field("atomicvar_api", "c11-builtin");
        // Not built by GCC: Redis prints 0.0.0 then.
        field("gcc_version", "0.0.0");
        field("process_id", ProcessHandle.current().pid());
        field("process_supervised", "no");
        field("run_id", node.runId());
        field("tcp_port", config.port);
        field("server_time_usec", now * 1000);
        field("uptime_in_seconds", uptime);
        field("uptime_in_days", uptime / (3600 * 24));
        field("hz", config.hz);
        field("configured_hz", config.hz);
        field("lru_clock", (now / 1000) & LRU_CLOCK_MAX);
        field("executable", ProcessHandle.current().info().command().orElse(""));
        field("config_file", "");
        field("io_threads_active", 0);
    }

    private void clients() {
        section("Clients");
        // Replicas are connections, but not clients in this count.
        field("connected_clients", node.clients().connected() - node.replication().connectedReplicas());
        // Two bus links (inbound and outbound) per other known node, as getClusterConnectionsCount counts.
        field("cluster_connections", (node.cluster().nodes().size() - 1) * 2L);
        field("maxclients", node.config().maxClients);
        field("client_recent_max_input_buffer", 0);
        field("client_recent_max_output_buffer", 0);
        field("blocked_clients", node.blockedClients().count());
        field("tracking_clients", node.tracking().clients());
        field("clients_in_timeout_table", node.blockedClients().countWithTimeout());
    }

    /**
     * Memory by the node's own model ({@link dev.clusteremu.server.MaxMemory}: what a redis-server holding
     * the same keys would use), the figures maxmemory acts on. The allocator and the resident set read the
     * same: the JVM heap is shared by every node of the process and says nothing about this one.
     */
    private void memory() {
        dev.clusteremu.server.MaxMemory.Overhead mem = node.maxMemory().overhead();
        long used = mem.total();
        long peak = mem.peak();
        long startup = mem.startup();
        long overhead = mem.overheadTotal();
        long dataset = mem.dataset();
        long system = totalSystemMemory();
        ServerConfig config = node.config();
        section("Memory");
        field("used_memory", used);
        field("used_memory_human", bytesToHuman(used));
        field("used_memory_rss", used);
        field("used_memory_rss_human", bytesToHuman(used));
        field("used_memory_peak", peak);
        field("used_memory_peak_human", bytesToHuman(peak));
        field("used_memory_peak_perc", twoDecimals((float) used * 100 / peak) + "%");
        field("used_memory_overhead", overhead);
        field("used_memory_startup", startup);
        field("used_memory_dataset", dataset);
        field("used_memory_dataset_perc", twoDecimals((float) dataset * 100 / mem.netUsage()) + "%");
        field("allocator_allocated", used);
        field("allocator_active", used);
        field("allocator_resident", used);
        field("total_system_memory", system);
        field("total_system_memory_human", bytesToHuman(system));
        field("used_memory_lua", 0);
        field("used_memory_vm_eval", 0);
        field("used_memory_lua_human", bytesToHuman(0));
        field("used_memory_scripts_eval", 0);
        field("number_of_cached_scripts", node.scripting().cachedScripts());
        field("number_of_functions", node.scripting().functions().functionCount());
        field("number_of_libraries", node.scripting().functions().libraryCount());
        field("used_memory_vm_functions", 0);
        field("used_memory_vm_total", 0);
        field("used_memory_vm_total_human", bytesToHuman(0));
        field("used_memory_functions", 0);
        field("used_memory_scripts", 0);
        field("used_memory_scripts_human", bytesToHuman(0));
        field("maxmemory", Long.toUnsignedString(config.maxMemory));
        field("maxmemory_human", bytesToHuman(config.maxMemory));
        field("maxmemory_policy", config.maxMemoryPolicy);
        field("allocator_frag_ratio", twoDecimals(1));
        field("allocator_frag_bytes", 0);
        field("allocator_rss_ratio", twoDecimals(1));
        field("allocator_rss_bytes", 0);
        field("rss_overhead_ratio", twoDecimals(1));
        field("rss_overhead_bytes", 0);
        field("mem_fragmentation_ratio", twoDecimals(1));
        field("mem_fragmentation_bytes", 0);
        field("mem_not_counted_for_evict", 0);
        field("mem_replication_backlog", 0);
        field("mem_total_replication_buffers", 0);
        field("mem_clients_slaves", 0);
        field("mem_clients_normal", 0);
        field("mem_cluster_links", 0);
        field("mem_aof_buffer", 0);
        field("mem_allocator", "libc");
        field("active_defrag_running", 0);
        field("lazyfree_pending_objects", 0);
        field("lazyfreed_objects", 0);
    }

    private void persistence() {
        ServerStats stats = node.stats();
        section("Persistence");
        field("loading", 0);
        field("async_loading", 0);
        field("current_cow_peak", 0);
        field("current_cow_size", 0);
        field("current_cow_size_age", 0);
        field("current_fork_perc", twoDecimals(0));
        field("current_save_keys_processed", 0);
        field("current_save_keys_total", 0);
        RdbFile rdb = node.rdb();
        field("rdb_changes_since_last_save", stats.changesSinceSave(node.keyspace().dirty()));
        field("rdb_bgsave_in_progress", rdb.isBgsaveInProgress() ? 1 : 0);
        field("rdb_last_save_time", lastSave(node));
        field("rdb_last_bgsave_status", rdb.lastBgsaveOk() ? "ok" : "err");
        field("rdb_last_bgsave_time_sec", rdb.lastBgsaveSeconds());
        field("rdb_current_bgsave_time_sec", rdb.currentBgsaveSeconds());
        field("rdb_saves", rdb.saves());
        field("rdb_last_cow_size", 0);
        field("rdb_last_load_keys_expired", rdb.lastLoadKeysExpired());
        field("rdb_last_load_keys_loaded", rdb.lastLoadKeysLoaded());
        AofRewrite aof = node.aof();
        AppendOnlyFile appendOnly = node.appendOnlyFile();
        field("aof_enabled", appendOnly.isOn() ? 1 : 0);
        field("aof_rewrite_in_progress", aof.isInProgress() ? 1 : 0);
        field("aof_rewrite_scheduled", aof.isScheduled() ? 1 : 0);
        field("aof_last_rewrite_time_sec", aof.lastRewriteSeconds());
        field("aof_current_rewrite_time_sec", aof.currentRewriteSeconds());
        field("aof_last_bgrewrite_status", aof.lastStatusOk() ? "ok" : "err");
        field("aof_rewrites", aof.rewrites());
        field("aof_rewrites_consecutive_failures", aof.consecutiveFailures());
        field("aof_last_write_status", appendOnly.lastWriteOk() ? "ok" : "err");
        field("aof_last_cow_size", 0);
        field("module_fork_in_progress", 0);
        field("module_fork_last_cow_size", 0);
        if (node.config().appendOnly) {
            field("aof_current_size", appendOnly.currentSize());
            field("aof_base_size", appendOnly.baseSize());
            field("aof_pending_rewrite", aof.isScheduled() ? 1 : 0);
            field("aof_buffer_length", appendOnly.bufferLength());
            field("aof_pending_bio_fsync", appendOnly.pendingFsyncs());
            field("aof_delayed_fsync", appendOnly.delayedFsyncs());
        }
    }

    private void stats() {
        ServerStats s = node.stats();
        section("Stats");
        field("total_connections_received", s.connectionsReceived(node.clients().totalConnectionsReceived()));
        field("total_commands_processed", s.commandsProcessed());
        field("instantaneous_ops_per_sec", 0);
        field("total_net_input_bytes", s.netInputBytes());
        field("total_net_output_bytes", s.netOutputBytes());
        field("total_net_repl_input_bytes", 0);
        field("total_net_repl_output_bytes", 0);
        field("instantaneous_input_kbps", twoDecimals(0));
        field("instantaneous_output_kbps", twoDecimals(0));
        field("instantaneous_input_repl_kbps", twoDecimals(0));
        field("instantaneous_output_repl_kbps", twoDecimals(0));
        field("rejected_connections", s.rejectedConnections());
        field("sync_full", s.syncFull());
        field("sync_partial_ok", s.syncPartialOk());
        field("sync_partial_err", s.syncPartialErr());
        field("expired_keys", node.keyspace().expiredKeys());
        field("expired_stale_perc", twoDecimals(0));
        field("expired_time_cap_reached_count", 0);
        field("expire_cycle_cpu_milliseconds", 0);
        field("evicted_keys", s.evictedKeys());
        field("evicted_clients", 0);
        field("total_eviction_exceeded_time", 0);
        field("current_eviction_exceeded_time", 0);
        field("keyspace_hits", node.keyspace().keyspaceHits());
        field("keyspace_misses", node.keyspace().keyspaceMisses());
        field("pubsub_channels", node.pubsub().channelCount());
        field("pubsub_patterns", node.pubsub().patternCount());
        field("pubsubshard_channels", node.pubsub().shardChannelCount());
        field("latest_fork_usec", 0);
        field("total_forks", 0);
        field("migrate_cached_sockets", 0);
        field("slave_expires_tracked_keys", 0);
        field("active_defrag_hits", 0);
        field("active_defrag_misses", 0);
        field("active_defrag_key_hits", 0);
        field("active_defrag_key_misses", 0);
        field("total_active_defrag_time", 0);
        field("current_active_defrag_time", 0);
        field("tracking_total_keys", node.tracking().totalKeys());
        field("tracking_total_items", node.tracking().totalItems());
        field("tracking_total_prefixes", node.tracking().totalPrefixes());
        field("unexpected_error_replies", 0);
        field("total_error_replies", s.totalErrorReplies());
        field("dump_payload_sanitizations", 0);
        field("total_reads_processed", s.readsProcessed());
        field("total_writes_processed", s.writesProcessed());
        field("io_threaded_reads_processed", 0);
        field("io_threaded_writes_processed", 0);
        field("reply_buffer_shrinks", 0);
        field("reply_buffer_expands", 0);
    }

    /** The replication section, as the node's replication reports it for its role. */
    private void replication() {
        section("Replication");
        node.replication().info(this::field);
    }

    /** CPU time of the process and of the calling (event loop) thread, in seconds with microseconds. */
    private void cpu() {
        long processNanos = processCpuNanos();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadTotal = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
        long threadUser = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadUserTime() : 0;
        section("CPU");
        field("used_cpu_sys", seconds(0));
        field("used_cpu_user", seconds(processNanos));
        field("used_cpu_sys_children", seconds(0));
        field("used_cpu_user_children", seconds(0));
        field("used_cpu_sys_main_thread", seconds(threadTotal - threadUser));
        field("used_cpu_user_main_thread", seconds(threadUser));
    }

    /** cmdstat_&lt;command&gt; for every command called or refused since the last reset, subcommands after their container. */
    private void commandStats() {
        section("Commandstats");
        for (CommandSpec spec : commands.all()) {
            commandStat(spec);
            for (CommandSpec sub : spec.subcommands().values()) {
                commandStat(sub);
            }
        }
    }

    private void commandStat(CommandSpec spec) {
        ServerStats.CommandStats s = node.stats().commandStats(spec.fullName());
        if (s == null) {
            return;
        }
        double perCall = s.calls() == 0 ? 0 : (float) s.micros() / s.calls();
        field("cmdstat_" + safe(spec.fullName()), "calls=" + s.calls() + ",usec=" + s.micros() + ",usec_per_call="
                + twoDecimals(perCall) + ",rejected_calls=" + s.rejectedCalls() + ",failed_calls=" + s.failedCalls());
    }

    /**
     * Per command with a latency histogram (while latency-tracking is on), the latency-tracking-info-percentiles
     * of its histogram in microseconds (fillPercentileDistributionLatencies).
     */
    private void latencyStats() {
        section("Latencystats");
        if (!node.config().latencyTracking) {
            return;
        }
        double[] percentiles = (double[]) ConfigTable.valueOf(node, "latency-tracking-info-percentiles");
        for (CommandSpec spec : commands.all()) {
            latencyStat(spec, percentiles);
            for (CommandSpec sub : spec.subcommands().values()) {
                latencyStat(sub, percentiles);
            }
        }
    }

    private void latencyStat(CommandSpec spec, double[] percentiles) {
        ServerStats.CommandStats s = node.stats().commandStats(spec.fullName());
        if (s == null || s.latencyHistogram() == null) {
            return;
        }
        StringBuilder value = new StringBuilder();
        for (int j = 0; j < percentiles.length; j++) {
            if (j > 0) {
                value.append(',');
            }
            String name = String.format(Locale.ROOT, "%f", percentiles[j]);
            // trimDoubleString: "99.900000" reads "99.9", "50.000000" reads "50".
            name = name.replaceAll("0+$", "").replaceAll("\\.$", "");
            value.append('p').append(name).append('=').append(String.format(Locale.ROOT, "%.3f",
                    s.latencyHistogram().valueAtPercentile(percentiles[j]) / 1000.0));
        }
        field("latency_percentiles_usec_" + safe(spec.fullName()), value.toString());
    }

    /** db0 only (cluster mode has one database), and only when it holds keys. */
    private void keyspace() {
        section("Keyspace");
        long keys = node.keyspace().size();
        if (keys > 0) {
            field("db0", "keys=" + keys + ",expires=" + node.keyspace().expiresCount() + ",avg_ttl=0");
        }
    }

    // ---- formatting ----

    private void section(String title) {
        if (written++ > 0) {
            out.append("\r\n");
        }
        out.append("# ").append(title).append("\r\n");
    }

    private void field(String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    /** getSafeInfoString: names in INFO can't hold ':', '#', CR or LF; each becomes '_'. */
    private static String safe(String s) {
        return s.replace(':', '_').replace('#', '_').replace('\r', '_').replace('\n', '_');
    }

    private static String twoDecimals(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String seconds(long nanos) {
        long micros = nanos / 1000;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** bytesToHuman: B below 1K, then K, M, G, T, P with two decimals, in powers of 1024. */
    public static String bytesToHuman(long n) {
        if (Long.compareUnsigned(n, 1024) < 0) {
            return n + "B";
        }
        double d = n >= 0 ? n : Double.parseDouble(Long.toUnsignedString(n));
        double scale = 1024;
        for (String unit : new String[] {"K", "M", "G", "T", "P"}) {
            if (d < scale * 1024) {
                return String.format(Locale.ROOT, "%.2f%s", d / scale, unit);
            }
            scale *= 1024;
        }
        return Long.toUnsignedString(n) + "B";
    }

    /** uname's machine name: the JVM says amd64 where uname says x86_64. */
    private static String machine() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static String multiplexingApi() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return "epoll";
        }
        return os.contains("mac") || os.contains("bsd") ? "kqueue" : "select";
    }

    private static long totalSystemMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }
}
