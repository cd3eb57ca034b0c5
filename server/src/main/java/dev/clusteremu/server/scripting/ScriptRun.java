package dev.clusteremu.server.scripting;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.scripting.lua.LuaError;

/**
 * One running script or function (scriptRunCtx in script.c): who called it, what it may do, what it did,
 * and the hand-over between the Java thread running its Lua code and the node's event loop, which owns
 * the dataset.
 *
 * <p>Why two threads: Redis runs a script on its main thread and, once the script has run longer than
 * busy-reply-threshold, re-enters the event loop from the script's hook to answer other clients with BUSY
 * and to accept SCRIPT KILL. A Netty event loop cannot be re-entered, so the Lua code runs on a thread of
 * its own from the start, and every command it calls runs on the loop:
 * <ul>
 *   <li>at first the loop thread waits inside the EVAL command for the script, running each command it
 *       asks for ({@link #serve}) — nothing else runs meanwhile, exactly as in Redis;</li>
 *   <li>once busy-reply-threshold has passed, the EVAL command returns without a reply and its client
 *       waits (blocked); the loop goes back to serving everyone else, each with BUSY, while the script's
 *       commands arrive as tasks on the loop, in order; the reply is written when the script ends.</li>
 * </ul>
 * Either way exactly one thread touches the Lua state or the dataset at any time.
 */
final class ScriptRun {
    /** PROPAGATE_AOF and PROPAGATE_REPL: what redis.set_repl chooses among. */
    static final int PROPAGATE_AOF = 1;
    static final int PROPAGATE_REPL = 2;

    final RedisNode node;
    final LuaEngine engine;
    final Client caller;
    final byte[][] callerArgv;
    final CommandSpec callerSpec;
    /** The SHA1 of an EVAL script, or the name of a function: how errors and FUNCTION STATS name it. */
    final String funcname;
    final boolean evalMode;
    final boolean readOnly;
    final boolean allowOom;
    final boolean allowCrossSlot;
    /** server.pre_command_oom_state: over maxmemory when the script started. */
    final boolean oomAtStart;
    final long startNanos = System.nanoTime();
    /** scriptTimeSnapshot: the Unix ms the script started at, by which keys expire while it runs. */
    final long snapshotTime;
    /** SCRIPT_WRITE_DIRTY: a write command ran; the script can no longer be killed. */
    boolean writeDirty;
    /** SCRIPT_KILLED, set by SCRIPT KILL or FUNCTION KILL on the loop, read by the Lua thread's hook. */
    volatile boolean killed;
    /** SCRIPT_TIMEDOUT: past busy-reply-threshold; other clients get BUSY. */
    boolean timedOut;
    int replFlags = PROPAGATE_AOF | PROPAGATE_REPL;
    /** The RESP version of the script's client (redis.setresp). */
    int protocol = 2;
    /** The hash slot of the keys accessed so far (original_c->slot), -1 before any. */
    int slot;

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /** Whether the loop thread stopped waiting for the script: requests go to the loop's task queue. */
    private boolean async;
    private boolean finished;

    ScriptRun(RedisNode node, LuaEngine engine, Client caller, byte[][] callerArgv, CommandSpec callerSpec,
            String funcname, boolean evalMode, boolean readOnly, boolean allowOom, boolean allowCrossSlot,
            boolean oomAtStart, int slot) {
        this.node = node;
        this.engine = engine;
        this.caller = caller;
        this.callerArgv = callerArgv;
        this.callerSpec = callerSpec;
        this.funcname = funcname;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.allowCrossSlot = allowCrossSlot;
        this.oomAtStart = oomAtStart;
        this.slot = slot;
        this.snapshotTime = node.now();
    }

    /** How long the script has been running, in milliseconds. */
    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * On the Lua thread: runs {@code work} where the dataset lives (the loop, or the loop thread waiting in
     * {@link #serve}) and returns its result. A failure of the loop itself stops the script.
     */
    <T> T onLoop(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        submit(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the Lua thread: the script is over; {@code completion} writes its reply where the dataset lives. */
    void finish(Runnable completion) {
        submit(() -> {
            finished = true;
            completion.run();
        });
    }

    private void submit(Runnable task) {
        synchronized (this) {
            if (!async) {
                inbox.add(task);
                return;
            }
        }
        try {
            node.loop().execute(task);
        } catch (RejectedExecutionException e) {
            throw new LuaError(Conversions.errorTable(Conversions.bytes("Script killed by user with SCRIPT KILL...")));
        }
    }

    /**
     * On the loop thread, inside the command that started the script: runs what the script asks for until
     * it ends (true) or until {@code thresholdMillis} have passed (false; 0 waits forever), after which
     * its requests go to the loop's queue.
     */
    boolean serve(long thresholdMillis) {
        boolean interrupted = false;
        try {
            while (true) {
                Runnable task;
                try {
                    if (thresholdMillis <= 0) {
                        task = inbox.take();
                    } else {
                        long left = thresholdMillis - elapsedMillis();
                        task = left > 0 ? inbox.poll(left, TimeUnit.MILLISECONDS) : inbox.poll();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                if (task != null) {
                    task.run();
                    if (finished) {
                        return true;
                    }
                    continue;
                }
                synchronized (this) {
                    if (inbox.isEmpty()) {
                        async = true;
                        return false;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The hook of the Lua thread: a killed script fails at once, and again at every tick after. */
    void checkKilled() {
        if (killed) {
            engine.state().hookNow();
            throw new LuaError(Conversions.errorTable(Conversions.bytes("Script killed by user with SCRIPT KILL...")));
        }
    }
}
