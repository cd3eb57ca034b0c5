package dev.clusteremu.server.scripting.lua;

/**
 * A Lua function: a prototype with its upvalues and the environment (globals) it was created in. Calls
 * run in a loop so that {@code return f(...)} is a proper tail call, which replaces the frame instead of
 * growing the stack, as in Lua.
 */
public final class LuaClosure extends LuaFunction {
    final Proto proto;
    final Cell[] upvals;
    final LuaTable env;

    LuaClosure(Proto proto, Cell[] upvals, LuaTable env) {
        this.proto = proto;
        this.upvals = upvals;
        this.env = env;
    }

    /** The environment its global names resolve in. */
    public LuaTable env() {
        return env;
    }

    Object[] invoke(LuaThread l, Object[] args) {
        LuaClosure cl = this;
        int tailcalls = 0;
        while (true) {
            Frame f = cl.newFrame(l, args);
            f.tailcalls = tailcalls;
            l.push(f);
            boolean pushed = true;
            try {
                l.state.tick();
                cl.proto.body.exec(f);
                if (!f.tailCall) {
                    return f.ret;
                }
                Object fn = f.tailFn;
                args = f.tailArgs;
                if (!(fn instanceof LuaFunction)) {
                    Object handler = l.metamethod(fn, Vm.CALL);
                    if (!(handler instanceof LuaFunction)) {
                        throw l.typeError(fn, f.tailSite, "call");
                    }
                    args = Vm.prepend(fn, args);
                    fn = handler;
                }
                if (fn instanceof LuaClosure next) {
                    l.pop();
                    pushed = false;
                    cl = next;
                    tailcalls = f.tailcalls + 1;
                    continue;
                }
                return l.call(fn, args, f.tailSite);
            } finally {
                if (pushed) {
                    l.pop();
                }
            }
        }
    }

    /** A frame for a call with {@code args}: parameters in their slots, the rest as varargs or 'arg'. */
    private Frame newFrame(LuaThread l, Object[] args) {
        Proto p = proto;
        Object[] slots = new Object[p.maxSlots];
        Frame f = new Frame(l, this, slots);
        LocalVar[] params = p.params;
        for (int i = 0; i < params.length; i++) {
            Object v = i < args.length ? args[i] : null;
            slots[params[i].slot] = params[i].captured ? new Cell(v) : v;
        }
        if (p.isVararg) {
            int extra = args.length - params.length;
            if (extra > 0) {
                Object[] va = new Object[extra];
                System.arraycopy(args, params.length, va, 0, extra);
                f.varargs = va;
            }
            if (p.argVar != null) {
                Object arg = null;
                if (p.needsArg) {
                    int n = Math.max(extra, 0);
                    LuaTable t = new LuaTable(n, 1);
                    for (int i = 0; i < n; i++) {
                        t.rawset(i + 1, f.varargs[i]);
                    }
                    t.rawset("n", (double) n);
                    arg = t;
                }
                slots[p.argVar.slot] = p.argVar.captured ? new Cell(arg) : arg;
            }
        }
        return f;
    }
}
