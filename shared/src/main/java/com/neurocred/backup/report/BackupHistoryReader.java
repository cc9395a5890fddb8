package com.neurocred.backup.report;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.monitor.HealthCheckService;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.wal.WalFileName;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an environment's history for the report from the store alone (manifests, verification records, the WAL
 * archive's listing): no database and no CloudWatch, so it works during an incident and for the local directory.
 * Everything read is data written by whoever can write to the store: a record that cannot be read is shown as
 * such, never trusted or skipped silently.
 */
public final class BackupHistoryReader {
    private final BackupCatalog full;
    private final BackupCatalog bases;
    private final Optional<BackupStore> walArchive;
    private final HealthCheckService health;
    private final Duration rpoTarget;
    private final Clock clock;

    /**
     * @param walArchive the environment's WAL archive, when it has one
     * @param health     the same checks {@code status} runs, without a database: the report's anomalies
     * @param rpoTarget  the age of the newest verified backup the health check alerts past
     */
    public BackupHistoryReader(BackupCatalog full, BackupCatalog bases, Optional<BackupStore> walArchive,
                               HealthCheckService health, Duration rpoTarget, Clock clock) {
        this.full = full;
        this.bases = bases;
        this.walArchive = walArchive;
        this.health = health;
        this.rpoTarget = rpoTarget;
        this.clock = clock;
    }

    /** The sets taken in the {@code window} up to now (and any dated in the future), oldest first. */
    public BackupHistory read(Duration window) {
        Instant now = clock.instant();
        Instant from = now.minus(window);
        List<BackupSet> fullSets = full.sets();
        List<SetHistory> inWindow = new ArrayList<>();
        for (BackupSet set : fullSets) {
            if (inWindow(set, from, now)) {
                inWindow.add(describe(BackupManifest.TYPE_FULL, full, set, now));
            }
        }
        List<SetHistory> sets = new ArrayList<>(withVerifiedAgeBefore(inWindow, fullSets, from, now));
        for (BackupSet set : bases.sets()) {
            if (inWindow(set, from, now)) {
                sets.add(describe(BackupManifest.TYPE_BASE, bases, set, now));
            }
        }
        sets.sort(Comparator.comparing(SetHistory::takenAt).thenComparing(SetHistory::kind));
        Optional<Duration> newestAge = full.newestVerified(fullSets, now).map(s -> Duration.between(s.takenAt(), now));
        Optional<PitrWindow> pitr = walArchive.map(archive -> new PitrWindowReader(bases, archive).read());
        return new BackupHistory(full.environment().id(), full.store().root(), from, now, List.copyOf(sets), newestAge,
                rpoTarget, pitr, health.report().problems(), full.unrecognised());
    }

    private static boolean inWindow(BackupSet set, Instant from, Instant now) {
        return !set.takenAt().isBefore(from) || set.isFutureDated(now);
    }

    /**
     * Each full set with the age, when it was taken, of the newest verified set before it. The window's sets were
     * judged as they were described, so only the sets before the window are read again, until the newest of them that
     * passed (the age just after the window opens counts from it). Sets dated in the future never count, as for the RPO.
     */
    private List<SetHistory> withVerifiedAgeBefore(List<SetHistory> inWindow, List<BackupSet> newestFirst, Instant from,
                                                   Instant now) {
        List<Instant> verified = new ArrayList<>(inWindow.stream().filter(s -> s.passed() && !s.futureDated())
                .map(SetHistory::takenAt).toList());
        newestFirst.stream().filter(s -> s.takenAt().isBefore(from) && !s.isFutureDated(now))
                .filter(full::passedVerification).findFirst().ifPresent(s -> verified.add(s.takenAt()));
        verified.sort(Comparator.reverseOrder());
        return inWindow.stream().map(s -> s.withVerifiedAgeHoursBefore(verified.stream().filter(t -> t.isBefore(s.takenAt()))
                .findFirst().map(t -> Duration.between(t, s.takenAt()).toSeconds() / 3600.0))).toList();
    }

