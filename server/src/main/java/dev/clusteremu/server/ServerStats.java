package dev.clusteremu.server;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.clusteremu.server.latency.LatencyHistogram;

/**
 * Counters INFO reports (the stat_* fields of Redis's server struct), plus the RDB bookkeeping LASTSAVE
 * and INFO persistence read. Components call the hook for what they just did; CONFIG RESETSTAT clears the
 * counters (not the RDB bookkeeping), as resetServerStats does. Owned by the node's loop.
 */
public final class ServerStats {
    private long commandsProcessed;
    private long evictedKeys;
    private long rejectedConnections;
    private long syncFull;
    private long syncPartialOk;
    private long syncPartialErr;
    private long netInputBytes;
    private long netOutputBytes;
    private long readsProcessed;
    private long writesProcessed;
    private long totalErrorReplies;
    /** errorstat_&lt;CODE&gt;: error replies by their first word, sorted as INFO lists them. */
    private final Map<String, Long> errorCounts = new TreeMap<>();
    /** cmdstat_&lt;name&gt;, by full name ("get", "client|list"). */
    private final Map<String, CommandStats> commandStats = new HashMap<>();
    /** ClientRegistry's total at the last reset: total_connections_received counts from there. */
    private long connectionsAtReset;

    private long lastSaveSeconds;
    /** Changes counted by hand (flushes, migrated keys), on top of the keyspace's dirty counter. */
    private long extraChanges;
    /** The keyspace's dirty counter at the last save. */
    private long dirtyAtSave;
    /** used_memory_peak: the most memory INFO ever saw in use; not cleared by RESETSTAT. */
    private long memoryPeak;

    /** Calls, time and refusals of one command (INFO commandstats). */
    public static final class CommandStats {
        private long calls;
        private long micros;
        private long rejectedCalls;
        private long failedCalls;
        /** latency_histogram: created by the first duration recorded, gone with CONFIG RESETSTAT. */
        private LatencyHistogram latencyHistogram;

        public long calls() {
            return calls;
        }

        public long micros() {
            return micros;
        }

        public long rejectedCalls() {
            return rejectedCalls;
        }

        public long failedCalls() {
            return failedCalls;
        }

        /** The command's latency histogram, or null when no duration was recorded since the last reset. */
        public LatencyHistogram latencyHistogram() {
            return latencyHistogram;
        }
    }

    // ---- hooks ----

    /** A command was executed (total_commands_processed). */
    public void commandProcessed() {
        commandsProcessed++;
    }

    /** A command ran for {@code micros} microseconds (its cmdstat calls and usec). */
    public void commandCalled(String fullName, long micros) {
        CommandStats s = statsOf(fullName);
        s.calls++;
        s.micros += micros;
    }

    /**
     * A command's call ended after {@code micros} microseconds (updateCommandLatencyHistogram, when
     * latency-tracking is on): at once for most, when served or unblocked for a blocked one.
     */
    public void latencyRecorded(String fullName, long micros) {
        CommandStats s = statsOf(fullName);
        if (s.latencyHistogram == null) {
            s.latencyHistogram = new LatencyHistogram();
        }
        s.latencyHistogram.record(micros * 1000);
    }

    /** A command was refused before running: arity, routing, ACL, OOM... (its cmdstat rejected_calls). */
    public void commandRejected(String fullName) {
        statsOf(fullName).rejectedCalls++;
    }

    /** A command ran and answered an error (its cmdstat failed_calls). */
    public void commandFailed(String fullName) {
        statsOf(fullName).failedCalls++;
    }

    /**
     * An error reply was sent (total_error_replies, and errorstat_&lt;code&gt; where the code is the reply's
     * first word, "ERR" or "WRONGTYPE" ...).
     */
    public void errorReplied(String code) {
        totalErrorReplies++;
        errorCounts.merge(code, 1L, Long::sum);
    }

    /** A key was evicted for maxmemory (evicted_keys). */
    public void keyEvicted() {
        evictedKeys++;
    }

    /** A connection was refused, e.g. over maxclients (rejected_connections). */
    public void connectionRejected() {
        rejectedConnections++;
    }

    /** Bytes read from a client socket, in one read (total_net_input_bytes, total_reads_processed). */
    public void bytesRead(long n) {
        netInputBytes += n;
        readsProcessed++;
    }

    /** Bytes written to a client socket, in one write (total_net_output_bytes, total_writes_processed). */
    public void bytesWritten(long n) {
        netOutputBytes += n;
        writesProcessed++;
    }

    /** A replica was served a full resync (sync_full). */
    public void fullSync() {
        syncFull++;
    }

    /** A PSYNC was accepted (sync_partial_ok) or refused (sync_partial_err). */
    public void partialSync(boolean accepted) {
        if (accepted) {
            syncPartialOk++;
        } else {
            syncPartialErr++;
        }
    }

    /** The dataset changed by {@code n} writes the keyspace's dirty counter doesn't see (a flush). */
    public void changes(long n) {
        extraChanges += n;
    }

    /**
     * An RDB snapshot of the dataset as it was at keyspace dirty counter {@code dirty} was saved at this
     * unix time (LASTSAVE, rdb_last_save_time); changes after that point still count as unsaved.
     */
    public void saved(long unixSeconds, long dirty) {
        lastSaveSeconds = unixSeconds;
        extraChanges = 0;
        dirtyAtSave = dirty;
    }

    /**
     * CONFIG RESETSTAT: clears every counter. {@code connectionsSoFar} is the registry's running total,
     * from which total_connections_received counts again.
     */
    public void reset(long connectionsSoFar) {
        commandsProcessed = 0;
        evictedKeys = 0;
        rejectedConnections = 0;
        syncFull = 0;
        syncPartialOk = 0;
        syncPartialErr = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        totalErrorReplies = 0;
        errorCounts.clear();
        commandStats.clear();
        connectionsAtReset = connectionsSoFar;
    }

    private CommandStats statsOf(String fullName) {
        return commandStats.computeIfAbsent(fullName, n -> new CommandStats());
    }

    // ---- readings ----

    public long commandsProcessed() {
        return commandsProcessed;
    }




    public long evictedKeys() {
        return evictedKeys;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    public long syncFull() {
        return syncFull;
    }

    public long syncPartialOk() {
        return syncPartialOk;
    }

    public long syncPartialErr() {
        return syncPartialErr;
    }

    public long netInputBytes() {
        return netInputBytes;
    }

    public long netOutputBytes() {
        return netOutputBytes;
    }

    public long readsProcessed() {
        return readsProcessed;
    }

    public long writesProcessed() {
        return writesProcessed;
    }

    public long totalErrorReplies() {
        return totalErrorReplies;
    }

    /** Error reply counts by code, sorted by code. */
    public Map<String, Long> errorCounts() {
        return Collections.unmodifiableMap(errorCounts);
    }

    /** The stats of a command by full name, or null if it was never called nor refused. */
    public CommandStats commandStats(String fullName) {
        return commandStats.get(fullName);
    }

    /** total_connections_received given the registry's running total. */
    public long connectionsReceived(long connectionsSoFar) {
        return connectionsSoFar - connectionsAtReset;
    }

    /** Records a memory reading and returns the peak so far, this reading included. */
    public long memoryPeak(long usedNow) {
        memoryPeak = Math.max(memoryPeak, usedNow);
        return memoryPeak;
    }

    /** The unix time of the last RDB snapshot, or 0 if none was taken since start. */
    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    /** rdb_changes_since_last_save, given the keyspace's dirty counter now. */
    public long changesSinceSave(long dirty) {
        return extraChanges + dirty - dirtyAtSave;
    }
}
