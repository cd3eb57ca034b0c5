package dev.clusteremu.server.keyspace;

/** The type of a value, named as TYPE and SCAN's TYPE option spell it (getObjectTypeName). */
public enum ObjectType {
    STRING("string", 0),
    LIST("list", 1),
    SET("set", 2),
    ZSET("zset", 3),
    HASH("hash", 4),
    STREAM("stream", 6);

    private final String typeName;
    private final int code;

    ObjectType(String typeName, int code) {
        this.typeName = typeName;
        this.code = code;
    }

    /** Redis's OBJ_* code (OBJ_MODULE is 5): mixed into DEBUG digests. */
    public int rdbObjectCode() {
        return code;
    }

    /** "string", "list", ...: what TYPE replies. */
    public String typeName() {
        return typeName;
    }
}
