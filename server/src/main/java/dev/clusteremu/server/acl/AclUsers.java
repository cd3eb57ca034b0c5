package dev.clusteremu.server.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.Glob;
import dev.clusteremu.server.info.ClientLine;
import dev.clusteremu.server.info.KeySpec;
import dev.clusteremu.server.net.Client;

/**
 * A node's ACL users (acl.c's Users rax and DefaultUser): creating and changing them with ACL SETUSER
 * rules, checking credentials, describing them as ACL LIST does, and checking a command against a user's
 * permissions (ACLCheckAllUserCommandPerm).
 *
 * <p>Rules supported: on, off, nopass, resetpass, &gt;password, &lt;password, #hash, !hash, ~pattern,
 * allkeys, resetkeys, &amp;pattern, allchannels, resetchannels, +@all / allcommands, -@all / nocommands,
 * sanitize-payload, skip-sanitize-payload, clearselectors and reset, with Redis's errors. Per-command and
 * per-category rules, %R~ / %W~ key patterns and selectors are refused with Redis's error frame: describing
 * them as ACL LIST does depends on Redis's whole command table, which this node doesn't have. Owned by the
 * node's loop.
 */
public final class AclUsers {
    private static final String DEFAULT = "default";

    /** Users by name, in the byte order ACL LIST and ACL USERS list them (a rax). */
    private final TreeMap<String, User> users = new TreeMap<>();
    private final User defaultUser;
    /** acl-pubsub-default: whether "reset" (and a new user) gets allchannels. */
    private boolean pubsubDefaultAllChannels;

    public AclUsers() {
        defaultUser = new User(DEFAULT);
        defaultUser.allCommands = true;
        defaultUser.allKeys = true;
        defaultUser.allChannels = true;
        defaultUser.enabled = true;
        defaultUser.nopass = true;
        users.put(DEFAULT, defaultUser);
    }

    /** The "default" user, which new connections start as. */
    public User defaultUser() {
        return defaultUser;
    }

    /** The user named {@code name} (case-sensitive), or null. */
    public User get(String name) {
        return users.get(name);
    }

    /** Every user, sorted by name. */
    public Collection<User> all() {
        return users.values();
    }

    /** acl-pubsub-default changed: whether new users get every channel. */
    public void setPubsubDefaultAllChannels(boolean all) {
        this.pubsubDefaultAllChannels = all;
    }

    /**
     * requirepass (ACLUpdateDefaultUserPassword): the default user's passwords become just this one, or
     * nopass when it is empty.
     */
    public void setDefaultPassword(byte[] password) {
        apply(defaultUser, "resetpass");
        if (password.length == 0) {
            apply(defaultUser, "nopass");
        } else {
            defaultUser.passwords.add(hash(password));
        }
    }

    /** authRequired for a client as {@code user}: the default user asks for a password, and it hasn't given one. */
    public boolean authRequired(boolean authenticated) {
        return (!defaultUser.nopass || !defaultUser.enabled) && !authenticated;
    }

