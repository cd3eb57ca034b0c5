package dev.clusteremu.cluster.wire;

import dev.clusteremu.cluster.SlotBitmap;

/**
 * Byte offsets and sizes of the Redis 7.0 cluster bus structures ({@code clusterMsg},
 * {@code clusterMsgDataGossip}, {@code clusterMsgPingExt} and the data union in cluster.h). Redis pins the
 * header offsets with static_asserts so nodes of different versions keep understanding each other; these
 * numbers are the same ones.
 */
final class BusLayout {

    // clusterMsg header.
    static final int SIG = 0;
    static final int TOTLEN = 4;
    static final int VER = 8;
    static final int PORT = 10;
    static final int TYPE = 12;
    static final int COUNT = 14;
    static final int CURRENT_EPOCH = 16;
    static final int CONFIG_EPOCH = 24;
    static final int OFFSET = 32;
    static final int SENDER = 40;
    static final int MYSLOTS = 80;
    static final int SLAVEOF = 2128;
    static final int MYIP = 2168;
    static final int EXTENSIONS = 2214;
    /** notused1[30] at 2216, reserved and sent as zero. */
    static final int NOTUSED1_LEN = 30;
    static final int PPORT = 2246;
    static final int CPORT = 2248;
    static final int FLAGS = 2250;
    static final int STATE = 2252;
    static final int MFLAGS = 2253;
    static final int MFLAGS_LEN = 3;
    static final int DATA = MessageHeader.SIZE;

    // clusterMsgDataGossip, relative to the entry.
    static final int GOSSIP_NODENAME = 0;
    static final int GOSSIP_PING_SENT = 40;
    static final int GOSSIP_PONG_RECEIVED = 44;
    static final int GOSSIP_IP = 48;
    static final int GOSSIP_PORT = 94;
    static final int GOSSIP_CPORT = 96;
    static final int GOSSIP_FLAGS = 98;
    static final int GOSSIP_PPORT = 100;

    // clusterMsgPingExt header, relative to the extension.
    static final int EXT_LENGTH = 0;
    static final int EXT_TYPE = 4;

    /** FAIL: nodename[40]. */
    static final int FAIL_LEN = DATA + MessageHeader.NODE_NAME_LEN;
    /** PUBLISH, PUBLISHSHARD: channel_len and message_len before the bulk data. */
    static final int PUBLISH_FIXED_LEN = DATA + 8;
    /** UPDATE: configEpoch, nodename[40], slots[2048]. */
    static final int UPDATE_LEN = DATA + 8 + MessageHeader.NODE_NAME_LEN + SlotBitmap.BYTES;
    /** MODULE: module_id, len, type before the bulk data. */
    static final int MODULE_FIXED_LEN = DATA + 8 + 4 + 1;

    private BusLayout() {
    }
}
