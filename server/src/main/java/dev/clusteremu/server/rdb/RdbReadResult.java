package dev.clusteremu.server.rdb;

/**
 * How an RDB read ended.
 *
 * @param rdbVersion the version in the "REDISnnnn" header
 * @param checksum the CRC-64 stored after EOF and verified against the data; 0 when the file was saved
 *     with rdbchecksum no (nothing to verify) or its version (before 5) has no checksum
 * @param bytesRead how many bytes the RDB took, header to checksum
 */
public record RdbReadResult(int rdbVersion, long checksum, long bytesRead) {
}
