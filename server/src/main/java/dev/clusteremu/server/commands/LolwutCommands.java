package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.concurrent.ThreadLocalRandom;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.info.InfoReport;
import dev.clusteremu.server.lolwut.Schotter;
import dev.clusteremu.server.lolwut.Skyline;
import dev.clusteremu.server.net.Client;

/**
 * LOLWUT [VERSION v] [args...] (lolwut.c): some computer art, chosen by version. Redis 7.0 has no art of
 * its own, so the default is the "unstable" text; VERSION 5 draws {@link Schotter}, VERSION 6 draws
 * {@link Skyline}, each with its own optional arguments.
 */
public final class LolwutCommands {
    private LolwutCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("lolwut", -1, "readonly fast").handler(LolwutCommands::lolwut).build());
    }

    /**
     * The version is printed as "%u.0.0" of the (unsigned int) given, then matched on its first three
     * characters as lolwutCommand does: "5." but not "5.9", or "4.9", is version 5; "6." but not "6.9", or
     * "5.9", is version 6. Arguments after VERSION v are the version's own; without VERSION, they are ignored.
     */
    private static void lolwut(Client c, byte[][] argv) {
        String version = InfoReport.REDIS_VERSION;
        int first = 1;
        if (argv.length >= 3 && Args.is(argv[1], "version")) {
            version = Integer.toUnsignedString((int) Args.integer(argv[2])) + ".0.0";
            first = 3;
        }
        char major = version.charAt(0);
        boolean dot = version.charAt(1) == '.';
        boolean nine = version.charAt(2) == '9';
        String art;
        if (dot && (major == '5' && !nine || major == '4' && nine)) {
            art = Schotter.render(argument(argv, first, 66), argument(argv, first + 1, 8),
                    argument(argv, first + 2, 12), ThreadLocalRandom.current());
        } else if (dot && (major == '6' && !nine || major == '5' && nine)) {
            art = Skyline.render(argument(argv, first, 80), argument(argv, first + 1, 20), ThreadLocalRandom.current());
        } else {
            art = "Redis ver. " + InfoReport.REDIS_VERSION + "\n";
        }
        c.reply().verbatim(art);
    }

    /** The version's argument at {@code index} as a long, or its default when absent. */
    private static long argument(byte[][] argv, int index, long absent) {
        return index < argv.length ? Args.integer(argv[index]) : absent;
    }
}
