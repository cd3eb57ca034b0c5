package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.CommandTable;

/** Connection commands. */
public final class ConnectionCommands {
    private ConnectionCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("ping", -1, "fast").acl("connection").handler((c, argv) -> {
            if (argv.length == 1) {
                c.reply().simple("PONG");
            } else {
                c.reply().bulk(argv[1]);
            }
        }).build());
    }
}
