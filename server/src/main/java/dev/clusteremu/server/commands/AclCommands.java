package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.AclLog;
import dev.clusteremu.server.acl.AclUsers;
import dev.clusteremu.server.acl.User;
import dev.clusteremu.server.command.AclCategory;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * Authentication and users (acl.c): AUTH and ACL CAT, DELUSER, DRYRUN, GENPASS, GETUSER, LIST, LOAD, LOG,
 * SAVE, SETUSER, USERS, WHOAMI. Users live in memory (there is no ACL file), as on a redis-server started
 * without aclfile. See {@link AclUsers} for the rules.
 */
public final class AclCommands {
    private static final String ADMIN = "admin noscript loading stale";
    private static final String NOT_ADMIN = "noscript loading stale";
    /** ACL GENPASS: 256 bits unless asked otherwise, at most 4096. */
    private static final int DEFAULT_GENPASS_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final List<String> ACL_HELP = List.of(
            "CAT [<category>]",
            "    List all commands that belong to <category>, or all command categories",
            "    when no category is specified.",
            "DELUSER <username> [<username> ...]",
            "    Delete a list of users.",
            "DRYRUN <username> <command> [<arg> ...]",
            "    Returns whether the user can execute the given command without executing the command.",
            "GETUSER <username>",
            "    Get the user's details.",
            "GENPASS [<bits>]",
            "    Generate a secure 256-bit user password. The optional `bits` argument can",
            "    be used to specify a different size.",
            "LIST",
            "    Show users details in config file format.",
            "LOAD",
            "    Reload users from the ACL file.",
            "LOG [<count> | RESET]",
            "    Show the ACL log entries.",
            "SAVE",
            "    Save the current config to the ACL file.",
            "SETUSER <username> <attribute> [<attribute> ...]",
            "    Create or modify a user with the specified attributes.",
            "USERS",
            "    List all the registered usernames.",
            "WHOAMI",
            "    Return the current connection username.");

    private static final String NO_ACL_FILE = "ERR This Redis instance is not configured to use an ACL file. You may "
            + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
            + "Redis configuration file set) in order to store users in the Redis configuration.";

