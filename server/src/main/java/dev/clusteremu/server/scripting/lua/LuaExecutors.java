package dev.clusteremu.server.scripting.lua;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java threads Lua code runs on: scripts and coroutines, each on a daemon thread with a stack deep
 * enough for Lua's own limits (16383 nested calls) to be reached before Java's. Idle threads are reclaimed.
 */
public final class LuaExecutors {
    /** Reserved, not committed: the memory is touched only as deep as a script actually recurses. */
    private static final long STACK_SIZE = 512L * 1024 * 1024;
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, r, "lua-" + COUNT.incrementAndGet(), STACK_SIZE);
                t.setDaemon(true);
                return t;
            });

    private LuaExecutors() {
    }

    /** Runs {@code task} on a Lua thread. */
    public static void execute(Runnable task) {
        POOL.execute(task);
    }
}
