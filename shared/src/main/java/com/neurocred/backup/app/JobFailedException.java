package com.neurocred.backup.app;

/**
 * The one exception a failed run ends with: its message has secrets masked and it carries no cause, so
 * neither Lambda's error report nor a stack trace can print a password held by a lower layer's message.
 */
public class JobFailedException extends RuntimeException {
    private final String stage;
    private final String alertType;

    public JobFailedException(String alertType, String stage, String maskedMessage) {
        super(alertType + " at stage " + stage + ": " + maskedMessage, null, false, true);
        this.stage = stage;
        this.alertType = alertType;
    }

    public String stage() {
        return stage;
    }

    public String alertType() {
        return alertType;
    }
}
