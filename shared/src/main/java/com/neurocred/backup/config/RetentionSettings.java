package com.neurocred.backup.config;

import java.time.Duration;

/**
 * Retention and health thresholds beyond the day window ({@code DB_BACKUP_RETENTION_DAYS}).
 *
 * @param minKeep        the newest verified sets kept whatever their age ({@code RETENTION_MIN_KEEP})
 * @param rpo            the age of the newest verified backup that raises BACKUP_MISSING, grace included
 * @param minFreeBytes   the floor of free space in the backup directory ({@code STORAGE_MIN_FREE_MB})
 */
public record RetentionSettings(int minKeep, int keepDaily, int keepWeekly, int keepMonthly, Duration rpo,
                                long minFreeBytes, boolean manageLifecycle, Duration walRetention) {

    public static final String RETENTION_MIN_KEEP = "RETENTION_MIN_KEEP";
    public static final String RETENTION_KEEP_DAILY = "RETENTION_KEEP_DAILY";
    public static final String RETENTION_KEEP_WEEKLY = "RETENTION_KEEP_WEEKLY";
    public static final String RETENTION_KEEP_MONTHLY = "RETENTION_KEEP_MONTHLY";
    public static final String RPO_HOURS = "RPO_HOURS";
    public static final String RPO_GRACE_HOURS = "RPO_GRACE_HOURS";
    public static final String STORAGE_MIN_FREE_MB = "STORAGE_MIN_FREE_MB";
    public static final String MANAGE_LIFECYCLE_RULES = "MANAGE_LIFECYCLE_RULES";
    public static final String WAL_RETENTION_DAYS = "WAL_RETENTION_DAYS";

    static RetentionSettings read(EnvironmentReader in) {
        int rpoHours = in.integer(RPO_HOURS, 24, 1, 24 * 365);
        int graceHours = in.integer(RPO_GRACE_HOURS, 2, 0, 24 * 30);
        return new RetentionSettings(in.integer(RETENTION_MIN_KEEP, 3, 1, 10_000),
                in.integer(RETENTION_KEEP_DAILY, 0, 0, 10_000), in.integer(RETENTION_KEEP_WEEKLY, 0, 0, 10_000),
                in.integer(RETENTION_KEEP_MONTHLY, 0, 0, 10_000), Duration.ofHours(rpoHours + graceHours),
                in.integer(STORAGE_MIN_FREE_MB, 1024, 0, Integer.MAX_VALUE) * 1024L * 1024L,
                in.bool(MANAGE_LIFECYCLE_RULES, true),
                Duration.ofDays(in.integer(WAL_RETENTION_DAYS, 7, 1, 36500)));
    }
}
