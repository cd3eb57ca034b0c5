package dev.clusteremu.server.command;

import dev.clusteremu.cluster.Cluster;
import dev.clusteremu.cluster.ClusterNode;
import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.multi.MultiState;
import dev.clusteremu.server.net.Client;

import java.util.Arrays;
import java.util.List;

/**
 * Cluster routing, in one place (getNodeByQuery + clusterRedirectClient): decides whether this node serves
 * a keyed command, or answers MOVED, ASK, CROSSSLOT, TRYAGAIN or CLUSTERDOWN. EXEC is routed on the keys
 * of every queued command together, so a transaction runs only where all its keys live, in one slot.
 *
 * <p>Shard channels (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH) route like keys, with three differences that come
 * from a channel not being data: a migrating or importing slot's channels stay served by the slot's owner
 * until the slot is handed over (there are no keys to find missing); a down cluster still serves them
 * while cluster-allow-pubsubshard-when-down is yes; and every replica of the owner serves them, READONLY
 * or not, since a shard's replicas receive its messages too.
 */
final class Router {
    private final RedisNode node;

    Router(RedisNode node) {
        this.node = node;
    }

    /**
     * Null when the command is served here; otherwise the full error reply to send. {@code write} is
     * whether it writes, for these arguments (a script's declared flags count).
     */
    String redirect(Client client, CommandSpec spec, byte[][] argv, boolean write) {
        return redirect(client, spec, List.of(new MultiState.Queued(spec, argv)), write);
    }

    /**
     * For EXEC: null when the queued commands are served here, else the error. Outside MULTI, EXEC is
     * served here, to answer its own error.
     */
    String redirectTransaction(Client client, CommandSpec exec) {
        MultiState multi = client.multi();
        if (!multi.isActive()) {
            return null;
        }
        return redirect(client, exec, multi.commands(), exec.has(CommandFlag.WRITE));
    }

    /**
     * getNodeByQuery over {@code commands} (one command, or a transaction's queue) on behalf of
     * {@code spec} (the command itself, or EXEC), whose own flags decide the ASKING, MIGRATE and
     * cluster-down cases as in Redis.
     */
    private String redirect(Client client, CommandSpec spec, List<MultiState.Queued> commands, boolean writes) {
        Cluster cluster = node.cluster();
        ClusterNode myself = cluster.myself();
        // As in getNodeByQuery, the flag of the latest command looked at (a transaction's last one) counts.
        boolean pubsubShard = false;
        byte[] firstKey = null;
        int slot = 0;
        ClusterNode owner = null;
        boolean migrating = false;
        boolean importing = false;
        boolean multipleKeys = false;
        int missing = 0;
        int existing = 0;

        for (MultiState.Queued command : commands) {
            byte[][] argv = command.argv();
            pubsubShard = isPubsubShard(command.spec());
            for (int pos : command.spec().keyPositions(argv)) {
                byte[] key = argv[pos];
                int keySlot = KeySlot.of(key);
                if (firstKey == null) {
                    firstKey = key;
                    slot = keySlot;
                    owner = cluster.slotOwner(slot);
                    // The state may not have caught up yet with an unassigned slot: report it the same way.
                    if (owner == null) {
                        return "CLUSTERDOWN Hash slot not served";
                    }
                    if (owner == myself && cluster.migratingTo(slot) != null) {
                        migrating = true;
                    } else if (cluster.importingFrom(slot) != null) {
                        importing = true;
                    }
                } else if (!Arrays.equals(firstKey, key)) {
                    if (keySlot != slot) {
                        return "CROSSSLOT Keys in request don't hash to the same slot";
                    }
                    multipleKeys = true;
                }
                if ((migrating || importing) && !pubsubShard) {
                    if (node.keyspace().existsNoSideEffects(key)) {
                        existing++;
                    } else {
                        missing++;
                    }
                }
            }
        }
        if (owner == null) {
            return null; // no key at all in this call: served anywhere
        }

        if (!cluster.isStateOk()) {
            if (pubsubShard) {
                if (!cluster.settings().allowPubsubshardWhenDown) {
                    return "CLUSTERDOWN The cluster is down";
                }
            } else if (!cluster.settings().allowReadsWhenDown) {
                return "CLUSTERDOWN The cluster is down";
            } else if (writes) {
                return "CLUSTERDOWN The cluster is down and only accepts read commands";
            }
        }

        // MIGRATE moves keys of an open slot: it always runs where it is sent.
        if ((migrating || importing) && spec.name().equals("migrate")) {
            return null;
        }
        if (migrating && missing > 0) {
            if (existing > 0) {
                return "TRYAGAIN Multiple keys request during rehashing of slot";
            }
            return redirection("ASK", slot, cluster.migratingTo(slot), node);
        }
        if (importing && (client.isAsking() || spec.has(CommandFlag.ASKING))) {
            if (multipleKeys && missing > 0) {
                return "TRYAGAIN Multiple keys request during rehashing of slot";
            }
            return null;
        }
        // A READONLY client may read from a replica the slots of its master; shard channels need no READONLY.
        boolean write = writes || commands.size() > 1 && client.multi().anyHas(CommandFlag.WRITE)
                || spec.fullName().equals("exec") && client.multi().anyHas(CommandFlag.WRITE);
        if ((client.isReadonly() || pubsubShard) && !write && myself.isReplica() && myself.master() == owner) {
            return null;
        }
        if (owner != myself) {
            return redirection("MOVED", slot, owner, node);
        }
        return null;
    }

    /** Whether the command works on shard channels (is_pubsubshard in getNodeByQuery). */
    private static boolean isPubsubShard(CommandSpec spec) {
        return switch (spec.name()) {
            case "ssubscribe", "sunsubscribe", "spublish" -> true;
            default -> false;
        };
    }

    private static String redirection(String kind, int slot, ClusterNode target, RedisNode node) {
        return kind + " " + slot + " " + Endpoints.preferred(node.config(), target) + ":" + target.port();
    }
}
