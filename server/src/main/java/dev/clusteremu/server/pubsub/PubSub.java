package dev.clusteremu.server.pubsub;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.keyspace.StringMatch;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.net.ClientRegistry;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The node's Pub/Sub registry and delivery (pubsub.c): which clients listen to which channel, pattern and
 * shard channel, the replies that (un)subscribing writes, and the delivery of a published message to this
 * node's subscribers. Spreading a message to the other nodes is the caller's (PUBLISH, SPUBLISH): messages
 * arriving from the bus and keyspace notifications are delivered here only.
 *
 * <p>Every reply is a push (RESP3 {@code >}, an array in RESP2), in Redis's shapes: {@code [subscribe,
 * channel, count]}, {@code [message, channel, payload]}, {@code [pmessage, pattern, channel, payload]},
 * with the s-prefixed names for shard channels. Messages written to a client other than the one running a
 * command are sent before the node's loop sleeps, as Redis's clients with pending writes are.
 *
 * <p>Shard channels are bound to the slot of their name (slots_to_channels), so that the subscribers of a
 * slot's channels can be told, with an {@code sunsubscribe} push, when the slot leaves this shard. Owned by
 * the node's loop.
 */
public final class PubSub {
    private static final byte[] PSUBSCRIBE = "psubscribe".getBytes(US_ASCII);
    private static final byte[] PUNSUBSCRIBE = "punsubscribe".getBytes(US_ASCII);
    private static final byte[] PMESSAGE = "pmessage".getBytes(US_ASCII);

    /**
     * The two kinds of channel (pubsubtype): global channels, published to every node of the cluster, and
     * shard channels, bound to a slot and published within its shard. Patterns apply to global channels only.
     */
    private enum Kind {
        GLOBAL("subscribe", "unsubscribe", "message"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribe;
        final byte[] unsubscribe;
        final byte[] message;

        Kind(String subscribe, String unsubscribe, String message) {
            this.subscribe = subscribe.getBytes(US_ASCII);
            this.unsubscribe = unsubscribe.getBytes(US_ASCII);
            this.message = message.getBytes(US_ASCII);
        }

        boolean shard() {
            return this == SHARD;
        }

        static Kind of(boolean shard) {
            return shard ? SHARD : GLOBAL;
        }
    }

    private final ClientRegistry clients;
    /** server.pubsub_channels: channel → its subscribers, in subscription order (delivery order). */
    private final Map<ChannelName, Set<Client>> channels = new LinkedHashMap<>();
    /** server.pubsub_patterns: pattern → its subscribers. */
    private final Map<ChannelName, Set<Client>> patterns = new LinkedHashMap<>();
    /** server.pubsubshard_channels: shard channel → its subscribers. */
    private final Map<ChannelName, Set<Client>> shardChannels = new LinkedHashMap<>();
    /** slots_to_channels: the shard channels of each slot that has any, in rax (byte) order. */
    private final Map<Integer, TreeSet<ChannelName>> shardChannelsBySlot = new HashMap<>();

    /** A registry whose deliveries to other clients go out through {@code clients}' pending writes. */
    public PubSub(ClientRegistry clients) {
        this.clients = clients;
    }

    // ---------------------------------------------------------------------------------------------------
    // Subscribing
    // ---------------------------------------------------------------------------------------------------

    /**
     * SUBSCRIBE (or, {@code shard}, SSUBSCRIBE) of one channel: adds it unless already there, then always
     * replies {@code [subscribe, channel, count]} (pubsubSubscribeChannel).
     */
    public void subscribe(Client c, byte[] channel, boolean shard) {
        Kind kind = Kind.of(shard);
        ChannelName name = new ChannelName(channel);
        if (c.subscriptions().channels(shard).add(name)) {
            Set<Client> subscribers = registry(kind).get(name);
            if (subscribers == null) {
                subscribers = new LinkedHashSet<>();
                registry(kind).put(name, subscribers);
                if (shard) {
                    shardChannelsBySlot.computeIfAbsent(KeySlot.of(channel), s -> new TreeSet<>()).add(name);
                }
            }
            subscribers.add(c);
        }
        subscriptionReply(c, kind.subscribe, channel, c.subscriptions().count(shard));
    }

