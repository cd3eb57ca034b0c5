package dev.clusteremu.server.scripting.lua;

/**
 * A statement of a parsed chunk. {@link #exec} returns how control leaves it: normally, by break, or by
 * return (the values then in the frame).
 */
abstract class Stat {
    static final int NORMAL = 0;
    static final int BREAK = 1;
    static final int RETURN = 2;

    final int line;

    Stat(int line) {
        this.line = line;
    }

    abstract int exec(Frame f);

    static void setLocal(Frame f, LocalVar v, Object value) {
        if (v.captured) {
            f.slots[v.slot] = new Cell(value);
        } else {
            f.slots[v.slot] = value;
        }
    }

    static final class Block extends Stat {
        final Stat[] stats;

        Block(int line, Stat[] stats) {
            super(line);
            this.stats = stats;
        }

        @Override
        int exec(Frame f) {
            for (Stat s : stats) {
                // The current line, as the count hook (a kill) and error levels see it.
                f.line = s.line;
                int sig = s.exec(f);
                if (sig != NORMAL) {
                    return sig;
                }
            }
            return NORMAL;
        }
    }

    static final class LocalAssign extends Stat {
        final LocalVar[] vars;
        final Expr[] exprs;

        LocalAssign(int line, LocalVar[] vars, Expr[] exprs) {
            super(line);
            this.vars = vars;
            this.exprs = exprs;
        }

        @Override
        int exec(Frame f) {
            if (vars.length == 1 && exprs.length == 1) {
                setLocal(f, vars[0], exprs[0].eval(f));
                return NORMAL;
            }
            Object[] values = Expr.evalList(f, exprs);
            for (int i = 0; i < vars.length; i++) {
                setLocal(f, vars[i], i < values.length ? values[i] : null);
            }
            return NORMAL;
        }
    }

    static final class LocalFunction extends Stat {
        final LocalVar var;
        final Expr.Function fn;

        LocalFunction(int line, LocalVar var, Expr.Function fn) {
            super(line);
            this.var = var;
            this.fn = fn;
        }

        @Override
        int exec(Frame f) {
            if (var.captured) {
                Cell c = new Cell(null);
                f.slots[var.slot] = c;
                c.v = fn.eval(f);
            } else {
                f.slots[var.slot] = fn.eval(f);
            }
            return NORMAL;
        }
    }

    /** Where an assignment stores: prepared (table and key evaluated) before the values are. */
    abstract static class Target {
        abstract Object[] prepare(Frame f);

        abstract void store(Frame f, Object[] prepared, Object value, int line);
    }

    static final class LocalTarget extends Target {
        final LocalVar var;

        LocalTarget(LocalVar var) {
            this.var = var;
        }

        @Override
        Object[] prepare(Frame f) {
            return null;
        }

        @Override
        void store(Frame f, Object[] prepared, Object value, int line) {
            if (var.captured) {
                ((Cell) f.slots[var.slot]).v = value;
            } else {
                f.slots[var.slot] = value;
            }
        }
    }

    static final class UpvalTarget extends Target {
        final int index;

        UpvalTarget(int index) {
            this.index = index;
        }

        @Override
        Object[] prepare(Frame f) {
            return null;
        }

        @Override
        void store(Frame f, Object[] prepared, Object value, int line) {
            f.closure.upvals[index].v = value;
        }
    }

    static final class GlobalTarget extends Target {
        final LuaString name;

        GlobalTarget(LuaString name) {
            this.name = name;
        }

        @Override
        Object[] prepare(Frame f) {
            return null;
        }

        @Override
        void store(Frame f, Object[] prepared, Object value, int line) {
            f.line = line;
            Vm.setIndex(f.l, f.closure.env, name, value, null);
        }
    }

    static final class IndexTarget extends Target {
        final Expr obj;
        final Expr key;

        IndexTarget(Expr obj, Expr key) {
            this.obj = obj;
            this.key = key;
        }

        @Override
        Object[] prepare(Frame f) {
            Object o = obj.eval(f);
            return new Object[] {o, key.eval(f)};
        }

        @Override
        void store(Frame f, Object[] prepared, Object value, int line) {
            f.line = line;
            Vm.setIndex(f.l, prepared[0], prepared[1], value, obj.info());
        }
    }

    /** Assignment: targets prepared left to right, values evaluated, then stored right to left, as Lua does. */
    static final class Assign extends Stat {
        final Target[] targets;
        final Expr[] exprs;

        Assign(int line, Target[] targets, Expr[] exprs) {
            super(line);
            this.targets = targets;
            this.exprs = exprs;
        }

        @Override
        int exec(Frame f) {
            int n = targets.length;
            if (n == 1 && exprs.length == 1) {
                Object[] p = targets[0].prepare(f);
                Object v = exprs[0].eval(f);
                targets[0].store(f, p, v, line);
                return NORMAL;
            }
            Object[][] prepared = new Object[n][];
            for (int i = 0; i < n; i++) {
                prepared[i] = targets[i].prepare(f);
            }
            Object[] values = Expr.evalList(f, exprs);
            for (int i = n - 1; i >= 0; i--) {
                targets[i].store(f, prepared[i], i < values.length ? values[i] : null, line);
            }
            return NORMAL;
        }
    }

    static final class CallStat extends Stat {
        final Expr call;

        CallStat(int line, Expr call) {
            super(line);
            this.call = call;
        }

