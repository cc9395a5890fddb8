package com.neurocred.backup.notify;

import com.neurocred.backup.wal.backlog.DroppedWal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One alert of every type as the functions send it (the messages are theirs, with made-up names and numbers):
 * what the renderer is tested on and what docs/alerts.md shows, so the docs show real output.
 */
final class AlertSamples {
    private static final String BUCKET = "s3://neurocred-backup-123456789012-us-east-1-production/production/";

    private AlertSamples() {
    }

    /** Every type, in the order docs/alerts.md lists them (the enum's). */
    static Map<AlertType, Alert> all() {
        Map<AlertType, Alert> samples = new LinkedHashMap<>();
        samples.put(AlertType.BACKUP_FAILED, alert(AlertType.BACKUP_FAILED, "connect",
                "password authentication failed for backup@db.internal:5432/neurocred: check DB_PASSWORD (or the "
                        + "password in DB_SECRET_ARN)", "2026-01-15T02:00:03Z", null, null));
        samples.put(AlertType.UPLOAD_FAILED, alert(AlertType.UPLOAD_FAILED, "upload",
                "could not reach S3 to upload a part of " + BUCKET + "neurocred_production_20260115_020000.sql.gz: "
                        + "Unable to execute HTTP request: Connect timed out; the upload was aborted",
                "2026-01-15T02:03:41Z", null, null));
        samples.put(AlertType.BACKUP_TIMEOUT, alert(AlertType.BACKUP_TIMEOUT, "dump",
                "the backup of neurocred ran out of time after 870 s and 41,234,567,890 bytes of pg_dump output: it "
                        + "has outgrown one function run; the next full backup runs as the Fargate task by itself "
                        + "(BACKUP_RUNNER=auto); to run it as the task now, invoke the backup function with "
                        + "{\"type\":\"full\",\"runner\":\"fargate\"}. pg_dump was stopped; the upload was aborted",
                "2026-01-15T02:14:30Z", null, null));
        samples.put(AlertType.BACKUP_ALREADY_RUNNING, new Alert(AlertType.BACKUP_ALREADY_RUNNING.id(), Alert.INFO,
                "production", "neurocred", "store", "another full backup of production started at "
                + "2026-01-15T02:00:00.412Z is running (Lambda function neurocred-backup-production-BackupFunction "
                + "(2026/01/15/[$LATEST]4f1c0e9a)): this run stopped without writing anything",
                "2026-01-15T02:00:07.118Z", null, null));
        samples.put(AlertType.WAL_ARCHIVE_UNHEALTHY, alert(AlertType.WAL_ARCHIVE_UNHEALTHY, "wal_check",
                "PITR_ENABLED=true but WAL archiving is not healthy: archiving is failing: 12 failures, the last for "
                        + "0000000100000A2B00000041 at 2026-01-15T10:14:00Z (last success 0000000100000A2B00000040 at "
                        + "2026-01-15T09:59:00Z); read the server log for the archive_command's error",
                "2026-01-15T10:15:00Z", null, Map.of("archiver", Map.of("archiveMode", "on", "failedCount", 12))));
        samples.put(AlertType.WAL_ARCHIVE_BACKLOG, new Alert(AlertType.WAL_ARCHIVE_BACKLOG.id(), Alert.CRITICAL,
                "production", "neurocred", "wal_check", "WAL archive backlog: 403 segments (6,448 MiB) wait for "
                + "archive_command, more than WAL_BACKLOG_ALERT_SEGMENTS=64, the oldest 0000000100000A2B00000041 for "
                + "2.2 h; over 10 s archive_command pushed 0.10 segments/s and the backlog grew by 0.30 segments/s; "
                + "pg_wal on db-1 has 24,000 MiB free (as of 2026-01-15T10:12:00Z): full in about 83 min at this rate",
                "2026-01-15T10:15:10Z", null, backlog()));
        samples.put(AlertType.VERIFICATION_PASSED, new Alert(AlertType.VERIFICATION_PASSED.id(), Alert.INFO,
                "production", "neurocred", "verify", "backup 20260115_020000 SUCCESSFUL: all 8 checks passed, "
                + "restored in 512.4 s", "2026-01-15T02:14:02Z", "SUCCESSFUL",
                verification(4123456789L, 512.4, List.of())));
        samples.put(AlertType.VERIFICATION_FAILED, new Alert(AlertType.VERIFICATION_FAILED.id(), Alert.CRITICAL,
                "production", "neurocred", "verify", "backup 20260115_020000 FAILED: sha256: stored object hashes to "
                + "9f2c41aa, the manifest says 41d07b3e; compression: the gzip stream is damaged after 176,681 bytes "
                + "of SQL: Corrupt GZIP trailer", "2026-01-15T02:05:10Z", "FAILED",
                verification(4123456789L, null, List.of("sha256", "compression", "restore"))));
        samples.put(AlertType.VERIFICATION_ERROR, new Alert(AlertType.VERIFICATION_ERROR.id(), Alert.WARNING,
                "production", "neurocred", "verify", "backup 20260115_020000 ERROR: restore: could not connect to "
                + "the scratch server: connection to scratch.db.internal:5432 refused", "2026-01-15T02:04:12Z", "ERROR",
                verification(4123456789L, null, List.of("restore"))));
        samples.put(AlertType.SIZE_ANOMALY, new Alert(AlertType.SIZE_ANOMALY.id(), Alert.WARNING, "production",
                "neurocred", "verify", "backup 20260115_020000 SUCCESSFUL: size_anomaly: 1,048,576 bytes is 25% of the "
                + "median of the last 7 verified backups (4,194,304 bytes); expected 50%-200%", "2026-01-15T02:06:00Z",
                "SUCCESSFUL", verification(1048576L, 3.2, List.of())));
        samples.put(AlertType.RETENTION_APPLIED, alert(AlertType.RETENTION_APPLIED, "retention",
                "2 backup sets deleted (8246913578 bytes), 93 kept", "2026-01-15T04:00:12Z", null,
                retention(List.of("20251016_020000", "20251017_020000"))));
        samples.put(AlertType.RETENTION_INCOMPLETE, alert(AlertType.RETENTION_INCOMPLETE, "retention",
                "1 objects could not be deleted and will be retried on the next run: "
                        + "manifest_production_20251016_020000.json (AccessDenied: Access Denied)",
                "2026-01-15T04:00:12Z", null, retention(List.of())));
        samples.put(AlertType.RETENTION_FAILED, alert(AlertType.RETENTION_FAILED, "configuration",
                "invalid configuration (1 problem):\n  - DB_BACKUP_RETENTION_DAYS='thirty' is invalid: expected an "
                        + "integer from 1 to 36500", "2026-01-15T04:00:01Z", null, null));
        samples.put(AlertType.BACKUP_MISSING, alert(AlertType.BACKUP_MISSING, "health",
                "the newest verified backup is 49.0 h old (2026-01-13T02:00:00Z), past the 26 h RPO: check that "
                        + "backups run and pass verification", "2026-01-15T04:00:13Z", null,
                Map.of("thresholdHours", 26, "newestVerifiedBackup", "2026-01-13T02:00:00Z", "ageHours", 49.0)));
        samples.put(AlertType.STORAGE_LOW, new Alert(AlertType.STORAGE_LOW.id(), Alert.WARNING, "development",
                "neurocred", "health", "/backups has 734,003,200 bytes free, below 1,073,741,824 (the larger of twice "
                + "the last backup and STORAGE_MIN_FREE_MB): free space or move BACKUP_DIR before the next backup",
                "2026-01-15T04:00:13Z", null,
                Map.of("freeBytes", 734003200L, "thresholdBytes", 1073741824L, "lastBackupBytes", 412341234L)));
        samples.put(AlertType.BACKUP_TIME_ANOMALY, alert(AlertType.BACKUP_TIME_ANOMALY, "health",
                "backup set 20270115_020000 (364.9 days ahead, " + BUCKET + "neurocred_production_20270115_020000.sql.gz) "
                        + "is dated more than 5 min in the future. A name is not proof of time, so it counts for "
                        + "neither the RPO nor 'latest' nor retention's keeps, and retention keeps it: check the clock "
                        + "of the machine that made it and who can write to the store, then delete it by hand if not a "
                        + "real backup", "2026-01-15T04:00:13Z", null,
                Map.of("futureDated", List.of("20270115_020000"), "toleranceMinutes", 5)));
        return samples;
    }

