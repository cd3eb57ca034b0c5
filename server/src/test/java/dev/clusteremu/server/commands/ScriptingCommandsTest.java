package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * EVAL, EVALSHA, their _RO forms and SCRIPT on one emulated node, replies byte for byte as redis-server
 * 7.0.15 gave them (kept in scripting-answers.txt): conversions between Lua and RESP2/RESP3, redis.call
 * and redis.pcall, the redis helpers, errors and their texts, the sandbox, the script cache and shebang
 * flags. Keys use the hash tag {b}, which node 0 owns.
 */
class ScriptingCommandsTest {
    private static final String ANSWERS = "/dev/clusteremu/server/scripting/scripting-answers.txt";

    private static MigrationTestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MigrationTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One group of the answers: its name and its steps, run in order on one connection. */
    private record Group(String name, List<Step> steps) {
    }

    /** A command, and the exact reply expected (null: not compared). */
    private record Step(Object[] args, String reply) {
    }

    @TestFactory
    Stream<DynamicTest> repliesAsRedis() throws IOException {
        return groups().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            try (RespClient c = new RespClient(cluster.port(0))) {
                for (Step s : g.steps()) {
                    String reply = c.call(s.args());
                    if (s.reply() != null) {
                        assertEquals(s.reply(), reply, () -> describe(s.args()));
                    }
                }
            }
        }));
    }

    private static List<Group> groups() throws IOException {
        List<Group> groups = new ArrayList<>();
        try (InputStream in = ScriptingCommandsTest.class.getResourceAsStream(ANSWERS)) {
            List<String> lines = new String(in.readAllBytes(), UTF_8).lines().toList();
            List<Step> steps = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("## ")) {
                    steps = new ArrayList<>();
                    groups.add(new Group(line.substring(3, line.indexOf(':')), steps));
                } else if (line.startsWith(">! ")) {
                    steps.add(new Step(args(line.substring(3)), null));
                } else if (line.startsWith("> ")) {
                    String reply = lines.get(++i);
                    if (!reply.startsWith("< ")) {
                        throw new IllegalStateException("no reply after " + line);
                    }
                    steps.add(new Step(args(line.substring(2)), new String(unescape(reply.substring(2)), ISO_8859_1)));
                }
            }
        }
        return groups;
    }

    private static Object[] args(String line) {
        String[] parts = line.split(" \\|\\| ", -1);
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            args[i] = unescape(parts[i]);
        }
        return args;
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
                case 'r' -> out.write('\r');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(n);
            }
        }
        return out.toByteArray();
    }

    private static String describe(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (Object a : args) {
            b.append(b.isEmpty() ? "" : " ").append('"').append(new String((byte[]) a, UTF_8)).append('"');
        }
        return b.toString();
    }
}
