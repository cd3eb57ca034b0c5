package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.command.Replies;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.ObjectDigest;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.values.RdbValues;

/**
 * A node's own lifecycle: SHUTDOWN stops that node only (the others in the JVM keep running, as separate
 * redis-server processes would), and DEBUG SLEEP hangs it, the way a stuck process looks to its peers.
 * DEBUG also has OBJECT, SET-ACTIVE-EXPIRE, DIGEST and DIGEST-VALUE.
 */
public final class LifecycleCommands {
    private LifecycleCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("shutdown", -1, "admin noscript loading stale no_multi sentinel allow_busy")
                .handler(LifecycleCommands::shutdown).build());
        table.add(command("debug", -2, "admin noscript loading stale protected")
                .handler(LifecycleCommands::debug).build());
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: on success there is no reply, the connection just closes.
     * Every variant saves nodes.conf, as Redis always does, and the dump file is written first as
     * finishShutdown writes it (see {@link RedisNode#saveBeforeExit}); a failed save keeps the node running
     * with an error, unless FORCE. The node does not wait for its replicas to catch up: the stop is
     * immediate, as with NOW.
     */
    private static void shutdown(Client c, byte[][] argv) {
        boolean save = false;
        boolean nosave = false;
        boolean force = false;
        boolean other = false;
        boolean abort = false;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "nosave")) {
                nosave = true;
            } else if (Args.is(argv[i], "save")) {
                save = true;
            } else if (Args.is(argv[i], "now")) {
                other = true;
            } else if (Args.is(argv[i], "force")) {
                force = true;
                other = true;
            } else if (Args.is(argv[i], "abort")) {
                abort = true;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        if ((abort && (save || nosave || other)) || (save && nosave)) {
            throw new CommandError(Args.SYNTAX_ERROR);
        }
        if (abort) {
            // Shutdown here is immediate, so there is never one in progress to abort.
            throw new CommandError("ERR No shutdown in progress.");
        }
        // A busy script leaves the dataset half-changed: only SHUTDOWN NOSAVE may stop the node then.
        if (!nosave && c.node().scripting().isBusy()) {
            throw new CommandError(c.node().scripting().busyError());
        }
        c.node().log().warning("User requested shutdown...");
        if (!c.node().saveBeforeExit(save, nosave, force)) {
            throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        c.node().shutdown();
    }

    /** DEBUG, a protected command: allowed only as enable-debug-command says (no, yes, or local clients). */
    private static void debug(Client c, byte[][] argv) {
        if (!protectedActionAllowed(c)) {
            throw new CommandError("ERR DEBUG command not allowed. If the enable-debug-command option is set to "
                    + "\"local\", you can run it from a local connection, otherwise you need to set this option in "
                    + "the configuration file, and then restart the server.");
        }
        if (Args.is(argv[1], "sleep") && argv.length == 3) {
            // Redis reads the seconds with strtod and ignores what doesn't parse: "abc" sleeps 0.
            long micros = (long) (leadingDouble(Args.text(argv[2])) * 1_000_000);
            c.node().log().notice("DEBUG SLEEP " + Args.text(argv[2]) + ": this node stops answering meanwhile");
            sleepMicros(micros);
            c.reply().ok();
        } else if (Args.is(argv[1], "object") && argv.length == 3) {
            debugObject(c, argv[2]);
        } else if (Args.is(argv[1], "set-active-expire") && argv.length == 3) {
            c.node().setActiveExpireEnabled(atoi(Args.text(argv[2])) != 0);
            c.reply().ok();
        } else if (Args.is(argv[1], "digest") && argv.length == 2) {
            c.reply().simple(ObjectDigest.hex(ObjectDigest.ofDataset(c.node().keyspace())));
        } else if (Args.is(argv[1], "digest-value")) {
            // Logically expired keys count: a debug command looks at what is stored.
            c.reply().array(argv.length - 2);
            for (int j = 2; j < argv.length; j++) {
                RedisObject value = c.node().keyspace().peekIncludingExpired(argv[j]);
                boolean expires = c.node().keyspace().getExpire(argv[j]) != -1;
                c.reply().simple(ObjectDigest.hex(ObjectDigest.ofValue(value, expires)));
            }
        } else {
            throw Replies.subcommandSyntaxError(argv);
        }
    }

    /**
     * DEBUG OBJECT key: the value's address, reference count, encoding, RDB length, lru field and idle
     * seconds, as one status line; expired keys not yet deleted are shown too.
     */
    private static void debugObject(Client c, byte[] key) {
        Keyspace ks = c.node().keyspace();
        RedisObject value = ks.peekIncludingExpired(key);
        if (value == null) {
            throw new CommandError("ERR no such key");
        }
        long serializedLength = RdbValues.encode(value).bytes().length;
        int lru = ks.accessField(key);
        c.reply().simple("Value at:0x" + Long.toHexString(0x7f0000000000L | System.identityHashCode(value))
                + " refcount:1 encoding:" + value.encodingName() + " serializedlength:" + serializedLength + " lru:" + lru
                + " lru_seconds_idle:" + ks.idleMillis(key) / 1000);
    }

    private static boolean protectedActionAllowed(Client c) {
        String setting = ConfigTable.standard().lookup("enable-debug-command").get(c.node());
        return switch (setting) {
            case "yes" -> true;
            case "local" -> isLocal(c);
            default -> false;
        };
    }

    /** islocalClient: a connection from a loopback address. */
    static boolean isLocal(Client c) {
        return c.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    /** C's atoi: leading blanks, a sign, then digits up to the first non-digit; 0 when there are none. */
    static long atoi(String s) {
        String t = s.stripLeading();
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        long n = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            n = n * 10 + (t.charAt(i++) - '0');
        }
        return negative ? -n : n;
    }

    /** The longest numeric prefix of {@code s} as strtod reads it; 0 when there is none. */
    static double leadingDouble(String s) {
        String t = s.stripLeading();
        for (int end = t.length(); end > 0; end--) {
            try {
                double d = Double.parseDouble(t.substring(0, end));
                if (!t.substring(0, end).matches(".*[dDfF]$")) {
                    return d;
                }
            } catch (NumberFormatException notYet) {
                // shorter prefix next
            }
        }
        return 0;
    }

    /** Hangs the node's loop thread, and so the whole node: no replies, no cluster bus, no cron. */
    private static void sleepMicros(long micros) {
        if (micros <= 0) {
            return;
        }
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
