package dev.clusteremu.server.multi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

import dev.clusteremu.server.command.CommandFlag;
import dev.clusteremu.server.command.CommandSpec;

/**
 * One client's transaction state (multiState and the CLIENT_MULTI / CLIENT_DIRTY_EXEC / CLIENT_DIRTY_CAS
 * flags of multi.c): whether it is inside MULTI, the commands queued so far with the union of their flags,
 * whether a queueing error doomed the transaction (EXEC answers EXECABORT), and whether a WATCHed key was
 * touched (EXEC answers a null array). The keys it WATCHes are held by {@link WatchedKeys}. Owned by the
 * node's loop.
 */
public final class MultiState {
    /** A command queued between MULTI and EXEC (multiCmd). */
    public record Queued(CommandSpec spec, byte[][] argv) {
    }

    private boolean active;
    private boolean dirtyExec;
    private boolean dirtyCas;
    private final List<Queued> commands = new ArrayList<>();
    /** cmd_flags: flags any queued command has. */
    private final EnumSet<CommandFlag> anyHas = EnumSet.noneOf(CommandFlag.class);
    /** cmd_inv_flags: flags some queued command lacks. */
    private final EnumSet<CommandFlag> someLack = EnumSet.noneOf(CommandFlag.class);
    /** argv_len_sums: the bytes of the queued arguments and their pointers, for CLIENT LIST's multi-mem. */
    private long queuedBytes;
    /** The watch entries of this client, in WATCH order; maintained by {@link WatchedKeys}. */
    final List<WatchedKeys.Watch> watched = new ArrayList<>();

    /** Whether the client sent MULTI and not yet EXEC or DISCARD (CLIENT_MULTI). */
    public boolean isActive() {
        return active;
    }

    /** MULTI: starts queueing. */
    public void begin() {
        active = true;
    }

    /**
     * Queues a command (queueMultiCommand). Once the transaction is doomed, nothing more is kept: EXEC
     * will not run any of it, and a client pipelining blindly would otherwise grow the queue for nothing.
     */
    public void queue(CommandSpec spec, byte[][] argv) {
        if (dirtyExec || dirtyCas) {
            return;
        }
        commands.add(new Queued(spec, argv));
        EnumSet<CommandFlag> lacks = EnumSet.allOf(CommandFlag.class);
        lacks.removeAll(spec.flags());
        anyHas.addAll(spec.flags());
        someLack.addAll(lacks);
        // argv_len_sums: each argument's bytes and its pointer.
        for (byte[] arg : argv) {
            queuedBytes += arg.length + 8;
        }
    }

    /** flagTransaction: an error while queueing; EXEC will answer EXECABORT. No effect outside MULTI. */
    public void flagError() {
        if (active) {
            dirtyExec = true;
        }
    }

    /** Whether a queueing error doomed the transaction (CLIENT_DIRTY_EXEC). */
    public boolean isDirtyExec() {
        return dirtyExec;
    }

    /** Whether a WATCHed key was touched (CLIENT_DIRTY_CAS). */
    public boolean isDirtyCas() {
        return dirtyCas;
    }

    void setDirtyCas(boolean dirty) {
        this.dirtyCas = dirty;
    }

    /** The queued commands, in order. */
    public List<Queued> commands() {
        return Collections.unmodifiableList(commands);
    }

    /** Whether some queued command has {@code flag} (mstate.cmd_flags). */
    public boolean anyHas(CommandFlag flag) {
        return anyHas.contains(flag);
    }

    /** Whether some queued command lacks {@code flag} (mstate.cmd_inv_flags). */
    public boolean someLack(CommandFlag flag) {
        return someLack.contains(flag);
    }

    /** The number of queued commands (CLIENT LIST multi=, -1 outside MULTI). */
    public int count() {
        return commands.size();
    }

    /** The bytes of the queued commands' arguments (argv_len_sums, CLIENT LIST's multi-mem). */
    public long memory() {
        return queuedBytes;
    }

    /** The number of keys this client WATCHes. */
    public int watchedCount() {
        return watched.size();
    }

    /**
     * Leaves the transaction state (the queue and the MULTI, DIRTY_EXEC and DIRTY_CAS flags);
     * discardTransaction also unwatches, which the caller does through {@link WatchedKeys}.
     */
    void reset() {
        active = false;
        dirtyExec = false;
        dirtyCas = false;
        commands.clear();
        anyHas.clear();
        someLack.clear();
        queuedBytes = 0;
    }
}
