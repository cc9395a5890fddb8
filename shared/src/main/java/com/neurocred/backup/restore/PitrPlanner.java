package com.neurocred.backup.restore;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.wal.Lsn;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides, before anything is written, whether a recovery target can be reached and from which base
 * backup: the newest base backup that ended before the target, and every WAL segment from its start to
 * the target in the archive. A target outside the recoverable window or a hole in the WAL is refused
 * with the reason and the window that can be reached.
 */
public final class PitrPlanner {

    /** A complete base backup: its set's timestamp and manifest. */
    public record BaseBackup(String timestamp, BackupManifest manifest) {
        Instant finishedAt() {
            return Instant.parse(manifest.finishedAt());
        }

        Lsn stopLsn() {
            return Lsn.parse(manifest.walStop().lsn());
        }
    }

    /** A file in the WAL archive (original name) and when it was archived. */
    public record ArchivedWal(String name, Instant archivedAt) {
    }

    /** The base backup to restore and the WAL range recovery will read. */
    public record Plan(BaseBackup base, String firstSegment, String lastNeededSegment, Instant newestArchivedAt) {
    }

    private PitrPlanner() {
    }

    /** @throws RestoreException when the target cannot be reached, saying why and what can be */
    public static Plan plan(List<BaseBackup> bases, RecoveryTarget target, Optional<String> baseTimestamp,
                            List<ArchivedWal> archive) {
        BaseBackup base = chooseBase(bases, target, baseTimestamp);
        long segmentBytes = base.manifest().walSegmentBytes();
        long start;
        long stop;
        TreeMap<Long, ArchivedWal> segments;
        try {
            start = WalSequence.position(base.manifest().walStart().file(), segmentBytes);
            stop = WalSequence.position(base.manifest().walStop().file(), segmentBytes);
            segments = segmentsFrom(archive, base.manifest().timeline(), segmentBytes);
        } catch (IllegalArgumentException e) {
            // A size that does not fit the names would map them onto the wrong segments: refuse, do not guess.
            throw new RestoreException("the WAL segment size of base backup " + base.timestamp() + " ("
                    + segmentBytes + " bytes, from its manifest) does not fit the WAL names: " + e.getMessage(), e);
        }
        if (segments.isEmpty() || segments.lastKey() < stop) {
            throw new RestoreException("the WAL of base backup " + base.timestamp() + " (" + base.manifest().walStart().file()
                    + " to " + base.manifest().walStop().file() + ") is not all in the archive: without it the backup "
                    + "cannot even be made consistent. Check wal-push (archive_command) on the server and the archive location");
        }
        Instant newestArchivedAt = segments.values().stream().map(ArchivedWal::archivedAt).max(Comparator.naturalOrder())
                .orElseThrow();
        long needed = lastNeeded(target, segments, segmentBytes, newestArchivedAt, stop);
        List<String> missing = missing(segments, start, needed, segmentBytes, base.manifest().timeline());
        if (!missing.isEmpty()) {
            throw new RestoreException("WAL segment " + missing.get(0) + (missing.size() > 1 ? " (and " + (missing.size() - 1)
                    + " more after it: " + missing.subList(1, Math.min(missing.size(), 4)) + ")" : "")
                    + " is missing from the archive, between base backup " + base.timestamp() + " and the " + target.describe()
                    + ": recovery would stop there. Put the segment back into the archive if a copy exists, or choose "
                    + "a target before it was written");
        }
        // Named as the archive holds them: after a promotion they carry the later timeline, not the base backup's.
        return new Plan(base, segments.get(start).name(), segments.get(needed).name(), newestArchivedAt);
    }

