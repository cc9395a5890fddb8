package com.neurocred.backup.storage;

/** A store could not do what was asked; the message names the location and what to do. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
