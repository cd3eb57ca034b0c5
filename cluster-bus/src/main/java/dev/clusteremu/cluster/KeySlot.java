package dev.clusteremu.cluster;

/**
 * Maps keys to hash slots exactly as Redis Cluster does ({@code keyHashSlot} in cluster.c).
 *
 * <p>The slot is CRC16/XMODEM of the key modulo 16384. When the key holds a hash tag, a non-empty run of
 * bytes between the first '{' and the first '}' after it, only the tag is hashed, so that related keys
 * ({@code {user1000}.following}, {@code {user1000}.followers}) land in one slot and can be used together
 * in multi-key commands.
 */
public final class KeySlot {

    /** Redis Cluster has a fixed number of hash slots: 16384 is large enough for 1000 masters and small
     *  enough that a node's slot bitmap (2 KiB) fits in every heartbeat packet. */
    public static final int SLOTS = 16384;

    private static final int[] CRC16_TABLE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[b] = crc & 0xffff;
        }
    }

    private KeySlot() {
    }

    /** CRC16/XMODEM (poly 0x1021, init 0, no reflection, no final xor) of {@code len} bytes at {@code off}. */
    public static int crc16(byte[] bytes, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The hash slot of {@code key}, honouring hash tags. */
    public static int of(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close == open + 1) {
                        break; // "{}" is not a tag: hash the whole key
                    }
                    return crc16(key, open + 1, close - open - 1) & (SLOTS - 1);
                }
            }
        }
        return crc16(key, 0, key.length) & (SLOTS - 1);
    }
}
