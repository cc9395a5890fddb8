package com.neurocred.backup.notify;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every alert the functions publish, in one place: its wire id (the {@code type} field and message attribute,
 * which subscription filter policies match, so a constant's name must never change), the severity it
 * usually has, which function sends it, what it means, and what the on-call engineer should do first. The
 * e-mail text ({@link AlertText}) and docs/alerts.md are written from these.
 */
public enum AlertType {
    BACKUP_FAILED(Alert.CRITICAL, "backup, task watch",
            "A backup run (full, base or WAL check) failed, the backup function could not start, or the Fargate task "
                    + "running a backup stopped before it reported (stage runner).",
            "Fix the cause the message names (a setting, the database, a tool or an AWS service), then run the "
                    + "backup again. Should a restore be needed before a new backup verifies, use the newest verified one."),
    UPLOAD_FAILED(Alert.CRITICAL, "backup",
            "Writing the backup to S3 (or the backup directory) failed, and the upload was aborted.",
            "Check that the store can be reached and written by the backup function's role (the message names the "
                    + "error), then run the backup again."),
    BACKUP_TIMEOUT(Alert.CRITICAL, "backup",
            "The backup would have outlasted its time limit (the function's, or BACKUP_MAX_RUNTIME_SECONDS in the Fargate "
                    + "task): pg_dump was stopped and the upload aborted.",
            "With BackupRunner=auto the next run goes to the Fargate task by itself; to back up now, invoke the backup "
                    + "function with {\"type\":\"full\",\"runner\":\"fargate\"} (docs/runbook.md, \"When a backup moves "
                    + "to Fargate\"). With BackupRunner=lambda, deploy with auto. In the task, raise TaskMaxRuntimeSeconds."),
    BACKUP_ALREADY_RUNNING(Alert.INFO, "backup",
            "Another run of the same backup of this environment holds its lease, so this run wrote nothing.",
            "Nothing to do, unless it repeats: then look for a run that hangs or a schedule that starts the backup twice."),
    WAL_ARCHIVE_UNHEALTHY(Alert.CRITICAL, "backup (wal check), retention",
            "WAL archiving, which point-in-time recovery needs, is off, failing, stale or has holes.",
            "Read the database server's log for the archive_command's error and fix it; if the archive has holes, "
                    + "take a new base backup once archiving works."),
    WAL_ARCHIVE_BACKLOG(Alert.WARNING, "backup (wal check), retention",
            "WAL segments pile up in pg_wal faster than archive_command pushes them (or pg_wal's disk is nearly "
                    + "full); PostgreSQL keeps each until it is archived, and when that disk is full the database stops. "
                    + "With WAL_BACKLOG_DROP=true the host drops WAL instead, and point-in-time recovery cannot cross it.",
            "Read the database server's log for the archive_command's errors and check that the store's endpoint "
                    + "answers; if pushes succeed but are too slow, raise WAL_PUSH_CONCURRENCY. Free space for pg_wal "
                    + "if the message says the disk fills soon. If it says WAL was dropped, the WAL check is taking a "
                    + "base backup: check that it is stored and passes verification."),
    VERIFICATION_PASSED(Alert.INFO, "verify",
            "A backup passed every verification check.",
            "Nothing to do: the backup can be restored. The record lists what was checked."),
    VERIFICATION_FAILED(Alert.CRITICAL, "verify, task watch",
            "Verification found a backup bad (or was sent an object outside its environment), so it cannot be "
                    + "relied on; or the Fargate task running its restore test stopped before it reported (stage runner).",
            "Do not restore from this backup. Take a new backup and check that it verifies; the failed checks "
                    + "say how this one is damaged."),
    VERIFICATION_ERROR(Alert.WARNING, "verify",
            "A verification could not run or finish, so the backup was not judged.",
            "Fix what stopped the check (the message says: configuration, scratch database, time limit or access). "
                    + "The backup is verified again; until then it counts as unverified."),
    SIZE_ANOMALY(Alert.WARNING, "verify",
            "A backup passed verification, but its size is far from that of recent backups.",
            "Check whether the data really changed that much (a large delete or load); if not, find out what the "
                    + "dump is missing before relying on it."),
    RETENTION_APPLIED(Alert.INFO, "retention",
            "Retention deleted backup sets older than the retention period.",
            "Nothing to do, unless more sets went than the retention period explains: then check DB_BACKUP_RETENTION_DAYS."),
    RETENTION_INCOMPLETE(Alert.WARNING, "retention",
            "Retention could not delete some objects; they are retried on the next run.",
            "If it repeats, check that the retention function may delete in the backup bucket (the message names "
                    + "each error)."),
    RETENTION_FAILED(Alert.CRITICAL, "retention",
            "The retention function could not start, so neither retention nor the health checks ran.",
            "Fix what the message names (configuration, event or an AWS service it cannot reach); until then old "
                    + "backups stay and the RPO is not checked."),
    BACKUP_MISSING(Alert.CRITICAL, "retention",
            "No backup that passed verification is recent enough to meet the RPO.",
            "Find out why backups stopped or fail verification (look for BACKUP_FAILED and VERIFICATION_* alerts), "
                    + "then take a backup and check that it verifies."),
    STORAGE_LOW(Alert.WARNING, "retention, backup",
            "The backup directory has less free space than the next backup needs.",
            "Free space there or move BACKUP_DIR to a larger volume before the next backup."),
    BACKUP_TIME_ANOMALY(Alert.WARNING, "retention",
            "A backup set is dated in the future: a skewed clock or a forged name. It is kept and not counted.",
            "Check the clock of the machine that made it and who can write to the store; delete the set by hand "
                    + "if it is not a real backup.");

    private final String severity;
    private final String sentBy;
    private final String meaning;
    private final String firstStep;

    AlertType(String severity, String sentBy, String meaning, String firstStep) {
        this.severity = severity;
        this.sentBy = sentBy;
        this.meaning = meaning;
        this.firstStep = firstStep;
    }

    /** The wire value: the {@code type} field and message attribute. */
    public String id() {
        return name();
    }

    /** The severity it is usually sent with; a sender may raise or lower it (docs/alerts.md says when). */
    public String severity() {
        return severity;
    }

    /** Which function (and job) sends it. */
    public String sentBy() {
        return sentBy;
    }

    /** What happened, in one sentence a reader of the e-mail understands without the docs. */
    public String meaning() {
        return meaning;
    }

    /** What the on-call engineer should do first. */
    public String firstStep() {
        return firstStep;
    }

    /** The type of a received id; empty for one this version does not know (sent by a newer one). */
    public static Optional<AlertType> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }
}