    /**
     * UNSUBSCRIBE (or SUNSUBSCRIBE) of one channel (pubsubUnsubscribeChannel): removes it if subscribed;
     * with {@code notify}, replies {@code [unsubscribe, channel, count]} even if it was not.
     */
    public void unsubscribe(Client c, byte[] channel, boolean shard, boolean notify) {
        Kind kind = Kind.of(shard);
        ChannelName name = new ChannelName(channel);
        if (c.subscriptions().channels(shard).remove(name)) {
            removeSubscriber(kind, name, c);
        }
        if (notify) {
            subscriptionReply(c, kind.unsubscribe, channel, c.subscriptions().count(shard));
        }
    }

    /**
     * UNSUBSCRIBE (or SUNSUBSCRIBE) without arguments (pubsubUnsubscribeAllChannelsInternal): every channel,
     * one reply each; with {@code notify} and no channel at all, one reply with a null channel.
     */
    public void unsubscribeAll(Client c, boolean shard, boolean notify) {
        Kind kind = Kind.of(shard);
        List<ChannelName> subscribed = new ArrayList<>(c.subscriptions().channels(shard));
        for (ChannelName name : subscribed) {
            unsubscribe(c, name.bytes(), shard, notify);
        }
        if (notify && subscribed.isEmpty()) {
            subscriptionReply(c, kind.unsubscribe, null, c.subscriptions().count(shard));
        }
    }

    /** PSUBSCRIBE of one pattern (pubsubSubscribePattern): as {@link #subscribe}, for patterns. */
    public void psubscribe(Client c, byte[] pattern) {
        ChannelName name = new ChannelName(pattern);
        if (c.subscriptions().patterns.add(name)) {
            patterns.computeIfAbsent(name, p -> new LinkedHashSet<>()).add(c);
        }
        subscriptionReply(c, PSUBSCRIBE, pattern, c.subscriptions().count(false));
    }

    /** PUNSUBSCRIBE of one pattern (pubsubUnsubscribePattern): as {@link #unsubscribe}, for patterns. */
    public void punsubscribe(Client c, byte[] pattern, boolean notify) {
        ChannelName name = new ChannelName(pattern);
        if (c.subscriptions().patterns.remove(name)) {
            Set<Client> subscribers = patterns.get(name);
            subscribers.remove(c);
            if (subscribers.isEmpty()) {
                patterns.remove(name);
            }
        }
        if (notify) {
            subscriptionReply(c, PUNSUBSCRIBE, pattern, c.subscriptions().count(false));
        }
    }

    /** PUNSUBSCRIBE without arguments (pubsubUnsubscribeAllPatterns): as {@link #unsubscribeAll}. */
    public void punsubscribeAll(Client c, boolean notify) {
        List<ChannelName> subscribed = new ArrayList<>(c.subscriptions().patterns);
        for (ChannelName name : subscribed) {
            punsubscribe(c, name.bytes(), notify);
        }
        if (notify && subscribed.isEmpty()) {
            subscriptionReply(c, PUNSUBSCRIBE, null, c.subscriptions().count(false));
        }
    }

    /**
     * Drops every subscription of {@code c} without a word: the connection closed (freeClient) or RESET
     * (clearClientConnectionState).
     */
    public void unsubscribeEverything(Client c) {
        if (c.isSubscribed()) {
            unsubscribeAll(c, false, false);
            unsubscribeAll(c, true, false);
            punsubscribeAll(c, false);
        }
    }

    /**
     * The shards' channels of {@code slot} are no longer served here (removeChannelsInSlot, when the slot
     * is deleted from this node's shard): each subscriber of each of them, channel by channel in byte
     * order, loses the subscription and gets a {@code [sunsubscribe, channel, count]} push, so a client
     * knows to subscribe again where the slot went.
     */
    public void removeChannelsInSlot(int slot) {
        TreeSet<ChannelName> names = shardChannelsBySlot.remove(slot);
        if (names == null) {
            return;
        }
        for (ChannelName name : names) {
            for (Client c : shardChannels.remove(name)) {
                c.subscriptions().shardChannels.remove(name);
                subscriptionReply(c, Kind.SHARD.unsubscribe, name.bytes(), c.subscriptions().count(true));
                clients.writeSoon(c);
            }
        }
    }

