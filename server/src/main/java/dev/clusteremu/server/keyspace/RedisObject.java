package dev.clusteremu.server.keyspace;

/**
 * A value stored under a key (robj): one final class per data type. The hierarchy is sealed so that code
 * switching over types is checked for completeness; each new data type joins the permits list.
 */
public sealed interface RedisObject permits StringValue, HashValue, SetValue, ListValue, ZSetValue,
        StreamValue {
    /** The reply to a command that meets a value of the wrong type (shared.wrongtypeerr). */
    String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    ObjectType type();

    /** The internal encoding as OBJECT ENCODING names it ("int", "embstr", "raw", "listpack", ...). */
    String encodingName();

    /**
     * A value equal to this one, in the same encoding, sharing nothing that a later in-place change of
     * either could alter (dupStringObject, listTypeDup, setTypeDup, ... for COPY). An immutable value may
     * return itself.
     */
    RedisObject duplicate();
}
