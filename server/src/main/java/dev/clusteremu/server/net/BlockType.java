package dev.clusteremu.server.net;

import dev.clusteremu.server.keyspace.ObjectType;

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
    POSTPONE,
    /** BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: until a list appears under one of the keys, or the timeout. */
    LIST,
    /** BZPOPMIN, BZPOPMAX, BZMPOP: until a sorted set appears under one of the keys, or the timeout. */
    ZSET,
    /**
     * EVAL or FCALL whose script ran past busy-reply-threshold: its client waits for the reply while the
     * node answers others (protectClient in Redis, which also stops reading the client).
     */
    SCRIPT;

    /**
     * The kind of client a new value of {@code type} may serve (getBlockedTypeByType), or null for the
     * types no client blocks for.
     */
    public static BlockType servedBy(ObjectType type) {
        return switch (type) {
            case LIST -> LIST;
            case ZSET -> ZSET;
            case STREAM -> STREAM;
            default -> null;
        };
    }
}
