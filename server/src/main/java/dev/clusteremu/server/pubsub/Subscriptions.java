package dev.clusteremu.server.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client's subscriptions (pubsub_channels, pubsub_patterns and pubsubshard_channels of Redis's client):
 * what CLIENT LIST counts as sub, psub and ssub, and what the counts in (un)subscribe replies are made of.
 * Only {@link PubSub} changes it, in step with the node-wide registry.
 */
public final class Subscriptions {
    final Set<ChannelName> channels = new LinkedHashSet<>();
    /** A list in Redis, in subscription order: PUNSUBSCRIBE without arguments goes through it in that order. */
    final Set<ChannelName> patterns = new LinkedHashSet<>();
    final Set<ChannelName> shardChannels = new LinkedHashSet<>();

    /** Channels subscribed with SUBSCRIBE (sub=). */
    public int channelCount() {
        return channels.size();
    }

    /** Patterns subscribed with PSUBSCRIBE (psub=). */
    public int patternCount() {
        return patterns.size();
    }

    /** Shard channels subscribed with SSUBSCRIBE (ssub=). */
    public int shardChannelCount() {
        return shardChannels.size();
    }

    /**
     * Whether the client is in Pub/Sub mode (CLIENT_PUBSUB): subscribed to anything. Redis sets the flag
     * with every subscription and clears it when the last one goes, so flag and subscriptions agree.
     */
    public boolean isSubscribed() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }

    /**
     * The count a subscription reply carries: for channels and patterns, both together
     * (clientSubscriptionsCount); for shard channels, those alone (clientShardSubscriptionsCount).
     */
    int count(boolean shard) {
        return shard ? shardChannels.size() : channels.size() + patterns.size();
    }

    Set<ChannelName> channels(boolean shard) {
        return shard ? shardChannels : channels;
    }
}
