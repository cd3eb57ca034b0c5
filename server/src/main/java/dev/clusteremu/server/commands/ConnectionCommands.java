package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.info.ClientLine;
import dev.clusteremu.server.info.InfoReport;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;
import dev.clusteremu.server.resp.RespWriter;

/**
 * Connection commands (PING, ECHO, QUIT, RESET, HELLO, SELECT) and CLIENT, as networking.c and server.c
 * answer them in cluster mode.
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
                        .handler((c, argv) -> c.reply().integer(-1)))
                .sub(command("kill", -3, CLIENT_ADMIN).acl("connection").handler(ConnectionCommands::kill))
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
     * as in Redis: a SETNAME before a bad option still renames the client. AUTH succeeds for the default
     * user with the requirepass password, or with any password when requirepass is empty (the default
     * user is then "nopass"). The reply is in the new protocol.
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
                if (!authenticates(c.node(), Args.text(argv[j + 1]), Args.text(argv[j + 2]))) {
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
     * RESET (resetCommand, clearClientConnectionState): the connection as it was when it connected — RESP2,
     * no name, no READONLY or ASKING, no subscription (dropped silently) — answered +RESET. Refused for a
     * replica's or our master's connection.
     */
    private static void reset(Client c, byte[][] argv) {
        if (c.isReplica() || c.isMaster()) {
            throw new CommandError("ERR can only reset normal client connections");
        }
        c.setProtocol(2);
        c.node().pubsub().unsubscribeEverything(c);
        c.setName("");
        c.setReadonly(false);
        c.setAsking(false);
        c.reply().simple("RESET");
    }

    /** ACLAuthenticateUser for the only user there is, "default" (user names are case-sensitive). */
    private static boolean authenticates(RedisNode node, String user, String password) {
        String required = node.config().requirePass;
        return user.equals("default") && (required.isEmpty() || required.equals(password));
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
     * CLIENT KILL addr (old form: +OK or "No such client", may kill the caller) or CLIENT KILL with
     * ID/TYPE/ADDR/LADDR/USER/SKIPME filters (new form: the number killed; SKIPME defaults to yes). The
     * caller, if killed, gets its reply first.
     */
    private static void kill(Client c, byte[][] argv) {
        String addr = null;
        String laddr = null;
        String type = null;
        long id = 0;
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
                    if (!Args.text(argv[i + 1]).equals("default")) {
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
        boolean killMe = false;
        for (Client other : new ArrayList<>(c.node().clients().all())) {
            if (addr != null && !addr.equals(ClientLine.address(other.channel().remoteAddress()))
                    || laddr != null && !laddr.equals(ClientLine.address(other.channel().localAddress()))
                    || type != null && !type.equals(ClientLine.type(other))
                    || id != 0 && other.id() != id
                    || other == c && skipMe) {
                continue;
            }
            if (other == c) {
                killMe = true;
            } else {
                other.channel().close();
            }
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
        if (killMe) {
            c.closeAfterReply();
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

    /** CLIENT TRACKINGINFO of a client that isn't tracking (client-side caching is not emulated). */
    private static void trackingInfo(Client c, byte[][] argv) {
        RespWriter r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(1);
        r.bulk("off");
        r.bulk("redirect");
        r.integer(-1);
        r.bulk("prefixes");
        r.array(0);
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
