package dev.clusteremu.junit5;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.clusteremu.server.EmulatedCluster;

/**
 * The extension behind {@link EmulatedRedisCluster}: one cluster per test class, kept in the class's
 * extension store so JUnit closes it after the class (also when tests run in parallel: each class has
 * its own cluster on its own free ports).
 */
public final class EmulatedClusterExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmulatedClusterExtension.class);

    /** Closes the cluster when JUnit discards the class's store. */
    private record Running(EmulatedCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (settings(context).flushBeforeEach()) {
            cluster(context).flushAll();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmulatedCluster.class || (type == List.class && parameter.isAnnotated(ClusterSeeds.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmulatedCluster cluster = cluster(context);
        return parameter.getParameter().getType() == EmulatedCluster.class ? cluster : List.copyOf(seeds(cluster));
    }

    private static List<InetSocketAddress> seeds(EmulatedCluster cluster) {
        return cluster.seeds();
    }

    private static EmulatedRedisCluster settings(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return AnnotationSupport.findAnnotation(testClass, EmulatedRedisCluster.class).orElseThrow(() ->
                new ExtensionConfigurationException(testClass.getName() + " uses " + EmulatedClusterExtension.class
                        .getSimpleName() + " without @" + EmulatedRedisCluster.class.getSimpleName()));
    }

    /** The class's cluster, started on first use. */
    private static EmulatedCluster cluster(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, key -> {
            EmulatedRedisCluster s = settings(classContext);
            try {
                return new Running(EmulatedCluster.builder().masters(s.masters())
                        .replicasPerMaster(s.replicasPerMaster()).nodeTimeout(s.nodeTimeoutMillis()).start());
            } catch (Exception e) {
                throw new ExtensionConfigurationException("the emulated cluster did not start", e);
            }
        }, Running.class).cluster();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
