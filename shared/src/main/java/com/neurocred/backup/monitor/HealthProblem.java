package com.neurocred.backup.monitor;

import java.util.Map;

/** A promise not kept (RPO, WAL archiving, free space, believable backup times): its alert type, severity, what was measured and the threshold. */
public record HealthProblem(String type, String severity, String message, Map<String, Object> measured) {
    public static final String BACKUP_MISSING = "BACKUP_MISSING";
    public static final String WAL_ARCHIVE_UNHEALTHY = "WAL_ARCHIVE_UNHEALTHY";
    public static final String STORAGE_LOW = "STORAGE_LOW";
    /** A backup set (full or base) dated more than a few minutes in the future: a skewed clock or a forged name. */
    public static final String BACKUP_TIME_ANOMALY = "BACKUP_TIME_ANOMALY";
}
