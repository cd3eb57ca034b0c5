package dev.clusteremu.conformance;

import org.opentest4j.TestAbortedException;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik container or property when no redis-server 7.0 is installed, with the reason, as
 * {@link RedisBinaries#assumeRedisServer()} skips a JUnit test: jqwik properties cannot use JUnit
 * extensions, so their differential targets are started by hand and must not start without a reference.
 */
public final class NeedsRedisServer implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        try {
            RedisBinaries.assumeRedisServer();
            return SkipResult.doNotSkip();
        } catch (TestAbortedException e) {
            return SkipResult.skip(e.getMessage());
        }
    }
}
