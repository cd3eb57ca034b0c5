package dev.clusteremu.server.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.AclUsers;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.multi.MultiState;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.persistence.DiskError;
import dev.clusteremu.server.replication.ReplicationStream;

/**
 * Runs one command the way Redis's processCommand and call() do: look it up, check its arity,
 * authentication, MULTI restrictions and ACL permissions, let the cluster router redirect it, evict keys or
 * refuse it for maxmemory, refuse writes on a read-only replica and most commands on a subscribed RESP2
 * connection, hold it back while clients are paused, then queue it (inside MULTI) or call its handler, log
 * it to the slow log and MONITOR, propagate what it changed, and serve the clients blocked on keys it
 * filled. Every refusal is Redis's own error text, and inside MULTI every refusal dooms the transaction
 * (EXEC then answers EXECABORT); a refused EXEC aborts it with the refusal's reason.
 *
 * <p>Our master's commands are obeyed (mustObeyClient): never redirected, refused or paused, since a
 * replica that skipped one would no longer hold its master's data.
 */
public final class CommandProcessor {
    /** The commands a subscribed RESP2 client may still send (processCommand's Pub/Sub context check). */
    private static final Set<String> ALLOWED_WHEN_SUBSCRIBED = Set.of("ping", "subscribe", "ssubscribe",
            "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");
    private static final String NOAUTH = "NOAUTH Authentication required.";
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    /** shared.noreplicaserr: a write refused under min-replicas-to-write, by a command or inside a script. */
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
    /** Commands (full names) that run at once inside MULTI instead of being queued (processCommand's list). */
    private static final Set<String> RUN_IN_MULTI = Set.of("exec", "discard", "multi", "watch", "quit", "reset");
    /** What a client in MULTI may still send when out of memory: the commands that end the transaction. */
    private static final Set<String> ALLOWED_OOM_IN_MULTI = Set.of("exec", "discard", "quit", "reset");
    /** The read-only script commands, whose keys are tracked through the commands the script runs. */
    private static final Set<String> SCRIPTS = Set.of("eval_ro", "evalsha_ro", "fcall_ro");
    /** processCommand logs a replica applying writes it can't persist at most once in this many ms. */
    private static final long DISK_ERROR_LOG_INTERVAL_MS = 10_000;

