package com.neurocred.backup.app;

import com.neurocred.backup.notify.AlertType;

/**
 * The one exception a failed run ends with: its message has secrets masked and it carries no cause, so
 * neither Lambda's error report nor a stack trace can print a password held by a lower layer's message.
 */
public class JobFailedException extends RuntimeException {
    private final String stage;
    private final AlertType alertType;

    public JobFailedException(AlertType alertType, String stage, String maskedMessage) {
        super(alertType.id() + " at stage " + stage + ": " + maskedMessage, null, false, true);
        this.stage = stage;
        this.alertType = alertType;
    }

    public String stage() {
        return stage;
    }

    public AlertType alertType() {
        return alertType;
    }
}
