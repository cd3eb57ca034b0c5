package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The bitmap commands of bitops.c: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. A
 * bitmap is a string value: bit 0 is the most significant bit of the first byte. Commands that write bits
 * pad the string with zero bytes up to the byte they touch and leave it raw-encoded, as
 * lookupStringForBitCommand does. Errors come in Redis's order: arguments first, then the key's type.
 */
public final class BitmapCommands {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    /** The largest Java array, which bounds a string here as proto-max-bulk-len bounds it in Redis. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private BitmapCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("setbit", 4, "write denyoom").acl("bitmap").keys(1, 1, 1)
                .handler(BitmapCommands::setbit).build());
        table.add(command("getbit", 3, "readonly fast").acl("bitmap").keys(1, 1, 1)
                .handler(BitmapCommands::getbit).build());
        table.add(command("bitcount", -2, "readonly").acl("bitmap").keys(1, 1, 1)
                .handler(BitmapCommands::bitcount).build());
        table.add(command("bitpos", -3, "readonly").acl("bitmap").keys(1, 1, 1)
                .handler(BitmapCommands::bitpos).build());
        table.add(command("bitop", -4, "write denyoom").acl("bitmap").keys(2, -1, 1)
                .handler(BitmapCommands::bitop).build());
        table.add(command("bitfield", -2, "write denyoom").acl("bitmap").keys(1, 1, 1)
                .handler((c, argv) -> bitfield(c, argv, false)).build());
        table.add(command("bitfield_ro", -2, "readonly fast").acl("bitmap").keys(1, 1, 1)
                .handler((c, argv) -> bitfield(c, argv, true)).build());
    }

    // -------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------

    private static StringValue asString(RedisObject o) {
        if (o == null || o instanceof StringValue) {
            return (StringValue) o;
        }
        throw new CommandError(RedisObject.WRONGTYPE);
    }

    /** notifyKeyspaceEvent: Redis's calls are mirrored at the same point relative to each reply. */
    private static void notify(Client c, int type, String event, byte[] key) {
        c.node().notifications().notify(type, event, key);
    }

    /**
     * getBitOffsetFromArgument: a bit offset, or with {@code bits} > 0 also "#n" meaning n * bits (BITFIELD's
     * offsets counted in fields). Negative offsets, and offsets past proto-max-bulk-len, are refused; our
     * master's offsets are taken as they come, since the replica must apply whatever its master did.
     */
    private static long bitOffset(Client c, byte[] arg, int bits) {
        int start = bits > 0 && arg.length > 0 && arg[0] == '#' ? 1 : 0;
        if (!RedisNumbers.isLong(arg, start, arg.length - start)) {
            throw new CommandError(BAD_OFFSET);
        }
        long offset = RedisNumbers.parseLong(arg, start, arg.length - start);
        if (start == 1) {
            offset *= bits;
        }
        long limit = Math.min(c.node().config().protoMaxBulkLen, MAX_ARRAY);
        if (offset < 0 || (!c.isMaster() && (offset >> 3) >= limit)) {
            throw new CommandError(BAD_OFFSET);
        }
        return offset;
    }

    /**
     * lookupStringForBitCommand: the string at {@code key}, created or padded with zero bytes so that bit
     * {@code maxBit} exists, unshared so its bits can be changed in place. Reports through {@code grown[0]}
     * whether the key was created or the string grew.
     */
    private static StringValue stringForBitWrite(Client c, byte[] key, long maxBit, boolean[] grown) {
        Keyspace ks = c.node().keyspace();
        StringValue v = asString(ks.lookupWrite(key));
        int bytes = (int) ((maxBit >> 3) + 1);
        if (v == null) {
            StringValue created = StringValue.zeros(bytes);
            ks.setKey(key, created, false);
            grown[0] = true;
            return created;
        }
        StringValue owned = v.unshare();
        if (owned != v) {
            ks.setKey(key, owned, true);
        }
        grown[0] = owned.growZero(bytes);
        return owned;
    }