    private SetHistory describe(String kind, BackupCatalog catalog, BackupSet set, Instant now) {
        List<String> problems = new ArrayList<>();
        Optional<BackupManifest> manifest = Optional.empty();
        if (set.manifest().isPresent()) {
            try {
                manifest = Optional.of(catalog.manifest(set.manifest().get().name()));
            } catch (IOException | RuntimeException e) {
                problems.add("manifest " + set.manifest().get().name() + " cannot be read: " + e.getMessage());
            }
        }
        // A record without a status or checks (valid JSON that says nothing, "{}"), or with an empty check, is no
        // record: trusted, it would break every figure and check that reads it.
        Optional<VerificationRecord> record = set.verification().flatMap(v -> catalog.verification(v.name()))
                .filter(r -> r.status() != null && r.checks() != null
                        && r.checks().stream().allMatch(java.util.Objects::nonNull));
        if (set.verification().isPresent() && record.isEmpty()) {
            problems.add("verification record " + set.verification().get().name() + " cannot be read");
        }
        String status = status(set, manifest, record, problems);
        record.ifPresent(r -> r.failedChecks().forEach(c -> problems.add(c.name() + ": " + c.detail())));
        if (record.map(VerificationRecord::sizeAnomaly).orElse(false)) {
            problems.add("size anomaly: far from the previous backups' sizes");
        }
        manifest.map(BackupManifest::walStart).map(BackupManifest.WalPosition::file)
                .filter(f -> WalFileName.parse(f).filter(WalFileName::hasStreamPosition).isEmpty())
                .ifPresent(f -> problems.add("manifest records WAL start " + f + ", which is not a WAL segment name: "
                        + "point-in-time recovery cannot start from this base backup"));
        if (set.isFutureDated(now)) {
            problems.add("dated in the future: its time cannot be believed");
        }
        return new SetHistory(kind, set.timestamp(), set.takenAt(), set.location(), status,
                manifest.map(BackupManifest::durationSeconds),
                manifest.map(BackupManifest::compressedBytes).or(() -> set.dataFile().map(d -> d.size())),
                manifest.flatMap(BackupManifest::throughputMBps),
                record.map(VerificationRecord::restoreMillis).map(ms -> ms / 1000.0), Optional.empty(),
                record.map(VerificationRecord::sizeAnomaly).orElse(false), set.isFutureDated(now), List.copyOf(problems));
    }

    private static String status(BackupSet set, Optional<BackupManifest> manifest, Optional<VerificationRecord> record,
                                 List<String> problems) {
        if (!set.isComplete()) {
            problems.add(set.dataFile().isPresent() ? "no manifest: the backup did not finish (or is running)"
                    : "no data file: only its " + (set.manifest().isPresent() ? "manifest" : "verification record") + " is stored");
            return SetHistory.INCOMPLETE;
        }
        if (manifest.isEmpty() || (set.verification().isPresent() && record.isEmpty())) {
            return SetHistory.UNREADABLE;
        }
        if (record.isEmpty()) {
            problems.add("no verification record: never verified, or verification did not finish");
            return SetHistory.NOT_VERIFIED;
        }
        return record.get().status();
    }

    /** Reads the archive's listing and the base backups' manifests into the PITR window. */
    private static final class PitrWindowReader {
        private final BackupCatalog bases;
        private final BackupStore archive;

        PitrWindowReader(BackupCatalog bases, BackupStore archive) {
            this.bases = bases;
            this.archive = archive;
        }

        PitrWindow read() {
            List<PitrWindow.WalPoint> archived = WalTimeline.segments(archive.list());
            Optional<BaseBackups.OldestBase> oldest = BaseBackups.oldest(bases, java.util.Set.of());
            Optional<Long> segmentBytes = oldest.flatMap(BaseBackups.OldestBase::walSegmentBytes);
            List<String> holes = WalTimeline.holes(archived, segmentBytes, oldest.map(BaseBackups.OldestBase::startSegment));
            Optional<PitrWindow.WalPoint> newest = archived.isEmpty() ? Optional.empty()
                    : Optional.of(archived.get(archived.size() - 1));
            Set<String> failed = failedVerification();
            List<BaseBackups.Started> usable = BaseBackups.allStarted(bases).stream()
                    .filter(b -> !failed.contains(b.manifest())).toList();
            Optional<BaseBackups.Started> start = newest.flatMap(n -> WalTimeline.windowStart(usable, holes, n.segment()));
            return new PitrWindow(start.map(BaseBackups.Started::manifest), start.map(BaseBackups.Started::startedAt),
                    start.map(BaseBackups.Started::walStartFile), newest.map(PitrWindow.WalPoint::segment),
                    newest.map(PitrWindow.WalPoint::archivedAt), archived.size(), holes, segmentBytes, archived);
        }

        /** The manifests of base backups verification judged bad: no recovery should start from one. */
        private Set<String> failedVerification() {
            return bases.sets().stream().filter(s -> s.manifest().isPresent() && s.verification()
                            .flatMap(v -> bases.verification(v.name()))
                            .filter(r -> VerificationRecord.FAILED.equals(r.status())).isPresent())
                    .map(s -> s.manifest().get().name()).collect(java.util.stream.Collectors.toSet());
        }
    }
}
