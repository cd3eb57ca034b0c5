package dev.clusteremu.server.acl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.clusteremu.server.command.AclCategory;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.Glob;
import dev.clusteremu.server.info.CommandKeys;

/**
 * An ACL selector (acl.c's aclSelector): the commands, keys and channels one set of rules allows. Every
 * user has a root selector, changed by the rules given outside parentheses, and may have more, each made
 * of the rules inside one "(...)"; a command runs if any selector allows it.
 *
 * <p>Commands are a bitmap over the ids of {@link AclCommandTable}, as in Redis, so that rules compose the
 * way Redis's do: "+@cat" and "-@cat" set the bit of every command in the category <em>and of all its
 * subcommands</em> (ACLChangeSelectorPerm), then the bits of the subcommands that are themselves in it. A
 * command whose bit is clear may still run with one of its allowed first arguments ("+select|0").
 */
final class Selector {
    /** ACL_READ_PERMISSION: a %R~ pattern; keys a command reads need it. */
    static final int READ = 1;
    /** ACL_WRITE_PERMISSION: a %W~ pattern; keys a command inserts, updates or deletes need it. */
    static final int WRITE = 2;
    /** ACL_ALL_PERMISSION: a ~ pattern, or %RW~. */
    static final int ALL = READ | WRITE;

    /** A key pattern and the access it grants. */
    record KeyPattern(String pattern, int flags) {
        /** sdsCatPatternString: ~pattern, %R~pattern or %W~pattern. */
        String describe() {
            return (flags == ALL ? "~" : flags == READ ? "%R~" : "%W~") + pattern;
        }
    }

    /**
     * The commands whose arguments are channels to check (commands_with_channels, publishing and
     * subscribing only: unsubscribing is always allowed): the count of channel arguments from argv[1],
     * -1 for all of them.
     */
    private static final Map<String, Integer> CHANNEL_COMMANDS = Map.of("subscribe", -1, "ssubscribe", -1,
            "psubscribe", -1, "publish", 1, "spublish", 1);

    private final AclCommandTable commands;
    private boolean allKeys;
    private boolean allChannels;
    /**
     * SELECTOR_FLAG_ALLCOMMANDS: set by +@all, cleared as soon as any command bit is cleared. With every bit
     * set it changes nothing for the commands of the table; it is what lets a command outside the table run.
     */
    private boolean allCommands;
    private final BitSet allowed;
    /**
     * The reserved last bit of Redis's bitmap, set only by +@all and cleared only by -@all: whether the
     * rules started from every command ("future commands" included), which decides whether a description
     * starts with +@all or -@all.
     */
    private boolean allowsFutureCommands;
    /** allowed_firstargs: by command id, the first arguments that let an otherwise denied command run. */
    private final Map<Integer, List<String>> firstArgs = new HashMap<>();
    private final List<KeyPattern> keyPatterns = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();

    /**
     * ACLCreateSelector: no command, no key, and every channel or none as acl-pubsub-default says.
     */
    Selector(AclCommandTable commands, boolean allChannels) {
        this.commands = commands;
        this.allChannels = allChannels;
        this.allowed = new BitSet(commands.size());
    }

    /** ACLCopySelector. */
    Selector copy() {
        Selector s = new Selector(commands, allChannels);
        s.allKeys = allKeys;
        s.allCommands = allCommands;
        s.allowed.or(allowed);
        s.allowsFutureCommands = allowsFutureCommands;
        firstArgs.forEach((id, args) -> s.firstArgs.put(id, new ArrayList<>(args)));
        s.keyPatterns.addAll(keyPatterns);
        s.channels.addAll(channels);
        return s;
    }

    /** A scratch selector with this one's command bits and nothing else. */
    Selector commandBitsOnly() {
        Selector s = new Selector(commands, false);
        s.allowed.or(allowed);
        return s;
    }

    AclCommandTable commands() {
        return commands;
    }

    boolean hasAllKeys() {
        return allKeys;
    }

    boolean hasAllChannels() {
        return allChannels;
    }

    List<KeyPattern> keyPatterns() {
        return keyPatterns;
    }

    List<String> channels() {
        return channels;
    }

    boolean allowsFutureCommands() {
        return allowsFutureCommands;
    }

    /** Every command, key and channel (+@all ~* &amp;*): no command can be refused. */
    boolean isUnrestricted() {
        return allCommands && allKeys && allChannels;
    }

