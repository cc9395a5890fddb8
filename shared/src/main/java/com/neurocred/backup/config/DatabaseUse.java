package com.neurocred.backup.config;

/** What a command does with the database, which decides what of the DB_* settings must be set and checked. */
public enum DatabaseUse {
    /** Connects (backups, restores, the restore test): the server must be named and its TLS files usable. */
    CONNECTS,
    /**
     * Connects only for retention's WAL archiving check, which runs with PITR on and a server named: the
     * server may be missing, and the TLS files are checked when the check will run.
     */
    WAL_ARCHIVING_CHECK,
    /**
     * Never connects (wal-push, wal-fetch, list, checks of stored files): nothing of DB_* is required or
     * checked, so a certificate the command would not use can never stop WAL archiving.
     */
    NONE
}
