package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.cluster.Cluster;
import dev.clusteremu.cluster.ClusterException;
import dev.clusteremu.cluster.ClusterNode;
import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Endpoints;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * CLUSTER and its subcommands, plus ASKING, READONLY and READWRITE. Thin, as the architecture wants: parse
 * the arguments, call the cluster layer, format the reply. The cluster layer refuses with Redis's message;
 * argument errors are checked here first, in Redis's order.
 */
public final class ClusterCommands {
    private static final String ADMIN = "no_async_loading admin stale";

    private static final List<String> HELP = List.of(
            "ADDSLOTS <slot> [<slot> ...]",
            "    Assign slots to current node.",
            "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
            "    Assign slots which are between <start-slot> and <end-slot> to current node.",
            "BUMPEPOCH",
            "    Advance the cluster config epoch.",
            "COUNT-FAILURE-REPORTS <node-id>",
            "    Return number of failure reports for <node-id>.",
            "COUNTKEYSINSLOT <slot>",
            "    Return the number of keys in <slot>.",
            "DELSLOTS <slot> [<slot> ...]",
            "    Delete slots information from current node.",
            "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
            "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
            "FAILOVER [FORCE|TAKEOVER]",
            "    Promote current replica node to being a master.",
            "FORGET <node-id>",
            "    Remove a node from the cluster.",
            "GETKEYSINSLOT <slot> <count>",
            "    Return key names stored by current node in a slot.",
            "FLUSHSLOTS",
            "    Delete current node own slots information.",
            "INFO",
            "    Return information about the cluster.",
            "KEYSLOT <key>",
            "    Return the hash slot for <key>.",
            "MEET <ip> <port> [<bus-port>]",
            "    Connect nodes into a working cluster.",
            "MYID",
            "    Return the node id.",
            "NODES",
            "    Return cluster configuration seen by node. Output format:",
            "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
            "REPLICATE <node-id>",
            "    Configure current node as replica to <node-id>.",
            "RESET [HARD|SOFT]",
            "    Reset current node (default: soft).",
            "SET-CONFIG-EPOCH <epoch>",
            "    Set config epoch of current node.",
            "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
            "    Set slot state.",
            "REPLICAS <node-id>",
            "    Return <node-id> replicas.",
            "SAVECONFIG",
            "    Force saving cluster configuration on disk.",
            "SLOTS",
            "    Return information about slots range mappings. Each range is made of:",
            "    start, end, master and replicas IP addresses, ports and ids",
            "SHARDS",
            "    Return information about slot range mappings and the nodes associated with them.",
            "LINKS",
            "    Return information about all network links between this node and its peers.",
            "    Output format is an array where each array element is a map containing attributes of a link");

