package dev.clusteremu.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Injected network partitions between nodes, for tests: traffic from one node to another (identified by
 * client port) is dropped on the wire while the TCP connections stay up, as when packets between two
 * sides of a network are lost. Nodes see what Redis would see: no PONG, then PFAIL, FAIL and failovers;
 * after healing, heartbeats flow again and UPDATE messages settle the config.
 */
public final class NetworkFaults {
    /** No faults, ever: for nodes started outside a test harness. */
    public static final NetworkFaults NONE = new NetworkFaults();

    private final Set<Long> blocked = ConcurrentHashMap.newKeySet();
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /** Drops traffic in both directions between the nodes of client ports {@code a} and {@code b}. */
    public void partition(int a, int b) {
        blocked.add(pair(a, b));
        blocked.add(pair(b, a));
        changed();
    }

    /** Lets traffic flow again between every pair. */
    public void healAll() {
        blocked.clear();
        changed();
    }

    /**
     * Calls {@code listener} after every change: for connections that must stall rather than lose bytes,
     * such as replication streams, which can't drop part of a stream the way the bus drops whole messages.
     */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    /** Whether traffic from the node on client port {@code from} to the one on {@code to} is dropped. */
    public boolean blocked(int from, int to) {
        return !blocked.isEmpty() && blocked.contains(pair(from, to));
    }

    private static long pair(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }
}
