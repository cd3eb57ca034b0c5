package dev.clusteremu.server.scripting.lua;

/**
 * Lua 5.1's math library (lmathlib.c) with Redis's math.random and math.randomseed, which draw from
 * redisLrand48 so the sequence is the same on every platform: a script that seeds it gets the numbers
 * Redis gives.
 */
public final class MathLib {
    private static final double RADIANS_PER_DEGREE = Math.PI / 180.0;

    private MathLib() {
    }

    @FunctionalInterface
    private interface Fn1 {
        double apply(double x);
    }

    public static void open(LuaTable g) {
        LuaTable m = new LuaTable(0, 31);
        fn1(m, "abs", Math::abs);
        fn1(m, "acos", StrictMath::acos);
        fn1(m, "asin", StrictMath::asin);
        BaseLib.reg(m, "atan2", (l, a) -> Args.ret(StrictMath.atan2(Args.checkNumber(a, 1), Args.checkNumber(a, 2))));
        fn1(m, "atan", StrictMath::atan);
        fn1(m, "ceil", Math::ceil);
        fn1(m, "cosh", StrictMath::cosh);
        fn1(m, "cos", StrictMath::cos);
        fn1(m, "deg", x -> x / RADIANS_PER_DEGREE);
        fn1(m, "exp", StrictMath::exp);
        fn1(m, "floor", Math::floor);
        Builtin fmod = new Builtin("fmod", (l, a) -> Args.ret(Args.checkNumber(a, 1) % Args.checkNumber(a, 2)));
        m.rawset("fmod", fmod);
        BaseLib.reg(m, "frexp", (l, a) -> frexp(Args.checkNumber(a, 1)));
        BaseLib.reg(m, "ldexp", (l, a) -> Args.ret(ldexp(Args.checkNumber(a, 1), Args.checkInt(a, 2))));
        fn1(m, "log10", StrictMath::log10);
        fn1(m, "log", StrictMath::log);
        BaseLib.reg(m, "max", (l, a) -> {
            double r = Args.checkNumber(a, 1);
            for (int i = 2; i <= a.length; i++) {
                double d = Args.checkNumber(a, i);
                if (d > r) {
                    r = d;
                }
            }
            return Args.ret(r);
        });
        BaseLib.reg(m, "min", (l, a) -> {
            double r = Args.checkNumber(a, 1);
            for (int i = 2; i <= a.length; i++) {
                double d = Args.checkNumber(a, i);
                if (d < r) {
                    r = d;
                }
            }
            return Args.ret(r);
        });
        BaseLib.reg(m, "modf", (l, a) -> {
            double x = Args.checkNumber(a, 1);
            double ip = x < 0 ? Math.ceil(x) : Math.floor(x);
            double fp = Double.isInfinite(x) ? Math.copySign(0.0, x) : x - ip;
            return Args.ret(ip, fp);
        });
        BaseLib.reg(m, "pow", (l, a) -> Args.ret(Vm.pow(Args.checkNumber(a, 1), Args.checkNumber(a, 2))));
        fn1(m, "rad", x -> x * RADIANS_PER_DEGREE);
        BaseLib.reg(m, "random", MathLib::random);
        BaseLib.reg(m, "randomseed", (l, a) -> {
            l.state.random().seed(Args.checkInt(a, 1));
            return Args.none();
        });
        fn1(m, "sinh", StrictMath::sinh);
        fn1(m, "sin", StrictMath::sin);
        fn1(m, "sqrt", Math::sqrt);
        fn1(m, "tanh", StrictMath::tanh);
        fn1(m, "tan", StrictMath::tan);
        m.rawset("pi", Math.PI);
        m.rawset("huge", Double.POSITIVE_INFINITY);
        m.rawset("mod", fmod);
        g.rawset("math", m);
    }

    private static void fn1(LuaTable m, String name, Fn1 f) {
        BaseLib.reg(m, name, (l, a) -> Args.ret(f.apply(Args.checkNumber(a, 1))));
    }

    /** redis_math_random: lrand48 scaled to [0,1), then to an integer range like Lua's own. */
    private static Object[] random(LuaThread l, Object[] a) {
        double r = (double) (l.state.random().next() % Integer.MAX_VALUE) / (double) Integer.MAX_VALUE;
        switch (a.length) {
            case 0:
                return Args.ret(r);
            case 1: {
                int u = Args.checkInt(a, 1);
                if (!(1 <= u)) {
                    throw new ArgError(1, "interval is empty");
                }
                return Args.ret(Math.floor(r * u) + 1);
            }
            case 2: {
                int lo = Args.checkInt(a, 1);
                int up = Args.checkInt(a, 2);
                if (!(lo <= up)) {
                    throw new ArgError(2, "interval is empty");
                }
                return Args.ret(Math.floor(r * (up - lo + 1)) + lo);
            }
            default:
                throw l.error("wrong number of arguments");
        }
    }

    private static Object[] frexp(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return Args.ret(x, 0.0);
        }
        int e = Math.getExponent(x);
        double m;
        if (e == Double.MIN_EXPONENT - 1) {
            double scaled = x * 0x1p54;
            e = Math.getExponent(scaled) - 54;
            m = scaled / Math.scalb(1.0, Math.getExponent(scaled) + 1);
        } else {
            m = x / Math.scalb(1.0, e + 1);
        }
        return Args.ret(m, (double) (e + 1));
    }

    private static double ldexp(double x, int e) {
        return Math.scalb(x, e);
    }
}
