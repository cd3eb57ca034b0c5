package dev.clusteremu.server.config;

import java.util.EnumSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.clusteremu.server.RedisNode;

/**
 * One row of the parameter table, as a row of Redis's standardConfig: its name and legacy alias, flags,
 * value type, and where the value lives on the node. Parameters the emulator acts on read and write the
 * node's {@link dev.clusteremu.server.ServerConfig} (and its cluster settings); the others are recorded so
 * that CONFIG GET reads back what CONFIG SET accepted.
 */
public final class ConfigParam {
    /** The standardConfig flags that change what CONFIG SET and CONFIG GET do. */
    public enum Flag {
        /** Set at startup only: "can't set immutable config". */
        IMMUTABLE,
        /** Needs enable-protected-configs, which is "no" and immutable: "can't set protected config". */
        PROTECTED,
        /** Left out of CONFIG GET patterns; only an exact name finds it. */
        HIDDEN
    }

    private final String name;
    private final String alias;
    private final EnumSet<Flag> flags;
    private final ValueType type;
    private final Function<RedisNode, Object> getter;
    private final BiConsumer<RedisNode, Object> setter;

    ConfigParam(String name, String alias, EnumSet<Flag> flags, ValueType type, Function<RedisNode, Object> getter,
            BiConsumer<RedisNode, Object> setter) {
        this.name = name;
        this.alias = alias;
        this.flags = flags;
        this.type = type;
        this.getter = getter;
        this.setter = setter;
    }

    public String name() {
        return name;
    }

    /** The old name still accepted (slave-read-only for replica-read-only), or null. */
    public String alias() {
        return alias;
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** The current value as CONFIG GET prints it. */
    public String get(RedisNode node) {
        return type.format(getter.apply(node));
    }

    /** Parses a CONFIG SET argument without changing anything; throws {@link InvalidConfigValue}. */
    Object parse(String text) {
        return type.parse(text);
    }

    /**
     * The current value as parsed (Boolean, Long, an enum's Integer, String, ...): what INFO reads, and
     * what CONFIG SET restores if a later parameter of the same call fails.
     */
    public Object value(RedisNode node) {
        return getter.apply(node);
    }

    /** Stores a parsed value and applies it; throws {@link InvalidConfigValue} if it can't take effect. */
    void set(RedisNode node, Object value) {
        setter.accept(node, value);
    }
}
