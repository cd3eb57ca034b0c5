package dev.clusteremu.server.scripting.lua;

import static dev.clusteremu.server.scripting.lua.Lexer.AND;
import static dev.clusteremu.server.scripting.lua.Lexer.BREAK;
import static dev.clusteremu.server.scripting.lua.Lexer.CONCAT;
import static dev.clusteremu.server.scripting.lua.Lexer.DO;
import static dev.clusteremu.server.scripting.lua.Lexer.DOTS;
import static dev.clusteremu.server.scripting.lua.Lexer.ELSE;
import static dev.clusteremu.server.scripting.lua.Lexer.ELSEIF;
import static dev.clusteremu.server.scripting.lua.Lexer.END;
import static dev.clusteremu.server.scripting.lua.Lexer.EOS;
import static dev.clusteremu.server.scripting.lua.Lexer.EQ;
import static dev.clusteremu.server.scripting.lua.Lexer.FALSE;
import static dev.clusteremu.server.scripting.lua.Lexer.FOR;
import static dev.clusteremu.server.scripting.lua.Lexer.FUNCTION;
import static dev.clusteremu.server.scripting.lua.Lexer.GE;
import static dev.clusteremu.server.scripting.lua.Lexer.IF;
import static dev.clusteremu.server.scripting.lua.Lexer.IN;
import static dev.clusteremu.server.scripting.lua.Lexer.LE;
import static dev.clusteremu.server.scripting.lua.Lexer.LOCAL;
import static dev.clusteremu.server.scripting.lua.Lexer.NAME;
import static dev.clusteremu.server.scripting.lua.Lexer.NE;
import static dev.clusteremu.server.scripting.lua.Lexer.NIL;
import static dev.clusteremu.server.scripting.lua.Lexer.NOT;
import static dev.clusteremu.server.scripting.lua.Lexer.NUMBER;
import static dev.clusteremu.server.scripting.lua.Lexer.OR;
import static dev.clusteremu.server.scripting.lua.Lexer.REPEAT;
import static dev.clusteremu.server.scripting.lua.Lexer.RETURN;
import static dev.clusteremu.server.scripting.lua.Lexer.STRING;
import static dev.clusteremu.server.scripting.lua.Lexer.THEN;
import static dev.clusteremu.server.scripting.lua.Lexer.TRUE;
import static dev.clusteremu.server.scripting.lua.Lexer.UNTIL;
import static dev.clusteremu.server.scripting.lua.Lexer.WHILE;

import java.util.ArrayList;
import java.util.List;

/**
 * Lua 5.1's parser (lparser.c), building the tree the engine runs instead of bytecode. It follows the
 * grammar function by function so that every syntax error is raised at the same token with the same text
 * ("'=' expected near 'x'", "'end' expected (to close 'function' at line 1) near '<eof>'", "unexpected
 * symbol near '1'"), resolves each name to a local slot, an upvalue or a global as it goes, and counts
 * table constructor items as OP_NEWTABLE sizes the new table.
 */
final class Parser {
    /** LUAI_MAXVARS. */
    private static final int MAX_VARS = 200;
    /** LUAI_MAXUPVALUES. */
    private static final int MAX_UPVALUES = 60;
    /** LUAI_MAXCCALLS, which also bounds syntactic nesting. */
    private static final int MAX_LEVELS = 200;
    /** UNARY_PRIORITY. */
    private static final int UNARY_PRIORITY = 8;

    private final Lexer ls;
    private final String source;
    private FuncState fs;
    private int level;

    private Parser(byte[] src, String chunkName, int baseLevel) {
        this.ls = new Lexer(src, chunkName);
        this.source = chunkName;
        this.level = baseLevel;
    }

