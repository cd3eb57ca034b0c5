package dev.clusteremu.server.scripting.lua;

/**
 * LuaBitOp 1.0.2 ("bit"), which Redis bundles: 32-bit operations on numbers, converted as the library
 * converts them — by adding 2^52+2^51 and taking the low 32 bits of the double — and returned signed.
 */
public final class BitLib {
    private BitLib() {
    }

    public static void open(LuaTable g) {
        LuaTable b = new LuaTable(0, 12);
        BaseLib.reg(b, "tobit", (l, a) -> ret(barg(a, 1)));
        BaseLib.reg(b, "bnot", (l, a) -> ret(~barg(a, 1)));
        BaseLib.reg(b, "band", (l, a) -> {
            int r = barg(a, 1);
            for (int i = a.length; i > 1; i--) {
                r &= barg(a, i);
            }
            return ret(r);
        });
        BaseLib.reg(b, "bor", (l, a) -> {
            int r = barg(a, 1);
            for (int i = a.length; i > 1; i--) {
                r |= barg(a, i);
            }
            return ret(r);
        });
        BaseLib.reg(b, "bxor", (l, a) -> {
            int r = barg(a, 1);
            for (int i = a.length; i > 1; i--) {
                r ^= barg(a, i);
            }
            return ret(r);
        });
        BaseLib.reg(b, "lshift", (l, a) -> {
            int v = barg(a, 1);
            return ret(v << (barg(a, 2) & 31));
        });
        BaseLib.reg(b, "rshift", (l, a) -> {
            int v = barg(a, 1);
            return ret(v >>> (barg(a, 2) & 31));
        });
        BaseLib.reg(b, "arshift", (l, a) -> {
            int v = barg(a, 1);
            return ret(v >> (barg(a, 2) & 31));
        });
        BaseLib.reg(b, "rol", (l, a) -> {
            int v = barg(a, 1);
            return ret(Integer.rotateLeft(v, barg(a, 2) & 31));
        });
        BaseLib.reg(b, "ror", (l, a) -> {
            int v = barg(a, 1);
            return ret(Integer.rotateRight(v, barg(a, 2) & 31));
        });
        BaseLib.reg(b, "bswap", (l, a) -> ret(Integer.reverseBytes(barg(a, 1))));
        BaseLib.reg(b, "tohex", (l, a) -> {
            int v = barg(a, 1);
            int n = a.length < 2 ? 8 : barg(a, 2);
            String digits = "0123456789abcdef";
            if (n < 0) {
                n = -n;
                digits = "0123456789ABCDEF";
            }
            if (n > 8) {
                n = 8;
            }
            byte[] buf = new byte[n];
            for (int i = n; --i >= 0;) {
                buf[i] = (byte) digits.charAt(v & 15);
                v >>>= 4;
            }
            return Args.ret(LuaString.wrap(buf));
        });
        g.rawset("bit", b);
    }

    /** barg: the low 32 bits of n + 2^52 + 2^51; a non-number converts to 0 and is refused only then. */
    private static int barg(Object[] a, int idx) {
        Double d = LuaValues.toNumber(Args.arg(a, idx));
        double n = d == null ? 0 : d;
        int b = (int) Double.doubleToRawLongBits(n + 6755399441055744.0);
        if (b == 0 && d == null) {
            throw Args.typeError(a, idx, "number");
        }
        return b;
    }

    private static Object[] ret(int b) {
        return Args.ret((double) b);
    }
}