    /**
     * Alerts whose message differs so much by cause that docs/alerts.md shows them beside the type's sample in
     * {@link #all()}.
     */
    static List<Alert> variants() {
        return List.of(new Alert(AlertType.WAL_ARCHIVE_BACKLOG.id(), Alert.CRITICAL, "production", "neurocred",
                "wal_check", "WAL dropped without archiving under WAL_BACKLOG_DROP=true: 12 segments from "
                + "0000000100000A2B00000030 (2026-01-15T09:40:00Z) to 0000000100000A2B0000003B (2026-01-15T09:52:00Z); "
                + "point-in-time recovery cannot cross 0000000100000A2B00000030, and a base backup started after "
                + "2026-01-15T09:52:00Z restarts the window (the newest, manifest_production_20260114_020000.json, "
                + "started 2026-01-14T02:00:00Z); WAL archive backlog: 3 segments (48 MiB) wait for archive_command, "
                + "the oldest 0000000100000A2B00000041 for 2.2 h; pg_wal on db-1 has 24,000 MiB free (as of "
                + "2026-01-15T10:12:00Z)", "2026-01-15T10:15:10Z", null, droppedWal()),
                // The watch of the Fargate task (events/ecs-task-stopped.json): killed before its job reported.
                new Alert(AlertType.BACKUP_FAILED.id(), Alert.CRITICAL, "production", null, "runner", "the Fargate task "
                        + "arn:aws:ecs:us-east-1:123456789012:task/neurocred-backup-production/7c3f0a8e5b2d4c1e9f6a0b1c2d3e4f50 "
                        + "(neurocred-backup backup production full) stopped with exit code 137 (EssentialContainerExited: "
                        + "Essential container in task exited; OutOfMemoryError: Container killed due to memory usage), and "
                        + "its job reported no result of its own: no backup was made by it. exit code 137 is a kill "
                        + "(SIGKILL): most often out of memory, so raise TaskMemory; a stop that outlasted the task's stop "
                        + "timeout too. Then start the run again: invoke the backup function with "
                        + "{\"type\":\"full\",\"runner\":\"fargate\"}", "2026-01-15T02:41:13Z", null, taskStopped()));
    }

