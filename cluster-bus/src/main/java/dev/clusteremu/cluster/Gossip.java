package dev.clusteremu.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.cluster.wire.ClusterMessage;
import dev.clusteremu.cluster.wire.GossipEntry;
import dev.clusteremu.cluster.wire.MessageBody;
import dev.clusteremu.cluster.wire.MessageHeader;
import dev.clusteremu.cluster.wire.MessageType;
import dev.clusteremu.cluster.wire.PingExtension;

/**
 * Building and sending messages, and the gossip that rides on PING/PONG/MEET: every heartbeat carries the
 * sender's own config in the header and a few entries about other nodes, so that one MEET spreads to the
 * whole cluster and failure reports reach the masters (cluster.c, "PING/PONG and gossip").
 */
final class Gossip {
    private final Cluster cluster;
    private final ClusterState state;
    /** Counts PINGs built, so a node is put at most once in one gossip section. */
    private long pingsBuilt;

    Gossip(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    // ---- building ----

    /**
     * The header every message carries (clusterBuildMessageHdr). A replica advertises its master's slots and
     * configEpoch, flagged SLAVE so receivers know it is not itself in charge of them.
     */
    MessageHeader header(int type) {
        ClusterNode myself = state.myself;
        ClusterNode master = myself.isReplica() && myself.master != null ? myself.master : myself;
        ClusterSettings s = cluster.settings;
        int flags = 0;
        if (myself.isMaster() && state.mfEnd != 0) {
            flags |= MessageHeader.FLAG_PAUSED;
        }
        return new MessageHeader(type, cluster.announcedPort(), state.currentEpoch, master.configEpoch,
                cluster.data.replicationOffset(), myself.name, master.slots.toBytes(),
                myself.master != null ? myself.master.name : null, s.announceIp, 0, cluster.announcedBusPort(),
                myself.flags & 0xffff, state.state, flags);
    }

    /**
     * Sends a PING, PONG or MEET with gossip about max(3, N/10) random other nodes (capped at N-2), then
     * every PFAIL node, so failure reports travel fast (clusterSendPing). Why N/10: with node_timeout*2 of
     * report validity and ~8 packets per peer in that window, 10% per packet gathers reports from most
     * masters even when several fail together.
     */
    void sendPing(BusLink link, int type) {
        long now = cluster.now();
        pingsBuilt++;
        List<ClusterNode> all = state.nodeList();
        int freshNodes = all.size() - 2;
        int wanted = Math.max(3, all.size() / 10);
        wanted = Math.min(wanted, freshNodes);

        if (!link.inbound && type == MessageType.PING) {
            link.node.pingSent = now;
        }
        MessageHeader header = header(type);

        List<GossipEntry> gossip = new ArrayList<>();
        int maxIterations = wanted * 3;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (freshNodes > 0 && gossip.size() < wanted && maxIterations-- > 0) {
            ClusterNode n = all.get(random.nextInt(all.size()));
            if (n == state.myself || n.isTimedOut()) {
                continue; // PFAIL nodes are added below, all of them
            }
            if (n.hasFlag(NodeFlags.HANDSHAKE | NodeFlags.NOADDR) || (n.link == null && n.slotCount() == 0)) {
                freshNodes--; // not worth gossiping about: not yet known, or gone and slotless
                continue;
            }
            if (n.lastInPingGossip == pingsBuilt) {
                continue;
            }
            gossip.add(entryFor(n));
            n.lastInPingGossip = pingsBuilt;
            freshNodes--;
        }
        int pfailWanted = state.pfailNodes;
        for (ClusterNode n : all) {
            if (pfailWanted <= 0) {
                break;
            }
            if (n.inHandshake() || !n.hasAddress() || !n.isTimedOut()) {
                continue;
            }
            gossip.add(entryFor(n));
            pfailWanted--;
        }

        List<PingExtension> extensions = new ArrayList<>();
        if (!state.myself.hostname.isEmpty()) {
            extensions.add(PingExtension.hostname(state.myself.hostname));
            header = header.withMessageFlags(header.messageFlags() | MessageHeader.FLAG_EXT_DATA);
        }
        link.send(new ClusterMessage(header, new MessageBody.Ping(gossip, extensions)));
    }

    private static GossipEntry entryFor(ClusterNode n) {
        return new GossipEntry(n.name, (n.pingSent / 1000) & 0xffffffffL, (n.pongReceived / 1000) & 0xffffffffL,
                n.ip, n.port, n.cport, n.flags & 0xffff, n.pport);
    }

    /** Sends a PONG to every connected node, to spread a config change at once (clusterBroadcastPong). */
    void broadcastPong(boolean localReplicasOnly) {
        for (ClusterNode n : state.nodeList()) {
            if (n.link == null || n == state.myself || n.inHandshake()) {
                continue;
            }
            if (localReplicasOnly) {
                boolean localReplica = n.isReplica() && n.master != null
                        && (n.master == state.myself || n.master == state.myself.master);
                if (!localReplica) {
                    continue;
                }
            }
            sendPing(n.link, MessageType.PONG);
        }
    }

    /** Sends {@code msg} to every node with an outbound link but myself and handshake nodes. */
    void broadcast(ClusterMessage msg) {
        for (ClusterNode n : state.nodeList()) {
            if (n.hasFlag(NodeFlags.MYSELF | NodeFlags.HANDSHAKE)) {
                continue;
            }
            if (n.link != null) {
                n.link.send(msg);
            }
        }
    }

    /** Broadcasts FAIL about {@code nodename}, forcing every reachable node to flag it. */
    void sendFail(String nodename) {
        broadcast(new ClusterMessage(header(MessageType.FAIL), new MessageBody.Fail(nodename)));
    }

    /** Tells the node behind {@code link} the current config of {@code node}: it has stale slots. */
    void sendUpdate(BusLink link, ClusterNode node) {
        if (link == null) {
            return;
        }
        link.send(new ClusterMessage(header(MessageType.UPDATE),
                new MessageBody.Update(node.configEpoch, node.name, node.slots.toBytes())));
    }

    // ---- receiving ----

    /**
     * Merges the gossip section of a PING/PONG/MEET (clusterProcessGossipSection): failure reports from
     * masters, pong times seen by others, new addresses of nodes we can't reach, and nodes we don't know
     * yet — added with their real id only when the sender is a known node, so a stray packet can't make us
     * join another cluster.
     */
    void processGossipSection(MessageHeader hdr, MessageBody.Ping body, BusLink link) {
        ClusterNode sender = link.node != null ? link.node : state.lookup(hdr.sender());
        long now = cluster.now();
        for (GossipEntry g : body.gossip()) {
            int flags = g.flags();
            if (cluster.log.enabled(NodeLog.DEBUG)) {
                cluster.log.debug("GOSSIP " + g.nodename() + " " + g.ip() + ":" + g.port() + "@" + g.cport() + " "
                        + NodeFlags.describe(flags));
            }
            ClusterNode node = state.lookup(g.nodename());
            boolean reportsFailure = (flags & (NodeFlags.FAIL | NodeFlags.PFAIL)) != 0;
            if (node != null) {
                if (sender != null && sender.isMaster() && node != state.myself) {
                    if (reportsFailure) {
                        if (cluster.failures.addReport(node, sender)) {
                            cluster.log.verbose("Node " + sender.name + " reported node " + node.name
                                    + " as not reachable.");
                        }
                        cluster.failures.markFailingIfNeeded(node);
                    } else if (cluster.failures.deleteReportAndCleanup(node, sender)) {
                        cluster.log.verbose("Node " + sender.name + " reported node " + node.name
                                + " is back online.");
                    }
                }
                // Trust a newer pong time seen by another node, if we have no doubt about the node ourselves.
                if (!reportsFailure && node.pingSent == 0 && cluster.failures.reportCount(node) == 0) {
                    long pongTime = g.pongReceivedSeconds() * 1000;
                    if (pongTime <= now + 500 && pongTime > node.pongReceived) {
                        node.pongReceived = pongTime;
                    }
                }
                // A node we can't reach, seen healthy elsewhere at a new address: reconnect there.
                if (node.hasFlag(NodeFlags.FAIL | NodeFlags.PFAIL) && (flags & NodeFlags.NOADDR) == 0
                        && !reportsFailure
                        && (!node.ip.equalsIgnoreCase(g.ip()) || node.port != g.port() || node.cport != g.cport())) {
                    if (node.link != null) {
                        node.link.close();
                    }
                    node.ip = g.ip();
                    node.port = g.port();
                    node.pport = g.pport();
                    node.cport = g.cport();
                    node.flags &= ~NodeFlags.NOADDR;
                }
            } else if (sender != null && (flags & NodeFlags.NOADDR) == 0
                    && !state.blacklisted(g.nodename(), now)) {
                ClusterNode learned = new ClusterNode(g.nodename(), flags, now);
                learned.ip = g.ip();
                learned.port = g.port();
                learned.pport = g.pport();
                learned.cport = g.cport();
                state.addNode(learned);
            }
        }
    }

    /** Applies ping extensions: in 7.0 only the sender's hostname; unknown types are skipped. */
    void processPingExtensions(MessageHeader hdr, MessageBody.Ping body, BusLink link) {
        ClusterNode sender = link.node != null ? link.node : state.lookup(hdr.sender());
        if (sender == null) {
            return;
        }
        String hostname = "";
        for (PingExtension ext : body.extensions()) {
            if (ext.type() == PingExtension.TYPE_HOSTNAME) {
                hostname = ext.hostnameValue();
            }
        }
        // No hostname extension means the sender has none (it stopped announcing one).
        sender.hostname = hostname;
    }
}