    private AclCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("auth", -2, "noscript loading stale fast no_auth allow_busy").acl("connection")
                .handler(AclCommands::auth).build());
        table.add(command("acl", -2, "")
                .sub(command("cat", -2, NOT_ADMIN).handler((c, argv) -> cat(c, argv, table)))
                .sub(command("deluser", -3, ADMIN).handler(AclCommands::delUser))
                .sub(command("dryrun", -4, ADMIN).handler((c, argv) -> dryRun(c, argv, table)))
                .sub(command("genpass", -2, NOT_ADMIN).handler(AclCommands::genPass))
                .sub(command("getuser", 3, ADMIN).handler(AclCommands::getUser))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, ACL_HELP)))
                .sub(command("list", 2, ADMIN).handler(AclCommands::list))
                .sub(command("log", -2, ADMIN).handler(AclCommands::log))
                .sub(command("load", 2, ADMIN).handler((c, argv) -> {
                    throw new CommandError(NO_ACL_FILE);
                }))
                .sub(command("save", 2, ADMIN).handler((c, argv) -> {
                    throw new CommandError(NO_ACL_FILE);
                }))
                .sub(command("setuser", -3, ADMIN).handler(AclCommands::setUser))
                .sub(command("users", 2, ADMIN).handler(AclCommands::users))
                .sub(command("whoami", 2, NOT_ADMIN).handler(AclCommands::whoAmI))
                .build());
    }

    /**
     * AUTH [username] password (authCommand): the one-argument form authenticates the default user and is an
     * error while that user needs no password; arguments are redacted from MONITOR and SLOWLOG.
     */
    private static void auth(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        c.redactArgument(1);
        RedisNode node = c.node();
        String username;
        byte[] password;
        if (argv.length == 2) {
            if (node.acl().defaultUser().isNopass()) {
                throw new CommandError("ERR AUTH <password> called without any password configured for the default "
                        + "user. Are you sure your configuration is correct?");
            }
            username = "default";
            password = argv[1];
        } else {
            c.redactArgument(2);
            username = Args.text(argv[1]);
            password = argv[2];
        }
        if (!authenticate(c, argv, username, password)) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.reply().ok();
    }

    /**
     * ACLAuthenticateUser, for the command {@code argv} (AUTH or HELLO): on success the client is
     * authenticated as that user; a failure goes to the ACL log.
     */
    static boolean authenticate(Client c, byte[][] argv, String username, byte[] password) {
        User user = c.node().acl().authenticate(username, password);
        if (user == null) {
            c.node().acl().logAuthFailure(c, argv, username);
            return false;
        }
        c.setUser(user, true);
        return true;
    }

    /**
     * ACL SETUSER name rule...: every argument is redacted first; the user name may not hold spaces; the
     * rules apply all or none.
     */
    private static void setUser(Client c, byte[][] argv) {
        for (int j = 2; j < argv.length; j++) {
            c.redactArgument(j);
        }
        String name = Args.text(argv[2]);
        if (AclUsers.hasSpaces(name)) {
            throw new CommandError("ERR Usernames can't contain spaces or null characters");
        }
        List<byte[]> rules = new ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            rules.add(argv[j]);
        }
        String error = c.node().acl().setUser(name, rules);
        if (error != null) {
            // The error quotes the rule as given, byte for byte (addReplyErrorSdsSafe).
            c.reply().error(latin1("ERR " + error));
            return;
        }
        c.reply().ok();
        killPubsubClientsIfNeeded(c, c.node().acl().get(name));
    }

    /**
     * ACLKillPubsubClientsIfNeeded: the clients of {@code u} subscribed to a channel, pattern or shard
     * channel its rules no longer allow are disconnected (the caller itself after its reply).
     */
    private static void killPubsubClientsIfNeeded(Client c, User u) {
        for (Client other : new ArrayList<>(c.node().clients().all())) {
            if (other.user() == u && other.subscriptions().isSubscribed()
                    && !other.subscriptions().allAllowed((channel, isPattern) ->
                            AclUsers.channelAllowed(u, channel, isPattern))) {
                other.closeFrom(c);
            }
        }
    }

    /**
     * ACL DELUSER name...: the number deleted; the default user can't be. Clients authenticated as a
     * deleted user are disconnected (ACLFreeUserAndKillClients), the caller after its reply.
     */
    private static void delUser(Client c, byte[][] argv) {
        for (int j = 2; j < argv.length; j++) {
            if (Args.text(argv[j]).equals("default")) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
        }
        RedisNode node = c.node();
        int deleted = 0;
        for (int j = 2; j < argv.length; j++) {
            User u = node.acl().delete(Args.text(argv[j]));
            if (u == null) {
                continue;
            }
            deleted++;
            for (Client other : new ArrayList<>(node.clients().all())) {
                if (other.user() == u) {
                    other.setUser(node.acl().defaultUser(), false);
                    other.closeFrom(c);
                }
            }
        }
        c.reply().integer(deleted);
    }

    /**
     * ACL GETUSER name: a map of flags (a set), passwords, the root selector's commands, keys and channels,
     * and selectors: the other selectors, each a map of commands, keys and channels. Null if unknown.
     */
    private static void getUser(Client c, byte[][] argv) {
        User u = c.node().acl().get(Args.text(argv[2]));
        RespWriter r = c.reply();
        if (u == null) {
            r.nullBulk();
            return;
        }
        r.map(6);
        r.bulk("flags");
        List<String> flags = AclUsers.flags(u);
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("passwords");
        List<String> passwords = AclUsers.passwords(u);
        r.array(passwords.size());
        for (String p : passwords) {
            r.bulk(p);
        }
        List<AclUsers.SelectorDescription> selectors = AclUsers.selectors(u);
        selector(r, selectors.get(0));
        r.bulk("selectors");
        r.array(selectors.size() - 1);
        for (AclUsers.SelectorDescription s : selectors.subList(1, selectors.size())) {
            r.map(3);
            selector(r, s);
        }
    }

    /** aclAddReplySelectorDescription: the commands, keys and channels fields of one selector. */
    private static void selector(RespWriter r, AclUsers.SelectorDescription s) {
        r.bulk("commands");
        r.bulk(latin1(s.commands()));
        r.bulk("keys");
        r.bulk(latin1(s.keys()));
        r.bulk("channels");
        r.bulk(latin1(s.channels()));
    }

    /** ACL LIST: "user name rules..." for every user, by name. */
    private static void list(Client c, byte[][] argv) {
        RespWriter r = c.reply();
        r.array(c.node().acl().all().size());
        for (User u : c.node().acl().all()) {
            r.bulk(latin1("user " + u.name() + " " + AclUsers.describe(u)));
        }
    }

    /** Names, patterns and rules are kept one char per byte: back to the bytes the client sent. */
    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * ACL LOG [count | RESET]: the newest {@code count} entries (10 by default; a negative count shows none),
     * each a map of count, reason, context, object, username, age-seconds and client-info; RESET empties
     * the log.
     */
    private static void log(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        AclLog log = c.node().acl().log();
        long count = 10;
        if (argv.length == 3) {
            if (Args.is(argv[2], "reset")) {
                log.reset();
                c.reply().ok();
                return;
            }
            count = Math.max(0, Args.integer(argv[2]));
        }
        List<AclLog.Entry> entries = log.newest(count);
        long now = c.node().now();
        RespWriter r = c.reply();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(7);
            r.bulk("count");
            r.integer(e.count());
            r.bulk("reason");
            r.bulk(e.reason().wireName());
            r.bulk("context");
            r.bulk(e.context().wireName());
            r.bulk("object");
            r.bulk(e.object());
            r.bulk("username");
            r.bulk(e.username());
            r.bulk("age-seconds");
            r.doubleValue((double) (now - e.createdMs()) / 1000);
            r.bulk("client-info");
            r.bulk(e.clientInfo());
        }
    }

    /** ACL USERS: the user names, sorted. */
    private static void users(Client c, byte[][] argv) {
        RespWriter r = c.reply();
        r.array(c.node().acl().all().size());
        for (User u : c.node().acl().all()) {
            r.bulk(u.name());
        }
    }

    /** ACL WHOAMI: the connection's user (null for our master's link, which has none). */
    private static void whoAmI(Client c, byte[][] argv) {
        if (c.user() == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(c.user().name());
        }
    }

    /**
     * ACL CAT [category]: the category names in Redis's order, or the full names of the commands (and
     * subcommands) in one category.
     */
    private static void cat(Client c, byte[][] argv, CommandTable table) {
        RespWriter r = c.reply();
        if (argv.length == 2) {
            r.array(AclCategory.values().length);
            for (AclCategory category : AclCategory.values()) {
                r.bulk(category.name().toLowerCase(java.util.Locale.ROOT));
            }
            return;
        }
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        AclCategory category = category(Args.text(argv[2]));
        if (category == null) {
            byte[] name = argv[2];
            throw new CommandError("ERR Unknown category '" + Args.text(name.length > 128
                    ? java.util.Arrays.copyOf(name, 128) : name) + "'");
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            if (spec.aclCategories().contains(category)) {
                names.add(spec.fullName());
            }
            for (CommandSpec sub : spec.subcommands().values()) {
                if (sub.aclCategories().contains(category)) {
                    names.add(sub.fullName());
                }
            }
        }
        r.array(names.size());
        for (String name : names) {
            r.bulk(name);
        }
    }

    private static AclCategory category(String name) {
        for (AclCategory category : AclCategory.values()) {
            if (category.name().equalsIgnoreCase(name)) {
                return category;
            }
        }
        return null;
    }

    /** ACL GENPASS [bits]: that many random bits (rounded up to a hex digit), as lowercase hex. */
    private static void genPass(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        long bits = DEFAULT_GENPASS_BITS;
        if (argv.length == 3) {
            bits = Args.integer(argv[2]);
            if (bits <= 0 || bits > 4096) {
                throw new CommandError("ERR ACL GENPASS argument must be the number of bits for the output "
                        + "password, a positive number up to 4096");
            }
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        c.reply().bulk(HexFormat.of().formatHex(random).substring(0, chars));
    }

    /** ACL DRYRUN user command arg...: OK if the user could run it, else why not. */
    private static void dryRun(Client c, byte[][] argv, CommandTable table) {
        User u = c.node().acl().get(Args.text(argv[2]));
        if (u == null) {
            throw new CommandError("ERR User '" + Args.text(argv[2]) + "' not found");
        }
        byte[][] cmd = java.util.Arrays.copyOfRange(argv, 3, argv.length);
        CommandSpec spec = table.lookup(cmd);
        if (spec == null) {
            throw new CommandError("ERR Command '" + Args.text(argv[3]) + "' not found");
        }
        if (!spec.arityAccepts(cmd.length)) {
            throw new CommandError("ERR wrong number of arguments for '" + spec.fullName() + "' command");
        }
        AclUsers.Refusal refusal = AclUsers.refusal(u, spec, cmd);
        if (refusal == null) {
            c.reply().ok();
        } else if (refusal.denial() == AclUsers.Denial.COMMAND) {
            c.reply().bulk("This user has no permissions to run the '" + spec.fullName() + "' command");
        } else {
            c.reply().bulk("This user has no permissions to access the '" + Args.text(cmd[refusal.position()]) + "' "
                    + (refusal.denial() == AclUsers.Denial.KEY ? "key" : "channel"));
        }
    }
}
