package dev.clusteremu.server.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The replication backlog (repl_backlog): the last repl-backlog-size bytes of the replication stream, in a
 * circular buffer, so that a replica that lost its link for a while can continue from where it stopped
 * (PSYNC) instead of loading a whole new RDB. Offsets are those of the stream: the byte at offset
 * {@code o} is the o-th byte ever fed, counting from 1, and master_repl_offset is the last one.
 */
final class ReplicationBacklog {
    /** CONFIG_REPL_BACKLOG_MIN_SIZE: a backlog smaller than 16 KiB is raised to it. */
    static final long MIN_SIZE = 16 * 1024;
    /** The largest array Java holds: a larger repl-backlog-size is honoured up to this. */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    private byte[] buffer;
    /** Where the next byte goes. */
    private int writeIndex;
    /** How many bytes of history the buffer holds (repl_backlog->histlen), at most its size. */
    private int histlen;
    /** The stream offset of the oldest byte held (repl_backlog->offset). */
    private long firstByteOffset;

    /** An empty backlog of {@code size} bytes whose first byte will be the one after {@code masterReplOffset}. */
    ReplicationBacklog(long size, long masterReplOffset) {
        this.buffer = new byte[capacity(size)];
        this.firstByteOffset = masterReplOffset + 1;
    }

    private static int capacity(long size) {
        return (int) Math.min(Math.max(size, MIN_SIZE), MAX_SIZE);
    }

    /** Appends the readable bytes of {@code bytes} (not consumed), dropping the oldest beyond the size. */
    void append(ByteBuf bytes) {
        int len = bytes.readableBytes();
        int from = bytes.readerIndex();
        if (len >= buffer.length) {
            from += len - buffer.length;
            firstByteOffset += len - buffer.length + histlen;
            histlen = 0;
            len = buffer.length;
            writeIndex = 0;
        }
        int first = Math.min(len, buffer.length - writeIndex);
        bytes.getBytes(from, buffer, writeIndex, first);
        bytes.getBytes(from + first, buffer, 0, len - first);
        writeIndex = (writeIndex + len) % buffer.length;
        int dropped = Math.max(0, histlen + len - buffer.length);
        histlen = Math.min(buffer.length, histlen + len);
        firstByteOffset += dropped;
    }

    /**
     * Whether a replica asking for the stream from {@code offset} on (the first byte it misses) can be
     * served from here: anything from the oldest byte held to one past the newest (nothing missing).
     */
    boolean holds(long offset) {
        return offset >= firstByteOffset && offset <= firstByteOffset + histlen;
    }

    /** The bytes from {@code offset} to the newest, for a replica that continues from there. */
    ByteBuf copyFrom(long offset, ByteBufAllocator alloc) {
        int skip = (int) (offset - firstByteOffset);
        int len = histlen - skip;
        ByteBuf out = alloc.buffer(len);
        int start = Math.floorMod(writeIndex - histlen + skip, buffer.length);
        int first = Math.min(len, buffer.length - start);
        out.writeBytes(buffer, start, first);
        out.writeBytes(buffer, 0, len - first);
        return out;
    }

    /** The stream offset of the oldest byte held (repl_backlog_first_byte_offset). */
    long firstByteOffset() {
        return firstByteOffset;
    }

    /** How many bytes of history are held (repl_backlog_histlen). */
    long histlen() {
        return histlen;
    }

    /**
     * Changes the size (CONFIG SET repl-backlog-size, resizeReplicationBacklog), keeping the most recent
     * bytes that fit.
     */
    void resize(long size) {
        int newCapacity = capacity(size);
        if (newCapacity == buffer.length) {
            return;
        }
        int keep = Math.min(histlen, newCapacity);
        long newFirst = firstByteOffset + histlen - keep;
        byte[] resized = new byte[newCapacity];
        int start = Math.floorMod(writeIndex - keep, buffer.length);
        int first = Math.min(keep, buffer.length - start);
        System.arraycopy(buffer, start, resized, 0, first);
        System.arraycopy(buffer, 0, resized, first, keep - first);
        buffer = resized;
        histlen = keep;
        firstByteOffset = newFirst;
        writeIndex = keep % newCapacity;
    }
}
