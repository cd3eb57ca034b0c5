package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.clusteremu.server.EmulatedCluster;
import dev.clusteremu.server.TestPorts;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The string and key commands sent to a real redis-server 7.0 (cluster-enabled, one node owning every slot)
 * and to an emulated node set up the same way: every reply must be byte-identical. Skipped when
 * /usr/bin/redis-server is absent.
 */
class AgainstRedisTest {
    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    /** Real servers of this family's tests use 7440-7449; the emulator 7400-7439. */
    private static final int REDIS_FIRST_PORT = 7440;
    private static final int REDIS_LAST_PORT = 7449;

    /**
     * Commands whose replies do not depend on timing or hash order, one per line: arguments separated by
     * spaces, double quotes group, \xHH escapes a byte.
     */
    private static final String SCRIPT = """
            set {t}k v pxat 1
            get {t}k
            set {t}k v ex 0
            set {t}k v ex 9223372036854775
            set {t}k v exat 9223372036854775807
            set {t}k v pxat 9223372036854775807
            pexpiretime {t}k
            set {t}k v nx xx
            set {t}k v ex 10 keepttl
            set {t}k v keepttl ex 10
            set {t}k v ex
            set {t}k v ex abc
            set {t}k v get nx
            set {t}k v3 get get
            set {t}k v4 ex 10 ex 20
            ttl {t}k
            set {t}k v5 keepttl
            ttl {t}k
            set {t}k v xx get
            set {t}nokey v xx get
            set {t}k v persist
            set {t}k "ex\\x00junk" 100
            ttl {t}k
            getex {t}k persist ex 10
            getex {t}nokey ex abc
            getex {t}k ex abc
            getex {t}k ex 0
            getex {t}k keepttl
            getex {t}k ex 100
            ttl {t}k
            getex {t}k persist
            ttl {t}k
            getex {t}k pxat 1
            exists {t}k
            setex {t}k 0 v
            psetex {t}k 0 v
            setex {t}k 100 v
            ttl {t}k
            setnx {t}k v
            getset {t}k w
            getdel {t}k
            getdel {t}k
            incr {t}x
            incrby {t}x 9223372036854775806
            incr {t}x
            decrby {t}x -9223372036854775808
            decrby {t}x 9223372036854775807
            set {t}s 007
            incr {t}s
            set {t}s 10
            append {t}s 0
            incr {t}s
            incrbyfloat {t}f 1.5
            incrbyfloat {t}f 0x1p-2
            incrbyfloat {t}f 1e-4940
            incrbyfloat {t}f "1\\x00"
            incrbyfloat {t}f inf
            incrbyfloat {t}big 1.1e4932
            incrbyfloat {t}big 1.1e4932
            set {t}k v
            expire {t}k 100 nx xx
            expire {t}k 100 gt lt
            expire {t}k 100 foo
            expire {t}k abc foo
            expire {t}k 100 "gt\\x00x"
            expire {t}k 100 "f\\x00oo"
            expire {t}k 100 "\\xff\\x0a"
            expire {t}k 9223372036854776
            pexpireat {t}k 9223372036854775807
            expiretime {t}k
            expire {t}k 100 lt
            ttl {t}k
            expire {t}k 50 gt
            expire {t}k 50 lt
            ttl {t}k
            persist {t}k
            expire {t}k 100 xx
            expire {t}k -1
            exists {t}k
            set {t}a 1
            rename {t}a {t}a
            rename {t}nokey {t}nokey
            renamenx {t}a {t}a
            set {t}b 2
            expire {t}a 100
            renamenx {t}a {t}b
            rename {t}a {t}b
            ttl {t}b
            type {t}b
            type {t}nokey
            set {t}s "Hello World"
            getrange {t}s -100 -50
            getrange {t}s -1 -3
            substr {t}s 6 100
            setrange {t}s 536870912 x
            setrange {t}s 536870911 ""
            setrange {t}s 6 Redis
            setrange {t}new2 3 ab
            get {t}new2
            mset {t}a 1 {t}b
            mset {t}a 1 {t}b 2 {t}a 3
            mget {t}a {t}b {t}nokey
            msetnx {t}x 1 {t}a 2
            msetnx {t}y 1 {t}z 2
            exists {t}a {t}a {t}nokey {t}b
            del {t}a {t}a {t}b
            touch {t}y {t}y {t}nokey
            mget {t}a {x}b
            rename {t}y {x}b
            scan " 0"
            scan 18446744073709551616
            scan 0 count 0
            scan 0 count abc
            scan 0 match
            scan 0 type foo count 1000 match {t}y
            keys {t}[
            keys {t}[^a]
            get
            mset
            getex
            expire a
            keys
            randomkey x
            """;

