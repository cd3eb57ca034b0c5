package dev.clusteremu.server.rdb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;

/**
 * A string value in its RDB encoding, on its own: what follows the type byte for a string key in an RDB
 * file and in a DUMP payload.
 *
 * <p>Why one function serves every string: Redis 7.0 saves an int-encoded string object with
 * rdbSaveLongLongAsStringObject and an embstr/raw one with rdbSaveRawString, but a string is int-encoded
 * in memory only when it is a canonical integer of at most 20 bytes, and for those both functions write
 * the same bytes (an integer encoding within 32 bits; else the digits verbatim, as at most 20 bytes are
 * never LZF-compressed). So the encoding is a function of the bytes alone, and DUMP of any string equals
 * {@code DumpPayload.create(STRING, encode(value))}.
 */
public final class StringEncoding {

    private StringEncoding() {
    }

    /** {@code value} as Redis 7.0 saves a string with rdbcompression yes (the default). */
    public static byte[] encode(byte[] value) {
        return encode(value, true);
    }

    /** {@code value} as rdbSaveRawString saves it, LZF allowed when {@code compression} is true. */
    public static byte[] encode(byte[] value, boolean compression) {
        ByteBuf buf = Unpooled.buffer(value.length + 9);
        new RdbEncoder(buf, compression, false).writeString(value);
        byte[] encoded = new byte[buf.readableBytes()];
        buf.readBytes(encoded);
        return encoded;
    }

    /**
     * The string that {@code encoded} begins with, in any encoding (raw, integer, LZF). Bytes after it are
     * ignored, as RESTORE ignores them.
     *
     * @throws RdbFormatException when {@code encoded} does not begin with a well-formed string
     */
    public static byte[] decode(byte[] encoded) throws RdbFormatException {
        try {
            return RdbInput.of(encoded).readString();
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage(), e);
        }
    }
}
