package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.backlog.DroppedWal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code WAL_BACKLOG_DROP=true}: availability before point-in-time recovery, and only at the edge. A segment the
 * archive could not take is let go (wal-push answers 0, the server recycles it) only when pg_wal's file system has
 * less free space than {@code WAL_DISK_MIN_FREE_MB}, the point where the next step is PostgreSQL stopping. Unlike
 * pgBackRest's {@code archive-push-queue-max} it is never quiet: every drop is journalled for the functions (who
 * alert and restart the PITR window with a base backup) and said by the caller.
 */
public final class WalDropPolicy {
    private final boolean enabled;
    private final long minFreeBytes;
    private final DropJournal journal;
    private final Clock clock;

    public WalDropPolicy(boolean enabled, long minFreeBytes, DropJournal journal, Clock clock) {
        this.enabled = enabled;
        this.minFreeBytes = minFreeBytes;
        this.journal = journal;
        this.clock = clock;
    }

    /** A drop, when allowed now for this segment the archive could not take: journalled before it is answered. */
    public Optional<Drop> dropIfAllowed(Path segment) throws IOException {
        if (!enabled || minFreeBytes <= 0) {
            return Optional.empty();
        }
        long free = Files.getFileStore(segment.toAbsolutePath().getParent()).getUsableSpace();
        if (free >= minFreeBytes) {
            return Optional.empty();
        }
        DroppedWal record = journal.record(segment.getFileName().toString(), clock.instant());
        return Optional.of(new Drop(record, free));
    }

    /** What was dropped, with the free space that allowed it. */
    public record Drop(DroppedWal journal, long freeBytes) {
        public String describe(String segment, String cause) {
            return segment + " DROPPED, NOT archived (WAL_BACKLOG_DROP=true): pg_wal has " + (freeBytes >> 20)
                    + " MiB free, under WAL_DISK_MIN_FREE_MB, and the archive could not take it (" + cause + "). "
                    + "Point-in-time recovery cannot cross " + journal.firstDropped() + " (" + journal.count()
                    + " dropped since " + journal.firstAt() + ") until a base backup is taken after it; the WAL check "
                    + "starts one. Fix the archive, then check the next base backup verified";
        }
    }
}
