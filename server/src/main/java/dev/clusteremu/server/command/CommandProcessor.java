package dev.clusteremu.server.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.net.Client;

/**
 * Runs one command the way Redis's processCommand does: look it up, check its arity, let the cluster
 * router redirect it, then call its handler. Every refusal is Redis's own error text.
 */
public final class CommandProcessor {
    private final RedisNode node;
    private final CommandTable table;
    private final Router router;

    public CommandProcessor(RedisNode node, CommandTable table) {
        this.node = node;
        this.table = table;
        this.router = new Router(node);
    }

    public void process(Client client, byte[][] argv) {
        CommandSpec spec = table.lookup(argv);
        try {
            if (spec == null) {
                client.reply().error(unknownCommandError(argv));
                return;
            }
            client.touch(node.now(), spec.fullName());
            if (!spec.arityAccepts(argv.length)) {
                reject(client, spec, "ERR wrong number of arguments for '" + spec.fullName() + "' command");
                return;
            }
            if (spec.hasKeys()) {
                String redirect = router.redirect(client, spec, argv);
                if (redirect != null) {
                    reject(client, spec, redirect);
                    return;
                }
            }
            call(client, spec, argv);
        } finally {
            // ASKING covers exactly the next command (resetClient), unless that command is ASKING itself.
            if (spec == null || !spec.name().equals("asking")) {
                client.setAsking(false);
            }
        }
    }

    /** Refuses a command before it runs (rejectCommand): its error, counted as a rejected call. */
    private void reject(Client client, CommandSpec spec, String error) {
        node.stats().commandRejected(spec.fullName());
        client.reply().error(error);
    }

    /** Runs the handler (call()): counts the call and its time, and a failure if it answered an error. */
    private void call(Client client, CommandSpec spec, byte[][] argv) {
        long errorsBefore = client.errorsReplied();
        long start = System.nanoTime();
        try {
            spec.handler().execute(client, argv);
        } catch (CommandError e) {
            client.reply().error(e.reply());
        }
        node.stats().commandProcessed();
        node.stats().commandCalled(spec.fullName(), (System.nanoTime() - start) / 1000);
        if (client.errorsReplied() > errorsBefore) {
            node.stats().commandFailed(spec.fullName());
        }
    }

    /**
     * Redis's reply to an unknown command or subcommand (commandCheckExistence): for a container,
     * "unknown subcommand 'x'. Try CLUSTER HELP."; otherwise the name and up to 128 bytes of arguments.
     */
    private byte[] unknownCommandError(byte[][] argv) {
        CommandSpec base = table.get(new String(argv[0], StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (base != null && base.isContainer()) {
            write(out, "ERR unknown subcommand '");
            out.write(argv[1], 0, cString(argv[1], 128));
            write(out, "'. Try " + base.name().toUpperCase(Locale.ROOT) + " HELP.");
        } else {
            write(out, "ERR unknown command '");
            out.write(argv[0], 0, cString(argv[0], 128));
            write(out, "', with args beginning with: ");
            int argsLen = 0;
            for (int i = 1; i < argv.length && argsLen < 128; i++) {
                int take = cString(argv[i], 128 - argsLen);
                out.write('\'');
                out.write(argv[i], 0, take);
                write(out, "' ");
                argsLen += take + 3;
            }
        }
        return out.toByteArray();
    }

    /**
     * How many bytes of {@code arg} C's "%.*s" prints with precision {@code max}: it stops at the first NUL,
     * which Redis's error formatting inherits.
     */
    private static int cString(byte[] arg, int max) {
        int n = 0;
        while (n < arg.length && n < max && arg[n] != 0) {
            n++;
        }
        return n;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
