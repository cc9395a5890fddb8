package com.neurocred.backup.backup;

import com.neurocred.backup.notify.AlertType;

/**
 * A backup run that failed, with the stage it failed in and the alert type to raise ({@code BACKUP_FAILED},
 * {@code BACKUP_TIMEOUT}, {@code UPLOAD_FAILED}, {@code STORAGE_LOW}, or {@code BACKUP_ALREADY_RUNNING}, which
 * is not a failure: another run holds the lease and this one wrote nothing). The message says what went wrong
 * and what to do.
 */
public class BackupException extends RuntimeException {
    private final BackupStage stage;
    private final AlertType alertType;

    public BackupException(BackupStage stage, String message, Throwable cause) {
        this(stage, AlertType.BACKUP_FAILED, message, cause);
    }

    public BackupException(BackupStage stage, AlertType alertType, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.alertType = alertType;
    }

    public BackupStage stage() {
        return stage;
    }

    public AlertType alertType() {
        return alertType;
    }
}
