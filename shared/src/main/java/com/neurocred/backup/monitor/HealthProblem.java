package com.neurocred.backup.monitor;

import com.neurocred.backup.notify.AlertType;
import java.util.Map;

/**
 * A promise not kept (RPO, WAL archiving, free space, believable backup times): its alert type
 * (BACKUP_MISSING, WAL_ARCHIVE_UNHEALTHY, STORAGE_LOW or BACKUP_TIME_ANOMALY), severity, what was measured
 * and the threshold.
 */
public record HealthProblem(AlertType type, String severity, String message, Map<String, Object> measured) {
}
