package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Lua 5.1's string library (lstrlib.c), byte-oriented and in the C locale, and the string metatable. */
public final class StringLib {
    /** Characters that make string.find use patterns rather than a plain search. */
    private static final String SPECIALS = "^$*+?.([%-";
    /** A result larger than this fails as Redis's Lua would fail to allocate it. */
    private static final long MAX_RESULT = 512L * 1024 * 1024;

    private StringLib() {
    }

    /** Registers the library as {@code string} in {@code g} and makes it the strings' metatable __index. */
    public static void open(LuaState state, LuaTable g) {
        LuaTable s = new LuaTable(0, 15);
        BaseLib.reg(s, "byte", StringLib::byteFn);
        BaseLib.reg(s, "char", StringLib::charFn);
        BaseLib.reg(s, "dump", (l, a) -> {
            if (!(Args.arg(a, 1) instanceof LuaFunction)) {
                throw Args.typeError(a, 1, "function");
            }
            throw l.error("unable to dump given function");
        });
        BaseLib.reg(s, "find", (l, a) -> findAux(l, a, true));
        BaseLib.reg(s, "format", StringLib::format);
        Builtin gmatch = new Builtin("gmatch", StringLib::gmatch);
        s.rawset("gfind", gmatch);
        s.rawset("gmatch", gmatch);
        BaseLib.reg(s, "gsub", StringLib::gsub);
        BaseLib.reg(s, "len", (l, a) -> Args.ret((double) Args.checkString(a, 1).length()));
        BaseLib.reg(s, "lower", (l, a) -> Args.ret(mapCase(Args.checkString(a, 1), false)));
        BaseLib.reg(s, "match", (l, a) -> findAux(l, a, false));
        BaseLib.reg(s, "rep", StringLib::rep);
        BaseLib.reg(s, "reverse", (l, a) -> {
            byte[] b = Args.checkString(a, 1).bytes().clone();
            for (int i = 0, j = b.length - 1; i < j; i++, j--) {
                byte t = b[i];
                b[i] = b[j];
                b[j] = t;
            }
            return Args.ret(LuaString.wrap(b));
        });
        BaseLib.reg(s, "sub", StringLib::sub);
        BaseLib.reg(s, "upper", (l, a) -> Args.ret(mapCase(Args.checkString(a, 1), true)));
        g.rawset("string", s);
        LuaTable meta = new LuaTable(0, 1);
        meta.rawset("__index", s);
        state.setStringMetatable(meta);
    }

    private static LuaString mapCase(LuaString s, boolean upper) {
        byte[] b = s.bytes().clone();
        for (int i = 0; i < b.length; i++) {
            int c = b[i];
            if (upper && c >= 'a' && c <= 'z') {
                b[i] = (byte) (c - 32);
            } else if (!upper && c >= 'A' && c <= 'Z') {
                b[i] = (byte) (c + 32);
            }
        }
        return LuaString.wrap(b);
    }

    /** posrelat: a negative position counts from the end. */
    private static long posrelat(long pos, int len) {
        if (pos < 0) {
            pos += len + 1;
        }
        return pos >= 0 ? pos : 0;
    }

    private static Object[] sub(LuaThread l, Object[] a) {
        LuaString s = Args.checkString(a, 1);
        int len = s.length();
        long start = posrelat(Args.checkInteger(a, 2), len);
        long end = posrelat(Args.optInteger(a, 3, -1), len);
        if (start < 1) {
            start = 1;
        }
        if (end > len) {
            end = len;
        }
        if (start <= end) {
            return Args.ret(s.substring((int) start - 1, (int) end));
        }
        return Args.ret(LuaString.EMPTY);
    }

    private static Object[] byteFn(LuaThread l, Object[] a) {
        LuaString s = Args.checkString(a, 1);
        int len = s.length();
        long posi = posrelat(Args.optInteger(a, 2, 1), len);
        long pose = posrelat(Args.optInteger(a, 3, posi), len);
        if (posi <= 0) {
            posi = 1;
        }
        if (pose > len) {
            pose = len;
        }
        if (posi > pose) {
            return Args.none();
        }
        int n = (int) (pose - posi + 1);
        if (n > 8000) {
            throw l.error("stack overflow (string slice too long)");
        }
        Object[] r = new Object[n];
        for (int i = 0; i < n; i++) {
            r[i] = (double) s.byteAt((int) posi + i - 1);
        }
        return r;
    }

    private static Object[] charFn(LuaThread l, Object[] a) {
        byte[] b = new byte[a.length];
        for (int i = 1; i <= a.length; i++) {
            int c = Args.checkInt(a, i);
            if ((c & 0xff) != c) {
                throw new ArgError(i, "invalid value");
            }
            b[i - 1] = (byte) c;
        }
        return Args.ret(LuaString.wrap(b));
    }

