package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.clusteremu.server.resp.RedisNumbers;

import io.netty.buffer.ByteBuf;

/**
 * Writes the RDB format of Redis 7.0 (RDB version 10) into a Netty buffer, keeping the running CRC-64 of
 * everything it appended, as Redis's rdbSave* functions write into a rio with update_cksum set.
 *
 * <p>The caller owns the buffer and may drain it between calls (write it to a file or a socket and discard
 * the read bytes), so an RDB of any size needs only as much memory as one value: the checksum is updated
 * as each call appends, never computed over the buffer afterwards.
 *
 * <p>A whole file is {@link #writeHeader()}, {@link #writeInfoAuxFields}, any {@link #writeFunction}, then
 * per non-empty db {@link #writeSelectDb} and {@link #writeResizeDb} followed by its keys, and finally
 * {@link #writeEof()}, which appends the checksum. Not thread-safe.
 */
public final class RdbEncoder {

    /** The RDB version Redis 7.0 writes, in the file header and in every DUMP payload footer. */
    public static final int RDB_VERSION = 10;
    /** The "redis-ver" aux field: the Redis version this node presents itself as. */
    public static final String REDIS_VERSION = "7.0.15";
    /** The "redis-bits" aux field of a 64-bit build. */
    public static final int REDIS_BITS = 64;

    /** A length of up to 6 bits fits in the first byte: 00xxxxxx. */
    private static final int RDB_6BITLEN = 0;
    /** A length of up to 14 bits: 01xxxxxx xxxxxxxx (big-endian). */
    private static final int RDB_14BITLEN = 1;
    /** Marker byte of a 32-bit big-endian length. */
    private static final int RDB_32BITLEN = 0x80;
    /** Marker byte of a 64-bit big-endian length. */
    private static final int RDB_64BITLEN = 0x81;
    /** 11xxxxxx: a specially encoded string follows, xxxxxx telling which encoding. */
    static final int RDB_ENCVAL = 3;
    static final int RDB_ENC_INT8 = 0;
    static final int RDB_ENC_INT16 = 1;
    static final int RDB_ENC_INT32 = 2;
    static final int RDB_ENC_LZF = 3;

    /**
     * rdbSaveRawString tries the integer encodings only on strings of at most 11 bytes, the longest
     * spelling of a 32-bit integer ("-2147483648").
     */
    private static final int INT_ENCODING_MAX_LEN = 11;
    /**
     * rdbSaveRawString tries LZF only above 20 bytes: "under 20 bytes it's unable to compress even
     * aaaaaaaaaaaaaaaaaa so skip it".
     */
    private static final int LZF_MIN_LEN_EXCLUSIVE = 20;
    /** rdbSaveLzfStringObject keeps the compressed form only if it saves at least 4 bytes. */
    private static final int LZF_MIN_SAVING = 4;

    private final ByteBuf out;
    private final boolean compression;
    private final boolean checksum;
    private long crc;

    /** An encoder with Redis's defaults: rdbcompression yes and rdbchecksum yes. */
    public RdbEncoder(ByteBuf out) {
        this(out, true, true);
    }

    /**
     * An encoder appending to {@code out}. {@code compression} is the rdbcompression setting (LZF for
     * strings over 20 bytes); with {@code checksum} false (rdbchecksum no) the trailer is 8 zero bytes,
     * which loaders take as "no checksum".
     */
    public RdbEncoder(ByteBuf out, boolean compression, boolean checksum) {
        this.out = out;
        this.compression = compression;
        this.checksum = checksum;
    }

    /** The buffer this encoder appends to. */
    public ByteBuf buffer() {
        return out;
    }

    /** The CRC-64 of every byte appended so far (0 when checksums are off). */
    public long checksum() {
        return crc;
    }

    /** Adds the bytes appended since writer index {@code start} to the running checksum. */
    private void appended(int start) {
        if (checksum) {
            crc = Crc64.update(crc, out, start, out.writerIndex() - start);
        }
    }

    /* ---------------------------------------------------------------------------------------------------
     * Primitives (rdbSaveType, rdbSaveLen, rdbSaveRawString, rdbSaveMillisecondTime, ...)
     * ------------------------------------------------------------------------------------------------- */

    /** The "REDIS0010" signature that starts every RDB file. */
    public void writeHeader() {
        int start = out.writerIndex();
        out.writeCharSequence(String.format("REDIS%04d", RDB_VERSION), US_ASCII);
        appended(start);
    }

    /** One type or opcode byte (rdbSaveType). */
    public void writeType(int type) {
        int start = out.writerIndex();
        out.writeByte(type);
        appended(start);
    }

