package dev.clusteremu.server.command;

import dev.clusteremu.server.net.Client;

/**
 * Executes one command whose name, arity and routing were already checked. Writes exactly one reply to
 * {@code client.reply()}; a refused command writes Redis's error and changes nothing.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] argv);
}
