package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message type survives encode then decode, and its length is the one Redis expects. */
class BusMessageRoundTripTest {

    @Property
    void everyMessageRoundTrips(@ForAll("messages") ClusterMessage msg) {
        ByteBuf wire = WireFixtures.encode(msg);
        try {
            assertEquals(msg, BusMessageCodec.decode(wire));
        } finally {
            wire.release();
        }
    }

    @Property
    void encodedLengthIsTheTotlenFieldAndTheRedisFormula(@ForAll("messages") ClusterMessage msg) {
        ByteBuf wire = WireFixtures.encode(msg);
        try {
            assertEquals(expectedTotlen(msg), wire.readableBytes());
            assertEquals(wire.readableBytes(), wire.getInt(4));
            assertEquals(wire.readableBytes(), BusMessageCodec.totlen(msg));
        } finally {
            wire.release();
        }
    }

    /** The totlen rules of redis-7.0-facts.md, written out independently of the codec. */
    private static int expectedTotlen(ClusterMessage msg) {
        MessageBody body = msg.body();
        if (body instanceof MessageBody.Ping p) {
            return 2256 + 104 * p.gossip().size() + p.extensions().stream().mapToInt(e -> 8 + e.payload().length).sum();
        } else if (body instanceof MessageBody.Fail) {
            return 2296;
        } else if (body instanceof MessageBody.Publish p) {
            return 2264 + p.channel().length + p.message().length;
        } else if (body instanceof MessageBody.Update) {
            return 4352;
        } else if (body instanceof MessageBody.Module m) {
            return 2269 + m.payload().length;
        } else if (body instanceof MessageBody.Empty) {
            return 2256;
        }
        return 2256 + ((MessageBody.Unknown) body).data().length;
    }

    @Provide
    Arbitrary<ClusterMessage> messages() {
        return Arbitraries.oneOf(pings(), fails(), publishes(), updates(), modules(), empties(), unknowns());
    }

    private Arbitrary<ClusterMessage> pings() {
        Arbitrary<List<GossipEntry>> gossip = gossipEntries().list().ofMaxSize(20);
        Arbitrary<List<PingExtension>> extensions = Arbitraries.oneOf(hostnameExtensions(), opaqueExtensions())
                .list().ofMaxSize(4);
        return Combinators.combine(headers(Arbitraries.of(MessageType.PING, MessageType.PONG, MessageType.MEET)),
                gossip, extensions).as((h, g, e) -> {
                    // A sender that adds extensions sets EXT_DATA, as clusterSendPing does.
                    MessageHeader header = e.isEmpty() ? h
                            : h.withMessageFlags(h.messageFlags() | MessageHeader.FLAG_EXT_DATA);
                    return new ClusterMessage(header, new MessageBody.Ping(g, e));
                });
    }

    private Arbitrary<ClusterMessage> fails() {
        return Combinators.combine(headers(Arbitraries.just(MessageType.FAIL)), names())
                .as((h, n) -> new ClusterMessage(h, new MessageBody.Fail(n)));
    }

    private Arbitrary<ClusterMessage> publishes() {
        return Combinators.combine(headers(Arbitraries.of(MessageType.PUBLISH, MessageType.PUBLISHSHARD)),
                bytes(200), bytes(200)).as((h, c, m) -> new ClusterMessage(h, new MessageBody.Publish(c, m)));
    }

    private Arbitrary<ClusterMessage> updates() {
        return Combinators.combine(headers(Arbitraries.just(MessageType.UPDATE)), Arbitraries.longs(), names(),
                slots()).as((h, e, n, s) -> new ClusterMessage(h, new MessageBody.Update(e, n, s)));
    }

    private Arbitrary<ClusterMessage> modules() {
        return Combinators.combine(headers(Arbitraries.just(MessageType.MODULE)), Arbitraries.longs(),
                Arbitraries.integers().between(0, 255), bytes(200))
                .as((h, id, t, p) -> new ClusterMessage(h, new MessageBody.Module(id, t, p)));
    }

    private Arbitrary<ClusterMessage> empties() {
        return headers(Arbitraries.of(MessageType.FAILOVER_AUTH_REQUEST, MessageType.FAILOVER_AUTH_ACK,
                MessageType.MFSTART)).map(h -> new ClusterMessage(h, MessageBody.Empty.INSTANCE));
    }

    private Arbitrary<ClusterMessage> unknowns() {
        return Combinators.combine(headers(Arbitraries.integers().between(MessageType.COUNT, 0xffff)), bytes(300))
                .as((h, d) -> new ClusterMessage(h, new MessageBody.Unknown(d)));
    }

    /** Headers with every field arbitrary; port, pport, cport and flags u16, state and mflags[0] u8. */
    private Arbitrary<MessageHeader> headers(Arbitrary<Integer> types) {
        return Combinators.combine(types, names(), slots(), names().injectNull(0.3), ips(),
                Arbitraries.longs().list().ofSize(3), u16().list().ofSize(4), u8().list().ofSize(2))
                .as((type, sender, slots, slaveof, ip, epochs, shorts, bytes) -> new MessageHeader(type,
                        shorts.get(0), epochs.get(0), epochs.get(1), epochs.get(2), sender, slots, slaveof, ip,
                        shorts.get(1), shorts.get(2), shorts.get(3), bytes.get(0), bytes.get(1)));
    }

    private Arbitrary<GossipEntry> gossipEntries() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 0xffffffffL);
        return Combinators.combine(names(), seconds, seconds, ips(), u16(), u16(), u16(), u16())
                .as(GossipEntry::new);
    }

    private Arbitrary<PingExtension> hostnameExtensions() {
        return Arbitraries.strings().alpha().numeric().withChars('.', '-').ofMaxLength(64)
                .map(PingExtension::hostname);
    }

    private Arbitrary<PingExtension> opaqueExtensions() {
        return Combinators.combine(Arbitraries.integers().between(1, 0xffff),
                Arbitraries.integers().between(0, 8).flatMap(words -> bytesOfSize(8 * words)))
                .as(PingExtension::new);
    }

    /** Node ids as Redis makes them: 40 lowercase hex chars. */
    private Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('0', '9').withCharRange('a', 'f').ofLength(40);
    }

    /** Anything fitting the ip field: up to NET_IP_STR_LEN-1 ASCII chars, no NUL. */
    private Arbitrary<String> ips() {
        return Arbitraries.strings().ascii().excludeChars('\0').ofMaxLength(45);
    }

    private Arbitrary<byte[]> slots() {
        return bytesOfSize(SlotBitmap.BYTES);
    }

    private Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    private Arbitrary<byte[]> bytesOfSize(int size) {
        return Arbitraries.bytes().array(byte[].class).ofSize(size);
    }

    private Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xffff);
    }

    private Arbitrary<Integer> u8() {
        return Arbitraries.integers().between(0, 0xff);
    }
}
