package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.User;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.info.ClientLine;
import dev.clusteremu.server.info.InfoReport;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.net.ClientPause;
import dev.clusteremu.server.net.Tracking;
import dev.clusteremu.server.net.TrackingTable;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * Connection commands (PING, ECHO, QUIT, HELLO, SELECT, RESET) and CLIENT, as networking.c, server.c and
 * tracking.c answer them in cluster mode.
 */
public final class ConnectionCommands {
    private static final String CLIENT_FLAGS = "noscript loading stale sentinel";
    private static final String CLIENT_ADMIN = "admin noscript loading stale sentinel";

    private static final List<String> CLIENT_HELP = List.of(
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.");

    private ConnectionCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("ping", -1, "fast sentinel").acl("connection")
                .tips("request_policy:all_shards response_policy:all_succeeded").handler(ConnectionCommands::ping)
                .build());
        table.add(command("echo", 2, "loading stale fast").acl("connection")
                .handler((c, argv) -> c.reply().bulk(argv[1])).build());
        table.add(command("quit", -1, "allow_busy noscript loading stale fast no_auth").acl("connection")
                .handler((c, argv) -> {
                    c.reply().ok();
                    c.closeAfterReply();
                }).build());
        table.add(command("reset", 1, "noscript loading stale fast no_auth allow_busy").acl("connection")
                .handler(ConnectionCommands::reset).build());
        table.add(command("hello", -1, "noscript loading stale fast no_auth sentinel allow_busy").acl("connection")
                .handler(ConnectionCommands::hello).build());
        table.add(command("select", 2, "loading stale fast").acl("connection")
                .handler(ConnectionCommands::select).build());
        table.add(command("client", -2, "sentinel")
                .sub(command("setname", 3, CLIENT_FLAGS).acl("connection").handler(ConnectionCommands::setName))
                .sub(command("getredir", 2, CLIENT_FLAGS).acl("connection")
                        .handler((c, argv) -> c.reply().integer(c.tracking() != null ? c.tracking().redirect() : -1)))
                .sub(command("reply", 3, CLIENT_FLAGS).acl("connection").handler(ConnectionCommands::replyMode))
                .sub(command("pause", -3, CLIENT_ADMIN).acl("connection").handler(ConnectionCommands::pause))
                .sub(command("unpause", 2, CLIENT_ADMIN).acl("connection").handler((c, argv) -> {
                    c.node().clientPause().unpause(ClientPause.Purpose.CLIENT_COMMAND);
                    c.reply().ok();
                }))
                .sub(command("tracking", -3, CLIENT_FLAGS).acl("connection").handler(ConnectionCommands::tracking))
                .sub(command("caching", 3, CLIENT_FLAGS).acl("connection").handler(ConnectionCommands::caching))
                .sub(command("kill", -3, CLIENT_ADMIN).acl("connection").handler(ConnectionCommands::kill))
                .sub(command("unblock", -3, CLIENT_ADMIN).acl("connection").handler(ConnectionCommands::unblock))
                .sub(command("no-evict", 3, CLIENT_ADMIN).acl("connection").handler(ConnectionCommands::noEvict))
                .sub(command("info", 2, CLIENT_FLAGS).acl("connection").tips("nondeterministic_output")
                        .handler((c, argv) -> c.reply().verbatim(
                                ClientLine.describe(c, c.node().now(), argvBytes(argv)) + "\n")))
                .sub(command("list", -2, CLIENT_ADMIN).acl("connection").tips("nondeterministic_output")
                        .handler(ConnectionCommands::list))
                .sub(command("help", 2, "loading stale sentinel").acl("connection")
                        .handler((c, argv) -> Replies.help(c, argv, CLIENT_HELP)))
                .sub(command("id", 2, CLIENT_FLAGS).acl("connection").handler((c, argv) -> c.reply().integer(c.id())))
                .sub(command("getname", 2, CLIENT_FLAGS).acl("connection").handler(ConnectionCommands::getName))
                .sub(command("trackinginfo", 2, CLIENT_FLAGS).acl("connection")
                        .handler(ConnectionCommands::trackingInfo))
                .build());
    }

    /**
     * PING [message]: +PONG, or the message as a bulk string. A client subscribed to something in RESP2
     * gets ["pong", message] instead (message "" by default): in that mode every reply it reads is an array,
     * so a plain +PONG would not fit among its messages.
     */
    private static void ping(Client c, byte[][] argv) {
        // PING's arity is -1 for the subscribed form; pingCommand refuses more than one argument itself.
        if (argv.length > 2) {
            throw new CommandError("ERR wrong number of arguments for 'ping' command");
        }
        if (c.isSubscribed() && c.protocol() == 2) {
            RespWriter r = c.reply();
            r.array(2);
            r.bulk("pong");
            r.bulk(argv.length == 1 ? new byte[0] : argv[1]);
        } else if (argv.length == 1) {
            c.reply().simple("PONG");
        } else {
            c.reply().bulk(argv[1]);
        }
    }

    /**
     * HELLO [protover [AUTH user pass] [SETNAME name]] (helloCommand). Options apply one by one as parsed,
     * as in Redis: a SETNAME before a bad option still renames the client. AUTH authenticates as any ACL
     * user, its arguments redacted. A client that is still not authenticated is refused. The reply is in
     * the new protocol.
     */
    private static void hello(Client c, byte[][] argv) {
        int protocol = 0;
        if (argv.length >= 2) {
            if (!RedisNumbers.isLong(argv[1])) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            long ver = RedisNumbers.parseLong(argv[1]);
            if (ver < 2 || ver > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            protocol = (int) ver;
        }
        for (int j = 2; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            if (Args.is(argv[j], "auth") && more >= 2) {
                c.redactArgument(j + 1);
                c.redactArgument(j + 2);
                if (!AclCommands.authenticate(c, argv, Args.text(argv[j + 1]), argv[j + 2])) {
                    c.reply().error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                j += 2;
            } else if (Args.is(argv[j], "setname") && more >= 1) {
                if (!setClientName(c, argv[j + 1])) {
                    return;
                }
                j++;
            } else {
                c.reply().error("ERR Syntax error in HELLO option '" + Args.text(argv[j]) + "'");
                return;
            }
        }
        if (!c.isAuthenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise "
                    + "the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (protocol != 0) {
            c.setProtocol(protocol);
        }
        RedisNode node = c.node();
        RespWriter r = c.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(InfoReport.REDIS_VERSION);
        r.bulk("proto");
        r.integer(c.protocol());
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk("cluster");
        r.bulk("role");
        r.bulk(node.data().masterHost() != null ? "replica" : "master");
        r.bulk("modules");
        r.array(0);
    }

    /**
     * SELECT index: only database 0 exists in cluster mode. The index must be a 32-bit integer
     * (getIntFromObjectOrReply) before the cluster check applies.
     */
    private static void select(Client c, byte[][] argv) {
        long id = Args.integer(argv[1]);
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range, value must between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE);
        }
        if (id != 0) {
            throw new CommandError("ERR SELECT is not allowed in cluster mode");
        }
        c.reply().ok();
    }

    // ---- CLIENT ----

    private static void setName(Client c, byte[][] argv) {
        if (setClientName(c, argv[2])) {
            c.reply().ok();
        }
    }

    /**
     * clientSetNameOrReply: an empty name clears it; otherwise only printable ASCII without spaces
     * ('!'..'~'), so CLIENT LIST lines stay splittable on spaces. Replies the error and returns false
     * when refused.
     */
    private static boolean setClientName(Client c, byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                c.reply().error("ERR Client names cannot contain spaces, newlines or special characters.");
                return false;
            }
        }
        c.setName(Args.text(name));
        return true;
    }

    private static void getName(Client c, byte[][] argv) {
        if (c.name().isEmpty()) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(c.name());
        }
    }

    /** CLIENT LIST [TYPE type | ID id ...]: one line per client, each ending in "\n". */
    private static void list(Client c, byte[][] argv) {
        RedisNode node = c.node();
        List<Client> chosen = new ArrayList<>();
        if (argv.length == 4 && Args.is(argv[2], "type")) {
            String type = ClientLine.typeByName(Args.text(argv[3]));
            if (type == null) {
                throw new CommandError("ERR Unknown client type '" + Args.text(argv[3]) + "'");
            }
            for (Client other : node.clients().all()) {
                if (ClientLine.type(other).equals(type)) {
                    chosen.add(other);
                }
            }
        } else if (argv.length > 3 && Args.is(argv[2], "id")) {
            List<Long> ids = new ArrayList<>();
            for (int j = 3; j < argv.length; j++) {
                if (!RedisNumbers.isLong(argv[j])) {
                    throw new CommandError("ERR Invalid client ID");
                }
                ids.add(RedisNumbers.parseLong(argv[j]));
            }
            for (long id : ids) {
                Client other = node.clients().byId(id);
                if (other != null) {
                    chosen.add(other);
                }
            }
        } else if (argv.length != 2) {
            throw new CommandError(Args.SYNTAX_ERROR);
        } else {
            chosen.addAll(node.clients().all());
        }
        StringBuilder sb = new StringBuilder();
        for (Client other : chosen) {
            sb.append(ClientLine.describe(other, node.now(), other == c ? argvBytes(argv) : 0)).append('\n');
        }
        c.reply().verbatim(sb.toString());
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client with that id was blocked (on keys, streams or WAIT)
     * and now answers as on a timeout (the default) or with -UNBLOCKED; 0 otherwise. The reason is checked
     * before the id, and more arguments are a syntax error.
     */
    private static void unblock(Client c, byte[][] argv) {
        if (argv.length > 4) {
            throw Replies.subcommandSyntaxError(argv);
        }
        boolean error = false;
        if (argv.length == 4) {
            if (Args.is(argv[3], "error")) {
                error = true;
            } else if (!Args.is(argv[3], "timeout")) {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = Args.integer(argv[2]);
        Client target = c.node().clients().byId(id);
        boolean unblocked = target != null && c.node().blockedClients().unblockOnRequest(target, error);
        c.reply().integer(unblocked ? 1 : 0);
    }

    /**
     * CLIENT KILL addr (old form: +OK or "No such client", may kill the caller) or CLIENT KILL with
     * ID/TYPE/ADDR/LADDR/USER/SKIPME filters (new form: the number killed; SKIPME defaults to yes). The
     * caller, if killed, gets its reply first.
     */
    private static void kill(Client c, byte[][] argv) {
        String addr = null;
        String laddr = null;
        String type = null;
        long id = 0;
        User user = null;
        boolean skipMe = true;
        if (argv.length == 3) {
            addr = Args.text(argv[2]);
            skipMe = false;
        } else {
            for (int i = 2; i < argv.length; i += 2) {
                boolean hasValue = i + 1 < argv.length;
                if (Args.is(argv[i], "id") && hasValue) {
                    if (!RedisNumbers.isLong(argv[i + 1]) || RedisNumbers.parseLong(argv[i + 1]) < 1) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                    id = RedisNumbers.parseLong(argv[i + 1]);
                } else if (Args.is(argv[i], "type") && hasValue) {
                    type = ClientLine.typeByName(Args.text(argv[i + 1]));
                    if (type == null) {
                        throw new CommandError("ERR Unknown client type '" + Args.text(argv[i + 1]) + "'");
                    }
                } else if (Args.is(argv[i], "addr") && hasValue) {
                    addr = Args.text(argv[i + 1]);
                } else if (Args.is(argv[i], "laddr") && hasValue) {
                    laddr = Args.text(argv[i + 1]);
                } else if (Args.is(argv[i], "user") && hasValue) {
                    user = c.node().acl().get(Args.text(argv[i + 1]));
                    if (user == null) {
                        throw new CommandError("ERR No such user '" + Args.text(argv[i + 1]) + "'");
                    }
                } else if (Args.is(argv[i], "skipme") && hasValue) {
                    if (Args.is(argv[i + 1], "yes")) {
                        skipMe = true;
                    } else if (Args.is(argv[i + 1], "no")) {
                        skipMe = false;
                    } else {
                        throw new CommandError(Args.SYNTAX_ERROR);
                    }
                } else {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
            }
        }
        int killed = 0;
        for (Client other : new ArrayList<>(c.node().clients().all())) {
            if (addr != null && !addr.equals(ClientLine.address(other.channel().remoteAddress()))
                    || laddr != null && !laddr.equals(ClientLine.address(other.channel().localAddress()))
                    || type != null && !type.equals(ClientLine.type(other))
                    || id != 0 && other.id() != id
                    || user != null && other.user() != user
                    || other == c && skipMe) {
                continue;
            }
            other.closeFrom(c);
            killed++;
        }
        if (argv.length == 3) {
            if (killed == 0) {
                throw new CommandError("ERR No such client");
            }
            c.reply().ok();
        } else {
            c.reply().integer(killed);
        }
    }

    /**
     * CLIENT NO-EVICT on|off. Accepted and answered as Redis answers; client eviction
     * (maxmemory-clients) is not emulated, so there is nothing for the flag to protect from.
     */
    private static void noEvict(Client c, byte[][] argv) {
        if (!Args.is(argv[2], "on") && !Args.is(argv[2], "off")) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        c.reply().ok();
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP: ON answers +OK; OFF and SKIP answer nothing (SKIP silences the next
     * command's reply, and is ignored under OFF).
     */
    private static void replyMode(Client c, byte[][] argv) {
        if (Args.is(argv[2], "on")) {
            c.replyOn();
            c.reply().ok();
        } else if (Args.is(argv[2], "off")) {
            c.replyOff();
        } else if (Args.is(argv[2], "skip")) {
            c.replySkipNext();
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
    }

    /**
     * CLIENT PAUSE timeout [WRITE|ALL]: holds back every command (ALL, the default) or only those that may
     * change the dataset (WRITE) of every client but replicas, for timeout milliseconds.
     */
    private static void pause(Client c, byte[][] argv) {
        if (argv.length > 4) {
            throw Replies.subcommandSyntaxError(argv);
        }
        ClientPause.Type type = ClientPause.Type.ALL;
        if (argv.length == 4) {
            if (Args.is(argv[3], "write")) {
                type = ClientPause.Type.WRITE;
            } else if (!Args.is(argv[3], "all")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        if (!RedisNumbers.isLong(argv[2])) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        long timeout = RedisNumbers.parseLong(argv[2]);
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long end = timeout > 0 ? timeout + c.node().now() : 0;
        c.node().clientPause().pause(ClientPause.Purpose.CLIENT_COMMAND, end, type);
        c.reply().ok();
    }

    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP]
     * (clientCommand's tracking branch): options are parsed first, then checked against each other and
     * against the client's current mode, with Redis's errors.
     */
    private static void tracking(Client c, byte[][] argv) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = Args.integer(argv[j]);
                if (c.node().clients().byId(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (Args.is(argv[j], "bcast")) {
                bcast = true;
            } else if (Args.is(argv[j], "optin")) {
                optin = true;
            } else if (Args.is(argv[j], "optout")) {
                optout = true;
            } else if (Args.is(argv[j], "noloop")) {
                noloop = true;
            } else if (Args.is(argv[j], "prefix") && more) {
                prefixes.add(argv[++j]);
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        TrackingTable table = c.node().tracking();
        if (Args.is(argv[2], "on")) {
            Tracking current = c.tracking();
            if (!bcast && !prefixes.isEmpty()) {
                throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if (current != null && current.isBcast() != bcast) {
                throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (current != null && (optin && current.isOptout() || optout && current.isOptin())) {
                throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast) {
                String collision = TrackingTable.prefixCollision(c, prefixes);
                if (collision != null) {
                    throw new CommandError(collision);
                }
            }
            table.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(argv[2], "off")) {
            table.disable(c);
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        c.reply().ok();
    }

    /** CLIENT CACHING YES|NO: caches (OPTIN) or doesn't cache (OPTOUT) the keys of the next command. */
    private static void caching(Client c, byte[][] argv) {
        Tracking t = c.tracking();
        if (t == null) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (Args.is(argv[2], "yes")) {
            if (!t.isOptin()) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Args.is(argv[2], "no")) {
            if (!t.isOptout()) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        t.setCaching(true);
        c.reply().ok();
    }

    /** CLIENT TRACKINGINFO: the tracking flags (a set), the redirection and the BCAST prefixes. */
    private static void trackingInfo(Client c, byte[][] argv) {
        Tracking t = c.tracking();
        List<String> flags = new ArrayList<>();
        flags.add(t != null ? "on" : "off");
        if (t != null) {
            if (t.isBcast()) {
                flags.add("bcast");
            }
            if (t.isOptin()) {
                flags.add("optin");
                if (t.isCaching()) {
                    flags.add("caching-yes");
                }
            }
            if (t.isOptout()) {
                flags.add("optout");
                if (t.isCaching()) {
                    flags.add("caching-no");
                }
            }
            if (t.isNoloop()) {
                flags.add("noloop");
            }
            if (t.isBrokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        RespWriter r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(t != null ? t.redirect() : -1);
        r.bulk("prefixes");
        List<byte[]> prefixes = t != null ? t.prefixes() : List.of();
        r.array(prefixes.size());
        for (byte[] p : prefixes) {
            r.bulk(p);
        }
    }

    /**
     * RESET (resetCommand, clearClientConnectionState): leaves MONITOR, tracking, MULTI and WATCH; back to
     * RESP2, the default user (unauthenticated if it has a password), no subscription (dropped silently), no
     * name, no ASKING or READONLY, replies on. A replica's or our master's connection can't be reset.
     */
    private static void reset(Client c, byte[][] argv) {
        if (c.isReplica() || c.isMaster()) {
            throw new CommandError("ERR can only reset normal client connections");
        }
        RedisNode node = c.node();
        node.monitors().remove(c);
        node.tracking().disable(c);
        c.setProtocol(2);
        User user = node.acl().defaultUser();
        c.setUser(user, user.isNopass() && user.isEnabled());
        node.watchedKeys().discard(c);
        node.pubsub().unsubscribeEverything(c);
        c.setName("");
        c.setAsking(false);
        c.setReadonly(false);
        c.resetReplyMode();
        c.reply().simple("RESET");
    }

    /** argv-mem: the bytes of the running command's arguments. */
    private static long argvBytes(byte[][] argv) {
        long n = 0;
        for (byte[] a : argv) {
            n += a.length;
        }
        return n;
    }
}
