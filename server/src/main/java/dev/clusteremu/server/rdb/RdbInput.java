package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.clusteremu.server.resp.RedisNumbers;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the primitives of the RDB format (rdbLoadType, rdbLoadLen, rdbGenericLoadStringObject,
 * rdbLoadMillisecondTime, ...) from a stream, keeping the running CRC-64 of every byte consumed and,
 * on request, a copy of them.
 *
 * <p>It reads exactly the bytes it needs and never ahead, so whatever follows the RDB in the stream (an
 * AOF tail, the rest of a replication stream) is left there. Each call reads from the stream directly:
 * give it a buffered stream.
 *
 * <p>The copy ({@link #startCapture()} / {@link #endCapture()}) is how a value is taken out in its exact
 * encoded form while its structure is walked, for DUMP/RESTORE pass-through.
 */
public final class RdbInput {

    /** Strings above this size are read in pieces, so a corrupt length cannot make us allocate gigabytes. */
    private static final int READ_CHUNK = 1 << 20;

    private final InputStream in;
    private long crc;
    private long position;
    private byte[] capture;
    private int captureLength;
    private final byte[] scratch = new byte[8];

    /** An input reading {@code in}; pass a buffered stream. */
    public RdbInput(InputStream in) {
        this.in = in;
    }

    /** An input over {@code bytes}. */
    public static RdbInput of(byte[] bytes) {
        return new RdbInput(new ByteArrayInputStream(bytes));
    }

    /** The CRC-64 of every byte consumed so far. */
    public long checksum() {
        return crc;
    }

    /** How many bytes have been consumed. */
    public long position() {
        return position;
    }

    /** Starts copying every byte consumed from now on. */
    public void startCapture() {
        capture = new byte[64];
        captureLength = 0;
    }

    /** Stops copying and returns the bytes consumed since {@link #startCapture()}. */
    public byte[] endCapture() {
        byte[] captured = Arrays.copyOf(capture, captureLength);
        capture = null;
        return captured;
    }

    /* ---------------------------------------------------------------------------------------------------
     * Raw bytes
     * ------------------------------------------------------------------------------------------------- */

    /** Fills {@code b[off, off+len)} from the stream, counting the bytes into the checksum. */
    public void readFully(byte[] b, int off, int len) throws IOException {
        readUnchecked(b, off, len);
        crc = Crc64.update(crc, b, off, len);
    }

    /**
     * Fills {@code b[off, off+len)} without counting the bytes into the checksum: for the checksum itself
     * at the end of the file.
     */
    void readUnchecked(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new RdbFormatException("Unexpected EOF reading RDB file", new EOFException());
            }
            done += n;
        }
        position += len;
        if (capture != null) {
            if (captureLength + len > capture.length) {
                capture = Arrays.copyOf(capture, Math.max(captureLength + len, capture.length * 2));
            }
            System.arraycopy(b, off, capture, captureLength, len);
            captureLength += len;
        }
    }

    /** Exactly {@code len} bytes. */
    public byte[] readBytes(long len) throws IOException {
        if (len < 0 || len > Integer.MAX_VALUE - 8) {
            throw new RdbFormatException("String of " + Long.toUnsignedString(len) + " bytes is too large");
        }
        int n = (int) len;
        if (n <= READ_CHUNK) {
            byte[] b = new byte[n];
            readFully(b, 0, n);
            return b;
        }
        byte[] b = new byte[READ_CHUNK];
        int have = 0;
        while (have < n) {
            int piece = Math.min(READ_CHUNK, n - have);
            if (have + piece > b.length) {
                b = Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
            }
            readFully(b, have, piece);
            have += piece;
        }
        return b;
    }

    /** Consumes {@code len} bytes (still counted into the checksum and any capture). */
    public void skipBytes(long len) throws IOException {
        byte[] chunk = new byte[(int) Math.min(Math.max(len, 0), READ_CHUNK)];
        for (long left = len; left > 0; ) {
            int piece = (int) Math.min(left, chunk.length);
            readFully(chunk, 0, piece);
            left -= piece;
        }
    }

    /** One unsigned byte: a type or opcode (rdbLoadType). */
    public int readByte() throws IOException {
        readFully(scratch, 0, 1);
        return scratch[0] & 0xff;
    }

    /** Eight bytes little-endian. */
    public long readLongLE() throws IOException {
        readFully(scratch, 0, 8);
        return littleEndian(scratch, 8);
    }

    private static long littleEndian(byte[] b, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /* ---------------------------------------------------------------------------------------------------
     * Encoded primitives
     * ------------------------------------------------------------------------------------------------- */

    /**
     * A length (rdbLoadLen), unsigned 64-bit in a long. Like Redis, where a plain length is expected a
     * first byte of the form 11xxxxxx (a string encoding) simply yields xxxxxx.
     */
    public long readLength() throws IOException {
        return readLengthOrEncoding(readByte());
    }

    /** The length whose first byte is {@code first}; for 11xxxxxx, the encoding number xxxxxx. */
    private long readLengthOrEncoding(int first) throws IOException {
        int kind = (first & 0xC0) >>> 6;
        if (kind == RdbEncoder.RDB_ENCVAL || kind == 0) {
            return first & 0x3F;
        }
        if (kind == 1) {
            return ((long) (first & 0x3F) << 8) | readByte();
        }
        if (first == 0x80) {
            readFully(scratch, 0, 4);
            return ((scratch[0] & 0xffL) << 24) | ((scratch[1] & 0xffL) << 16) | ((scratch[2] & 0xffL) << 8)
                    | (scratch[3] & 0xffL);
        }
        if (first == 0x81) {
            readFully(scratch, 0, 8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (scratch[i] & 0xff);
            }
            return v;
        }
        throw new RdbFormatException("Unknown length encoding " + kind + " in rdbLoadLen()");
    }

    /**
     * A string in any of its encodings (rdbGenericLoadStringObject): plain, 8/16/32-bit integer (returned
     * as its decimal digits), or LZF.
     */
    public byte[] readString() throws IOException {
        int first = readByte();
        long len = readLengthOrEncoding(first);
        if ((first & 0xC0) >>> 6 != RdbEncoder.RDB_ENCVAL) {
            return readBytes(len);
        }
        switch ((int) len) {
            case RdbEncoder.RDB_ENC_INT8:
                readFully(scratch, 0, 1);
                return RedisNumbers.toBytes(scratch[0]);
            case RdbEncoder.RDB_ENC_INT16:
                readFully(scratch, 0, 2);
                return RedisNumbers.toBytes((short) littleEndian(scratch, 2));
            case RdbEncoder.RDB_ENC_INT32:
                readFully(scratch, 0, 4);
                return RedisNumbers.toBytes((int) littleEndian(scratch, 4));
            case RdbEncoder.RDB_ENC_LZF:
                return readLzfString();
            default:
                throw new RdbFormatException("Unknown RDB string encoding type " + len);
        }
    }

    /** rdbLoadLzfStringObject: compressed length, original length, then the compressed bytes. */
    private byte[] readLzfString() throws IOException {
        long clen = readLength();
        long len = readLength();
        byte[] compressed = readBytes(clen);
        if (len < 0 || len > Integer.MAX_VALUE - 8) {
            throw new RdbFormatException("String of " + Long.toUnsignedString(len) + " bytes is too large");
        }
        byte[] value = new byte[(int) len];
        int produced;
        try {
            produced = Lzf.decompress(compressed, 0, compressed.length, value, 0, value.length);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("Invalid LZF compressed string", e);
        }
        if (produced != len) {
            throw new RdbFormatException("Invalid LZF compressed string");
        }
        return value;
    }

    /** Consumes one string in any encoding without decoding it. */
    public void skipString() throws IOException {
        int first = readByte();
        long len = readLengthOrEncoding(first);
        if ((first & 0xC0) >>> 6 != RdbEncoder.RDB_ENCVAL) {
            skipBytes(len);
            return;
        }
        switch ((int) len) {
            case RdbEncoder.RDB_ENC_INT8 -> skipBytes(1);
            case RdbEncoder.RDB_ENC_INT16 -> skipBytes(2);
            case RdbEncoder.RDB_ENC_INT32 -> skipBytes(4);
            case RdbEncoder.RDB_ENC_LZF -> {
                long clen = readLength();
                readLength();
                skipBytes(clen);
            }
            default -> throw new RdbFormatException("Unknown RDB string encoding type " + len);
        }
    }

    /** An absolute time in milliseconds, 8 bytes little-endian (rdbLoadMillisecondTime, RDB 9 and later). */
    public long readMillisecondTime() throws IOException {
        return readLongLE();
    }

    /** An IEEE 754 double, 8 bytes little-endian (rdbLoadBinaryDoubleValue). */
    public double readBinaryDouble() throws IOException {
        return Double.longBitsToDouble(readLongLE());
    }

    /** An IEEE 754 float, 4 bytes little-endian (rdbLoadBinaryFloatValue). */
    public float readBinaryFloat() throws IOException {
        readFully(scratch, 0, 4);
        return Float.intBitsToFloat((int) littleEndian(scratch, 4));
    }

    /**
     * A double in the old text form of ZSET scores (rdbLoadDoubleValue): a length byte, 253 for NaN, 254
     * for +inf, 255 for -inf, else that many bytes of "%.17g" text.
     */
    public double readDoubleValue() throws IOException {
        int len = readByte();
        switch (len) {
            case 255:
                return Double.NEGATIVE_INFINITY;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 253:
                return Double.NaN;
            default:
                String text = new String(readBytes(len), US_ASCII).trim();
                try {
                    // sscanf("%lg") also reads C's spellings of the special values.
                    return Double.parseDouble(text.replace("inf", "Infinity").replace("nan", "NaN"));
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("Bad double value '" + text + "'", e);
                }
        }
    }
}
