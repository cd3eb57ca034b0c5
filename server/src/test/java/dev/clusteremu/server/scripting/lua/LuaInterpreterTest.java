package dev.clusteremu.server.scripting.lua;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Lua interpreter on its own, with the libraries Redis loads (base, table, string, math, cjson, struct,
 * cmsgpack, bit): scripts whose answers were taken from redis-server 7.0.15's Lua (EVAL with no keys), kept
 * in redis-lua-answers.txt — table traversal order, number formatting (%.14g), string.format, patterns,
 * sorting, error texts with their variable names, the shared sign of zero constants, coroutines,
 * metamethods, the Redis libraries' encodings and math.random's sequence.
 */
class LuaInterpreterTest {
    private static final String ANSWERS = "redis-lua-answers.txt";

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("answers")
    void answersAsRedisLua(String script, byte[] expected) {
        Object result = onLuaThread(() -> {
            LuaState state = fresh();
            return state.call(state.load(script.getBytes(UTF_8), "@user_script"))[0];
        });
        LuaString s = assertInstanceOf(LuaString.class, result, script);
        assertEquals(new String(expected, ISO_8859_1), new String(s.bytes(), ISO_8859_1), script);
    }

    @Test
    void syntaxErrorsAreThrownWithLuaTexts() {
        LuaError e = assertThrows(LuaError.class, () -> fresh().load("return 1 +".getBytes(UTF_8), "@user_script"));
        assertEquals("user_script:1: unexpected symbol near '<eof>'", LuaValues.rawToString(e.value()).toString());
        e = assertThrows(LuaError.class, () -> fresh().load("x = 'a\nb'".getBytes(UTF_8), "@user_script"));
        assertEquals("user_script:1: unfinished string near ''a'", LuaValues.rawToString(e.value()).toString());
    }

    @Test
    void runtimeErrorsCarryTheirValue() {
        LuaError e = assertThrows(LuaError.class, () -> onLuaThread(() -> {
            LuaState state = fresh();
            return state.call(state.load("local t = nil\nreturn t.x".getBytes(UTF_8), "@user_script"));
        }));
        assertEquals("user_script:2: attempt to index local 't' (a nil value)",
                LuaValues.rawToString(e.value()).toString());
        e = assertThrows(LuaError.class, () -> onLuaThread(() -> {
            LuaState state = fresh();
            return state.call(state.load("error({err = 'x'})".getBytes(UTF_8), "@user_script"));
        }));
        LuaTable table = assertInstanceOf(LuaTable.class, e.value());
        assertEquals("x", table.getStr(LuaString.of("err")).toString());
    }

    @Test
    void theHookStopsALoop() {
        RuntimeException stop = assertThrows(RuntimeException.class, () -> onLuaThread(() -> {
            LuaState state = fresh();
            int[] calls = {0};
            state.setHook(() -> {
                if (++calls[0] == 5) {
                    throw new LuaError(LuaString.of("stopped"));
                }
            });
            return state.call(state.load("while true do end".getBytes(UTF_8), "@user_script"));
        }));
        assertTrue(stop instanceof LuaError le && "stopped".equals(LuaValues.rawToString(le.value()).toString()));
    }

    static Stream<Arguments> answers() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = LuaInterpreterTest.class.getResourceAsStream(ANSWERS)) {
            List<String> lines = new String(in.readAllBytes(), UTF_8).lines()
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String answer = lines.get(i + 1);
                assertTrue(answer.startsWith("= "), answer);
                cases.add(Arguments.of(lines.get(i), unescape(answer.substring(2))));
            }
        }
        return cases.stream();
    }

    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.write('\n');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(n);
            }
        }
        return out.toByteArray();
    }

    /** A state with Redis's libraries, as LuaEngine opens them (without the redis table and sandbox). */
    private static LuaState fresh() {
        LuaState state = new LuaState(new Rand48());
        LuaTable g = state.globals();
        BaseLib.open(state, g);
        TableLib.open(g);
        StringLib.open(state, g);
        MathLib.open(g);
        CjsonLib.open(g);
        StructLib.open(g);
        CmsgpackLib.open(g);
        BitLib.open(g);
        return state;
    }

    /** Runs Lua code on a Lua thread (deep Java stack), as the server does. */
    private static <T> T onLuaThread(Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        LuaExecutors.execute(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
