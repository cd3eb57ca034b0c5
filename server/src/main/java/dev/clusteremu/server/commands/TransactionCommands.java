package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.AclUsers;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.multi.MultiState;
import dev.clusteremu.server.multi.WatchedKeys;
import dev.clusteremu.server.net.Client;

/**
 * Transactions (multi.c): MULTI, EXEC, DISCARD, WATCH and UNWATCH. Queueing itself is the command
 * processor's: between MULTI and EXEC it answers +QUEUED, and a command refused while queueing (unknown,
 * wrong arity, misrouted, over maxmemory...) dooms the transaction. In a cluster a transaction's keys must
 * all be in one slot served here, which the router checks again at EXEC for the whole queue.
 */
public final class TransactionCommands {
    private static final String FLAGS = "noscript loading stale fast allow_busy";

    private TransactionCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("multi", 1, FLAGS).acl("transaction").handler(TransactionCommands::multi).build());
        table.add(command("exec", 1, "noscript loading stale skip_slowlog").acl("transaction")
                .handler(TransactionCommands::exec).build());
        table.add(command("discard", 1, FLAGS).acl("transaction").handler(TransactionCommands::discard).build());
        table.add(command("watch", -2, FLAGS).acl("transaction").keys(1, -1, 1)
                .handler(TransactionCommands::watch).build());
        table.add(command("unwatch", 1, FLAGS).acl("transaction").handler((c, argv) -> {
            c.node().watchedKeys().unwatch(c);
            c.reply().ok();
        }).build());
    }

    private static void multi(Client c, byte[][] argv) {
        if (c.multi().isActive()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.multi().begin();
        c.reply().ok();
    }

    private static void discard(Client c, byte[][] argv) {
        if (!c.multi().isActive()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.node().watchedKeys().discard(c);
        c.reply().ok();
    }

    /** WATCH key...: not inside MULTI; pointless (but answered OK) once a watched key was touched. */
    private static void watch(Client c, byte[][] argv) {
        if (c.multi().isActive()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        if (!c.multi().isDirtyCas()) {
            for (int j = 1; j < argv.length; j++) {
                c.node().watchedKeys().watch(c, argv[j]);
            }
        }
        c.reply().ok();
    }

    /**
     * EXEC (execCommand): a transaction doomed by a queueing error answers EXECABORT; one whose watched key
     * was touched, or expired, since WATCH answers a null array; otherwise every queued command runs, in
     * order, with nothing in between, and the reply is the array of their replies. Permissions are checked
     * again, in case ACLs changed since the commands were queued. Blocking commands don't block inside.
     */
    private static void exec(Client c, byte[][] argv) {
        MultiState multi = c.multi();
        if (!multi.isActive()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        RedisNode node = c.node();
        WatchedKeys watched = node.watchedKeys();
        watched.flagIfWatchedKeyExpired(c);
        if (multi.isDirtyExec() || multi.isDirtyCas()) {
            if (multi.isDirtyExec()) {
                c.reply().error("EXECABORT Transaction discarded because of previous errors.");
            } else {
                c.reply().nullArray();
            }
            watched.discard(c);
            return;
        }
        // Unwatch at once: the transaction's own writes must not dirty it.
        watched.unwatchAll(c);
        List<MultiState.Queued> queued = List.copyOf(multi.commands());
        c.setDenyBlocking(true);
        try {
            c.reply().array(queued.size());
            for (MultiState.Queued q : queued) {
                AclUsers.Refusal refusal = c.user() == null ? null : AclUsers.refusal(c.user(), q.spec(), q.argv());
                if (refusal != null) {
                    node.acl().logRefusal(c, q.spec(), q.argv(), refusal);
                    c.reply().error("NOPERM ACLs rules changed between the moment the transaction was accumulated "
                            + "and the EXEC call. This command is no longer allowed for the following reason: "
                            + switch (refusal.denial()) {
                                case COMMAND -> "no permission to execute the command or subcommand";
                                case KEY -> "no permission to touch the specified keys";
                                case CHANNEL -> "no permission to access one of the channels used as arguments";
                            });
                } else {
                    node.processor().call(c, q.spec(), q.argv());
                }
            }
        } finally {
            c.setDenyBlocking(false);
            watched.discard(c);
        }
    }
}
