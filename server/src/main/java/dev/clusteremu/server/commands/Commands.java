package dev.clusteremu.server.commands;

import dev.clusteremu.server.command.CommandTable;

/** The command table: every family's rows. Adding a command = one row in its family + one handler. */
public final class Commands {
    private static final CommandTable TABLE = build();

    private Commands() {
    }

    /** The shared, read-only table. */
    public static CommandTable table() {
        return TABLE;
    }

    private static CommandTable build() {
        CommandTable t = new CommandTable();
        ConnectionCommands.addTo(t);
        ServerCommands.addTo(t);
        StringCommands.addTo(t);
        KeyCommands.addTo(t);
        ClusterCommands.addTo(t);
        MigrationCommands.addTo(t);
        FunctionCommands.addTo(t);
        LifecycleCommands.addTo(t);
        ReplicationCommands.addTo(t);
        TransactionCommands.addTo(t);
        AclCommands.addTo(t);
        ObjectCommands.addTo(t);
        PersistenceCommands.addTo(t);
        return t;
    }
}
