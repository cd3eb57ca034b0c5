package dev.clusteremu.cluster;

import dev.clusteremu.cluster.wire.ClusterMessage;
import dev.clusteremu.cluster.wire.InvalidMessage;
import dev.clusteremu.cluster.wire.MessageBody;
import dev.clusteremu.cluster.wire.MessageHeader;
import dev.clusteremu.cluster.wire.MessageType;

/**
 * Processing of one received bus message (clusterProcessPacket): epochs and offsets from every header, the
 * handshake, address and role changes, slot ownership, epoch collisions and gossip from PING/PONG/MEET, and
 * the specific work of FAIL, UPDATE, PUBLISH and the failover messages.
 */
final class PacketHandler {
    private final Cluster cluster;
    private final ClusterState state;

    PacketHandler(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    /** Counts a packet that failed validation; Redis ignores it and keeps the link. */
    void invalid(InvalidMessage msg) {
        if (msg.type() >= 0 && msg.type() < MessageType.COUNT) {
            state.messagesReceived[msg.type()]++;
        }
        cluster.log.warning("Received invalid " + MessageType.statsName(msg.type()) + " packet: " + msg.reason());
    }

    /** Processes {@code msg} received on {@code link}. Returns false if the link was freed meanwhile. */
    boolean process(BusLink link, ClusterMessage msg) {
        MessageHeader hdr = msg.header();
        int type = hdr.type();
        long now = cluster.now();
        if (type >= 0 && type < MessageType.COUNT) {
            state.messagesReceived[type]++;
        }
        if (cluster.log.enabled(NodeLog.DEBUG)) {
            cluster.log.debug("--- Processing packet of type " + MessageType.statsName(type));
        }

        ClusterNode sender = senderOf(link, hdr);
        if (sender != null) {
            // Any traffic proves liveness: a peer busy with pub/sub may delay its PONGs.
            sender.dataReceived = now;
        }
        long senderConfigEpoch = 0;
        long senderCurrentEpoch = 0;
        if (sender != null && !sender.inHandshake()) {
            senderCurrentEpoch = hdr.currentEpoch();
            senderConfigEpoch = hdr.configEpoch();
            if (senderCurrentEpoch > state.currentEpoch) {
                state.currentEpoch = senderCurrentEpoch;
            }
            if (senderConfigEpoch > sender.configEpoch) {
                sender.configEpoch = senderConfigEpoch;
                state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_FSYNC_CONFIG);
            }
            sender.replOffset = hdr.offset();
            sender.replOffsetTime = now;
            cluster.failover.noteMasterOffsetIfPaused(sender, hdr);
        }

        if (type == MessageType.PING || type == MessageType.MEET) {
            learnMyIp(link, type);
            if (sender == null && type == MessageType.MEET) {
                // A MEET is the only way an unknown node gets into our table: trust it, handshake later.
                ClusterNode node = new ClusterNode(ClusterState.randomName(), NodeFlags.HANDSHAKE, now);
                node.ip = hdr.myip().isEmpty() ? Addresses.ipOf(link.channel().remoteAddress()) : hdr.myip();
                node.port = hdr.port();
                node.pport = hdr.pport();
                node.cport = hdr.cport();
                state.addNode(node);
                state.todo(ClusterState.TODO_SAVE_CONFIG);
                cluster.gossip.processGossipSection(hdr, (MessageBody.Ping) msg.body(), link);
            }
            cluster.gossip.sendPing(link, MessageType.PONG);
        }

        if (MessageType.isPingLike(type)) {
            return processHeartbeat(link, msg, sender, senderConfigEpoch, now);
        }
        switch (type) {
            case MessageType.FAIL -> processFail(hdr, (MessageBody.Fail) msg.body(), sender, now);
            case MessageType.PUBLISH, MessageType.PUBLISHSHARD -> {
                if (sender != null) {
                    MessageBody.Publish p = (MessageBody.Publish) msg.body();
                    cluster.data.publish(p.channel(), p.message(), type == MessageType.PUBLISHSHARD);
                }
            }
            case MessageType.FAILOVER_AUTH_REQUEST -> {
                if (sender != null) {
                    cluster.failover.handleAuthRequest(sender, hdr);
                }
            }
            case MessageType.FAILOVER_AUTH_ACK -> {
                if (sender != null) {
                    cluster.failover.handleAuthAck(sender, senderCurrentEpoch);
                }
            }
            case MessageType.MFSTART -> {
                if (sender != null && sender.master == state.myself) {
                    cluster.failover.handleManualFailoverStart(link, sender);
                }
            }
            case MessageType.UPDATE -> processUpdate((MessageBody.Update) msg.body(), sender);
            case MessageType.MODULE -> {
                // No modules here: like a Redis without modules loaded, the message is accepted and dropped.
            }
            default -> cluster.log.warning("Received unknown packet type: " + type);
        }
        return true;
    }

