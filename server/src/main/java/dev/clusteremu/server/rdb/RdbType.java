package dev.clusteremu.server.rdb;

/**
 * The value type byte written before each key in an RDB file and at the start of a DUMP payload (rdb.h
 * RDB_TYPE_*). These numbers are on disk and on the wire, so they never change; Redis 7.0 writes only
 * STRING, SET, ZSET_2, HASH, MODULE_2, SET_INTSET, HASH_LISTPACK, ZSET_LISTPACK, LIST_QUICKLIST_2 and
 * STREAM_LISTPACKS_2, and reads all of them.
 */
public final class RdbType {

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    /** Sorted set with scores as length-prefixed decimal strings (before RDB 8). */
    public static final int ZSET = 3;
    public static final int HASH = 4;
    /** Sorted set with scores as binary little-endian doubles. */
    public static final int ZSET_2 = 5;
    /** Module value without opcode annotations: cannot be read without its module. */
    public static final int MODULE = 6;
    /** Module value whose fields each carry an opcode, so it can be skipped without its module. */
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;

    private RdbType() {
    }

    /** True for the type bytes Redis 7.0 accepts as a value type (rdbIsObjectType): 0-7 and 9-19. */
    public static boolean isObjectType(int type) {
        return (type >= 0 && type <= 7) || (type >= 9 && type <= 19);
    }
}
