package dev.clusteremu.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one emulated Redis Cluster for the annotated test class, on free ports, before its first test,
 * and stops it after the last. Test methods (and constructors, lifecycle methods) receive it as an
 * {@link dev.clusteremu.server.EmulatedCluster} parameter, or its client addresses as a
 * {@code @ClusterSeeds List<InetSocketAddress>} parameter.
 *
 * <pre>
 * &#64;EmulatedRedisCluster(masters = 3, replicasPerMaster = 1)
 * class CartTest {
 *     &#64;Test
 *     void addsItems(EmulatedCluster cluster) { ... }
 * }
 * </pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EmulatedClusterExtension.class)
public @interface EmulatedRedisCluster {

    /** Masters, each serving its share of the 16384 slots (at least 3, as redis-cli requires). */
    int masters() default 3;

    /** Replicas of each master. */
    int replicasPerMaster() default 1;

    /** cluster-node-timeout in milliseconds: how soon a stopped or cut-off node is failed over. */
    long nodeTimeoutMillis() default 15000;

    /** Empty every node before each test, so tests of the class don't see each other's keys. */
    boolean flushBeforeEach() default true;
}
