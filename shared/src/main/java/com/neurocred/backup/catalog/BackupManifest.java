package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a backup set holds and how it was made. Written last, as the commit marker: a dump without a
 * manifest is an unfinished backup. Times are ISO-8601 UTC.
 *
 * @param uncompressedBytes bytes pg_dump wrote; null for the custom format, which pg_dump compresses itself
 * @param rowCountSource    {@code copy-stream} (counted as the dump passed) or {@code snapshot} (counted
 *                          in the snapshot the dump used)
 * @param walStop           base backups: the WAL position where the backup ended; recovery needs every
 *                          segment from {@code walStart} to here
 * @param timeline          base backups: the timeline the backup was taken on
 * @param walSegmentBytes   base backups: the cluster's WAL segment size, which maps positions to file names
 * @param postgresManifest  base backups: what PostgreSQL's backup_manifest (inside the tar) lists
 * @param globals           full backups: the roles, memberships, role and database settings the database needs
 *                          on a brand-new server; absent in manifests written before they were captured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(
        int manifestVersion,
        String type,
        String environment,
        String database,
        String host,
        String startedAt,
        String finishedAt,
        long durationMillis,
        String format,
        String compression,
        Integer compressionLevel,
        String dumpName,
        String dumpLocation,
        long compressedBytes,
        Long uncompressedBytes,
        String sha256,
        String serverVersion,
        String pgDumpVersion,
        WalPosition walStart,
        int retentionDays,
        String rowCountSource,
        List<TableRows> tables,
        WalPosition walStop,
        Integer timeline,
        Long walSegmentBytes,
        PostgresManifest postgresManifest,
        ClusterGlobals globals) {

    public static final int VERSION = 1;
    public static final String TYPE_FULL = "full";
    public static final String TYPE_BASE = "base";

    /** PostgreSQL's own backup_manifest, summarised; its checksums are checked against every file on verification. */
    public record PostgresManifest(int files, long bytes, String checksumAlgorithm, String sha256) {
    }

    /** The server's WAL position when the backup started. */
    public record WalPosition(String lsn, String file) {
    }

    /**
     * A table, schema-qualified as pg_dump names it, and the rows its dump holds; with its owner and privileges
     * in the dump's snapshot, so a restore can be checked against them.
     *
     * @param owner      null in manifests written before owners were recorded
     * @param privileges the table's {@code relacl} items ({@code grantee=privileges/grantor}); null when the table
     *                   has its default privileges (or the manifest predates them)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TableRows(String name, long rows, String owner, List<String> privileges) {
        public TableRows(String name, long rows) {
            this(name, rows, null, null);
        }
    }
}
