package dev.clusteremu.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port pairs for the nodes these tests start or pretend to be: a client port p and its cluster bus port
 * p + 10000 (Redis's default cluster-port), both bind-tested on 127.0.0.1 before they are handed out.
 *
 * <p>Client ports come from {@value #LOW}-{@value #HIGH}, bus ports from 17100-17399: below Linux's ephemeral
 * range (32768-60999), so no outgoing connection holds one, and each search starts at a random port, so test
 * runs side by side rarely reach for the same pair. A pair stays taken in this JVM once handed out.
 */
public final class FreePorts {

    /** Redis places the cluster bus at the client port + 10000 unless cluster-port says otherwise. */
    public static final int BUS_PORT_OFFSET = 10000;

    static final int LOW = 7100;
    static final int HIGH = 7399;

    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A client port p such that p and p + 10000 are free on 127.0.0.1 now, not handed out before. */
    public static int clusterPort() {
        int size = HIGH - LOW + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = LOW + (start + i) % size;
            if (isBindable(port) && isBindable(port + BUS_PORT_OFFSET) && TAKEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free cluster port pair left in " + LOW + "-" + HIGH);
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
}
