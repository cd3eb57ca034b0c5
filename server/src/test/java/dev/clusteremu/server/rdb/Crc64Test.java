package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class Crc64Test {

    /** Redis's own test vectors from crc64.c's crc64Test. */
    @Test
    void matchesRedisTestVectors() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.crc64("123456789".getBytes(US_ASCII)));
        String lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed "
                + "do eiusmod tempor incididunt ut labore et dolore magna "
                + "aliqua. Ut enim ad minim veniam, quis nostrud exercitation "
                + "ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis "
                + "aute irure dolor in reprehenderit in voluptate velit esse "
                + "cillum dolore eu fugiat nulla pariatur. Excepteur sint "
                + "occaecat cupidatat non proident, sunt in culpa qui officia "
                + "deserunt mollit anim id est laborum.";
        // sizeof(li) in the C test counts the terminating NUL.
        byte[] withNul = Arrays.copyOf(lorem.getBytes(US_ASCII), lorem.length() + 1);
        assertEquals(0xc7794709e69683b3L, Crc64.crc64(withNul));
    }

    @Test
    void emptyInputLeavesTheCrcUnchanged() {
        assertEquals(0L, Crc64.crc64(new byte[0]));
        assertEquals(0x1234L, Crc64.update(0x1234L, new byte[0], 0, 0));
    }

    /** The bit-at-a-time definition pycrc generated for Redis: non-reflected register, reflected at the end. */
    private static long bitwise(byte[] data) {
        long poly = 0xad93d23594c935a9L;
        long crc = 0;
        for (byte b : data) {
            for (int i = 0x01; (i & 0xff) != 0; i <<= 1) {
                boolean bit = crc < 0;
                if ((b & i) != 0) {
                    bit = !bit;
                }
                crc <<= 1;
                if (bit) {
                    crc ^= poly;
                }
            }
        }
        return Long.reverse(crc);
    }

    @Property
    void tableDrivenEqualsTheBitwiseDefinition(@ForAll @Size(max = 300) byte[] data) {
        assertEquals(bitwise(data), Crc64.crc64(data));
    }

    @Property
    void crcOfAConcatenationContinuesTheCrcOfItsPrefix(@ForAll @Size(max = 200) byte[] data,
            @ForAll @IntRange(max = 200) int cut) {
        int split = Math.min(cut, data.length);
        long prefix = Crc64.update(0, data, 0, split);
        assertEquals(Crc64.crc64(data), Crc64.update(prefix, data, split, data.length - split));
        long byByte = 0;
        for (byte b : data) {
            byByte = Crc64.update(byByte, b);
        }
        assertEquals(Crc64.crc64(data), byByte);
    }

    @Property
    void byteBufsOfEveryKindGiveTheArrayResult(@ForAll @Size(max = 100) byte[] data) {
        ByteBuf heap = Unpooled.buffer().writeZero(3).writeBytes(data);
        ByteBuf direct = Unpooled.directBuffer().writeZero(3).writeBytes(data);
        try {
            assertEquals(Crc64.crc64(data), Crc64.update(0, heap, 3, data.length));
            assertEquals(Crc64.crc64(data), Crc64.update(0, direct, 3, data.length));
        } finally {
            heap.release();
            direct.release();
        }
    }
}
