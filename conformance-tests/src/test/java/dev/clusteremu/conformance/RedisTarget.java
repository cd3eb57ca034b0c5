package dev.clusteremu.conformance;

/**
 * A node that tests talk to over its client port: a real redis-server or an emulated node. Closing the
 * target stops the node and frees what it used.
 */
public interface RedisTarget extends AutoCloseable {

    /** The address clients connect to, e.g. {@code 127.0.0.1}. */
    String host();

    /** The client port. */
    int port();

    /** What the target is, for assertion messages, e.g. {@code redis-server 127.0.0.1:20345}. */
    default String description() {
        return host() + ":" + port();
    }

    /** Stops the node; idempotent. */
    @Override
    void close();
}
