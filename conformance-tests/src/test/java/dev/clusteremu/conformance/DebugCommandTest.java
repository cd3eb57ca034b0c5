package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.clusteremu.server.EmulatedCluster;

/**
 * DEBUG: refused as Redis refuses it by default (enable-debug-command no), and, where enabled, the
 * digests redis-cli --cluster compares between a migration's source and target equal Redis's.
 */
@ExtendWith(DifferentialExtension.class)
class DebugCommandTest {

    @Test
    void debugIsAProtectedCommandByDefault(DifferentialSession session) {
        session.check("DEBUG", "SLEEP", "0");
        session.check("DEBUG", "DIGEST");
        session.check("DEBUG");
    }

    @Test
    void digestsEqualRedisWhenDebugIsEnabled() throws Exception {
        RedisBinaries.assumeRedisServer();
        int port = FreePorts.clusterPort();
        try (RealRedisNode real = RealRedisNode.builder().config("enable-debug-command", "yes").start();
                EmulatedCluster emulator = EmulatedCluster.builder().ports(List.of(port)).bare(true)
                        .enableDebugCommand("yes").start();
                RespClient r = RespClient.connect(real);
                RespClient e = RespClient.connect("127.0.0.1", port)) {
            for (RespClient c : List.of(r, e)) {
                c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            }
            Wait.until("both serve every slot", () -> r.call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok")
                    && e.call("CLUSTER", "INFO").asString().startsWith("cluster_state:ok"));
            for (RespClient c : List.of(r, e)) {
                c.call("SET", "a", "hello");
                c.call("SET", "n", "12345");
                c.call("SET", "big", "x".repeat(10_000));
                c.call("SET", "t", "x", "EX", "100");
            }
            String[] digestValue = {"DEBUG", "DIGEST-VALUE", "a", "n", "big", "t", "missing"};
            assertEquals(r.call(digestValue), e.call(digestValue));
            assertEquals(r.call("DEBUG", "DIGEST"), e.call("DEBUG", "DIGEST"));
            assertEquals(r.call("DEBUG", "NOSUCH"), e.call("DEBUG", "NOSUCH"));
            assertEquals(r.call("DEBUG", "SLEEP", "0"), e.call("DEBUG", "SLEEP", "0"));
        } finally {
            FreePorts.release(port);
        }
    }
}