    /** The bytes of a string as bit commands read them: an int-encoded value reads as its digits. */
    private static byte[] bytesOf(StringValue v) {
        return v == null ? new byte[0] : v.bytes();
    }

    // -------------------------------------------------------------------------------------------------------
    // SETBIT, GETBIT
    // -------------------------------------------------------------------------------------------------------

    /** SETBIT key offset 0|1: replies the bit's previous value. */
    private static void setbit(Client c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], 0);
        if (!RedisNumbers.isLong(argv[3]) || (RedisNumbers.parseLong(argv[3]) & ~1L) != 0) {
            throw new CommandError(BAD_BIT);
        }
        int on = (int) RedisNumbers.parseLong(argv[3]);
        boolean[] grown = new boolean[1];
        StringValue v = stringForBitWrite(c, argv[1], offset, grown);
        byte[] buf = v.mutableBytes();
        int index = (int) (offset >> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        int old = (buf[index] & mask) != 0 ? 1 : 0;
        // A write that changes nothing is no change: it is not propagated (unless it created or grew the key).
        if (grown[0] || old != on) {
            buf[index] = (byte) (on == 1 ? buf[index] | mask : buf[index] & ~mask);
            c.node().keyspace().valueChangedInPlace(argv[1]);
            notify(c, KeyspaceEvents.STRING, "setbit", argv[1]);
        }
        c.reply().integer(old);
    }

    /** GETBIT key offset: bits past the end of the string, or of a missing key, are 0. */
    private static void getbit(Client c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], 0);
        byte[] s = bytesOf(asString(c.node().keyspace().lookupRead(argv[1])));
        long index = offset >> 3;
        int bit = index < s.length ? (s[(int) index] >> (7 - (int) (offset & 7))) & 1 : 0;
        c.reply().integer(bit);
    }

    // -------------------------------------------------------------------------------------------------------
    // BITCOUNT, BITPOS
    // -------------------------------------------------------------------------------------------------------

    /** A byte range resolved from BITCOUNT's or BITPOS's arguments, with masks for partial edge bytes. */
    private record Range(long start, long end, int firstByteNegMask, int lastByteNegMask) {
        boolean isEmpty() {
            return start > end;
        }
    }

    /**
     * Converts an inclusive range of bytes (or of bits with {@code isBit}) given with negative indexes
     * counting from the end into a clamped byte range; bit ranges keep masks of the bits outside the range
     * in their first and last bytes, as bitcountCommand and bitposCommand compute them.
     */
    private static Range resolve(long start, long end, long strlen, boolean isBit) {
        long total = isBit ? strlen << 3 : strlen;
        if (start < 0) {
            start += total;
        }
        if (end < 0) {
            end += total;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        end = Math.min(end, total - 1);
        if (isBit && start <= end) {
            int first = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
            int last = (1 << (7 - (int) (end & 7))) - 1;
            return new Range(start >> 3, end >> 3, first, last);
        }
        return new Range(start, end, 0, 0);
    }

    /** BIT or BYTE, else a syntax error. */
    private static boolean isBitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) {
            return true;
        }
        if (Args.is(arg, "byte")) {
            return false;
        }
        throw new CommandError(Args.SYNTAX_ERROR);
    }

    /**
     * BITCOUNT key [start end [BYTE|BIT]]: a missing key counts 0 whatever the arguments; two negative
     * indexes in reverse order count 0 before the unit is even read.
     */
    private static void bitcount(Client c, byte[][] argv) {
        StringValue v = asString(c.node().keyspace().lookupRead(argv[1]));
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        byte[] s = v.bytes();
        Range range;
        if (argv.length == 4 || argv.length == 5) {
            long start = Args.integer(argv[2]);
            long end = Args.integer(argv[3]);
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean isBit = argv.length == 5 && isBitUnit(argv[4]);
            range = resolve(start, end, s.length, isBit);
        } else if (argv.length == 2) {
            range = new Range(0, s.length - 1L, 0, 0);
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        if (range.isEmpty()) {
            c.reply().integer(0);
            return;
        }
        long count = 0;
        for (int i = (int) range.start(); i <= range.end(); i++) {
            count += Integer.bitCount(s[i] & 0xff);
        }
        // The edge bytes were counted whole: take back the bits outside the range.
        count -= Integer.bitCount(s[(int) range.start()] & range.firstByteNegMask());
        count -= Integer.bitCount(s[(int) range.end()] & range.lastByteNegMask());
        c.reply().integer(count);
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]: the position of the first bit set to {@code bit}. A missing key
     * is an endless run of zeros; past the end of a string without an explicit end, the string reads as
     * padded with zeros, so a search for 0 in all-ones bytes finds the first bit after them.
     */
    private static void bitpos(Client c, byte[][] argv) {
        long bit = Args.integer(argv[2]);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        StringValue v = asString(c.node().keyspace().lookupRead(argv[1]));
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        byte[] s = v.bytes();
        boolean endGiven = false;
        Range range;
        if (argv.length >= 4 && argv.length <= 6) {
            long start = Args.integer(argv[3]);
            boolean isBit = argv.length == 6 && isBitUnit(argv[5]);
            long end;
            if (argv.length >= 5) {
                end = Args.integer(argv[4]);
                endGiven = true;
            } else {
                end = isBit ? ((long) s.length << 3) + 7 : s.length - 1L;
            }
            range = resolve(start, end, s.length, isBit);
        } else if (argv.length == 3) {
            range = new Range(0, s.length - 1L, 0, 0);
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        if (range.isEmpty()) {
            c.reply().integer(-1);
            return;
        }
        c.reply().integer(firstBitInRange(s, range, (int) bit, endGiven));
    }

    /**
     * The first bit equal to {@code bit} in the range, the bits outside it in the edge bytes read as the
     * opposite value. Found nowhere: -1 when looking for 1, or for 0 within an explicit end; otherwise the
     * first bit after the range, where the string is taken as padded with zeros.
     */
    private static long firstBitInRange(byte[] s, Range range, int bit, boolean endGiven) {
        int start = (int) range.start();
        int end = (int) range.end();
        for (int i = start; i <= end; i++) {
            int b = s[i] & 0xff;
            int outside = (i == start ? range.firstByteNegMask() : 0) | (i == end ? range.lastByteNegMask() : 0);
            b = bit == 1 ? b & ~outside : b | outside;
            int probe = bit == 1 ? b : ~b & 0xff;
            if (probe != 0) {
                return ((long) i << 3) + Integer.numberOfLeadingZeros(probe) - 24;
            }
        }
        if (bit == 1 || endGiven) {
            return -1;
        }
        return (long) (end + 1) << 3;
    }

    // -------------------------------------------------------------------------------------------------------
    // BITOP
    // -------------------------------------------------------------------------------------------------------

    /**
     * BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys are empty strings, shorter strings are padded
     * with zeros. The result, as long as the longest input, replaces destkey (raw, TTL dropped); an empty
     * result deletes destkey. Replies the result's length.
     */
    private static void bitop(Client c, byte[][] argv) {
        char op;
        if (Args.is(argv[1], "and")) {
            op = '&';
        } else if (Args.is(argv[1], "or")) {
            op = '|';
        } else if (Args.is(argv[1], "xor")) {
            op = '^';
        } else if (Args.is(argv[1], "not")) {
            op = '~';
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        if (op == '~' && argv.length != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        Keyspace ks = c.node().keyspace();
        List<byte[]> sources = new ArrayList<>();
        int maxLen = 0;
        for (int j = 3; j < argv.length; j++) {
            byte[] s = bytesOf(asString(ks.lookupRead(argv[j])));
            sources.add(s);
            maxLen = Math.max(maxLen, s.length);
        }
        if (maxLen == 0) {
            if (ks.delete(argv[2])) {
                notify(c, KeyspaceEvents.GENERIC, "del", argv[2]);
            }
            c.reply().integer(0);
            return;
        }
        byte[] result = new byte[maxLen];
        for (int i = 0; i < maxLen; i++) {
            int out = byteAt(sources.get(0), i);
            if (op == '~') {
                out = ~out;
            }
            for (int j = 1; j < sources.size(); j++) {
                int b = byteAt(sources.get(j), i);
                out = switch (op) {
                    case '&' -> out & b;
                    case '|' -> out | b;
                    default -> out ^ b;
                };
            }
            result[i] = (byte) out;
        }
        ks.setKey(argv[2], StringValue.raw(result), false);
        notify(c, KeyspaceEvents.STRING, "set", argv[2]);
        c.reply().integer(maxLen);
    }

    private static int byteAt(byte[] s, int i) {
        return i < s.length ? s[i] & 0xff : 0;
    }

    // -------------------------------------------------------------------------------------------------------
    // BITFIELD
    // -------------------------------------------------------------------------------------------------------

    /** What BITFIELD does when a SET or INCRBY leaves the field's range (BFOVERFLOW_*). */
    private enum Overflow { WRAP, SAT, FAIL }

    /** One GET, SET or INCRBY of a BITFIELD command, with the overflow behaviour in force at its place. */
    private record FieldOp(char opcode, long offset, long value, Overflow overflow, int bits, boolean signed) {
    }

    /**
     * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
     * [OVERFLOW WRAP|SAT|FAIL] ... and BITFIELD_RO, which takes only GET. Every operation is parsed before
     * any runs; the string is then made long enough for the farthest bit written. SET replies the old
     * value, INCRBY the new one, and an operation refused by OVERFLOW FAIL replies nil and writes nothing.
     */
    private static void bitfield(Client c, byte[][] argv, boolean readOnlyCommand) {
        List<FieldOp> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        boolean writes = false;
        long highestWriteBit = 0;
        for (int j = 2; j < argv.length; j++) {
            int remaining = argv.length - j - 1;
            char opcode;
            if (Args.is(argv[j], "get") && remaining >= 2) {
                opcode = 'g';
            } else if (Args.is(argv[j], "set") && remaining >= 3) {
                opcode = 's';
            } else if (Args.is(argv[j], "incrby") && remaining >= 3) {
                opcode = 'i';
            } else if (Args.is(argv[j], "overflow") && remaining >= 1) {
                overflow = overflowOf(argv[++j]);
                continue;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
            boolean signed = fieldSigned(argv[j + 1]);
            int bits = fieldBits(argv[j + 1], signed);
            long offset = bitOffset(c, argv[j + 2], bits);
            long value = 0;
            if (opcode != 'g') {
                writes = true;
                highestWriteBit = Math.max(highestWriteBit, offset + bits - 1);
                value = Args.integer(argv[j + 3]);
            }
            ops.add(new FieldOp(opcode, offset, value, overflow, bits, signed));
            j += opcode == 'g' ? 2 : 3;
        }
        Keyspace ks = c.node().keyspace();
        StringValue target = null;
        boolean[] grown = new boolean[1];
        if (!writes) {
            target = asString(ks.lookupRead(argv[1]));
        } else if (readOnlyCommand) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        } else {
            target = stringForBitWrite(c, argv[1], highestWriteBit, grown);
        }
        RespWriter r = c.reply();
        r.array(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            if (op.opcode() == 'g') {
                r.integer(get(bytesOf(target), op));
            } else if (applyWrite(target.mutableBytes(), op, r, grown[0])) {
                changes++;
            }
        }
        if (changes > 0) {
            ks.valueChangedInPlace(argv[1]);
            notify(c, KeyspaceEvents.STRING, "setbit", argv[1]);
        }
    }

    private static Overflow overflowOf(byte[] arg) {
        if (Args.is(arg, "wrap")) {
            return Overflow.WRAP;
        } else if (Args.is(arg, "sat")) {
            return Overflow.SAT;
        } else if (Args.is(arg, "fail")) {
            return Overflow.FAIL;
        }
        throw new CommandError("ERR Invalid OVERFLOW type specified");
    }

    /** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (an u64 could not be replied as a signed integer). */
    private static boolean fieldSigned(byte[] type) {
        if (type.length > 0 && type[0] == 'i') {
            return true;
        } else if (type.length > 0 && type[0] == 'u') {
            return false;
        }
        throw new CommandError(BAD_TYPE);
    }

    private static int fieldBits(byte[] type, boolean signed) {
        if (!RedisNumbers.isLong(type, 1, type.length - 1)) {
            throw new CommandError(BAD_TYPE);
        }
        long bits = RedisNumbers.parseLong(type, 1, type.length - 1);
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw new CommandError(BAD_TYPE);
        }
        return (int) bits;
    }

    /** The field read from {@code s}, which reads as padded with zeros past its end. */
    private static long get(byte[] s, FieldOp op) {
        long raw = readBits(s, op.offset(), op.bits());
        return op.signed() ? signExtend(raw, op.bits()) : raw;
    }

    /**
     * Runs a SET or INCRBY on a buffer long enough for it, writing its reply. Returns whether it counts as a
     * change: it wrote a different value, or the string was created or grown for this command.
     */
    private static boolean applyWrite(byte[] buf, FieldOp op, RespWriter r, boolean grown) {
        long old = get(buf, op);
        long candidate = op.opcode() == 'i' ? old : op.value();
        long increment = op.opcode() == 'i' ? op.value() : 0;
        long[] limit = new long[1];
        boolean overflowed = op.signed()
                ? signedOverflow(candidate, increment, op.bits(), op.overflow(), limit)
                : unsignedOverflow(candidate, increment, op.bits(), op.overflow(), limit);
        if (overflowed && op.overflow() == Overflow.FAIL) {
            r.nullBulk();
            return false;
        }
        long stored = overflowed ? limit[0] : candidate + increment;
        r.integer(op.opcode() == 'i' ? stored : old);
        writeBits(buf, op.offset(), op.bits(), stored);
        return grown || old != stored;
    }

    /**
     * checkUnsignedBitfieldOverflow: whether value + incr leaves [0, 2^bits - 1] (value itself may already,
     * for SET, which checks its argument with an increment of 0); if so {@code limit[0]} is the wrapped or
     * saturated result.
     */
    static boolean unsignedOverflow(long value, long incr, int bits, Overflow owtype, long[] limit) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        boolean over = Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr);
        boolean under = !over && incr < 0 && incr < minIncr;
        if (!over && !under) {
            return false;
        }
        if (owtype == Overflow.WRAP) {
            limit[0] = (value + incr) & max;
        } else if (owtype == Overflow.SAT) {
            limit[0] = over ? max : 0;
        }
        return true;
    }

    /**
     * checkSignedBitfieldOverflow: whether value + incr leaves [-2^(bits-1), 2^(bits-1) - 1]; if so
     * {@code limit[0]} is the wrapped (two's complement, sign-extended) or saturated result. The bounds on
     * the increment are computed with wrapping arithmetic, and for 64-bit fields only consulted when the
     * signs make an overflow possible, as Redis does.
     */
    static boolean signedOverflow(long value, long incr, int bits, Overflow owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        boolean over = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean under = !over
                && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
        if (!over && !under) {
            return false;
        }
        if (owtype == Overflow.WRAP) {
            limit[0] = signExtend(value + incr, bits);
        } else if (owtype == Overflow.SAT) {
            limit[0] = over ? max : min;
        }
        return true;
    }

    /** The low {@code bits} bits of {@code v} as a signed number of that width. */
    private static long signExtend(long v, int bits) {
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    /** {@code bits} bits from bit {@code offset}, most significant first; bits past the end read 0. */
    private static long readBits(byte[] s, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            long bit = offset + j;
            long index = bit >> 3;
            int b = index < s.length ? (s[(int) index] >> (7 - (int) (bit & 7))) & 1 : 0;
            value = (value << 1) | b;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value} from bit {@code offset}, most significant first. */
    private static void writeBits(byte[] s, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long bit = offset + j;
            int index = (int) (bit >> 3);
            int mask = 1 << (7 - (int) (bit & 7));
            boolean set = ((value >>> (bits - 1 - j)) & 1) != 0;
            s[index] = (byte) (set ? s[index] | mask : s[index] & ~mask);
        }
    }
}
