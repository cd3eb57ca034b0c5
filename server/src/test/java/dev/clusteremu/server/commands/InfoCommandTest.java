package dev.clusteremu.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.RedisNode;

/**
 * INFO over a real socket against a master and a replica of a three-master, three-replica cluster, once the
 * replica synced. Field names and their order are those of redis-server 7.0.15 --cluster-enabled yes
 * ("INFO everything").
 */
class InfoCommandTest {
    private static final int PORT = 7470;
    private static EmulatedCluster cluster;
    private static RedisNode master;
    private static RedisNode replica;

    private static final Map<String, List<String>> REDIS_FIELDS = new LinkedHashMap<>();

    static {
        REDIS_FIELDS.put("Server", List.of("redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id",
                "redis_mode", "os", "arch_bits", "monotonic_clock", "multiplexing_api", "atomicvar_api", "gcc_version",
                "process_id", "process_supervised", "run_id", "tcp_port", "server_time_usec", "uptime_in_seconds",
                "uptime_in_days", "hz", "configured_hz", "lru_clock", "executable", "config_file",
                "io_threads_active"));
        REDIS_FIELDS.put("Clients", List.of("connected_clients", "cluster_connections", "maxclients",
                "client_recent_max_input_buffer", "client_recent_max_output_buffer", "blocked_clients",
                "tracking_clients", "clients_in_timeout_table"));
        REDIS_FIELDS.put("Memory", List.of("used_memory", "used_memory_human", "used_memory_rss",
                "used_memory_rss_human", "used_memory_peak", "used_memory_peak_human", "used_memory_peak_perc",
                "used_memory_overhead", "used_memory_startup", "used_memory_dataset", "used_memory_dataset_perc",
                "allocator_allocated", "allocator_active", "allocator_resident", "total_system_memory",
                "total_system_memory_human", "used_memory_lua", "used_memory_vm_eval", "used_memory_lua_human",
                "used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions", "number_of_libraries",
                "used_memory_vm_functions", "used_memory_vm_total", "used_memory_vm_total_human",
                "used_memory_functions", "used_memory_scripts", "used_memory_scripts_human", "maxmemory",
                "maxmemory_human", "maxmemory_policy", "allocator_frag_ratio", "allocator_frag_bytes",
                "allocator_rss_ratio", "allocator_rss_bytes", "rss_overhead_ratio", "rss_overhead_bytes",
                "mem_fragmentation_ratio", "mem_fragmentation_bytes", "mem_not_counted_for_evict",
                "mem_replication_backlog", "mem_total_replication_buffers", "mem_clients_slaves", "mem_clients_normal",
                "mem_cluster_links", "mem_aof_buffer", "mem_allocator", "active_defrag_running",
                "lazyfree_pending_objects", "lazyfreed_objects"));
        REDIS_FIELDS.put("Persistence", List.of("loading", "async_loading", "current_cow_peak", "current_cow_size",
                "current_cow_size_age", "current_fork_perc", "current_save_keys_processed", "current_save_keys_total",
                "rdb_changes_since_last_save", "rdb_bgsave_in_progress", "rdb_last_save_time",
                "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec", "rdb_current_bgsave_time_sec", "rdb_saves",
                "rdb_last_cow_size", "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded", "aof_enabled",
                "aof_rewrite_in_progress", "aof_rewrite_scheduled", "aof_last_rewrite_time_sec",
                "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
                "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_last_cow_size",
                "module_fork_in_progress", "module_fork_last_cow_size"));
        REDIS_FIELDS.put("Stats", List.of("total_connections_received", "total_commands_processed",
                "instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes",
                "total_net_repl_input_bytes", "total_net_repl_output_bytes", "instantaneous_input_kbps",
                "instantaneous_output_kbps", "instantaneous_input_repl_kbps", "instantaneous_output_repl_kbps",
                "rejected_connections", "sync_full", "sync_partial_ok", "sync_partial_err", "expired_keys",
                "expired_stale_perc", "expired_time_cap_reached_count", "expire_cycle_cpu_milliseconds",
                "evicted_keys", "evicted_clients", "total_eviction_exceeded_time", "current_eviction_exceeded_time",
                "keyspace_hits", "keyspace_misses", "pubsub_channels", "pubsub_patterns", "pubsubshard_channels",
                "latest_fork_usec", "total_forks", "migrate_cached_sockets", "slave_expires_tracked_keys",
                "active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits", "active_defrag_key_misses",
                "total_active_defrag_time", "current_active_defrag_time", "tracking_total_keys",
                "tracking_total_items", "tracking_total_prefixes", "unexpected_error_replies", "total_error_replies",
                "dump_payload_sanitizations", "total_reads_processed", "total_writes_processed",
                "io_threaded_reads_processed", "io_threaded_writes_processed", "reply_buffer_shrinks",
                "reply_buffer_expands"));
        // A master with one replica lists it as slave0.
        REDIS_FIELDS.put("Replication", List.of("role", "connected_slaves", "slave0", "master_failover_state",
                "master_replid", "master_replid2", "master_repl_offset", "second_repl_offset", "repl_backlog_active",
                "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen"));
        REDIS_FIELDS.put("CPU", List.of("used_cpu_sys", "used_cpu_user", "used_cpu_sys_children",
                "used_cpu_user_children", "used_cpu_sys_main_thread", "used_cpu_user_main_thread"));
        REDIS_FIELDS.put("Modules", List.of());
        REDIS_FIELDS.put("Commandstats", List.of());
        REDIS_FIELDS.put("Errorstats", List.of());
        REDIS_FIELDS.put("Latencystats", List.of());
        REDIS_FIELDS.put("Cluster", List.of("cluster_enabled"));
        REDIS_FIELDS.put("Keyspace", List.of());
    }