    /**
     * An unsigned length in the shortest of the four forms (rdbSaveLen): 6 bits, 14 bits, a 32-bit or a
     * 64-bit big-endian number after a marker byte. Negative values are taken as unsigned 64-bit.
     */
    public void writeLength(long len) {
        int start = out.writerIndex();
        putLength(len);
        appended(start);
    }

    private void putLength(long len) {
        if (len >= 0 && len < (1 << 6)) {
            out.writeByte((int) len | (RDB_6BITLEN << 6));
        } else if (len >= 0 && len < (1 << 14)) {
            out.writeByte((int) (len >>> 8) | (RDB_14BITLEN << 6));
            out.writeByte((int) len);
        } else if (len >= 0 && len <= 0xFFFF_FFFFL) {
            out.writeByte(RDB_32BITLEN);
            out.writeInt((int) len);
        } else {
            out.writeByte(RDB_64BITLEN);
            out.writeLong(len);
        }
    }

    /** A string as rdbSaveRawString saves it. */
    public void writeString(byte[] s) {
        writeString(s, 0, s.length);
    }

    /**
     * {@code len} bytes of {@code s} from {@code off} as rdbSaveRawString saves them: as an 8, 16 or
     * 32-bit integer when they spell one the way Redis prints integers ("123", "-5"; not "0123" or "+5")
     * and are at most 11 bytes; else LZF-compressed when compression is on, the string is over 20 bytes
     * and compression saves at least 4 bytes; else as a length and the bytes.
     */
    public void writeString(byte[] s, int off, int len) {
        int start = out.writerIndex();
        putString(s, off, len);
        appended(start);
    }

    private void putString(byte[] s, int off, int len) {
        if (len <= INT_ENCODING_MAX_LEN && RedisNumbers.isLong(s, off, len)
                && putEncodedInteger(RedisNumbers.parseLong(s, off, len))) {
            return;
        }
        if (compression && len > LZF_MIN_LEN_EXCLUSIVE && putLzfString(s, off, len)) {
            return;
        }
        putLength(len);
        out.writeBytes(s, off, len);
    }

    /**
     * {@code value} as rdbSaveLongLongAsStringObject saves an int-encoded string object: an integer
     * encoding when it fits 32 bits, else its decimal digits as a plain string.
     */
    public void writeLongAsString(long value) {
        int start = out.writerIndex();
        if (!putEncodedInteger(value)) {
            byte[] digits = RedisNumbers.toBytes(value);
            putLength(digits.length);
            out.writeBytes(digits);
        }
        appended(start);
    }