    /** ACLGetSelectorCommandBit: whether the command's own bit is set (first arguments aside). */
    boolean allows(CommandSpec spec) {
        int id = commands.id(spec);
        return id >= 0 && allowed.get(id);
    }

    /** The first arguments allowed for the command, in the order they were added. */
    List<String> firstArgs(CommandSpec spec) {
        return firstArgs.getOrDefault(commands.id(spec), List.of());
    }

    // ---- rules ----

    /**
     * ACLSetSelector: applies one rule (allkeys, resetkeys, ~pattern, %R~pattern, %W~pattern, allchannels,
     * resetchannels, &amp;pattern, allcommands, nocommands, +@all, -@all, +cmd, -cmd, +cmd|sub, -cmd|sub,
     * +cmd|firstarg, +@category, -@category). Returns why it was refused, or null; a refused rule changes
     * nothing.
     */
    RuleError apply(String op) {
        char first = op.isEmpty() ? '\0' : op.charAt(0);
        char second = op.length() > 1 ? op.charAt(1) : '\0';
        if (is(op, "allkeys") || is(op, "~*")) {
            allKeys = true;
            keyPatterns.clear();
        } else if (is(op, "resetkeys")) {
            allKeys = false;
            keyPatterns.clear();
        } else if (is(op, "allchannels") || is(op, "&*")) {
            allChannels = true;
            channels.clear();
        } else if (is(op, "resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (is(op, "allcommands") || is(op, "+@all")) {
            allowed.set(0, commands.size());
            allowsFutureCommands = true;
            allCommands = true;
            firstArgs.clear();
        } else if (is(op, "nocommands") || is(op, "-@all")) {
            allowed.clear();
            allowsFutureCommands = false;
            allCommands = false;
            firstArgs.clear();
        } else if (first == '~' || first == '%') {
            return addKeyPattern(op);
        } else if (first == '&') {
            return addChannel(op.substring(1));
        } else if (first == '+' && second != '@') {
            return allowCommand(op.substring(1));
        } else if (first == '-' && second != '@') {
            CommandSpec cmd = commands.lookup(op.substring(1));
            if (cmd == null) {
                return RuleError.UNKNOWN_COMMAND_OR_CATEGORY;
            }
            changePermission(cmd, false);
        } else if (first == '+' || first == '-') {
            AclCategory category = category(op.substring(2));
            if (category == null) {
                return RuleError.UNKNOWN_COMMAND_OR_CATEGORY;
            }
            setCategory(category, first == '+');
        } else {
            return RuleError.SYNTAX;
        }
        return null;
    }

    /**
     * ~pattern grants every access; %R~, %W~, %RW~ (in any order and case) grant reading, writing or both.
     * Adding a pattern that is already there widens its access instead (%R~k then %W~k is ~k). A pattern
     * after allkeys is refused before anything else is looked at, and so is a % rule that names no access
     * at all ("%", "%~k": redis-server 7.0.15 answers Syntax error).
     */
    private RuleError addKeyPattern(String op) {
        if (allKeys) {
            return RuleError.KEY_PATTERN_AFTER_ALLKEYS;
        }
        int flags = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (flags & READ) == 0) {
                    flags |= READ;
                } else if (c == 'W' && (flags & WRITE) == 0) {
                    flags |= WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    return RuleError.SYNTAX;
                }
            }
            if (flags == 0) {
                return RuleError.SYNTAX;
            }
        } else {
            flags = ALL;
        }
        String pattern = op.substring(offset);
        if (AclUsers.hasSpaces(pattern)) {
            return RuleError.SYNTAX;
        }
        for (int i = 0; i < keyPatterns.size(); i++) {
            KeyPattern existing = keyPatterns.get(i);
            if (existing.pattern().equals(pattern)) {
                keyPatterns.set(i, new KeyPattern(pattern, existing.flags() | flags));
                return null;
            }
        }
        keyPatterns.add(new KeyPattern(pattern, flags));
        return null;
    }

    private RuleError addChannel(String pattern) {
        if (allChannels) {
            return RuleError.CHANNEL_PATTERN_AFTER_ALLCHANNELS;
        }
        if (AclUsers.hasSpaces(pattern)) {
            return RuleError.SYNTAX;
        }
        if (!channels.contains(pattern)) {
            channels.add(pattern);
        }
        return null;
    }

    /**
     * +name: a command (with all its subcommands) or "container|sub". "+cmd|arg" on a command without
     * subcommands allows that first argument only (SELECT 0, DEBUG OBJECT): the last '|' splits the rule,
     * so "+config|get|x" asks for a first argument of a subcommand, which is refused.
     */
    private RuleError allowCommand(String name) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec cmd = commands.lookup(name);
            if (cmd == null) {
                return RuleError.UNKNOWN_COMMAND_OR_CATEGORY;
            }
            changePermission(cmd, true);
            return null;
        }
        CommandSpec cmd = commands.lookup(name.substring(0, bar));
        String sub = name.substring(bar + 1);
        if (cmd == null) {
            return RuleError.UNKNOWN_COMMAND_OR_CATEGORY;
        }
        if (cmd.parent() != null) {
            return RuleError.FIRST_ARG_OF_SUBCOMMAND;
        }
        if (sub.isEmpty()) {
            return RuleError.SYNTAX;
        }
        if (cmd.isContainer()) {
            CommandSpec subcommand = commands.lookup(name);
            if (subcommand == null) {
                return RuleError.UNKNOWN_COMMAND_OR_CATEGORY;
            }
            changePermission(subcommand, true);
            return null;
        }
        List<String> args = firstArgs.computeIfAbsent(commands.id(cmd), id -> new ArrayList<>());
        for (String a : args) {
            if (is(a, sub)) {
                return null;
            }
        }
        args.add(sub);
        return null;
    }

    /**
     * ACLChangeSelectorPerm: the command's bit and those of all its subcommands take the value, and the
     * command's allowed first arguments are forgotten.
     */
    void changePermission(CommandSpec cmd, boolean allow) {
        setBit(cmd, allow);
        firstArgs.remove(commands.id(cmd));
        for (CommandSpec sub : cmd.subcommands().values()) {
            setBit(sub, allow);
        }
    }

    /** ACLSetSelectorCommandBit: clearing any bit means the selector no longer has every command. */
    private void setBit(CommandSpec cmd, boolean allow) {
        int id = commands.id(cmd);
        if (id < 0) {
            return;
        }
        allowed.set(id, allow);
        if (!allow) {
            allCommands = false;
        }
    }

    /**
     * ACLSetSelectorCommandBitsForCategory: every command in the category changes with all its subcommands,
     * then every subcommand in the category. So "-@all +@slow" allows the fast subcommands of a slow
     * container (CLIENT's, CONFIG's) too, as in Redis.
     */
    void setCategory(AclCategory category, boolean allow) {
        for (CommandSpec cmd : commands.commands()) {
            if (cmd.aclCategories().contains(category)) {
                changePermission(cmd, allow);
            }
            for (CommandSpec sub : cmd.subcommands().values()) {
                if (sub.aclCategories().contains(category)) {
                    changePermission(sub, allow);
                }
            }
        }
    }

    /** ACLCountCategoryBitsForSelector: {allowed, denied} among the commands and subcommands of the category. */
    long[] countCategory(AclCategory category) {
        long[] onOff = new long[2];
        for (CommandSpec cmd : commands.commands()) {
            count(cmd, category, onOff);
            for (CommandSpec sub : cmd.subcommands().values()) {
                count(sub, category, onOff);
            }
        }
        return onOff;
    }

    private void count(CommandSpec cmd, AclCategory category, long[] onOff) {
        if (cmd.aclCategories().contains(category)) {
            onOff[allows(cmd) ? 0 : 1]++;
        }
    }

    /** ACLGetCommandCategoryFlagByName: a category by name, case-insensitive; null if unknown. */
    static AclCategory category(String name) {
        for (AclCategory c : AclCategory.values()) {
            if (is(name, c.name())) {
                return c;
            }
        }
        return null;
    }

    /** strcasecmp == 0: ASCII letters only fold, as in the C locale. */
    static boolean is(String s, String word) {
        if (s.length() != word.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (asciiLower(s.charAt(i)) != asciiLower(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    // ---- checks ----

    /**
     * ACLSelectorCheckCmd: the command must be allowed (its bit, or an allowed first argument; commands
     * flagged no_auth always are), then each of its keys must match a pattern that grants the access the
     * key's spec flags ask for (ACCESS needs %R, INSERT, DELETE and UPDATE need %W; a key found without
     * flags matches any pattern), then each channel published or subscribed to must match a channel
     * pattern (a PSUBSCRIBE pattern must equal one). {@code keys} finds the keys once for all the selectors.
     * Returns the refusal, or null when allowed.
     */
    AclUsers.Refusal check(CommandSpec spec, byte[][] argv, Supplier<List<CommandKeys.KeyReference>> keys) {
        if (!allCommands && !spec.has(CommandFlag.NO_AUTH) && !allows(spec) && !firstArgAllowed(spec, argv)) {
            return new AclUsers.Refusal(AclUsers.Denial.COMMAND, 0);
        }
        if (!allKeys && CommandKeys.hasKeys(spec)) {
            for (CommandKeys.KeyReference key : keys.get()) {
                if (!keyAllowed(argv[key.pos()], accessOf(key.flags()))) {
                    return new AclUsers.Refusal(AclUsers.Denial.KEY, key.pos());
                }
            }
        }
        int channel = deniedChannelPosition(spec, argv);
        return channel >= 0 ? new AclUsers.Refusal(AclUsers.Denial.CHANNEL, channel) : null;
    }

    /** The command's first argument (after the subcommand name, for a subcommand) is one allowed for it. */
    private boolean firstArgAllowed(CommandSpec spec, byte[][] argv) {
        List<String> args = firstArgs.get(commands.id(spec));
        int idx = spec.parent() != null ? 2 : 1;
        if (args == null || argv.length <= idx) {
            return false;
        }
        String given = new String(argv[idx], StandardCharsets.ISO_8859_1);
        for (String a : args) {
            if (is(given, a)) {
                return true;
            }
        }
        return false;
    }

    /** The ACL permissions a key's spec flags ask for. */
    private static int accessOf(List<String> keyFlags) {
        int access = 0;
        if (keyFlags.contains("access")) {
            access |= READ;
        }
        if (keyFlags.contains("insert") || keyFlags.contains("delete") || keyFlags.contains("update")) {
            access |= WRITE;
        }
        return access;
    }

    /** ACLSelectorCheckKey: some pattern granting at least {@code access} matches the key. */
    boolean keyAllowed(byte[] key, int access) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : keyPatterns) {
            if ((p.flags() & access) == access
                    && Glob.matches(p.pattern().getBytes(StandardCharsets.ISO_8859_1), key, false)) {
                return true;
            }
        }
        return false;
    }

    /** The argv position of the first channel the selector may not use, or -1 (ACLCheckChannelAgainstList). */
    private int deniedChannelPosition(CommandSpec spec, byte[][] argv) {
        Integer count = spec.parent() == null ? CHANNEL_COMMANDS.get(spec.name()) : null;
        if (allChannels || count == null) {
            return -1;
        }
        boolean patterns = spec.name().equals("psubscribe");
        int stop = count == -1 ? argv.length : Math.min(argv.length, 1 + count);
        for (int pos = 1; pos < stop; pos++) {
            if (!channelAllowed(argv[pos], patterns)) {
                return pos;
            }
        }
        return -1;
    }

    /** Whether the selector allows {@code channel}, a subscribed pattern if {@code isPattern}. */
    boolean allowsChannel(byte[] channel, boolean isPattern) {
        return allChannels || channelAllowed(channel, isPattern);
    }

    /** A channel matches one of the patterns; a subscribed pattern must equal one, byte for byte. */
    private boolean channelAllowed(byte[] channel, boolean isPattern) {
        for (String p : channels) {
            byte[] pattern = p.getBytes(StandardCharsets.ISO_8859_1);
            if (isPattern ? Arrays.equals(pattern, channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    // ---- descriptions ----

    /** ACLDescribeSelector: keys, channels and command rules, as ACL LIST shows a selector. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            for (KeyPattern p : keyPatterns) {
                sb.append(p.describe()).append(' ');
            }
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String p : channels) {
                sb.append('&').append(p).append(' ');
            }
        }
        return sb.append(CommandRules.describe(this)).toString();
    }

    /** ACL GETUSER's "keys": "~*", or the patterns joined by spaces. */
    String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        List<String> parts = new ArrayList<>();
        for (KeyPattern p : keyPatterns) {
            parts.add(p.describe());
        }
        return String.join(" ", parts);
    }

    /** ACL GETUSER's "channels": "&amp;*", or each pattern as &amp;pattern, joined by spaces. */
    String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        List<String> parts = new ArrayList<>();
        for (String p : channels) {
            parts.add("&" + p);
        }
        return String.join(" ", parts);
    }
}
