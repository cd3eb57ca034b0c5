package dev.clusteremu.server.rdb;

import java.io.IOException;

/**
 * Walks one value of any RDB type without interpreting it, so it can be taken out in its exact encoded
 * form: what follows the type byte in an RDB file is what follows it in a DUMP payload, so a value read
 * here can be passed to RESTORE, MIGRATE or a replica untouched.
 *
 * <p>The layouts walked are those rdbLoadObject (rdb.c) reads; "string" below is any string encoding,
 * "len" any length form.
 */
public final class RawValues {

    /** The sizes of the fixed-width parts of a stream's consumer group data. */
    private static final int STREAM_ID_BYTES = 16;
    private static final int MILLISECOND_TIME_BYTES = 8;

    private RawValues() {
    }

    /** Reads one value of {@code type} and returns its bytes exactly as they were in the input. */
    public static byte[] read(int type, RdbInput in) throws IOException {
        in.startCapture();
        skip(type, in);
        return in.endCapture();
    }

    /** Consumes one value of {@code type}. */
    public static void skip(int type, RdbInput in) throws IOException {
        switch (type) {
            // A single string: the value itself, or a blob (zipmap, ziplist, intset, listpack) saved as one.
            case RdbType.STRING, RdbType.HASH_ZIPMAP, RdbType.LIST_ZIPLIST, RdbType.SET_INTSET,
                    RdbType.ZSET_ZIPLIST, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK, RdbType.ZSET_LISTPACK ->
                    in.skipString();
            // len, then that many strings (list elements, set members, quicklist ziplist nodes).
            case RdbType.LIST, RdbType.SET, RdbType.LIST_QUICKLIST -> skipStrings(in, in.readLength());
            // len, then that many field/value string pairs.
            case RdbType.HASH -> {
                for (long n = in.readLength(); n != 0; n--) {
                    in.skipString();
                    in.skipString();
                }
            }
            // len, then member strings each followed by a text score (1 length byte, 253-255 special).
            case RdbType.ZSET -> {
                for (long n = in.readLength(); n != 0; n--) {
                    in.skipString();
                    in.readDoubleValue();
                }
            }
            // len, then member strings each followed by an 8-byte binary score.
            case RdbType.ZSET_2 -> {
                for (long n = in.readLength(); n != 0; n--) {
                    in.skipString();
                    in.skipBytes(8);
                }
            }
            // len, then per node a container kind (1 plain, 2 packed) as a len and a listpack or plain string.
            case RdbType.LIST_QUICKLIST_2 -> {
                for (long n = in.readLength(); n != 0; n--) {
                    in.readLength();
                    in.skipString();
                }
            }
            case RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2 -> skipStream(type, in);
            case RdbType.MODULE_2 -> {
                in.readLength();
                skipModuleData(in);
            }
            case RdbType.MODULE -> throw new RdbFormatException(
                    "The RDB file contains module data I can't load: no matching module type '"
                            + moduleTypeName(in.readLength()) + "'");
            default -> throw new RdbFormatException("Unknown RDB encoding type " + type);
        }
    }

    private static void skipStrings(RdbInput in, long count) throws IOException {
        for (long n = count; n != 0; n--) {
            in.skipString();
        }
    }

    /**
     * A stream: its listpacks (each a 16-byte master ID string and a listpack string), then length and
     * last ID, in version 2 also first ID, max deleted ID and entries added, then the consumer groups.
     */
    private static void skipStream(int type, RdbInput in) throws IOException {
        boolean v2 = type == RdbType.STREAM_LISTPACKS_2;
        for (long n = in.readLength(); n != 0; n--) {
            in.skipString();
            in.skipString();
        }
        readLengths(in, v2 ? 8 : 3);
        for (long groups = in.readLength(); groups != 0; groups--) {
            in.skipString();
            readLengths(in, v2 ? 3 : 2);
            // Global PEL: raw ID, delivery time, delivery count.
            for (long pel = in.readLength(); pel != 0; pel--) {
                in.skipBytes(STREAM_ID_BYTES + MILLISECOND_TIME_BYTES);
                in.readLength();
            }
            for (long consumers = in.readLength(); consumers != 0; consumers--) {
                in.skipString();
                in.skipBytes(MILLISECOND_TIME_BYTES);
                // Consumer PEL: raw IDs only.
                for (long pel = in.readLength(); pel != 0; pel--) {
                    in.skipBytes(STREAM_ID_BYTES);
                }
            }
        }
    }

    private static void readLengths(RdbInput in, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            in.readLength();
        }
    }

    /**
     * Module data written with opcode annotations (module values of type MODULE_2 and MODULE_AUX data),
     * after the module id: opcode/value pairs up to the EOF opcode, as redis-check-rdb skips them.
     */
    static void skipModuleData(RdbInput in) throws IOException {
        while (true) {
            long opcode = in.readLength();
            if (opcode == RdbOpcode.MODULE_EOF) {
                return;
            } else if (opcode == RdbOpcode.MODULE_SINT || opcode == RdbOpcode.MODULE_UINT) {
                in.readLength();
            } else if (opcode == RdbOpcode.MODULE_STRING) {
                in.skipString();
            } else if (opcode == RdbOpcode.MODULE_FLOAT) {
                in.skipBytes(4);
            } else if (opcode == RdbOpcode.MODULE_DOUBLE) {
                in.skipBytes(8);
            } else {
                throw new RdbFormatException("Unknown module data opcode " + opcode);
            }
        }
    }

    /**
     * The 9-character name of a module type from its 64-bit id (moduleTypeNameByID): the top 54 bits are
     * nine 6-bit characters of A-Z a-z 0-9 - _, the low 10 bits the encoding version.
     */
    public static String moduleTypeName(long moduleId) {
        String charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char[] name = new char[9];
        long id = moduleId >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = charset.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(name);
    }
}
