package com.neurocred.backup.postgres;

/** No pg_dump that can dump this server: the message names the versions found and {@code PG_BIN}. */
public class PgToolsNotUsableException extends RuntimeException {
    public PgToolsNotUsableException(String message) {
        super(message);
    }
}
