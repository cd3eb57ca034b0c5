package dev.clusteremu.server.pubsub;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

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
     * Whether every subscription passes {@code allowed} (channel bytes, whether it is a pattern): what
     * ACLKillPubsubClientsIfNeeded asks of a subscribed client when its user's channel rules change.
     */
    public boolean allAllowed(BiPredicate<byte[], Boolean> allowed) {
        for (ChannelName p : patterns) {
            if (!allowed.test(p.bytes(), true)) {
                return false;
            }
        }
        for (Set<ChannelName> names : List.of(channels, shardChannels)) {
            for (ChannelName c : names) {
                if (!allowed.test(c.bytes(), false)) {
                    return false;
                }
            }
        }
        return true;
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
