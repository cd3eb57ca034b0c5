package dev.clusteremu.server.replication;

import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;

/**
 * Which replication stream this node's dataset is a prefix of, and how far (server.replid, replid2,
 * master_repl_offset, second_replid_offset and the backlog): the facts PSYNC is decided on.
 *
 * <p>A dataset is named by a replication id and an offset into that id's stream. A master that changes its
 * history in a way replicas can't follow (a new backlog, a promotion) takes a new id. Since PSYNC2 a
 * promoted replica remembers its old master's id as replid2, valid up to the offset it had reached, so
 * replicas of the same old master can continue with it without a full sync.
 */
final class ReplicationHistory {
    /** CONFIG_RUN_ID_SIZE: replication ids are 40 hex characters. */
    static final int ID_LENGTH = 40;
    /** The all-zero id of "no secondary history". */
    static final String NO_ID = "0".repeat(ID_LENGTH);
    /** The refusal of a PSYNC whose history matches but whose missing bytes the backlog no longer holds. */
    static final String LACK_OF_BACKLOG = "lack of backlog";

    private String replid = randomId();
    private String replid2 = NO_ID;
    private long masterReplOffset;
    private long secondReplOffset = -1;
    private ReplicationBacklog backlog;
    private long backlogSize;

    ReplicationHistory(long backlogSize) {
        this.backlogSize = backlogSize;
    }

    /** 40 random hex characters (getRandomHexChars), as replication ids and EOF marks are. */
    static String randomId() {
        StringBuilder sb = new StringBuilder(ID_LENGTH);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < ID_LENGTH; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    String replid() {
        return replid;
    }

    String replid2() {
        return replid2;
    }

    long masterReplOffset() {
        return masterReplOffset;
    }

    long secondReplOffset() {
        return secondReplOffset;
    }

    /** A new id for a history that starts here (changeReplicationId): no replica can continue the old one. */
    void changeReplicationId() {
        replid = randomId();
    }

    /** Forgets the secondary id (clearReplicationId2), e.g. after a full sync starts a new history. */
    void clearReplicationId2() {
        replid2 = NO_ID;
        secondReplOffset = -1;
    }

    /**
     * A replica turned master (shiftReplicationId): it keeps its master's id as replid2, valid up to the
     * offset it reached, plus one since a replica asks for the first byte it lacks: whoever shared that
     * history up to here may continue with us. Then a new id for the history we start.
     */
    void shiftReplicationId() {
        replid2 = replid;
        secondReplOffset = masterReplOffset + 1;
        changeReplicationId();
    }

    /** Takes over a master's history after a full sync: its id and the offset the RDB stands for. */
    void adopt(String masterReplid, long offset) {
        replid = masterReplid;
        masterReplOffset = offset;
        clearReplicationId2();
    }

    /**
     * The master's id changed under a replica that continued (PSYNC2 +CONTINUE with a new id): the old id
     * becomes replid2 up to here, so our own replicas can still continue with us.
     */
    void switchToMasterId(String newReplid) {
        replid2 = replid;
        secondReplOffset = masterReplOffset + 1;
        replid = newReplid;
    }

    /**
     * Why a replica asking for {@code offset} of {@code askedId} can't continue (masterTryPartialResynchronization),
     * as Redis logs it, or {@link #LACK_OF_BACKLOG}; null when it can. It must name our id, or our previous
     * one up to the offset we had when it stopped being ours, and we must still hold the bytes it lacks.
     */
    String continuationRefusal(String askedId, long offset) {
        boolean sameId = askedId.equalsIgnoreCase(replid);
        boolean previousId = askedId.equalsIgnoreCase(replid2) && offset <= secondReplOffset;
        if (!sameId && !previousId) {
            if (!askedId.equalsIgnoreCase(replid2)) {
                return "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '"
                        + askedId + "', my replication IDs are '" + replid + "' and '" + replid2 + "')";
            }
            return "Partial resynchronization not accepted: Requested offset for second ID was " + offset
                    + ", but I can reply up to " + secondReplOffset;
        }
        if (backlog == null || !backlog.holds(offset)) {
            return LACK_OF_BACKLOG;
        }
        return null;
    }

    boolean hasBacklog() {
        return backlog != null;
    }

    /** createReplicationBacklog: its first byte is the next one of the stream. */
    void createBacklog() {
        backlog = new ReplicationBacklog(backlogSize, masterReplOffset);
    }

    /** freeReplicationBacklog. */
    void freeBacklog() {
        backlog = null;
    }

    /** repl-backlog-size, at least 16 KiB (resizeReplicationBacklog). */
    long backlogSize() {
        return Math.max(backlogSize, ReplicationBacklog.MIN_SIZE);
    }

    void setBacklogSize(long size) {
        backlogSize = Math.max(size, ReplicationBacklog.MIN_SIZE);
        if (backlog != null) {
            backlog.resize(backlogSize);
        }
    }

    ReplicationBacklog backlog() {
        return backlog;
    }

    /**
     * Appends bytes of the stream to the backlog and advances master_repl_offset (feedReplicationBuffer).
     * Without a backlog the stream goes nowhere and the offset stays: nobody could continue from it.
     */
    void feed(ByteBuf bytes) {
        if (backlog == null) {
            return;
        }
        backlog.append(bytes);
        masterReplOffset += bytes.readableBytes();
    }
}
