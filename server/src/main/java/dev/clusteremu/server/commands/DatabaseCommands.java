package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;

/**
 * MOVE and SWAPDB (db.c): commands between databases. A cluster node has database 0 only, so both refuse
 * to run, after the usual checks: MOVE names a key, so it is redirected like any keyed command first;
 * SWAPDB writes, so a read-only replica refuses it first.
 */
public final class DatabaseCommands {
    private DatabaseCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("move", 3, "write fast").acl("keyspace").keys(1, 1, 1)
                .handler((c, argv) -> {
                    throw new CommandError("ERR MOVE is not allowed in cluster mode");
                }).build());
        table.add(command("swapdb", 3, "write fast").acl("keyspace dangerous")
                .handler((c, argv) -> {
                    throw new CommandError("ERR SWAPDB is not allowed in cluster mode");
                }).build());
    }
}
