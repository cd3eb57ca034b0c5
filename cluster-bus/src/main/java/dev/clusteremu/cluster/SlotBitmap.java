package dev.clusteremu.cluster;

import java.util.Arrays;

/**
 * A set of hash slots in Redis's wire layout: 2048 bytes, slot j in byte j/8 under mask 1&lt;&lt;(j&amp;7).
 * The same layout is used for a node's own slots, in headers, and in UPDATE messages, so bitmaps can be
 * compared and copied to and from packets without conversion.
 */
public final class SlotBitmap {
    public static final int BYTES = KeySlot.SLOTS / 8;

    private final byte[] bits;
    private int count;

    public SlotBitmap() {
        this.bits = new byte[BYTES];
    }

    /** A bitmap holding a copy of {@code wire} (2048 bytes). */
    public static SlotBitmap fromBytes(byte[] wire) {
        if (wire.length != BYTES) {
            throw new IllegalArgumentException("slot bitmap must be " + BYTES + " bytes, got " + wire.length);
        }
        SlotBitmap b = new SlotBitmap();
        System.arraycopy(wire, 0, b.bits, 0, BYTES);
        for (byte x : wire) {
            b.count += Integer.bitCount(x & 0xff);
        }
        return b;
    }

    public static boolean test(byte[] wire, int slot) {
        return (wire[slot >>> 3] & (1 << (slot & 7))) != 0;
    }

    public boolean get(int slot) {
        return test(bits, slot);
    }

    /** Sets the slot; returns whether it was already set. */
    public boolean set(int slot) {
        boolean old = get(slot);
        if (!old) {
            bits[slot >>> 3] |= (byte) (1 << (slot & 7));
            count++;
        }
        return old;
    }

    /** Clears the slot; returns whether it was set. */
    public boolean clear(int slot) {
        boolean old = get(slot);
        if (old) {
            bits[slot >>> 3] &= (byte) ~(1 << (slot & 7));
            count--;
        }
        return old;
    }

    public void clearAll() {
        Arrays.fill(bits, (byte) 0);
        count = 0;
    }

    public int count() {
        return count;
    }

    /** A copy of the wire bytes. */
    public byte[] toBytes() {
        return bits.clone();
    }

    /** Whether this set equals the one in the 2048 wire bytes. */
    public boolean sameAs(byte[] wire) {
        return Arrays.equals(bits, wire);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotBitmap other && Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }
}
