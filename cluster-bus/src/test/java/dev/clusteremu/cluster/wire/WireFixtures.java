package dev.clusteremu.cluster.wire;

import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/** Hand-built messages and byte helpers shared by the wire tests. */
final class WireFixtures {

    static final String SENDER = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER = "fedcba9876543210fedcba9876543210fedcba98";

    private WireFixtures() {
    }

    /** A master's header with no announced ip and nothing in flight. */
    static MessageHeader header(int type) {
        return new MessageHeader(type, 7000, 0, 0, 0, SENDER, new byte[SlotBitmap.BYTES], null, "", 0, 17000,
                NodeFlags.MASTER, 0, 0);
    }

    static ClusterMessage ping(int type, List<GossipEntry> gossip) {
        return new ClusterMessage(header(type), new MessageBody.Ping(gossip, List.of()));
    }

    static ClusterMessage fail(String nodename) {
        return new ClusterMessage(header(MessageType.FAIL), new MessageBody.Fail(nodename));
    }

    static ByteBuf encode(ClusterMessage msg) {
        ByteBuf out = Unpooled.buffer();
        BusMessageCodec.encode(msg, out);
        return out;
    }

    /** {@code frame} with {@code extra} zero bytes appended and totlen fixed to the new length. */
    static ByteBuf lengthened(ByteBuf frame, int extra) {
        frame.writeZero(extra);
        frame.setInt(4, frame.readableBytes());
        return frame;
    }
}
