package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void clusterPortsAreDistinctAndBindableWithTheirBusPorts() throws IOException {
        int[] ports = FreePorts.clusterPorts(6);
        try {
            assertEquals(6, Arrays.stream(ports).distinct().count());
            for (int port : ports) {
                assertTrue(port + FreePorts.BUS_PORT_OFFSET <= 65535);
                bind(port);
                bind(port + FreePorts.BUS_PORT_OFFSET);
            }
        } finally {
            Arrays.stream(ports).forEach(FreePorts::release);
        }
    }

    @Test
    void concurrentCallersNeverGetTheSamePortOrEachOthersBusPort() throws Exception {
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] futures = new Future<?>[8];
            for (int i = 0; i < futures.length; i++) {
                futures[i] = pool.submit(() -> {
                    for (int port : FreePorts.clusterPorts(4)) {
                        assertTrue(taken.add(port), "port handed out twice: " + port);
                        assertTrue(taken.add(port + FreePorts.BUS_PORT_OFFSET), "bus port handed out: " + port);
                    }
                });
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
            taken.forEach(FreePorts::release);
        }
    }

    private static void bind(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }
}
