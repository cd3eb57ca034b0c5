package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;

/**
 * EVAL scripting (eval.c): EVAL, EVALSHA and their read-only variants, whose keys are the numkeys
 * arguments after the script, and SCRIPT LOAD, EXISTS, FLUSH, KILL, DEBUG and HELP. The engine is
 * {@link dev.clusteremu.server.scripting.Scripting}.
 */
public final class ScriptingCommands {
    private static final String EVAL_FLAGS = "noscript skip_monitor may_replicate no_mandatory_keys stale";
    private static final String EVAL_RO_FLAGS = "noscript skip_monitor no_mandatory_keys stale readonly";

    private static final List<String> HELP = List.of(
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.");

    private ScriptingCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("eval", -3, EVAL_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().evalCommandFlags(argv, flags, false))
                .handler((c, argv) -> eval(c, argv, false, false)).build());
        table.add(command("evalsha", -3, EVAL_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().evalCommandFlags(argv, flags, true))
                .handler((c, argv) -> eval(c, argv, true, false)).build());
        table.add(command("eval_ro", -3, EVAL_RO_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().evalCommandFlags(argv, flags, false))
                .handler((c, argv) -> eval(c, argv, false, true)).build());
        table.add(command("evalsha_ro", -3, EVAL_RO_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().evalCommandFlags(argv, flags, true))
                .handler((c, argv) -> eval(c, argv, true, true)).build());
        table.add(command("script", -2, "")
                .sub(command("debug", 3, "noscript").acl("scripting").handler(ScriptingCommands::debug))
                .sub(command("exists", -3, "noscript").acl("scripting")
                        .tips("request_policy:all_shards response_policy:agg_logical_and")
                        .handler((c, argv) -> c.node().scripting().scriptExists(c, argv)))
                .sub(command("flush", -2, "noscript").acl("scripting")
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .handler(ScriptingCommands::flush))
                .sub(command("help", 2, "loading stale").acl("scripting")
                        .handler((c, argv) -> Replies.help(c, argv, HELP)))
                .sub(command("kill", 2, "noscript allow_busy").acl("scripting")
                        .tips("request_policy:all_shards response_policy:one_succeeded")
                        .handler((c, argv) -> c.node().scripting().kill(c, true)))
                .sub(command("load", 3, "noscript stale").acl("scripting")
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .handler((c, argv) -> c.node().scripting().scriptLoad(c, argv[2])))
                .build());
    }

    private static void eval(Client c, byte[][] argv, boolean evalsha, boolean ro) {
        c.node().scripting().eval(c, argv, c.node().processor().table().lookup(argv), evalsha, ro);
    }

    /** SCRIPT FLUSH [ASYNC|SYNC]: the cache is emptied either way (there is no background freeing here). */
    private static void flush(Client c, byte[][] argv) {
        if (argv.length != 2 && !(argv.length == 3
                && (Args.is(argv[2], "sync") || Args.is(argv[2], "async")))) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        c.node().scripting().scriptFlush();
        c.reply().ok();
    }

    /**
     * SCRIPT DEBUG: NO is accepted (no debugging session is ever active); YES and SYNC would start the
     * Lua debugger, which this node does not have, so they fail rather than pretend to debug.
     */
    private static void debug(Client c, byte[][] argv) {
        if (c.hasPendingReplies()) {
            throw new CommandError("ERR SCRIPT DEBUG must be called outside a pipeline");
        }
        if (Args.is(argv[2], "no")) {
            c.reply().ok();
        } else if (Args.is(argv[2], "yes") || Args.is(argv[2], "sync")) {
            throw new CommandError("ERR SCRIPT DEBUG YES and SYNC are not supported: this node has no Lua debugger");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }
}
