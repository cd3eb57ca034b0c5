package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The blocking list and sorted set commands over several real connections: the same script (clients block,
 * others write, replies are read in a fixed order) runs against a real redis-server 7.0 and against the
 * emulator, and the replies each connection read must be the same bytes; so must what the master sends its
 * replicas, read from a replication link opened on each. Keys share the {q} tag.
 */
@ExtendWith(DifferentialExtension.class)
class BlockingCommandsDifferentialTest {

    /** Connections to one server, and the transcript of every reply they read, in reading order. */
    private static final class Actors implements AutoCloseable {
        private final RedisTarget target;
        private final List<RespClient> clients = new ArrayList<>();
        private final RespClient admin;
        private final List<String> transcript = new ArrayList<>();

        Actors(RedisTarget target, int n) {
            this.target = target;
            for (int i = 0; i < n; i++) {
                clients.add(RespClient.connect(target).timeout(Duration.ofSeconds(20)));
            }
            admin = RespClient.connect(target);
        }

        /** Sends a command on connection {@code i} without reading its reply. */
        void send(int i, String... argv) {
            clients.get(i).send(argv);
        }

        /** Reads connection {@code i}'s next reply into the transcript. */
        void read(int i) {
            transcript.add(i + ": " + Reply.escape(clients.get(i).readRawReply()));
        }

        void call(int i, String... argv) {
            send(i, argv);
            read(i);
        }

        /** Waits until {@code n} clients are blocked, so that the next write finds them in place. */
        void awaitBlocked(int n) {
            Wait.until(n + " blocked clients on " + target.description(), () -> admin.call("INFO", "clients")
                    .asString().contains("blocked_clients:" + n + "\r\n"));
        }

        @Override
        public void close() {
            clients.forEach(RespClient::close);
            admin.close();
        }
    }

    @FunctionalInterface
    private interface Script {
        void run(Actors a);
    }

    /** Runs {@code script} with {@code n} connections on each server and compares what they read. */
    private static void compare(DifferentialSession session, int n, Script script) {
        List<List<String>> transcripts = new ArrayList<>();
        for (RedisTarget target : List.of(session.reference(), session.candidate())) {
            try (RespClient c = RespClient.connect(target)) {
                c.call("FLUSHALL");
            }
            try (Actors actors = new Actors(target, n)) {
                script.run(actors);
                actors.awaitBlocked(0);
                transcripts.add(actors.transcript);
            }
        }
        assertEquals(transcripts.get(0), transcripts.get(1), "transcripts of reference then candidate");
    }

    @Test
    void listClientsAreServedInBlockingOrder(DifferentialSession session) {
        compare(session, 5, a -> {
            a.send(0, "BLPOP", "{q}a", "0");
            a.awaitBlocked(1);
            a.send(1, "BRPOP", "{q}b", "{q}a", "0");
            a.awaitBlocked(2);
            a.send(2, "BLMPOP", "0", "2", "{q}b", "{q}a", "LEFT", "COUNT", "2");
            a.awaitBlocked(3);
            a.send(3, "BLPOP", "{q}a", "0");
            a.awaitBlocked(4);
            a.call(4, "RPUSH", "{q}a", "1", "2", "3", "4");
            a.read(0);
            a.read(1);
            a.read(2);
            a.awaitBlocked(1);
            a.call(4, "LPUSH", "{q}b", "x");
            a.call(4, "LPUSH", "{q}a", "y");
            a.read(3);
            a.call(4, "EXISTS", "{q}a", "{q}b");
        });
    }

    @Test
    void sortedSetClientsAreServedInBlockingOrder(DifferentialSession session) {
        compare(session, 4, a -> {
            a.send(0, "BZPOPMIN", "{q}z", "0");
            a.awaitBlocked(1);
            a.send(1, "BZMPOP", "0", "1", "{q}z", "MAX", "COUNT", "2");
            a.awaitBlocked(2);
            a.send(2, "BZPOPMAX", "{q}y", "{q}z", "0");
            a.awaitBlocked(3);
            a.call(3, "ZADD", "{q}z", "1", "a", "2", "b", "3", "c", "4", "d");
            a.read(0);
            a.read(1);
            a.read(2);
            a.call(3, "ZRANGE", "{q}z", "0", "-1", "WITHSCORES");
        });
    }

    @Test
    void aBlmoveServedPushesOnToTheNextWaiter(DifferentialSession session) {
        compare(session, 4, a -> {
            a.send(0, "BLMOVE", "{q}src", "{q}mid", "RIGHT", "LEFT", "0");
            a.awaitBlocked(1);
            a.send(1, "BRPOPLPUSH", "{q}mid", "{q}dst", "0");
            a.awaitBlocked(2);
            a.send(2, "BLPOP", "{q}dst", "0");
            a.awaitBlocked(3);
            a.call(3, "RPUSH", "{q}src", "x", "y");
            a.read(0);
            a.read(1);
            a.read(2);
            a.call(3, "LRANGE", "{q}src", "0", "-1");
            a.call(3, "EXISTS", "{q}mid", "{q}dst");
        });
    }