    private ClusterCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("cluster", -2, "")
                .sub(command("addslots", -3, ADMIN).handler(ClusterCommands::addSlots))
                .sub(command("addslotsrange", -4, ADMIN).handler(ClusterCommands::addSlotsRange))
                .sub(command("bumpepoch", 2, ADMIN).tips("nondeterministic_output").handler(ClusterCommands::bumpEpoch))
                .sub(command("count-failure-reports", 3, "admin stale").tips("nondeterministic_output")
                        .handler(ClusterCommands::countFailureReports))
                .sub(command("countkeysinslot", 3, "stale").handler(ClusterCommands::countKeysInSlot))
                .sub(command("delslots", -3, ADMIN).handler(ClusterCommands::delSlots))
                .sub(command("delslotsrange", -4, ADMIN).handler(ClusterCommands::delSlotsRange))
                .sub(command("failover", -2, ADMIN).handler(ClusterCommands::failover))
                .sub(command("flushslots", 2, ADMIN).handler(ClusterCommands::flushSlots))
                .sub(command("forget", 3, ADMIN).handler(ClusterCommands::forget))
                .sub(command("getkeysinslot", 4, "stale").tips("nondeterministic_output")
                        .handler(ClusterCommands::getKeysInSlot))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, HELP)))
                .sub(command("info", 2, "stale").tips("nondeterministic_output").handler(ClusterCommands::info))
                .sub(command("keyslot", 3, "stale").handler(ClusterCommands::keySlot))
                .sub(command("links", 2, "stale").tips("nondeterministic_output").handler(ClusterCommands::links))
                .sub(command("meet", -4, ADMIN).handler(ClusterCommands::meet))
                .sub(command("myid", 2, "stale").handler(ClusterCommands::myId))
                .sub(command("nodes", 2, "stale").tips("nondeterministic_output").handler(ClusterCommands::nodes))
                .sub(command("replicas", 3, "admin stale").tips("nondeterministic_output")
                        .handler(ClusterCommands::replicas))
                .sub(command("replicate", 3, ADMIN).handler(ClusterCommands::replicate))
                .sub(command("reset", -2, "admin stale noscript").handler(ClusterCommands::reset))
                .sub(command("saveconfig", 2, ADMIN).handler(ClusterCommands::saveConfig))
                .sub(command("set-config-epoch", 3, ADMIN).handler(ClusterCommands::setConfigEpoch))
                .sub(command("setslot", -4, ADMIN).handler(ClusterCommands::setSlot))
                .sub(command("shards", 2, "stale").tips("nondeterministic_output").handler(ClusterCommands::shards))
                .sub(command("slaves", 3, "admin stale").tips("nondeterministic_output")
                        .handler(ClusterCommands::replicas))
                .sub(command("slots", 2, "stale").tips("nondeterministic_output").handler(ClusterCommands::slots))
                .build());
        table.add(command("asking", 1, "fast").acl("connection").handler((c, argv) -> {
            c.setAsking(true);
            c.reply().ok();
        }).build());
        table.add(command("readonly", 1, "fast loading stale").acl("connection").handler((c, argv) -> {
            c.setReadonly(true);
            c.reply().ok();
        }).build());
        table.add(command("readwrite", 1, "fast loading stale").acl("connection").handler((c, argv) -> {
            c.setReadonly(false);
            c.reply().ok();
        }).build());
    }

    private static Cluster cluster(Client c) {
        return c.node().cluster();
    }

    /** Runs a cluster operation, turning its refusal into Redis's "ERR ..." reply. */
    private static void run(Runnable op) {
        try {
            op.run();
        } catch (ClusterException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
    }

    /** A slot argument (getSlotOrReply). */
    private static int slot(byte[] arg) {
        long slot;
        try {
            slot = Args.integer(arg);
        } catch (CommandError e) {
            throw new CommandError("ERR Invalid or out of range slot");
        }
        if (slot < 0 || slot >= KeySlot.SLOTS) {
            throw new CommandError("ERR Invalid or out of range slot");
        }
        return (int) slot;
    }

    // ---- slots assignment ----

    private static void addSlots(Client c, byte[][] argv) {
        updateSlots(c, argv, false);
    }

    private static void delSlots(Client c, byte[][] argv) {
        updateSlots(c, argv, true);
    }

    private static void updateSlots(Client c, byte[][] argv, boolean delete) {
        // Every argument must parse before any is checked against the slot table.
        int[] slots = new int[argv.length - 2];
        for (int j = 2; j < argv.length; j++) {
            slots[j - 2] = slot(argv[j]);
        }
        boolean[] seen = new boolean[KeySlot.SLOTS];
        run(() -> {
            for (int s : slots) {
                cluster(c).checkSlotAssignments(seen, delete, s, s);
            }
            cluster(c).updateSlots(seen, delete);
        });
        c.reply().ok();
    }

    private static void addSlotsRange(Client c, byte[][] argv) {
        updateSlotsRange(c, argv, false);
    }

    private static void delSlotsRange(Client c, byte[][] argv) {
        updateSlotsRange(c, argv, true);
    }

    private static void updateSlotsRange(Client c, byte[][] argv, boolean delete) {
        if (argv.length % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'cluster|" + Args.lower(argv[1]) + "' command");
        }
        boolean[] seen = new boolean[KeySlot.SLOTS];
        run(() -> {
            for (int j = 2; j < argv.length; j += 2) {
                int start = slot(argv[j]);
                int end = slot(argv[j + 1]);
                if (start > end) {
                    throw new CommandError("ERR start slot number " + start + " is greater than end slot number " + end);
                }
                cluster(c).checkSlotAssignments(seen, delete, start, end);
            }
            cluster(c).updateSlots(seen, delete);
        });
        c.reply().ok();
    }

    private static void flushSlots(Client c, byte[][] argv) {
        run(() -> cluster(c).flushSlots());
        c.reply().ok();
    }

    private static void setSlot(Client c, byte[][] argv) {
        Cluster cluster = cluster(c);
        if (cluster.myself().isReplica()) {
            throw new CommandError("ERR Please use SETSLOT only with masters.");
        }
        int slot = slot(argv[2]);
        String action = Args.lower(argv[3]);
        if (action.equals("migrating") && argv.length == 5) {
            run(() -> cluster.setSlotMigrating(slot, Args.text(argv[4])));
        } else if (action.equals("importing") && argv.length == 5) {
            run(() -> cluster.setSlotImporting(slot, Args.text(argv[4])));
        } else if (action.equals("stable") && argv.length == 4) {
            run(() -> cluster.setSlotStable(slot));
        } else if (action.equals("node") && argv.length == 5) {
            run(() -> cluster.setSlotNode(slot, Args.text(argv[4])));
        } else {
            throw new CommandError("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
        }
        c.reply().ok();
    }

    // ---- nodes and epochs ----

    private static void meet(Client c, byte[][] argv) {
        if (argv.length > 5) {
            throw Replies.subcommandSyntaxError(argv);
        }
        long port;
        long cport;
        try {
            port = Args.integer(argv[3]);
        } catch (CommandError e) {
            throw new CommandError("ERR Invalid TCP base port specified: " + Args.text(argv[3]));
        }
        if (argv.length == 5) {
            try {
                cport = Args.integer(argv[4]);
            } catch (CommandError e) {
                throw new CommandError("ERR Invalid TCP bus port specified: " + Args.text(argv[4]));
            }
        } else {
            cport = port + 10000;
        }
        try {
            cluster(c).meet(Args.text(argv[2]), port, cport);
        } catch (ClusterException e) {
            // Redis names the address as given, port included as typed.
            throw new CommandError("ERR Invalid node address specified: " + Args.text(argv[2]) + ":"
                    + Args.text(argv[3]));
        }
        c.reply().ok();
    }

    private static void forget(Client c, byte[][] argv) {
        run(() -> cluster(c).forget(Args.text(argv[2])));
        c.reply().ok();
    }

    private static void replicate(Client c, byte[][] argv) {
        run(() -> cluster(c).replicate(Args.text(argv[2])));
        c.reply().ok();
    }

    private static void replicas(Client c, byte[][] argv) {
        List<String> lines = new ArrayList<>();
        run(() -> lines.addAll(cluster(c).replicasOf(Args.text(argv[2]))));
        RespWriter r = c.reply();
        r.array(lines.size());
        for (String line : lines) {
            r.bulk(line);
        }
    }

    private static void countFailureReports(Client c, byte[][] argv) {
        int[] count = new int[1];
        run(() -> count[0] = cluster(c).countFailureReports(Args.text(argv[2])));
        c.reply().integer(count[0]);
    }

    private static void failover(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        boolean force = false;
        boolean takeover = false;
        if (argv.length == 3) {
            if (Args.is(argv[2], "force")) {
                force = true;
            } else if (Args.is(argv[2], "takeover")) {
                takeover = true;
                force = true;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        boolean f = force;
        boolean t = takeover;
        run(() -> cluster(c).failover(f, t));
        c.reply().ok();
    }

    private static void setConfigEpoch(Client c, byte[][] argv) {
        long epoch = Args.integer(argv[2]);
        run(() -> cluster(c).setConfigEpoch(epoch));
        c.reply().ok();
    }

    private static void bumpEpoch(Client c, byte[][] argv) {
        c.reply().simple(cluster(c).bumpEpoch());
    }

    private static void reset(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        boolean hard = false;
        if (argv.length == 3) {
            if (Args.is(argv[2], "hard")) {
                hard = true;
            } else if (!Args.is(argv[2], "soft")) {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        boolean h = hard;
        run(() -> cluster(c).reset(h));
        c.reply().ok();
    }

    private static void saveConfig(Client c, byte[][] argv) {
        try {
            cluster(c).saveConfig(true);
        } catch (java.io.UncheckedIOException e) {
            throw new CommandError("ERR error saving the cluster node config: " + e.getCause().getMessage());
        }
        c.reply().ok();
    }

    // ---- introspection ----

    private static void myId(Client c, byte[][] argv) {
        c.reply().bulk(cluster(c).myself().name());
    }

    private static void nodes(Client c, byte[][] argv) {
        c.reply().verbatim(cluster(c).nodesDescription());
    }

    private static void info(Client c, byte[][] argv) {
        c.reply().verbatim(cluster(c).info());
    }

    private static void keySlot(Client c, byte[][] argv) {
        c.reply().integer(KeySlot.of(argv[2]));
    }

    private static void countKeysInSlot(Client c, byte[][] argv) {
        long slot = Args.integer(argv[2]);
        if (slot < 0 || slot >= KeySlot.SLOTS) {
            throw new CommandError("ERR Invalid slot");
        }
        c.reply().integer(c.node().keyspace().countKeysInSlot((int) slot));
    }

    private static void getKeysInSlot(Client c, byte[][] argv) {
        long slot = Args.integer(argv[2]);
        long max = Args.integer(argv[3]);
        if (slot < 0 || slot >= KeySlot.SLOTS || max < 0) {
            throw new CommandError("ERR Invalid slot or number of keys");
        }
        List<byte[]> keys = c.node().keyspace().keysInSlot((int) slot, (int) Math.min(max, Integer.MAX_VALUE));
        RespWriter r = c.reply();
        r.array(keys.size());
        for (byte[] k : keys) {
            r.bulk(k);
        }
    }

    /**
     * CLUSTER SLOTS: one entry per run of consecutive slots with the same owner: start, end, the master,
     * then its replicas that are usable (not FAIL, and synced: replication offset non-zero).
     */
    private static void slots(Client c, byte[][] argv) {
        Cluster cluster = cluster(c);
        List<int[]> runs = new ArrayList<>();
        List<ClusterNode> owners = new ArrayList<>();
        ClusterNode current = null;
        int start = -1;
        for (int i = 0; i <= KeySlot.SLOTS; i++) {
            ClusterNode owner = i < KeySlot.SLOTS ? cluster.slotOwner(i) : null;
            if (current != null && (i == KeySlot.SLOTS || owner != current)) {
                runs.add(new int[] {start, i - 1});
                owners.add(current);
                current = null;
            }
            if (current == null && owner != null) {
                current = owner;
                start = i;
            }
        }
        RespWriter r = c.reply();
        r.array(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            ClusterNode master = owners.get(i);
            List<ClusterNode> available = new ArrayList<>();
            for (ClusterNode replica : master.replicas()) {
                if (isReplicaAvailable(c.node(), replica)) {
                    available.add(replica);
                }
            }
            r.array(3 + available.size());
            r.integer(runs.get(i)[0]);
            r.integer(runs.get(i)[1]);
            slotNode(c.node(), r, master);
            for (ClusterNode replica : available) {
                slotNode(c.node(), r, replica);
            }
        }
    }

    private static boolean isReplicaAvailable(RedisNode node, ClusterNode replica) {
        if (replica.isFailed()) {
            return false;
        }
        long offset = replica.isMyself() ? node.data().replicationOffset() : replica.replOffset();
        return offset != 0;
    }

    /**
     * One node of a CLUSTER SLOTS range (addNodeToNodeReply): preferred endpoint (null for
     * unknown-endpoint), port, id, then a map of the other known endpoints: "ip" unless ip is the preferred
     * one, "hostname" if the node has one and it isn't the preferred one.
     */
    private static void slotNode(RedisNode node, RespWriter r, ClusterNode n) {
        String type = node.config().clusterPreferredEndpointType;
        r.array(4);
        if (type.equals(Endpoints.UNKNOWN)) {
            r.nullBulk();
        } else {
            r.bulk(Endpoints.preferred(node.config(), n));
        }
        r.integer(n.port());
        r.bulk(n.name());
        boolean showIp = !type.equals(Endpoints.IP);
        boolean showHostname = !type.equals(Endpoints.HOSTNAME) && !n.hostname().isEmpty();
        r.map((showIp ? 1 : 0) + (showHostname ? 1 : 0));
        if (showIp) {
            r.bulk("ip");
            r.bulk(n.ip());
        }
        if (showHostname) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
    }

    /** CLUSTER SHARDS: every master, slotless ones included, with its slot ranges and its nodes. */
    private static void shards(Client c, byte[][] argv) {
        Cluster cluster = cluster(c);
        List<ClusterNode> masters = new ArrayList<>();
        for (ClusterNode n : cluster.nodes()) {
            if (n.isMaster()) {
                masters.add(n);
            }
        }
        RespWriter r = c.reply();
        r.array(masters.size());
        for (ClusterNode master : masters) {
            List<Integer> ranges = new ArrayList<>();
            int start = -1;
            for (int i = 0; i <= KeySlot.SLOTS; i++) {
                boolean mine = i < KeySlot.SLOTS && cluster.slotOwner(i) == master;
                if (mine && start < 0) {
                    start = i;
                } else if (!mine && start >= 0) {
                    ranges.add(start);
                    ranges.add(i - 1);
                    start = -1;
                }
            }
            r.map(2);
            r.bulk("slots");
            r.array(ranges.size());
            for (int s : ranges) {
                r.integer(s);
            }
            r.bulk("nodes");
            List<ClusterNode> shardNodes = new ArrayList<>();
            shardNodes.add(master);
            shardNodes.addAll(master.replicas());
            r.array(shardNodes.size());
            for (ClusterNode n : shardNodes) {
                shardNode(c.node(), r, n);
            }
        }
    }

    private static void shardNode(RedisNode node, RespWriter r, ClusterNode n) {
        boolean hostname = !n.hostname().isEmpty();
        long offset = n.isMyself() ? node.data().replicationOffset() : n.replOffset();
        r.map(hostname ? 8 : 7);
        r.bulk("id");
        r.bulk(n.name());
        r.bulk("port");
        r.integer(n.port());
        r.bulk("ip");
        r.bulk(n.ip());
        r.bulk("endpoint");
        r.bulk(Endpoints.preferred(node.config(), n));
        if (hostname) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
        r.bulk("role");
        r.bulk(n.isReplica() ? "replica" : "master");
        r.bulk("replication-offset");
        r.integer(offset);
        r.bulk("health");
        r.bulk(n.isFailed() ? "fail" : n.isReplica() && offset == 0 ? "loading" : "online");
    }

    private static void links(Client c, byte[][] argv) {
        List<Cluster.LinkInfo> links = cluster(c).links();
        RespWriter r = c.reply();
        r.array(links.size());
        for (Cluster.LinkInfo l : links) {
            r.map(6);
            r.bulk("direction");
            r.bulk(l.inbound() ? "from" : "to");
            r.bulk("node");
            r.bulk(l.node());
            r.bulk("create-time");
            r.integer(l.createTime());
            r.bulk("events");
            r.bulk(l.events());
            r.bulk("send-buffer-allocated");
            r.integer(l.sendBufferAllocated());
            r.bulk("send-buffer-used");
            r.integer(l.sendBufferUsed());
        }
    }
}
