package dev.clusteremu.server.scripting;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.AclLog;
import dev.clusteremu.server.acl.AclUsers;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandProcessor;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.persistence.DiskError;
import dev.clusteremu.server.scripting.lua.LuaString;
import dev.clusteremu.server.scripting.lua.LuaTable;
import io.netty.buffer.ByteBuf;

/**
 * A command called by a script (scriptCall in script.c), on the node's loop: the checks a script's command
 * passes before it runs, in Redis's order and with Redis's texts, then the command itself through the
 * command processor's call() on the script's client, whose reply becomes a Lua value.
 */
final class ScriptCalls {
    /** A command's outcome as Lua sees it, and whether it is an error reply (which redis.call raises). */
    record Result(Object value, boolean error) {
    }

    private ScriptCalls() {
    }

    static Result call(Scripting scripting, ScriptRun run, byte[][] argv) {
        RedisNode node = run.node;
        Client lua = run.engine.client;
        Client caller = run.caller;
        CommandSpec spec = node.processor().table().lookup(argv);
        if (spec == null || !spec.arityAccepts(argv.length)) {
            return reject(node, spec, spec == null ? "Unknown Redis command called from script"
                    : "Wrong number of args calling Redis command from script");
        }
        if (spec.has(CommandFlag.NOSCRIPT)) {
            return reject(node, spec, "This Redis command is not allowed from script");
        }
        boolean replica = node.replication().isReplica();
        if (replica && !node.replication().isLinkUp()
                && !(Boolean) ConfigTable.valueOf(node, "replica-serve-stale-data") && !spec.has(CommandFlag.STALE)) {
            return reject(node, spec, "Can not execute the command on a stale replica");
        }
        if (caller.user() != null) {
            AclUsers.Refusal refusal = AclUsers.refusal(caller.user(), spec, argv);
            if (refusal != null) {
                // scriptVerifyACL: logged with the "lua" context, answered with getAclErrorMessage's words.
                node.acl().logRefusal(caller, spec, argv, refusal, AclLog.Context.LUA);
                return reject(node, spec, "The user executing the script " + switch (refusal.denial()) {
                    case COMMAND -> "can't run this command or subcommand";
                    case KEY -> "can't access at least one of the keys mentioned in the command arguments";
                    case CHANNEL -> "can't publish to the channel mentioned in the command";
                });
            }
        }
        boolean write = spec.has(CommandFlag.WRITE);
        if (run.readOnly && (write || spec.has(CommandFlag.MAY_REPLICATE))) {
            return reject(node, spec, "Write commands are not allowed from read-only scripts.");
        }
        boolean obey = caller.isMaster();
        if (write && !run.writeDirty && replica && node.config().replicaReadOnly && !obey) {
            return reject(node, spec, "-READONLY You can't write against a read only replica.");
        }
        if (write && !run.writeDirty) {
            DiskError diskError = DiskError.deniedWrites(node);
            if (diskError != null) {
                return reject(node, spec, "-" + diskError.error(node));
            }
        }
        if (write && !run.writeDirty && !node.replication().goodReplicasSuffice()) {
            return reject(node, spec, "-" + CommandProcessor.NOREPLICAS);
        }
        if (!run.allowOom && node.config().maxMemory != 0 && !obey && !run.writeDirty && run.oomAtStart
                && spec.has(CommandFlag.DENYOOM)) {
            return reject(node, spec, "-OOM command not allowed when used memory > 'maxmemory'.");
        }
        if (write) {
            run.writeDirty = true;
        }
        if (!obey) {
            lua.setReadonly(caller.isReadonly());
            lua.setAsking(caller.isAsking());
            String redirect = node.processor().redirect(lua, spec, argv);
            if (redirect != null) {
                if (redirect.startsWith("CLUSTERDOWN The cluster is down and only accepts read commands")) {
                    return reject(node, spec, "Script attempted to execute a write command while the cluster is down and readonly");
                } else if (redirect.startsWith("CLUSTERDOWN The cluster is down")) {
                    return reject(node, spec, "Script attempted to execute a command while the cluster is down");
                }
                return reject(node, spec, "Script attempted to access a non local key in a cluster node");
            }
            int[] keys = spec.keyPositions(argv);
            if (keys.length > 0 && !run.allowCrossSlot) {
                int slot = KeySlot.of(argv[keys[0]]);
                if (run.slot == -1) {
                    run.slot = slot;
                } else if (run.slot != slot) {
                    return reject(node, spec, "Script attempted to access keys that do not hash to the same slot");
                }
            }
        }
        lua.setUser(caller.user(), true);
        lua.setProtocol(run.protocol);
        Client previous = node.currentClient();
        node.setCurrentClient(caller);
        try {
            node.processor().call(lua, spec, argv, (run.replFlags & ScriptRun.PROPAGATE_REPL) != 0);
        } finally {
            node.setCurrentClient(previous);
        }
        if (spec.has(CommandFlag.READONLY) && caller.tracking() != null && !caller.tracking().isBcast()) {
            node.tracking().rememberKeys(caller, run.callerArgv, run.callerSpec.keyPositions(run.callerArgv));
        }
        ByteBuf buf = lua.reply().buffer();
        byte[] reply = new byte[buf.readableBytes()];
        buf.readBytes(reply);
        buf.clear();
        return new Result(Conversions.toLua(reply), reply.length > 0 && reply[0] == '-');
    }

    /**
     * A command the script may not run: its error counts as an error reply and a rejected call, then goes
     * back to the script as an error table that the final reply does not count again.
     */
    private static Result reject(RedisNode node, CommandSpec spec, String err) {
        byte[] e = Conversions.bytes(err);
        String code = "ERR";
        if (e[0] == '-') {
            int limit = Math.min(e.length, 32);
            for (int i = 0; i < limit; i++) {
                if (e[i] == ' ') {
                    code = new String(e, 1, i - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
                    break;
                }
            }
        }
        node.stats().errorReplied(code);
        node.processor().rejectedInScript(spec);
        LuaTable t = Conversions.errorTable(e);
        t.rawset(LuaString.of("ignore_error_stats_update"), Boolean.TRUE);
        return new Result(t, true);
    }

    /** redis.acl_check_cmd: whether the caller's user may run {@code argv}; null for an unknown command. */
    static Boolean aclAllows(ScriptRun run, byte[][] argv) {
        CommandSpec spec = run.node.processor().table().lookup(argv);
        if (spec == null) {
            return null;
        }
        return run.caller.user() == null || AclUsers.check(run.caller.user(), spec, argv) == null;
    }
}
