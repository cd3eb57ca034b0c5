package dev.clusteremu.server.keyspace;

/**
 * One entry of a {@link Dict}: a byte-string key with its hash computed once, chained to the next entry of
 * its bucket. Owners extend it with their own fields (the keyspace adds the value, the expire time and the
 * per-slot links), so a lookup lands on everything about a key with one pointer, as Redis's dictEntry plus
 * its metadata does.
 */
public abstract class DictEntry {
    final byte[] key;
    final int hash;
    DictEntry next;

    protected DictEntry(byte[] key) {
        this.key = key;
        this.hash = Dict.hash(key);
    }

    /** The key's bytes. Callers must not modify them. */
    public final byte[] key() {
        return key;
    }
}
