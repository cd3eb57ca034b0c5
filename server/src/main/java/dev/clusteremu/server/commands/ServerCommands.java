package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.AclCategory;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.Glob;
import dev.clusteremu.server.info.CommandDocs;
import dev.clusteremu.server.info.CommandInfo;
import dev.clusteremu.server.info.CommandKeys;
import dev.clusteremu.server.info.InfoReport;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * Server commands: DBSIZE, FLUSHALL, FLUSHDB, TIME, LASTSAVE, INFO, COMMAND and CONFIG, as server.c,
 * db.c and config.c answer them. COMMAND describes the very table these rows are added to.
 */
public final class ServerCommands {
    private static final String ADMIN = "admin noscript loading stale";
    private static final String SLOWLOG = "admin loading stale";
    /** Parameters flagged SENSITIVE_CONFIG: their values never show in the slow log. */
    private static final java.util.Set<String> SENSITIVE_CONFIGS = java.util.Set.of("requirepass", "masterauth",
            "masteruser");

    private static final List<String> SLOWLOG_HELP = List.of(
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.");
    private static final String INTROSPECTION = "loading stale sentinel";

    private static final List<String> COMMAND_HELP = List.of(
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.");

    private static final List<String> CONFIG_HELP = List.of(
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.");

    private ServerCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("dbsize", 1, "readonly fast").acl("keyspace")
                .tips("request_policy:all_shards response_policy:agg_sum")
                .handler((c, argv) -> c.reply().integer(c.node().keyspace().size())).build());
        table.add(command("flushall", -1, "write").acl("keyspace dangerous")
                .tips("request_policy:all_shards response_policy:all_succeeded").handler(ServerCommands::flushAll)
                .build());
        table.add(command("flushdb", -1, "write").acl("keyspace dangerous")
                .tips("request_policy:all_shards response_policy:all_succeeded").handler(ServerCommands::flushDb)
                .build());
        table.add(command("time", 1, "loading stale fast").tips("nondeterministic_output")
                .handler(ServerCommands::time).build());
        table.add(command("lastsave", 1, "loading stale fast").acl("admin dangerous").tips("nondeterministic_output")
                .handler((c, argv) -> c.reply().integer(InfoReport.lastSave(c.node()))).build());
        table.add(command("info", -1, INTROSPECTION).acl("dangerous")
                .tips("nondeterministic_output request_policy:all_shards response_policy:special")
                .handler((c, argv) -> c.reply().verbatim(InfoReport.generate(c.node(), table, texts(argv, 1))))
                .build());
        table.add(command("command", -1, INTROSPECTION).acl("connection").tips("nondeterministic_output_order")
                .handler((c, argv) -> allCommandInfo(c, table))
                .sub(command("docs", -2, INTROSPECTION).acl("connection").tips("nondeterministic_output_order")
                        .handler((c, argv) -> docs(c, argv, table)))
                .sub(command("list", -2, INTROSPECTION).acl("connection").tips("nondeterministic_output_order")
                        .handler((c, argv) -> list(c, argv, table)))
                .sub(command("getkeys", -4, INTROSPECTION).acl("connection")
                        .handler((c, argv) -> getKeys(c, argv, table, false)))
                .sub(command("getkeysandflags", -4, INTROSPECTION).acl("connection")
                        .handler((c, argv) -> getKeys(c, argv, table, true)))
                .sub(command("help", 2, INTROSPECTION).acl("connection")
                        .handler((c, argv) -> Replies.help(c, argv, COMMAND_HELP)))
                .sub(command("count", 2, INTROSPECTION).acl("connection")
                        .handler((c, argv) -> c.reply().integer(table.size())))
                .sub(command("info", -2, INTROSPECTION).acl("connection").tips("nondeterministic_output_order")
                        .handler((c, argv) -> commandInfo(c, argv, table)))
                .build());
        table.add(command("monitor", 1, "admin noscript loading stale").handler(ServerCommands::monitor).build());
        table.add(command("slowlog", -2, "")
                .sub(command("get", -2, SLOWLOG).tips("request_policy:all_nodes nondeterministic_output")
                        .handler(ServerCommands::slowlogGet))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, SLOWLOG_HELP)))
                .sub(command("len", 2, SLOWLOG)
                        .tips("request_policy:all_nodes response_policy:agg_sum nondeterministic_output")
                        .handler((c, argv) -> c.reply().integer(c.node().slowLog().size())))
                .sub(command("reset", 2, SLOWLOG).tips("request_policy:all_nodes response_policy:all_succeeded")
                        .handler((c, argv) -> {
                            c.node().slowLog().reset();
                            c.reply().ok();
                        }))
                .build());
        table.add(command("config", -2, "")
                .sub(command("get", -3, ADMIN).handler(ServerCommands::configGet))
                .sub(command("resetstat", 2, ADMIN).handler(ServerCommands::configResetStat))
                .sub(command("set", -4, ADMIN).tips("request_policy:all_nodes response_policy:all_succeeded")
                        .handler(ServerCommands::configSet))
                .sub(command("help", 2, "loading stale").handler((c, argv) -> Replies.help(c, argv, CONFIG_HELP)))
                .sub(command("rewrite", 2, ADMIN).handler((c, argv) -> {
                    // Nodes are configured by their launcher, never from a redis.conf.
                    throw new CommandError("ERR The server is running without a config file");
                }))
                .build());
    }

    // ---- keyspace and time ----

    /**
     * FLUSHALL [ASYNC|SYNC]: empties the keyspace. With save points configured Redis also writes a fresh
     * (empty) dump file right away (flushAllDataAndResetRDB), which moves LASTSAVE.
     */
    private static void flushAll(Client c, byte[][] argv) {
        checkFlushMode(argv);
        RedisNode node = c.node();
        node.stats().changes(node.keyspace().size());
        node.keyspace().clear();
        if (!node.config().save.isEmpty()) {
            node.rdb().save();
        }
        // Replicas flush too, even when we had nothing to flush: theirs may not be empty.
        c.forceCommandPropagation();
        c.reply().ok();
    }

    /** FLUSHDB [ASYNC|SYNC]: empties database 0, the only one in cluster mode. */
    private static void flushDb(Client c, byte[][] argv) {
        checkFlushMode(argv);
        c.node().stats().changes(c.node().keyspace().size());
        c.node().keyspace().clear();
        c.forceCommandPropagation();
        c.reply().ok();
    }

    /** getFlushCommandFlags: nothing, or exactly one of ASYNC / SYNC (freeing is immediate either way). */
    private static void checkFlushMode(byte[][] argv) {
        if (argv.length > 2 || argv.length == 2 && !Args.is(argv[1], "sync") && !Args.is(argv[1], "async")) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
    }

    /** TIME: [unix seconds, microseconds] as bulk strings. */
    private static void time(Client c, byte[][] argv) {
        long micros = c.node().now() * 1000;
        c.reply().array(2).bulk(micros / 1_000_000).bulk(micros % 1_000_000);
    }

    /**
     * MONITOR: the connection receives every command the node runs from now on, admin ones aside. Refused
     * inside a transaction (a client that expects one reply per command); a second MONITOR is ignored.
     */
    private static void monitor(Client c, byte[][] argv) {
        if (c.isDenyBlocking()) {
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (c.isReplica() || c.isMonitor()) {
            return;
        }
        c.node().monitors().add(c);
        c.reply().ok();
    }

    /** SLOWLOG GET [count]: the newest count entries (10 by default, -1 for all). */
    private static void slowlogGet(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw Replies.subcommandSyntaxError(argv);
        }
        long count = 10;
        if (argv.length == 3) {
            String error = "ERR count should be greater than or equal to -1";
            if (!RedisNumbers.isLong(argv[2])) {
                throw new CommandError(error);
            }
            count = RedisNumbers.parseLong(argv[2]);
            if (count < -1) {
                throw new CommandError(error);
            }
            if (count == -1) {
                count = Long.MAX_VALUE;
            }
        }
        c.node().slowLog().write(c.reply(), count);
    }

    // ---- COMMAND ----

    private static void allCommandInfo(Client c, CommandTable table) {
        RespWriter r = c.reply();
        r.array(table.size());
        for (CommandSpec spec : table.all()) {
            CommandInfo.write(r, spec);
        }
    }

    /** COMMAND INFO [name ...]: every command without names; else one entry per name, null if unknown. */
    private static void commandInfo(Client c, byte[][] argv, CommandTable table) {
        if (argv.length == 2) {
            allCommandInfo(c, table);
            return;
        }
        RespWriter r = c.reply();
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandInfo.write(r, byFullName(table, Args.text(argv[i])));
        }
    }

    /**
     * COMMAND DOCS [name ...]: a map from full name to documentation, for every command without names (in
     * the table's order: Redis's is its hash table's, random per process), else for each name in the order
     * asked, unknown names left out, a name asked twice answered twice.
     */
    private static void docs(Client c, byte[][] argv, CommandTable table) {
        List<CommandSpec> found = new ArrayList<>();
        if (argv.length == 2) {
            found.addAll(table.all());
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = byFullName(table, Args.text(argv[i]));
                if (spec != null) {
                    found.add(spec);
                }
            }
        }
        RespWriter r = c.reply();
        r.map(found.size());
        for (CommandSpec spec : found) {
            r.bulk(spec.fullName());
            CommandDocs.write(r, spec);
        }
    }

    /**
     * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: full names of commands and
     * subcommands. There are no modules, so a module filter matches nothing; an unknown category too.
     */
    private static void list(Client c, byte[][] argv, CommandTable table) {
        String filter = null;
        String arg = null;
        for (int i = 2; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            if (Args.is(argv[i], "filterby") && more == 2) {
                filter = Args.lower(argv[i + 1]);
                if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                arg = Args.text(argv[i + 2]);
                i += 2;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            listed(spec, filter, arg, names);
            for (CommandSpec sub : spec.subcommands().values()) {
                listed(sub, filter, arg, names);
            }
        }
        RespWriter r = c.reply();
        r.array(names.size());
        for (String name : names) {
            r.bulk(name);
        }
    }

    private static void listed(CommandSpec spec, String filter, String arg, List<String> names) {
        boolean keep;
        if (filter == null) {
            keep = true;
        } else if (filter.equals("module")) {
            keep = false;
        } else if (filter.equals("aclcat")) {
            AclCategory category = aclCategory(arg);
            keep = category != null && spec.aclCategories().contains(category);
        } else {
            keep = Glob.matches(arg, spec.fullName(), true);
        }
        if (keep) {
            names.add(spec.fullName());
        }
    }

    /** ACLGetCommandCategoryFlagByName: a category name without '@', case-insensitive. */
    private static AclCategory aclCategory(String name) {
        for (AclCategory c : AclCategory.values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * COMMAND GETKEYS / GETKEYSANDFLAGS command arg... (getKeysSubcommandImpl): the keys the command line
     * names, from the command's key specs or its key function ({@link CommandKeys}), after the checks Redis
     * makes: a known command, one that takes keys, a fitting argument count, and keys found unless the
     * command may have none.
     */
    private static void getKeys(Client c, byte[][] argv, CommandTable table, boolean withFlags) {
        byte[][] cmd = Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = table.lookup(cmd);
        if (spec == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        if (!CommandKeys.hasKeys(spec)) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!spec.arityAccepts(cmd.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        List<CommandKeys.KeyReference> keys = CommandKeys.find(spec, cmd);
        if (keys.isEmpty() && !spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        RespWriter r = c.reply();
        r.array(keys.size());
        for (CommandKeys.KeyReference key : keys) {
            if (withFlags) {
                r.array(2);
                r.bulk(cmd[key.pos()]);
                CommandInfo.keyFlags(r, key.flags());
            } else {
                r.bulk(cmd[key.pos()]);
            }
        }
    }

    /** lookupCommandBySds: "name" or "container|sub", case-insensitive; null if unknown. */
    /** lookupCommandBySds: "name" or "container|sub", case-insensitive; null when unknown. */
    static CommandSpec byFullName(CommandTable table, String fullName) {
        String[] parts = fullName.toLowerCase(Locale.ROOT).split("\\|", -1);
        CommandSpec base = table.get(parts[0]);
        if (parts.length == 1 || base == null) {
            return parts.length == 1 ? base : null;
        }
        if (parts.length > 2) {
            return null;
        }
        return base.subcommands().get(parts[1]);
    }

    // ---- CONFIG ----

    /** CONFIG GET pattern [pattern ...]: a map of name to value (RESP2: a flat array). */
    private static void configGet(Client c, byte[][] argv) {
        Map<String, String> found = ConfigTable.standard().get(c.node(), texts(argv, 2));
        RespWriter r = c.reply();
        r.map(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(e.getValue());
        }
    }

    /**
     * CONFIG SET name value [name value ...]: the values of passwords (requirepass, masterauth, masteruser)
     * are redacted from the slow log first, whatever happens next.
     */
    private static void configSet(Client c, byte[][] argv) {
        for (int j = 2; j + 1 < argv.length; j += 2) {
            if (SENSITIVE_CONFIGS.contains(Args.lower(argv[j]))) {
                c.redactArgument(j + 1);
            }
        }
        ConfigTable.standard().set(c.node(), texts(argv, 2));
        c.reply().ok();
    }

    /** CONFIG RESETSTAT: clears INFO's counters, command and error statistics. */
    private static void configResetStat(Client c, byte[][] argv) {
        c.node().stats().reset(c.node().clients().totalConnectionsReceived());
        c.node().keyspace().resetStats();
        c.node().aof().resetStats();
        c.node().rdb().resetStats();
        c.reply().ok();
    }

    private static List<String> texts(byte[][] argv, int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < argv.length; i++) {
            out.add(Args.text(argv[i]));
        }
        return out;
    }
}
