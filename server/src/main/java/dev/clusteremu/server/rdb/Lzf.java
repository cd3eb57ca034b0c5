package dev.clusteremu.server.rdb;

import java.util.Arrays;

/**
 * LZF compression as liblzf 3.6 does it with the settings Redis builds it with (lzfP.h: HLOG 16,
 * VERY_FAST, CHECK_INPUT), so a string compressed here has the same bytes as in a real RDB or DUMP.
 *
 * <p>The compressed format is a sequence of:
 * <pre>
 *   000LLLLL &lt;L+1 bytes&gt;           literal run of 1..32 bytes
 *   LLLooooo oooooooo                back reference: copy L+2 (3..8) bytes from o+1 (1..8192) back
 *   111ooooo LLLLLLLL oooooooo       back reference: copy L+9 (9..264) bytes from o+1 back
 * </pre>
 *
 * <p>Why the output matches Redis's: liblzf's output depends on its hash function, on which positions it
 * enters into the hash table (every position it passes as a literal, and the last two of each match under
 * VERY_FAST), and on the exact match-length loop. All three are mirrored here. One difference is
 * unavoidable: liblzf does not clear its hash table (INIT_HTAB 0), so a slot no earlier position of the
 * current input filled may still hold an offset left by a previous call and, rarely, find a match a clean
 * table would not. This class always starts from a clean table, which is what Redis produces whenever
 * that stack memory is fresh; both outputs decompress to the same bytes.
 */
public final class Lzf {

    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    /** Longest literal run one control byte describes. */
    private static final int MAX_LIT = 1 << 5;
    /** Farthest back a reference may point (13 offset bits). */
    private static final int MAX_OFF = 1 << 13;
    /** Longest back reference: 7 in the control byte + 255 in the length byte + 2. */
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * The hash table of one thread: positions (relative to the input, 0 meaning empty as in liblzf's
     * LZF_USE_OFFSETS mode) tagged with the call that wrote them, so it needs no clearing per call.
     */
    private static final ThreadLocal<HashTable> TABLES = ThreadLocal.withInitial(HashTable::new);

    private Lzf() {
    }

    private static final class HashTable {
        final int[] position = new int[HSIZE];
        final int[] stamp = new int[HSIZE];
        int currentStamp;

        /** Starts a new call: every slot reads as empty. */
        void reset() {
            if (++currentStamp == 0) {
                Arrays.fill(stamp, 0);
                currentStamp = 1;
            }
        }

        int get(int slot) {
            return stamp[slot] == currentStamp ? position[slot] : 0;
        }

        void put(int slot, int pos) {
            position[slot] = pos;
            stamp[slot] = currentStamp;
        }
    }

    /** liblzf's hash slot of the three bytes whose values end in the low 24 bits of {@code h}. */
    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code inLen} bytes of {@code in} at {@code inOff} into {@code out} at {@code outOff},
     * using at most {@code outLen} bytes, as lzf_compress does.
     *
     * @return the compressed length, or 0 when the result would not fit in {@code outLen} bytes (or either
     *     length is 0): the caller then stores the data uncompressed
     */
    public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (inLen == 0 || outLen == 0) {
            return 0;
        }
        HashTable htab = TABLES.get();
        htab.reset();
        // Positions ip/ref are relative to inOff; op is absolute in out.
        int inEnd = inLen;
        int outEnd = outOff + outLen;
        int op = outOff;
        int ip = 0;
        int lit = 0;
        op++; // start run

        int hval = inLen >= 2 ? frst(in, inOff) : 0;
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = htab.get(slot);
            htab.put(slot, ip);

            int off = ip - ref - 1;
            if (ref > 0
                    && off < MAX_OFF
                    && in[inOff + ref + 2] == in[inOff + ip + 2]
                    && in[inOff + ref] == in[inOff + ip]
                    && in[inOff + ref + 1] == in[inOff + ip + 1]) {
                int len = matchLength(in, inOff, ref, ip, inEnd);
                // liblzf first tests conservatively, then exactly; only the exact test decides.
                if (op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) {
                    return 0;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                if (lit == 0) {
                    op--; // undo run if length is zero
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                // VERY_FAST: enter only the last two positions of the match into the table.
                ip -= 2;
                hval = frst(in, inOff + ip);
                hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
                htab.put(idx(hval), ip);
                ip++;
                hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
                htab.put(idx(hval), ip);
                ip++;
            } else {
                if (op >= outEnd) {
                    return 0;
                }
                lit++;
                out[op++] = in[inOff + ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1); // stop run
                    lit = 0;
                    op++; // start run
                }
            }
        }
        if (op + 3 > outEnd) { // at most 3 bytes can be missing here
            return 0;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[inOff + ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        if (lit == 0) {
            op--;
        }
        return op - outOff;
    }

    private static int frst(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    /**
     * How many bytes at {@code ip} equal those at {@code ref}, the first three being known equal, counted
     * exactly as liblzf's loop counts them: at most min(remaining - 2, MAX_REF), except that its 16-step
     * unrolled run, taken when that bound exceeds 16, does not check the bound and may reach 19.
     */
    private static int matchLength(byte[] in, int base, int ref, int ip, int inEnd) {
        int len = 2;
        int maxlen = Math.min(inEnd - ip - len, MAX_REF);
        if (maxlen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[base + ref + len] != in[base + ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxlen && in[base + ref + len] == in[base + ip + len]);
        return len;
    }

    /**
     * Decompresses {@code inLen} bytes of {@code in} at {@code inOff} into {@code out} at {@code outOff},
     * producing at most {@code outLen} bytes, as lzf_decompress does with CHECK_INPUT.
     *
     * @return the number of bytes produced
     * @throws IllegalArgumentException when the input is malformed or would produce more than
     *     {@code outLen} bytes (liblzf's EINVAL and E2BIG)
     */
    public static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) {
                int run = ctrl + 1;
                if (op + run > outEnd) {
                    throw new IllegalArgumentException("LZF output larger than " + outLen + " bytes");
                }
                if (ip + run > inEnd) {
                    throw new IllegalArgumentException("LZF literal run past the end of the input");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) {
                    throw new IllegalArgumentException("LZF back reference past the end of the input");
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inEnd) {
                        throw new IllegalArgumentException("LZF back reference past the end of the input");
                    }
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outEnd) {
                    throw new IllegalArgumentException("LZF output larger than " + outLen + " bytes");
                }
                if (ref < outOff) {
                    throw new IllegalArgumentException("LZF back reference before the start of the output");
                }
                // Byte by byte: a reference may overlap the bytes it produces (a run of one repeated byte).
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op - outOff;
    }
}
