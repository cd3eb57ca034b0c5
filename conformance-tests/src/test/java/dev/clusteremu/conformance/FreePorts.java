package dev.clusteremu.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out client ports for cluster nodes started by tests. A cluster node needs two ports: its client
 * port p and its cluster bus port p + 10000 (Redis's default {@code cluster-port}), so both are bind-tested
 * on 127.0.0.1.
 *
 * <p>Ports handed out stay reserved in this JVM until {@link #release released}, so test classes running
 * in parallel never pick the same port; each search starts at a random port of the range, so test JVMs
 * running side by side rarely race for one. The range is {@value #DEFAULT_RANGE} unless the system property
 * {@value #RANGE_PROPERTY} gives another ({@code -Dconformance.ports=7300-7399}); its bus ports must stay
 * at most 65535.
 */
public final class FreePorts {

    /** System property that overrides the port range, {@code <low>-<high>} inclusive. */
    public static final String RANGE_PROPERTY = "conformance.ports";

    /**
     * Client ports 20000-22767, bus ports 30000-32767: all below Linux's default ephemeral range
     * (32768-60999). An outgoing connection takes its local port from that range and, once closed by its
     * side, holds it for a minute in TIME_WAIT; a node restarted on its ports (stopNode, then startNode)
     * could otherwise find its bus port taken.
     */
    public static final String DEFAULT_RANGE = "20000-22767";

    /** Redis places the cluster bus at the client port + 10000 unless {@code cluster-port} says otherwise. */
    public static final int BUS_PORT_OFFSET = 10000;

    private static final Set<Integer> RESERVED = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port p such that p and p + 10000 are free on 127.0.0.1; reserved until released. */
    public static int clusterPort() {
        int[] range = range();
        int size = range[1] - range[0] + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = range[0] + (start + i) % size;
            if (reserve(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free cluster port pair left in " + range[0] + "-" + range[1]);
    }

    /** {@code n} distinct ports as {@link #clusterPort()} chooses them. */
    public static int[] clusterPorts(int n) {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = clusterPort();
        }
        return ports;
    }

    /** Returns {@code port} (and its bus port) to the pool once the node using it has stopped. */
    public static void release(int port) {
        RESERVED.remove(port + BUS_PORT_OFFSET);
        RESERVED.remove(port);
    }

    /**
     * Claims p and p + 10000 in this JVM, then checks with the OS that both are bindable. The bus port is
     * claimed too so that, whatever the range, no other node is handed it as a client port.
     */
    private static boolean reserve(int port) {
        int busPort = port + BUS_PORT_OFFSET;
        if (!RESERVED.add(port)) {
            return false;
        }
        if (!RESERVED.add(busPort)) {
            RESERVED.remove(port);
            return false;
        }
        if (isBindable(port) && isBindable(busPort)) {
            return true;
        }
        release(port);
        return false;
    }

    /** Binds like redis-server does (127.0.0.1, SO_REUSEADDR), so a port in TIME_WAIT counts as free. */
    private static boolean isBindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] range() {
        String spec = System.getProperty(RANGE_PROPERTY, DEFAULT_RANGE);
        String[] bounds = spec.split("-");
        if (bounds.length != 2) {
            throw new IllegalArgumentException(RANGE_PROPERTY + " must be <low>-<high>, got " + spec);
        }
        int low = Integer.parseInt(bounds[0].trim());
        int high = Integer.parseInt(bounds[1].trim());
        if (low < 1 || low > high || high + BUS_PORT_OFFSET > 65535) {
            throw new IllegalArgumentException(RANGE_PROPERTY + " " + spec
                    + ": need 1 <= low <= high and high + " + BUS_PORT_OFFSET + " <= 65535");
        }
        return new int[] {low, high};
    }
}
