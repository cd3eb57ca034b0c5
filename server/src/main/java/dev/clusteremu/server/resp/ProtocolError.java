package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * What {@link RespDecoder} emits, in place of a command, when the client broke the protocol.
 *
 * <p>Redis answers a protocol error with {@code -ERR <message>} and closes the connection once that reply
 * is written (networking.c, setProtocolError sets CLIENT_CLOSE_AFTER_REPLY); commands parsed before the
 * error have already been emitted and run. The decoder ignores everything after the error.
 *
 * @param message the error text without the "ERR " code, e.g. "Protocol error: invalid bulk length". Each
 *                char is one byte of the wire text (ISO-8859-1): the one message that echoes client bytes,
 *                "expected '$', got 'c'", echoes the raw byte as Redis's {@code %c} does
 */
public record ProtocolError(String message) {

    /** The exact reply Redis sends for this error: {@code -ERR <message>\r\n}. */
    public byte[] reply() {
        return ("-ERR " + message + "\r\n").getBytes(ISO_8859_1);
    }
}
