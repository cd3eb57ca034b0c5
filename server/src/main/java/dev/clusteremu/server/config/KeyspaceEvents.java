package dev.clusteremu.server.config;

/**
 * The notify-keyspace-events classes (NOTIFY_* in server.h) and their one-letter spelling, as CONFIG SET
 * parses it and CONFIG GET prints it. Whoever publishes keyspace notifications tests these bits against
 * {@code ServerConfig.notifyKeyspaceEvents}.
 */
public final class KeyspaceEvents {
    public static final int KEYSPACE = 1;        // K
    public static final int KEYEVENT = 1 << 1;   // E
    public static final int GENERIC = 1 << 2;    // g
    public static final int STRING = 1 << 3;     // $
    public static final int LIST = 1 << 4;       // l
    public static final int SET = 1 << 5;        // s
    public static final int HASH = 1 << 6;       // h
    public static final int ZSET = 1 << 7;       // z
    public static final int EXPIRED = 1 << 8;    // x
    public static final int EVICTED = 1 << 9;    // e
    public static final int STREAM = 1 << 10;    // t
    /** m: left out of "A" on purpose, as in Redis, since key misses are very frequent. */
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 13;    // d
    public static final int NEW = 1 << 14;       // n
    /** A: every class but key misses and new keys. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** Letters in the order Redis prints the classes of "A" that are set one by one. */
    private static final String CLASS_LETTERS = "g$lshzxetdn";
    private static final int[] CLASS_BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE,
        NEW};

    private KeyspaceEvents() {
    }

    /** keyspaceEventsStringToFlags: the bits of a class string, or -1 if it has an unknown letter. */
    public static int parse(String classes) {
        int flags = 0;
        for (int i = 0; i < classes.length(); i++) {
            char c = classes.charAt(i);
            switch (c) {
                case 'A' -> flags |= ALL;
                case 'K' -> flags |= KEYSPACE;
                case 'E' -> flags |= KEYEVENT;
                case 'm' -> flags |= KEY_MISS;
                default -> {
                    int at = CLASS_LETTERS.indexOf(c);
                    if (at < 0) {
                        return -1;
                    }
                    flags |= CLASS_BITS[at];
                }
            }
        }
        return flags;
    }

    /**
     * keyspaceEventsFlagsToString: "A" when every class of A is set (and then, as in Redis, "n" is not
     * printed even if set), else the class letters; then K, E, m.
     */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            for (int i = 0; i < CLASS_BITS.length; i++) {
                if ((flags & CLASS_BITS[i]) != 0) {
                    sb.append(CLASS_LETTERS.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }
}
