package dev.clusteremu.server.rdb;

import io.netty.buffer.ByteBuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The CRC-64 Redis puts at the end of every RDB file and DUMP payload (crc64.c): the "Jones" polynomial
 * 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor. The check value of
 * "123456789" is 0xe9c6d914c4b8d9ca.
 *
 * <p>Why the running value can be fed back in: Redis keeps {@code rdb->cksum = crc64(cksum, buf, len)}
 * over every chunk it writes or reads, so a CRC over a stream equals the CRC over its concatenation.
 * This class has the same property ({@code update(update(0, a), b) == update(0, a + b)}).
 *
 * <p>Table driven, eight bytes per step (slice-by-8), like Redis's crcspeed.c.
 */
public final class Crc64 {

    /** The Jones polynomial with its bits reversed, as a reflected CRC applies it. */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);

    private static final long[][] TABLE = buildTables();

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Crc64() {
    }

    private static long[][] buildTables() {
        long[][] t = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            t[0][n] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int n = 0; n < 256; n++) {
                long prev = t[k - 1][n];
                t[k][n] = (prev >>> 8) ^ t[0][(int) prev & 0xff];
            }
        }
        return t;
    }

    /** The CRC of {@code data}, starting from 0 as Redis does. */
    public static long crc64(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /** Continues {@code crc} over one byte. */
    public static long update(long crc, int b) {
        return TABLE[0][(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }

    /** Continues {@code crc} over {@code len} bytes of {@code data} from {@code off}. */
    public static long update(long crc, byte[] data, int off, int len) {
        long[] t0 = TABLE[0];
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            crc = step8(crc ^ (long) LONG_LE.get(data, i));
        }
        for (; i < end; i++) {
            crc = t0[(int) (crc ^ data[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }

    /** Continues {@code crc} over {@code len} bytes of {@code buf} from absolute {@code index}. */
    public static long update(long crc, ByteBuf buf, int index, int len) {
        if (buf.hasArray()) {
            return update(crc, buf.array(), buf.arrayOffset() + index, len);
        }
        long[] t0 = TABLE[0];
        int i = index;
        int end = index + len;
        for (; i + 8 <= end; i += 8) {
            crc = step8(crc ^ buf.getLongLE(i));
        }
        for (; i < end; i++) {
            crc = t0[(int) (crc ^ buf.getByte(i)) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }

    /** Advances the CRC over eight bytes already xored into {@code x} (first byte in the low bits). */
    private static long step8(long x) {
        long[][] t = TABLE;
        return t[7][(int) x & 0xff]
                ^ t[6][(int) (x >>> 8) & 0xff]
                ^ t[5][(int) (x >>> 16) & 0xff]
                ^ t[4][(int) (x >>> 24) & 0xff]
                ^ t[3][(int) (x >>> 32) & 0xff]
                ^ t[2][(int) (x >>> 40) & 0xff]
                ^ t[1][(int) (x >>> 48) & 0xff]
                ^ t[0][(int) (x >>> 56) & 0xff];
    }
}
