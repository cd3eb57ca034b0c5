package dev.clusteremu.server.rdb;

import java.io.IOException;

/**
 * Receives the contents of an RDB in file order from {@link RdbReader}. Every method but
 * {@link #keyValue} has a default, so a visitor implements only what it needs; any method may throw to
 * stop the read.
 *
 * @param <V> the value representation its {@link ValueDecoder} produces
 */
public interface RdbVisitor<V> {

    /**
     * An AUX field. Redis reads repl-stream-db, repl-id, repl-offset, used-mem, aof-base and friends from
     * these and skips names it does not know, as AUX fields require.
     */
    default void aux(byte[] name, byte[] value) throws IOException {
    }

    /** SELECTDB: the keys that follow belong to {@code db}. */
    default void selectDb(int db) throws IOException {
    }

    /** RESIZEDB: a sizing hint for the current database. */
    default void resizeDb(long dbSize, long expiresSize) throws IOException {
    }

    /**
     * A function library's code (FUNCTION2; a 7.0-rc FUNCTION record is given in the same form, its name
     * and engine turned into the "#!engine name=..." first line as Redis converts it).
     */
    default void functionLibrary(byte[] code) throws IOException {
    }

    /**
     * Module data outside the keyspace (MODULE_AUX), already consumed: the module type id, the "when"
     * value (before or after the keys) and the annotated data up to and including its EOF opcode.
     * A server without that module cannot load it, so by default this fails with redis-server's message.
     */
    default void moduleAux(long moduleId, long when, byte[] data) throws IOException {
        throw new RdbFormatException("The RDB file contains AUX module data I can't load: no matching module '"
                + RawValues.moduleTypeName(moduleId) + "'");
    }

    /** One key and its value. */
    void keyValue(RdbKey key, V value) throws IOException;
}
