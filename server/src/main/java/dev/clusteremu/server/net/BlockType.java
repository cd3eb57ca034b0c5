package dev.clusteremu.server.net;

/** Why a client is blocked (btype in server.h); each kind is unblocked by its own event. */
public enum BlockType {
    /** WAIT: until enough replicas acknowledged the client's last write, or the timeout. */
    WAIT,
    /** XREAD and XREADGROUP with BLOCK: until an entry arrives on one of the streams, or the timeout. */
    STREAM,
    /**
     * A command held back by a client pause (BLOCKED_POSTPONE): it runs again from the start when the
     * pause ends, so it is checked anew (it may be redirected, refused, or paused again).
     */
    POSTPONE
}
