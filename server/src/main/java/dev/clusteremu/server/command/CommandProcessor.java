package dev.clusteremu.server.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.replication.ReplicationStream;

/**
 * Runs one command the way Redis's processCommand does: look it up, check its arity, let the cluster
 * router redirect it, refuse writes on a read-only replica and most commands on a subscribed RESP2
 * connection, hold it back while clients are paused, then call its handler and propagate what it changed.
 * Every refusal is Redis's own error text.
 *
 * <p>Our master's commands are obeyed (mustObeyClient): never redirected, refused or paused, since a
 * replica that skipped one would no longer hold its master's data.
 */
public final class CommandProcessor {
    /** The commands a subscribed RESP2 client may still send (processCommand's Pub/Sub context check). */
    private static final Set<String> ALLOWED_WHEN_SUBSCRIBED = Set.of("ping", "subscribe", "ssubscribe",
            "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    private final RedisNode node;
    private final CommandTable table;
    private final Router router;

    public CommandProcessor(RedisNode node, CommandTable table) {
        this.node = node;
        this.table = table;
        this.router = new Router(node);
    }

    /** Processes one command of {@code client} (processCommandAndResetClient). */
    public void process(Client client, byte[][] argv) {
        CommandSpec spec = table.lookup(argv);
        Client previous = node.currentClient();
        node.setCurrentClient(client);
        try {
            if (spec == null) {
                client.reply().error(unknownCommandError(argv));
                return;
            }
            client.touch(node.now(), spec.fullName());
            if (!spec.arityAccepts(argv.length)) {
                reject(client, spec, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
                return;
            }
            boolean obey = client.isMaster();
            if (spec.hasKeys() && !obey) {
                String redirect = router.redirect(client, spec, argv);
                if (redirect != null) {
                    reject(client, spec, redirect);
                    return;
                }
            }
            boolean mayReplicate = spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
            // A replica's data is its master's: only the master changes it. (Keyed writes were already
            // redirected to the master above, as in Redis; this catches keyless ones such as FLUSHALL.)
            if (node.replication().isReplica() && node.config().replicaReadOnly && !obey
                    && spec.has(CommandFlag.WRITE)) {
                reject(client, spec, "READONLY You can't write against a read only replica.");
                return;
            }
            // A subscribed RESP2 connection reads only (un)subscribe confirmations and messages, all arrays:
            // the reply of any other command could not be told apart from them.
            if (client.isSubscribed() && client.protocol() == 2
                    && !ALLOWED_WHEN_SUBSCRIBED.contains(spec.name())) {
                reject(client, spec, "ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / "
                        + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return;
            }
            // A replica cut off from its master serves its possibly stale data unless told not to.
            if (node.replication().isReplica() && !node.replication().isLinkUp() && !spec.has(CommandFlag.STALE)
                    && !(Boolean) ConfigTable.valueOf(node, "replica-serve-stale-data")) {
                reject(client, spec, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
                return;
            }
            // A replica's connection is for the stream: it must not read or write keys, which would also
            // let it slip past a client pause, from which replicas are exempt.
            if (client.isReplica() && (mayReplicate || spec.has(CommandFlag.READONLY))) {
                reject(client, spec, "ERR Replica can't interact with the keyspace");
                return;
            }
            if (!client.isReplica() && !obey && node.clientPause().postpones(mayReplicate)) {
                postpone(client, argv);
                return;
            }
            call(client, spec, argv);
            // Clients blocked on keys this command (or transaction, or script) filled are served now,
            // before anything else runs, as processCommand does after call().
            if (previous == null && node.blockedClients().hasReadyKeys()) {
                node.blockedClients().handleClientsBlockedOnKeys();
            }
            node.streamBlocking().serveReadyKeys();
        } finally {
            node.setCurrentClient(previous);
            // ASKING covers exactly the next command (resetClient), unless that command is ASKING itself;
            // a postponed command keeps it for when it runs.
            if ((spec == null || !spec.name().equals("asking")) && client.blockedOn() != BlockType.POSTPONE) {
                client.setAsking(false);
            }
        }
    }

    /**
     * Holds a command back while clients are paused (blockClient with BLOCKED_POSTPONE): it goes back in
     * front of the client's queue and runs again, checked anew, when the pause ends.
     */
    private void postpone(Client client, byte[][] argv) {
        client.requeueFirst(argv);
        node.blockedClients().block(client, BlockType.POSTPONE, 0, null);
    }

    /** Refuses a command before it runs (rejectCommand): its error, counted as a rejected call. */
    private void reject(Client client, CommandSpec spec, String error) {
        node.stats().commandRejected(spec.fullName());
        client.reply().error(error);
    }

    /**
     * Runs the handler (call()): counts the call and its time, and a failure if it answered an error. A
     * command that changed the dataset, or asked to be propagated, is queued for the replication stream as
     * it ran or as it rewrote itself, after whatever it queued itself (DELs of keys it found expired); the
     * outermost call sends the queue. The client then remembers the offset its command reached, for WAIT.
     */
    private void call(Client client, CommandSpec spec, byte[][] argv) {
        ReplicationStream stream = node.replication().stream();
        long errorsBefore = client.errorsReplied();
        long dirtyBefore = node.keyspace().dirty();
        client.resetPropagation();
        stream.enterCall();
        long start = System.nanoTime();
        try {
            try {
                spec.handler().execute(client, argv);
            } catch (CommandError e) {
                client.reply().error(e.reply());
            }
            if ((node.keyspace().dirty() != dirtyBefore || client.isPropagationForced())
                    && !client.isPropagationPrevented()) {
                stream.alsoPropagate(client.propagatedArgv(argv));
            }
        } finally {
            stream.exitCall(spec.name());
        }
        client.setWriteOffset(node.replication().masterReplOffset());
        node.stats().commandProcessed();
        node.stats().commandCalled(spec.fullName(), (System.nanoTime() - start) / 1000);
        if (client.errorsReplied() > errorsBefore) {
            node.stats().commandFailed(spec.fullName());
        }
    }

    /**
     * Redis's reply to an unknown command or subcommand (commandCheckExistence): for a container,
     * "unknown subcommand 'x'. Try CLUSTER HELP."; otherwise the name and up to 128 bytes of arguments.
     */
    private byte[] unknownCommandError(byte[][] argv) {
        CommandSpec base = table.get(new String(argv[0], StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (base != null && base.isContainer()) {
            write(out, "ERR unknown subcommand '");
            out.write(argv[1], 0, cString(argv[1], 128));
            write(out, "'. Try " + base.name().toUpperCase(Locale.ROOT) + " HELP.");
        } else {
            write(out, "ERR unknown command '");
            out.write(argv[0], 0, cString(argv[0], 128));
            write(out, "', with args beginning with: ");
            int argsLen = 0;
            for (int i = 1; i < argv.length && argsLen < 128; i++) {
                int take = cString(argv[i], 128 - argsLen);
                out.write('\'');
                out.write(argv[i], 0, take);
                write(out, "' ");
                argsLen += take + 3;
            }
        }
        return out.toByteArray();
    }

    /**
     * How many bytes of {@code arg} C's "%.*s" prints with precision {@code max}: it stops at the first NUL,
     * which Redis's error formatting inherits.
     */
    private static int cString(byte[] arg, int max) {
        int n = 0;
        while (n < arg.length && n < max && arg[n] != 0) {
            n++;
        }
        return n;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
