package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

class ReplicationBacklogTest {
    private static final int SIZE = 16 * 1024;

    private static void append(ReplicationBacklog b, String s) {
        ByteBuf buf = Unpooled.copiedBuffer(s, US_ASCII);
        b.append(buf);
        buf.release();
    }

    private static void append(ReplicationBacklog b, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        b.append(buf);
        buf.release();
    }

    private static String from(ReplicationBacklog b, long offset) {
        ByteBuf out = b.copyFrom(offset, ByteBufAllocator.DEFAULT);
        try {
            return out.toString(US_ASCII);
        } finally {
            out.release();
        }
    }

    @Test
    void anEmptyBacklogStartsAtTheNextByteAndServesNothingMissing() {
        ReplicationBacklog b = new ReplicationBacklog(SIZE, 100);
        assertEquals(101, b.firstByteOffset());
        assertEquals(0, b.histlen());
        assertTrue(b.holds(101));
        assertFalse(b.holds(100));
        assertFalse(b.holds(102));
        assertEquals("", from(b, 101));
    }

    @Test
    void aReplicaContinuesFromAnyOffsetHeldUpToOnePastTheNewest() {
        ReplicationBacklog b = new ReplicationBacklog(SIZE, 0);
        append(b, "*1\r\n$4\r\nping\r\n");
        append(b, "abc");
        assertEquals(1, b.firstByteOffset());
        assertEquals(17, b.histlen());
        assertEquals("*1\r\n$4\r\nping\r\nabc", from(b, 1));
        assertEquals("abc", from(b, 15));
        assertEquals("", from(b, 18));
        assertTrue(b.holds(18));
        assertFalse(b.holds(19));
    }

    @Test
    void theOldestBytesMakeWayOnceTheSizeIsReached() {
        ReplicationBacklog b = new ReplicationBacklog(SIZE, 0);
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 40; i++) {
            java.util.Arrays.fill(chunk, (byte) ('a' + i % 26));
            append(b, chunk);
        }
        assertEquals(SIZE, b.histlen());
        assertEquals(40_000 - SIZE + 1, b.firstByteOffset());
        assertFalse(b.holds(40_000 - SIZE));
        assertTrue(b.holds(40_001));
        String last = from(b, 39_001);
        assertEquals(1000, last.length());
        assertTrue(last.chars().allMatch(c -> c == 'a' + 39 % 26));
    }

    @Test
    void aWriteLargerThanTheBacklogKeepsItsTail() {
        ReplicationBacklog b = new ReplicationBacklog(SIZE, 0);
        append(b, "x");
        byte[] big = new byte[SIZE + 10];
        big[big.length - 1] = 'z';
        append(b, big);
        assertEquals(SIZE, b.histlen());
        assertEquals(SIZE + 11 - SIZE + 1, b.firstByteOffset());
        assertEquals("z", from(b, SIZE + 11));
    }

    @Test
    void resizingKeepsTheMostRecentBytes() {
        ReplicationBacklog b = new ReplicationBacklog(2 * SIZE, 0);
        byte[] chunk = new byte[SIZE];
        java.util.Arrays.fill(chunk, (byte) 'a');
        append(b, chunk);
        java.util.Arrays.fill(chunk, (byte) 'b');
        append(b, chunk);
        append(b, "tail");
        b.resize(SIZE);
        assertEquals(SIZE, b.histlen());
        assertEquals(2 * SIZE + 4 - SIZE + 1, b.firstByteOffset());
        String held = from(b, b.firstByteOffset());
        assertTrue(held.endsWith("bbbbtail"));
        assertEquals(SIZE - 4, held.indexOf("tail"));
        append(b, "more");
        assertEquals("tailmore", from(b, 2 * SIZE + 1));
    }

    @Test
    void aSizeBelowTheMinimumIsRaisedTo16KiB() {
        ReplicationBacklog b = new ReplicationBacklog(1, 0);
        byte[] chunk = new byte[SIZE];
        append(b, chunk);
        assertEquals(SIZE, b.histlen());
        assertEquals(1, b.firstByteOffset());
    }
}
