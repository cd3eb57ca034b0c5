package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Hashes and sets on the replication link, between the emulator and redis-server 7.0:
 * <ul>
 * <li>the stream a master writes for hash and set commands is Redis's, command for command: HINCRBYFLOAT as
 * HSET of the result, SPOP as SREM of each popped member (in a MULTI when several) or as DEL of the whole
 * set, nothing for commands that changed nothing or only read;</li>
 * <li>a full sync carries hashes and sets of every encoding both ways (a real replica of an emulated master
 * and an emulated replica of a real master), and each side then follows the other's writes, so that
 * listpacks and intsets are byte for byte the same on both and hashtables hold the same elements.</li>
 * </ul>
 */
class HashSetReplicationTest {

    private static Reply call(int port, String... argv) {
        try (RespClient c = RespClient.connect("127.0.0.1", port)) {
            return c.call(argv);
        }
    }

    private static String field(int port, String section, String field) {
        for (String line : call(port, "INFO", section).asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    // -------------------------------------------------------------------------------------------------------
    // The stream
    // -------------------------------------------------------------------------------------------------------

    /**
     * A replica played over a raw socket: PSYNC ? -1, the RDB skipped, then the stream's commands as they
     * come, each as its argument strings.
     */
    private static final class RawReplica implements AutoCloseable {
        /** How long to wait for the stream's next byte before asking again with another ACK. */
        private static final int ACK_PERIOD_MS = 250;
        private static final long DEADLINE_NANOS = 30_000_000_000L;

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String ackOffset;

        RawReplica(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(ACK_PERIOD_MS);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            send("REPLCONF", "capa", "eof", "capa", "psync2");
            assertEquals("+OK", line());
            send("PSYNC", "?", "-1");
            String[] fullresync = nonEmptyLine().split(" ");
            assertEquals("+FULLRESYNC", fullresync[0]);
            ackOffset = fullresync[2];
            skipPayload();
            send("REPLCONF", "ACK", ackOffset);
        }

        private void send(String... argv) throws IOException {
            out.write(RespClient.command(argv));
            out.flush();
        }

        private void skipPayload() throws IOException {
            String header = nonEmptyLine();
            if (!header.startsWith("$EOF:")) {
                for (int n = Integer.parseInt(header.substring(1)); n > 0; n--) {
                    read();
                }
                return;
            }
            byte[] mark = header.substring(5).getBytes(ISO_8859_1);
            byte[] window = new byte[mark.length];
            int seen = 0;
            while (seen < mark.length || !Arrays.equals(window, mark)) {
                int b = read();
                System.arraycopy(window, 1, window, 0, window.length - 1);
                window[window.length - 1] = (byte) b;
                seen++;
            }
        }

        /**
         * The next byte. While the stream is silent the ACK is sent again every {@link #ACK_PERIOD_MS}: a
         * master starts streaming to a diskless-synced replica at an ACK that comes once it has seen the
         * transfer end, and one sent as the last RDB byte arrives can come too early, as a real replica's
         * once-a-second ACK makes harmless.
         */
        private int read() throws IOException {
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (true) {
                try {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("connection closed by the master");
                    }
                    return b;
                } catch (SocketTimeoutException silent) {
                    if (System.nanoTime() > deadline) {
                        throw silent;
                    }
                    if (ackOffset != null) {
                        send("REPLCONF", "ACK", ackOffset);
                    }
                }
            }
        }

        private String nonEmptyLine() throws IOException {
            String l;
            do {
                l = line();
            } while (l.isEmpty());
            return l;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = read()) != '\n') {
                b.write(c);
            }
            String s = b.toString(ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        /** The stream's next command other than the master's PING. */
        List<String> command() throws IOException {
            while (true) {
                int argc = Integer.parseInt(line().substring(1));
                List<String> argv = new ArrayList<>();
                for (int i = 0; i < argc; i++) {
                    int len = Integer.parseInt(line().substring(1));
                    byte[] arg = new byte[len + 2];
                    for (int j = 0; j < arg.length; j++) {
                        arg[j] = (byte) read();
                    }
                    argv.add(new String(arg, 0, len, ISO_8859_1));
                }
                if (!(argc == 1 && argv.get(0).equalsIgnoreCase("PING"))) {
                    return argv;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The commands run against a master whose stream is compared, and what the stream must show. */
    private static final List<String[]> WRITES = List.of(
            new String[] {"HSET", "{t}h", "a", "1", "b", "2"},
            new String[] {"HMSET", "{t}h", "c", "3"},
            new String[] {"HSETNX", "{t}h", "a", "x"},
            new String[] {"HSETNX", "{t}h", "d", "4"},
            new String[] {"HSET", "{t}str", "f", "v"},
            new String[] {"HINCRBY", "{t}h", "a", "5"},
            new String[] {"HINCRBYFLOAT", "{t}h", "f", "1.5"},
            new String[] {"HINCRBYFLOAT", "{t}h", "f", "0.1"},
            new String[] {"HINCRBYFLOAT", "{t}h", "f", "x"},
            new String[] {"HGETALL", "{t}h"},
            new String[] {"HRANDFIELD", "{t}h", "2"},
            new String[] {"HDEL", "{t}h", "nope"},
            new String[] {"HDEL", "{t}h", "a", "b", "c", "d", "f"},
            new String[] {"SADD", "{t}s", "1", "2", "3"},
            new String[] {"SADD", "{t}s", "1"},
            new String[] {"SREM", "{t}s", "9"},
            new String[] {"SMOVE", "{t}s", "{t}t", "1"},
            new String[] {"SMOVE", "{t}s", "{t}t", "1"},
            new String[] {"SRANDMEMBER", "{t}s", "-3"},
            new String[] {"SINTERSTORE", "{t}d", "{t}s", "{t}t"},
            new String[] {"SUNIONSTORE", "{t}d", "{t}s", "{t}t"},
            new String[] {"SINTERSTORE", "{t}d", "{t}s", "{t}missing"},
            new String[] {"SINTERSTORE", "{t}d", "{t}s", "{t}missing"},
            new String[] {"SDIFFSTORE", "{t}e", "{t}s", "{t}s"},
            new String[] {"SADD", "{t}p", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
            new String[] {"SPOP", "{t}p", "0"},
            new String[] {"SPOP", "{t}missing", "3"},
            new String[] {"SADD", "{t}one", "m"},
            new String[] {"SPOP", "{t}one"},
            new String[] {"SPOP", "{t}s", "100"},
            new String[] {"SET", "{t}marker", "done"});

    /** The stream of a master after {@link #WRITES} and then SPOP {t}p 3 and SPOP {t}p 6, SPOPs checked. */
    private static List<List<String>> streamOf(int port) throws IOException {
        try (RawReplica replica = new RawReplica(port); RespClient client = RespClient.connect("127.0.0.1", port)) {
            for (String[] write : WRITES) {
                client.call(write);
            }
            List<Reply> fewPopped = client.call("SPOP", "{t}p", "3").asList();
            List<Reply> manyPopped = client.call("SPOP", "{t}p", "6").asList();
            client.call("SET", "{t}marker", "end");
            List<List<String>> stream = new ArrayList<>();
            List<String> command;
            do {
                command = replica.command();
                stream.add(command);
            } while (!command.equals(List.of("SET", "{t}marker", "end")));
            maskPops(stream, fewPopped);
            maskPops(stream, manyPopped);
            return stream;
        }
    }

    /**
     * Checks that the stream has one SREM per popped member, in the reply's order, inside MULTI/EXEC, and
     * replaces the members (random on each server) by their position.
     */
    private static void maskPops(List<List<String>> stream, List<Reply> popped) {
        int first = -1;
        for (int i = 0; i < stream.size(); i++) {
            if (stream.get(i).equals(List.of("MULTI")) && stream.get(i + 1).get(0).equals("SREM")
                    && stream.get(i + 1).get(1).equals("{t}p") && !stream.get(i + 1).get(2).startsWith("<")) {
                first = i + 1;
                break;
            }
        }
        assertTrue(first > 0, "no MULTI of SREMs for " + popped + " in " + stream);
        for (int j = 0; j < popped.size(); j++) {
            List<String> srem = stream.get(first + j);
            assertEquals(List.of("SREM", "{t}p", popped.get(j).asString()), srem);
            stream.set(first + j, List.of("SREM", "{t}p", "<popped " + j + ">"));
        }
        assertEquals(List.of("EXEC"), stream.get(first + popped.size()));
    }

    @Test
    void theStreamOfHashAndSetCommandsIsRedisStream() throws IOException {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.builder().config("repl-diskless-sync-delay", "0").start();
                RedisTarget emulator = Targets.emulatorSingleMasterCluster()) {
            assertEquals(Reply.status("OK"), call(real.port(), "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the real node serves its slots",
                    () -> call(real.port(), "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            List<List<String>> expected = streamOf(real.port());
            List<List<String>> actual = streamOf(emulator.port());
            assertEquals(expected, actual);
            // The single SPOP without count went as SREM of the member it popped.
            assertTrue(actual.contains(List.of("SREM", "{t}one", "m")), actual.toString());
            assertTrue(actual.contains(List.of("HSET", "{t}h", "f", "1.6")), actual.toString());
            assertTrue(actual.contains(List.of("DEL", "{t}s")), actual.toString());
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Full syncs both ways
    // -------------------------------------------------------------------------------------------------------

    /** Hashes and sets of every encoding, some with a TTL; returns their keys. */
    private static List<String> writeDataset(int masterPort, String tag) {
        List<String> keys = new ArrayList<>();
        try (RespClient c = RespClient.connect("127.0.0.1", masterPort)) {
            String small = "{" + tag + "}h-small";
            c.call("HSET", small, "a", "1", "b", "-70000", "c", "text", "d", "9223372036854775807");
            String long1 = "{" + tag + "}h-long";
            c.call("HSET", long1, "f", "v".repeat(100), "g", "1");
            String big = "{" + tag + "}h-big";
            String ints = "{" + tag + "}s-ints";
            String bigSet = "{" + tag + "}s-big";
            String words = "{" + tag + "}s-words";
            for (int from = 0; from < 600; from += 100) {
                List<String> hset = new ArrayList<>(List.of("HSET", big));
                List<String> sadd = new ArrayList<>(List.of("SADD", bigSet));
                for (int i = from; i < from + 100; i++) {
                    hset.add("f" + i);
                    hset.add("v" + i);
                    sadd.add(Integer.toString(i * 7));
                }
                c.call(hset.toArray(String[]::new));
                c.call(sadd.toArray(String[]::new));
            }
            c.call("SADD", ints, "5", "-3", "100000");
            c.call("SREM", ints, "100000");
            c.call("SADD", words, "alpha", "beta", "1");
            c.call("PEXPIRE", small, "900000");
            c.call("PEXPIRE", bigSet, "800000");
            keys.addAll(List.of(small, long1, big, ints, bigSet, words));
        }
        return keys;
    }

    /** Writes that change every kind of value, as replicas must follow them; returns the keys touched. */
    private static List<String> followUpWrites(int masterPort, String tag) {
        String p = "{" + tag + "}";
        try (RespClient c = RespClient.connect("127.0.0.1", masterPort)) {
            c.call("HINCRBYFLOAT", p + "h-small", "a", "0.5");
            c.call("HDEL", p + "h-small", "b");
            c.call("HSET", p + "h-small", "z", "new");
            c.call("HDEL", p + "h-long", "f", "g");
            c.call("SPOP", p + "s-big", "3");
            c.call("SPOP", p + "s-words");
            c.call("SMOVE", p + "s-ints", p + "s-moved", "5");
            c.call("SINTERSTORE", p + "s-inter", p + "s-big", p + "s-ints");
            c.call("SUNIONSTORE", p + "s-union", p + "s-ints", p + "s-words");
            c.call("SADD", p + "s-ints", "x");
            c.call("SPOP", p + "s-moved", "10");
            c.call("SET", p + "marker", "done");
        }
        return List.of(p + "h-small", p + "h-long", p + "h-big", p + "s-ints", p + "s-big", p + "s-words",
                p + "s-moved", p + "s-inter", p + "s-union");
    }

    /**
     * The replica holds each key as the master does: the same TTL, and the same DUMP for a listpack or an
     * intset; the same type byte and elements for a hashtable, whose DUMP holds its table's order.
     */
    private static void assertSameValues(int masterPort, int replicaPort, List<String> keys) {
        try (RespClient master = RespClient.connect("127.0.0.1", masterPort);
                RespClient replica = RespClient.connect("127.0.0.1", replicaPort)) {
            replica.call("READONLY");
            for (String key : keys) {
                Reply masterDump = master.call("DUMP", key);
                Reply replicaDump = replica.call("DUMP", key);
                assertEquals(master.call("PEXPIRETIME", key), replica.call("PEXPIRETIME", key), key);
                assertEquals(master.call("TYPE", key), replica.call("TYPE", key), key);
                if (!CollectionMaskers.isHashtableDump(masterDump)) {
                    assertEquals(masterDump, replicaDump, key);
                    continue;
                }
                assertArrayEquals(Arrays.copyOf(((Reply.Bulk) masterDump).bytes(), 1),
                        Arrays.copyOf(((Reply.Bulk) replicaDump).bytes(), 1), key);
                boolean hash = master.call("TYPE", key).equals(Reply.status("hash"));
                ReplyMasker order = hash ? CollectionMaskers.unorderedPairs() : ReplyMasker.unordered();
                String[] read = hash ? new String[] {"HGETALL", key} : new String[] {"SMEMBERS", key};
                assertEquals(order.mask(master.call(read)), order.mask(replica.call(read)), key);
            }
        }
    }

    private static void awaitMarker(int replicaPort, String tag) {
        Wait.until("the replica applied the writes up to the marker", () -> {
            try (RespClient c = RespClient.connect("127.0.0.1", replicaPort)) {
                c.call("READONLY");
                return c.call("GET", "{" + tag + "}marker").equals(Reply.bulk("done"));
            }
        });
    }

    @Test
    void aRealReplicaLoadsAndFollowsTheHashesAndSetsOfAnEmulatedMaster() {
        RedisBinaries.assumeRedisServer();
        try (EmulatedNodes emu = EmulatedNodes.bare(1); RealRedisNode real = RealRedisNode.startClusterNode()) {
            int master = emu.port(0);
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            Wait.until("the emulated master serves its slots", () -> emu.clusterInfo(0, "cluster_state").equals("ok"));
            List<String> keys = writeDataset(master, "e");
            assertEquals(Reply.status("OK"),
                    call(real.port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(master)));
            String masterId = emu.myId(0);
            Wait.until("the real node knows the emulated master and its slots",
                    () -> call(real.port(), "CLUSTER", "NODES").asString().contains(masterId + " 127.0.0.1:" + master));
            Wait.until("the real node replicates the emulated master",
                    () -> call(real.port(), "CLUSTER", "REPLICATE", masterId).equals(Reply.status("OK")));
            Wait.until("the real replica's link is up",
                    () -> field(real.port(), "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the real replica's cluster state is ok",
                    () -> call(real.port(), "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameValues(master, real.port(), keys);
            List<String> touched = followUpWrites(master, "e");
            awaitMarker(real.port(), "e");
            assertSameValues(master, real.port(), touched);
        }
    }

    @Test
    void anEmulatedReplicaLoadsAndFollowsTheHashesAndSetsOfARealMaster() {
        RedisBinaries.assumeRedisServer();
        try (RealRedisNode real = RealRedisNode.singleMasterCluster(); EmulatedNodes emu = EmulatedNodes.bare(1)) {
            int replica = emu.port(0);
            List<String> keys = writeDataset(real.port(), "r");
            assertEquals(Reply.status("OK"), call(real.port(), "CONFIG", "SET", "repl-diskless-sync-delay", "0"));
            assertEquals(Reply.status("OK"),
                    emu.call(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(real.port())));
            String masterId = call(real.port(), "CLUSTER", "MYID").asString();
            Wait.until("the emulated node knows the real master's slots",
                    () -> emu.clusterInfo(0, "cluster_slots_assigned").equals("16384"));
            assertEquals(Reply.status("OK"), emu.call(0, "CLUSTER", "REPLICATE", masterId));
            Wait.until("the emulated replica's link is up",
                    () -> field(replica, "replication", "master_link_status").equals("up"));
            // A replica answers CLUSTERDOWN until its own view of the cluster is ok (the master's slots known).
            Wait.until("the emulated replica's cluster state is ok",
                    () -> call(replica, "CLUSTER", "INFO").asString().contains("cluster_state:ok"));
            assertSameValues(real.port(), replica, keys);
            List<String> touched = followUpWrites(real.port(), "r");
            awaitMarker(replica, "r");
            assertSameValues(real.port(), replica, touched);
        }
    }
}
