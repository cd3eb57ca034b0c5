package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.MaxMemory;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.keyspace.ObjectSize;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * OBJECT and MEMORY (object.c): a value's encoding, reference count, idle time and access frequency; a
 * key's memory usage and the node's memory report, by the node's memory model ({@link MaxMemory}).
 */
public final class ObjectCommands {
    private static final String READ = "readonly";

    /** OBJ_SHARED_REFCOUNT: the reference count of a shared object, such as a small integer. */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** MEMORY DOCTOR calls an instance using less than 5 MB empty. */
    private static final long DOCTOR_EMPTY_BELOW = 5L * 1024 * 1024;

    private static final List<String> OBJECT_HELP = List.of(
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.");

    private static final List<String> MEMORY_HELP = List.of(
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).");

    private ObjectCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("object", -2, "")
                .sub(command("encoding", 3, READ).acl("keyspace").keys(2, 2, 1).tips("nondeterministic_output")
                        .handler((c, argv) -> {
                            RedisObject o = lookup(c, argv);
                            if (o != null) {
                                c.reply().bulk(o.encodingName());
                            }
                        }))
                .sub(command("freq", 3, READ).acl("keyspace").keys(2, 2, 1).tips("nondeterministic_output")
                        .handler(ObjectCommands::freq))
                .sub(command("help", 2, "loading stale").acl("keyspace")
                        .handler((c, argv) -> Replies.help(c, argv, OBJECT_HELP)))
                .sub(command("idletime", 3, READ).acl("keyspace").keys(2, 2, 1).tips("nondeterministic_output")
                        .handler(ObjectCommands::idleTime))
                .sub(command("refcount", 3, READ).acl("keyspace").keys(2, 2, 1).tips("nondeterministic_output")
                        .handler(ObjectCommands::refCount))
                .build());
        table.add(command("memory", -2, "")
                .sub(command("doctor", 2, "").tips("nondeterministic_output request_policy:all_shards "
                        + "response_policy:special").handler(ObjectCommands::doctor))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, MEMORY_HELP)))
                .sub(command("malloc-stats", 2, "").tips("nondeterministic_output request_policy:all_shards "
                        + "response_policy:special")
                        .handler((c, argv) -> c.reply().bulk("Stats not supported for the current allocator")))
                .sub(command("purge", 2, "").tips("request_policy:all_shards response_policy:all_succeeded")
                        .handler((c, argv) -> c.reply().ok()))
                .sub(command("stats", 2, "").tips("nondeterministic_output request_policy:all_shards "
                        + "response_policy:special").handler(ObjectCommands::stats))
                .sub(command("usage", -3, READ).keys(2, 2, 1).handler(ObjectCommands::usage))
                .build());
    }

    /** objectCommandLookupOrReply: the value without touching its access data; null (and a null reply) if missing. */
    private static RedisObject lookup(Client c, byte[][] argv) {
        RedisObject o = c.node().keyspace().lookupObject(argv[2]);
        if (o == null) {
            c.reply().nullBulk();
        }
        return o;
    }

    /**
     * OBJECT REFCOUNT: small integers (0..9999) are shared objects unless an LRU or LFU policy gives each
     * value its own access data; everything else has one reference, its key's.
     */
    private static void refCount(Client c, byte[][] argv) {
        RedisObject o = lookup(c, argv);
        if (o == null) {
            return;
        }
        c.reply().integer(c.node().keyspace().isSharedObject(argv[2]) ? SHARED_REFCOUNT : 1);
    }

    /** OBJECT IDLETIME: seconds since the last access, by the LRU clock; refused under an LFU policy. */
    private static void idleTime(Client c, byte[][] argv) {
        if (lookup(c, argv) == null) {
            return;
        }
        if (c.node().maxMemory().policy().isLfu()) {
            throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
                    + "when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply().integer(c.node().keyspace().idleMillis(argv[2]) / 1000);
    }

    /** OBJECT FREQ: the LFU counter, decayed to now; refused unless an LFU policy is selected. */
    private static void freq(Client c, byte[][] argv) {
        if (lookup(c, argv) == null) {
            return;
        }
        if (!c.node().maxMemory().policy().isLfu()) {
            throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
                    + "note that when switching between policies at runtime LRU and LFU data will take some time to "
                    + "adjust.");
        }
        c.reply().integer(c.node().keyspace().frequency(argv[2]));
    }

    /**
     * MEMORY USAGE key [SAMPLES count]: the key's bytes, or null if it doesn't exist (expired keys still
     * count: the dict is looked at directly). SAMPLES only matters to aggregate types.
     */
    private static void usage(Client c, byte[][] argv) {
        long samples = ObjectSize.DEFAULT_SAMPLES;
        for (int j = 3; j < argv.length; j++) {
            if (Args.is(argv[j], "samples") && j + 1 < argv.length) {
                samples = Args.integer(argv[j + 1]);
                if (samples < 0) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                // SAMPLES 0 means every element.
                if (samples == 0) {
                    samples = Long.MAX_VALUE;
                }
                j++;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        // Measured now rather than taken from the figure of the last write: Redis measures the value as it
        // is at the time of the command (a dict may have moved on with its rehashing since).
        RedisObject value = c.node().keyspace().peekIncludingExpired(argv[2]);
        if (value == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(ObjectSize.keyUsage(argv[2], value, samples));
    }

    /** MEMORY STATS: the memory report as a map (a nested map for db.0 when it has keys). */
    private static void stats(Client c, byte[][] argv) {
        MaxMemory.Overhead o = c.node().maxMemory().overhead();
        RespWriter r = c.reply();
        r.map(27 + (o.keys() > 0 ? 1 : 0));
        r.bulk("peak.allocated").integer(o.peak());
        r.bulk("total.allocated").integer(o.total());
        r.bulk("startup.allocated").integer(o.startup());
        r.bulk("replication.backlog").integer(0);
        r.bulk("clients.slaves").integer(0);
        r.bulk("clients.normal").integer(0);
        r.bulk("cluster.links").integer(0);
        r.bulk("aof.buffer").integer(0);
        r.bulk("lua.caches").integer(0);
        r.bulk("functions.caches").integer(0);
        if (o.keys() > 0) {
            r.bulk("db.0").map(3);
            r.bulk("overhead.hashtable.main").integer(o.hashtableMain());
            r.bulk("overhead.hashtable.expires").integer(o.hashtableExpires());
            r.bulk("overhead.hashtable.slot-to-keys").integer(o.slotToKeys());
        }
        r.bulk("overhead.total").integer(o.overheadTotal());
        r.bulk("keys.count").integer(o.keys());
        r.bulk("keys.bytes-per-key").integer(o.keys() > 0 ? o.netUsage() / o.keys() : 0);
        r.bulk("dataset.bytes").integer(o.dataset());
        // Redis computes the percentages in single precision, then replies them as doubles.
        r.bulk("dataset.percentage").doubleValue((float) o.dataset() * 100 / o.netUsage());
        r.bulk("peak.percentage").doubleValue((float) o.total() * 100 / o.peak());
        r.bulk("allocator.allocated").integer(o.total());
        r.bulk("allocator.active").integer(o.total());
        r.bulk("allocator.resident").integer(o.total());
        r.bulk("allocator-fragmentation.ratio").doubleValue(1.0);
        r.bulk("allocator-fragmentation.bytes").integer(0);
        r.bulk("allocator-rss.ratio").doubleValue(1.0);
        r.bulk("allocator-rss.bytes").integer(0);
        r.bulk("rss-overhead.ratio").doubleValue(1.0);
        r.bulk("rss-overhead.bytes").integer(0);
        r.bulk("fragmentation").doubleValue(1.0);
        r.bulk("fragmentation.bytes").integer(0);
    }

    /**
     * MEMORY DOCTOR: below 5 MB the instance is "empty"; otherwise the only problem the model can show is a
     * past peak of more than 150% of the memory in use now.
     */
    private static void doctor(Client c, byte[][] argv) {
        MaxMemory.Overhead o = c.node().maxMemory().overhead();
        String report;
        if (o.total() < DOCTOR_EMPTY_BELOW) {
            report = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                    + "Sam and I will be back to our programming as soon as I finished rebooting.\n";
        } else if ((float) o.peak() / o.total() > 1.5) {
            report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + " * Peak memory: In the past this instance used more than 150% the memory that is currently "
                    + "using. The allocator is normally not able to release memory after a peak, so you can expect to "
                    + "see a big fragmentation ratio, however this is actually harmless and is only due to the memory "
                    + "peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the "
                    + "memory will be used as soon as you fill the Redis instance with more data. If the memory peak "
                    + "was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, "
                    + "otherwise the only other option is to shutdown and restart the instance.\n\n"
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        } else {
            report = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on "
                    + "this base.\n";
        }
        c.reply().verbatim(report);
    }
}
