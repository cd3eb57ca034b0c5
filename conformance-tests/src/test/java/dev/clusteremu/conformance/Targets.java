package dev.clusteremu.conformance;

/**
 * Starts the nodes differential tests compare: the reference is always a real redis-server 7.0; the
 * candidate is chosen with the system property {@value #TARGET_PROPERTY}:
 * <ul>
 *   <li>{@code emulator} (the default): an emulated node started in this JVM;</li>
 *   <li>{@code real}: another real redis-server, which proves the harness and the corpus (every check
 *       must pass real against real).</li>
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

    /** An emulated node in this JVM that owns all 16384 slots, cluster_state:ok. */
    public static RedisTarget emulatorSingleMasterCluster() {
        return EmulatorNode.singleMasterCluster();
    }

    /** The candidate single-master cluster selected by {@value #TARGET_PROPERTY}. */
    public static RedisTarget candidateSingleMasterCluster() {
        String target = System.getProperty(TARGET_PROPERTY, "emulator");
        return switch (target) {
            case "real" -> realSingleMasterCluster();
            case "emulator" -> emulatorSingleMasterCluster();
            default -> throw new IllegalArgumentException(
                    TARGET_PROPERTY + " must be real or emulator, got " + target);
        };
    }
}
