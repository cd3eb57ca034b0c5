package dev.clusteremu.server.command;

/**
 * A command refused with Redis's error reply, thrown by a handler before it changed anything or wrote
 * any reply; the processor sends {@link #reply()} as the command's only reply.
 */
public final class CommandError extends RuntimeException {
    public CommandError(String reply) {
        super(reply, null, false, false);
    }

    /** The full error text including its code, e.g. "ERR value is not an integer or out of range". */
    public String reply() {
        return getMessage();
    }
}
