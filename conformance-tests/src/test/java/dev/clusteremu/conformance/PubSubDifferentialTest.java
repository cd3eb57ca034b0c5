package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB on a one-node cluster,
 * with a subscriber connection and a publisher connection on each side: confirmations, messages and
 * their exact frames in RESP2 and RESP3, the commands a subscribed RESP2 connection may still send, and
 * the subscriptions as CLIENT LIST and INFO report them.
 */
@ExtendWith(DifferentialExtension.class)
class PubSubDifferentialTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void subscriptionsAreConfirmedOneFrameEachWithTheRunningCount(int protocol, DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            useProtocol(sub, protocol);
            sub.check(3, "SUBSCRIBE", "sc:a", "sc:b", "sc:a");
            sub.check(2, "PSUBSCRIBE", "sc:*", "sc:?");
            sub.check(1, "PSUBSCRIBE", "sc:*");
            sub.check(2, "UNSUBSCRIBE", "sc:a", "sc:none");
            sub.check(1, "PUNSUBSCRIBE", "sc:?");
            sub.check(1, "UNSUBSCRIBE");
            sub.check(1, "PUNSUBSCRIBE");
            // Nothing left: one reply each, with a null channel and a count of 0.
            sub.check(1, "UNSUBSCRIBE");
            sub.check(1, "PUNSUBSCRIBE");
            sub.check(1, "SUNSUBSCRIBE");
            sub.check("PING");
            sub.assertQuiet();
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void unsubscribingFromEverythingAnswersEveryChannel(int protocol, DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            useProtocol(sub, protocol);
            sub.check(4, "SUBSCRIBE", "ua:1", "ua:2", "ua:3", "ua:4");
            sub.check(3, "PSUBSCRIBE", "ua:*", "ua:?", "u*");
            sub.send("UNSUBSCRIBE");
            sub.nextUnsubscriptions(4);
            sub.send("PUNSUBSCRIBE");
            sub.nextUnsubscriptions(3);
            sub.check(3, "SSUBSCRIBE", "{ua}1", "{ua}2", "{ua}3");
            sub.send("SUNSUBSCRIBE");
            sub.nextUnsubscriptions(3);
            sub.assertQuiet();
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedAtItsOutputBufferLimit(DifferentialSession session) throws Exception {
        session.check("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 256kb 60");
        try {
            List<String> outcomes = new ArrayList<>();
            for (RedisTarget target : List.of(session.reference(), session.candidate())) {
                outcomes.add(publishToASubscriberThatNeverReads(target));
            }
            assertEquals(outcomes.get(0), outcomes.get(1));
            assertEquals("disconnected", outcomes.get(0));
        } finally {
            session.check("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    }

    /**
     * 64 KiB messages to a subscriber with a small receive buffer that never reads: once the server holds
     * more than the 1 MiB hard limit for it, it drops the subscriber and PUBLISH counts no receiver.
     */
    private static String publishToASubscriberThatNeverReads(RedisTarget target) throws Exception {
        try (Socket subscriber = new Socket(); RespClient publisher = RespClient.connect(target)) {
            subscriber.setReceiveBufferSize(4096);
            subscriber.connect(new InetSocketAddress(target.host(), target.port()));
            subscriber.getOutputStream().write(RespClient.command("SUBSCRIBE", "slow"));
            Wait.until("the subscriber is subscribed", () -> publisher.call("PUBSUB", "NUMSUB", "slow")
                    .equals(Reply.array(Reply.bulk("slow"), Reply.integer(1))));
            String message = "x".repeat(65536);
            for (int i = 0; i < 1000; i++) {
                if (publisher.call("PUBLISH", "slow", message).equals(Reply.integer(0))) {
                    return "disconnected";
                }
            }
            return "still subscribed after 1000 messages";
        }
    }

    @Test
    void channelNamesAreBinarySafe(DifferentialSession session) {
        awaitNoSubscribers(session);
        byte[] channel = {'b', 0, (byte) 0xff, '\r', '\n', '*'};
        byte[] message = {0, 1, 2, '\r', '\n'};
        try (TwinConnection sub = TwinConnection.open(session, "subscriber");
             TwinConnection pub = TwinConnection.open(session, "publisher")) {
            sub.send(bytes("SUBSCRIBE"), channel);
            sub.next();
            sub.send(bytes("PSUBSCRIBE"), new byte[] {'b', 0, '*'});
            sub.next();
            pub.send(bytes("PUBLISH"), channel, message);
            pub.next();
            sub.next();
            sub.next();
            pub.send(bytes("PUBSUB"), bytes("NUMSUB"), channel);
            pub.next();
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void publishReachesChannelSubscribersThenMatchingPatterns(int protocol, DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber");
             TwinConnection other = TwinConnection.open(session, "second subscriber");
             TwinConnection pub = TwinConnection.open(session, "publisher")) {
            useProtocol(sub, protocol);
            sub.check(1, "SUBSCRIBE", "news.tech");
            sub.check(2, "PSUBSCRIBE", "news.*", "n?ws.[a-t]*");
            other.check(1, "SUBSCRIBE", "news.tech");

            // The channel's subscribers in subscription order, then each matching pattern's.
            pub.check("PUBLISH", "news.tech", "hello");
            sub.next();
            other.next();
            sub.nextUnordered(2);
            pub.check("PUBLISH", "news.sport", "goal");
            sub.nextUnordered(2);
            pub.check("PUBLISH", "news.", "");
            sub.next();
            pub.check("PUBLISH", "elsewhere", "nobody");
            // Redis's glob: a non-empty pattern never matches the empty channel, not even "*".
            sub.check(1, "PSUBSCRIBE", "*");
            pub.check("PUBLISH", "", "empty");
            pub.check("PUBLISH", "x", "star");
            sub.next();
            sub.assertQuiet();
            other.assertQuiet();
            pub.check("PUBLISH", "news.tech");
            pub.check("PUBLISH", "news.tech", "a", "b");
        }
    }

    @Test
    void aSubscribedResp2ConnectionOnlyTakesPubSubCommandsPingQuitAndReset(DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(1, "SUBSCRIBE", "r2");
            sub.check("GET", "k");
            sub.check("SET", "k", "v");
            sub.check("CLIENT", "LIST");
            sub.check("HELLO", "3");
            sub.check("PUBLISH", "r2", "x");
            sub.check("SPUBLISH", "r2", "x");
            sub.check("PUBSUB", "NUMPAT");
            sub.check("ECHO", "x");
            // Unknown commands and arity errors are found before the Pub/Sub context is.
            sub.check("NOSUCHCOMMAND");
            sub.check("GET");
            sub.check("PING");
            sub.check("PING", "hello");
            sub.check("PING", "a", "b");
            sub.check(1, "SSUBSCRIBE", "{r2}s");
            sub.check(1, "PSUBSCRIBE", "r*");
            sub.check(1, "SUNSUBSCRIBE");
            sub.check(1, "PUNSUBSCRIBE");
            // RESET leaves every subscription without a word.
            sub.check(1, "PSUBSCRIBE", "r*");
            sub.check("RESET");
            sub.check("GET", "k");
            sub.check("PING");
            sub.check("PUBSUB", "NUMSUB", "r2");
            sub.check(1, "SUBSCRIBE", "r2");
            sub.check("QUIT");
            assertEquals(sub.reference().isClosedByPeer(RespClient.DEFAULT_TIMEOUT),
                    sub.candidate().isClosedByPeer(RespClient.DEFAULT_TIMEOUT));
        }
    }

    @Test
    void aSubscribedResp3ConnectionRunsAnyCommandAndReceivesPushes(DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            useProtocol(sub, 3);
            sub.check(1, "SUBSCRIBE", "r3");
            sub.check("GET", "r3key");
            sub.check("SET", "r3key", "v");
            sub.check("GET", "r3key");
            sub.check("PING");
            sub.check("PING", "hello");
            // Its own message is pushed before PUBLISH's reply.
            sub.check(2, "PUBLISH", "r3", "to myself");
            sub.check(1, "SSUBSCRIBE", "{r3}s");
            sub.check(2, "SPUBLISH", "{r3}s", "shard message");
            assertEquals(clientFields(sub.reference()), clientFields(sub.candidate()));
            // Back to RESP2 while subscribed: the restrictions apply again.
            useProtocol(sub, 2);
            sub.check("GET", "r3key");
            sub.check("PING");
            sub.check("RESET");
            sub.check("GET", "r3key");
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void shardChannelsAreCountedApartAndIgnorePatterns(int protocol, DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber");
             TwinConnection pub = TwinConnection.open(session, "publisher")) {
            useProtocol(sub, protocol);
            sub.check(3, "SSUBSCRIBE", "{sh}a", "{sh}b", "{sh}a");
            sub.check(1, "SUBSCRIBE", "{sh}a");
            sub.check(1, "PSUBSCRIBE", "{sh}*");
            pub.check("SPUBLISH", "{sh}a", "sharded");
            sub.next();
            pub.check("PUBLISH", "{sh}a", "global");
            sub.next();
            sub.next();
            pub.check("SPUBLISH", "{sh}nobody", "x");
            // Shard channels route like keys: every channel of one command in one slot.
            pub.check("SSUBSCRIBE", "a", "b");
            pub.check("SUNSUBSCRIBE", "a", "b");
            pub.check("SPUBLISH", "a");
            sub.check(2, "SUNSUBSCRIBE", "{sh}b", "{sh}never");
            pub.check("PUBSUB", "SHARDCHANNELS");
            pub.check("PUBSUB", "SHARDCHANNELS", "{sh}*");
            pub.check("PUBSUB", "SHARDCHANNELS", "nomatch*");
            pub.check("PUBSUB", "SHARDNUMSUB", "{sh}a", "{sh}b", "{sh}x");
            pub.check("PUBSUB", "SHARDNUMSUB");
            pub.check("PUBSUB", "NUMSUB", "{sh}a");
            sub.check(1, "SUNSUBSCRIBE");
            sub.check(1, "SUNSUBSCRIBE");
            sub.assertQuiet();
        }
    }

    @Test
    void pubsubIntrospectionCountsChannelsPatternsAndSubscribers(DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection a = TwinConnection.open(session, "a");
             TwinConnection b = TwinConnection.open(session, "b")) {
            session.check("PUBSUB", "CHANNELS");
            session.check("PUBSUB", "NUMPAT");
            a.check(3, "SUBSCRIBE", "in:x", "in:y", "in:zz");
            b.check(2, "SUBSCRIBE", "in:x", "other");
            a.check(2, "PSUBSCRIBE", "in:*", "p?");
            b.check(1, "PSUBSCRIBE", "in:*");
            ReplyMasker unordered = ReplyMasker.unordered();
            session.checkMasked(unordered, "PUBSUB", "CHANNELS");
            session.checkMasked(unordered, "PUBSUB", "CHANNELS", "in:?");
            session.checkMasked(unordered, "PUBSUB", "CHANNELS", "*");
            session.check("PUBSUB", "CHANNELS", "none*");
            session.check("PUBSUB", "NUMSUB", "in:x", "in:y", "other", "missing", "in:x");
            session.check("PUBSUB", "NUMSUB");
            session.check("PUBSUB", "NUMPAT");
            session.check("pubsub", "numpat");
            assertEquals(pubsubInfo(session.referenceClient()), pubsubInfo(session.candidateClient()));
            a.check(1, "UNSUBSCRIBE", "in:zz");
            session.checkMasked(unordered, "PUBSUB", "CHANNELS");
            assertEquals(pubsubInfo(session.referenceClient()), pubsubInfo(session.candidateClient()));
        }
    }

    @Test
    void pubsubRefusesUnknownSubcommandsAndWrongArguments(DifferentialSession session) {
        session.check("PUBSUB");
        session.check("PUBSUB", "NOSUCH");
        session.check("PUBSUB", "CHANNELS", "a", "b");
        session.check("PUBSUB", "SHARDCHANNELS", "a", "b");
        session.check("PUBSUB", "NUMPAT", "x");
        session.check("PUBSUB", "HELP", "x");
        session.check("PUBSUB", "HELP");
        session.check("pubsub", "help");
        session.check("SUBSCRIBE");
        session.check("PSUBSCRIBE");
        session.check("SSUBSCRIBE");
        session.check("SPUBLISH", "ch");
    }

    @Test
    void commandTableDescribesThePubSubCommands(DifferentialSession session) {
        session.check("COMMAND", "INFO", "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish");
        session.check("COMMAND", "INFO", "ssubscribe", "sunsubscribe", "spublish", "reset");
        session.check("COMMAND", "INFO", "pubsub|channels", "pubsub|numsub", "pubsub|numpat", "pubsub|shardchannels",
                "pubsub|shardnumsub", "pubsub|help");
        // Shard channels are keys for routing only: to COMMAND GETKEYS they are not keys.
        session.check("COMMAND", "GETKEYS", "SSUBSCRIBE", "a", "b");
        session.check("COMMAND", "GETKEYS", "SPUBLISH", "a", "m");
        session.check("COMMAND", "GETKEYS", "SUBSCRIBE", "a");
        session.check("COMMAND", "GETKEYSANDFLAGS", "SUNSUBSCRIBE", "a");
    }

    @Test
    void clientListShowsSubscriptionsAndThePubSubType(DifferentialSession session) {
        awaitNoSubscribers(session);
        try (TwinConnection sub = TwinConnection.open(session, "subscriber")) {
            sub.check(2, "SUBSCRIBE", "cl:a", "cl:b");
            sub.check(1, "PSUBSCRIBE", "cl:*");
            sub.check(1, "SSUBSCRIBE", "{cl}s");
            Map<String, String> reference = subscriberLine(session.referenceClient());
            Map<String, String> candidate = subscriberLine(session.candidateClient());
            assertEquals(reference, candidate);
            assertEquals("P", reference.get("flags"));
            session.check("CLIENT", "KILL", "TYPE", "pubsub");
            assertEquals(sub.reference().isClosedByPeer(RespClient.DEFAULT_TIMEOUT),
                    sub.candidate().isClosedByPeer(RespClient.DEFAULT_TIMEOUT));
        }
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Waits until neither server has subscriptions left from an earlier test: a client closing its
     * connection loses them only once the server has seen the close.
     */
    static void awaitNoSubscribers(DifferentialSession session) {
        for (RespClient c : List.of(session.referenceClient(), session.candidateClient())) {
            Wait.until("no subscriptions left", () -> c.call("PUBSUB", "NUMPAT").asLong() == 0
                    && c.call("PUBSUB", "CHANNELS").asList().isEmpty()
                    && c.call("PUBSUB", "SHARDCHANNELS").asList().isEmpty());
        }
    }

    /** Switches both connections to RESP{@code protocol} (HELLO's reply has the client id: not compared). */
    static void useProtocol(TwinConnection twin, int protocol) {
        twin.reference().call("HELLO", Integer.toString(protocol));
        twin.candidate().call("HELLO", Integer.toString(protocol));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The fields of CLIENT INFO that say what a subscribed connection is. */
    private static Map<String, String> clientFields(RespClient c) {
        return fields(c.call("CLIENT", "INFO").asString().trim(), "flags", "sub", "psub", "ssub", "cmd", "resp");
    }

    /** The CLIENT LIST TYPE pubsub line's subscription fields, asked from another connection. */
    private static Map<String, String> subscriberLine(RespClient c) {
        String list = c.call("CLIENT", "LIST", "TYPE", "pubsub").asString();
        List<String> lines = list.lines().toList();
        assertEquals(1, lines.size(), list);
        return fields(lines.get(0), "flags", "sub", "psub", "ssub", "cmd");
    }

    private static Map<String, String> fields(String line, String... names) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            all.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String name : names) {
            chosen.put(name, all.get(name));
        }
        return chosen;
    }

    private static List<String> pubsubInfo(RespClient c) {
        return c.call("INFO", "stats").asString().lines().filter(l -> l.startsWith("pubsub")).toList();
    }
}
