package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * A stream entry ID (streamID): a millisecond time and a sequence number, both unsigned 64-bit, ordered as
 * the 128-bit big-endian number they form, which is how a stream's radix tree and PELs sort them.
 *
 * @param ms  the time part, unsigned
 * @param seq the sequence part, unsigned
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** 0-0, the smallest ID ("-"), which no entry may have. */
    public static final StreamId MIN = new StreamId(0, 0);
    /** The largest ID ("+"), 18446744073709551615-18446744073709551615. */
    public static final StreamId MAX = new StreamId(-1L, -1L);
    /** Stream IDs in RDB files and PELs: two big-endian 64-bit numbers. */
    public static final int ENCODED_SIZE = 16;

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** streamIncrID: the next ID, or null after the largest one. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** streamDecrID: the previous ID, or null before 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** "ms-seq", both unsigned decimal (createStreamIDString). */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** {@link #toString()} as bytes, for replies and propagated arguments. */
    public byte[] toBytes() {
        return toString().getBytes(US_ASCII);
    }

    /** streamEncodeID: the 16-byte big-endian form. */
    public byte[] encode() {
        byte[] b = new byte[ENCODED_SIZE];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** streamDecodeID: the ID whose 16-byte big-endian form starts at {@code off}. */
    public static StreamId decode(byte[] b, int off) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[off + i] & 0xffL);
            seq = (seq << 8) | (b[off + 8 + i] & 0xffL);
        }
        return new StreamId(ms, seq);
    }
}