    /** luaY_parser: the main function of a chunk, a vararg function with no parameters. */
    static Proto parse(byte[] src, String chunkName, int baseLevel) {
        Parser p = new Parser(src, chunkName, baseLevel);
        Proto main = new Proto(chunkName, 0);
        main.isVararg = true;
        main.params = new LocalVar[0];
        p.openFunction(main);
        p.ls.advance();
        Stat.Block body = p.chunk();
        p.check(EOS);
        p.closeFunction(body);
        return main;
    }

    // ------------------------------------------------------------------------------------------------
    // Function and block state
    // ------------------------------------------------------------------------------------------------

    private static final class BlockCnt {
        BlockCnt previous;
        int nactvar;
        boolean breakable;
    }

    private static final class FuncState {
        FuncState parent;
        Proto proto;
        final List<LocalVar> actives = new ArrayList<>();
        final List<Proto.UpvalDesc> upvals = new ArrayList<>();
        BlockCnt block;
        int maxSlots;
        /**
         * The function's first zero constant: Lua keeps one constant per value in a function's constant
         * table, and 0 equals -0 there, so whichever sign comes first is what every later zero gets.
         */
        Double zero;
    }

    private void openFunction(Proto proto) {
        FuncState f = new FuncState();
        f.parent = fs;
        f.proto = proto;
        fs = f;
    }

    private void closeFunction(Stat.Block body) {
        Proto p = fs.proto;
        p.body = body;
        p.maxSlots = fs.maxSlots;
        p.upvals = fs.upvals.toArray(new Proto.UpvalDesc[0]);
        fs = fs.parent;
    }

    private void enterBlock(BlockCnt bl, boolean breakable) {
        bl.breakable = breakable;
        bl.nactvar = fs.actives.size();
        bl.previous = fs.block;
        fs.block = bl;
    }

    private void leaveBlock() {
        BlockCnt bl = fs.block;
        fs.block = bl.previous;
        while (fs.actives.size() > bl.nactvar) {
            fs.actives.remove(fs.actives.size() - 1);
        }
    }

    /** new_localvar: a local declared now, active once {@link #activate} runs. */
    private LocalVar newLocal(String name, int n) {
        if (fs.actives.size() + n + 1 > MAX_VARS) {
            throw errorLimit(MAX_VARS, "local variables");
        }
        int slot = fs.actives.size() + n;
        fs.maxSlots = Math.max(fs.maxSlots, slot + 1);
        return new LocalVar(name, slot);
    }

    /** adjustlocalvars: the declared locals come into scope. */
    private void activate(LocalVar... vars) {
        for (LocalVar v : vars) {
            fs.actives.add(v);
        }
    }

    private LuaError errorLimit(int limit, String what) {
        String where = fs.proto.lineDefined == 0 ? "main function" : "function at line " + fs.proto.lineDefined;
        return ls.error("too many " + what + " (limit=" + limit + ") in " + where, 0);
    }

    private void enterLevel() {
        if (++level > MAX_LEVELS) {
            throw ls.error("chunk has too many syntax levels", 0);
        }
    }

    private void leaveLevel() {
        level--;
    }

    /** singlevar: a local of this function, an upvalue, or a global. */
    private Expr singleVar() {
        int line = ls.lineNumber;
        String name = checkName().toString();
        LocalVar v = findLocal(fs, name);
        if (v != null) {
            return new Expr.Local(line, v);
        }
        int up = findUpval(fs, name);
        if (up >= 0) {
            return new Expr.Upval(line, up, name);
        }
        return new Expr.Global(line, LuaString.of(name));
    }

    private static LocalVar findLocal(FuncState f, String name) {
        for (int i = f.actives.size() - 1; i >= 0; i--) {
            if (f.actives.get(i).name.equals(name)) {
                return f.actives.get(i);
            }
        }
        return null;
    }

    private int findUpval(FuncState f, String name) {
        if (f.parent == null) {
            return -1;
        }
        LocalVar v = findLocal(f.parent, name);
        if (v != null) {
            v.captured = true;
            return addUpval(f, name, true, v.slot);
        }
        int idx = findUpval(f.parent, name);
        return idx < 0 ? -1 : addUpval(f, name, false, idx);
    }

