package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.neurocred.backup.runner.RunnerDecision;
import java.util.List;

/**
 * What a backup set holds and how it was made. Written last, as the commit marker: a data file without a
 * manifest is an unfinished backup. Times are ISO-8601 UTC.
 *
 * @param uncompressedBytes bytes pg_dump wrote; null for the custom format, which pg_dump compresses itself
 * @param rowCountSource    {@code copy-stream} (counted as the dump passed) or {@code snapshot} (counted
 *                          in the snapshot the dump used)
 * @param walStop           base backups: the WAL position where the backup ended; recovery needs every
 *                          segment from {@code walStart} to here
 * @param timeline          the timeline the backup was taken on (full backups: absent on a standby, and in
 *                          manifests written before it was recorded)
 * @param walSegmentBytes   base backups: the cluster's WAL segment size, which maps positions to file names
 * @param postgresManifest  base backups: what PostgreSQL's backup_manifest (inside the tar) lists
 * @param globals           full backups: the roles, memberships, role and database settings the database needs
 *                          on a brand-new server; absent in manifests written before they were captured
 * @param systemIdentifier  the cluster's ({@code pg_control_system()}), which every WAL segment it writes carries and
 *                          the WAL archive records ({@code archive.json}); absent where the user may not read it
 * @param s3Checksum        in S3: the data file's checksum as S3 computed and checked it on arrival (the SHA-256
 *                          of its parts' SHA-256s, {@code base64-parts}); absent for a local directory
 * @param databaseBytes     the size PostgreSQL gave when the backup started ({@code pg_database_size}; for a base
 *                          backup every database's): with the duration, the rate the next run's runner is chosen by
 * @param runner            where the backup ran and why (the function, the Fargate task, the command line)
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
        @JsonAlias("dumpName") String dataFile,
        @JsonAlias("dumpLocation") String dataFileLocation,
        long compressedBytes,
        Long uncompressedBytes,
        String sha256,
        String serverVersion,
        @JsonAlias("pgDumpVersion") String toolVersion,
        WalPosition walStart,
        int retentionDays,
        String rowCountSource,
        List<TableRows> tables,
        WalPosition walStop,
        Integer timeline,
        Long walSegmentBytes,
        PostgresManifest postgresManifest,
        ClusterGlobals globals,
        String s3Checksum,
        String systemIdentifier,
        Long databaseBytes,
        RunnerDecision runner) {

    /**
     * 2: the data file is {@code dataFile}/{@code dataFileLocation} and the tool's version {@code toolVersion}
     * (1 said {@code dumpName}, {@code dumpLocation}, {@code pgDumpVersion}, still read through the aliases).
     */
    public static final int VERSION = 2;
    public static final String TYPE_FULL = "full";
    public static final String TYPE_BASE = "base";

    /** How long the backup took, in seconds; never zero, so a rate can be computed from it. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public double durationSeconds() {
        return Math.max(0.001, durationMillis / 1000.0);
    }

    /** Megabytes of SQL dumped per second; empty where pg_dump compressed itself (the custom format) or for a base backup. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public java.util.Optional<Double> throughputMBps() {
        return java.util.Optional.ofNullable(uncompressedBytes).map(bytes -> bytes / 1e6 / durationSeconds());
    }

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

    /** A full backup's manifest, field by field (the record's 29 components are too many to pass in order). */
    public static Builder full() {
        return new Builder(TYPE_FULL);
    }

    /** A base backup's manifest, field by field. */
    public static Builder base() {
        return new Builder(TYPE_BASE);
    }

    /** Builds a manifest by naming each field; unset fields are absent (null) or zero. */
    public static final class Builder {
        private final int manifestVersion = VERSION;
        private final String type;
        private String environment;
        private String database;
        private String host;
        private String startedAt;
        private String finishedAt;
        private long durationMillis;
        private String format;
        private String compression;
        private Integer compressionLevel;
        private String dataFile;
        private String dataFileLocation;
        private long compressedBytes;
        private Long uncompressedBytes;
        private String sha256;
        private String serverVersion;
        private String toolVersion;
        private WalPosition walStart;
        private int retentionDays;
        private String rowCountSource;
        private List<TableRows> tables;
        private WalPosition walStop;
        private Integer timeline;
        private Long walSegmentBytes;
        private PostgresManifest postgresManifest;
        private ClusterGlobals globals;
        private String s3Checksum;
        private String systemIdentifier;
        private Long databaseBytes;
        private RunnerDecision runner;

        private Builder(String type) {
            this.type = type;
        }

        /** Start and finish, and the duration between them. */
        public Builder ran(java.time.Instant started, java.time.Instant finished) {
            this.startedAt = started.toString();
            this.finishedAt = finished.toString();
            this.durationMillis = java.time.Duration.between(started, finished).toMillis();
            return this;
        }

        public Builder environment(String value) {
            this.environment = value;
            return this;
        }
        public Builder database(String value) {
            this.database = value;
            return this;
        }
        public Builder host(String value) {
            this.host = value;
            return this;
        }
        public Builder startedAt(String value) {
            this.startedAt = value;
            return this;
        }
        public Builder finishedAt(String value) {
            this.finishedAt = value;
            return this;
        }
        public Builder durationMillis(long value) {
            this.durationMillis = value;
            return this;
        }
        public Builder format(String value) {
            this.format = value;
            return this;
        }
        public Builder compression(String value) {
            this.compression = value;
            return this;
        }
        public Builder compressionLevel(Integer value) {
            this.compressionLevel = value;
            return this;
        }
        public Builder dataFile(String value) {
            this.dataFile = value;
            return this;
        }
        public Builder dataFileLocation(String value) {
            this.dataFileLocation = value;
            return this;
        }
        public Builder compressedBytes(long value) {
            this.compressedBytes = value;
            return this;
        }
        public Builder uncompressedBytes(Long value) {
            this.uncompressedBytes = value;
            return this;
        }
        public Builder sha256(String value) {
            this.sha256 = value;
            return this;
        }
        public Builder serverVersion(String value) {
            this.serverVersion = value;
            return this;
        }
        public Builder toolVersion(String value) {
            this.toolVersion = value;
            return this;
        }
        public Builder walStart(WalPosition value) {
            this.walStart = value;
            return this;
        }
        public Builder retentionDays(int value) {
            this.retentionDays = value;
            return this;
        }
        public Builder rowCountSource(String value) {
            this.rowCountSource = value;
            return this;
        }
        public Builder tables(List<TableRows> value) {
            this.tables = value;
            return this;
        }
        public Builder walStop(WalPosition value) {
            this.walStop = value;
            return this;
        }
        public Builder timeline(Integer value) {
            this.timeline = value;
            return this;
        }
        public Builder walSegmentBytes(Long value) {
            this.walSegmentBytes = value;
            return this;
        }
        public Builder postgresManifest(PostgresManifest value) {
            this.postgresManifest = value;
            return this;
        }
        public Builder globals(ClusterGlobals value) {
            this.globals = value;
            return this;
        }
        public Builder s3Checksum(String value) {
            this.s3Checksum = value;
            return this;
        }
        public Builder systemIdentifier(String value) {
            this.systemIdentifier = value;
            return this;
        }

        public Builder databaseBytes(Long value) {
            this.databaseBytes = value;
            return this;
        }
        public Builder runner(RunnerDecision value) {
            this.runner = value;
            return this;
        }

        public BackupManifest build() {
            return new BackupManifest(manifestVersion, type, environment, database, host, startedAt, finishedAt, durationMillis, format, compression, compressionLevel, dataFile, dataFileLocation, compressedBytes, uncompressedBytes, sha256, serverVersion, toolVersion, walStart, retentionDays, rowCountSource, tables, walStop, timeline, walSegmentBytes, postgresManifest, globals, s3Checksum, systemIdentifier, databaseBytes, runner);
        }
    }
}