    private final RedisNode node;
    private final CommandTable table;
    private final Router router;
    /** server.in_nested_call: how many call()s are running (EXEC runs its commands through call() too). */
    private int callDepth;
    /** server.mstime as call() updates it: when the outermost running command started, Unix ms. */
    private long callStartMillis;
    /** incrCommandStatsOnError's prev_err_count: total error replies when the latest call started or ended. */
    private long errorsSeen;
    /** When a replica last logged applying a write it can't persist (Unix ms). */
    private long lastDiskErrorLogMs;

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
                client.multi().flagError();
                client.reply().error(unknownCommandError(argv));
                return;
            }
            client.touch(node.now(), spec.fullName());
            processCommand(client, spec, argv);
            // Clients blocked on keys this command (or transaction, or script) made ready are served now,
            // before anything else runs, as processCommand does after call().
            // A busy script's writes are served once it ends, as one atomic unit.
            if (previous == null && !node.scripting().isBusy() && node.blockedClients().hasReadyKeys()) {
                node.blockedClients().handleClientsBlockedOnKeys();
            }
        } finally {
            node.setCurrentClient(previous);
            // A postponed command runs again later as if it had not been seen: its client is not reset.
            if (client.blockedOn() != BlockType.POSTPONE) {
                resetClient(client, spec);
            }
        }
    }

    /** The command table. */
    public CommandTable table() {
        return table;
    }

    /**
     * Where {@code argv} would be served (getNodeByQuery) for {@code client}: null for here, else the
     * redirection or cluster-down error. Scripts check each command they call with it.
     */
    public String redirect(Client client, CommandSpec spec, byte[][] argv) {
        return router.redirect(client, spec, argv, spec.flagsFor(client, argv).contains(CommandFlag.WRITE));
    }

    /**
     * A command a script called was refused before it ran, its error already counted
     * (incrCommandStatsOnError(cmd, ERROR_COMMAND_REJECTED)): a rejected call of {@code spec} (null for an
     * unknown command), and an error the script's own command must not count as its failure again.
     */
    public void rejectedInScript(CommandSpec spec) {
        if (spec != null) {
            node.stats().commandRejected(spec.fullName());
        }
        errorsSeen = node.stats().totalErrorReplies();
    }

    /**
     * When the outermost running command started (Unix ms), while {@link #isInCall}: the time keys expire
     * by meanwhile (fixed_time_expire), so a command that looks a key up twice sees it the same both times.
     */
    public long callStartMillis() {
        return callStartMillis;
    }

    /** Whether a command is running (call() nesting, fixed_time_expire): tracking defers self-invalidations. */
    public boolean isInCall() {
        return callDepth > 0;
    }

    /** processCommand's checks, in Redis's order, then queueing or call(). */
    private void processCommand(Client client, CommandSpec spec, byte[][] argv) {
        if (!spec.arityAccepts(argv.length)) {
            reject(client, spec, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
            return;
        }
        MultiState multi = client.multi();
        boolean exec = isExec(spec);
        // A script's declared flags stand in for EVAL's and FCALL's own (getCommandFlags).
        Set<CommandFlag> flags = spec.flagsFor(client, argv);
        // EXEC stands for its queued commands: it writes if one of them does, and so on.
        boolean write = flags.contains(CommandFlag.WRITE) || exec && multi.anyHas(CommandFlag.WRITE);
        boolean read = flags.contains(CommandFlag.READONLY) || exec && multi.anyHas(CommandFlag.READONLY);
        boolean denyOom = flags.contains(CommandFlag.DENYOOM) || exec && multi.anyHas(CommandFlag.DENYOOM);
        boolean denyStale = !flags.contains(CommandFlag.STALE) || exec && multi.someLack(CommandFlag.STALE);
        boolean mayReplicate = write || flags.contains(CommandFlag.MAY_REPLICATE)
                || exec && multi.anyHas(CommandFlag.MAY_REPLICATE);
        boolean obey = client.isMaster();

        if (node.acl().authRequired(client.isAuthenticated()) && !spec.has(CommandFlag.NO_AUTH)) {
            reject(client, spec, NOAUTH);
            return;
        }
        if (multi.isActive() && spec.has(CommandFlag.NO_MULTI)) {
            reject(client, spec, "ERR Command not allowed inside a transaction");
            return;
        }
        if (client.user() != null) {
            AclUsers.Refusal refusal = AclUsers.refusal(client.user(), spec, argv);
            if (refusal != null) {
                node.acl().logRefusal(client, spec, argv, refusal);
                reject(client, spec, switch (refusal.denial()) {
                    case COMMAND -> "NOPERM this user has no permissions to run the '" + spec.fullName() + "' command";
                    case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
                    case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as "
                            + "arguments";
                });
                return;
            }
        }
        if (!obey && (spec.hasKeys() || exec)) {
            String redirect = exec ? router.redirectTransaction(client, spec)
                    : router.redirect(client, spec, argv, flags.contains(CommandFlag.WRITE));
            if (redirect != null) {
                // A misrouted transaction is discarded whole; a misrouted command dooms the one being queued.
                if (exec) {
                    node.watchedKeys().discard(client);
                } else {
                    multi.flagError();
                }
                node.stats().commandRejected(spec.fullName());
                client.reply().error(redirect);
                return;
            }
        }
        if (node.config().maxMemory != 0) {
            boolean outOfMemory = !node.maxMemory().performEvictions();
            // Queueing takes memory too: inside MULTI only the commands that end it get through.
            boolean refused = denyOom || multi.isActive() && !ALLOWED_OOM_IN_MULTI.contains(spec.fullName());
            if (outOfMemory && refused) {
                reject(client, spec, OOM);
                return;
            }
        }
        // A node that can't persist refuses writes (and PING, which monitoring uses to notice) until it can;
        // our master's writes are applied anyway only with replica-ignore-disk-write-errors yes.
        boolean ping = spec.parent() == null && spec.name().equals("ping");
        DiskError diskError = write || ping ? DiskError.deniedWrites(node) : null;
        if (diskError != null) {
            if (!obey) {
                reject(client, spec, diskError.error(node));
                return;
            }
            if (!ping && !(Boolean) ConfigTable.valueOf(node, "replica-ignore-disk-write-errors")) {
                // serverPanic: redis-server dies here rather than diverge from its master unnoticed.
                node.log().warning("Guru Meditation: Replica was unable to write command to disk.");
                node.shutdown();
                return;
            }
            if (node.now() > lastDiskErrorLogMs + DISK_ERROR_LOG_INTERVAL_MS) {
                lastDiskErrorLogMs = node.now();
                node.log().warning("Replica is applying a command even though it is unable to write to disk.");
            }
        }
        // min-replicas-to-write: a master without enough replicas acknowledging lately takes no writes.
        if (write && !node.replication().goodReplicasSuffice()) {
            reject(client, spec, NOREPLICAS);
            return;
        }
        // A replica's data is its master's: only the master changes it. (Keyed writes were already
        // redirected to the master above, as in Redis; this catches keyless ones such as FLUSHALL.)
        if (node.replication().isReplica() && node.config().replicaReadOnly && !obey && write) {
            reject(client, spec, "READONLY You can't write against a read only replica.");
            return;
        }
        // A subscribed RESP2 connection reads only (un)subscribe confirmations and messages, all arrays:
        // the reply of any other command could not be told apart from them.
        if (client.isSubscribed() && client.protocol() == 2 && !ALLOWED_WHEN_SUBSCRIBED.contains(spec.fullName())) {
            reject(client, spec, "ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        // A replica cut off from its master serves its possibly stale data unless told not to.
        if (node.replication().isReplica() && !node.replication().isLinkUp() && denyStale
                && !(Boolean) ConfigTable.valueOf(node, "replica-serve-stale-data")) {
            reject(client, spec, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            return;
        }
        // While a script runs past busy-reply-threshold only allow-busy commands run (SCRIPT KILL, ...);
        // our master's stream waits for the script's end, as Redis stops reading it meanwhile.
        if (node.scripting().isBusy() && !spec.has(CommandFlag.ALLOW_BUSY)) {
            if (obey) {
                postpone(client, argv);
            } else {
                reject(client, spec, node.scripting().busyError());
            }
            return;
        }
        // A replica's (or a monitor's) connection is not for the keyspace: using it would also let it slip
        // past a client pause, from which replicas are exempt.
        boolean replicaLike = client.isReplica() || client.isMonitor();
        if (replicaLike && (mayReplicate || read)) {
            reject(client, spec, "ERR Replica can't interact with the keyspace");
            return;
        }
        if (!replicaLike && !obey && node.clientPause().postpones(mayReplicate)) {
            postpone(client, argv);
            return;
        }
        if (multi.isActive() && !RUN_IN_MULTI.contains(spec.fullName())) {
            multi.queue(spec, argv);
            client.reply().simple("QUEUED");
        } else {
            call(client, spec, argv);
        }
    }

    private static boolean isExec(CommandSpec spec) {
        return spec.parent() == null && spec.name().equals("exec");
    }

    /**
     * resetClient, after a command that did not block: ASKING and CLIENT CACHING cover exactly the next
     * command (the whole transaction, inside MULTI) unless it was ASKING or CLIENT itself; a CLIENT REPLY
     * SKIP just run silences the next reply.
     */
    private void resetClient(Client client, CommandSpec spec) {
        boolean inMulti = client.multi().isActive();
        if (!inMulti && (spec == null || !spec.fullName().equals("asking"))) {
            client.setAsking(false);
        }
        boolean clientCommand = spec != null && spec.parent() != null && spec.parent().name().equals("client");
        if (!inMulti && !clientCommand && client.tracking() != null) {
            client.tracking().setCaching(false);
        }
        client.afterCommandReplyMode();
    }

    /**
     * Holds a command back while clients are paused (blockClient with BLOCKED_POSTPONE): it goes back in
     * front of the client's queue and runs again, checked anew, when the pause ends.
     */
    private void postpone(Client client, byte[][] argv) {
        client.requeueFirst(argv);
        node.blockedClients().block(client, BlockType.POSTPONE, 0, null);
    }

    /**
     * Refuses a command before it runs (rejectCommand): its error, counted as a rejected call, dooming the
     * transaction being queued. A refused EXEC aborts the transaction with the reason (execCommandAbort).
     */
    private void reject(Client client, CommandSpec spec, String error) {
        client.multi().flagError();
        node.stats().commandRejected(spec.fullName());
        if (isExec(spec)) {
            node.watchedKeys().discard(client);
            // Redis formats these reasons without the ERR code its error replies add.
            String reason = error.startsWith("ERR ") ? error.substring(4) : error;
            client.reply().error("EXECABORT Transaction discarded because of: " + reason);
            // MONITOR saw MULTI; this EXEC tells it the transaction is over.
            node.monitors().feed(client, new byte[][] {"EXEC".getBytes(StandardCharsets.US_ASCII)}, node.nowMicros());
        } else {
            client.reply().error(error);
        }
    }

    /**
     * Runs the handler (call()), for a command or for each command of a transaction: counts the call and
     * its time, and a failure if it answered an error; logs it to the slow log and shows it to MONITOR
     * (unless it is an admin command); queues what it changed for the replication stream, as it ran or as
     * it rewrote itself, after whatever it queued itself (DELs of keys it found expired), EXEC aside: its
     * commands propagate themselves, wrapped in MULTI/EXEC when there are several. A tracking client's read
     * keys are remembered. The outermost call sends the queue and the client's own invalidations; the
     * client then remembers the offset its command reached, for WAIT.
     */
    public void call(Client client, CommandSpec spec, byte[][] argv) {
        call(client, spec, argv, true);
    }

    /**
     * call() as above, with CMD_CALL_PROPAGATE_REPL given by {@code propagate}: a script's command after
     * redis.set_repl(redis.REPL_NONE) changes the dataset without reaching the replicas.
     */
    public void call(Client client, CommandSpec spec, byte[][] argv, boolean propagate) {
        ReplicationStream stream = node.replication().stream();
        long dirtyBefore = node.keyspace().dirty();
        errorsSeen = node.stats().totalErrorReplies();
        client.resetPropagation();
        client.beginCall(argv);
        stream.enterCall();
        if (callDepth == 0) {
            callStartMillis = node.now();
        }
        callDepth++;
        long start = System.nanoTime();
        try {
            try {
                spec.handler().execute(client, argv);
            } catch (CommandError e) {
                client.reply().error(e.reply());
            }
            long micros = (System.nanoTime() - start) / 1000;
            if (node.stats().totalErrorReplies() > errorsSeen) {
                node.stats().commandFailed(spec.fullName());
            }
            errorsSeen = node.stats().totalErrorReplies();
            byte[][] logged = client.loggedArgv(argv);
            if (!client.isBlocked() && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
                node.slowLog().pushIfNeeded(client, logged, micros, node.now() / 1000,
                        node.config().slowlogLogSlowerThan, node.config().slowlogMaxLen);
            }
            if (!spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
                node.monitors().feed(client, logged, node.nowMicros());
            }
            node.stats().commandCalled(spec.fullName(), micros);
            // A blocked command's latency is known when it is served or unblocked (updateStatsOnUnblock).
            if (client.isBlocked()) {
                node.blockedClients().callBlocked(client, micros, logged);
            } else if (node.config().latencyTracking) {
                node.stats().latencyRecorded(spec.fullName(), micros);
            }
            node.latency().addSampleIfNeeded(spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000,
                    node.config().latencyMonitorThreshold, node.now() / 1000);
            if (propagate && !isExec(spec)
                    && (node.keyspace().dirty() != dirtyBefore || client.isPropagationForced())
                    && !client.isPropagationPrevented()) {
                stream.alsoPropagate(client.propagatedArgv(argv));
            }
            // Read-only scripts remember their declared keys only when a command they run reads.
            if (spec.has(CommandFlag.READONLY) && client.tracking() != null && !client.tracking().isBcast()
                    && spec.hasKeys() && !SCRIPTS.contains(spec.fullName())) {
                node.tracking().rememberKeys(client, argv, spec.keyPositions(argv));
            }
        } finally {
            callDepth--;
            stream.exitCall(spec.name());
        }
        // The peak is recorded after each command, before the next one may evict (call()).
        node.stats().memoryPeak(node.maxMemory().usedMemory());
        if (callDepth == 0) {
            node.tracking().sendPendingForCurrent();
        }
        client.setWriteOffset(node.replication().masterReplOffset());
        node.stats().commandProcessed();
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
