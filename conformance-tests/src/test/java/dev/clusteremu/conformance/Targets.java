package dev.clusteremu.conformance;

import org.junit.jupiter.api.Assumptions;

/**
 * Starts the nodes differential tests compare: the reference is always a real redis-server 7.0; the
 * candidate is chosen with the system property {@value #TARGET_PROPERTY}:
 * <ul>
 *   <li>{@code real} (the default for now): another real redis-server, which proves the harness and the
 *       corpus (every check must pass real against real);</li>
 *   <li>{@code emulator}: an emulated node started in this JVM.</li>
 * </ul>
 */
public final class Targets {

    /** System property naming the candidate: {@code real} or {@code emulator}. */
    public static final String TARGET_PROPERTY = "conformance.target";

    private Targets() {
    }

    /** A real redis-server that owns all 16384 slots, cluster_state:ok; skips the test without redis-server. */
    public static RedisTarget realSingleMasterCluster() {
        return RealRedisNode.singleMasterCluster();
    }

    /**
     * An emulated node that owns all 16384 slots, cluster_state:ok. This is the one place that starts the
     * emulator for differential tests: it will start {@code dev.clusteremu.server.EmulatedCluster} with one
     * master once that class exists; until then the tests that need it are skipped.
     */
    public static RedisTarget emulatorSingleMasterCluster() {
        return Assumptions.abort("emulator in-process start not wired yet");
    }

    /** The candidate single-master cluster selected by {@value #TARGET_PROPERTY}. */
    public static RedisTarget candidateSingleMasterCluster() {
        String target = System.getProperty(TARGET_PROPERTY, "real");
        return switch (target) {
            case "real" -> realSingleMasterCluster();
            case "emulator" -> emulatorSingleMasterCluster();
            default -> throw new IllegalArgumentException(
                    TARGET_PROPERTY + " must be real or emulator, got " + target);
        };
    }
}