    private int addUpval(FuncState f, String name, boolean fromLocal, int index) {
        for (int i = 0; i < f.upvals.size(); i++) {
            Proto.UpvalDesc d = f.upvals.get(i);
            if (d.fromLocal() == fromLocal && d.index() == index && d.name().equals(name)) {
                return i;
            }
        }
        if (f.upvals.size() + 1 > MAX_UPVALUES) {
            FuncState saved = fs;
            fs = f;
            try {
                throw errorLimit(MAX_UPVALUES, "upvalues");
            } finally {
                fs = saved;
            }
        }
        f.upvals.add(new Proto.UpvalDesc(name, fromLocal, index));
        return f.upvals.size() - 1;
    }

    // ------------------------------------------------------------------------------------------------
    // Token helpers
    // ------------------------------------------------------------------------------------------------

    private LuaError errorExpected(int token) {
        return ls.syntaxError("'" + Lexer.token2str(token) + "' expected");
    }

    private boolean testNext(int c) {
        if (ls.t.type == c) {
            ls.advance();
            return true;
        }
        return false;
    }

    private void check(int c) {
        if (ls.t.type != c) {
            throw errorExpected(c);
        }
    }

    private void checkNext(int c) {
        check(c);
        ls.advance();
    }

    private void checkMatch(int what, int who, int where) {
        if (!testNext(what)) {
            if (where == ls.lineNumber) {
                throw errorExpected(what);
            }
            throw ls.syntaxError("'" + Lexer.token2str(what) + "' expected (to close '" + Lexer.token2str(who)
                    + "' at line " + where + ")");
        }
    }

    private LuaString checkName() {
        check(NAME);
        LuaString s = ls.t.string;
        ls.advance();
        return s;
    }

    private static boolean blockFollow(int token) {
        return token == ELSE || token == ELSEIF || token == END || token == UNTIL || token == EOS;
    }

    // ------------------------------------------------------------------------------------------------
    // Statements
    // ------------------------------------------------------------------------------------------------

    private Stat.Block chunk() {
        int line = ls.lineNumber;
        List<Stat> stats = new ArrayList<>();
        boolean isLast = false;
        enterLevel();
        while (!isLast && !blockFollow(ls.t.type)) {
            int type = ls.t.type;
            Stat s = statement();
            isLast = type == RETURN || type == BREAK;
            if (s != null) {
                stats.add(s);
            }
            testNext(';');
        }
        leaveLevel();
        return new Stat.Block(line, stats.toArray(new Stat[0]));
    }

    private Stat.Block block() {
        BlockCnt bl = new BlockCnt();
        enterBlock(bl, false);
        Stat.Block b = chunk();
        leaveBlock();
        return b;
    }

    private Stat statement() {
        int line = ls.lineNumber;
        switch (ls.t.type) {
            case IF:
                return ifStat(line);
            case WHILE:
                return whileStat(line);
            case DO: {
                ls.advance();
                Stat.Block b = block();
                checkMatch(END, DO, line);
                return new Stat.Do(line, b);
            }
            case FOR:
                return forStat(line);
            case REPEAT:
                return repeatStat(line);
            case FUNCTION:
                return funcStat(line);
            case LOCAL:
                ls.advance();
                if (testNext(FUNCTION)) {
                    return localFunc();
                }
                return localStat();
            case RETURN:
                ls.advance();
                return retStat(line);
            case BREAK:
                ls.advance();
                return breakStat(line);
            default:
                return exprStat();
        }
    }

    /** cond: a numeric constant tested for truth never reaches the constant table (luaK_goiftrue). */
    private Expr cond() {
        return exprRaw();
    }

