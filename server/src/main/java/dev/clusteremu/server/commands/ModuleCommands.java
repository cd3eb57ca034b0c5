package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.net.Client;

/**
 * MODULE (module.c) on a node that has no module and can load none: a JVM can't dlopen a Redis module's
 * shared library. MODULE LIST is empty; LOAD and LOADEX fail as a redis-server fails on a library it can't
 * open, UNLOAD as it fails on a name it doesn't know. LOAD, LOADEX and UNLOAD are protected: unless
 * enable-module-command allows the client, they are refused before anything else.
 */
public final class ModuleCommands {
    private static final String NOT_ALLOWED = "ERR MODULE command not allowed. If the enable-module-command option is "
            + "set to \"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";
    private static final String LOAD_FAILED = "ERR Error loading the extension. Please check the server logs.";

    private static final List<String> MODULE_HELP = List.of(
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.");

    private static final String LOADING = "no_async_loading admin noscript protected";

    private ModuleCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("module", -2, "")
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, MODULE_HELP)))
                .sub(command("list", 2, "admin noscript").tips("nondeterministic_output_order")
                        .handler((c, argv) -> c.reply().array(0)))
                .sub(command("load", -3, LOADING).handler((c, argv) -> load(c, argv)))
                .sub(command("loadex", -3, LOADING).handler((c, argv) -> load(c, argv)))
                .sub(command("unload", 3, LOADING).handler(ModuleCommands::unload))
                .build());
    }

    /**
     * MODULE LOAD path [arg ...] and MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...]: the library
     * can't be opened here, so the reply is moduleLoad's failure whatever the arguments (LOADEX's are
     * parsed only once the library is open).
     */
    private static void load(Client c, byte[][] argv) {
        requireAllowed(c);
        c.node().log().warning("Module " + Args.text(argv[2])
                + " failed to load: modules can't be loaded by this emulator");
        throw new CommandError(LOAD_FAILED);
    }

    /** MODULE UNLOAD name: no module is loaded, so no name is known (moduleUnload's ENOENT). */
    private static void unload(Client c, byte[][] argv) {
        requireAllowed(c);
        throw new CommandError("ERR Error unloading module: no such module with that name");
    }

    /** allowProtectedAction(enable_module_cmd): "yes", or "local" for a loopback client. */
    private static void requireAllowed(Client c) {
        String setting = ConfigTable.standard().lookup("enable-module-command").get(c.node());
        boolean allowed = switch (setting) {
            case "yes" -> true;
            case "local" -> LifecycleCommands.isLocal(c);
            default -> false;
        };
        if (!allowed) {
            throw new CommandError(NOT_ALLOWED);
        }
    }
}
