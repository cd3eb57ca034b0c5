package dev.clusteremu.server.keyspace;

/** The type of a value, named as TYPE and SCAN's TYPE option spell it (getObjectTypeName). */
public enum ObjectType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String typeName;

    ObjectType(String typeName) {
        this.typeName = typeName;
    }

    /** "string", "list", ...: what TYPE replies. */
    public String typeName() {
        return typeName;
    }
}
