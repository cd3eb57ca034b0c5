package dev.clusteremu.server.command;

import java.util.EnumSet;
import java.util.Locale;

/**
 * ACL categories, in the order Redis lists them (ACLCommandCategories), which is the order COMMAND INFO
 * prints a command's categories in.
 */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB, ADMIN,
    FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    public String wireName() {
        return "@" + name().toLowerCase(Locale.ROOT);
    }

    public static EnumSet<AclCategory> parse(String names) {
        EnumSet<AclCategory> set = EnumSet.noneOf(AclCategory.class);
        for (String n : names.trim().split("\\s+")) {
            if (!n.isEmpty()) {
                set.add(valueOf(n.toUpperCase(Locale.ROOT)));
            }
        }
        return set;
    }

    /**
     * A command's categories: those its table row declares plus those its flags imply
     * (setImplicitACLCategories): write, read, admin+dangerous, pubsub, fast, blocking, and slow when not fast.
     */
    public static EnumSet<AclCategory> of(EnumSet<CommandFlag> flags, EnumSet<AclCategory> declared) {
        EnumSet<AclCategory> c = EnumSet.copyOf(declared);
        if (flags.contains(CommandFlag.WRITE)) {
            c.add(WRITE);
        }
        if (flags.contains(CommandFlag.READONLY) && !c.contains(SCRIPTING)) {
            c.add(READ);
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            c.add(ADMIN);
            c.add(DANGEROUS);
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            c.add(PUBSUB);
        }
        if (flags.contains(CommandFlag.FAST)) {
            c.add(FAST);
        }
        if (flags.contains(CommandFlag.BLOCKING)) {
            c.add(BLOCKING);
        }
        if (!c.contains(FAST)) {
            c.add(SLOW);
        }
        return c;
    }
}