    /** As TaskStopWatch fills them in. */
    private static Map<String, Object> taskStopped() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("taskArn", "arn:aws:ecs:us-east-1:123456789012:task/neurocred-backup-production/7c3f0a8e5b2d4c1e9f6a0b1c2d3e4f50");
        details.put("stopCode", "EssentialContainerExited");
        details.put("exitCode", 137);
        details.put("runId", "89d1a02d-5ec7-412e-82f5-13505f849b41");
        return details;
    }

    /** In production, with the type's usual severity. */
    private static Alert alert(AlertType type, String stage, String message, String time, String status,
                               Map<String, Object> details) {
        return new Alert(type.id(), type.severity(), "production", "neurocred", stage, message, time, status, details);
    }

    /** As VerifyJob fills them in, for the backup of 2026-01-15 02:00. */
    private static Map<String, Object> verification(long storedBytes, Double restoreSeconds, List<String> failedChecks) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("record", BUCKET + "verification_production_20260115_020000.json");
        details.put("dataFile", "neurocred_production_20260115_020000.sql.gz");
        details.put("storedBytes", storedBytes);
        if (restoreSeconds != null) {
            details.put("restoreSeconds", restoreSeconds);
        }
        details.put("failedChecks", failedChecks);
        return details;
    }

    /** As WalBacklog.measured() fills them in. */
    private static Map<String, Object> backlog() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("readySegments", 403L);
        details.put("readyBytes", 6761218048L);
        details.put("oldestReadySegment", "0000000100000A2B00000041");
        details.put("oldestReadyAgeSeconds", 7980L);
        details.put("pushedSegmentsPerSecond", 0.1);
        details.put("growthSegmentsPerSecond", 0.3);
        details.put("sampleSeconds", 10.0);
        details.put("freeBytes", 25165824000L);
        details.put("freeBytesAsOf", "2026-01-15T10:12:00Z");
        details.put("host", "db-1");
        details.put("reportFresh", true);
        details.put("secondsUntilFull", 5000L);
        details.put("alertSegments", 64);
        details.put("minFreeBytes", 2147483648L);
        return details;
    }

    /** As WalBacklog.measured() fills them in for dropped WAL under a short backlog. */
    private static Map<String, Object> droppedWal() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("readySegments", 3L);
        details.put("readyBytes", 50331648L);
        details.put("oldestReadySegment", "0000000100000A2B00000041");
        details.put("oldestReadyAgeSeconds", 7980L);
        details.put("freeBytes", 25165824000L);
        details.put("freeBytesAsOf", "2026-01-15T10:12:00Z");
        details.put("host", "db-1");
        details.put("reportFresh", true);
        details.put("alertSegments", 64);
        details.put("minFreeBytes", 2147483648L);
        details.put("dropped", new DroppedWal("0000000100000A2B00000030", "0000000100000A2B0000003B", 12,
                "2026-01-15T09:40:00Z", "2026-01-15T09:52:00Z"));
        return details;
    }

    private static Map<String, Object> retention(List<String> deleted) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deleted", deleted);
        details.put("kept", 93);
        details.put("bytesFreed", 8246913578L);
        details.put("unrecognised", List.of());
        return details;
    }
}