        @Override
        int exec(Frame f) {
            call.evalMulti(f);
            return NORMAL;
        }
    }

    static final class Do extends Stat {
        final Block body;

        Do(int line, Block body) {
            super(line);
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            return body.exec(f);
        }
    }

    static final class While extends Stat {
        final Expr cond;
        final Block body;

        While(int line, Expr cond, Block body) {
            super(line);
            this.cond = cond;
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            LuaState st = f.l.state;
            while (LuaValues.truthy(cond.eval(f))) {
                st.tick();
                int sig = body.exec(f);
                if (sig == BREAK) {
                    break;
                }
                if (sig == RETURN) {
                    return sig;
                }
            }
            return NORMAL;
        }
    }

    static final class Repeat extends Stat {
        final Block body;
        final Expr cond;

        Repeat(int line, Block body, Expr cond) {
            super(line);
            this.body = body;
            this.cond = cond;
        }

        @Override
        int exec(Frame f) {
            LuaState st = f.l.state;
            while (true) {
                st.tick();
                int sig = body.exec(f);
                if (sig == BREAK) {
                    break;
                }
                if (sig == RETURN) {
                    return sig;
                }
                if (LuaValues.truthy(cond.eval(f))) {
                    break;
                }
            }
            return NORMAL;
        }
    }

    static final class If extends Stat {
        final Expr[] conds;
        final Block[] blocks;
        final Block orElse;

        If(int line, Expr[] conds, Block[] blocks, Block orElse) {
            super(line);
            this.conds = conds;
            this.blocks = blocks;
            this.orElse = orElse;
        }

        @Override
        int exec(Frame f) {
            for (int i = 0; i < conds.length; i++) {
                if (LuaValues.truthy(conds[i].eval(f))) {
                    return blocks[i].exec(f);
                }
            }
            return orElse == null ? NORMAL : orElse.exec(f);
        }
    }

    static final class NumericFor extends Stat {
        final LocalVar var;
        final Expr start;
        final Expr limit;
        final Expr step;
        final Block body;

        NumericFor(int line, LocalVar var, Expr start, Expr limit, Expr step, Block body) {
            super(line);
            this.var = var;
            this.start = start;
            this.limit = limit;
            this.step = step;
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            Object a = start.eval(f);
            Object b = limit.eval(f);
            Object c = step == null ? 1.0 : step.eval(f);
            Double init = LuaValues.toNumber(a);
            Double lim = LuaValues.toNumber(b);
            Double stp = LuaValues.toNumber(c);
            f.line = line;
            if (init == null) {
                throw LuaError.runtime("'for' initial value must be a number");
            }
            if (lim == null) {
                throw LuaError.runtime("'for' limit must be a number");
            }
            if (stp == null) {
                throw LuaError.runtime("'for' step must be a number");
            }
            double s = stp;
            double l = lim;
            double i = init - s;
            LuaState st = f.l.state;
            while (true) {
                i += s;
                if (0 < s ? i <= l : l <= i) {
                    setLocal(f, var, i);
                    st.tick();
                    int sig = body.exec(f);
                    if (sig == BREAK) {
                        break;
                    }
                    if (sig == RETURN) {
                        return sig;
                    }
                } else {
                    break;
                }
            }
            return NORMAL;
        }
    }

    static final class GenericFor extends Stat {
        final LocalVar[] vars;
        final Expr[] exprs;
        final Block body;

        GenericFor(int line, LocalVar[] vars, Expr[] exprs, Block body) {
            super(line);
            this.vars = vars;
            this.exprs = exprs;
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            Object[] init = Expr.evalList(f, exprs);
            Object fn = init.length > 0 ? init[0] : null;
            Object state = init.length > 1 ? init[1] : null;
            Object control = init.length > 2 ? init[2] : null;
            LuaThread l = f.l;
            while (true) {
                f.line = line;
                Object[] r = l.callFromBuiltin(fn, state, control);
                Object first = r.length > 0 ? r[0] : null;
                if (first == null) {
                    break;
                }
                control = first;
                for (int i = 0; i < vars.length; i++) {
                    setLocal(f, vars[i], i < r.length ? r[i] : null);
                }
                l.state.tick();
                int sig = body.exec(f);
                if (sig == BREAK) {
                    break;
                }
                if (sig == RETURN) {
                    return sig;
                }
            }
            return NORMAL;
        }
    }

    static final class Return extends Stat {
        final Expr[] exprs;

        Return(int line, Expr[] exprs) {
            super(line);
            this.exprs = exprs;
        }

        @Override
        int exec(Frame f) {
            f.ret = Expr.evalList(f, exprs);
            return RETURN;
        }
    }

    /** return f(...): the frame hands the call to its caller's loop (OP_TAILCALL). */
    static final class TailCall extends Stat {
        final Expr.Call call;

        TailCall(int line, Expr.Call call) {
            super(line);
            this.call = call;
        }

        @Override
        int exec(Frame f) {
            Object fn = call.fn.eval(f);
            Object[] args = Expr.evalList(f, call.args);
            f.line = call.line;
            f.tailCall = true;
            f.tailFn = fn;
            f.tailArgs = args;
            f.tailSite = call.fn.info();
            return RETURN;
        }
    }

    static final class Break extends Stat {
        Break(int line) {
            super(line);
        }

        @Override
        int exec(Frame f) {
            return BREAK;
        }
    }
}
