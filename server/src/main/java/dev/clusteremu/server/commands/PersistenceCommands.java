package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.persistence.AofRewrite;
import dev.clusteremu.server.persistence.RdbFile;

/**
 * SAVE and BGSAVE (rdb.c): the dataset to the node's dump file (see {@link RdbFile}); BGREWRITEAOF
 * (aof.c): the dataset to a new base of the append only directory (see {@link AofRewrite}). A BGSAVE and
 * an AOF rewrite never run together, as Redis never has two children: the second waits, scheduled, or is
 * refused.
 */
public final class PersistenceCommands {
    private static final String IN_PROGRESS = "ERR Background save already in progress";

    private PersistenceCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("save", 1, "admin noscript no_async_loading no_multi")
                .handler(PersistenceCommands::save).build());
        table.add(command("bgsave", -1, "admin noscript no_async_loading")
                .handler(PersistenceCommands::bgsave).build());
        table.add(command("bgrewriteaof", 1, "admin noscript no_async_loading")
                .handler(PersistenceCommands::bgrewriteaof).build());
    }

    /** SAVE: writes the dump file before answering; -ERR if it could not (the log says why). */
    private static void save(Client c, byte[][] argv) {
        RdbFile rdb = c.node().rdb();
        if (rdb.isBgsaveInProgress()) {
            throw new CommandError(IN_PROGRESS);
        }
        if (!rdb.saveCommand()) {
            throw new CommandError("ERR");
        }
        c.reply().ok();
    }

    /**
     * BGSAVE [SCHEDULE]: starts writing the dump file and answers at once. Inside a transaction the save is
     * only scheduled, as Redis never forks from within EXEC; it starts right after. While an AOF rewrite
     * runs it is refused, or with SCHEDULE (or inside a transaction) starts once the rewrite is over.
     */
    private static void bgsave(Client c, byte[][] argv) {
        if (argv.length > 2 || argv.length == 2 && !Args.is(argv[1], "schedule")) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        RdbFile rdb = c.node().rdb();
        AofRewrite aof = c.node().aof();
        if (rdb.isBgsaveInProgress()) {
            throw new CommandError(IN_PROGRESS);
        }
        Runnable scheduledSave = () -> {
            if (!rdb.isBgsaveInProgress() && !aof.isInProgress()) {
                rdb.saveInBackground();
            }
        };
        if (aof.isInProgress()) {
            if (argv.length == 1 && !c.multi().isActive()) {
                throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. Use "
                        + "BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            aof.afterRewrite(scheduledSave);
            c.reply().simple("Background saving scheduled");
            return;
        }
        if (c.multi().isActive()) {
            c.node().loop().execute(scheduledSave);
            c.reply().simple("Background saving scheduled");
            return;
        }
        rdb.saveInBackground();
        c.reply().simple("Background saving started");
    }

    /**
     * BGREWRITEAOF: starts rewriting the append only directory's base and answers at once; refused while a
     * rewrite runs; scheduled while a BGSAVE runs or inside a transaction; an error when the directory
     * can't be created.
     */
    private static void bgrewriteaof(Client c, byte[][] argv) {
        AofRewrite aof = c.node().aof();
        if (aof.isInProgress()) {
            throw new CommandError("ERR Background append only file rewriting already in progress");
        }
        if (c.node().rdb().isBgsaveInProgress() || c.multi().isActive()) {
            aof.schedule();
            c.reply().simple("Background append only file rewriting scheduled");
            return;
        }
        if (!aof.start()) {
            throw new CommandError("ERR Can't execute an AOF background rewriting. Please check the server logs for "
                    + "more information.");
        }
        c.reply().simple("Background append only file rewriting started");
    }
}