    /**
     * ACLCheckUserCredentials: the user exists, is on, and the password is one of its passwords (any is
     * good for a nopass user). Returns the user, or null when refused.
     */
    public User authenticate(String username, byte[] password) {
        User u = users.get(username);
        if (u == null || !u.enabled) {
            return null;
        }
        if (u.nopass) {
            return u;
        }
        byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String stored : u.passwords) {
            // Constant-time comparison, as ACL's time_independent_strcmp.
            match |= MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), given);
        }
        return match ? u : null;
    }

    /**
     * ACL SETUSER name rule...: applies the rules to a copy of the user (a new user if there is none) and
     * keeps the result only if every rule was valid (ACLStringSetUser). Returns the error text, or null.
     */
    public String setUser(String name, List<byte[]> rules) {
        User existing = users.get(name);
        User staged = existing != null ? existing.copy(name) : newUser(name);
        for (byte[] rule : rules) {
            String op = new String(rule, StandardCharsets.ISO_8859_1);
            if (op.startsWith("(")) {
                if (!op.endsWith(")")) {
                    return "Unmatched parenthesis in acl selector starting at '" + op + "'.";
                }
                return modifierError(op, "selectors are not supported by this emulator");
            }
            String error = apply(staged, rule);
            if (error != null) {
                return modifierError(op, error);
            }
        }
        if (existing != null) {
            existing.assign(staged);
        } else {
            users.put(name, staged);
        }
        return null;
    }

    /** Deletes the user; returns it, or null if there was none. The default user can't be deleted. */
    public User delete(String name) {
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException("the default user can't be removed");
        }
        return users.remove(name);
    }

    /** A user just created by ACL SETUSER (ACLCreateUser): off, no password, no commands, no keys. */
    private User newUser(String name) {
        User u = new User(name);
        u.allChannels = pubsubDefaultAllChannels;
        return u;
    }

    private static String modifierError(String op, String reason) {
        return "Error in ACL SETUSER modifier '" + op + "': " + reason;
    }

    private String apply(User u, String op) {
        return apply(u, op.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** ACLSetUser for one rule; returns the reason it was refused (ACLSetUserStringError), or null. */
    private String apply(User u, byte[] rule) {
        String op = new String(rule, StandardCharsets.ISO_8859_1);
        if (op.isEmpty()) {
            return null;
        }
        String lower = op.toLowerCase(java.util.Locale.ROOT);
        char first = op.charAt(0);
        switch (lower) {
            case "on" -> u.enabled = true;
            case "off" -> u.enabled = false;
            case "skip-sanitize-payload" -> u.sanitize = User.Sanitize.SKIP;
            case "sanitize-payload" -> u.sanitize = User.Sanitize.SANITIZE;
            case "nopass" -> {
                u.nopass = true;
                u.passwords.clear();
            }
            case "resetpass" -> {
                u.nopass = false;
                u.passwords.clear();
            }
            case "clearselectors" -> {
                // No selectors are ever added, so there are none to clear.
            }
            case "reset" -> {
                apply(u, "resetpass");
                apply(u, "resetkeys");
                apply(u, "resetchannels");
                if (pubsubDefaultAllChannels) {
                    apply(u, "allchannels");
                }
                apply(u, "off");
                apply(u, "sanitize-payload");
                apply(u, "-@all");
            }
            case "allkeys", "~*" -> {
                u.allKeys = true;
                u.keyPatterns.clear();
            }
            case "resetkeys" -> {
                u.allKeys = false;
                u.keyPatterns.clear();
            }
            case "allchannels", "&*" -> {
                u.allChannels = true;
                u.channelPatterns.clear();
            }
            case "resetchannels" -> {
                u.allChannels = false;
                u.channelPatterns.clear();
            }
            case "allcommands", "+@all" -> u.allCommands = true;
            case "nocommands", "-@all" -> u.allCommands = false;
            default -> {
                return applyWithArgument(u, rule, first);
            }
        }
        return null;
    }

    /** The rules that carry an argument after their first character: passwords and patterns. */
    private String applyWithArgument(User u, byte[] rule, char first) {
        byte[] arg = java.util.Arrays.copyOfRange(rule, 1, rule.length);
        String text = new String(arg, StandardCharsets.ISO_8859_1);
        switch (first) {
            case '>', '#' -> {
                String hash;
                if (first == '>') {
                    hash = hash(arg);
                } else if (isPasswordHash(text)) {
                    hash = text;
                } else {
                    return "The password hash must be exactly 64 characters and contain only lowercase "
                            + "hexadecimal characters";
                }
                if (!u.passwords.contains(hash)) {
                    u.passwords.add(hash);
                }
                u.nopass = false;
                return null;
            }
            case '<', '!' -> {
                String hash;
                if (first == '<') {
                    hash = hash(arg);
                } else if (isPasswordHash(text)) {
                    hash = text;
                } else {
                    return "The password hash must be exactly 64 characters and contain only lowercase "
                            + "hexadecimal characters";
                }
                if (!u.passwords.remove(hash)) {
                    return "The password you are trying to remove from the user does not exist";
                }
                return null;
            }
            case '~' -> {
                if (u.allKeys) {
                    return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
                            + "not have any effect. Try 'resetkeys' to start with an empty list of patterns";
                }
                if (hasSpaces(text)) {
                    return "Syntax error";
                }
                if (!u.keyPatterns.contains(text)) {
                    u.keyPatterns.add(text);
                }
                return null;
            }
            case '%' -> {
                return "%R~ and %W~ key patterns are not supported by this emulator";
            }
            case '&' -> {
                if (u.allChannels) {
                    return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
                            + "does not have any effect. Try 'resetchannels' to start with an empty list of channels";
                }
                if (hasSpaces(text)) {
                    return "Syntax error";
                }
                if (!u.channelPatterns.contains(text)) {
                    u.channelPatterns.add(text);
                }
                return null;
            }
            case '+', '-' -> {
                return "only +@all (allcommands) and -@all (nocommands) command rules are supported by this "
                        + "emulator";
            }
            default -> {
                return "Syntax error";
            }
        }
    }

    /** ACLCheckPasswordHash: 64 lowercase hex characters. */
    private static boolean isPasswordHash(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** ACLStringHasSpaces: spaces or NUL bytes, which would break ACL LIST lines. */
    public static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** ACLHashPassword: the SHA-256 of the password, in lowercase hex. */
    static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    // ---- describing ----

    /** The flags ACL GETUSER lists, in ACLUserFlags order. */
    public static List<String> flags(User u) {
        List<String> out = new ArrayList<>();
        out.add(u.enabled ? "on" : "off");
        if (u.nopass) {
            out.add("nopass");
        }
        if (u.sanitize == User.Sanitize.SKIP) {
            out.add("skip-sanitize-payload");
        } else if (u.sanitize == User.Sanitize.SANITIZE) {
            out.add("sanitize-payload");
        }
        return out;
    }

    /** The password hashes, in the order added. */
    public static List<String> passwords(User u) {
        return List.copyOf(u.passwords);
    }

    /** ACL GETUSER's "commands": "+@all" or "-@all". */
    public static String commands(User u) {
        return u.allCommands ? "+@all" : "-@all";
    }

    /** ACL GETUSER's "keys": "~*", or each pattern as ~pattern, space-separated. */
    public static String keys(User u) {
        if (u.allKeys) {
            return "~*";
        }
        List<String> parts = new ArrayList<>();
        for (String p : u.keyPatterns) {
            parts.add("~" + p);
        }
        return String.join(" ", parts);
    }

    /** ACL GETUSER's "channels": "&*", or each pattern as &amp;pattern, space-separated. */
    public static String channels(User u) {
        if (u.allChannels) {
            return "&*";
        }
        List<String> parts = new ArrayList<>();
        for (String p : u.channelPatterns) {
            parts.add("&" + p);
        }
        return String.join(" ", parts);
    }

    /** ACLDescribeUser: the rules that recreate the user, as ACL LIST shows them after "user name ". */
    public static String describe(User u) {
        StringBuilder sb = new StringBuilder();
        for (String f : flags(u)) {
            sb.append(f).append(' ');
        }
        for (String p : u.passwords) {
            sb.append('#').append(p).append(' ');
        }
        if (u.allKeys) {
            sb.append("~* ");
        } else {
            for (String p : u.keyPatterns) {
                sb.append('~').append(p).append(' ');
            }
        }
        if (u.allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String p : u.channelPatterns) {
                sb.append('&').append(p).append(' ');
            }
        }
        sb.append(commands(u));
        return sb.toString();
    }

    // ---- permissions ----

    /** Why {@code u} may not run a command (ACLCheckAllUserCommandPerm). */
    public enum Denial { COMMAND, KEY, CHANNEL }

    /**
     * A refusal: its reason and, for a key or a channel, the argv position of the first one the user may
     * not use (what ACL LOG and ACL DRYRUN name).
     */
    public record Refusal(Denial denial, int position) {
    }

    /**
     * The commands whose arguments at the positions given are channels the user must be allowed
     * (commands_with_channels, for publishing and subscribing: unsubscribing is always allowed). -1 means
     * every argument from the first on; PSUBSCRIBE's are patterns.
     */
    private static final Map<String, Integer> CHANNEL_COMMANDS = Map.of("subscribe", -1, "ssubscribe", -1,
            "psubscribe", -1, "publish", 1, "spublish", 1);

    private final AclLog log = new AclLog();

    /** The ACL log, where refusals and failed authentications are recorded. */
    public AclLog log() {
        return log;
    }

    /**
     * addACLLogEntry for a command refused to {@code c}: the command's full name, or the key or channel
     * refused, under the client's user, in the transaction's context when one is open.
     */
    public void logRefusal(Client c, CommandSpec spec, byte[][] argv, Refusal refusal) {
        logRefusal(c, spec, argv, refusal, c.multi().isActive() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL);
    }

    /** As {@link #logRefusal(Client, CommandSpec, byte[][], Refusal)}, in {@code context} (a script's "lua"). */
    public void logRefusal(Client c, CommandSpec spec, byte[][] argv, Refusal refusal, AclLog.Context context) {
        AclLog.Reason reason = switch (refusal.denial()) {
            case COMMAND -> AclLog.Reason.COMMAND;
            case KEY -> AclLog.Reason.KEY;
            case CHANNEL -> AclLog.Reason.CHANNEL;
        };
        byte[] object = refusal.denial() == Denial.COMMAND
                ? spec.fullName().getBytes(StandardCharsets.ISO_8859_1) : argv[refusal.position()];
        addLogEntry(c, reason, object, c.user().name(), argv, context);
    }

    /**
     * addACLLogEntry for a failed authentication (ACLAuthenticateUser): the object is the authenticating
     * command's name as the client typed it (AUTH or HELLO), the user the one it tried.
     */
    public void logAuthFailure(Client c, byte[][] argv, String username) {
        addLogEntry(c, AclLog.Reason.AUTH, argv[0], username, argv,
                c.multi().isActive() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL);
    }

    private void addLogEntry(Client c, AclLog.Reason reason, byte[] object, String username, byte[][] argv,
            AclLog.Context context) {
        long argvBytes = 0;
        for (byte[] a : argv) {
            argvBytes += a.length;
        }
        long now = c.node().now();
        long maxLen = (Long) ConfigTable.valueOf(c.node(), "acllog-max-len");
        log.add(reason, context, object, username, ClientLine.describe(c, now, argvBytes), now, maxLen);
    }

    /** As {@link #refusal}, without the position. */
    public static Denial check(User u, CommandSpec spec, byte[][] argv) {
        Refusal refusal = refusal(u, spec, argv);
        return refusal == null ? null : refusal.denial();
    }

    /**
     * Whether {@code u} may run {@code spec} with {@code argv} (ACLSelectorCheckCmd), checked in Redis's
     * order: commands flagged no_auth are always allowed, otherwise the user needs every command; then
     * each key must match one of its key patterns, unless it has every key; then each channel published
     * or subscribed to must match one of its channel patterns, unless it has every channel (a PSUBSCRIBE
     * pattern must equal one). Returns the refusal, or null when allowed.
     */
    public static Refusal refusal(User u, CommandSpec spec, byte[][] argv) {
        if (!u.allCommands && !spec.has(CommandFlag.NO_AUTH)) {
            return new Refusal(Denial.COMMAND, 0);
        }
        int key = deniedKeyPosition(u, spec, argv);
        if (key >= 0) {
            return new Refusal(Denial.KEY, key);
        }
        int channel = deniedChannelPosition(u, spec, argv);
        return channel >= 0 ? new Refusal(Denial.CHANNEL, channel) : null;
    }

    /**
     * The argv position of the first key {@code u} may not touch, or -1 when it may touch them all. The
     * shard channels of SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE sit where keys would (for routing), but
     * their key specs say they are not keys, so ACLs check them as channels only.
     */
    public static int deniedKeyPosition(User u, CommandSpec spec, byte[][] argv) {
        if (!u.allKeys && spec.hasKeys() && !onlyNotKeys(spec)) {
            for (int pos : spec.keyPositions(argv)) {
                if (!keyAllowed(u, argv[pos])) {
                    return pos;
                }
            }
        }
        return -1;
    }

    private static boolean onlyNotKeys(CommandSpec spec) {
        List<KeySpec> specs = KeySpec.of(spec);
        for (KeySpec k : specs) {
            if (!k.flags().contains("not_key")) {
                return false;
            }
        }
        return !specs.isEmpty();
    }

    /** The argv position of the first channel {@code u} may not use, or -1 (ACLCheckChannelAgainstList). */
    private static int deniedChannelPosition(User u, CommandSpec spec, byte[][] argv) {
        Integer count = spec.parent() == null ? CHANNEL_COMMANDS.get(spec.name()) : null;
        if (u.allChannels || count == null) {
            return -1;
        }
        boolean patterns = spec.name().equals("psubscribe");
        int stop = count == -1 ? argv.length : Math.min(argv.length, 1 + count);
        for (int pos = 1; pos < stop; pos++) {
            if (!channelAllowed(u, argv[pos], patterns)) {
                return pos;
            }
        }
        return -1;
    }

    /** A channel matches a pattern of the user; a subscribed pattern must equal one, byte for byte. */
    private static boolean channelAllowed(User u, byte[] channel, boolean isPattern) {
        for (String p : u.channelPatterns) {
            byte[] pattern = p.getBytes(StandardCharsets.ISO_8859_1);
            if (isPattern ? Arrays.equals(pattern, channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean keyAllowed(User u, byte[] key) {
        for (String p : u.keyPatterns) {
            if (Glob.matches(p.getBytes(StandardCharsets.ISO_8859_1), key, false)) {
                return true;
            }
        }
        return false;
    }
}