    private static BaseBackup chooseBase(List<BaseBackup> bases, RecoveryTarget target, Optional<String> baseTimestamp) {
        List<BaseBackup> newestFirst = bases.stream().sorted(Comparator.comparing(BaseBackup::timestamp).reversed()).toList();
        if (newestFirst.isEmpty()) {
            throw new RestoreException("there is no complete base backup to recover from: take one with "
                    + "backup-db.sh ENVIRONMENT base (WAL archiving must be on)");
        }
        if (baseTimestamp.isPresent()) {
            return newestFirst.stream().filter(b -> b.timestamp().equals(baseTimestamp.get())).findFirst()
                    .orElseThrow(() -> new RestoreException("no complete base backup " + baseTimestamp.get() + "; there are "
                            + newestFirst.stream().map(BaseBackup::timestamp).toList()));
        }
        BaseBackup oldest = newestFirst.get(newestFirst.size() - 1);
        if (target instanceof RecoveryTarget.Time t) {
            return newestFirst.stream().filter(b -> !b.finishedAt().isAfter(t.at())).findFirst()
                    .orElseThrow(() -> new RestoreException("the " + t.describe() + " is before the oldest base backup ("
                            + oldest.timestamp() + ") finished at " + oldest.manifest().finishedAt() + ": the earliest "
                            + "time this archive can recover to is " + oldest.manifest().finishedAt()));
        }
        if (target instanceof RecoveryTarget.Position p) {
            return newestFirst.stream().filter(b -> b.stopLsn().compareTo(p.lsn()) <= 0).findFirst()
                    .orElseThrow(() -> new RestoreException("the " + p.describe() + " is before the end of the oldest "
                            + "base backup (" + oldest.timestamp() + ", which ends at " + oldest.stopLsn() + "): it cannot "
                            + "be recovered from this archive"));
        }
        // A restore point carries no time the archive listing shows: the newest base backup is the
        // likeliest to precede it; --base-backup picks an older one.
        return newestFirst.get(0);
    }

    private static long lastNeeded(RecoveryTarget target, TreeMap<Long, ArchivedWal> segments, long segmentBytes,
                                   Instant newestArchivedAt, long stop) {
        long newest = segments.lastKey();
        if (target instanceof RecoveryTarget.Time t) {
            // Listings give whole seconds (S3's LastModified): a segment archived within the second may hold the target.
            if (t.at().isAfter(newestArchivedAt.plusSeconds(1))) {
                throw new RestoreException("the " + t.describe() + " is after the newest archived WAL ("
                        + segments.lastEntry().getValue().name() + ", archived at " + newestArchivedAt + "): the "
                        + "changes up to then are not in the archive yet. Choose an earlier time, or archive the "
                        + "current segment on the server first (SELECT pg_switch_wal())");
            }
            // Recovery reads on to the first commit after the target. A segment archived more than a second
            // after the target (listing times are whole seconds) surely holds WAL written after it; everything
            // up to it must be there. Segments archived in the same second are all counted in.
            long holding = segments.tailMap(stop, true).entrySet().stream()
                    .filter(e -> e.getValue().archivedAt().isAfter(t.at().plusSeconds(1))).mapToLong(java.util.Map.Entry::getKey)
                    .min().orElse(newest);
            return Math.max(holding, stop);
        }
        if (target instanceof RecoveryTarget.Position p) {
            long holding = p.lsn().segment(segmentBytes);
            if (holding > newest) {
                throw new RestoreException("the " + p.describe() + " is after the newest archived WAL ("
                        + segments.lastEntry().getValue().name() + "): choose an earlier position, or archive the "
                        + "current segment on the server first (SELECT pg_switch_wal())");
            }
            return Math.max(holding, stop);
        }
        return newest;
    }

    /** Segments by position in the WAL stream, on the base backup's timeline or later ones. */
    private static TreeMap<Long, ArchivedWal> segmentsFrom(List<ArchivedWal> archive, int timeline, long segmentBytes) {
        TreeMap<Long, ArchivedWal> segments = new TreeMap<>();
        for (ArchivedWal wal : archive) {
            boolean laterSegment = WalFileName.parse(wal.name())
                    .filter(n -> n.kind() == WalFileName.Kind.SEGMENT && Integer.compareUnsigned(n.timeline(), timeline) >= 0)
                    .isPresent();
            if (laterSegment) {
                segments.merge(WalSequence.position(wal.name(), segmentBytes), wal, (a, b) -> a.archivedAt().isAfter(b.archivedAt()) ? a : b);
            }
        }
        return segments;
    }

    private static List<String> missing(TreeMap<Long, ArchivedWal> segments, long from, long to, long segmentBytes,
                                        int timeline) {
        List<String> missing = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            if (!segments.containsKey(p)) {
                missing.add(WalSequence.segmentName(timeline, p, segmentBytes));
            }
        }
        return missing;
    }
}
