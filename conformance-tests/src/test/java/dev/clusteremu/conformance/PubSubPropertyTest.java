package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Random Pub/Sub sessions: two connections, each in RESP2 or RESP3, send a random sequence of (un)subscribe,
 * publish, PUBSUB, PING, RESET and ordinary commands to a real redis-server and to the emulator, and every
 * frame each connection receives must be the same on both, step by step.
 *
 * <p>After each step both connections are read up to the reply of a PING with a fresh token, so that
 * messages pushed to the other connection are compared too. What Redis writes in its hash tables' order is
 * compared in a canonical order: the replies of an argument-less (S|P)UNSUBSCRIBE (channels sorted, counts
 * kept in order), the pmessages of one publish, and the channels PUBSUB CHANNELS lists.
 */
@AddLifecycleHook(PubSubPropertyTest.RequiresRedisServer.class)
class PubSubPropertyTest {
    private static final List<String> CHANNELS = List.of("c1", "c2", "c3", "d", "");
    private static final List<String> PATTERNS = List.of("c*", "c?", "*", "[cd]*", "x*");
    private static final List<String> SHARD_CHANNELS = List.of("{s}1", "{s}2", "{s}3");

    private static RedisTarget reference;
    private static RedisTarget candidate;
    private static int tokens;

    /** One command, sent on connection 0 or 1. */
    record Step(int connection, List<String> argv) {
        @Override
        public String toString() {
            return connection + ": " + String.join(" ", argv);
        }
    }

