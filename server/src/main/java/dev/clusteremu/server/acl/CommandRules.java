package dev.clusteremu.server.acl;

import java.util.Locale;

import dev.clusteremu.server.command.AclCategory;
import dev.clusteremu.server.command.CommandSpec;

/**
 * ACLDescribeSelectorCommandRules: the shortest-looking rules that rebuild a selector's command bitmap,
 * as ACL LIST, ACL GETUSER and ACL SAVE show them: "+@all" or "-@all", then categories, then single
 * commands, subcommands and first arguments.
 *
 * <p>Why it is computed and not remembered: ACL SETUSER rules overlap ("+@read -@hash +hget"), and Redis
 * shows the bitmap they produced, not the rules typed. The start is +@all only if the last all-or-nothing
 * rule was +@all (the reserved "future commands" bit). Then, greedily, the category that best fits what
 * is left (more commands in common than different, fewest differences, then most in common) is added
 * (or, from +@all, removed) until none fits; a scratch selector tracks what those rules give and the
 * single-command rules fix the rest. The category choices follow from the table alone, so they are
 * Redis's exactly. The single commands come in this table's order; Redis lists them in the order of its
 * command dict, which hashes with a random seed at each start, so no fixed order could match it.
 */
final class CommandRules {

    private CommandRules() {
    }

    /** The command rules of {@code selector}, without a trailing space. */
    static String describe(Selector selector) {
        AclCommandTable table = selector.commands();
        boolean additive = !selector.allowsFutureCommands();
        StringBuilder rules = new StringBuilder();
        // What the rules emitted so far allow.
        Selector described = new Selector(table, false);
        String start = additive ? "-@all" : "+@all";
        described.apply(start);
        rules.append(start).append(' ');

        // What is still to be described: each category applied is taken out of it.
        Selector left = selector.commandBitsOnly();

        boolean[] applied = new boolean[AclCategory.values().length];
        while (true) {
            int best = -1;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (AclCategory category : AclCategory.values()) {
                if (applied[category.ordinal()]) {
                    continue;
                }
                long[] onOff = left.countCategory(category);
                long diff = additive ? onOff[1] : onOff[0];
                long same = additive ? onOff[0] : onOff[1];
                if (same > diff && (diff < minDiff || diff == minDiff && same > maxSame)) {
                    best = category.ordinal();
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best == -1) {
                break;
            }
            AclCategory category = AclCategory.values()[best];
            described.setCategory(category, additive);
            left.setCategory(category, !additive);
            rules.append(additive ? "+@" : "-@").append(category.name().toLowerCase(Locale.ROOT)).append(' ');
            applied[best] = true;
        }

        for (CommandSpec cmd : table.commands()) {
            describeSingle(selector, described, cmd, rules);
        }
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    /**
     * ACLDescribeSelectorCommandRulesSingleCommands for one command: "+cmd" or "-cmd" where the bitmaps
     * still differ (which also sets its subcommands in {@code described}), then its subcommands, then the
     * first arguments it is allowed with when its own bit is clear.
     */
    private static void describeSingle(Selector selector, Selector described, CommandSpec cmd, StringBuilder rules) {
        boolean allowed = selector.allows(cmd);
        if (allowed != described.allows(cmd)) {
            rules.append(allowed ? '+' : '-').append(cmd.fullName()).append(' ');
            described.changePermission(cmd, allowed);
        }
        for (CommandSpec sub : cmd.subcommands().values()) {
            describeSingle(selector, described, sub, rules);
        }
        if (!allowed) {
            for (String arg : selector.firstArgs(cmd)) {
                rules.append('+').append(cmd.fullName()).append('|').append(arg).append(' ');
            }
        }
    }
}
