package dev.clusteremu.conformance;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a cluster to converge. A deadline only bounds a hung test; it asserts nothing about speed,
 * so it is generous.
 */
public final class Wait {
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private Wait() {
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
