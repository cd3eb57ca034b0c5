package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.CommandTable;

/** String commands. */
public final class StringCommands {
    private StringCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("get", 2, "readonly fast").acl("string").keys(1, 1, 1).handler((c, argv) -> {
            Object v = c.node().keyspace().get(argv[1]);
            if (v == null) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk((byte[]) v);
            }
        }).build());
        table.add(command("set", -3, "write denyoom").acl("string").keys(1, 1, 1).handler((c, argv) -> {
            c.node().keyspace().set(argv[1], argv[2]);
            c.reply().ok();
        }).build());
    }
}
