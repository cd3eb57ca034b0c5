package dev.clusteremu.server.rdb;

/**
 * The special "types" of an RDB file that are not values (rdb.h RDB_OPCODE_*), and the sub-opcodes that
 * annotate module data (RDB_MODULE_OPCODE_*).
 */
public final class RdbOpcode {

    /** A function library: its code as one string (Redis 7.0 GA). */
    public static final int FUNCTION2 = 245;
    /** A function library in the 7.0-rc1/rc2 layout: name, engine, optional description, code. */
    public static final int FUNCTION = 246;
    /** Module data that belongs to no key. */
    public static final int MODULE_AUX = 247;
    /** LRU idle time of the next key, in seconds, as a length. */
    public static final int IDLE = 248;
    /** LFU counter of the next key, one byte. */
    public static final int FREQ = 249;
    /** A name/value string pair describing the file; readers skip names they do not know. */
    public static final int AUX = 250;
    /** Number of keys and of keys with an expire in the database that follows: a sizing hint. */
    public static final int RESIZEDB = 251;
    /** Absolute expire time of the next key in milliseconds, 8 bytes little-endian. */
    public static final int EXPIRETIME_MS = 252;
    /** Absolute expire time of the next key in seconds, 4 bytes (RDB before version 3). */
    public static final int EXPIRETIME = 253;
    /** The database number of the keys that follow. */
    public static final int SELECTDB = 254;
    /** End of the data; the 8-byte checksum follows. */
    public static final int EOF = 255;

    public static final int MODULE_EOF = 0;
    public static final int MODULE_SINT = 1;
    public static final int MODULE_UINT = 2;
    public static final int MODULE_FLOAT = 3;
    public static final int MODULE_DOUBLE = 4;
    public static final int MODULE_STRING = 5;

    private RdbOpcode() {
    }
}
