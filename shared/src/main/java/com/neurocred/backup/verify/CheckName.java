package com.neurocred.backup.verify;

/**
 * The checks a verification runs, by name: the {@link #id()} is what verification records store and
 * operators read ({@code ok   sha256 ...}), so it never changes; the constant is what code refers to.
 */
public enum CheckName {
    /** The manifest parses and names the data file of its own set. */
    MANIFEST("manifest"),
    /** The data file exists and can be read. */
    DATA_FILE("data_file"),
    /** Reading the stored object failed part-way. */
    READ("read"),
    SIZE("size"),
    SHA256("sha256"),
    /** The whole gzip (or zstd) stream inflates; CRC and length agree. */
    COMPRESSION("compression"),
    /** pg_dump's header and footer, closed COPY blocks, balanced quoting, no psql meta-commands. */
    SQL_STRUCTURE("sql_structure"),
    /** Every table of the manifest is in the dump with its exact rows. */
    TABLES("tables"),
    CRITICAL_TABLES("critical_tables"),
    /** A custom-format archive's table of contents (pg_restore --list). */
    ARCHIVE_TOC("archive_toc"),
    /** The restore test into a scratch database. */
    RESTORE("restore"),
    /** Owners and privileges after the restore test, against the manifest. */
    OWNERSHIP("ownership"),
    /** A warning, never a failure: the size against recent verified backups. */
    SIZE_ANOMALY("size_anomaly"),
    /** A base archive's tar and every file against PostgreSQL's backup_manifest. */
    TAR("tar"),
    /** The WAL a base backup needs, in the archive. */
    WAL("wal"),
    /** The verification's lease, lost while it ran. */
    LEASE("lease");

    private final String id;

    CheckName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
