package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole RDB (versions 1 to 10) from a stream and hands its contents to a visitor in file order,
 * as rdbLoadRioWithLoadingCtx (rdb.c) walks it: header, opcodes and keys up to EOF, then the checksum.
 *
 * <p>The read is a single forward pass over a blocking {@link InputStream}: nothing but the current value
 * is held in memory, and no byte after the checksum is consumed. For replication, where the RDB arrives on
 * a non-blocking socket, the transfer is first received whole (into a file or buffer, as Redis's
 * disk-based replica load does) and then read from there.
 */
public final class RdbReader {

    private static final byte[] SIGNATURE = "REDIS".getBytes(US_ASCII);
    /** "REDIS" and four version digits. */
    private static final int HEADER_LENGTH = 9;
    /** RDB_VERSION 5 added the trailing CRC-64. */
    private static final int FIRST_VERSION_WITH_CHECKSUM = 5;

    private RdbReader() {
    }

    /** Reads the RDB file at {@code file}, strings decoded and other values raw. */
    public static RdbReadResult read(Path file, RdbVisitor<byte[]> visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, visitor);
        }
    }

    /** Reads an RDB from {@code in} (give it a buffered stream), strings decoded and other values raw. */
    public static RdbReadResult read(InputStream in, RdbVisitor<byte[]> visitor) throws IOException {
        return read(in, ValueDecoder.STRING_OR_RAW, visitor);
    }

    /**
     * Reads an RDB from {@code in}, turning each value into a {@code V} with {@code decoder}.
     *
     * @throws RdbFormatException when the data is not an RDB Redis 7.0 would load: wrong signature,
     *     version above 10, unknown type or encoding, short data, or a checksum mismatch
     */
    public static <V> RdbReadResult read(InputStream in, ValueDecoder<? extends V> decoder, RdbVisitor<V> visitor)
            throws IOException {
        RdbInput rdb = new RdbInput(in);
        int rdbVersion = readHeader(rdb);

        int db = 0;
        // Key attributes, set by the opcodes before a key and reset after it.
        long expireMs = -1;
        long lruIdle = -1;
        int lfuFreq = -1;
        while (true) {
            int type = rdb.readByte();
            switch (type) {
                case RdbOpcode.EXPIRETIME -> {
                    byte[] seconds = new byte[4];
                    rdb.readFully(seconds, 0, 4);
                    expireMs = 1000L * ((seconds[0] & 0xff) | (seconds[1] & 0xff) << 8 | (seconds[2] & 0xff) << 16
                            | seconds[3] << 24);
                }
                case RdbOpcode.EXPIRETIME_MS -> expireMs = rdb.readMillisecondTime();
                case RdbOpcode.FREQ -> lfuFreq = rdb.readByte();
                case RdbOpcode.IDLE -> lruIdle = rdb.readLength();
                case RdbOpcode.EOF -> {
                    return new RdbReadResult(rdbVersion, readChecksum(rdb, rdbVersion), rdb.position());
                }
                case RdbOpcode.SELECTDB -> {
                    long id = rdb.readLength();
                    if (id < 0 || id > Integer.MAX_VALUE) {
                        throw new RdbFormatException("Bad database number " + Long.toUnsignedString(id));
                    }
                    db = (int) id;
                    visitor.selectDb(db);
                }
                case RdbOpcode.RESIZEDB -> visitor.resizeDb(rdb.readLength(), rdb.readLength());
                case RdbOpcode.AUX -> visitor.aux(rdb.readString(), rdb.readString());
                case RdbOpcode.MODULE_AUX -> readModuleAux(rdb, visitor);
                case RdbOpcode.FUNCTION2 -> visitor.functionLibrary(rdb.readString());
                case RdbOpcode.FUNCTION -> visitor.functionLibrary(readPreGaFunction(rdb));
                default -> {
                    byte[] key = rdb.readString();
                    if (!RdbType.isObjectType(type)) {
                        throw new RdbFormatException("Unknown RDB encoding type " + type);
                    }
                    V value = decoder.decode(type, rdb);
                    visitor.keyValue(new RdbKey(db, key, expireMs, lruIdle, lfuFreq, type), value);
                    expireMs = -1;
                    lruIdle = -1;
                    lfuFreq = -1;
                }
            }
        }
    }

    /** "REDIS" and the version as four digits, read the way Redis does (memcmp, then atoi). */
    private static int readHeader(RdbInput rdb) throws IOException {
        byte[] header = new byte[HEADER_LENGTH];
        rdb.readFully(header, 0, HEADER_LENGTH);
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (header[i] != SIGNATURE[i]) {
                throw new RdbFormatException("Wrong signature trying to load DB from file");
            }
        }
        int version = 0;
        for (int i = SIGNATURE.length; i < HEADER_LENGTH && header[i] >= '0' && header[i] <= '9'; i++) {
            version = version * 10 + (header[i] - '0');
        }
        if (version < 1 || version > RdbEncoder.RDB_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version);
        }
        return version;
    }

    /**
     * The 8 bytes after EOF (RDB 5 and later), checked against the CRC of everything before them. A zero
     * checksum means the file was saved with rdbchecksum no, and Redis then performs no check.
     */
    private static long readChecksum(RdbInput rdb, int rdbVersion) throws IOException {
        if (rdbVersion < FIRST_VERSION_WITH_CHECKSUM) {
            return 0;
        }
        long expected = rdb.checksum();
        byte[] trailer = new byte[8];
        rdb.readUnchecked(trailer, 0, 8);
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (trailer[i] & 0xff);
        }
        if (stored != 0 && stored != expected) {
            throw new RdbFormatException("Wrong RDB checksum expected: (" + Long.toHexString(expected)
                    + ") but got (" + Long.toHexString(stored) + "). Aborting now.");
        }
        return stored;
    }

    /**
     * MODULE_AUX: module type id, the UINT opcode, the "when" value, then annotated data up to its EOF
     * opcode, which is walked (as redis-check-rdb does) so the visitor can decide what to do with it.
     */
    private static void readModuleAux(RdbInput rdb, RdbVisitor<?> visitor) throws IOException {
        long moduleId = rdb.readLength();
        long whenOpcode = rdb.readLength();
        long when = rdb.readLength();
        if (whenOpcode != RdbOpcode.MODULE_UINT) {
            throw new RdbFormatException("bad when_opcode");
        }
        rdb.startCapture();
        RawValues.skipModuleData(rdb);
        visitor.moduleAux(moduleId, when, rdb.endCapture());
    }

    /**
     * A library in the 7.0-rc1/rc2 FUNCTION layout (name, engine, description flag, optional description,
     * code), converted as rdbFunctionLoad converts it: "#!{engine} name={name}\n" before the code.
     */
    private static byte[] readPreGaFunction(RdbInput rdb) throws IOException {
        byte[] name = rdb.readString();
        byte[] engine = rdb.readString();
        if (rdb.readLength() != 0) {
            rdb.readString();
        }
        byte[] code = rdb.readString();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes("#!".getBytes(US_ASCII));
        payload.writeBytes(engine);
        payload.writeBytes(" name=".getBytes(US_ASCII));
        payload.writeBytes(name);
        payload.write('\n');
        payload.writeBytes(code);
        return payload.toByteArray();
    }
}
