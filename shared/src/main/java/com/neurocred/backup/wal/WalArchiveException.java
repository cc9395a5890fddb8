package com.neurocred.backup.wal;

/** A WAL push or fetch that must not be taken as done, and why, in words an operator can act on. */
public final class WalArchiveException extends RuntimeException {
    /** What went wrong, which decides the exit code PostgreSQL sees. */
    public enum Reason {
        /** The name is not a WAL file name (or tries to leave the archive). */
        BAD_NAME,
        /** A different file is already archived under the name; it was kept. */
        CONFLICT,
        /** The archive belongs to another cluster (its {@link ArchiveIdentity}); nothing was stored. */
        OTHER_CLUSTER,
        /** The stored object does not match its checksum or is not readable as one. */
        CORRUPT,
        /** The archive could not be read or written. */
        STORE_FAILED,
        /** The local file could not be read or written. */
        LOCAL_IO
    }

    private final Reason reason;

    public WalArchiveException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
