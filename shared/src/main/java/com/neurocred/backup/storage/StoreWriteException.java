package com.neurocred.backup.storage;

import java.io.IOException;

/**
 * Writing to a store failed while the bytes were streaming. An {@link IOException} so it can pass through
 * stream code, and its own type so a caller can tell a store failure from a failing source.
 */
public class StoreWriteException extends IOException {
    public StoreWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
