package dev.clusteremu.server.hyperloglog;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's exact string representation (hyperloglog.c), so that a PFADD here and a PFADD in
 * redis-server leave the same bytes, and DUMP, RESTORE, GET and replication carry HLLs between them.
 *
 * <p>Layout: a 16-byte header ("HYLL", the encoding byte, 3 zero bytes, the cached cardinality as 8
 * little-endian bytes whose top bit set means "stale"), then 16384 registers of 6 bits each, in one of two
 * encodings:
 * <ul>
 * <li>dense: the registers packed least significant bit first, 12288 bytes;</li>
 * <li>sparse: run-length opcodes: ZERO (00xxxxxx, 1-64 zero registers), XZERO (01xxxxxx yyyyyyyy, 1-16384
 *     zero registers) and VAL (1vvvvvxx, 1-4 registers holding 1-32).</li>
 * </ul>
 * Every HLL starts sparse and turns dense for good once a register needs a value above 32, or once the
 * sparse form would grow past hll-sparse-max-bytes.
 *
 * <p>An instance edits the bytes it wraps in place while it can; a sparse update that needs more room, or
 * the switch to dense, moves it to a new array ({@link #data()}, {@link #length()} tell where it ends).
 */
public final class HyperLogLog {
    /** HLL_HDR_SIZE. */
    public static final int HEADER_SIZE = 16;
    /** HLL_REGISTERS: 2^14 registers, for a standard error of 0.81%. */
    public static final int REGISTERS = 1 << 14;
    /** HLL_DENSE_SIZE: the header and 16384 6-bit registers. */
    public static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * 6 + 7) / 8;

    private static final int P = 14;
    private static final int Q = 64 - P;
    private static final int REGISTER_MAX = 63;
    private static final int ENCODING_OFFSET = 4;
    private static final int CARD_OFFSET = 8;
    private static final int DENSE = 0;
    private static final int SPARSE = 1;
    /** The hash seed Redis uses for HLL elements. */
    private static final long SEED = 0xadc83b19L;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    /** HLL_ALPHA_INF: 0.5/ln(2), the constant of Ertl's estimator. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    private byte[] data;
    private int length;

    /** Wraps the first {@code length} bytes of {@code data}, a valid HLL ({@link #isValid}), for editing. */
    public HyperLogLog(byte[] data, int length) {
        this.data = data;
        this.length = length;
    }

    /** createHLLObject: an empty HLL, sparse (one XZERO covering every register), its cardinality 0 cached. */
    public static byte[] createEmpty() {
        int opcodes = (REGISTERS + XZERO_MAX_LEN - 1) / XZERO_MAX_LEN;
        byte[] s = new byte[HEADER_SIZE + opcodes * 2];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[ENCODING_OFFSET] = SPARSE;
        int p = HEADER_SIZE;
        for (int left = REGISTERS; left > 0; left -= XZERO_MAX_LEN) {
            setXzero(s, p, Math.min(left, XZERO_MAX_LEN));
            p += 2;
        }
        return s;
    }

    /**
     * isHLLObjectOrReply's test of the bytes: at least a header, the HYLL magic, a known encoding, and exactly
     * the dense size when dense. A sparse body is only found corrupt when read.
     */
    public static boolean isValid(byte[] s) {
        if (s.length < HEADER_SIZE || s[0] != 'H' || s[1] != 'Y' || s[2] != 'L' || s[3] != 'L') {
            return false;
        }
        int encoding = s[ENCODING_OFFSET] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && s.length == DENSE_SIZE);
    }

    /** The array holding the HLL now; its first {@link #length()} bytes are the HLL. */
    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    public boolean isDense() {
        return data[ENCODING_OFFSET] == DENSE;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cached cardinality
    // ---------------------------------------------------------------------------------------------------------

    /** HLL_VALID_CACHE: the top bit of the cached cardinality is clear. */
    public boolean hasValidCache() {
        return (data[CARD_OFFSET + 7] & 0x80) == 0;
    }

    public long cachedCardinality() {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (data[CARD_OFFSET + i] & 0xffL);
        }
        return card;
    }

    public void setCachedCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            data[CARD_OFFSET + i] = (byte) (card >>> (8 * i));
        }
    }

    /** HLL_INVALIDATE_CACHE: marks the cached cardinality stale, leaving its other bits as they were. */
    public void invalidateCache() {
        data[CARD_OFFSET + 7] |= (byte) 0x80;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Adding elements
    // ---------------------------------------------------------------------------------------------------------

    /**
     * hllPatLen: the register an element hashes to (the low 14 bits of its hash) and the length of the
     * 000..1 run in the remaining bits (1 to 51), packed as {@code register << 8 | run}.
     */
    static int patternOf(byte[] element) {
        long hash = MurmurHash64A.hash(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        long rest = (hash >>> P) | (1L << Q);
        int run = Long.numberOfTrailingZeros(rest) + 1;
        return index << 8 | run;
    }

    /**
     * hllAdd: raises the element's register to its run length if that is larger. Returns 1 if a register
     * changed, 0 if not, -1 if the sparse body is corrupt.
     */
    public int add(byte[] element, long sparseMaxBytes) {
        int pattern = patternOf(element);
        return set(pattern >>> 8, pattern & 0xff, sparseMaxBytes);
    }

    /**
     * Raises register {@code index} to {@code count} if it holds less (hllDenseSet / hllSparseSet): 1 if it
     * changed, 0 if not, -1 if the sparse body is corrupt. A sparse HLL turns dense first when {@code count}
     * is above 32 or the sparse form would grow past {@code sparseMaxBytes}.
     */
    public int set(int index, int count, long sparseMaxBytes) {
        if (isDense()) {
            return denseSet(index, count) ? 1 : 0;
        }
        return sparseSet(index, count, sparseMaxBytes);
    }

    /** The value of dense register {@code index}: its 6 bits may straddle two bytes, low bits first. */
    private int denseRegister(int index) {
        int bit = index * 6;
        int at = HEADER_SIZE + (bit >> 3);
        int shift = bit & 7;
        int v = (data[at] & 0xff) >>> shift;
        if (shift > 2) {
            v |= (data[at + 1] & 0xff) << (8 - shift);
        }
        return v & REGISTER_MAX;
    }

    private void setDenseRegister(int index, int value) {
        int bit = index * 6;
        int at = HEADER_SIZE + (bit >> 3);
        int shift = bit & 7;
        data[at] = (byte) ((data[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 2) {
            int high = 8 - shift;
            data[at + 1] = (byte) ((data[at + 1] & ~(REGISTER_MAX >>> high)) | (value >>> high));
        }
    }

    private boolean denseSet(int index, int count) {
        if (count <= denseRegister(index)) {
            return false;
        }
        setDenseRegister(index, count);
        return true;
    }

    /**
     * hllSparseSet: finds the opcode covering {@code index} and, when the register must grow, rewrites that
     * opcode in place: a 1-register VAL or ZERO becomes the new VAL; a longer run is split into up to three
     * opcodes (the part before, the new VAL, the part after). Adjacent VALs of equal value around the change
     * are then merged where the result fits one opcode. The byte layout this produces must be exactly
     * Redis's, as it is what GET and DUMP show.
     */
    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promoteAndSet(index, count);
        }
        int p = HEADER_SIZE;
        int end = length;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            span = runLength(p);
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += opcodeLength(p);
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        boolean isXzero = isXzero(data[p]);
        boolean isVal = isVal(data[p]);
        int runlen = span;
        if (isVal) {
            int old = valValue(data[p]);
            if (old >= count) {
                return 0;
            }
            if (runlen == 1) {
                data[p] = valOpcode(count, 1);
                return updated(prev, end);
            }
        } else if (!isXzero && runlen == 1) {
            data[p] = valOpcode(count, 1);
            return updated(prev, end);
        }
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (isVal) {
            int current = valValue(data[p]);
            if (index != first) {
                seq[n++] = valOpcode(current, index - first);
            }
            seq[n++] = valOpcode(count, 1);
            if (index != last) {
                seq[n++] = valOpcode(current, last - index);
            }
        } else {
            if (index != first) {
                n = putZeros(seq, n, index - first);
            }
            seq[n++] = valOpcode(count, 1);
            if (index != last) {
                n = putZeros(seq, n, last - index);
            }
        }
        int oldLen = isXzero ? 2 : 1;
        int delta = n - oldLen;
        if (delta > 0 && (long) length + delta > sparseMaxBytes) {
            return promoteAndSet(index, count);
        }
        if (delta != 0) {
            int next = p + oldLen;
            ensureCapacity(length + delta);
            System.arraycopy(data, next, data, next + delta, end - next);
            length += delta;
            end += delta;
        }
        System.arraycopy(seq, 0, data, p, n);
        return updated(prev, end);
    }

    /** A zero run of {@code len} registers: ZERO up to 64, XZERO above. */
    private static int putZeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            setXzero(seq, n, len);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    /**
     * Step 4 of hllSparseSet: from the opcode before the change (or the first), looks at up to five opcodes
     * and merges each VAL with a following VAL of the same value when their lengths fit one opcode, then
     * marks the cached cardinality stale.
     */
    private int updated(int prev, int end) {
        int p = prev >= 0 ? prev : HEADER_SIZE;
        int scans = 5;
        while (p < end && scans-- > 0) {
            if (!isVal(data[p])) {
                p += opcodeLength(p);
                continue;
            }
            if (p + 1 < end && isVal(data[p + 1])) {
                int v1 = valValue(data[p]);
                int v2 = valValue(data[p + 1]);
                int len = valLength(data[p]) + valLength(data[p + 1]);
                if (v1 == v2 && len <= VAL_MAX_LEN) {
                    data[p + 1] = valOpcode(v1, len);
                    System.arraycopy(data, p + 1, data, p, end - p - 1);
                    length--;
                    end--;
                    continue;
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promoteAndSet(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSet(index, count);
        return 1;
    }

    private void ensureCapacity(int needed) {
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Encodings
    // ---------------------------------------------------------------------------------------------------------

    /**
     * hllSparseToDense: rewrites a sparse HLL as dense, keeping the header (magic and cached cardinality).
     * Returns false, changing nothing, when the sparse body does not cover exactly 16384 registers.
     */
    public boolean toDense() {
        if (isDense()) {
            return true;
        }
        int[] registers = new int[REGISTERS];
        if (!sparseRegisters(registers, false)) {
            return false;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(data, 0, dense, 0, HEADER_SIZE);
        dense[ENCODING_OFFSET] = DENSE;
        data = dense;
        length = DENSE_SIZE;
        for (int i = 0; i < REGISTERS; i++) {
            if (registers[i] != 0) {
                setDenseRegister(i, registers[i]);
            }
        }
        return true;
    }

    /**
     * Decodes the sparse body into {@code registers}, taking the max with what is there when {@code max};
     * false if the opcodes do not cover exactly 16384 registers. A VAL running past the last register makes
     * the body corrupt even where the registers before it add up: the redis-server 7.0.15 we mirror refuses
     * such a body in PFMERGE, in PFCOUNT of several keys and in the switch to dense.
     */
    private boolean sparseRegisters(int[] registers, boolean max) {
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < length) {
            int run = runLength(p);
            if (isVal(data[p])) {
                if (idx + run > REGISTERS) {
                    return false;
                }
                int value = valValue(data[p]);
                for (int i = 0; i < run; i++, idx++) {
                    registers[idx] = max ? Math.max(registers[idx], value) : value;
                }
            } else {
                idx += run;
            }
            p += opcodeLength(p);
        }
        return idx == REGISTERS;
    }

    /**
     * hllMerge: raises each of {@code max}'s 16384 entries to this HLL's register. Returns false if the sparse
     * body is corrupt (entries already raised stay raised, as in Redis, whose callers then give up).
     */
    public boolean mergeInto(int[] max) {
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = Math.max(max[i], denseRegister(i));
            }
            return true;
        }
        return sparseRegisters(max, true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cardinality
    // ---------------------------------------------------------------------------------------------------------

    /** hllCount: the estimated cardinality, or -1 if the sparse body is corrupt. */
    public long count() {
        int[] histogram = new int[64];
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseRegister(i)]++;
            }
        } else {
            int idx = 0;
            for (int p = HEADER_SIZE; p < length; p += opcodeLength(p)) {
                int run = runLength(p);
                histogram[isVal(data[p]) ? valValue(data[p]) : 0] += run;
                idx += run;
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histogram);
    }

    /** The estimated cardinality of a set of 16384 registers given one per entry (PFCOUNT of several keys). */
    public static long count(int[] registers) {
        int[] histogram = new int[64];
        for (int r : registers) {
            histogram[r]++;
        }
        return estimate(histogram);
    }

    /**
     * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
     * arXiv:1702.01284), which Redis 7.0 uses: from the histogram of register values, with tau correcting
     * for registers that hit the maximum run and sigma for registers still at zero. Rounded half away from
     * zero, as llroundl does.
     */
    private static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** hllSigma: x + x^2 + 2x^4 + 4x^8 + ..., summed until it stops changing; infinite at 1. */
    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    /** hllTau: (1 - x - sum of (1 - x^(2^-k))^2 2^-k) / 3, summed until it stops changing; 0 at 0 and 1. */
    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Debugging (PFDEBUG)
    // ---------------------------------------------------------------------------------------------------------

    /** The 16384 register values of a dense HLL (PFDEBUG GETREG, after converting a sparse one). */
    public int[] denseRegisters() {
        int[] out = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            out[i] = denseRegister(i);
        }
        return out;
    }

    /** PFDEBUG DECODE: the sparse opcodes as "z:len", "Z:len" and "v:value,len", space-separated. */
    public String decodeSparse() {
        StringBuilder sb = new StringBuilder();
        for (int p = HEADER_SIZE; p < length; p += opcodeLength(p)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            int run = runLength(p);
            if (isVal(data[p])) {
                sb.append("v:").append(valValue(data[p])).append(',').append(run);
            } else {
                sb.append(isXzero(data[p]) ? "Z:" : "z:").append(run);
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sparse opcodes
    // ---------------------------------------------------------------------------------------------------------

    private static boolean isVal(byte b) {
        return (b & 0x80) != 0;
    }

    private static boolean isXzero(byte b) {
        return (b & 0xc0) == 0x40;
    }

    private static int valValue(byte b) {
        return ((b >> 2) & 0x1f) + 1;
    }

    private static int valLength(byte b) {
        return (b & 0x3) + 1;
    }

    private static byte valOpcode(int value, int len) {
        return (byte) (0x80 | (value - 1) << 2 | (len - 1));
    }

    private static void setXzero(byte[] s, int p, int len) {
        int l = len - 1;
        s[p] = (byte) (0x40 | (l >> 8));
        s[p + 1] = (byte) l;
    }

    /**
     * How many registers the opcode at {@code p} covers. An XZERO cut short by the end of the string reads
     * its second byte as 0, as Redis reads the terminator of its sds string there.
     */
    private int runLength(int p) {
        byte b = data[p];
        if (isVal(b)) {
            return valLength(b);
        }
        if (isXzero(b)) {
            return (((b & 0x3f) << 8) | (p + 1 < length ? data[p + 1] & 0xff : 0)) + 1;
        }
        return (b & 0x3f) + 1;
    }

    private int opcodeLength(int p) {
        return isXzero(data[p]) ? 2 : 1;
    }
}
