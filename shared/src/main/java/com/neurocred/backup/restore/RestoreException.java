package com.neurocred.backup.restore;

/** A restore that was refused or failed; the message says why and what to do. */
public class RestoreException extends RuntimeException {
    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public RestoreException(String message) {
        super(message);
    }
}
