package dev.clusteremu.server.net;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.acl.User;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The node's connected clients, by id, with the counters INFO reports, and those with replies written
 * outside their own commands waiting to be sent. Owned by the node's loop.
 */
public final class ClientRegistry {
    private final RedisNode node;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    /** clients_pending_write: clients given replies outside their own commands, sent before sleeping. */
    private final Set<Client> pendingWrites = new LinkedHashSet<>();
    private long nextId = 1;
    private long totalConnectionsReceived;

    public ClientRegistry(RedisNode node) {
        this.node = node;
    }

    /** A new client for a connection: accepted on the client port, or our link to a master. */
    public Client register(Channel channel) {
        Client c = new Client(nextId++, node, channel, node.now());
        // clientSetDefaultAuth: a nopass default user authenticates everyone from the start.
        User user = node.acl().defaultUser();
        c.setUser(user, user.isNopass() && user.isEnabled());
        clients.put(c.id(), c);
        totalConnectionsReceived++;
        return c;
    }

    /**
     * The client of our link to a master (replicationCreateMasterClient): listed like any client, but not
     * counted as a connection received, since we opened it.
     */
    public Client registerMaster(Channel channel) {
        Client c = new Client(nextId++, node, channel, node.now());
        c.setMaster(true);
        // Our master can do everything: no user to check against, and nothing to authenticate.
        c.setUser(null, true);
        clients.put(c.id(), c);
        return c;
    }

    /**
     * A client with no connection for scripts to run commands through (createClient(NULL) with
     * CLIENT_SCRIPT and CLIENT_DENY_BLOCKING): it takes a client id, as in Redis, but is not listed.
     */
    public Client createScriptClient() {
        Client c = new Client(nextId++, node, new io.netty.channel.embedded.EmbeddedChannel(), node.now());
        c.setScript(true);
        c.setDenyBlocking(true);
        c.setUser(null, true);
        return c;
    }

    /** The connection closed (freeClient): the client leaves the list, blocking and replication. */
    public void unregister(Client client) {
        if (clients.remove(client.id()) != null) {
            pendingWrites.remove(client);
            ByteBuf unsent = client.takeReplies();
            if (unsent != null) {
                unsent.release();
            }
            node.clientClosed(client);
        }
    }

    /**
     * Has what was just written to {@code c} outside its own command (a published message, a push) sent
     * before the loop sleeps, together with everything else written to it meanwhile.
     */
    public void writeSoon(Client c) {
        if (pendingWrites.add(c)) {
            node.requestBeforeSleep();
        }
    }

    /** Sends the replies of the clients {@link #writeSoon} queued (handleClientsWithPendingWrites). */
    public void handlePendingWrites() {
        while (!pendingWrites.isEmpty()) {
            Iterator<Client> first = pendingWrites.iterator();
            Client c = first.next();
            first.remove();
            if (c.channel().isActive()) {
                c.flush();
            }
        }
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(clients.values());
    }

    public Client byId(long id) {
        return clients.get(id);
    }

    public int connected() {
        return clients.size();
    }

    public long totalConnectionsReceived() {
        return totalConnectionsReceived;
    }

    /** Closes every client connection (node shutdown). */
    public void closeAll() {
        for (Client c : clients.values().toArray(new Client[0])) {
            c.channel().close();
        }
    }
}
