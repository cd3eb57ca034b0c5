package dev.clusteremu.conformance;

import java.util.List;

import dev.clusteremu.server.EmulatedCluster;

/**
 * A real redis-server 7.0 and an emulator node, both with enable-debug-command yes and each a single-master
 * cluster serving every slot: the targets of differential tests that need DEBUG (DEBUG OBJECT, DEBUG
 * DIGEST-VALUE). Started together, closed together.
 */
final class DebugEnabledTargets implements AutoCloseable {
    private final RealRedisNode real;
    private final EmulatedCluster emulator;
    private final int port;

    private DebugEnabledTargets(RealRedisNode real, EmulatedCluster emulator, int port) {
        this.real = real;
        this.emulator = emulator;
        this.port = port;
    }

    /** Starts both (skipping the calling test when redis-server is absent) and waits until both serve. */
    static DebugEnabledTargets start() throws Exception {
        RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        RealRedisNode real = RealRedisNode.builder().config("enable-debug-command", "yes").start();
        EmulatedCluster emulator = EmulatedCluster.builder().ports(List.of(port)).bare(true)
                .enableDebugCommand("yes").start();
        DebugEnabledTargets targets = new DebugEnabledTargets(real, emulator, port);
        try (RespClient r = RespClient.connect(real); RespClient e = RespClient.connect("127.0.0.1", port)) {
            for (RespClient c : List.of(r, e)) {
                c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            }
            Wait.until("both serve every slot", () -> r.call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok")
                    && e.call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok"));
        } catch (RuntimeException | Error failure) {
            targets.close();
            throw failure;
        }
        return targets;
    }

    /** A session on both, after FLUSHALL on both (compared like any command). */
    DifferentialSession session() {
        DifferentialSession session = DifferentialSession.open(real, new RedisTarget() {
            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String description() {
                return "emulator 127.0.0.1:" + port;
            }

            @Override
            public void close() {
            }
        });
        session.check("FLUSHALL");
        return session;
    }

    @Override
    public void close() {
        try {
            emulator.close();
            FreePorts.release(port);
        } finally {
            real.close();
        }
    }
}
