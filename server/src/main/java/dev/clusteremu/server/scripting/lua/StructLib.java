package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;

/**
 * Roberto Ierusalimschy's struct library (struct.c), which Redis bundles: struct.pack, struct.unpack and
 * struct.size over the formats of a 64-bit little-endian C ABI (short 2, int 4, long and size_t 8, maximum
 * alignment 8).
 */
public final class StructLib {
    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;

    private StructLib() {
    }

    /** Header: endianness and alignment, as options set them. */
    private static final class Header {
        boolean big;
        int align = 1;
    }

    /** A cursor over the format (a C string). */
    private static final class Fmt {
        final byte[] f;
        final int len;
        int i;

        Fmt(LuaString s) {
            f = s.bytes();
            int n = 0;
            while (n < f.length && f[n] != 0) {
                n++;
            }
            len = n;
        }

        int peek() {
            return i < len ? f[i] & 0xff : 0;
        }
    }

    public static void open(LuaTable g) {
        LuaTable s = new LuaTable(0, 3);
        BaseLib.reg(s, "pack", StructLib::pack);
        BaseLib.reg(s, "unpack", StructLib::unpack);
        BaseLib.reg(s, "size", StructLib::size);
        g.rawset("struct", s);
    }

    private static int getnum(LuaThread l, Fmt fmt, int df) {
        if (!isDigit(fmt.peek())) {
            return df;
        }
        int a = 0;
        do {
            int d = fmt.peek() - '0';
            if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) {
                throw l.error("integral size overflow");
            }
            a = a * 10 + d;
            fmt.i++;
        } while (isDigit(fmt.peek()));
        return a;
    }

    private static long optsize(LuaThread l, int opt, Fmt fmt) {
        switch (opt) {
            case 'B', 'b', 'x':
                return 1;
            case 'H', 'h':
                return 2;
            case 'L', 'l', 'T', 'd':
                return 8;
            case 'f':
                return 4;
            case 'c':
                return getnum(l, fmt, 1);
            case 'i', 'I': {
                int sz = getnum(l, fmt, 4);
                if (sz > MAX_INT_SIZE) {
                    throw l.error("integral size " + sz + " is larger than limit of " + MAX_INT_SIZE);
                }
                return sz;
            }
            default:
                return 0;
        }
    }

    private static long gettoalign(long len, Header h, int opt, long size) {
        if (size == 0 || opt == 'c') {
            return 0;
        }
        if (size > h.align) {
            size = h.align;
        }
        return (size - (len & (size - 1))) & (size - 1);
    }

    private static void controloptions(LuaThread l, int opt, Fmt fmt, Header h) {
        switch (opt) {
            case ' ' -> {
            }
            case '>' -> h.big = true;
            case '<' -> h.big = false;
            case '!' -> {
                int a = getnum(l, fmt, MAX_ALIGN);
                if (!(a > 0 && (a & (a - 1)) == 0)) {
                    throw l.error("alignment " + a + " is not a power of 2");
                }
                h.align = a;
            }
            default -> throw new ArgError(1, "invalid format option '" + (char) opt + "'");
        }
    }

    private static Object[] pack(LuaThread l, Object[] a) {
        Fmt fmt = new Fmt(Args.checkString(a, 1));
        Header h = new Header();
        int arg = 2;
        long total = 0;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (fmt.i < fmt.len) {
            int opt = fmt.f[fmt.i++] & 0xff;
            long size = optsize(l, opt, fmt);
            long toalign = gettoalign(total, h, opt, size);
            total += toalign;
            while (toalign-- > 0) {
                b.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = Args.checkNumber(a, arg++);
                    long value = n < 0 ? LuaValues.toLong(n) : toUnsigned(n);
                    byte[] buf = new byte[(int) size];
                    if (!h.big) {
                        for (int i = 0; i < size; i++) {
                            buf[i] = (byte) value;
                            value >>>= 8;
                        }
                    } else {
                        for (int i = (int) size - 1; i >= 0; i--) {
                            buf[i] = (byte) value;
                            value >>>= 8;
                        }
                    }
                    b.writeBytes(buf);
                }
                case 'x' -> b.write(0);
                case 'f' -> {
                    int bits = Float.floatToRawIntBits((float) Args.checkNumber(a, arg++));
                    writeBytes(b, bits, 4, h.big);
                }
                case 'd' -> {
                    long bits = Double.doubleToRawLongBits(Args.checkNumber(a, arg++));
                    writeBytes(b, bits, 8, h.big);
                }
                case 'c', 's' -> {
                    LuaString s = Args.checkString(a, arg++);
                    if (size == 0) {
                        size = s.length();
                    }
                    if (s.length() < size) {
                        throw new ArgError(arg, "string too short");
                    }
                    b.write(s.bytes(), 0, (int) size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                }
                default -> controloptions(l, opt, fmt, h);
            }
            total += size;
        }
        return Args.ret(LuaString.wrap(b.toByteArray()));
    }

    private static long toUnsigned(double n) {
        if (n >= 0x1p63 && n < 0x1p64) {
            return (long) (n - 0x1p63) ^ Long.MIN_VALUE;
        }
        return LuaValues.toLong(n);
    }

    private static void writeBytes(ByteArrayOutputStream b, long bits, int size, boolean big) {
        for (int i = 0; i < size; i++) {
            int shift = big ? 8 * (size - 1 - i) : 8 * i;
            b.write((int) (bits >>> shift));
        }
    }

    private static long readBytes(byte[] d, int pos, int size, boolean big) {
        long v = 0;
        if (big) {
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (d[pos + i] & 0xff);
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (d[pos + i] & 0xff);
            }
        }
        return v;
    }

    private static Object[] unpack(LuaThread l, Object[] a) {
        Fmt fmt = new Fmt(Args.checkString(a, 1));
        LuaString dataStr = Args.checkString(a, 2);
        byte[] data = dataStr.bytes();
        long ld = data.length;
        long pos = Args.optInteger(a, 3, 1) - 1;
        if (Long.compareUnsigned(pos, ld) > 0) {
            throw new ArgError(3, "offset out of range");
        }
        Header h = new Header();
        java.util.List<Object> results = new java.util.ArrayList<>();
        while (fmt.i < fmt.len) {
            int opt = fmt.f[fmt.i++] & 0xff;
            long size = optsize(l, opt, fmt);
            pos += gettoalign(pos, h, opt, size);
            if (!(size <= ld && pos <= ld - size)) {
                throw new ArgError(2, "data string too short");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    boolean signed = Character.isLowerCase(opt);
                    long v = 0;
                    int sz = (int) size;
                    for (int i = 0; i < sz; i++) {
                        int idx = h.big ? i : sz - 1 - i;
                        v = (v << 8) | (data[(int) pos + idx] & 0xff);
                    }
                    double res;
                    if (!signed) {
                        res = LuaValues.unsignedToDouble(v);
                    } else {
                        long mask = sz * 8 - 1 >= 64 ? 0 : -1L << (sz * 8 - 1);
                        if ((v & mask) != 0) {
                            v |= mask;
                        }
                        res = v;
                    }
                    results.add(res);
                }
                case 'x' -> {
                }
                case 'f' -> results.add((double) Float.intBitsToFloat((int) readBytes(data, (int) pos, 4, h.big)));
                case 'd' -> results.add(Double.longBitsToDouble(readBytes(data, (int) pos, 8, h.big)));
                case 'c' -> {
                    if (size == 0) {
                        if (results.isEmpty() || LuaValues.toNumber(results.get(results.size() - 1)) == null) {
                            throw l.error("format 'c0' needs a previous size");
                        }
                        size = (long) (double) LuaValues.toNumber(results.remove(results.size() - 1));
                        if (!(size <= ld && pos <= ld - size)) {
                            throw new ArgError(2, "data string too short");
                        }
                    }
                    results.add(dataStr.substring((int) pos, (int) (pos + size)));
                }
                case 's' -> {
                    int e = (int) pos;
                    while (e < data.length && data[e] != 0) {
                        e++;
                    }
                    if (e >= data.length) {
                        throw l.error("unfinished string in data");
                    }
                    size = e - pos + 1;
                    results.add(dataStr.substring((int) pos, e));
                }
                default -> controloptions(l, opt, fmt, h);
            }
            pos += size;
        }
        results.add((double) (pos + 1));
        return results.toArray();
    }

    private static Object[] size(LuaThread l, Object[] a) {
        Fmt fmt = new Fmt(Args.checkString(a, 1));
        Header h = new Header();
        long pos = 0;
        while (fmt.i < fmt.len) {
            int opt = fmt.f[fmt.i++] & 0xff;
            long size = optsize(l, opt, fmt);
            pos += gettoalign(pos, h, opt, size);
            if (opt == 's') {
                throw new ArgError(1, "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw new ArgError(1, "option 'c0' has no fixed size");
            }
            if (!Character.isLetterOrDigit(opt) || opt > 127) {
                controloptions(l, opt, fmt, h);
            }
            pos += size;
        }
        return Args.ret((double) pos);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
