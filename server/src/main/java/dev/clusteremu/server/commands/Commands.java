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
        HashCommands.addTo(t);
        SetCommands.addTo(t);
        ListCommands.addTo(t);
        ZSetCommands.addTo(t);
        GeoCommands.addTo(t);
        SortCommands.addTo(t);
        BitmapCommands.addTo(t);
        HyperLogLogCommands.addTo(t);
        StreamCommands.addTo(t);
        StreamGroupCommands.addTo(t);
        StreamReadCommands.addTo(t);
        KeyCommands.addTo(t);
        ClusterCommands.addTo(t);
        MigrationCommands.addTo(t);
        FunctionCommands.addTo(t);
        ScriptingCommands.addTo(t);
        LifecycleCommands.addTo(t);
        ReplicationCommands.addTo(t);
        PubSubCommands.addTo(t);
        TransactionCommands.addTo(t);
        AclCommands.addTo(t);
        ObjectCommands.addTo(t);
        PersistenceCommands.addTo(t);
        DatabaseCommands.addTo(t);
        ModuleCommands.addTo(t);
        LolwutCommands.addTo(t);
        LcsCommand.addTo(t);
        LatencyCommands.addTo(t);
        return t;
    }
}
