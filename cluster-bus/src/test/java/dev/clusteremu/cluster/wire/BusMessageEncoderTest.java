package dev.clusteremu.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusMessageEncoderTest {

    @Test
    void encoderWritesOneBufferOfExactlyTotlen() {
        EmbeddedChannel channel = new EmbeddedChannel(BusMessageEncoder.INSTANCE);
        ClusterMessage msg = WireFixtures.ping(MessageType.PONG, List.of(
                new GossipEntry(WireFixtures.OTHER, 1, 2, "::1", 7002, 17002, 1, 0)));
        channel.writeOutbound(msg);
        ByteBuf out = channel.readOutbound();
        ByteBuf expected = WireFixtures.encode(msg);
        assertEquals(2360, out.readableBytes());
        assertEquals(2360, out.capacity());
        assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(out));
        out.release();
        expected.release();
    }

    @Test
    void encoderAndFrameDecoderAgreeOverOneLink() {
        EmbeddedChannel sender = new EmbeddedChannel(BusMessageEncoder.INSTANCE);
        EmbeddedChannel receiver = new EmbeddedChannel(new BusFrameDecoder());
        ClusterMessage fail = WireFixtures.fail(WireFixtures.OTHER);
        ClusterMessage meet = WireFixtures.ping(MessageType.MEET, List.of());
        sender.writeOutbound(fail, meet);
        for (ByteBuf b; (b = sender.readOutbound()) != null; ) {
            receiver.writeInbound(b);
        }
        assertEquals(fail, receiver.readInbound());
        assertEquals(meet, receiver.readInbound());
    }
}
