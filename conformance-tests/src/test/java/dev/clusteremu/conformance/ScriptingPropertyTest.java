package dev.clusteremu.conformance;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random Lua scripts give the same replies on the emulator as on redis-server 7.0: expressions mixing
 * numbers (integral, fractional, huge, infinite), strings that may or may not read as numbers, arithmetic,
 * concatenation, comparisons, string and math library calls, tables and the commands a script calls on a
 * few keys of one slot, returned as Redis converts Lua values, or failing with Lua's error texts. Run in
 * RESP2 or RESP3, with the script's own protocol set to either.
 */
@AddLifecycleHook(NeedsRedisServer.class)
class ScriptingPropertyTest {
    private static final int MAX_DEPTH = 3;

    private static DifferentialTargets targets;

    @BeforeContainer
    static void startTargets() {
        targets = DifferentialTargets.start();
    }

    @AfterContainer
    static void stopTargets() {
        if (targets != null) {
            targets.close();
        }
    }

    @Property(tries = 120)
    void randomScriptsAnswerAsRedis(@ForAll boolean resp3, @ForAll("scripts") List<String> scripts) {
        try (DifferentialSession session = targets.freshSession()) {
            if (resp3) {
                session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
            }
            for (String script : scripts) {
                session.check("EVAL", script, "2", "{t}a", "{t}b", "7", "x");
            }
        }
    }

    @Provide
    Arbitrary<List<String>> scripts() {
        Arbitrary<String> script = Arbitraries.oneOf(
                expr(MAX_DEPTH).map(e -> "return " + e),
                expr(MAX_DEPTH).list().ofMinSize(1).ofMaxSize(4).map(es -> "return {" + String.join(", ", es) + "}"),
                Arbitraries.of("", "redis.setresp(3) ").flatMap(resp -> command().list().ofMinSize(1).ofMaxSize(4)
                        .map(cs -> resp + "local r = {} " + String.join(" ", cs.stream()
                                .map(c -> "r[#r + 1] = " + c).toList()) + " return r")));
        return script.list().ofMinSize(1).ofMaxSize(5);
    }

    private static Arbitrary<String> expr(int depth) {
        Arbitrary<String> leaf = Arbitraries.of("0", "1", "-1", "0.5", "3.25", "1e15", "2^53", "1/0", "-(1/0)",
                "'a'", "'hello'", "''", "'10'", "' 5 '", "'0x10'", "'x y'", "nil", "true", "false",
                "KEYS[1]", "ARGV[1]", "ARGV[2]", "#KEYS");
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = Arbitraries.lazy(() -> expr(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf),
                net.jqwik.api.Tuple.of(3, net.jqwik.api.Combinators.combine(sub, Arbitraries.of("+", "-", "*", "/",
                        "%", "^", "..", "<", "<=", "==", "~=", "and", "or"), sub)
                        .as((a, op, b) -> "(" + a + " " + op + " " + b + ")")),
                net.jqwik.api.Tuple.of(3, net.jqwik.api.Combinators.combine(Arbitraries.of("tonumber",
                        "type", "string.upper", "string.len", "string.reverse", "math.floor", "math.abs", "-",
                        "not ", "#"), sub).as((f, a) -> f.endsWith(" ") || f.equals("-") || f.equals("#")
                                ? "(" + f + a + ")" : f + "(" + a + ")")),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(sub, sub).as((a, b) ->
                        "string.format('%s|%d|%.3g|%q', " + a + ", " + b + ", " + b + ", " + a + ")")),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(sub, sub, sub).as((a, b, c) ->
                        "table.concat({" + a + ", " + b + ", " + c + "}, ',')")),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(sub, sub).as((a, b) ->
                        "string.rep(" + a + ", 3, " + b + ")")),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(sub, sub).as((a, b) ->
                        "math.max(" + a + ", " + b + ")")),
                net.jqwik.api.Tuple.of(1, sub.map(a -> "select('#', " + a + ", " + a + ")")),
                net.jqwik.api.Tuple.of(1, sub.map(a -> "cjson.encode({" + a + "})")),
                net.jqwik.api.Tuple.of(1, sub.map(a -> "{" + a + ", " + a + "}")));
    }

    private static Arbitrary<String> command() {
        Arbitrary<String> arg = expr(1);
        return Arbitraries.oneOf(
                arg.map(a -> "redis.call('set', KEYS[1], " + a + ")"),
                arg.map(a -> "redis.pcall('incrbyfloat', KEYS[2], " + a + ")"),
                arg.map(a -> "redis.pcall('incrby', KEYS[1], " + a + ")"),
                arg.map(a -> "redis.call('rpush', '{t}list', " + a + ")"),
                arg.map(a -> "redis.call('hset', '{t}h', 'f', " + a + ")"),
                Arbitraries.of("redis.call('get', KEYS[1])", "redis.call('get', KEYS[2])",
                        "redis.call('lrange', '{t}list', 0, -1)", "redis.call('hgetall', '{t}h')",
                        "redis.pcall('lpop', KEYS[1])", "redis.call('exists', KEYS[1], KEYS[2])",
                        "redis.call('del', KEYS[1])", "redis.pcall('hget', '{t}h')", "redis.call('type', KEYS[2])",
                        "redis.call('ping')", "redis.pcall('nosuch')"));
    }
}
