package com.neurocred.backup.postgres;

/**
 * What a backup records about the server at its start.
 *
 * @param walLsn  {@code pg_current_wal_lsn()} (on a standby, the last replayed position)
 * @param walFile the WAL segment holding that position; null on a standby, where PostgreSQL cannot name it
 * @param systemIdentifier the cluster's ({@code pg_control_system()}), which its WAL carries; null where the
 *                         user may not read it
 */
public record ServerInfo(String database, PgVersion version, boolean inRecovery, String walLsn, String walFile,
                         long databaseSizeBytes, String systemIdentifier) {
}
