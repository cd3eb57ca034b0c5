package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * lua-cmsgpack 0.4.0 ("cmsgpack"), which Redis bundles: MessagePack with the smallest integer encoding,
 * floats as float32 when exact, tables as arrays when their keys are exactly 1..n, nesting cut at 16
 * levels (encoded as nil), and unpack, unpack_one and unpack_limit over streams of values.
 */
public final class CmsgpackLib {
    /** LUACMSGPACK_MAX_NESTING. */
    private static final int MAX_NESTING = 16;

    private CmsgpackLib() {
    }

    public static void open(LuaTable g) {
        LuaTable m = new LuaTable(0, 8);
        BaseLib.reg(m, "pack", CmsgpackLib::pack);
        BaseLib.reg(m, "unpack", (l, a) -> unpackFull(l, a, 0, 0));
        BaseLib.reg(m, "unpack_one", (l, a) -> {
            int offset = (int) Args.optInteger(a, 2, 0);
            return unpackFull(l, new Object[] {Args.arg(a, 1)}, 1, offset);
        });
        BaseLib.reg(m, "unpack_limit", (l, a) -> {
            int limit = (int) Args.checkInteger(a, 2);
            int offset = (int) Args.optInteger(a, 3, 0);
            return unpackFull(l, new Object[] {Args.arg(a, 1)}, limit, offset);
        });
        m.rawset("_NAME", LuaString.of("cmsgpack"));
        m.rawset("_VERSION", LuaString.of("lua-cmsgpack 0.4.0"));
        m.rawset("_COPYRIGHT", LuaString.of("Copyright (C) 2012, Salvatore Sanfilippo"));
        m.rawset("_DESCRIPTION", LuaString.of("MessagePack C implementation for Lua"));
        g.rawset("cmsgpack", m);
    }

    // ------------------------------------------------------------------------------------------------
    // Packing
    // ------------------------------------------------------------------------------------------------

    private static Object[] pack(LuaThread l, Object[] a) {
        if (a.length == 0) {
            throw new ArgError(0, "MessagePack pack needs input.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : a) {
            encode(l, out, v, 0);
        }
        return Args.ret(LuaString.wrap(out.toByteArray()));
    }

    private static void encode(LuaThread l, ByteArrayOutputStream out, Object v, int level) {
        if (v instanceof LuaTable && level == MAX_NESTING) {
            v = null;
        }
        if (v instanceof LuaString s) {
            encodeBytes(out, s.bytes());
        } else if (v instanceof Boolean b) {
            out.write(b ? 0xc3 : 0xc2);
        } else if (v instanceof Double d) {
            double n = d;
            if (!Double.isInfinite(n) && (double) LuaValues.toLong(n) == n) {
                encodeInt(out, LuaValues.toLong(n));
            } else {
                encodeDouble(out, n);
            }
        } else if (v instanceof LuaTable t) {
            if (isArray(t)) {
                int len = t.length();
                encodeHeader(out, len, 0x90, 0xdc, 0xdd);
                for (int j = 1; j <= len; j++) {
                    encode(l, out, Vm.index(l, t, (double) j, null), level + 1);
                }
            } else {
                int len = 0;
                Object[] kv = t.next(null);
                while (kv != null) {
                    len++;
                    kv = t.next(kv[0]);
                }
                encodeHeader(out, len, 0x80, 0xde, 0xdf);
                kv = t.next(null);
                while (kv != null) {
                    encode(l, out, kv[0], level + 1);
                    encode(l, out, kv[1], level + 1);
                    kv = t.next(kv[0]);
                }
            }
        } else {
            out.write(0xc0);
        }
    }

    /** table_is_an_array: every key a positive integer (as a C int) and as many keys as the largest. */
    private static boolean isArray(LuaTable t) {
        int count = 0;
        int max = 0;
        Object[] kv = t.next(null);
        while (kv != null) {
            if (!(kv[0] instanceof Double d) || d <= 0 || Double.isInfinite(d) || (double) (int) (double) d != d) {
                return false;
            }
            int n = (int) (double) d;
            max = Math.max(n, max);
            count++;
            kv = t.next(kv[0]);
        }
        return max == count;
    }

    private static void encodeHeader(ByteArrayOutputStream out, int n, int fix, int b16, int b32) {
        if (n <= 15) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(b16);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(b32);
            writeBig(out, n, 4);
        }
    }