    private Stat ifStat(int line) {
        List<Expr> conds = new ArrayList<>();
        List<Stat.Block> blocks = new ArrayList<>();
        ls.advance();
        conds.add(cond());
        checkNext(THEN);
        blocks.add(block());
        while (ls.t.type == ELSEIF) {
            ls.advance();
            conds.add(cond());
            checkNext(THEN);
            blocks.add(block());
        }
        Stat.Block orElse = null;
        if (ls.t.type == ELSE) {
            ls.advance();
            orElse = block();
        }
        checkMatch(END, IF, line);
        return new Stat.If(line, conds.toArray(new Expr[0]), blocks.toArray(new Stat.Block[0]), orElse);
    }

    private Stat whileStat(int line) {
        ls.advance();
        Expr c = cond();
        BlockCnt bl = new BlockCnt();
        enterBlock(bl, true);
        checkNext(DO);
        Stat.Block b = block();
        checkMatch(END, WHILE, line);
        leaveBlock();
        return new Stat.While(line, c, b);
    }

    private Stat repeatStat(int line) {
        BlockCnt loop = new BlockCnt();
        BlockCnt scope = new BlockCnt();
        enterBlock(loop, true);
        enterBlock(scope, false);
        ls.advance();
        Stat.Block b = chunk();
        checkMatch(UNTIL, REPEAT, line);
        Expr c = cond();
        leaveBlock();
        leaveBlock();
        return new Stat.Repeat(line, b, c);
    }

    private Stat forStat(int line) {
        BlockCnt bl = new BlockCnt();
        enterBlock(bl, true);
        ls.advance();
        String varName = checkName().toString();
        Stat s;
        switch (ls.t.type) {
            case '=' -> s = forNum(varName, line);
            case ',', IN -> s = forList(varName);
            default -> throw ls.syntaxError("'=' or 'in' expected");
        }
        checkMatch(END, FOR, line);
        leaveBlock();
        return s;
    }

    private Stat forNum(String varName, int line) {
        LocalVar index = newLocal("(for index)", 0);
        LocalVar limit = newLocal("(for limit)", 1);
        LocalVar step = newLocal("(for step)", 2);
        LocalVar var = newLocal(varName, 3);
        checkNext('=');
        Expr start = expr();
        checkNext(',');
        Expr lim = expr();
        Expr stp = null;
        if (testNext(',')) {
            stp = expr();
        }
        activate(index, limit, step);
        checkNext(DO);
        int prepLine = ls.lastLine;
        Stat.Block body = forBody(var);
        return new Stat.NumericFor(prepLine, var, start, lim, stp, body);
    }

    private Stat forList(String firstName) {
        LocalVar gen = newLocal("(for generator)", 0);
        LocalVar state = newLocal("(for state)", 1);
        LocalVar control = newLocal("(for control)", 2);
        List<LocalVar> vars = new ArrayList<>();
        vars.add(newLocal(firstName, 3));
        while (testNext(',')) {
            vars.add(newLocal(checkName().toString(), 3 + vars.size()));
        }
        checkNext(IN);
        int line = ls.lineNumber;
        Expr[] exprs = exprList();
        activate(gen, state, control);
        checkNext(DO);
        Stat.Block body = forBody(vars.toArray(new LocalVar[0]));
        return new Stat.GenericFor(line, vars.toArray(new LocalVar[0]), exprs, body);
    }

    private Stat.Block forBody(LocalVar... vars) {
        BlockCnt bl = new BlockCnt();
        enterBlock(bl, false);
        activate(vars);
        Stat.Block b = block();
        leaveBlock();
        return b;
    }

    private Stat funcStat(int line) {
        ls.advance();
        Expr target = singleVar();
        boolean needSelf = false;
        while (ls.t.type == '.') {
            target = field(target);
        }
        if (ls.t.type == ':') {
            needSelf = true;
            target = field(target);
        }
        Expr.Function fn = body(needSelf, line);
        return new Stat.Assign(line, new Stat.Target[] {toTarget(target)}, new Expr[] {fn});
    }

    private Stat localFunc() {
        LocalVar v = newLocal(checkName().toString(), 0);
        activate(v);
        Expr.Function fn = body(false, ls.lineNumber);
        return new Stat.LocalFunction(fn.line, v, fn);
    }

