package dev.clusteremu.server.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the command table: what Redis's commands/*.json says about a command, as data. Arity follows
 * Redis: positive = exactly that many arguments including the name, negative = at least that many.
 * firstKey/lastKey/keyStep are the legacy key range (lastKey negative counts from the end, 0 = no keys).
 * A container command (CLUSTER, CONFIG, ...) has subcommands instead of a handler.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final EnumSet<CommandFlag> flags;
    private final EnumSet<AclCategory> aclCategories;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final CommandHandler handler;
    private final KeyFinder keyFinder;
    private final FlagsFinder flagsFinder;
    private final Map<String, CommandSpec> subcommands;
    private final CommandSpec parent;
    private final List<String> tips;

    private CommandSpec(Builder b, CommandSpec parent) {
        this.tips = List.copyOf(b.tips);
        this.name = b.name;
        this.parent = parent;
        this.fullName = parent == null ? b.name : parent.name + "|" + b.name;
        this.arity = b.arity;
        this.flags = EnumSet.copyOf(b.flags);
        if (b.keyFinder != null) {
            this.flags.add(CommandFlag.MOVABLE_KEYS);
        }
        this.aclCategories = AclCategory.of(this.flags, b.acl);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.handler = b.handler;
        this.keyFinder = b.keyFinder;
        this.flagsFinder = b.flagsFinder;
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        for (Builder sub : b.subcommands) {
            subs.put(sub.name, new CommandSpec(sub, this));
        }
        this.subcommands = Collections.unmodifiableMap(subs);
    }

    /** Starts a row: name (lowercase), arity, flags as Redis names them ("write denyoom fast"). */
    public static Builder command(String name, int arity, String flags) {
        return new Builder(name.toLowerCase(Locale.ROOT), arity, CommandFlag.parse(flags));
    }

    public String name() {
        return name;
    }

    /** "get", or "cluster|addslots" for a subcommand: the name used in errors and COMMAND replies. */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public EnumSet<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    /** The flags of this command for {@code argv} (getCommandFlags): the row's, unless a finder says otherwise. */
    public EnumSet<CommandFlag> flagsFor(dev.clusteremu.server.net.Client client, byte[][] argv) {
        return flagsFinder == null ? flags : flagsFinder.flags(client, argv, flags);
    }

    public EnumSet<AclCategory> aclCategories() {
        return aclCategories;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public CommandHandler handler() {
        return handler;
    }

    public CommandSpec parent() {
        return parent;
    }

    /** Command tips as COMMAND INFO lists them ("nondeterministic_output", "request_policy:all_shards", ...). */
    public List<String> tips() {
        return tips;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    /** Whether {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** Whether the command takes keys at all (for routing: key-less commands are never redirected). */
    public boolean hasKeys() {
        return firstKey > 0 || keyFinder != null;
    }

    /**
     * The argv positions of the keys (getKeysFromCommand): from the custom finder for movable-key commands,
     * otherwise the first/last/step range, clipped to argv.
     */
    public int[] keyPositions(byte[][] argv) {
        if (keyFinder != null) {
            return keyFinder.keyPositions(argv);
        }
        if (firstKey <= 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? argv.length + lastKey : lastKey;
        if (last >= argv.length) {
            last = argv.length - 1;
        }
        List<Integer> pos = new ArrayList<>();
        for (int i = firstKey; i <= last; i += keyStep) {
            pos.add(i);
        }
        int[] out = new int[pos.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pos.get(i);
        }
        return out;
    }

    /** Builds a row. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags;
        private EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        private int firstKey;
        private int lastKey;
        private int keyStep;
        private CommandHandler handler;
        private KeyFinder keyFinder;
        private FlagsFinder flagsFinder;
        private final List<Builder> subcommands = new ArrayList<>();
        private List<String> tips = List.of();

        private Builder(String name, int arity, EnumSet<CommandFlag> flags) {
            this.name = name;
            this.arity = arity;
            this.flags = flags;
        }

        /** The categories the command's json declares ("keyspace", "string", ...), beyond those its flags imply. */
        public Builder acl(String categories) {
            this.acl = AclCategory.parse(categories);
            return this;
        }

        /** The legacy key range. */
        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /** Keys found by code (movable keys); the legacy range stays as declared. */
        public Builder keys(KeyFinder finder) {
            this.keyFinder = finder;
            return this;
        }

        /** Flags that depend on the arguments (EVAL's script flags). */
        public Builder flags(FlagsFinder finder) {
            this.flagsFinder = finder;
            return this;
        }

        /** Command tips, space-separated, lowercase as COMMAND INFO prints them. */
        public Builder tips(String t) {
            this.tips = List.of(t.trim().split("\\s+"));
            return this;
        }

        public Builder handler(CommandHandler h) {
            this.handler = h;
            return this;
        }

        public Builder sub(Builder subcommand) {
            subcommands.add(subcommand);
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(this, null);
        }
    }
}