    /** A replica whose link to its master is up, as redis-server 7.0.15 reports it. */
    private static final List<String> REPLICA_FIELDS = List.of("role", "master_host", "master_port",
            "master_link_status", "master_last_io_seconds_ago", "master_sync_in_progress", "slave_read_repl_offset",
            "slave_repl_offset", "slave_priority", "slave_read_only", "replica_announced", "connected_slaves",
            "master_failover_state", "master_replid", "master_replid2", "master_repl_offset", "second_repl_offset",
            "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen");

    @BeforeAll
    static void start() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ports.add(PORT + i);
        }
        cluster = EmulatedCluster.builder().ports(ports).replicas(1).start();
        master = cluster.server(0);
        replica = cluster.server(3);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!info(replica, "replication").contains("master_link_status:up\r\n")
                || !info(master, "replication").contains("state=online")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not sync");
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** INFO's text parsed into "Title" → ordered "field" → "value", checking the framing on the way. */
    private static Map<String, Map<String, String>> sections(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        assertTrue(text.isEmpty() || text.endsWith("\r\n"), text);
        for (String block : text.split("\r\n\r\n")) {
            String[] lines = block.split("\r\n");
            assertTrue(lines[0].startsWith("# "), block);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 1));
            }
            out.put(lines[0].substring(2), fields);
        }
        return out;
    }

    private static String info(RedisNode node, String... sections) {
        try (RespClient c = new RespClient(node.port())) {
            String[] args = new String[sections.length + 1];
            args[0] = "INFO";
            System.arraycopy(sections, 0, args, 1, sections.length);
            return ConnectionCommandsTest.bulkBody(c.call(args));
        }
    }

    @Test
    void everythingHasEveryRedisSectionAndFieldInOrder() {
        Map<String, Map<String, String>> got = sections(info(master, "everything"));
        assertEquals(List.copyOf(REDIS_FIELDS.keySet()), List.copyOf(got.keySet()));
        for (Map.Entry<String, List<String>> e : REDIS_FIELDS.entrySet()) {
            if (!e.getKey().endsWith("stats") && !e.getKey().equals("Keyspace")) {
                assertEquals(e.getValue(), List.copyOf(got.get(e.getKey()).keySet()), e.getKey());
            }
        }
    }

    @Test
    void defaultLeavesOutCommandAndLatencyStats() {
        List<String> expected = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                "Modules", "Errorstats", "Cluster", "Keyspace");
        assertEquals(expected, List.copyOf(sections(info(master)).keySet()));
        assertEquals(expected, List.copyOf(sections(info(master, "default")).keySet()));
    }

    @Test
    void sectionsComeInRedisOrderWhateverTheArgumentOrderOrCase() {
        assertEquals("# Cluster\r\ncluster_enabled:1\r\n\r\n# Keyspace\r\n", info(master, "KEYSPACE", "cluster"));
        assertEquals("", info(master, "nosuch"));
        assertEquals("# Modules\r\n", info(master, "modules"));
    }

    @Test
    void serverSectionReportsThisNode() {
        Map<String, String> server = sections(info(master, "server")).get("Server");
        assertEquals("7.0.15", server.get("redis_version"));
        assertEquals("cluster", server.get("redis_mode"));
        assertEquals(Integer.toString(PORT), server.get("tcp_port"));
        assertEquals(master.runId(), server.get("run_id"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), server.get("process_id"));
        assertEquals("10", server.get("hz"));
        assertTrue(Long.parseLong(server.get("uptime_in_seconds")) >= 0);
    }

    @Test
    void keyspaceShowsDb0OnlyWhenItHoldsKeys() {
        master.call(() -> {
            master.keyspace().clear();
            return null;
        });
        assertEquals("# Keyspace\r\n", info(master, "keyspace"));
        master.call(() -> {
            master.keyspace().setKey("k1".getBytes(), dev.clusteremu.server.keyspace.StringValue.of("v".getBytes()), false);
            master.keyspace().setKey("k2".getBytes(), dev.clusteremu.server.keyspace.StringValue.of("v".getBytes()), false);
            return null;
        });
        try {
            assertEquals("# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n", info(master, "keyspace"));
        } finally {
            master.call(() -> {
                master.keyspace().clear();
                return null;
            });
        }
    }

    @Test
    void clusterToolsFindClusterEnabledAndClientCounts() throws InterruptedException {
        // Earlier tests' connections are closed by the node when it reads their close, maybe after this INFO
        // is answered: once it has, the connection asking is the only one counted.
        Map<String, Map<String, String>> got = sections(info(master));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!got.get("Clients").get("connected_clients").equals("1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            got = sections(info(master));
        }
        assertEquals("1", got.get("Cluster").get("cluster_enabled"));
        assertEquals("1", got.get("Clients").get("connected_clients"));
        assertEquals("10", got.get("Clients").get("cluster_connections")); // 2 links to each of 5 peers
        assertEquals("noeviction", got.get("Memory").get("maxmemory_policy"));
    }

    @Test
    void replicationOnAMasterShowsRoleMasterAndItsReplica() {
        Map<String, String> repl = sections(info(master, "replication")).get("Replication");
        assertEquals(REDIS_FIELDS.get("Replication"), List.copyOf(repl.keySet()));
        assertEquals("master", repl.get("role"));
        assertEquals("1", repl.get("connected_slaves"));
        assertTrue(repl.get("slave0").startsWith("ip=127.0.0.1,port=" + replica.port() + ",state=online,offset="),
                repl.get("slave0"));
        assertEquals("1", repl.get("repl_backlog_active"));
        assertEquals("1048576", repl.get("repl_backlog_size"));
    }

    @Test
    void replicationOnAReplicaShowsItsMasterAndAnUpLink() {
        Map<String, String> repl = sections(info(replica, "replication")).get("Replication");
        assertEquals(REPLICA_FIELDS, List.copyOf(repl.keySet()));
        assertEquals("slave", repl.get("role"));
        assertEquals("127.0.0.1", repl.get("master_host"));
        assertEquals(Integer.toString(master.port()), repl.get("master_port"));
        assertEquals("up", repl.get("master_link_status"));
        assertEquals("0", repl.get("master_sync_in_progress"));
        assertEquals("100", repl.get("slave_priority"));
        assertEquals("1", repl.get("slave_read_only"));
        Map<String, String> ofMaster = sections(info(master, "replication")).get("Replication");
        assertEquals(ofMaster.get("master_replid"), repl.get("master_replid"));
    }

    @Test
    void helloReportsTheReplicaRole() {
        try (RespClient c = new RespClient(replica.port())) {
            assertTrue(c.call("HELLO", "3").endsWith("$4\r\nrole\r\n$7\r\nreplica\r\n$7\r\nmodules\r\n*0\r\n"));
        }
        try (RespClient c = new RespClient(replica.port())) {
            assertEquals("*2\r\n$9\r\nreplicaof\r\n$14\r\n127.0.0.1 " + master.port() + "\r\n",
                    c.call("CONFIG", "GET", "replicaof"));
        }
    }

    @Test
    void infoIsVerbatimTextInResp3() {
        try (RespClient c = new RespClient(PORT)) {
            c.call("HELLO", "3");
            assertEquals("=34\r\ntxt:# Cluster\r\ncluster_enabled:1\r\n\r\n", c.call("INFO", "cluster"));
        }
    }
}
