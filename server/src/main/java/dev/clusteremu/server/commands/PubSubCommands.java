package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.pubsub.PubSub;
import dev.clusteremu.server.resp.RespWriter;

/**
 * The Pub/Sub commands of pubsub.c in cluster mode: SUBSCRIBE, PSUBSCRIBE, PUBLISH and their kin for global
 * channels, which reach every node of the cluster, and SSUBSCRIBE, SPUBLISH, SUNSUBSCRIBE for shard
 * channels, which live in the shard serving their slot; PUBSUB for introspection.
 *
 * <p>Why the shard commands declare their channels as keys (a NOT_KEY key spec, range 1..-1 or 1..1): that
 * is how Redis routes them. Cluster routing reads the legacy key range, so a shard channel of another
 * slot gets MOVED, channels of different slots CROSSSLOT, exactly as keys do; COMMAND GETKEYS, which reads
 * the key specs, still says they have no keys.
 */
public final class PubSubCommands {
    private static final String SUBSCRIBE_FLAGS = "pubsub noscript loading stale sentinel";
    private static final String SHARD_SUBSCRIBE_FLAGS = "pubsub noscript loading stale";
    private static final String PUBSUB_FLAGS = "pubsub loading stale";

    private static final List<String> PUBSUB_HELP = List.of(
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)");

    private PubSubCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("subscribe", -2, SUBSCRIBE_FLAGS).handler((c, argv) -> subscribe(c, argv, false)).build());
        table.add(command("unsubscribe", -1, SUBSCRIBE_FLAGS)
                .handler((c, argv) -> unsubscribe(c, argv, false)).build());
        table.add(command("psubscribe", -2, SUBSCRIBE_FLAGS).handler(PubSubCommands::psubscribe).build());
        table.add(command("punsubscribe", -1, SUBSCRIBE_FLAGS).handler(PubSubCommands::punsubscribe).build());
        table.add(command("publish", 3, "pubsub loading stale fast may_replicate sentinel")
                .handler((c, argv) -> publish(c, argv, false)).build());
        table.add(command("ssubscribe", -2, SHARD_SUBSCRIBE_FLAGS).keys(1, -1, 1)
                .handler((c, argv) -> subscribe(c, argv, true)).build());
        table.add(command("sunsubscribe", -1, SHARD_SUBSCRIBE_FLAGS).keys(1, -1, 1)
                .handler((c, argv) -> unsubscribe(c, argv, true)).build());
        table.add(command("spublish", 3, "pubsub loading stale fast may_replicate").keys(1, 1, 1)
                .handler((c, argv) -> publish(c, argv, true)).build());
        table.add(command("pubsub", -2, "")
                .sub(command("channels", -2, PUBSUB_FLAGS).handler((c, argv) -> channels(c, argv, false)))
                .sub(command("numsub", -2, PUBSUB_FLAGS).handler((c, argv) -> numsub(c, argv, false)))
                .sub(command("numpat", 2, PUBSUB_FLAGS)
                        .handler((c, argv) -> c.reply().integer(c.node().pubsub().patternCount())))
                .sub(command("shardchannels", -2, PUBSUB_FLAGS).handler((c, argv) -> channels(c, argv, true)))
                .sub(command("shardnumsub", -2, PUBSUB_FLAGS).handler((c, argv) -> numsub(c, argv, true)))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, PUBSUB_HELP)))
                .build());
    }

    /** SUBSCRIBE / SSUBSCRIBE channel...: one reply per channel, in argument order, repeats included. */
    private static void subscribe(Client c, byte[][] argv, boolean shard) {
        PubSub pubsub = c.node().pubsub();
        for (int j = 1; j < argv.length; j++) {
            pubsub.subscribe(c, argv[j], shard);
        }
    }

    /** UNSUBSCRIBE / SUNSUBSCRIBE [channel...]: the channels named, or without any, every one. */
    private static void unsubscribe(Client c, byte[][] argv, boolean shard) {
        PubSub pubsub = c.node().pubsub();
        if (argv.length == 1) {
            pubsub.unsubscribeAll(c, shard, true);
            return;
        }
        for (int j = 1; j < argv.length; j++) {
            pubsub.unsubscribe(c, argv[j], shard, true);
        }
    }

    private static void psubscribe(Client c, byte[][] argv) {
        PubSub pubsub = c.node().pubsub();
        for (int j = 1; j < argv.length; j++) {
            pubsub.psubscribe(c, argv[j]);
        }
    }

    private static void punsubscribe(Client c, byte[][] argv) {
        PubSub pubsub = c.node().pubsub();
        if (argv.length == 1) {
            pubsub.punsubscribeAll(c, true);
            return;
        }
        for (int j = 1; j < argv.length; j++) {
            pubsub.punsubscribe(c, argv[j], true);
        }
    }

    /**
     * PUBLISH / SPUBLISH channel message (pubsubPublishMessageAndPropagateToCluster): delivers to this
     * node's subscribers, then sends the message over the cluster bus — PUBLISH to every node, SPUBLISH to
     * the other nodes of this shard — whose own subscribers it reaches there. The reply counts this node's
     * receivers only, as in Redis. Nothing goes to the replication stream: in cluster mode the bus carries it.
     */
    private static void publish(Client c, byte[][] argv, boolean shard) {
        int receivers = c.node().pubsub().publish(argv[1], argv[2], shard);
        c.node().cluster().propagatePublish(argv[1], argv[2], shard);
        c.reply().integer(receivers);
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the active channels, all or those matching. */
    private static void channels(Client c, byte[][] argv, boolean shard) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        List<byte[]> active = c.node().pubsub().activeChannels(argv.length == 3 ? argv[2] : null, shard);
        RespWriter r = c.reply();
        r.array(active.size());
        for (byte[] channel : active) {
            r.bulk(channel);
        }
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB [channel...]: each channel with its subscriber count, patterns aside. */
    private static void numsub(Client c, byte[][] argv, boolean shard) {
        PubSub pubsub = c.node().pubsub();
        RespWriter r = c.reply();
        r.array((argv.length - 2) * 2);
        for (int j = 2; j < argv.length; j++) {
            r.bulk(argv[j]);
            r.integer(pubsub.subscriberCount(argv[j], shard));
        }
    }
}
