package dev.clusteremu.server.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;

/**
 * The command table as ACLs see it (server.orig_commands with ACLGetCommandID): every command and every
 * subcommand has an id, its bit in a selector's command bitmap, and can be named in a rule as "get" or
 * "config|get". Immutable; shared by every selector of a node.
 */
final class AclCommandTable {
    private final CommandTable table;
    /** Ids by full name ("get", "config|get"). */
    private final Map<String, Integer> ids = new HashMap<>();

    AclCommandTable(CommandTable table) {
        this.table = table;
        for (CommandSpec spec : table.all()) {
            ids.put(spec.fullName(), ids.size());
            for (CommandSpec sub : spec.subcommands().values()) {
                ids.put(sub.fullName(), ids.size());
            }
        }
    }

    /** How many ids there are: the size of a selector's bitmap. */
    int size() {
        return ids.size();
    }

    /** The top-level commands, in the table's order (the order rules are described in). */
    Collection<CommandSpec> commands() {
        return table.all();
    }

    /** The command's id, or -1 for a command the table doesn't hold. */
    int id(CommandSpec spec) {
        return ids.getOrDefault(spec.fullName(), -1);
    }

    /**
     * ACLLookupCommand (lookupCommandBySdsLogic, strict): "name" is a top-level command, "name|sub" a
     * subcommand of a container; anything else ("get|x" on a command without subcommands, a|b|c, "") is
     * unknown. Names are case-insensitive. Returns null when unknown.
     */
    CommandSpec lookup(String name) {
        List<String> parts = splitOnBar(name);
        if (parts.isEmpty() || parts.size() > 2) {
            return null;
        }
        CommandSpec base = table.get(parts.get(0));
        if (parts.size() == 1) {
            return base;
        }
        if (base == null || !base.isContainer()) {
            return null;
        }
        return base.subcommands().get(parts.get(1).toLowerCase(Locale.ROOT));
    }

    /** sdssplitlen on '|': "a|" is ["a", ""], "" is no part at all. */
    private static List<String> splitOnBar(String s) {
        List<String> parts = new ArrayList<>();
        if (s.isEmpty()) {
            return parts;
        }
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '|') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }
}