    private ClusterNode senderOf(BusLink link, MessageHeader hdr) {
        if (link.node != null && !link.node.inHandshake()) {
            return link.node;
        }
        ClusterNode sender = state.lookup(hdr.sender());
        if (sender != null && link.node == null) {
            // Only inbound links start without a node; now we know who is on the other end.
            link.attachInbound(sender);
        }
        return sender;
    }

    /**
     * Learns our own address from the socket a peer reached us on: peers MEET us on our official address,
     * so this is how a node discovers its ip without configuration. A PING is enough while we have none.
     */
    private void learnMyIp(BusLink link, int type) {
        ClusterNode myself = state.myself;
        if ((type == MessageType.MEET || myself.ip.isEmpty()) && cluster.settings.announceIp.isEmpty()) {
            String ip = Addresses.ipOf(link.channel().localAddress());
            if (!ip.isEmpty() && !ip.equals(myself.ip)) {
                myself.ip = ip;
                cluster.log.warning("IP address for this node updated to " + ip);
                state.todo(ClusterState.TODO_SAVE_CONFIG);
            }
        }
    }

    private boolean processHeartbeat(BusLink link, ClusterMessage msg, ClusterNode sender, long senderConfigEpoch,
            long now) {
        MessageHeader hdr = msg.header();
        int type = hdr.type();
        if (!link.inbound) {
            ClusterNode node = link.node;
            if (node.inHandshake()) {
                if (sender != null) {
                    // We met an address whose node we already know: update its address, drop the duplicate.
                    cluster.log.verbose("Handshake: we already know node " + sender.name
                            + ", updating the address if needed.");
                    if (updateAddressIfNeeded(sender, link, hdr)) {
                        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
                    }
                    state.deleteNode(node);
                    return false;
                }
                state.renameNode(node, hdr.sender());
                cluster.log.debug("Handshake with node " + node.name + " completed.");
                node.flags &= ~NodeFlags.HANDSHAKE;
                node.flags |= hdr.flags() & (NodeFlags.MASTER | NodeFlags.SLAVE);
                state.todo(ClusterState.TODO_SAVE_CONFIG);
            } else if (!node.name.equals(hdr.sender())) {
                // Someone else now answers at this address: forget the address, the node moved.
                cluster.log.debug("PONG contains mismatching sender ID. About node " + node.name + " added "
                        + (now - node.ctime) + " ms ago, having flags " + node.flags);
                node.flags |= NodeFlags.NOADDR;
                node.ip = "";
                node.port = 0;
                node.pport = 0;
                node.cport = 0;
                link.close();
                state.todo(ClusterState.TODO_SAVE_CONFIG);
                return false;
            }
        }

        if (sender != null) {
            // NOFAILOVER is dynamic: trust the sender's latest word, replica ranking depends on it.
            sender.flags = (sender.flags & ~NodeFlags.NOFAILOVER) | (hdr.flags() & NodeFlags.NOFAILOVER);
        }

        if (sender != null && type == MessageType.PING && !sender.inHandshake()
                && updateAddressIfNeeded(sender, link, hdr)) {
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
        }

        if (!link.inbound && type == MessageType.PONG) {
            ClusterNode node = link.node;
            node.pongReceived = now;
            node.pingSent = 0;
            if (node.isTimedOut()) {
                // PFAIL was only our opinion: a PONG reverses it without anyone's help.
                node.flags &= ~NodeFlags.PFAIL;
                state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
            } else if (node.isFailed()) {
                cluster.failures.clearFailureIfNeeded(node);
            }
        }

        if (sender != null) {
            updateRole(sender, hdr);
        }

        // Slots: only worth checking when the sender claims something different from what we believe.
        ClusterNode senderMaster = null;
        boolean dirtySlots = false;
        if (sender != null) {
            senderMaster = sender.isMaster() ? sender : sender.master;
            if (senderMaster != null) {
                dirtySlots = !senderMaster.slots.sameAs(hdr.myslots());
            }
        }
        if (sender != null && sender.isMaster() && dirtySlots) {
            cluster.slotConfig.updateSlotsConfigWith(sender, senderConfigEpoch, hdr.myslots());
        }
        // The reverse: the sender claims slots that a node with a newer configEpoch owns. Tell it, so a
        // master returning from a partition learns it was failed over.
        if (sender != null && dirtySlots) {
            for (int j = 0; j < KeySlot.SLOTS; j++) {
                if (!dev.clusteremu.cluster.SlotBitmap.test(hdr.myslots(), j)) {
                    continue;
                }
                ClusterNode owner = state.slots[j];
                if (owner == sender || state.isSlotUnclaimed(j)) {
                    continue;
                }
                if (owner.configEpoch > senderConfigEpoch) {
                    cluster.log.verbose("Node " + sender.name + " has old slots configuration, sending an UPDATE"
                            + " message about " + owner.name);
                    cluster.gossip.sendUpdate(sender.link, owner);
                    break;
                }
            }
        }

        if (sender != null && state.myself.isMaster() && sender.isMaster()
                && senderConfigEpoch == state.myself.configEpoch) {
            cluster.epochs.handleCollision(sender);
        }

        if (sender != null) {
            MessageBody.Ping body = (MessageBody.Ping) msg.body();
            cluster.gossip.processGossipSection(hdr, body, link);
            cluster.gossip.processPingExtensions(hdr, body, link);
        }
        return true;
    }

