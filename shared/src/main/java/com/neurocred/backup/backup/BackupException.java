package com.neurocred.backup.backup;

/**
 * A backup run that failed, with the stage it failed in and the alert type to raise
 * ({@code BACKUP_FAILED}, {@code BACKUP_TIMEOUT} or {@code UPLOAD_FAILED}). The message says what went wrong and what to do.
 */
public class BackupException extends RuntimeException {
    public static final String BACKUP_FAILED = "BACKUP_FAILED";
    public static final String BACKUP_TIMEOUT = "BACKUP_TIMEOUT";
    /** Writing the dump to the store (an S3 upload, or the backup directory) failed. */
    public static final String UPLOAD_FAILED = "UPLOAD_FAILED";
    /** The backup directory has no room for the next backup. */
    public static final String STORAGE_LOW = "STORAGE_LOW";
    /**
     * Another run of the same backup of the environment holds the lease (a duplicate event, an operator
     * beside the schedule): this run stopped before writing anything. Not a failure.
     */
    public static final String BACKUP_ALREADY_RUNNING = "BACKUP_ALREADY_RUNNING";

    private final BackupStage stage;
    private final String alertType;

    public BackupException(BackupStage stage, String message, Throwable cause) {
        this(stage, BACKUP_FAILED, message, cause);
    }

    public BackupException(BackupStage stage, String alertType, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.alertType = alertType;
    }

    public BackupStage stage() {
        return stage;
    }

    public String alertType() {
        return alertType;
    }
}
