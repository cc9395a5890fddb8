package com.neurocred.backup.notify;

/**
 * Every CloudWatch metric the jobs emit (namespace {@link EmfMetrics#NAMESPACE}, dimension {@code Environment}): the
 * one place that names them, for the jobs, the template's alarms and docs/alerts.md, which tests hold to this list.
 */
public enum Metric {
    BACKUP_DURATION_SECONDS("BackupDurationSeconds", "Seconds", "backup",
            "how long a successful backup (full or base) took, from the dump's start to its manifest"),
    BACKUP_BYTES("BackupBytes", "Bytes", "backup", "the stored (compressed) size of a successful backup"),
    BACKUP_THROUGHPUT_MBPS("BackupThroughputMBps", "Megabytes/Second", "backup",
            "megabytes of SQL (uncompressed) a successful full backup dumped per second"),
    BACKUP_FAILED("BackupFailed", "None", "backup", "1 for a failed backup run, 0 for a successful one"),
    WAL_ARCHIVE_LAG_SECONDS("WalArchiveLagSeconds", "Seconds", "backup (wal check)",
            "seconds since the server last archived a WAL segment (pg_stat_archiver), at each WAL check"),
    WAL_ARCHIVE_BACKLOG_SEGMENTS("WalArchiveBacklogSegments", "Count", "backup (wal check)",
            "WAL segments waiting for archive_command (pg_wal/archive_status), at each WAL check the role may list them"),
    VERIFICATION_PASSED("VerificationPassed", "None", "verify", "1 for a verification that passed, 0 for one that did not"),
    RESTORE_SECONDS("RestoreSeconds", "Seconds", "verify",
            "how long the restore test took (the RTO measured on every verified backup)"),
    NEWEST_VERIFIED_BACKUP_AGE_HOURS("NewestVerifiedBackupAgeHours", "None", "retention",
            "hours since the newest backup that passed verification was taken (the RPO); the RPO alarm's metric"),
    RETENTION_DELETED_SETS("RetentionDeletedSets", "None", "retention", "backup sets the retention run deleted"),
    RETENTION_FREED_BYTES("RetentionFreedBytes", "Bytes", "retention", "bytes the retention run freed");

    private final String metricName;
    private final String unit;
    private final String sentBy;
    private final String meaning;

    Metric(String metricName, String unit, String sentBy, String meaning) {
        this.metricName = metricName;
        this.unit = unit;
        this.sentBy = sentBy;
        this.meaning = meaning;
    }

    /** The name in CloudWatch. */
    public String metricName() {
        return metricName;
    }

    /** The EMF (CloudWatch) unit. */
    public String unit() {
        return unit;
    }

    /** Which job emits it. */
    public String sentBy() {
        return sentBy;
    }

    /** What it measures, as the docs say it. */
    public String meaning() {
        return meaning;
    }
}
