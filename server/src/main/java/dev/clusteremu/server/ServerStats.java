package dev.clusteremu.server;

/** Counters INFO stats reports. Owned by the node's loop. */
public final class ServerStats {
    private long commandsProcessed;

    public void commandProcessed() {
        commandsProcessed++;
    }

    public long commandsProcessed() {
        return commandsProcessed;
    }
}
