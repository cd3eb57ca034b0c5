package dev.clusteremu.server.keyspace;

/**
 * How a lookup treats a key past its expire time (expireIfNeeded in db.c). Expiry is centralized on the
 * master: it deletes expired keys and sends its replicas a DEL, so that both sides change in the same
 * order; what a lookup may do therefore depends on who is asking.
 */
public enum ExpiryMode {
    /** A master serving its clients: the key is gone; it is deleted and the deletion reported. */
    DELETE,
    /**
     * A replica serving its clients, or a master whose writes are paused: the key reads as missing but
     * stays until the master's DEL (or the end of the pause), so the dataset does not change on its own.
     */
    HIDE,
    /** A replica applying its master's stream: no key counts as expired; the master decides. */
    IGNORE
}
