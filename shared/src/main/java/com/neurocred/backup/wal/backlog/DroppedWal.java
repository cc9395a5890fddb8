package com.neurocred.backup.wal.backlog;

import java.time.Instant;

/**
 * WAL that wal-push let the server recycle without archiving it ({@code WAL_BACKLOG_DROP=true} with pg_wal's disk
 * nearly full): point-in-time recovery cannot cross it, and only a base backup taken after {@code lastAt} starts a
 * recoverable window again. Kept by the host in its spool and carried to the archive in the host report.
 *
 * @param firstDropped the first segment not archived (recovery from an older base backup stops before it)
 * @param lastDropped  the newest segment not archived
 * @param count        how many were dropped
 * @param firstAt      ISO-8601 instant of the first drop
 * @param lastAt       ISO-8601 instant of the newest drop
 */
public record DroppedWal(String firstDropped, String lastDropped, long count, String firstAt, String lastAt) {

    /** The journal after one more dropped segment. */
    public DroppedWal plus(String segment, Instant at) {
        return new DroppedWal(firstDropped, segment, count + 1, firstAt, at.toString());
    }

    public static DroppedWal first(String segment, Instant at) {
        return new DroppedWal(segment, segment, 1, at.toString(), at.toString());
    }

    public Instant lastInstant() {
        return Instant.parse(lastAt);
    }
}
