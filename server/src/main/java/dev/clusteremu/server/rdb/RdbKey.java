package dev.clusteremu.server.rdb;

/**
 * What an RDB says about one key besides its value: the opcodes that precede it (SELECTDB earlier,
 * EXPIRETIME_MS, IDLE, FREQ) and its type byte.
 *
 * @param db the database selected by the last SELECTDB (0 before any)
 * @param key the key's bytes
 * @param expireMs absolute expire time in Unix milliseconds, or -1 for none
 * @param lruIdleSeconds the IDLE opcode's LRU idle time in seconds, or -1 when absent
 * @param lfuFreq the FREQ opcode's LFU counter (0-255), or -1 when absent
 * @param type the value's {@link RdbType}
 */
public record RdbKey(int db, byte[] key, long expireMs, long lruIdleSeconds, int lfuFreq, int type) {
}