    private Stat localStat() {
        int line = ls.lineNumber;
        List<LocalVar> vars = new ArrayList<>();
        do {
            vars.add(newLocal(checkName().toString(), vars.size()));
        } while (testNext(','));
        Expr[] exprs = new Expr[0];
        if (testNext('=')) {
            exprs = exprList();
        }
        LocalVar[] vs = vars.toArray(new LocalVar[0]);
        activate(vs);
        return new Stat.LocalAssign(line, vs, exprs);
    }

    private Stat retStat(int line) {
        if (blockFollow(ls.t.type) || ls.t.type == ';') {
            return new Stat.Return(line, new Expr[0]);
        }
        Expr[] exprs = exprList();
        if (exprs.length == 1 && exprs[0] instanceof Expr.Call call) {
            return new Stat.TailCall(line, call);
        }
        return new Stat.Return(line, exprs);
    }

    private Stat breakStat(int line) {
        BlockCnt bl = fs.block;
        while (bl != null && !bl.breakable) {
            bl = bl.previous;
        }
        if (bl == null) {
            throw ls.syntaxError("no loop to break");
        }
        return new Stat.Break(line);
    }

    private Stat exprStat() {
        int line = ls.lineNumber;
        Expr e = primaryExp();
        if (e instanceof Expr.Call || e instanceof Expr.MethodCall) {
            return new Stat.CallStat(line, e);
        }
        List<Stat.Target> targets = new ArrayList<>();
        targets.add(assignable(e));
        while (testNext(',')) {
            targets.add(assignable(primaryExp()));
        }
        checkNext('=');
        Expr[] exprs = exprList();
        return new Stat.Assign(ls.lastLine, targets.toArray(new Stat.Target[0]), exprs);
    }

    /** The check_condition of assignment: only variables and fields can be assigned ("syntax error"). */
    private Stat.Target assignable(Expr e) {
        if (!(e instanceof Expr.Local || e instanceof Expr.Upval || e instanceof Expr.Global
                || e instanceof Expr.Index)) {
            throw ls.syntaxError("syntax error");
        }
        return toTarget(e);
    }

    private static Stat.Target toTarget(Expr e) {
        if (e instanceof Expr.Local l) {
            return new Stat.LocalTarget(l.var);
        }
        if (e instanceof Expr.Upval u) {
            return new Stat.UpvalTarget(u.index);
        }
        if (e instanceof Expr.Global g) {
            return new Stat.GlobalTarget(g.name);
        }
        Expr.Index i = (Expr.Index) e;
        return new Stat.IndexTarget(i.obj, i.key);
    }

    // ------------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------------

    private Expr.Function body(boolean needSelf, int line) {
        Proto p = new Proto(source, line);
        openFunction(p);
        checkNext('(');
        List<LocalVar> params = new ArrayList<>();
        if (needSelf) {
            LocalVar self = newLocal("self", 0);
            activate(self);
            params.add(self);
        }
        parList(p, params);
        checkNext(')');
        Stat.Block b = chunk();
        checkMatch(END, FUNCTION, line);
        closeFunction(b);
        return new Expr.Function(line, p);
    }

    private void parList(Proto p, List<LocalVar> params) {
        int n = 0;
        if (ls.t.type != ')') {
            do {
                switch (ls.t.type) {
                    case NAME -> {
                        LocalVar v = newLocal(checkName().toString(), n++);
                        params.add(v);
                    }
                    case DOTS -> {
                        ls.advance();
                        p.argVar = newLocal("arg", n++);
                        p.isVararg = true;
                        p.needsArg = true;
                    }
                    default -> throw ls.syntaxError("<name> or '...' expected");
                }
            } while (!p.isVararg && testNext(','));
        }
        for (LocalVar v : params) {
            if (!fs.actives.contains(v)) {
                fs.actives.add(v);
            }
        }
        if (p.argVar != null) {
            fs.actives.add(p.argVar);
        }
        p.params = params.toArray(new LocalVar[0]);
    }

