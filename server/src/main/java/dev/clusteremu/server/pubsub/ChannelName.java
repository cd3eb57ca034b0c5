package dev.clusteremu.server.pubsub;

import java.util.Arrays;

/**
 * A channel or pattern name as a hash key: its bytes, compared by content. Ordered as Redis's rax orders
 * the channels of a slot (slots_to_channels): bytes compared unsigned, a prefix first.
 */
public final class ChannelName implements Comparable<ChannelName> {
    private final byte[] bytes;
    private final int hash;

    /** Wraps {@code bytes}, which the caller must not change afterwards. */
    public ChannelName(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelName other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(ChannelName other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
