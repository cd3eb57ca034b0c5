package dev.clusteremu.server.rdb;

/**
 * The replication state an RDB carries in its aux fields when it is made for a replica or by a node that
 * has a replication backlog (Redis's rdbSaveInfo): the db the replication stream last selected, the
 * replication id, and the offset the RDB corresponds to.
 *
 * @param replStreamDb the "repl-stream-db" aux field
 * @param replId the 40-character "repl-id" aux field
 * @param replOffset the "repl-offset" aux field
 */
public record RdbSaveInfo(int replStreamDb, String replId, long replOffset) {
}