    // ------------------------------------------------------------------------------------------------
    // Expressions
    // ------------------------------------------------------------------------------------------------

    private Expr[] exprList() {
        List<Expr> list = new ArrayList<>();
        list.add(expr());
        while (testNext(',')) {
            list.add(expr());
        }
        return list.toArray(new Expr[0]);
    }

    /** expr as a consumer takes it: a numeric constant enters the function's constant table here. */
    private Expr expr() {
        return materialize(exprRaw());
    }

    /** expr leaving a numeric constant pending (still foldable, not yet in the constant table). */
    private Expr exprRaw() {
        return subExpr(0).expr();
    }

    private static int leftPriority(int op) {
        return switch (op) {
            case '+', '-' -> 6;
            case '*', '/', '%' -> 7;
            case '^' -> 10;
            case CONCAT -> 5;
            case EQ, NE, '<', LE, '>', GE -> 3;
            case AND -> 2;
            case OR -> 1;
            default -> -1;
        };
    }

    private static int rightPriority(int op) {
        return switch (op) {
            case '^' -> 9;
            case CONCAT -> 4;
            default -> leftPriority(op);
        };
    }

    /** What subexpr returns: the expression and the binary operator that stopped it. */
    private record Sub(Expr expr, int stop) {
    }

    /** subexpr: operators of priority above {@code limit} bind here; a numeric constant result stays pending. */
    private Sub subExpr(int limit) {
        enterLevel();
        Expr e;
        int uop = ls.t.type;
        if (uop == NOT || uop == '-' || uop == '#') {
            ls.advance();
            Expr operand = subExpr(UNARY_PRIORITY).expr();
            int line = ls.lastLine;
            e = switch (uop) {
                case NOT -> new Expr.Not(line, operand);
                case '-' -> isNumeral(operand)
                        ? new Expr.Const(line, -(Double) ((Expr.Const) operand).value)
                        : new Expr.Neg(line, materialize(operand));
                default -> new Expr.Len(line, materialize(operand));
            };
        } else {
            e = simpleExp();
        }
        int op = ls.t.type;
        while (leftPriority(op) > limit) {
            ls.advance();
            // luaK_infix: what the left operand becomes before the right one is read
            if (op == CONCAT || op == OR || !isNumeral(e)) {
                e = materialize(e);
            }
            Sub r = subExpr(rightPriority(op));
            Expr right = r.expr();
            Expr folded = fold(op, e, right, ls.lastLine);
            if (folded != null) {
                e = folded;
            } else {
                // luaK_posfix: arithmetic takes the right operand's constant first, comparisons the left one's
                switch (op) {
                    case AND, OR -> {
                    }
                    case '+', '-', '*', '/', '%', '^' -> {
                        right = materialize(right);
                        e = materialize(e);
                    }
                    default -> {
                        e = materialize(e);
                        right = materialize(right);
                    }
                }
                e = binary(op, e, right, ls.lastLine);
            }
            op = r.stop();
        }
        leaveLevel();
        return new Sub(e, op);
    }

    private static boolean isNumeral(Expr e) {
        return e instanceof Expr.Const c && c.value instanceof Double;
    }

    /** constfolding: arithmetic on two numeric constants, except a division by zero or a NaN result. */
    private static Expr fold(int op, Expr a, Expr b, int line) {
        if (!isNumeral(a) || !isNumeral(b)) {
            return null;
        }
        double v1 = (Double) ((Expr.Const) a).value;
        double v2 = (Double) ((Expr.Const) b).value;
        double r;
        switch (op) {
            case '+' -> r = v1 + v2;
            case '-' -> r = v1 - v2;
            case '*' -> r = v1 * v2;
            case '/' -> {
                if (v2 == 0) {
                    return null;
                }
                r = v1 / v2;
            }
            case '%' -> {
                if (v2 == 0) {
                    return null;
                }
                r = v1 - Math.floor(v1 / v2) * v2;
            }
            case '^' -> r = Vm.pow(v1, v2);
            default -> {
                return null;
            }
        }
        return Double.isNaN(r) ? null : new Expr.Const(line, r);
    }