    @Test
    void aBlmoveToAKeyOfAnotherTypeFails(DifferentialSession session) {
        compare(session, 2, a -> {
            a.send(0, "BLMOVE", "{q}src", "{q}dst", "LEFT", "LEFT", "0");
            a.awaitBlocked(1);
            a.call(1, "SET", "{q}dst", "string");
            a.call(1, "RPUSH", "{q}src", "x");
            a.read(0);
            a.call(1, "LRANGE", "{q}src", "0", "-1");
        });
    }

    @Test
    void valuesOfAnotherTypeWakeNobody(DifferentialSession session) {
        compare(session, 3, a -> {
            a.send(0, "BLPOP", "{q}k", "0");
            a.awaitBlocked(1);
            a.send(1, "BZPOPMIN", "{q}k", "0");
            a.awaitBlocked(2);
            a.call(2, "SET", "{q}k", "string");
            a.call(2, "DEL", "{q}k");
            a.call(2, "SET", "{q}h", "v");
            a.call(2, "ZADD", "{q}k", "1", "m");
            a.read(1);
            a.call(2, "RPUSH", "{q}k", "v");
            a.read(0);
        });
    }

    @Test
    void keysCreatedByOtherCommandsWakeWaiters(DifferentialSession session) {
        compare(session, 3, a -> {
            a.call(2, "ZADD", "{q}src", "5", "five", "6", "six");
            a.send(0, "BZPOPMIN", "{q}union", "0");
            a.awaitBlocked(1);
            a.call(2, "ZUNIONSTORE", "{q}union", "1", "{q}src");
            a.read(0);
            a.call(2, "RPUSH", "{q}list", "v", "w");
            a.send(1, "BLPOP", "{q}renamed", "0");
            a.awaitBlocked(1);
            a.call(2, "RENAME", "{q}list", "{q}renamed");
            a.read(1);
            a.call(2, "RPUSH", "{q}tmp", "p", "q");
            a.send(0, "BRPOP", "{q}restored", "0");
            a.awaitBlocked(1);
            a.send(2, "DUMP", "{q}tmp");
            byte[] payload = ((Reply.Bulk) a.clients.get(2).read()).bytes();
            a.clients.get(2).send("RESTORE".getBytes(StandardCharsets.UTF_8),
                    "{q}restored".getBytes(StandardCharsets.UTF_8), "0".getBytes(StandardCharsets.UTF_8), payload);
            a.read(2);
            a.read(0);
            a.call(2, "LRANGE", "{q}restored", "0", "-1");
        });
    }

    @Test
    void timeoutsReplyNullInEitherProtocol(DifferentialSession session) {
        compare(session, 2, a -> {
            a.call(0, "BLPOP", "{q}none", "0.05");
            a.call(0, "BLMOVE", "{q}none", "{q}d", "LEFT", "LEFT", "0.05");
            a.call(0, "BZPOPMIN", "{q}none", "0.001");
            a.call(0, "BLMPOP", "0.05", "1", "{q}none", "LEFT");
            a.clients.get(1).send("HELLO", "3");
            a.clients.get(1).read();
            a.call(1, "BZMPOP", "0.05", "1", "{q}none", "MIN");
            a.call(1, "BRPOPLPUSH", "{q}none", "{q}d", "0.05");
        });
    }

    @Test
    void commandsSentWhileBlockedRunAfterTheReply(DifferentialSession session) {
        compare(session, 2, a -> {
            a.send(0, "BLPOP", "{q}k", "0");
            a.send(0, "LLEN", "{q}k");
            a.send(0, "RPUSH", "{q}k", "mine");
            a.awaitBlocked(1);
            a.call(1, "RPUSH", "{q}k", "a", "b");
            a.read(0);
            a.read(0);
            a.read(0);
            a.call(1, "LRANGE", "{q}k", "0", "-1");
        });
    }

    @Test
    void aServedResp3ClientGetsResp3Replies(DifferentialSession session) {
        compare(session, 2, a -> {
            a.clients.get(0).send("HELLO", "3");
            a.clients.get(0).read();
            a.send(0, "BZPOPMIN", "{q}z", "0");
            a.awaitBlocked(1);
            a.call(1, "ZADD", "{q}z", "1.5", "a");
            a.read(0);
            a.send(0, "BZMPOP", "0", "1", "{q}z", "MIN", "COUNT", "9");
            a.awaitBlocked(1);
            a.call(1, "ZADD", "{q}z", "2", "b", "3", "c");
            a.read(0);
        });
    }

