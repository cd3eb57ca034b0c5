package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;

/**
 * Redis Functions (functions.c): the FUNCTION family and FCALL / FCALL_RO, whose keys are the numkeys
 * arguments after the function name. The libraries live in {@link dev.clusteremu.server.scripting.Functions}.
 */
public final class FunctionCommands {
    private static final String FCALL_FLAGS = "noscript skip_monitor may_replicate no_mandatory_keys stale";
    private static final String FCALL_RO_FLAGS = "noscript skip_monitor no_mandatory_keys stale readonly";
    private static final String ALL_SHARDS = "request_policy:all_shards response_policy:all_succeeded";

    private static final List<String> HELP = List.of(
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                    + "RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).");

    private FunctionCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("fcall", -3, FCALL_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().functions().fcallCommandFlags(argv, flags))
                .handler((c, argv) -> fcall(c, argv, false)).build());
        table.add(command("fcall_ro", -3, FCALL_RO_FLAGS).acl("scripting").keys(NumKeys.after(2))
                .flags((c, argv, flags) -> c.node().scripting().functions().fcallCommandFlags(argv, flags))
                .handler((c, argv) -> fcall(c, argv, true)).build());
        table.add(command("function", -2, "")
                .sub(command("delete", 3, "noscript write").acl("scripting").tips(ALL_SHARDS)
                        .handler((c, argv) -> c.node().scripting().functions().delete(c, argv[2])))
                .sub(command("dump", 2, "noscript").acl("scripting")
                        .handler((c, argv) -> c.reply().bulk(c.node().scripting().functions().dump())))
                .sub(command("flush", -2, "noscript write").acl("scripting").tips(ALL_SHARDS)
                        .handler((c, argv) -> c.node().scripting().functions().flush(c, argv)))
                .sub(command("help", 2, "loading stale").acl("scripting")
                        .handler((c, argv) -> Replies.help(c, argv, HELP)))
                .sub(command("kill", 2, "noscript allow_busy").acl("scripting")
                        .tips("request_policy:all_shards response_policy:one_succeeded")
                        .handler((c, argv) -> c.node().scripting().kill(c, false)))
                .sub(command("list", -2, "noscript").acl("scripting").tips("nondeterministic_output_order")
                        .handler((c, argv) -> c.node().scripting().functions().list(c, argv)))
                .sub(command("load", -3, "noscript write denyoom").acl("scripting").tips(ALL_SHARDS)
                        .handler((c, argv) -> c.node().scripting().functions().load(c, argv)))
                .sub(command("restore", -3, "noscript write denyoom").acl("scripting").tips(ALL_SHARDS)
                        .handler((c, argv) -> c.node().scripting().functions().restore(c, argv)))
                .sub(command("stats", 2, "noscript allow_busy").acl("scripting")
                        .tips("nondeterministic_output request_policy:all_shards response_policy:special")
                        .handler((c, argv) -> c.node().scripting().functions().stats(c)))
                .build());
    }

    private static void fcall(Client c, byte[][] argv, boolean ro) {
        c.node().scripting().functions().fcall(c, argv, c.node().processor().table().lookup(argv), ro);
    }
}