    /**
     * A pending numeric constant enters the constant table (luaK_numberK): a zero takes the sign of the
     * function's first zero constant (see {@link FuncState#zero}). An and/or whose value is its right
     * operand discharges that operand.
     */
    private Expr materialize(Expr e) {
        if (e instanceof Expr.Const c && c.value instanceof Double d && d == 0) {
            if (fs.zero == null) {
                fs.zero = d;
            } else if (Double.doubleToRawLongBits(fs.zero) != Double.doubleToRawLongBits(d)) {
                return new Expr.Const(e.line, fs.zero);
            }
        } else if (e instanceof Expr.And x) {
            Expr b = materialize(x.b);
            return b == x.b ? e : new Expr.And(x.line, x.a, b);
        } else if (e instanceof Expr.Or x) {
            Expr b = materialize(x.b);
            return b == x.b ? e : new Expr.Or(x.line, x.a, b);
        }
        return e;
    }

    private static Expr binary(int op, Expr a, Expr b, int line) {
        return switch (op) {
            case '+' -> new Expr.Arith(line, Vm.ADD, a, b);
            case '-' -> new Expr.Arith(line, Vm.SUB, a, b);
            case '*' -> new Expr.Arith(line, Vm.MUL, a, b);
            case '/' -> new Expr.Arith(line, Vm.DIV, a, b);
            case '%' -> new Expr.Arith(line, Vm.MOD, a, b);
            case '^' -> new Expr.Arith(line, Vm.POW, a, b);
            case CONCAT -> {
                if (b instanceof Expr.Concat c) {
                    Expr[] parts = new Expr[c.parts.length + 1];
                    parts[0] = a;
                    System.arraycopy(c.parts, 0, parts, 1, c.parts.length);
                    yield new Expr.Concat(line, parts);
                }
                yield new Expr.Concat(line, new Expr[] {a, b});
            }
            case EQ -> new Expr.Eq(line, a, b, false);
            case NE -> new Expr.Eq(line, a, b, true);
            case '<' -> new Expr.Less(line, a, b, false, false);
            case LE -> new Expr.Less(line, a, b, false, true);
            case '>' -> new Expr.Less(line, a, b, true, false);
            case GE -> new Expr.Less(line, a, b, true, true);
            case AND -> new Expr.And(line, a, b);
            default -> new Expr.Or(line, a, b);
        };
    }

    private Expr simpleExp() {
        int line = ls.lineNumber;
        Expr e;
        switch (ls.t.type) {
            case NUMBER -> e = new Expr.Const(line, ls.t.number);
            case STRING -> e = new Expr.Const(line, ls.t.string);
            case NIL -> e = new Expr.Const(line, null);
            case TRUE -> e = new Expr.Const(line, Boolean.TRUE);
            case FALSE -> e = new Expr.Const(line, Boolean.FALSE);
            case DOTS -> {
                if (!fs.proto.isVararg) {
                    throw ls.syntaxError("cannot use '...' outside a vararg function");
                }
                fs.proto.needsArg = false;
                e = new Expr.Vararg(line);
            }
            case '{' -> {
                return constructor();
            }
            case FUNCTION -> {
                ls.advance();
                return body(false, ls.lineNumber);
            }
            default -> {
                return primaryExp();
            }
        }
        ls.advance();
        return e;
    }

    private Expr prefixExp() {
        switch (ls.t.type) {
            case '(' -> {
                int line = ls.lineNumber;
                ls.advance();
                Expr e = exprRaw();
                checkMatch(')', '(', line);
                // luaK_dischargevars leaves a numeric constant a constant
                return isNumeral(e) ? e : new Expr.Paren(line, materialize(e));
            }
            case NAME -> {
                return singleVar();
            }
            default -> throw ls.syntaxError("unexpected symbol");
        }
    }

