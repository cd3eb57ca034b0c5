package dev.clusteremu.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** All commands by name. Built once from the families' rows; read-only afterwards and shared by every node. */
public final class CommandTable {
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();

    public CommandTable add(CommandSpec spec) {
        if (commands.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("duplicate command " + spec.name());
        }
        return this;
    }

    /** The command named by argv[0] (case-insensitive), or null. */
    public CommandSpec get(String name) {
        return commands.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The command to run for argv (lookupCommand): for a container command, the subcommand named by
     * argv[1]; null when the command or subcommand is unknown.
     */
    public CommandSpec lookup(byte[][] argv) {
        CommandSpec base = get(ascii(argv[0]));
        if (base == null || !base.isContainer() || argv.length < 2) {
            return base;
        }
        return base.subcommands().get(ascii(argv[1]).toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** Number of top-level commands: what COMMAND COUNT answers. */
    public int size() {
        return commands.size();
    }

    private static String ascii(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