    /** Skips the property, with the reason, where redis-server 7.0 is not installed. */
    static final class RequiresRedisServer implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            try {
                RedisBinaries.assumeRedisServer();
                return SkipResult.doNotSkip();
            } catch (TestAbortedException e) {
                return SkipResult.skip(e.getMessage());
            }
        }
    }

    @AfterContainer
    static void stopTargets() {
        if (candidate != null) {
            candidate.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Property(tries = 60)
    void randomPubSubSessionsAnswerAlike(@ForAll @IntRange(min = 2, max = 3) int protocolA,
            @ForAll @IntRange(min = 2, max = 3) int protocolB, @ForAll("sessions") List<Step> steps) {
        startTargets();
        awaitNoSubscribers();
        List<RespClient[]> connections = new ArrayList<>();
        try {
            for (int protocol : new int[] {protocolA, protocolB}) {
                RespClient[] pair = {RespClient.connect(reference), RespClient.connect(candidate)};
                connections.add(pair);
                for (RespClient c : pair) {
                    c.call("HELLO", Integer.toString(protocol));
                }
            }
            for (Step step : steps) {
                for (RespClient c : connections.get(step.connection())) {
                    c.send(step.argv().toArray(String[]::new));
                }
                for (int i = 0; i < connections.size(); i++) {
                    List<String> expected = framesUpToSync(connections.get(i)[0], step, i);
                    List<String> actual = framesUpToSync(connections.get(i)[1], step, i);
                    if (!expected.equals(actual)) {
                        throw new AssertionFailedError("connection " + i + " after (" + step + ") in " + steps,
                                expected, actual);
                    }
                }
            }
        } finally {
            connections.forEach(pair -> Stream.of(pair).forEach(RespClient::close));
        }
    }

    @Provide
    Arbitrary<List<Step>> sessions() {
        Arbitrary<String> channel = Arbitraries.of(CHANNELS);
        Arbitrary<String> pattern = Arbitraries.of(PATTERNS);
        Arbitrary<String> shard = Arbitraries.of(SHARD_CHANNELS);
        Arbitrary<String> payload = Arbitraries.strings().alpha().ofMaxLength(4);
        Arbitrary<List<String>> command = Arbitraries.oneOf(
                channel.list().ofMinSize(1).ofMaxSize(3).map(l -> cmd("SUBSCRIBE", l)),
                channel.list().ofMaxSize(2).map(l -> cmd("UNSUBSCRIBE", l)),
                pattern.list().ofMinSize(1).ofMaxSize(2).map(l -> cmd("PSUBSCRIBE", l)),
                pattern.list().ofMaxSize(2).map(l -> cmd("PUNSUBSCRIBE", l)),
                shard.list().ofMinSize(1).ofMaxSize(2).map(l -> cmd("SSUBSCRIBE", l)),
                shard.list().ofMaxSize(2).map(l -> cmd("SUNSUBSCRIBE", l)),
                Combinators.combine(channel, payload).as((c, m) -> List.of("PUBLISH", c, m)),
                Combinators.combine(channel, payload).as((c, m) -> List.of("PUBLISH", c, m)),
                Combinators.combine(shard, payload).as((c, m) -> List.of("SPUBLISH", c, m)),
                channel.list().ofMaxSize(3).map(l -> cmd("PUBSUB NUMSUB", l)),
                shard.list().ofMaxSize(2).map(l -> cmd("PUBSUB SHARDNUMSUB", l)),
                Arbitraries.of(List.of("PUBSUB", "NUMPAT"), List.of("PUBSUB", "CHANNELS"),
                        List.of("PUBSUB", "CHANNELS", "c*"), List.of("PUBSUB", "SHARDCHANNELS"), List.of("PING"),
                        List.of("PING", "x"), List.of("GET", "k"), List.of("SET", "k", "v"), List.of("RESET")));
        return Combinators.combine(Arbitraries.integers().between(0, 1), command).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(30);
    }

    /**
     * Reads {@code client}'s frames after {@code step} up to the reply of a PING with a fresh token; returns
     * them in canonical form (exact bytes, except where Redis's order is a hash table's).
     */
    private static List<String> framesUpToSync(RespClient client, Step step, int connection) {
        String token = "sync" + tokens++;
        client.send("PING", token);
        List<RespReader.Frame> frames = new ArrayList<>();
        while (true) {
            RespReader.Frame frame = client.readFrame();
            if (isSyncReply(frame.reply(), token)) {
                break;
            }
            frames.add(frame);
        }
        boolean own = step.connection() == connection;
        List<String> out = new ArrayList<>();
        if (own && isUnsubscribeAll(step.argv())) {
            List<String> channels = new ArrayList<>();
            for (RespReader.Frame f : frames) {
                channels.add(f.reply().asList().get(1).toString());
            }
            channels.sort(null);
            for (int i = 0; i < frames.size(); i++) {
                List<Reply> e = frames.get(i).reply().asList();
                out.add(frames.get(i).reply().getClass().getSimpleName() + e.get(0) + " " + channels.get(i) + " "
                        + e.get(2));
            }
            return out;
        }
        List<String> pmessages = new ArrayList<>();
        for (RespReader.Frame f : frames) {
            Reply r = f.reply();
            if ((r instanceof Reply.Array || r instanceof Reply.Push) && !r.asList().isEmpty()
                    && r.asList().get(0).equals(Reply.bulk("pmessage"))) {
                pmessages.add(Reply.escape(f.bytes()));
                continue;
            }
            flushSorted(pmessages, out);
            if (own && step.argv().size() >= 2 && step.argv().get(0).equals("PUBSUB")
                    && step.argv().get(1).endsWith("CHANNELS") && r instanceof Reply.Array a) {
                out.add("channels " + a.elements().stream().map(Reply::toString).sorted().toList());
            } else {
                out.add(Reply.escape(f.bytes()));
            }
        }
        flushSorted(pmessages, out);
        return out;
    }

    private static void flushSorted(List<String> run, List<String> out) {
        run.sort(null);
        out.addAll(run);
        run.clear();
    }

    /** PING's reply: the token as a bulk string, or in subscribed RESP2 ["pong", token]. */
    private static boolean isSyncReply(Reply reply, String token) {
        if (reply.equals(Reply.bulk(token))) {
            return true;
        }
        return reply instanceof Reply.Array a && a.elements().size() == 2
                && a.elements().get(0).equals(Reply.bulk("pong")) && a.elements().get(1).equals(Reply.bulk(token));
    }

    private static boolean isUnsubscribeAll(List<String> argv) {
        return argv.size() == 1 && argv.get(0).endsWith("UNSUBSCRIBE");
    }

    private static List<String> cmd(String command, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        argv.addAll(args);
        return argv;
    }

    private static synchronized void startTargets() {
        if (reference == null) {
            reference = Targets.realSingleMasterCluster();
            candidate = Targets.candidateSingleMasterCluster();
        }
    }

    /** Waits until the connections of the previous try are gone from both servers. */
    private static void awaitNoSubscribers() {
        for (RedisTarget t : List.of(reference, candidate)) {
            try (RespClient c = RespClient.connect(t)) {
                Wait.until("no subscriptions left", () -> c.call("PUBSUB", "NUMPAT").asLong() == 0
                        && c.call("PUBSUB", "CHANNELS").asList().isEmpty()
                        && c.call("PUBSUB", "SHARDCHANNELS").asList().isEmpty());
            }
        }
    }
}
