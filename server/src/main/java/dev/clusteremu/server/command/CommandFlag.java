package dev.clusteremu.server.command;

import java.util.EnumSet;
import java.util.Locale;

/** Command flags ({@code CMD_*} in server.h), named as COMMAND INFO prints them. */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    MODULE("module"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    ASKING("asking"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    SENTINEL("sentinel"),
    ONLY_SENTINEL("only_sentinel"),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    PROTECTED("protected"),
    NO_ASYNC_LOADING("no_async_loading"),
    NO_MULTI("no_multi"),
    MOVABLE_KEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    private final String wireName;

    CommandFlag(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a space-separated list of flag names ("write denyoom fast"), so table rows read like Redis's. */
    public static EnumSet<CommandFlag> parse(String names) {
        EnumSet<CommandFlag> set = EnumSet.noneOf(CommandFlag.class);
        for (String n : names.trim().split("\\s+")) {
            if (!n.isEmpty()) {
                set.add(valueOf(n.toUpperCase(Locale.ROOT)));
            }
        }
        return set;
    }
}