    /** rdbEncodeInteger: 0xC0/0xC1/0xC2 and the value in 1, 2 or 4 little-endian bytes, if it fits. */
    private boolean putEncodedInteger(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            out.writeByte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
            out.writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            out.writeByte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
            out.writeShortLE((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.writeByte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
            out.writeIntLE((int) v);
        } else {
            return false;
        }
        return true;
    }

    /**
     * rdbSaveLzfStringObject: compress into at most len-4 bytes; if that fails nothing is written and the
     * caller stores the string verbatim.
     */
    private boolean putLzfString(byte[] s, int off, int len) {
        byte[] compressed = new byte[len - LZF_MIN_SAVING];
        int clen = Lzf.compress(s, off, len, compressed, 0, compressed.length);
        if (clen == 0) {
            return false;
        }
        out.writeByte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
        putLength(clen);
        putLength(len);
        out.writeBytes(compressed, 0, clen);
        return true;
    }

    /** An absolute Unix time in milliseconds, 8 bytes little-endian (rdbSaveMillisecondTime). */
    public void writeMillisecondTime(long unixTimeMs) {
        int start = out.writerIndex();
        out.writeLongLE(unixTimeMs);
        appended(start);
    }

    /** An IEEE 754 double, 8 bytes little-endian (rdbSaveBinaryDoubleValue, used by ZSET_2 scores). */
    public void writeBinaryDouble(double value) {
        int start = out.writerIndex();
        out.writeLongLE(Double.doubleToRawLongBits(value));
        appended(start);
    }

    /** Bytes already in RDB form, such as a value taken from a DUMP payload or from {@link RdbReader}. */
    public void writeRaw(byte[] bytes) {
        int start = out.writerIndex();
        out.writeBytes(bytes);
        appended(start);
    }

    /* ---------------------------------------------------------------------------------------------------
     * File structure (rdbSaveRio, rdbSaveInfoAuxFields, rdbSaveDb, rdbSaveKeyValuePair)
     * ------------------------------------------------------------------------------------------------- */

    /** An AUX field: the opcode and two strings, both saved as rdbSaveRawString saves any string. */
    public void writeAuxField(byte[] name, byte[] value) {
        writeType(RdbOpcode.AUX);
        writeString(name);
        writeString(value);
    }

    /** An AUX field with a text value (rdbSaveAuxFieldStrStr). */
    public void writeAuxField(String name, String value) {
        writeAuxField(name.getBytes(UTF_8), value.getBytes(UTF_8));
    }

    /**
     * An AUX field with an integer value (rdbSaveAuxFieldStrInt): the decimal digits saved as a string,
     * hence integer-encoded when they fit 32 bits.
     */
    public void writeAuxField(String name, long value) {
        writeAuxField(name.getBytes(UTF_8), RedisNumbers.toBytes(value));
    }

    /**
     * The aux fields Redis 7.0 starts every RDB with, in its order (rdbSaveInfoAuxFields): redis-ver,
     * redis-bits, ctime, used-mem, then repl-stream-db, repl-id and repl-offset when {@code saveInfo} is
     * given (an RDB for a replica, or saved by a node with a replication backlog), then aof-base.
     *
     * @param ctimeSeconds the Unix time of the save, in seconds
     * @param usedMemory what INFO reports as used_memory
     * @param saveInfo the replication state, or null
     * @param aofBase true when the RDB is the base of a multi-part AOF
     */
    public void writeInfoAuxFields(long ctimeSeconds, long usedMemory, RdbSaveInfo saveInfo, boolean aofBase) {
        writeAuxField("redis-ver", REDIS_VERSION);
        writeAuxField("redis-bits", REDIS_BITS);
        writeAuxField("ctime", ctimeSeconds);
        writeAuxField("used-mem", usedMemory);
        if (saveInfo != null) {
            writeAuxField("repl-stream-db", saveInfo.replStreamDb());
            writeAuxField("repl-id", saveInfo.replId());
            writeAuxField("repl-offset", saveInfo.replOffset());
        }
        writeAuxField("aof-base", aofBase ? 1 : 0);
    }

    /** A function library (rdbSaveFunctions): FUNCTION2 and the library's code, shebang line included. */
    public void writeFunction(byte[] code) {
        writeType(RdbOpcode.FUNCTION2);
        writeString(code);
    }

    /** SELECTDB: the keys that follow belong to database {@code db}. */
    public void writeSelectDb(int db) {
        writeType(RdbOpcode.SELECTDB);
        writeLength(db);
    }

    /** RESIZEDB: how many keys, and how many keys with an expire, the current database has. */
    public void writeResizeDb(long dbSize, long expiresSize) {
        writeType(RdbOpcode.RESIZEDB);
        writeLength(dbSize);
        writeLength(expiresSize);
    }

    /** EXPIRETIME_MS: the absolute expire time of the next key. */
    public void writeExpireTimeMs(long unixTimeMs) {
        writeType(RdbOpcode.EXPIRETIME_MS);
        writeMillisecondTime(unixTimeMs);
    }

    /** IDLE: the LRU idle time of the next key, in seconds (written under an LRU maxmemory-policy). */
    public void writeIdle(long idleSeconds) {
        writeType(RdbOpcode.IDLE);
        writeLength(idleSeconds);
    }

    /** FREQ: the LFU counter (0-255) of the next key (written under an LFU maxmemory-policy). */
    public void writeFreq(int lfuCounter) {
        writeType(RdbOpcode.FREQ);
        int start = out.writerIndex();
        out.writeByte(lfuCounter);
        appended(start);
    }

    /**
     * A key whose value is already in RDB form (rdbSaveKeyValuePair without LRU/LFU info): EXPIRETIME_MS
     * when {@code expireMs} is not -1, the type byte, the key as a string, then {@code encodedValue}.
     */
    public void writeKeyValue(byte[] key, int type, byte[] encodedValue, long expireMs) {
        if (expireMs != -1) {
            writeExpireTimeMs(expireMs);
        }
        writeType(type);
        writeString(key);
        writeRaw(encodedValue);
    }

    /** A string key-value pair, with EXPIRETIME_MS first when {@code expireMs} is not -1. */
    public void writeStringKeyValue(byte[] key, byte[] value, long expireMs) {
        if (expireMs != -1) {
            writeExpireTimeMs(expireMs);
        }
        writeType(RdbType.STRING);
        writeString(key);
        writeString(value);
    }

    /**
     * EOF and the trailer: the CRC-64 of every byte before it, EOF included, 8 bytes little-endian (or 0
     * with checksums off). Nothing follows in an RDB file.
     */
    public void writeEof() {
        writeType(RdbOpcode.EOF);
        out.writeLongLE(crc);
    }
}
