package dev.clusteremu.server.info;

import java.util.EnumSet;
import java.util.List;

import dev.clusteremu.server.command.AclCategory;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.resp.RespWriter;

/**
 * A command's entry in COMMAND and COMMAND INFO (addReplyCommandInfo): name, arity, flags, first/last/step
 * key, ACL categories, tips, key specs and subcommands, with RESP3 sets and maps where Redis uses them.
 */
public final class CommandInfo {
    /** Flags Redis keeps out of COMMAND INFO on purpose (addReplyFlagsForCommand). */
    private static final EnumSet<CommandFlag> HIDDEN_FLAGS = EnumSet.of(CommandFlag.MAY_REPLICATE,
            CommandFlag.SENTINEL, CommandFlag.ONLY_SENTINEL, CommandFlag.PROTECTED);

    private CommandInfo() {
    }

    /** The entry of {@code spec}, or a null for an unknown command name. */
    public static void write(RespWriter r, CommandSpec spec) {
        if (spec == null) {
            r.nullBulk();
            return;
        }
        r.array(10);
        r.bulk(spec.fullName());
        r.integer(spec.arity());
        EnumSet<CommandFlag> flags = EnumSet.copyOf(spec.flags());
        flags.removeAll(HIDDEN_FLAGS);
        r.set(flags.size());
        for (CommandFlag f : flags) {
            r.simple(f.wireName());
        }
        r.integer(spec.firstKey());
        r.integer(spec.lastKey());
        r.integer(spec.keyStep());
        r.set(spec.aclCategories().size());
        for (AclCategory c : spec.aclCategories()) {
            r.simple(c.wireName());
        }
        r.set(spec.tips().size());
        for (String tip : spec.tips()) {
            r.bulk(tip);
        }
        List<KeySpec> keySpecs = KeySpec.of(spec);
        r.set(keySpecs.size());
        for (KeySpec k : keySpecs) {
            keySpec(r, k);
        }
        if (spec.isContainer()) {
            r.array(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                write(r, sub);
            }
        } else {
            r.set(0);
        }
    }

    /** Key flags as a set of status replies (addReplyFlagsForKeyArgs). */
    public static void keyFlags(RespWriter r, List<String> flags) {
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
    }

    private static void keySpec(RespWriter r, KeySpec k) {
        r.map(k.notes() != null ? 4 : 3);
        if (k.notes() != null) {
            r.bulk("notes");
            r.bulk(k.notes());
        }
        r.bulk("flags");
        keyFlags(r, k.flags());
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        if (k.findKeys().equals("unknown")) {
            r.bulk("unknown");
            r.bulk("spec");
            r.map(0);
        } else if (k.beginsAtKeyword()) {
            r.bulk("keyword");
            r.bulk("spec");
            r.map(2);
            r.bulk("keyword");
            r.bulk(k.keyword());
            r.bulk("startfrom");
            r.integer(k.begin());
        } else {
            r.bulk("index");
            r.bulk("spec");
            r.map(1);
            r.bulk("index");
            r.integer(k.begin());
        }
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        r.bulk(k.findKeys());
        r.bulk("spec");
        switch (k.findKeys()) {
            case "range" -> {
                r.map(3);
                r.bulk("lastkey");
                r.integer(k.a());
                r.bulk("keystep");
                r.integer(k.b());
                r.bulk("limit");
                r.integer(k.c());
            }
            case "keynum" -> {
                r.map(3);
                r.bulk("keynumidx");
                r.integer(k.a());
                r.bulk("firstkey");
                r.integer(k.b());
                r.bulk("keystep");
                r.integer(k.c());
            }
            default -> r.map(0);
        }
    }
}
