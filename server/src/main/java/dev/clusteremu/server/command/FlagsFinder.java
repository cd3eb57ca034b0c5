package dev.clusteremu.server.command;

import java.util.EnumSet;

import dev.clusteremu.server.net.Client;

/**
 * The flags a command has for given arguments, when they differ from its table row (getCommandFlags):
 * EVAL and FCALL take the flags their script or function declares, so a no-writes script is not a write.
 */
@FunctionalInterface
public interface FlagsFinder {
    /** The flags of {@code argv} sent by {@code client}, given the row's {@code declared} flags. */
    EnumSet<CommandFlag> flags(Client client, byte[][] argv, EnumSet<CommandFlag> declared);
}
