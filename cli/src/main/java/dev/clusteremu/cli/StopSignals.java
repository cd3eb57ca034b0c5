package dev.clusteremu.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a request to stop, as redis-server's signal handler does (it only sets
 * shutdown_asap; the shutdown itself runs in the main loop). The launcher then closes the nodes, each
 * saving its nodes.conf, and the process exits 0 as redis-server does after a clean shutdown, where the
 * JVM's own handlers would exit 130 or 143. A second SIGINT while stopping exits at once with 1, like
 * Redis's "You insist... exiting now.".
 *
 * <p>Uses sun.misc.Signal (module jdk.unsupported, kept accessible by JEP 260 for exactly this use): the
 * standard library has no other way to handle a signal without starting the JVM's shutdown.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};

    private final Runnable stopRequest;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile boolean stopping;

    private StopSignals(Runnable stopRequest) {
        this.stopRequest = stopRequest;
    }

    /** Routes SIGINT and SIGTERM to {@code stopRequest} until {@link #close}. */
    static StopSignals install(Runnable stopRequest) {
        StopSignals signals = new StopSignals(stopRequest);
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            signals.previous.put(signal, Signal.handle(signal, signals::handle));
        }
        return signals;
    }

    private void handle(Signal signal) {
        if (stopping && signal.getName().equals("INT")) {
            System.err.println("You insist... exiting now.");
            System.exit(1);
        }
        stopping = true;
        stopRequest.run();
    }

    /** Gives the signals back to the handlers they had before. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
