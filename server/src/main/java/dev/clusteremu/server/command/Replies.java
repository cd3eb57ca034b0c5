package dev.clusteremu.server.command;

import java.util.List;
import java.util.Locale;

import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/** Reply shapes shared by several commands. */
public final class Replies {
    private Replies() {
    }

    /**
     * A HELP reply (addReplyHelp): "&lt;CMD&gt; &lt;subcommand&gt; [&lt;arg&gt; [value] [opt] ...]. Subcommands are:", the
     * lines, then "HELP" / "    Prints this help.", all as status replies.
     */
    public static void help(Client client, byte[][] argv, List<String> lines) {
        RespWriter r = client.reply();
        r.array(lines.size() + 3);
        r.simple(Args.text(argv[0]).toUpperCase(Locale.ROOT)
                + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Prints this help.");
    }

    /** The error for a known subcommand given the wrong arguments (addReplySubcommandSyntaxError). */
    public static CommandError subcommandSyntaxError(byte[][] argv) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(argv[1])
                + "'. Try " + Args.text(argv[0]).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