    private static Object[] rep(LuaThread l, Object[] a) {
        LuaString s = Args.checkString(a, 1);
        int n = Args.checkInt(a, 2);
        if (n <= 0 || s.length() == 0) {
            return Args.ret(LuaString.EMPTY);
        }
        if ((long) s.length() * n > MAX_RESULT) {
            throw new LuaError(LuaString.of("not enough memory"));
        }
        byte[] r = new byte[s.length() * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.bytes(), 0, r, i * s.length(), s.length());
        }
        return Args.ret(LuaString.wrap(r));
    }

    // ------------------------------------------------------------------------------------------------
    // find, match, gmatch, gsub
    // ------------------------------------------------------------------------------------------------

    private static Object[] findAux(LuaThread l, Object[] a, boolean find) {
        LuaString s = Args.checkString(a, 1);
        LuaString p = Args.checkString(a, 2);
        int l1 = s.length();
        long init = posrelat(Args.optInteger(a, 3, 1), l1) - 1;
        if (init < 0) {
            init = 0;
        } else if (init > l1) {
            init = l1;
        }
        if (find && (LuaValues.truthy(Args.arg(a, 4)) || noSpecials(p.bytes()))) {
            int at = indexOf(s.bytes(), (int) init, p.bytes());
            if (at >= 0) {
                return Args.ret((double) (at + 1), (double) (at + p.length()));
            }
        } else {
            LuaPattern ms = new LuaPattern(l, s.bytes(), p.bytes());
            boolean anchor = ms.pc(0) == '^';
            int pstart = anchor ? 1 : 0;
            int s1 = (int) init;
            do {
                ms.level = 0;
                int res = ms.match(s1, pstart);
                if (res >= 0) {
                    if (find) {
                        return Vm.prepend((double) (s1 + 1),
                                Vm.prepend((double) res, ms.captures(-1, 0)));
                    }
                    return ms.captures(s1, res);
                }
            } while (s1++ < l1 && !anchor);
        }
        return Args.ret((Object) null);
    }

    /** strpbrk(p, SPECIALS) == NULL, on the C string. */
    private static boolean noSpecials(byte[] p) {
        for (byte b : p) {
            if (b == 0) {
                break;
            }
            if (SPECIALS.indexOf(b & 0xff) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** lmemfind. */
    private static int indexOf(byte[] s, int from, byte[] p) {
        if (p.length == 0) {
            return from;
        }
        outer:
        for (int i = from; i <= s.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (s[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Object[] gmatch(LuaThread l, Object[] a) {
        LuaString s = Args.checkString(a, 1);
        LuaString p = Args.checkString(a, 2);
        int[] start = {0};
        return Args.ret(new Builtin("gmatch_aux", (l2, a2) -> {
            LuaPattern ms = new LuaPattern(l2, s.bytes(), p.bytes());
            for (int src = start[0]; src <= s.length(); src++) {
                ms.level = 0;
                int e = ms.match(src, 0);
                if (e >= 0) {
                    int newStart = e;
                    if (e == src) {
                        newStart++;
                    }
                    start[0] = newStart;
                    return ms.captures(src, e);
                }
            }
            return Args.none();
        }));
    }

    private static Object[] gsub(LuaThread l, Object[] a) {
        LuaString srcStr = Args.checkString(a, 1);
        LuaString p = Args.checkString(a, 2);
        Object repl = Args.arg(a, 3);
        int srcl = srcStr.length();
        int maxS = Args.optInt(a, 4, srcl + 1);
        if (!(repl instanceof Double || repl instanceof LuaString || repl instanceof LuaFunction
                || repl instanceof LuaTable)) {
            throw new ArgError(3, "string/function/table expected");
        }
        LuaPattern ms = new LuaPattern(l, srcStr.bytes(), p.bytes());
        boolean anchor = ms.pc(0) == '^';
        int pstart = anchor ? 1 : 0;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int src = 0;
        int n = 0;
        while (n < maxS) {
            ms.level = 0;
            int e = ms.match(src, pstart);
            if (e >= 0) {
                n++;
                addValue(l, ms, b, src, e, repl);
            }
            if (e >= 0 && e > src) {
                src = e;
            } else if (src < srcl) {
                b.write(srcStr.bytes()[src++]);
            } else {
                break;
            }
            if (anchor) {
                break;
            }
        }
        b.write(srcStr.bytes(), src, srcl - src);
        return Args.ret(LuaString.wrap(b.toByteArray()), (double) n);
    }

    private static void addValue(LuaThread l, LuaPattern ms, ByteArrayOutputStream b, int s, int e, Object repl) {
        Object value;
        if (repl instanceof LuaString || repl instanceof Double) {
            addString(ms, b, s, e, LuaValues.toLuaString(repl).bytes());
            return;
        } else if (repl instanceof LuaFunction) {
            value = Expr.first(l.callFromBuiltin(repl, ms.captures(s, e)));
        } else {
            value = Vm.index(l, repl, ms.capture(0, s, e), null);
        }
        if (!LuaValues.truthy(value)) {
            b.write(ms.src, s, e - s);
            return;
        }
        LuaString v = LuaValues.toLuaString(value);
        if (v == null) {
            throw l.error("invalid replacement value (a " + LuaValues.typeName(value) + ")");
        }
        b.writeBytes(v.bytes());
    }

    /** add_s: the replacement string with %0-%9 expanded ("%" then another char stands for that char). */
    private static void addString(LuaPattern ms, ByteArrayOutputStream b, int s, int e, byte[] news) {
        for (int i = 0; i < news.length; i++) {
            if (news[i] != '%') {
                b.write(news[i]);
                continue;
            }
            i++;
            int c = i < news.length ? news[i] & 0xff : 0;
            if (!LuaPattern.isDigit(c)) {
                b.write(c);
            } else if (c == '0') {
                b.write(ms.src, s, e - s);
            } else {
                Object cap = ms.capture(c - '1', s, e);
                b.writeBytes(LuaValues.toLuaString(cap).bytes());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // format
    // ------------------------------------------------------------------------------------------------

    private static Object[] format(LuaThread l, Object[] a) {
        byte[] fmt = Args.checkString(a, 1).bytes();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int arg = 1;
        int i = 0;
        int end = fmt.length;
        while (i < end) {
            if (fmt[i] != '%') {
                b.write(fmt[i++]);
                continue;
            }
            i++;
            if (i < end && fmt[i] == '%') {
                b.write('%');
                i++;
                continue;
            }
            if (++arg > a.length) {
                throw new ArgError(arg, "no value");
            }
            int start = i;
            while (i < end && "-+ #0".indexOf(fmt[i]) >= 0) {
                i++;
            }
            if (i - start >= 6) {
                throw l.error("invalid format (repeated flags)");
            }
            String flags = new String(fmt, start, i - start, StandardCharsets.ISO_8859_1);
            int width = -1;
            int precision = -1;
            int ws = i;
            if (i < end && isDigit(fmt[i])) {
                i++;
            }
            if (i < end && isDigit(fmt[i])) {
                i++;
            }
            if (i > ws) {
                width = Integer.parseInt(new String(fmt, ws, i - ws, StandardCharsets.ISO_8859_1));
            }
            boolean hasPrecision = false;
            if (i < end && fmt[i] == '.') {
                hasPrecision = true;
                i++;
                int ps = i;
                if (i < end && isDigit(fmt[i])) {
                    i++;
                }
                if (i < end && isDigit(fmt[i])) {
                    i++;
                }
                precision = i > ps ? Integer.parseInt(new String(fmt, ps, i - ps, StandardCharsets.ISO_8859_1)) : 0;
            }
            if (i < end && isDigit(fmt[i])) {
                throw l.error("invalid format (width or precision too long)");
            }
            int conv = i < end ? fmt[i] & 0xff : 0;
            i++;
            CFormat cf = new CFormat(flags, width, precision);
            String item;
            switch (conv) {
                case 'c' -> {
                    double d = Args.checkNumber(a, arg);
                    int c = Double.isNaN(d) || d >= 0x1p31 || d < -0x1p31 ? Integer.MIN_VALUE : (int) d;
                    item = cf.text(String.valueOf((char) (c & 0xff)));
                }
                case 'd', 'i' -> item = cf.signedInteger(LuaValues.toLong(Args.checkNumber(a, arg)));
                case 'o', 'u', 'x', 'X' -> item = cf.unsignedInteger((char) conv, toUnsignedLong(Args.checkNumber(a, arg)));
                case 'e', 'E', 'f', 'g', 'G' -> item = cf.floating((char) conv, Args.checkNumber(a, arg));
                case 'q' -> {
                    addQuoted(b, Args.checkString(a, arg).bytes());
                    continue;
                }
                case 's' -> {
                    LuaString s = Args.checkString(a, arg);
                    if (!hasPrecision && s.length() >= 100) {
                        b.writeBytes(s.bytes());
                        continue;
                    }
                    item = cf.text(cString(s.bytes()));
                }
                default -> throw l.error("invalid option '%" + (char) conv + "' to 'format'");
            }
            byte[] bytes = item.getBytes(StandardCharsets.ISO_8859_1);
            int n = 0;
            while (n < bytes.length && bytes[n] != 0) {
                n++;
            }
            b.write(bytes, 0, n);
        }
        return Args.ret(LuaString.wrap(b.toByteArray()));
    }

    /** A double converted to C's unsigned long as gcc on x86-64 converts it. */
    private static long toUnsignedLong(double d) {
        if (d >= 0x1p63 && d < 0x1p64) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return LuaValues.toLong(d);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static void addQuoted(ByteArrayOutputStream b, byte[] s) {
        b.write('"');
        for (byte c : s) {
            switch (c) {
                case '"', '\\', '\n' -> {
                    b.write('\\');
                    b.write(c);
                }
                case '\r' -> b.writeBytes(new byte[] {'\\', 'r'});
                case 0 -> b.writeBytes(new byte[] {'\\', '0', '0', '0'});
                default -> b.write(c);
            }
        }
        b.write('"');
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
