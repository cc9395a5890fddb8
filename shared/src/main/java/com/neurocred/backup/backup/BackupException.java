package com.neurocred.backup.backup;

/**
 * A backup run that failed, with the stage it failed in and the alert type to raise
 * ({@code BACKUP_FAILED} or {@code BACKUP_TIMEOUT}). The message says what went wrong and what to do.
 */
public class BackupException extends RuntimeException {
    public static final String BACKUP_FAILED = "BACKUP_FAILED";
    public static final String BACKUP_TIMEOUT = "BACKUP_TIMEOUT";

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
