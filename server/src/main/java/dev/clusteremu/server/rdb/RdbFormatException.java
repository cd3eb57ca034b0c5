package dev.clusteremu.server.rdb;

import java.io.IOException;

/**
 * RDB or DUMP data that Redis would refuse: a bad signature, an unsupported version, an unknown encoding,
 * a wrong checksum, or a stream that ends early. The message says what was wrong in Redis's words where
 * Redis has words for it.
 */
public class RdbFormatException extends IOException {

    public RdbFormatException(String message) {
        super(message);
    }

    public RdbFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