    private void removeSubscriber(Kind kind, ChannelName name, Client c) {
        Set<Client> subscribers = registry(kind).get(name);
        subscribers.remove(c);
        // A channel nobody listens to is forgotten, so that channels can't pile up (and leave the slot index).
        if (subscribers.isEmpty()) {
            registry(kind).remove(name);
            if (kind.shard()) {
                int slot = KeySlot.of(name.bytes());
                TreeSet<ChannelName> ofSlot = shardChannelsBySlot.get(slot);
                ofSlot.remove(name);
                if (ofSlot.isEmpty()) {
                    shardChannelsBySlot.remove(slot);
                }
            }
        }
    }

    private Map<ChannelName, Set<Client>> registry(Kind kind) {
        return kind.shard() ? shardChannels : channels;
    }

    /** {@code [kind, channel, count]} as a push; a null channel is a null (nothing to unsubscribe from). */
    private static void subscriptionReply(Client c, byte[] kind, byte[] channel, int count) {
        RespWriter r = c.reply();
        r.push(3);
        r.bulk(kind);
        if (channel == null) {
            r.nullBulk();
        } else {
            r.bulk(channel);
        }
        r.integer(count);
    }

    // ---------------------------------------------------------------------------------------------------
    // Publishing
    // ---------------------------------------------------------------------------------------------------

    /**
     * Delivers {@code message} to this node's subscribers of {@code channel} (pubsubPublishMessage): first
     * the channel's subscribers in subscription order, then, for a global channel, the subscribers of each
     * matching pattern. Returns how many deliveries were made: a client subscribed to the channel and to
     * two matching patterns counts three times.
     */
    public int publish(byte[] channel, byte[] message, boolean shard) {
        Kind kind = Kind.of(shard);
        int receivers = 0;
        Set<Client> subscribers = registry(kind).get(new ChannelName(channel));
        if (subscribers != null) {
            for (Client c : subscribers) {
                RespWriter r = c.reply();
                r.push(3);
                r.bulk(kind.message);
                r.bulk(channel);
                r.bulk(message);
                clients.writeSoon(c);
                receivers++;
            }
        }
        if (shard) {
            return receivers;
        }
        for (Map.Entry<ChannelName, Set<Client>> e : patterns.entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (!StringMatch.matches(pattern, channel)) {
                continue;
            }
            for (Client c : e.getValue()) {
                RespWriter r = c.reply();
                r.push(4);
                r.bulk(PMESSAGE);
                r.bulk(pattern);
                r.bulk(channel);
                r.bulk(message);
                clients.writeSoon(c);
                receivers++;
            }
        }
        return receivers;
    }

    /** Whether anyone here listens to a global channel or a pattern (serverPubsubSubscriptionCount > 0). */
    public boolean hasGlobalSubscribers() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------
    // Introspection (PUBSUB, INFO)
    // ---------------------------------------------------------------------------------------------------

    /** The channels (or shard channels) with subscribers, matching {@code pattern} unless it is null. */
    public List<byte[]> activeChannels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (ChannelName name : registry(Kind.of(shard)).keySet()) {
            if (pattern == null || StringMatch.matches(pattern, name.bytes())) {
                out.add(name.bytes());
            }
        }
        return out;
    }

    /** The subscribers of {@code channel} (or of the shard channel), patterns not counted. */
    public int subscriberCount(byte[] channel, boolean shard) {
        Set<Client> subscribers = registry(Kind.of(shard)).get(new ChannelName(channel));
        return subscribers == null ? 0 : subscribers.size();
    }

    /** Channels with subscribers (pubsub_channels). */
    public int channelCount() {
        return channels.size();
    }

    /** Patterns with subscribers (pubsub_patterns, PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.size();
    }

    /** Shard channels with subscribers (pubsubshard_channels). */
    public int shardChannelCount() {
        return shardChannels.size();
    }
}
