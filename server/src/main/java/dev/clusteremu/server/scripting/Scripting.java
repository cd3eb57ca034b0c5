package dev.clusteremu.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandProcessor;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.persistence.DiskError;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;
import dev.clusteremu.server.scripting.lua.LuaClosure;
import dev.clusteremu.server.scripting.lua.LuaError;
import dev.clusteremu.server.scripting.lua.LuaExecutors;
import dev.clusteremu.server.scripting.lua.LuaFunction;
import dev.clusteremu.server.scripting.lua.LuaString;
import dev.clusteremu.server.scripting.lua.LuaTable;
import dev.clusteremu.server.scripting.lua.LuaValues;
import dev.clusteremu.server.scripting.lua.Rand48;

/**
 * A node's scripting (eval.c, script.c, functions.c): the EVAL script cache and its interpreter, the
 * function libraries and theirs, and the script or function running now — whose lifecycle, from the
 * checks before it starts (scriptPrepareForRun) to its reply and cleanup (scriptResetRun), including the
 * busy state past busy-reply-threshold, is here.
 */
public final class Scripting {
    /** shared.slowevalerr. */
    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    /** shared.slowscripterr. */
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    /** The Lua stack slots in use when a script's return value is converted (the error handler and the value). */
    private static final int STACK_AT_RETURN = 2;

    /** A cached EVAL script (luaScript): its body, its shebang flags and its compiled function. */
    private record EvalScript(byte[] body, ScriptFlag.Shebang shebang, LuaClosure function) {
    }

    private final RedisNode node;
    /** math.random's generator, one per node as Redis has one per process. */
    private final Rand48 random = new Rand48();
    private final Client evalClient;
    /** The EVAL interpreter, made on first use (see {@link #evalEngine()}); null until then. */
    private LuaEngine evalEngine;
    private final Map<String, EvalScript> scripts = new LinkedHashMap<>();
    private final Functions functions;
    /** curr_run_ctx: the script or function running, or null. */
    private ScriptRun running;

    /**
     * Creates the node's script clients at start, as scriptingInit and functionsInit do: those two clients
     * take the first two client ids, so the first connection gets id 3, as on Redis. The interpreters
     * themselves are made when first needed: a fresh Lua state is indistinguishable from one made at
     * start, and most nodes never run a script, so six nodes start faster without twelve of them.
     */
    public Scripting(RedisNode node) {
        this.node = node;
        this.evalClient = node.clients().createScriptClient();
        Client functionClient = node.clients().createScriptClient();
        this.functions = new Functions(this, () -> new LuaEngine(LuaEngine.Kind.FUNCTION, this, functionClient, random));
    }

    private LuaEngine evalEngine() {
        if (evalEngine == null) {
            evalEngine = new LuaEngine(LuaEngine.Kind.EVAL, this, evalClient, random);
        }
        return evalEngine;
    }

    RedisNode node() {
        return node;
    }

    /** The function libraries. */
    public Functions functions() {
        return functions;
    }

    /** The number of scripts in the EVAL cache (INFO number_of_cached_scripts). */
    public int cachedScripts() {
        return scripts.size();
    }

    void log(int level, String message) {
        node.log().log(level, message);
    }

    // ------------------------------------------------------------------------------------------------
    // Busy state
    // ------------------------------------------------------------------------------------------------

    /**
     * Whether a script has run past busy-reply-threshold and is still running (isInsideYieldingLongCommand):
     * clients then get BUSY for every command not flagged allow-busy.
     */
    public boolean isBusy() {
        return running != null && running.timedOut;
    }

    /**
     * scriptTimeSnapshot: when the running script or function started (Unix ms), by which keys expire while
     * it runs, so it sees a key either present or gone throughout; -1 when none runs.
     */
    public long timeSnapshot() {
        return running == null ? -1 : running.snapshotTime;
    }

