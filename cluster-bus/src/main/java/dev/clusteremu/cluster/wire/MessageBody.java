package dev.clusteremu.cluster.wire;

import java.util.Arrays;
import java.util.List;

/** The data part of a cluster bus message, one record per layout of Redis's {@code clusterMsgData} union. */
public sealed interface MessageBody {

    /** PING, PONG and MEET: gossip entries, then ping extensions. */
    record Ping(List<GossipEntry> gossip, List<PingExtension> extensions) implements MessageBody {
        public Ping {
            gossip = List.copyOf(gossip);
            extensions = List.copyOf(extensions);
        }
    }

    /** FAIL: the name of the node that a majority of masters agreed is failing. 40 bytes. */
    record Fail(String nodename) implements MessageBody {
    }

    /** PUBLISH and PUBLISHSHARD: channel_len u32, message_len u32, channel bytes, message bytes. */
    record Publish(byte[] channel, byte[] message) implements MessageBody {
        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && Arrays.equals(channel, p.channel) && Arrays.equals(message, p.message);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(channel) + Arrays.hashCode(message);
        }

        @Override
        public String toString() {
            return "Publish[channel=" + channel.length + "B, message=" + message.length + "B]";
        }
    }

    /** UPDATE: the configEpoch and slots of a node whose config the receiver has stale. 2096 bytes. */
    record Update(long configEpoch, String nodename, byte[] slots) implements MessageBody {
        @Override
        public boolean equals(Object o) {
            return o instanceof Update u && configEpoch == u.configEpoch && nodename.equals(u.nodename)
                    && Arrays.equals(slots, u.slots);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(configEpoch) * 31 + nodename.hashCode() * 17 + Arrays.hashCode(slots);
        }

        @Override
        public String toString() {
            return "Update[configEpoch=" + configEpoch + ", nodename=" + nodename + "]";
        }
    }

    /**
     * MODULE: module_id (8 bytes that Redis copies in the sender's host order, opaque here; the codec reads
     * and writes them as a little-endian long, x86 order), len u32, type u8, payload.
     */
    record Module(long moduleId, int moduleType, byte[] payload) implements MessageBody {
        @Override
        public boolean equals(Object o) {
            return o instanceof Module m && moduleId == m.moduleId && moduleType == m.moduleType
                    && Arrays.equals(payload, m.payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(moduleId) * 31 + moduleType * 17 + Arrays.hashCode(payload);
        }
    }

    /** FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK and MFSTART carry the header only. */
    record Empty() implements MessageBody {
        public static final Empty INSTANCE = new Empty();
    }

    /** A type this version does not know; Redis assumes such a packet well formed and ignores it. */
    record Unknown(byte[] data) implements MessageBody {
        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && Arrays.equals(data, u.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }
}
