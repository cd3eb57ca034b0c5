package dev.clusteremu.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client ports whose bus port (port + 10000) is free too, for clusters started without fixed ports. Ports
 * handed out stay reserved for this JVM until released, so clusters starting in parallel (tests running
 * concurrently) never pick the same ones; the bind test guards against other processes.
 */
final class FreePortPairs {
    /**
     * Client ports 13000-19999, bus ports 23000-29999: both below Linux's ephemeral range (32768+), so an
     * outgoing connection never holds a node's port when it restarts, and apart from the conformance tests'
     * own pairs (20000-22767 and 30000-32767), so clusters of both kinds can start in one JVM.
     */
    static final int LOW = 13000;
    static final int HIGH = 19999;

    private static final Set<Integer> RESERVED = ConcurrentHashMap.newKeySet();

    private FreePortPairs() {
    }

    /** {@code n} client ports, each with its bus port free on {@code bind}, reserved until released. */
    static List<Integer> reserve(int n, String bind) throws IOException {
        List<Integer> ports = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int attempts = 0;
        while (ports.size() < n) {
            if (++attempts > 20_000) {
                release(ports);
                throw new IOException("no " + n + " free port pairs (port and port+10000) between " + LOW + " and "
                        + HIGH);
            }
            int p = random.nextInt(LOW, HIGH + 1);
            if (RESERVED.add(p)) {
                if (bindable(bind, p) && bindable(bind, p + 10000)) {
                    ports.add(p);
                } else {
                    RESERVED.remove(p);
                }
            }
        }
        return ports;
    }

    static void release(List<Integer> ports) {
        RESERVED.removeAll(ports);
    }

    /**
     * Waits, up to {@code timeout}, until {@code port} can be bound on {@code bind} again; returns whether
     * it can. A listener closed on a Netty loop is released by the JDK only at that loop's next select, a
     * moment after the close completes.
     */
    static boolean awaitBindable(String bind, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!bindable(bind, port)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    private static boolean bindable(String bind, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
