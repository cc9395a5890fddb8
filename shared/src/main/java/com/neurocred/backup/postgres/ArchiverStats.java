package com.neurocred.backup.postgres;

/** WAL archiving settings and the counters of {@code pg_stat_archiver}. Times are ISO-8601 or null. */
public record ArchiverStats(
        String archiveMode,
        String walLevel,
        String archiveCommand,
        long archivedCount,
        String lastArchivedWal,
        String lastArchivedTime,
        long failedCount,
        String lastFailedWal,
        String lastFailedTime,
        String statsReset,
        String checkedAt) {
}
