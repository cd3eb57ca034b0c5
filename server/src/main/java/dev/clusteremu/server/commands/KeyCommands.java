package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.CommandTable;

/** Placeholder family: its rows are being written. */
public final class KeyCommands {
    private KeyCommands() {
    }

    public static void addTo(CommandTable table) {
    }
}
