package com.neurocred.backup.monitor;

import java.util.Map;

/** A promise not kept (RPO, WAL archiving, free space): its alert type, severity, what was measured and the threshold. */
public record HealthProblem(String type, String severity, String message, Map<String, Object> measured) {
    public static final String BACKUP_MISSING = "BACKUP_MISSING";
    public static final String WAL_ARCHIVE_UNHEALTHY = "WAL_ARCHIVE_UNHEALTHY";
    public static final String STORAGE_LOW = "STORAGE_LOW";
}
