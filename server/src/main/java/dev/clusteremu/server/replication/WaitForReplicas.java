package dev.clusteremu.server.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.net.BlockType;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * WAIT numreplicas timeout (waitCommand and processClientsWaitingReplicas): synchronous replication on
 * demand. Every command leaves its client the master offset after it (woff); WAIT blocks the client until
 * that many replicas acknowledged that offset, or the timeout passes, and answers how many did. To hear
 * soon, the master asks every replica for an ACK (REPLCONF GETACK *) once per event loop iteration, for
 * all waiting clients together.
 */
final class WaitForReplicas {
    private record Waiter(long offset, long numReplicas) {
    }

    private final Replication replication;
    private final RedisNode node;
    /** server.clients_waiting_acks. */
    private final Map<Client, Waiter> waiting = new LinkedHashMap<>();
    /** server.get_ack_from_slaves. */
    private boolean getAckRequested;

    WaitForReplicas(Replication replication, RedisNode node) {
        this.replication = replication;
        this.node = node;
    }

    void waitCommand(Client c, byte[][] argv) {
        if (replication.isReplica()) {
            throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since "
                    + "Redis 4.0 if a replica is configured to be writable (which is not the default) writes to "
                    + "replicas are just local and are not propagated.");
        }
        long numReplicas = Args.integer(argv[1]);
        long timeoutAt = timeoutAt(argv[2]);
        long offset = c.writeOffset();
        int acked = replication.replicas.countAcks(offset);
        // Inside a transaction WAIT can't block: it answers with what it has.
        if (acked >= numReplicas || c.multi().isActive()) {
            c.reply().integer(acked);
            return;
        }
        waiting.put(c, new Waiter(offset, numReplicas));
        node.blockedClients().block(c, BlockType.WAIT, timeoutAt, () -> {
            waiting.remove(c);
            c.reply().integer(replication.replicas.countAcks(offset));
            node.blockedClients().unblock(c);
        });
        getAckRequested = true;
        node.requestBeforeSleep();
    }

    /**
     * getTimeoutFromObjectOrReply in milliseconds: a non-negative integer, 0 for no timeout, else the Unix
     * time it ends at (which, as in Redis, wraps for absurd values and then ends at once).
     */
    private long timeoutAt(byte[] arg) {
        if (!RedisNumbers.isLong(arg)) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        long ms = RedisNumbers.parseLong(arg);
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms == 0) {
            return 0;
        }
        long at = ms + node.now();
        return at == 0 ? -1 : at;
    }

    /** ACKs came in: the waiting clients are checked at the end of this event loop iteration. */
    void acksArrived() {
        if (!waiting.isEmpty()) {
            node.requestBeforeSleep();
        }
    }

    /**
     * processClientsWaitingReplicas: answers and unblocks every client whose offset enough replicas
     * acknowledged.
     */
    void process() {
        for (Map.Entry<Client, Waiter> e : new ArrayList<>(waiting.entrySet())) {
            Client c = e.getKey();
            if (c.blockedOn() != BlockType.WAIT) {
                waiting.remove(c);
                continue;
            }
            int acked = replication.replicas.countAcks(e.getValue().offset);
            if (acked >= e.getValue().numReplicas) {
                waiting.remove(c);
                c.reply().integer(acked);
                node.blockedClients().unblock(c);
            }
        }
    }

    /** beforeSleep: one REPLCONF GETACK for all the clients that started waiting, unless writes are paused. */
    void sendGetAckIfRequested() {
        if (getAckRequested && !node.clientPause().isPaused()) {
            replication.stream.feedGetAck();
            getAckRequested = false;
        }
    }

    void clientClosed(Client c) {
        waiting.remove(c);
    }
}