    private static void encodeBytes(ByteArrayOutputStream out, byte[] s) {
        int len = s.length;
        if (len < 32) {
            out.write(0xa0 | len);
        } else if (len <= 0xff) {
            out.write(0xd9);
            out.write(len);
        } else if (len <= 0xffff) {
            out.write(0xda);
            writeBig(out, len, 2);
        } else {
            out.write(0xdb);
            writeBig(out, len, 4);
        }
        out.writeBytes(s);
    }

    private static void encodeInt(ByteArrayOutputStream out, long n) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                writeBig(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                writeBig(out, n, 4);
            } else {
                out.write(0xcf);
                writeBig(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) n);
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) n);
        } else if (n >= -32768) {
            out.write(0xd1);
            writeBig(out, n, 2);
        } else if (n >= -2147483648L) {
            out.write(0xd2);
            writeBig(out, n, 4);
        } else {
            out.write(0xd3);
            writeBig(out, n, 8);
        }
    }

    private static void encodeDouble(ByteArrayOutputStream out, double d) {
        float f = (float) d;
        if (d == (double) f) {
            out.write(0xca);
            writeBig(out, Float.floatToRawIntBits(f), 4);
        } else {
            out.write(0xcb);
            writeBig(out, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void writeBig(ByteArrayOutputStream out, long v, int size) {
        for (int i = size - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Unpacking
    // ------------------------------------------------------------------------------------------------

    /** A decoding cursor (mp_cur); err is 1 for missing bytes, 2 for a bad format. */
    private static final class Cursor {
        final byte[] p;
        int pos;
        int err;

        Cursor(byte[] p, int pos) {
            this.p = p;
            this.pos = pos;
        }

        int left() {
            return p.length - pos;
        }

        boolean need(int n) {
            if (left() < n) {
                err = 1;
                return false;
            }
            return true;
        }

        int u8(int off) {
            return p[pos + off] & 0xff;
        }

        long big(int off, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v = (v << 8) | u8(off + i);
            }
            return v;
        }
    }

    private static Object[] unpackFull(LuaThread l, Object[] a, int limit, int offset) {
        LuaString s = Args.checkString(a, 1);
        int len = s.length();
        boolean decodeAll = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw l.error("Invalid request to unpack with offset of " + offset + " and limit of " + len + ".");
        } else if (offset > len) {
            throw l.error("Start offset " + offset + " greater than input length " + len + ".");
        }
        if (decodeAll) {
            limit = Integer.MAX_VALUE;
        }
        Cursor c = new Cursor(s.bytes(), offset);
        List<Object> results = new ArrayList<>();
        for (int cnt = 0; c.left() > 0 && cnt < limit; cnt++) {
            Object v = decode(l, c);
            if (c.err == 1) {
                throw l.error("Missing bytes in input.");
            } else if (c.err == 2) {
                throw l.error("Bad data format in input.");
            }
            results.add(v);
        }
        if (!decodeAll) {
            results.add(0, (double) (c.left() == 0 ? -1 : len - c.left()));
        }
        return results.toArray();
    }

    private static Object decode(LuaThread l, Cursor c) {
        if (!c.need(1)) {
            return null;
        }
        int t = c.u8(0);
        switch (t) {
            case 0xcc:
                return c.need(2) ? take(c, 2, (double) c.u8(1)) : null;
            case 0xd0:
                return c.need(2) ? take(c, 2, (double) (byte) c.u8(1)) : null;
            case 0xcd:
                return c.need(3) ? take(c, 3, (double) c.big(1, 2)) : null;
            case 0xd1:
                return c.need(3) ? take(c, 3, (double) (short) c.big(1, 2)) : null;
            case 0xce:
                return c.need(5) ? take(c, 5, (double) c.big(1, 4)) : null;
            case 0xd2:
                return c.need(5) ? take(c, 5, (double) (int) c.big(1, 4)) : null;
            case 0xcf:
                return c.need(9) ? take(c, 9, LuaValues.unsignedToDouble(c.big(1, 8))) : null;
            case 0xd3:
                return c.need(9) ? take(c, 9, (double) c.big(1, 8)) : null;
            case 0xc0:
                c.pos++;
                return null;
            case 0xc3:
                c.pos++;
                return Boolean.TRUE;
            case 0xc2:
                c.pos++;
                return Boolean.FALSE;
            case 0xca:
                return c.need(5) ? take(c, 5, (double) Float.intBitsToFloat((int) c.big(1, 4))) : null;
            case 0xcb:
                return c.need(9) ? take(c, 9, Double.longBitsToDouble(c.big(1, 8))) : null;
            case 0xd9: {
                if (!c.need(2)) {
                    return null;
                }
                return bytes(c, 2, c.u8(1));
            }
            case 0xda: {
                if (!c.need(3)) {
                    return null;
                }
                return bytes(c, 3, (int) c.big(1, 2));
            }
            case 0xdb: {
                if (!c.need(5)) {
                    return null;
                }
                long n = c.big(1, 4);
                c.pos += 5;
                if (!c.need((int) Math.min(n, Integer.MAX_VALUE))) {
                    return null;
                }
                return bytes(c, 0, (int) n);
            }
            case 0xdc: {
                if (!c.need(3)) {
                    return null;
                }
                long n = c.big(1, 2);
                c.pos += 3;
                return array(l, c, n);
            }
            case 0xdd: {
                if (!c.need(5)) {
                    return null;
                }
                long n = c.big(1, 4);
                c.pos += 5;
                return array(l, c, n);
            }
            case 0xde: {
                if (!c.need(3)) {
                    return null;
                }
                long n = c.big(1, 2);
                c.pos += 3;
                return map(l, c, n);
            }
            case 0xdf: {
                if (!c.need(5)) {
                    return null;
                }
                long n = c.big(1, 4);
                c.pos += 5;
                return map(l, c, n);
            }
            default:
                if ((t & 0x80) == 0) {
                    c.pos++;
                    return (double) t;
                } else if ((t & 0xe0) == 0xe0) {
                    c.pos++;
                    return (double) (byte) t;
                } else if ((t & 0xe0) == 0xa0) {
                    int n = t & 0x1f;
                    if (!c.need(1 + n)) {
                        return null;
                    }
                    return bytes(c, 1, n);
                } else if ((t & 0xf0) == 0x90) {
                    c.pos++;
                    return array(l, c, t & 0xf);
                } else if ((t & 0xf0) == 0x80) {
                    c.pos++;
                    return map(l, c, t & 0xf);
                }
                c.err = 2;
                return null;
        }
    }

    private static Object take(Cursor c, int n, Object v) {
        c.pos += n;
        return v;
    }

    private static Object bytes(Cursor c, int header, int n) {
        if (!c.need(header + n)) {
            return null;
        }
        byte[] b = java.util.Arrays.copyOfRange(c.p, c.pos + header, c.pos + header + n);
        c.pos += header + n;
        return LuaString.wrap(b);
    }

    private static LuaTable array(LuaThread l, Cursor c, long n) {
        LuaTable t = new LuaTable();
        int index = 1;
        while (n-- > 0) {
            Object v = decode(l, c);
            if (c.err != 0) {
                return t;
            }
            t.rawset((double) index++, v);
        }
        return t;
    }

    private static LuaTable map(LuaThread l, Cursor c, long n) {
        LuaTable t = new LuaTable();
        while (n-- > 0) {
            Object k = decode(l, c);
            if (c.err != 0) {
                return t;
            }
            Object v = decode(l, c);
            if (c.err != 0) {
                return t;
            }
            t.rawset(k, v);
        }
        return t;
    }
}
