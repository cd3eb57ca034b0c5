package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.persistence.RdbFile;

/** SAVE and BGSAVE (rdb.c): the dataset to the node's dump file (see {@link RdbFile}). */
public final class PersistenceCommands {
    private static final String IN_PROGRESS = "ERR Background save already in progress";

    private PersistenceCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("save", 1, "admin noscript no_async_loading no_multi")
                .handler(PersistenceCommands::save).build());
        table.add(command("bgsave", -1, "admin noscript no_async_loading")
                .handler(PersistenceCommands::bgsave).build());
    }

    /** SAVE: writes the dump file before answering; -ERR if it could not (the log says why). */
    private static void save(Client c, byte[][] argv) {
        RdbFile rdb = c.node().rdb();
        if (rdb.isBgsaveInProgress()) {
            throw new CommandError(IN_PROGRESS);
        }
        if (!rdb.save()) {
            throw new CommandError("ERR");
        }
        c.reply().ok();
    }

    /**
     * BGSAVE [SCHEDULE]: starts writing the dump file and answers at once. Inside a transaction the save is
     * only scheduled, as Redis never forks from within EXEC; it starts right after.
     */
    private static void bgsave(Client c, byte[][] argv) {
        if (argv.length > 2 || argv.length == 2 && !Args.is(argv[1], "schedule")) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        RdbFile rdb = c.node().rdb();
        if (rdb.isBgsaveInProgress()) {
            throw new CommandError(IN_PROGRESS);
        }
        if (c.multi().isActive()) {
            c.node().loop().execute(() -> {
                if (!rdb.isBgsaveInProgress()) {
                    rdb.saveInBackground();
                }
            });
            c.reply().simple("Background saving scheduled");
            return;
        }
        rdb.saveInBackground();
        c.reply().simple("Background saving started");
    }
}