    /** The BUSY error for the running script: it names SCRIPT KILL for EVAL, FUNCTION KILL for a function. */
    public String busyError() {
        return running != null && !running.evalMode ? BUSY_FUNCTION : BUSY_EVAL;
    }

    /** The node is stopping (SHUTDOWN NOSAVE during a busy script): the script stops at its next tick. */
    public void shutdown() {
        if (running != null) {
            running.killed = true;
        }
    }

    /** scriptKill: SCRIPT KILL ({@code eval}) or FUNCTION KILL. */
    public void kill(Client c, boolean eval) {
        ScriptRun run = running;
        if (run == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (run.caller.isMaster()) {
            throw new CommandError("UNKILLABLE The busy script was sent by a master instance in the context of "
                    + "replication and cannot be killed.");
        }
        if (run.writeDirty) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the "
                    + "dataset. You can either wait the script termination or kill the server in a hard way using "
                    + "the SHUTDOWN NOSAVE command.");
        }
        if (eval && !run.evalMode) {
            throw new CommandError(BUSY_FUNCTION);
        }
        if (!eval && run.evalMode) {
            throw new CommandError(BUSY_EVAL);
        }
        run.killed = true;
        c.reply().ok();
    }

    /** FUNCTION STATS' running_script entry: null, or the function's name, command and duration. */
    void writeRunningScript(RespWriter r) {
        ScriptRun run = running;
        if (run == null) {
            r.nullBulk();
            return;
        }
        if (run.evalMode) {
            throw new CommandError(BUSY_EVAL);
        }
        r.map(3);
        r.bulk("name");
        r.bulk(run.funcname);
        r.bulk("command");
        r.array(run.callerArgv.length);
        for (byte[] arg : run.callerArgv) {
            r.bulk(arg);
        }
        r.bulk("duration_ms");
        r.integer(run.elapsedMillis());
    }

    /** Whether FUNCTION STATS must refuse: an EVAL script is running. */
    boolean evalRunning() {
        return running != null && running.evalMode;
    }

    // ------------------------------------------------------------------------------------------------
    // EVAL and the script cache
    // ------------------------------------------------------------------------------------------------

    /** EVAL, EVALSHA, EVAL_RO and EVALSHA_RO (evalGenericCommand). */
    public void eval(Client c, byte[][] argv, CommandSpec spec, boolean evalsha, boolean ro) {
        // EVAL is skip_monitor: it shows itself to MONITOR before the commands it runs.
        node.monitors().feed(c, argv, node.nowMicros());
        if (evalsha && argv[1].length != 40) {
            throw new CommandError(NOSCRIPT);
        }
        int numkeys = numkeys(argv, "ERR value is not an integer or out of range");
        String sha = evalsha ? new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                : LuaEngine.sha1hex(argv[1]);
        EvalScript script = scripts.get(sha);
        if (script == null) {
            if (evalsha) {
                throw new CommandError(NOSCRIPT);
            }
            script = createScript(argv[1], sha);
        }
        ScriptRun run = prepare(c, argv, spec, evalEngine(), sha, true, script.shebang().flags(),
                script.shebang().compat(), ro, numkeys);
        if (run != null) {
            start(run, script.function(), numkeys);
        }
    }

    /** The key count of EVAL or FCALL: an integer no larger than the arguments after it, not negative. */
    static int numkeys(byte[][] argv, String notANumber) {
        long numkeys;
        if (!RedisNumbers.isLong(argv[2])) {
            throw new CommandError(notANumber);
        }
        numkeys = RedisNumbers.parseLong(argv[2]);
        if (numkeys > argv.length - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        return (int) numkeys;
    }

    /**
     * luaCreateFunction: the script's shebang checked, its code compiled as "@user_script" (the shebang
     * line cut, its newline kept so line numbers hold), and the script cached under its SHA1.
     */
    private EvalScript createScript(byte[] body, String sha) {
        ScriptFlag.Shebang shebang;
        try {
            shebang = ScriptFlag.parseEval(body);
        } catch (ScriptFlag.ShebangError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        LuaClosure fn;
        try {
            fn = evalEngine().compile(java.util.Arrays.copyOfRange(body, shebang.shebangLength(), body.length),
                    "@user_script");
        } catch (LuaError e) {
            throw new CommandError("ERR Error compiling script (new function): " + e.getMessage());
        }
        EvalScript script = new EvalScript(body, shebang, fn);
        scripts.put(sha, script);
        return script;
    }

    /** SCRIPT LOAD: the script compiled and cached, its SHA1 answered. */
    public void scriptLoad(Client c, byte[] body) {
        String sha = LuaEngine.sha1hex(body);
        if (!scripts.containsKey(sha)) {
            createScript(body, sha);
        }
        c.reply().bulk(sha);
    }

    /** SCRIPT EXISTS: 1 or 0 per SHA1 (the cache is keyed by lowercase SHA1s, matched case-insensitively). */
    public void scriptExists(Client c, byte[][] argv) {
        c.reply().array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            String sha = new String(argv[j], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            c.reply().integer(scripts.containsKey(sha) ? 1 : 0);
        }
    }

    /** SCRIPT FLUSH (scriptingReset): the cache emptied and the interpreter replaced by a fresh one. */
    public void scriptFlush() {
        scripts.clear();
        if (evalEngine != null) {
            evalEngine.state().close();
            evalEngine = null;
        }
    }

    /** getCommandFlags for EVAL and EVALSHA: the flags a shebang declares replace the command's own. */
    public EnumSet<CommandFlag> evalCommandFlags(byte[][] argv, EnumSet<CommandFlag> flags, boolean evalsha) {
        if (argv.length < 2 || evalsha && argv[1].length != 40) {
            return flags;
        }
        String sha = evalsha ? new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                : LuaEngine.sha1hex(argv[1]);
        EvalScript script = scripts.get(sha);
        ScriptFlag.Shebang shebang;
        if (script != null) {
            shebang = script.shebang();
        } else if (evalsha) {
            return flags;
        } else {
            try {
                shebang = ScriptFlag.parseEval(argv[1]);
            } catch (ScriptFlag.ShebangError e) {
                return flags;
            }
        }
        return shebang.compat() ? flags : scriptFlagsToCommandFlags(flags, shebang.flags());
    }

    /** scriptFlagsToCmdFlags: a script that declared its flags writes, needs memory or reads stale data as it said. */
    static EnumSet<CommandFlag> scriptFlagsToCommandFlags(EnumSet<CommandFlag> flags, EnumSet<ScriptFlag> script) {
        EnumSet<CommandFlag> r = EnumSet.copyOf(flags);
        r.removeAll(EnumSet.of(CommandFlag.STALE, CommandFlag.DENYOOM, CommandFlag.WRITE, CommandFlag.MAY_REPLICATE));
        if (!script.contains(ScriptFlag.ALLOW_OOM) && !script.contains(ScriptFlag.NO_WRITES)) {
            r.add(CommandFlag.DENYOOM);
        }
        if (!script.contains(ScriptFlag.NO_WRITES)) {
            r.add(CommandFlag.WRITE);
        }
        if (script.contains(ScriptFlag.ALLOW_STALE)) {
            r.add(CommandFlag.STALE);
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // Running
    // ------------------------------------------------------------------------------------------------

    /**
     * scriptPrepareForRun: the checks a script's declared flags call for (a script without a shebang gets
     * the pre-7.0 behaviour), then its run context. Null when refused (the error is thrown).
     */
    ScriptRun prepare(Client c, byte[][] argv, CommandSpec spec, LuaEngine engine, String funcname, boolean evalMode,
            EnumSet<ScriptFlag> flags, boolean compat, boolean ro, int numkeys) {
        boolean replica = node.replication().isReplica();
        boolean runningStale = replica && !node.replication().isLinkUp()
                && !(Boolean) ConfigTable.valueOf(node, "replica-serve-stale-data");
        boolean obey = c.isMaster();
        boolean oom = node.config().maxMemory != 0
                && Long.compareUnsigned(node.maxMemory().usedMemory(), node.config().maxMemory) > 0;
        if (!compat) {
            if (flags.contains(ScriptFlag.NO_CLUSTER)) {
                throw new CommandError("ERR Can not run script on cluster, 'no-cluster' flag is set.");
            }
            if (runningStale && !flags.contains(ScriptFlag.ALLOW_STALE)) {
                throw new CommandError("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' "
                        + "and 'allow-stale' flag is not set on the script.");
            }
            if (!flags.contains(ScriptFlag.NO_WRITES)) {
                if (replica && node.config().replicaReadOnly && !obey) {
                    throw new CommandError("READONLY Can not run script with write flag on readonly replica");
                }
                DiskError diskError = DiskError.deniedWrites(node);
                if (diskError != null && !obey) {
                    throw new CommandError(diskError.scriptError(node));
                }
                if (ro) {
                    throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
                }
                if (!node.replication().goodReplicasSuffice()) {
                    throw new CommandError(CommandProcessor.NOREPLICAS);
                }
            }
            if (oom && !flags.contains(ScriptFlag.ALLOW_OOM) && !flags.contains(ScriptFlag.NO_WRITES)) {
                throw new CommandError("OOM allow-oom flag is not set on the script, can not run it when used memory "
                        + "> 'maxmemory'");
            }
        } else if (runningStale) {
            throw new CommandError("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
        }
        boolean readOnly = ro || !compat && flags.contains(ScriptFlag.NO_WRITES);
        boolean allowOom = !compat && flags.contains(ScriptFlag.ALLOW_OOM);
        boolean allowCrossSlot = compat || flags.contains(ScriptFlag.ALLOW_CROSS_SLOT);
        int slot = numkeys > 0 && !obey ? KeySlot.of(argv[3]) : -1;
        return new ScriptRun(node, engine, c, argv, spec, funcname, evalMode, readOnly, allowOom, allowCrossSlot,
                oom, slot);
    }

    /**
     * Runs {@code fn} on a Lua thread while this (loop) thread serves its commands; if it outlasts
     * busy-reply-threshold, the caller waits for the reply and the loop goes back to serving others.
     */
    void start(ScriptRun run, LuaFunction fn, int numkeys) {
        byte[][] argv = run.callerArgv;
        byte[][] keys = java.util.Arrays.copyOfRange(argv, 3, 3 + numkeys);
        byte[][] args = java.util.Arrays.copyOfRange(argv, 3 + numkeys, argv.length);
        running = run;
        LuaEngine engine = run.engine;
        LuaExecutors.execute(() -> {
            LuaEngine.Outcome outcome;
            try {
                outcome = engine.call(run, fn, keys, args);
            } catch (RuntimeException | Error e) {
                // A fault of the engine itself: the script fails, the node carries on.
                node.log().warning("Lua engine failure in script " + run.funcname + ": " + e);
                outcome = new LuaEngine.Outcome(null, LuaString.of(String.valueOf(e)));
            }
            LuaEngine.Outcome result = outcome;
            run.finish(() -> complete(run, result));
        });
        // A script inside a transaction, or replayed from our master, must end inside its command.
        boolean mayYield = !run.caller.isMaster() && !run.caller.multi().isActive();
        long threshold = mayYield ? (Long) ConfigTable.valueOf(node, "busy-reply-threshold") : 0;
        if (!run.serve(threshold)) {
            enterBusy(run);
        }
    }

    /** enterScriptTimedoutMode: the caller waits, the stream keeps the script's effects together. */
    private void enterBusy(ScriptRun run) {
        run.timedOut = true;
        node.log().warning("Slow script detected: still in execution after " + run.elapsedMillis()
                + " milliseconds. You can try killing the script using the "
                + (run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: " + run.funcname + ".");
        run.caller.preventCommandPropagation();
        node.replication().stream().enterCall();
        node.blockedClients().block(run.caller, BlockType.SCRIPT, 0, null);
    }

    /**
     * The script ended (on the loop): its reply to the caller, then scriptResetRun. A script that had turned
     * busy also releases its caller and the stream, and lets the clients it kept waiting run.
     */
    private void complete(ScriptRun run, LuaEngine.Outcome outcome) {
        running = null;
        Client caller = run.caller;
        boolean deliver = !run.timedOut || caller.channel().isActive();
        if (deliver) {
            if (outcome.failed()) {
                writeError(run, outcome.error());
            } else {
                Conversions.toReply(caller.reply(), outcome.value(), run.protocol, STACK_AT_RETURN,
                        (r, line, silent) -> writeErrorLine(run, r, line, silent));
            }
        }
        caller.preventCommandPropagation();
        if (!run.timedOut) {
            return;
        }
        Client previous = node.currentClient();
        node.setCurrentClient(caller);
        try {
            node.replication().stream().exitCall(run.callerSpec.name());
            node.tracking().sendPendingForCurrent();
        } finally {
            node.setCurrentClient(previous);
        }
        caller.setWriteOffset(node.replication().masterReplOffset());
        node.slowLog().pushIfNeeded(caller, run.callerArgv, (System.nanoTime() - run.startNanos) / 1000,
                node.now() / 1000, node.config().slowlogLogSlowerThan, node.config().slowlogMaxLen);
        node.blockedClients().unblock(caller);
        for (Client c : node.blockedClients().blockedOn(BlockType.POSTPONE)) {
            if (c.isMaster()) {
                node.blockedClients().unblock(c);
            }
        }
        if (node.blockedClients().hasReadyKeys()) {
            node.blockedClients().handleClientsBlockedOnKeys();
        }
    }

    /**
     * The reply to a failed script (luaCallFunction): the error table's message, then " script: <name>, on
     * <source>:<line>." when the error handler could tell where. An error that came from a command the
     * script called was counted then; it counts now only as the script's command having failed.
     */
    private void writeError(ScriptRun run, Object error) {
        RespWriter r = run.caller.reply();
        if (!(error instanceof LuaTable t)) {
            String msg = error instanceof LuaString s ? s.toString() : "execution failure";
            if (msg.length() > 100) {
                msg = msg.substring(0, 100);
            }
            r.error("ERR Error running script " + run.funcname + ", " + msg + "\n");
            return;
        }
        LuaString err = LuaValues.toLuaString(t.getStr(LuaString.of("err")));
        LuaString source = LuaValues.toLuaString(t.getStr(LuaString.of("source")));
        LuaString line = LuaValues.toLuaString(t.getStr(LuaString.of("line")));
        StringBuilder sb = new StringBuilder("-");
        sb.append(err == null ? "ERR unknown error" : cText(err));
        if (source != null && line != null) {
            sb.append(" script: ").append(run.funcname).append(", on ").append(cText(source)).append(':')
                    .append(cText(line)).append('.');
        }
        byte[] msg = Conversions.mapNewlines(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        writeErrorLine(run, r, msg, t.getStr(LuaString.of("ignore_error_stats_update")) == Boolean.TRUE);
    }

    private void writeErrorLine(ScriptRun run, RespWriter r, byte[] line, boolean silent) {
        if (!silent) {
            r.error(java.util.Arrays.copyOfRange(line, 1, line.length));
            if (run.timedOut) {
                // The command's call() ended when the script turned busy: count its failure here.
                node.stats().commandFailed(run.callerSpec.fullName());
            }
            return;
        }
        byte[] out = java.util.Arrays.copyOf(line, line.length + 2);
        out[line.length] = '\r';
        out[line.length + 1] = '\n';
        r.raw(out);
        node.stats().commandFailed(run.callerSpec.fullName());
    }

    private static String cText(LuaString s) {
        return new String(Conversions.cString(s.bytes()), StandardCharsets.ISO_8859_1);
    }
}
