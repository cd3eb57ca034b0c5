package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.net.Client;

/**
 * The replication commands (replication.c): SYNC and PSYNC, by which a replica asks for the stream;
 * REPLCONF, by which it announces itself and acknowledges; WAIT, by which a client waits for replicas to
 * acknowledge its writes; and ROLE. The work is the node's replication's. REPLICAOF (SLAVEOF) and FAILOVER
 * exist but refuse to run: in cluster mode the cluster decides who replicates whom.
 */
public final class ReplicationCommands {
    private static final String SYNC_FLAGS = "no_async_loading admin no_multi noscript";

    private ReplicationCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("sync", 1, SYNC_FLAGS)
                .handler((c, argv) -> c.node().replication().sync(c, argv)).build());
        table.add(command("psync", -3, SYNC_FLAGS)
                .handler((c, argv) -> c.node().replication().sync(c, argv)).build());
        table.add(command("replconf", -1, "admin noscript loading stale allow_busy")
                .handler((c, argv) -> c.node().replication().replconf(c, argv)).build());
        table.add(command("wait", 3, "noscript").acl("connection")
                .tips("request_policy:all_shards response_policy:agg_min")
                .handler((c, argv) -> c.node().replication().waitCommand(c, argv)).build());
        table.add(command("role", 1, "noscript loading stale fast sentinel").acl("admin dangerous")
                .handler((c, argv) -> c.node().replication().role(c)).build());
        table.add(command("replicaof", 3, "admin noscript stale no_async_loading")
                .handler(ReplicationCommands::replicaof).build());
        table.add(command("slaveof", 3, "admin noscript stale no_async_loading")
                .handler(ReplicationCommands::replicaof).build());
        table.add(command("failover", -1, "admin noscript stale").handler((c, argv) -> {
            throw new CommandError("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
        }).build());
    }

    /** REPLICAOF host port: replication is configured from the master's address in the cluster config. */
    private static void replicaof(Client c, byte[][] argv) {
        throw new CommandError("ERR REPLICAOF not allowed in cluster mode.");
    }
}
