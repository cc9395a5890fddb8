package com.neurocred.backup.retention;

import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trims the WAL archive: segments older than the WAL retention go, unless a retained base backup still
 * needs them (they are not older than its start segment). Timeline history files are always kept: they
 * are tiny and recovery needs every one of them. Segments carry no manifest, so their age is the
 * store's modification time.
 */
public final class WalRetentionService {
    /** What a WAL retention run removed (or would remove). */
    public record Result(String archive, List<String> deleted, long bytesFreed, int kept, List<String> deleteFailures) {
    }

    private final BackupStore archive;
    private final Duration retention;
    private final Clock clock;

    public WalRetentionService(BackupStore archive, Duration retention, Clock clock) {
        this.archive = archive;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * @param oldestNeeded the start segment of the oldest retained base backup, when base backups exist
     */
    public Result apply(boolean dryRun, Optional<String> oldestNeeded) {
        Instant cutoff = clock.instant().minus(retention);
        List<StoredObject> expired = new ArrayList<>();
        int kept = 0;
        for (StoredObject o : archive.list()) {
            if (isExpired(o, cutoff, oldestNeeded)) {
                expired.add(o);
            } else {
                kept++;
            }
        }
        List<String> names = expired.stream().map(StoredObject::name).sorted().toList();
        List<String> failures = dryRun || names.isEmpty() ? List.of()
                : archive.deleteAll(names).stream().map(f -> f.name() + " (" + f.reason() + ")").toList();
        return new Result(archive.root(), names, expired.stream().mapToLong(StoredObject::size).sum(), kept, failures);
    }

    static boolean isExpired(StoredObject o, Instant cutoff, Optional<String> oldestNeeded) {
        // Segments, partial segments and backup labels have a place in the stream; history files are kept.
        boolean positioned = WalFileName.parseStored(o.name()).filter(WalFileName::hasStreamPosition).isPresent();
        if (!positioned || o.lastModified() == null || !o.lastModified().isBefore(cutoff)) {
            return false;
        }
        // Compare positions within the WAL stream (log and segment), not the timeline prefix.
        return oldestNeeded.map(needed -> WalSequence.isBefore(o.name(), needed)).orElse(true);
    }
}