    /** Applies the sender's role from its header: master, or replica of a (possibly new) master. */
    private void updateRole(ClusterNode sender, MessageHeader hdr) {
        if (hdr.slaveof() == null) {
            state.setNodeAsMaster(sender);
            return;
        }
        ClusterNode master = state.lookup(hdr.slaveof());
        if (sender.isMaster()) {
            // A master turned into a replica: its slots are no longer its own.
            state.deleteNodeSlots(sender);
            sender.flags &= ~(NodeFlags.MASTER | NodeFlags.MIGRATE_TO);
            sender.flags |= NodeFlags.SLAVE;
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
        }
        if (master != null && sender.master != master) {
            if (sender.master != null) {
                sender.master.removeReplica(sender);
            }
            master.addReplica(sender);
            sender.master = master;
            state.todo(ClusterState.TODO_SAVE_CONFIG);
        }
    }

    /**
     * Updates a node's address from the link a message came in on (nodeUpdateAddressIfNeeded). Only for a
     * link other than the node's own outbound link, whose address is by construction the one we have.
     * Returns whether the address changed; the old outbound link is then dropped so the cron reconnects.
     */
    private boolean updateAddressIfNeeded(ClusterNode node, BusLink link, MessageHeader hdr) {
        if (link == node.link) {
            return false;
        }
        String ip = hdr.myip().isEmpty() ? Addresses.ipOf(link.channel().remoteAddress()) : hdr.myip();
        if (ip.isEmpty()) {
            return false;
        }
        if (node.port == hdr.port() && node.cport == hdr.cport() && node.pport == hdr.pport() && ip.equals(node.ip)) {
            return false;
        }
        node.ip = ip;
        node.port = hdr.port();
        node.pport = hdr.pport();
        node.cport = hdr.cport();
        if (node.link != null) {
            node.link.close();
        }
        node.flags &= ~NodeFlags.NOADDR;
        cluster.log.warning("Address updated for node " + node.name + ", now " + node.ip + ":" + node.port);
        if (state.myself.isReplica() && state.myself.master == node) {
            cluster.data.replicateFrom(node.ip, node.port);
        }
        return true;
    }

    private void processFail(MessageHeader hdr, MessageBody.Fail body, ClusterNode sender, long now) {
        if (sender == null) {
            cluster.log.notice("Ignoring FAIL message from unknown node " + hdr.sender() + " about "
                    + body.nodename());
            return;
        }
        ClusterNode failing = state.lookup(body.nodename());
        if (failing != null && !failing.hasFlag(NodeFlags.FAIL | NodeFlags.MYSELF)) {
            cluster.log.notice("FAIL message received from " + hdr.sender() + " about " + body.nodename());
            failing.flags |= NodeFlags.FAIL;
            failing.failTime = now;
            failing.flags &= ~NodeFlags.PFAIL;
            state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_UPDATE_STATE);
        }
    }

    private void processUpdate(MessageBody.Update body, ClusterNode sender) {
        if (sender == null) {
            return;
        }
        ClusterNode n = state.lookup(body.nodename());
        if (n == null || n.configEpoch >= body.configEpoch()) {
            return; // unknown node, or nothing new
        }
        if (n.isReplica()) {
            state.setNodeAsMaster(n);
        }
        n.configEpoch = body.configEpoch();
        state.todo(ClusterState.TODO_SAVE_CONFIG | ClusterState.TODO_FSYNC_CONFIG);
        cluster.slotConfig.updateSlotsConfigWith(n, body.configEpoch(), body.slots());
    }
}
