package com.neurocred.backup.catalog;

import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Facts about an environment's base backups that WAL retention, the WAL health check and the judgement of dropped WAL
 * depend on.
 */
public final class BaseBackups {
    private BaseBackups() {
    }

    /**
     * The oldest complete base backup, by where its WAL starts.
     *
     * @param startSegment    the first WAL segment it needs: the archive must be whole from there on
     * @param walSegmentBytes the cluster's WAL segment size as its manifest records it (or, for a manifest
     *                        written before manifests recorded it, another base backup's); empty when none does
     * @param manifest        the name of its manifest, to say where a fact came from
     */
    public record OldestBase(String startSegment, Optional<Long> walSegmentBytes, String manifest) {
    }

    /**
     * The first WAL segment the oldest complete base backup needs: the archive must be whole from there on,
     * and nothing from there on may be trimmed.
     *
     * @param leavingOut timestamps of sets about to be deleted
     */
    public static Optional<String> oldestStartSegment(BackupCatalog bases, Set<String> leavingOut) {
        return oldest(bases, leavingOut).map(OldestBase::startSegment);
    }

    /** The oldest complete base backup, reading each manifest once; empty when there is none. */
    public static Optional<OldestBase> oldest(BackupCatalog bases, Set<String> leavingOut) {
        List<Named> manifests = bases.sets().stream().filter(BackupSet::isComplete)
                .filter(s -> !leavingOut.contains(s.timestamp()))
                .map(s -> readManifest(bases, s)).flatMap(Optional::stream)
                // A start that is not a segment name is treated as none recorded, as a missing one is: ordering by
                // it would throw, and one manifest's bad field would stop the health check, retention and the report.
                .filter(n -> BackupManifest.TYPE_BASE.equals(n.manifest.type()) && n.manifest.walStart() != null
                        && n.manifest.walStart().file() != null && WalFileName.parseStored(n.manifest.walStart().file())
                        .filter(WalFileName::hasStreamPosition).isPresent())
                // Position in the WAL stream (log and segment), whatever the timeline.
                .sorted(Comparator.comparing((Named n) -> n.manifest.walStart().file(), WalSequence.STREAM_ORDER))
                .toList();
        if (manifests.isEmpty()) {
            return Optional.empty();
        }
        Named oldest = manifests.get(0);
        // All base backups of an environment are of one cluster, and the size is fixed at initdb.
        Optional<Long> segmentBytes = manifests.stream().map(n -> n.manifest.walSegmentBytes()).filter(Objects::nonNull)
                .findFirst();
        return Optional.of(new OldestBase(oldest.manifest.walStart().file(), segmentBytes, oldest.name));
    }

    /**
     * A base backup by when it started, as its manifest records it.
     *
     * @param manifest  the name of its manifest, to say which backup a fact is about
     * @param startedAt when pg_basebackup was started: WAL written after this is in the backup's own WAL or the
     *                  archive it replays from
     * @param walStartFile the first WAL segment the backup needs, as its manifest records it; null when not recorded
     */
    public record Started(String manifest, Instant startedAt, String walStartFile) {
        public Started(String manifest, Instant startedAt) {
            this(manifest, startedAt, null);
        }
    }

    /**
     * The complete base backup that started last, by its manifest's {@code startedAt}: the names carry a timestamp
     * too, but a name is only what the writer chose to call it, and the manifest is what the backup recorded.
     */
    public static Optional<Started> newestStarted(BackupCatalog bases) {
        return allStarted(bases).stream().max(Comparator.comparing(Started::startedAt));
    }

    /** Every complete base backup whose manifest records when it started, in no particular order. */
    public static List<Started> allStarted(BackupCatalog bases) {
        return bases.sets().stream().filter(BackupSet::isComplete)
                .map(s -> readManifest(bases, s)).flatMap(Optional::stream)
                .filter(n -> BackupManifest.TYPE_BASE.equals(n.manifest.type()))
                .map(BaseBackups::started).flatMap(Optional::stream)
                .toList();
    }

    private static Optional<Started> started(Named n) {
        try {
            String walStart = n.manifest.walStart() == null ? null : n.manifest.walStart().file();
            return Optional.ofNullable(n.manifest.startedAt()).map(t -> new Started(n.name, Instant.parse(t), walStart));
        } catch (DateTimeParseException e) {
            // A start no one can read restarts nothing.
            return Optional.empty();
        }
    }

    private record Named(String name, BackupManifest manifest) {
    }

    private static Optional<Named> readManifest(BackupCatalog bases, BackupSet set) {
        try {
            String name = set.manifest().orElseThrow().name();
            return Optional.of(new Named(name, bases.manifest(name)));
        } catch (IOException | RuntimeException e) {
            // An unreadable manifest pins nothing; retention reports the set on its own.
            return Optional.empty();
        }
    }
}
