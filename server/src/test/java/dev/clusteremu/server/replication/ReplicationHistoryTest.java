package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The PSYNC rules of masterTryPartialResynchronization, and how ids change with roles. */
class ReplicationHistoryTest {

    private static void feed(ReplicationHistory h, int bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[bytes]);
        h.feed(buf);
        buf.release();
    }

    @Test
    void aFreshNodeHasARandomIdNoSecondIdAndOffsetZero() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        assertTrue(h.replid().matches("[0-9a-f]{40}"), h.replid());
        assertEquals("0000000000000000000000000000000000000000", h.replid2());
        assertEquals(0, h.masterReplOffset());
        assertEquals(-1, h.secondReplOffset());
    }

    @Test
    void withoutABacklogTheStreamGoesNowhereAndTheOffsetStays() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        feed(h, 10);
        assertEquals(0, h.masterReplOffset());
        h.createBacklog();
        feed(h, 10);
        assertEquals(10, h.masterReplOffset());
    }

    @Test
    void aReplicaOfTheSameHistoryContinuesWhileTheBacklogHoldsWhatItLacks() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        h.createBacklog();
        feed(h, 100);
        assertNull(h.continuationRefusal(h.replid(), 1));
        assertNull(h.continuationRefusal(h.replid().toUpperCase(), 101));
        assertEquals(ReplicationHistory.LACK_OF_BACKLOG, h.continuationRefusal(h.replid(), 102));
        assertEquals(ReplicationHistory.LACK_OF_BACKLOG, h.continuationRefusal(h.replid(), 0));
    }

    @Test
    void anotherHistoryIsRefusedWithRedisLogLine() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        h.createBacklog();
        String other = "a".repeat(40);
        assertEquals("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '" + other
                + "', my replication IDs are '" + h.replid() + "' and '" + h.replid2() + "')",
                h.continuationRefusal(other, 1));
    }

    @Test
    void aPromotedReplicaServesItsOldMastersHistoryUpToWhereItEnded() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        h.adopt("b".repeat(40), 500);
        h.createBacklog();
        feed(h, 50);
        h.shiftReplicationId();
        assertEquals("b".repeat(40), h.replid2());
        assertEquals(551, h.secondReplOffset());
        assertNotEquals("b".repeat(40), h.replid());
        // A sibling replica that got everything we got, or less, continues.
        assertNull(h.continuationRefusal("b".repeat(40), 551));
        assertNull(h.continuationRefusal("b".repeat(40), 520));
        // One that got more from the old master than we did can't: its history differs from ours past 550.
        assertEquals("Partial resynchronization not accepted: Requested offset for second ID was 552, but I can "
                + "reply up to 551", h.continuationRefusal("b".repeat(40), 552));
    }

    @Test
    void aNewIdForAContinuedStreamKeepsTheOldOneAsSecond() {
        ReplicationHistory h = new ReplicationHistory(1 << 20);
        h.adopt("c".repeat(40), 10);
        h.switchToMasterId("d".repeat(40));
        assertEquals("d".repeat(40), h.replid());
        assertEquals("c".repeat(40), h.replid2());
        assertEquals(11, h.secondReplOffset());
    }

    @Test
    void aBacklogCreatedFromScratchClearsNothingButIsEmpty() {
        ReplicationHistory h = new ReplicationHistory(1);
        h.createBacklog();
        assertEquals(16384, h.backlogSize());
        assertEquals(1, h.backlog().firstByteOffset());
        assertEquals(0, h.backlog().histlen());
        ByteBuf cmd = Unpooled.copiedBuffer("*1\r\n$4\r\nping\r\n", US_ASCII);
        h.feed(cmd);
        cmd.release();
        assertEquals(14, h.masterReplOffset());
    }
}