    private static Process redis;
    private static Path dir;
    private static EmulatedCluster emulator;
    private static RespClient real;
    private static RespClient emu;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), "needs /usr/bin/redis-server (Redis 7.0)");
        int port = freePort();
        dir = Files.createTempDirectory("against-redis");
        redis = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        emulator = EmulatedCluster.builder().ports(TestCluster.freePorts(1)).bare(true).start();
        real = connect(port);
        emu = new RespClient(emulator.node(0).port());
        for (RespClient c : List.of(real, emu)) {
            assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
        }
        awaitStateOk(real);
        awaitStateOk(emu);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RespClient c : new RespClient[] {real, emu}) {
            if (c != null) {
                c.close();
            }
        }
        if (emulator != null) {
            emulator.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @BeforeEach
    void deleteAllKeys() {
        for (RespClient c : List.of(real, emu)) {
            for (String key : keys(c.call("KEYS", "*"))) {
                c.call("DEL", key);
            }
        }
    }

    @Test
    void scriptedCommandsReplyAsRedisDoes() {
        for (String line : SCRIPT.split("\n")) {
            Object[] args = tokens(line);
            String expected = real.call(args);
            String actual = emu.call(args);
            if (line.startsWith("keys ") && expected.startsWith("*")) {
                // KEYS lists keys in hash table order, which differs from process to process.
                List<String> e = keys(expected);
                List<String> a = keys(actual);
                e.sort(null);
                a.sort(null);
                assertEquals(e, a, line);
            } else {
                assertEquals(expected, actual, line);
            }
        }
    }

    @Test
    void keysMatchesRandomGlobsAsRedisDoes() {
        Random rnd = new Random(7);
        byte[] keyBytes = {'a', 'b', '-', '\\', '[', ']', '^', '*', (byte) 0x80, 'z'};
        byte[] patternBytes = {'a', 'b', 'c', '*', '?', '[', ']', '^', '-', '\\', (byte) 0x80, (byte) 0xff, 'z', 0};
        for (int i = 0; i < 200; i++) {
            byte[] key = randomBytes(rnd, keyBytes, rnd.nextInt(6));
            real.call("SET", key, "1");
            emu.call("SET", key, "1");
        }
        for (int i = 0; i < 1500; i++) {
            byte[] pattern = randomBytes(rnd, patternBytes, 1 + rnd.nextInt(7));
            List<String> expected = keys(real.call("KEYS", pattern));
            List<String> actual = keys(emu.call("KEYS", pattern));
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, new String(pattern, ISO_8859_1));
        }
    }

    @Test
    void incrbyfloatAddsRandomOperandsAsRedisDoes() {
        Random rnd = new Random(11);
        for (int i = 0; i < 1500; i++) {
            String value = randomNumber(rnd);
            String incr = randomNumber(rnd);
            for (RespClient c : List.of(real, emu)) {
                c.call("SET", "{f}x", value);
            }
            String expected = real.call("INCRBYFLOAT", "{f}x", incr);
            assertEquals(expected, emu.call("INCRBYFLOAT", "{f}x", incr), value + " + " + incr);
            assertEquals(real.call("GET", "{f}x"), emu.call("GET", "{f}x"));
        }
    }

    private static String randomNumber(Random rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(10) == 0) {
            sb.append("0x").append(Long.toHexString(rnd.nextLong())).append(Long.toHexString(rnd.nextLong()));
            if (rnd.nextBoolean()) {
                sb.append('p').append(rnd.nextInt(33000) - 16500);
            }
            return sb.toString();
        }
        sb.append(new String[] {"", "-", "+"}[rnd.nextInt(3)]);
        for (int n = rnd.nextInt(25); n > 0; n--) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextInt(3) > 0) {
            sb.append('.');
            for (int n = rnd.nextInt(25); n > 0; n--) {
                sb.append((char) ('0' + rnd.nextInt(10)));
            }
        }
        if (rnd.nextInt(3) == 0) {
            sb.append('e').append(rnd.nextBoolean() ? rnd.nextInt(61) - 30 : rnd.nextInt(10001) - 5000);
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random rnd, byte[] alphabet, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[rnd.nextInt(alphabet.length)];
        }
        return out;
    }

    /** The bulk strings of a flat array reply. */
    private static List<String> keys(String reply) {
        List<String> out = new ArrayList<>();
        int i = reply.indexOf("\r\n") + 2;
        while (i < reply.length()) {
            int lineEnd = reply.indexOf("\r\n", i);
            int len = Integer.parseInt(reply.substring(i + 1, lineEnd));
            out.add(reply.substring(lineEnd + 2, lineEnd + 2 + len));
            i = lineEnd + 2 + len + 2;
        }
        return out;
    }

    /** Splits a script line: spaces separate, double quotes group, \xHH is a byte, \\ a backslash. */
    private static Object[] tokens(String line) {
        List<Object> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        boolean inToken = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
                inToken = true;
            } else if (ch == ' ' && !quoted) {
                if (inToken) {
                    out.add(cur.toByteArray());
                    cur.reset();
                    inToken = false;
                }
            } else if (ch == '\\' && line.charAt(i + 1) == 'x') {
                cur.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                i += 3;
                inToken = true;
            } else {
                cur.write(ch);
                inToken = true;
            }
        }
        if (inToken) {
            out.add(cur.toByteArray());
        }
        return out.toArray();
    }

    private static RespClient connect(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return new RespClient(port);
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !redis.isAlive()) {
                    fail("redis-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void awaitStateOk(RespClient c) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
            if (System.nanoTime() > deadline) {
                fail("cluster state did not become ok");
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() {
        for (int p = REDIS_FIRST_PORT; p <= REDIS_LAST_PORT; p++) {
            if (TestPorts.isFree(p) && TestPorts.isFree(p + 10000)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port in " + REDIS_FIRST_PORT + "-" + REDIS_LAST_PORT);
    }
}
