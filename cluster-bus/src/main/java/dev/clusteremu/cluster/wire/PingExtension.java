package dev.clusteremu.cluster.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A ping extension (Redis 7.0): an 8-byte header (length u32 including the header, type u16, unused u16)
 * followed by {@code payload}, whose length keeps the whole extension a multiple of 8 bytes. Only type 0,
 * HOSTNAME, exists in 7.0; other types are carried opaquely so they can be skipped.
 */
public record PingExtension(int type, byte[] payload) {

    public static final int HEADER_SIZE = 8;
    public static final int TYPE_HOSTNAME = 0;

    public PingExtension {
        if ((HEADER_SIZE + payload.length) % 8 != 0) {
            throw new IllegalArgumentException("ping extension must be 8-byte aligned, payload " + payload.length);
        }
    }

    /** A HOSTNAME extension: the name, its NUL terminator, zero padding to 8 bytes. */
    public static PingExtension hostname(String hostname) {
        byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
        int padded = ((name.length + 1 + 7) / 8) * 8;
        return new PingExtension(TYPE_HOSTNAME, Arrays.copyOf(name, padded));
    }

    /** The total length of this extension on the wire. */
    public int length() {
        return HEADER_SIZE + payload.length;
    }

    /** For a HOSTNAME extension, the hostname (bytes up to the first NUL). */
    public String hostnameValue() {
        int end = 0;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        return new String(payload, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PingExtension e && type == e.type && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "PingExtension[type=" + type + ", length=" + length() + "]";
    }
}