    private Expr primaryExp() {
        Expr e = prefixExp();
        while (true) {
            if (ls.t.type == '.' || ls.t.type == '[' || ls.t.type == ':' || ls.t.type == '('
                    || ls.t.type == STRING || ls.t.type == '{') {
                e = materialize(e);
            }
            switch (ls.t.type) {
                case '.' -> e = field(e);
                case '[' -> {
                    Expr key = yindex();
                    e = new Expr.Index(ls.lastLine, e, key);
                }
                case ':' -> {
                    ls.advance();
                    LuaString name = checkName();
                    int line = ls.lineNumber;
                    Expr[] args = funcArgs();
                    e = new Expr.MethodCall(line, e, name, args);
                }
                case '(', STRING, '{' -> {
                    int line = ls.lineNumber;
                    Expr[] args = funcArgs();
                    e = new Expr.Call(line, e, args);
                }
                default -> {
                    return e;
                }
            }
        }
    }

    private Expr field(Expr obj) {
        ls.advance();
        int line = ls.lineNumber;
        LuaString name = checkName();
        return new Expr.Index(line, obj, new Expr.Const(line, name));
    }

    private Expr yindex() {
        ls.advance();
        Expr e = expr();
        checkNext(']');
        return e;
    }

    private Expr[] funcArgs() {
        int line = ls.lineNumber;
        switch (ls.t.type) {
            case '(' -> {
                if (line != ls.lastLine) {
                    throw ls.syntaxError("ambiguous syntax (function call x new statement)");
                }
                ls.advance();
                Expr[] args = ls.t.type == ')' ? new Expr[0] : exprList();
                checkMatch(')', '(', line);
                return args;
            }
            case '{' -> {
                return new Expr[] {constructor()};
            }
            case STRING -> {
                Expr s = new Expr.Const(line, ls.t.string);
                ls.advance();
                return new Expr[] {s};
            }
            default -> throw ls.syntaxError("function arguments expected");
        }
    }

    private Expr constructor() {
        int line = ls.lineNumber;
        checkNext('{');
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        int na = 0;
        int nh = 0;
        do {
            if (ls.t.type == '}') {
                break;
            }
            switch (ls.t.type) {
                case NAME -> {
                    if (ls.lookahead().type != '=') {
                        keys.add(null);
                        values.add(expr());
                        na++;
                    } else {
                        int kline = ls.lineNumber;
                        LuaString name = checkName();
                        nh++;
                        checkNext('=');
                        keys.add(new Expr.Const(kline, name));
                        values.add(expr());
                    }
                }
                case '[' -> {
                    Expr key = yindex();
                    nh++;
                    checkNext('=');
                    keys.add(key);
                    values.add(expr());
                }
                default -> {
                    keys.add(null);
                    values.add(expr());
                    na++;
                }
            }
        } while (testNext(',') || testNext(';'));
        checkMatch('}', '{', line);
        int last = values.size() - 1;
        if (last >= 0 && keys.get(last) == null && values.get(last).isMulti()) {
            na--;
        }
        return new Expr.Table(line, fb2int(int2fb(na)), fb2int(int2fb(nh)), keys.toArray(new Expr[0]),
                values.toArray(new Expr[0]));
    }

    /** luaO_int2fb: the "floating point byte" NEWTABLE stores sizes in, rounding up. */
    static int int2fb(int x) {
        int e = 0;
        while (x >= 16) {
            x = (x + 1) >>> 1;
            e++;
        }
        if (x < 8) {
            return x;
        }
        return ((e + 1) << 3) | (x - 8);
    }

    static int fb2int(int x) {
        int e = (x >>> 3) & 31;
        if (e == 0) {
            return x;
        }
        return ((x & 7) + 8) << (e - 1);
    }
}
