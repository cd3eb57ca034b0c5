package dev.clusteremu.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports for tests that run nodes on a fixed range of their own: client ports whose bus port (port + 10000)
 * is free too, each checked by binding it on 127.0.0.1.
 */
public final class TestPorts {
    private TestPorts() {
    }

    /** The first {@code n} ports of {@code first..last} free with their bus ports; fails if there are fewer. */
    public static List<Integer> freePairs(int first, int last, int n) {
        List<Integer> ports = new ArrayList<>();
        for (int p = first; p <= last && ports.size() < n; p++) {
            if (isFree(p) && isFree(p + 10000)) {
                ports.add(p);
            }
        }
        if (ports.size() < n) {
            throw new IllegalStateException("no " + n + " free ports in " + first + "-" + last);
        }
        return ports;
    }

    /** Whether {@code port} can be bound on 127.0.0.1 now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
