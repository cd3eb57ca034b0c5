package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.CommandTable;

/**
 * The replication commands (replication.c): SYNC and PSYNC, by which a replica asks for the stream;
 * REPLCONF, by which it announces itself and acknowledges; WAIT, by which a client waits for replicas to
 * acknowledge its writes; and ROLE. The work is the node's replication's.
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
    }
}