    /**
     * A raw replication link: the handshake, a full sync whose RDB is skipped, then the commands of the
     * stream as lists of strings (PINGs and SELECTs left out).
     */
    private static final class ReplicationLink implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        ReplicationLink(RedisTarget target) throws IOException {
            socket = new Socket(target.host(), target.port());
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            out.write(RespClient.command("REPLCONF", "capa", "psync2"));
            line();
            out.write(RespClient.command("PSYNC", "?", "-1"));
            String fullresync = nonEmptyLine();
            if (!fullresync.startsWith("+FULLRESYNC")) {
                throw new IllegalStateException("no full sync: " + fullresync);
            }
            String header = nonEmptyLine();
            if (header.startsWith("$EOF:")) {
                byte[] mark = header.substring(5).getBytes(StandardCharsets.ISO_8859_1);
                byte[] window = new byte[mark.length];
                int seen = 0;
                while (seen < mark.length || !Arrays.equals(window, mark)) {
                    System.arraycopy(window, 1, window, 0, mark.length - 1);
                    window[mark.length - 1] = (byte) read();
                    seen++;
                }
            } else {
                in.readNBytes(Integer.parseInt(header.substring(1)));
            }
        }

        private int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("replication link closed");
            }
            return b;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = read()) != '\n') {
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        private String nonEmptyLine() throws IOException {
            String l;
            do {
                l = line();
            } while (l.isEmpty());
            return l;
        }

        /** The next command of the stream that is not PING or SELECT. */
        String command() throws IOException {
            while (true) {
                int n = Integer.parseInt(nonEmptyLine().substring(1));
                List<String> argv = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int len = Integer.parseInt(line().substring(1));
                    argv.add(new String(in.readNBytes(len), StandardCharsets.ISO_8859_1));
                    line();
                }
                String first = argv.get(0).toUpperCase(Locale.ROOT);
                if (!first.equals("PING") && !first.equals("SELECT")) {
                    return String.join(" ", argv);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * What each server propagated for served and immediate blocking pops: the non-blocking command that
     * took the element, with the count actually taken, each on its own after the write that woke it.
     */
    @Test
    void blockingPopsPropagateAsTheNonBlockingCommandThatRan(DifferentialSession session) throws IOException {
        Script script = a -> {
            a.send(0, "BLPOP", "{q}l", "0");
            a.awaitBlocked(1);
            a.send(1, "BLPOP", "{q}l", "0");
            a.awaitBlocked(2);
            a.call(2, "RPUSH", "{q}l", "a", "b", "c");
            a.read(0);
            a.read(1);
            a.send(0, "BLMOVE", "{q}s", "{q}d", "LEFT", "RIGHT", "0");
            a.awaitBlocked(1);
            a.call(2, "RPUSH", "{q}s", "x");
            a.read(0);
            a.send(1, "BRPOPLPUSH", "{q}s2", "{q}d", "0");
            a.awaitBlocked(1);
            a.call(2, "RPUSH", "{q}s2", "y");
            a.read(1);
            a.send(0, "BLMPOP", "0", "1", "{q}m", "RIGHT", "COUNT", "5");
            a.awaitBlocked(1);
            a.call(2, "RPUSH", "{q}m", "1", "2");
            a.read(0);
            a.send(1, "BZMPOP", "0", "1", "{q}z", "MAX", "COUNT", "3");
            a.awaitBlocked(1);
            a.call(2, "ZADD", "{q}z", "1", "a", "2", "b");
            a.read(1);
            a.send(0, "BZPOPMIN", "{q}z2", "0");
            a.awaitBlocked(1);
            a.call(2, "ZADD", "{q}z2", "1", "a", "2", "b", "3", "c");
            a.read(0);
            a.call(2, "BLPOP", "{q}l", "0");
            a.call(2, "BZMPOP", "0", "1", "{q}z2", "MIN");
            a.call(2, "BZPOPMAX", "{q}z2", "{q}z", "0");
            a.call(2, "BLMOVE", "{q}d", "{q}d2", "RIGHT", "LEFT", "0");
            a.call(2, "LMPOP", "2", "{q}none", "{q}d", "LEFT", "COUNT", "9");
            a.call(2, "ZADD", "{q}z3", "1", "a");
            a.call(2, "ZMPOP", "1", "{q}z3", "MIN", "COUNT", "4");
            a.call(2, "BLPOP", "{q}none", "0.01");
            a.call(2, "SET", "{q}end", "1");
        };
        List<List<String>> streams = new ArrayList<>();
        for (RedisTarget target : List.of(session.reference(), session.candidate())) {
            try (RespClient c = RespClient.connect(target)) {
                c.call("FLUSHALL");
            }
            List<String> stream = new ArrayList<>();
            try (ReplicationLink link = new ReplicationLink(target); Actors actors = new Actors(target, 3)) {
                script.run(actors);
                String command;
                do {
                    command = link.command();
                    stream.add(command);
                } while (!command.equals("SET {q}end 1"));
            } catch (SocketTimeoutException e) {
                throw new UncheckedIOException("stream of " + target.description() + " so far: " + stream, e);
            }
            try (RespClient c = RespClient.connect(target)) {
                c.call("CLIENT", "KILL", "TYPE", "replica");
            }
            streams.add(stream);
        }
        assertEquals(streams.get(0), streams.get(1), "replication streams of reference then candidate");
    }
}
