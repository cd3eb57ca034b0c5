package dev.clusteremu.server.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.info.ClientLine;
import dev.clusteremu.server.info.CommandKeys;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.InlineArgs;

/**
 * A node's ACL users (acl.c's Users rax and DefaultUser): creating and changing them with ACL SETUSER
 * rules, checking credentials, describing them as ACL LIST and ACL GETUSER do, and checking a command
 * against a user's selectors (ACLCheckAllUserCommandPerm).
 *
 * <p>User rules: on, off, nopass, resetpass, &gt;password, &lt;password, #hash, !hash, sanitize-payload,
 * skip-sanitize-payload, "(selector rules)", clearselectors and reset; every other rule goes to the root
 * selector (see {@link Selector}). Errors are Redis's, word for word. Owned by the node's loop.
 */
public final class AclUsers {
    private static final String DEFAULT = "default";

    private final AclCommandTable commands;
    /** Users by name, in the byte order ACL LIST and ACL USERS list them (a rax). */
    private final TreeMap<String, User> users = new TreeMap<>();
    private final User defaultUser;
    /** acl-pubsub-default: whether a new selector (and "reset") gets allchannels. */
    private boolean pubsubDefaultAllChannels;

    /**
     * The users of a node whose commands are {@code table}: what "+cmd" and "+@category" rules name
     * (server.orig_commands). Only "default" exists, with every command, key and channel and no password
     * (ACLCreateDefaultUser).
     */
    public AclUsers(CommandTable table) {
        this.commands = new AclCommandTable(table);
        defaultUser = newUser(DEFAULT);
        for (String rule : List.of("+@all", "~*", "&*", "on", "nopass")) {
            apply(defaultUser, rule);
        }
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

    /** acl-pubsub-default changed: whether new selectors get every channel. */
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
     * ACL SETUSER name rule... (ACLStringSetUser): selector rules spread over several arguments are joined
     * first; then the rules are applied to a copy of the user (a new user if there is none), which
     * replaces the user only if every rule was valid. Returns the error text (after "ERR "), or null.
     */
    public String setUser(String name, List<byte[]> rules) {
        List<String> ops = new ArrayList<>();
        for (byte[] rule : rules) {
            ops.add(new String(rule, StandardCharsets.ISO_8859_1));
        }
        List<String> merged = new ArrayList<>();
        int unmatched = mergeSelectorArguments(ops, merged);
        if (unmatched >= 0) {
            return "Unmatched parenthesis in acl selector starting at '" + untilNul(ops.get(unmatched)) + "'.";
        }
        User existing = users.get(name);
        User staged = existing != null ? existing.copy(name) : newUser(name);
        for (String op : merged) {
            RuleError error = apply(staged, op);
            if (error != null) {
                return "Error in ACL SETUSER modifier '" + untilNul(op) + "': " + error.message();
            }
        }
        if (existing != null) {
            existing.assign(staged);
        } else {
            users.put(name, staged);
        }
        return null;
    }

    /**
     * ACLMergeSelectorArguments: a selector may be typed over several arguments ("(~k*" "+get)"); they are
     * joined with single spaces into {@code merged}, other rules copied as they are. An argument that opens
     * a parenthesis starts the selector afresh even inside an open one, as in Redis. Returns the index of
     * the argument whose parenthesis never closes, or -1.
     */
    private static int mergeSelectorArguments(List<String> ops, List<String> merged) {
        int openedAt = -1;
        StringBuilder selector = null;
        for (int j = 0; j < ops.size(); j++) {
            String op = ops.get(j);
            if (op.startsWith("(") && !op.endsWith(")")) {
                selector = new StringBuilder(op);
                openedAt = j;
            } else if (openedAt != -1) {
                selector.append(' ').append(untilNul(op));
                if (op.endsWith(")")) {
                    openedAt = -1;
                    merged.add(selector.toString());
                }
            } else {
                merged.add(op);
            }
        }
        return openedAt;
    }

    /** What C's %s prints of a string: up to its first NUL. */
    private static String untilNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    /**
     * ACLUserCheckChannelPerm: whether some selector of {@code u} allows {@code channel}; a pattern a client
     * subscribed with PSUBSCRIBE ({@code isPattern}) must equal one of a selector's channel rules.
     */
    public static boolean channelAllowed(User u, byte[] channel, boolean isPattern) {
        for (Selector s : u.selectors) {
            if (s.allowsChannel(channel, isPattern)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the user; returns it, or null if there was none. The default user can't be deleted. */
    public User delete(String name) {
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException("the default user can't be removed");
        }
        return users.remove(name);
    }

    /** A user just created (ACLCreateUser): off, no password, a root selector allowing nothing. */
    private User newUser(String name) {
        return new User(name, newSelector());
    }

    /** ACLCreateSelector: no command, no key, and every channel or none as acl-pubsub-default says. */
    private Selector newSelector() {
        return new Selector(commands, pubsubDefaultAllChannels);
    }

    /**
     * ACLSetUser for one rule: the user's own rules, a "(...)" selector, or a rule for the root selector.
     * Returns why it was refused, or null; an empty rule does nothing.
     */
    private RuleError apply(User u, String op) {
        if (op.isEmpty()) {
            return null;
        }
        char first = op.charAt(0);
        if (Selector.is(op, "on")) {
            u.enabled = true;
        } else if (Selector.is(op, "off")) {
            u.enabled = false;
        } else if (Selector.is(op, "skip-sanitize-payload")) {
            u.sanitize = User.Sanitize.SKIP;
        } else if (Selector.is(op, "sanitize-payload")) {
            u.sanitize = User.Sanitize.SANITIZE;
        } else if (Selector.is(op, "nopass")) {
            u.nopass = true;
            u.passwords.clear();
        } else if (Selector.is(op, "resetpass")) {
            u.nopass = false;
            u.passwords.clear();
        } else if (first == '>' || first == '#') {
            return addPassword(u, op);
        } else if (first == '<' || first == '!') {
            return removePassword(u, op);
        } else if (first == '(' && op.endsWith(")")) {
            return addSelector(u, op);
        } else if (Selector.is(op, "clearselectors")) {
            u.selectors.subList(1, u.selectors.size()).clear();
        } else if (Selector.is(op, "reset")) {
            for (String rule : List.of("resetpass", "resetkeys", "resetchannels")) {
                apply(u, rule);
            }
            if (pubsubDefaultAllChannels) {
                apply(u, "allchannels");
            }
            for (String rule : List.of("off", "sanitize-payload", "clearselectors", "-@all")) {
                apply(u, rule);
            }
        } else {
            return u.root().apply(op);
        }
        return null;
    }

    /** &gt;password adds the password's hash, #hash a hash as given; either clears nopass. */
    private static RuleError addPassword(User u, String op) {
        String hash = passwordHash(op);
        if (hash == null) {
            return RuleError.BAD_HASH;
        }
        if (!u.passwords.contains(hash)) {
            u.passwords.add(hash);
        }
        u.nopass = false;
        return null;
    }

    /** &lt;password and !hash remove a password the user has. */
    private static RuleError removePassword(User u, String op) {
        String hash = passwordHash(op);
        if (hash == null) {
            return RuleError.BAD_HASH;
        }
        return u.passwords.remove(hash) ? null : RuleError.NO_SUCH_PASSWORD;
    }

    /** The hash a password rule names: hashed for &gt; and &lt;, checked for # and !; null if malformed. */
    private static String passwordHash(String op) {
        String arg = op.substring(1);
        if (op.charAt(0) == '>' || op.charAt(0) == '<') {
            return hash(arg.getBytes(StandardCharsets.ISO_8859_1));
        }
        return isPasswordHash(arg) ? arg : null;
    }

    /**
     * aclCreateSelectorFromOpSet: the rules between the parentheses, split as sdssplitargs splits them
     * (quotes allowed), make a new selector. Unbalanced quotes leave no rule at all: an empty selector is
     * added, as Redis does.
     */
    private RuleError addSelector(User u, String op) {
        Selector selector = newSelector();
        byte[] inner = untilNul(op.substring(1, op.length() - 1)).getBytes(StandardCharsets.ISO_8859_1);
        byte[][] rules = InlineArgs.split(inner, 0, inner.length);
        if (rules != null) {
            for (byte[] rule : rules) {
                RuleError error = selector.apply(new String(rule, StandardCharsets.ISO_8859_1));
                if (error != null) {
                    return error;
                }
            }
        }
        u.selectors.add(selector);
        return null;
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

    /**
     * ACLStringHasSpaces: C's isspace (space, \t, \n, \v, \f, \r) or a NUL byte, which would break ACL
     * LIST lines.
     */
    public static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0) {
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

    /** The flags ACL GETUSER lists and ACL LIST starts with, in ACLUserFlags order. */
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

    /** What ACL GETUSER shows of one selector (aclAddReplySelectorDescription). */
    public record SelectorDescription(String commands, String keys, String channels) {
    }

    /** ACL GETUSER's selectors: the root selector first, then the others. */
    public static List<SelectorDescription> selectors(User u) {
        List<SelectorDescription> out = new ArrayList<>();
        for (Selector s : u.selectors) {
            out.add(new SelectorDescription(CommandRules.describe(s), s.describeKeys(), s.describeChannels()));
        }
        return out;
    }

    /**
     * ACLDescribeUser: the rules that recreate the user, as ACL LIST shows them after "user name ": flags,
     * #hashes, the root selector, then each other selector in parentheses.
     */
    public static String describe(User u) {
        StringBuilder sb = new StringBuilder();
        for (String f : flags(u)) {
            sb.append(f).append(' ');
        }
        for (String p : u.passwords) {
            sb.append('#').append(p).append(' ');
        }
        sb.append(u.root().describe());
        for (Selector s : u.selectors.subList(1, u.selectors.size())) {
            sb.append(" (").append(s.describe()).append(')');
        }
        return sb.toString();
    }

    // ---- permissions ----

    /** Why a user may not run a command (ACL_DENIED_*), in Redis's order of precedence: later is stronger. */
    public enum Denial { COMMAND, KEY, CHANNEL }

    /**
     * A refusal: its reason and, for a key or a channel, the argv position of the one refused (what ACL
     * LOG and ACL DRYRUN name).
     */
    public record Refusal(Denial denial, int position) {
    }

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
     * Whether {@code u} may run {@code spec} with {@code argv} (ACLCheckAllUserCommandPerm): allowed as soon
     * as one selector allows it (the root first, then the others in order). When none does, the refusal
     * reported is the strongest (a channel over a key over the command), and among equals the one at the
     * latest argument. The keys are found once (CommandKeys.find, with their key-spec flags) for all the
     * selectors. Returns the refusal, or null when allowed.
     */
    public static Refusal refusal(User u, CommandSpec spec, byte[][] argv) {
        if (u.root().isUnrestricted()) {
            // The default user's case, on every command: nothing to look up.
            return null;
        }
        Supplier<List<CommandKeys.KeyReference>> keys = new Supplier<>() {
            private List<CommandKeys.KeyReference> found;

            @Override
            public List<CommandKeys.KeyReference> get() {
                if (found == null) {
                    found = CommandKeys.find(spec, argv);
                }
                return found;
            }
        };
        Refusal relevant = new Refusal(Denial.COMMAND, 0);
        for (Selector s : u.selectors) {
            Refusal r = s.check(spec, argv, keys);
            if (r == null) {
                return null;
            }
            if (r.denial().compareTo(relevant.denial()) > 0
                    || r.denial() == relevant.denial() && r.position() > relevant.position()) {
                relevant = r;
            }
        }
        return relevant;
    }
}
