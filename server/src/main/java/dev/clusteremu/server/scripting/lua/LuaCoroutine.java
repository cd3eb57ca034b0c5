package dev.clusteremu.server.scripting.lua;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;

/**
 * A coroutine (a Lua thread value). Its body runs on a Java thread of its own, handed control back and
 * forth so that exactly one of the resumer and the coroutine runs at any time: resume passes the
 * arguments and waits; yield passes the values back and waits for the next resume.
 *
 * <p>The Java thread holds only a weak reference to this object, so a coroutine abandoned while suspended
 * is reclaimed: the cleaner wakes its thread, which unwinds and ends.
 */
public final class LuaCoroutine extends LuaRef {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Unwinds an abandoned coroutine's Java thread. */
    private static final class Killed extends Error {
        Killed() {
            super(null, null, false, false);
        }
    }

    /** The rendezvous between the resumer and the coroutine's Java thread. */
    private static final class Channel implements Runnable {
        private Object[] values = LuaValues.NONE;
        private boolean coroutineTurn;
        private boolean finished;
        private boolean failed;
        private boolean killed;

        synchronized Object[] resumeAndWait(Object[] args) {
            values = args;
            coroutineTurn = true;
            notifyAll();
            boolean interrupted = false;
            while (coroutineTurn) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return values;
        }

        synchronized Object[] awaitTurn() {
            while (!coroutineTurn && !killed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    killed = true;
                }
            }
            if (killed) {
                throw new Killed();
            }
            return values;
        }

        synchronized void handBack(Object[] v, boolean done, boolean error) {
            values = v;
            finished = done;
            failed = error;
            coroutineTurn = false;
            notifyAll();
        }

        @Override
        public synchronized void run() {
            killed = true;
            notifyAll();
        }
    }

    private final Channel channel = new Channel();
    private final LuaState state;
    private final LuaThread thread;
    private final Object fn;
    private boolean started;
    private boolean dead;
    private boolean running;

    LuaCoroutine(LuaState state, Object fn) {
        this.thread = new LuaThread(state);
        this.thread.self = new WeakReference<>(this);
        this.fn = fn;
        this.state = state;
        CLEANER.register(this, channel);
        state.coroutines.add(channel);
    }

    /** coroutine.status as seen from {@code from}. */
    String status(LuaThread from) {
        if (dead) {
            return "dead";
        }
        if (from == thread) {
            return "running";
        }
        return running ? "normal" : "suspended";
    }

    /** lua_resume from {@code from}: {true, values...} or {false, error}. */
    Object[] resume(LuaThread from, Object[] args) {
        String status = status(from);
        if (!status.equals("suspended")) {
            return new Object[] {Boolean.FALSE, LuaString.of("cannot resume " + status + " coroutine")};
        }
        thread.nCcalls = from.nCcalls;
        if (thread.nCcalls >= LuaThread.MAX_C_CALLS) {
            return new Object[] {Boolean.FALSE, LuaString.of("C stack overflow")};
        }
        thread.baseCcalls = ++thread.nCcalls;
        if (!started) {
            started = true;
            Channel ch = channel;
            LuaThread t = thread;
            Object body = fn;
            LuaExecutors.execute(() -> runBody(ch, t, body));
        }
        running = true;
        Object[] r;
        try {
            r = channel.resumeAndWait(args);
        } finally {
            running = false;
        }
        if (channel.finished) {
            dead = true;
            state.coroutines.remove(channel);
        }
        if (channel.failed) {
            return new Object[] {Boolean.FALSE, r.length > 0 ? r[0] : null};
        }
        return Vm.prepend(Boolean.TRUE, r);
    }

    private static void runBody(Channel ch, LuaThread t, Object body) {
        LuaThread previous = t.bind();
        try {
            Object[] args = ch.awaitTurn();
            Object[] r;
            try {
                r = t.call(body, args, null);
            } catch (LuaError e) {
                ch.handBack(new Object[] {e.value()}, true, true);
                return;
            } catch (StackOverflowError e) {
                ch.handBack(new Object[] {LuaString.of("stack overflow")}, true, true);
                return;
            }
            ch.handBack(r, true, false);
        } catch (Killed e) {
            // Abandoned while suspended: nothing waits for this thread.
        } finally {
            LuaThread.restore(previous);
        }
    }

    /** lua_yield on the coroutine's own thread: hands {@code values} to the resumer, returns the next resume's arguments. */
    static Object[] yield(LuaThread l, Object[] values) {
        LuaCoroutine co = l.self == null ? null : l.self.get();
        // The main thread is always inside the call that started the script: a C-call boundary.
        if (co == null || l.nCcalls > l.baseCcalls) {
            throw LuaError.runtime("attempt to yield across metamethod/C-call boundary");
        }
        Channel ch = co.channel;
        co = null;
        ch.handBack(values, false, false);
        return ch.awaitTurn();
    }

    /** The coroutine a thread runs, or null for the main thread. */
    static LuaCoroutine of(LuaThread l) {
        return l.self == null ? null : l.self.get();
    }
}
