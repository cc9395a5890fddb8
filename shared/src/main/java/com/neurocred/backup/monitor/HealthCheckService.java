package com.neurocred.backup.monitor;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.ArchiveIdentity;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.catalog.BackupRoom;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.BackupTime;
import com.neurocred.backup.config.RetentionSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.wal.WalArchivingStatus;
import com.neurocred.backup.wal.backlog.WalBacklog;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks the promises the strategy makes: a verified backup within the RPO (the age of the newest
 * verified backup is what counts: backups that silently stop are how backup systems usually fail),
 * WAL archiving when PITR is on (and a backlog it cannot keep up with), room in the backup directory for the next backup, and backup names
 * that can be believed (none dated in the future).
 */
public final class HealthCheckService {
    private final BackupCatalog catalog;
    private final RetentionSettings settings;
    private final Optional<Path> backupDir;
    private final Optional<WalArchivingCheck> walCheck;
    private final Optional<BackupStore> walArchive;
    private final Supplier<Optional<BaseBackups.OldestBase>> oldestBase;
    private final Optional<BackupCatalog> baseBackups;
    private final Clock clock;

    /**
     * @param walCheck   the server's archiver status (and WAL segment size), when PITR is enabled and a
     *                   database is configured
     * @param walArchive the archive whose segment sequence must have no holes, when PITR is enabled
     * @param oldestBase the oldest base backup: holes before its start do not matter, and its manifest records
     *                   the segment size the archive's names count in
     * @param baseBackups the base backups, whose names are checked like the full backups' (dated in the future)
     */
    public HealthCheckService(BackupCatalog catalog, RetentionSettings settings, Optional<Path> backupDir,
                              Optional<WalArchivingCheck> walCheck, Optional<BackupStore> walArchive,
                              Supplier<Optional<BaseBackups.OldestBase>> oldestBase,
                              Optional<BackupCatalog> baseBackups, Clock clock) {
        this.oldestBase = oldestBase;
        this.baseBackups = baseBackups;
        this.catalog = catalog;
        this.settings = settings;
        this.backupDir = backupDir;
        this.walCheck = walCheck;
        this.walArchive = walArchive;
        this.clock = clock;
    }

    /**
     * The age of the newest backup that passed verification: the RPO actually achieved. A set dated in
     * the future is not a backup of now, whatever its name says, so it never counts.
     */
    public Optional<Duration> newestVerifiedAge() {
        return newestVerified(catalog.sets()).map(this::age);
    }

    private Optional<BackupSet> newestVerified(List<BackupSet> newestFirst) {
        return catalog.newestVerified(newestFirst, clock.instant());
    }

    private Duration age(BackupSet set) {
        return Duration.between(set.takenAt(), clock.instant());
    }

    public List<HealthProblem> check() {
        return report().problems();
    }

    /** The problems, and the notes that go with them (what the WAL backlog check measured below its threshold). */
    public HealthReport report() {
        List<BackupSet> sets = catalog.sets();
        List<HealthProblem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        checkRpo(sets).ifPresent(problems::add);
        checkTimes(sets).ifPresent(problems::add);
        backupDir.flatMap(dir -> checkFreeSpace(dir, sets)).ifPresent(problems::add);
        walCheck.ifPresent(check -> checkWal(check, problems, notes));
        walArchive.flatMap(this::checkWalSequence).ifPresent(problems::add);
        walArchive.flatMap(this::checkArchiveCluster).ifPresent(problems::add);
        return new HealthReport(problems, notes);
    }

    /**
     * The WAL archive and the newest base backup must be of one cluster: a base backup is replayed with its own
     * cluster's WAL only, so a mismatch (a restored copy or a second server archiving here, or base backups of
     * another server) means point-in-time recovery from this archive cannot work.
     */
    private Optional<HealthProblem> checkArchiveCluster(BackupStore archive) {
        Optional<ArchiveIdentity> identity;
        try {
            identity = new WalArchive(archive, 1).readIdentity();
        } catch (WalArchiveException e) {
            return Optional.empty();
        }
        Optional<BackupManifest> newestBase = baseBackups.flatMap(this::newestBaseWithIdentity);
        if (identity.isEmpty() || newestBase.isEmpty()
                || identity.get().systemIdentifier().equals(newestBase.get().systemIdentifier())) {
            return Optional.empty();
        }
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("archiveSystemIdentifier", identity.get().systemIdentifier());
        measured.put("baseBackupSystemIdentifier", newestBase.get().systemIdentifier());
        measured.put("baseBackup", newestBase.get().dataFile());
        return Optional.of(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL, archive.locationOf(
                ArchiveIdentity.NAME) + " belongs to the cluster with " + identity.get().describe() + ", but the newest "
                + "base backup " + newestBase.get().dataFile() + " is of the cluster with system identifier "
                + newestBase.get().systemIdentifier() + ": point-in-time recovery from this archive cannot work. Find "
                + "which server archives here (wal-push refuses another cluster's segments) and give each its own "
                + "ENVIRONMENT, bucket or BACKUP_DIR", measured));
    }

    private Optional<BackupManifest> newestBaseWithIdentity(BackupCatalog bases) {
        for (BackupSet set : bases.sets()) {
            if (set.manifest().isEmpty()) {
                continue;
            }
            try {
                BackupManifest manifest = bases.manifest(set.manifest().get().name());
                if (manifest.systemIdentifier() != null) {
                    return Optional.of(manifest);
                }
            } catch (java.io.IOException | RuntimeException e) {
                // An unreadable manifest is the verifier's to report; look at the next one.
            }
        }
        return Optional.empty();
    }

    private Optional<HealthProblem> checkRpo(List<BackupSet> newestFirst) {
        Optional<BackupSet> newest = newestVerified(newestFirst);
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("thresholdHours", settings.rpo().toHours());
        if (newest.isEmpty()) {
            return Optional.of(new HealthProblem(AlertType.BACKUP_MISSING, Alert.CRITICAL, "no backup in "
                    + catalog.store().root() + " has passed verification: the RPO cannot be met", measured));
        }
        Instant takenAt = newest.get().takenAt();
        Duration age = age(newest.get());
        measured.put("newestVerifiedBackup", takenAt.toString());
        measured.put("ageHours", age.toMinutes() / 60.0);
        if (age.compareTo(settings.rpo()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(AlertType.BACKUP_MISSING, Alert.CRITICAL, String.format(
                "the newest verified backup is %.1f h old (%s), past the %d h RPO: check that backups run and pass verification",
                age.toMinutes() / 60.0, takenAt, settings.rpo().toHours()), measured));
    }

    /**
     * Sets dated in the future (full and base backups): each is left out of the RPO, {@code latest} and
     * retention's keeps, and kept by retention, so someone has to look at it.
     */
    private Optional<HealthProblem> checkTimes(List<BackupSet> newestFirst) {
        Instant now = clock.instant();
        List<BackupSet> full = newestFirst.stream().filter(s -> s.isFutureDated(now)).toList();
        List<BackupSet> base = baseBackups.map(b -> b.sets().stream().filter(s -> s.isFutureDated(now)).toList())
                .orElse(List.of());
        if (full.isEmpty() && base.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>();
        full.forEach(s -> named.add(describe(s, now)));
        base.forEach(s -> named.add("base backup " + describe(s, now)));
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("futureDated", full.stream().map(BackupSet::timestamp).toList());
        measured.put("futureDatedBaseBackups", base.stream().map(BackupSet::timestamp).toList());
        measured.put("now", now.toString());
        measured.put("toleranceMinutes", BackupTime.FUTURE_TOLERANCE.toMinutes());
        boolean one = named.size() == 1;
        return Optional.of(new HealthProblem(AlertType.BACKUP_TIME_ANOMALY, Alert.WARNING, (one ? "backup set "
                : named.size() + " backup sets ") + String.join("; ", named) + (one ? " is" : " are") + " dated more than "
                + BackupTime.FUTURE_TOLERANCE.toMinutes() + " min in the future. A name is not proof of time, so "
                + (one ? "it counts" : "they count") + " for neither the RPO nor 'latest' nor retention's keeps, and "
                + "retention keeps " + (one ? "it" : "them") + ": check the clock of the machine that made "
                + (one ? "it" : "them") + " and who can write to the store, then delete " + (one ? "it" : "them")
                + " by hand if not a real backup", measured));
    }

    private static String describe(BackupSet set, Instant now) {
        return set.timestamp() + " (" + BackupTime.ahead(set.takenAt(), now) + ", " + set.location() + ")";
    }

    private Optional<HealthProblem> checkFreeSpace(Path dir, List<BackupSet> newestFirst) {
        long lastBackup = BackupRoom.lastBackupBytes(newestFirst, clock.instant());
        long needed = BackupRoom.warnBelow(lastBackup, settings.minFreeBytes());
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Optional.of(new HealthProblem(AlertType.STORAGE_LOW, Alert.WARNING, "cannot read the free space of "
                    + dir + ": " + e.getMessage(), Map.of()));
        }
        if (free >= needed) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(AlertType.STORAGE_LOW, Alert.WARNING, String.format(
                "%s has %,d bytes free, below %,d (the larger of twice the last backup and STORAGE_MIN_FREE_MB): "
                        + "free space or move BACKUP_DIR before the next backup", dir, free, needed),
                Map.of("freeBytes", free, "thresholdBytes", needed, "lastBackupBytes", lastBackup)));
    }

    private Optional<HealthProblem> checkWalSequence(BackupStore archive) {
        Optional<BaseBackups.OldestBase> base = oldestBase.get();
        // Only the WAL from the oldest base backup on can be replayed; holes before it do not matter.
        Optional<String> from = base.map(BaseBackups.OldestBase::startSegment);
        List<String> names = archive.list().stream().map(StoredObject::name)
                .filter(n -> from.isEmpty() || WalFileName.parseStored(n).filter(WalFileName::hasStreamPosition).isEmpty()
                        || !WalSequence.isBefore(n, from.get()))
                .toList();
        String after = from.map(f -> " after the oldest base backup's start " + f).orElse("");
        SegmentSize size = segmentSize(base);
        if (size.bytes().isEmpty()) {
            return unknownSizeHoles(archive, names, after, size.source());
        }
        long bytes = size.bytes().get();
        List<String> gaps;
        try {
            gaps = WalSequence.gaps(names, bytes, from.orElse(null));
        } catch (IllegalArgumentException e) {
            // A bad size, or a name that cannot exist with it: point-in-time recovery would count segments wrong too.
            return Optional.of(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL, "the WAL archive "
                    + archive.root() + " could not be checked for holes with the segment size " + size.source()
                    + " (" + bytes + " bytes): " + e.getMessage() + "; find which is wrong before relying on "
                    + "point-in-time recovery", Map.of("walSegmentBytes", bytes)));
        }
        if (gaps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL, "the WAL archive "
                + archive.root() + " has holes (" + String.join(", ", gaps) + ")" + after + " (" + WalSequence.describe(bytes)
                + " segments, " + size.source() + "): recovery cannot replay past the first; take a new base backup",
                Map.of("gaps", gaps, "walSegmentBytes", bytes)));
    }

    /**
     * Without the size only holes inside one log are certain; whether a log ends where the archive leaves it
     * is unknown (64 segments of 64 MB, 256 of 16 MB), so those boundaries are named as unchecked rather than
     * guessed at: assuming 16 MB would report every log boundary of a 64 MB cluster as a hole. (Nor is a
     * missing first segment of the oldest base backup seen: where its log ends is unknown too.)
     */
    private Optional<HealthProblem> unknownSizeHoles(BackupStore archive, List<String> names, String after, String why) {
        List<String> gaps = WalSequence.gapsWithinLogs(names);
        List<String> unchecked = WalSequence.logBoundaries(names);
        if (gaps.isEmpty() && unchecked.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!gaps.isEmpty()) {
            parts.add(" has holes (" + String.join(", ", gaps) + ")" + after + ": recovery cannot replay past the first; "
                    + "take a new base backup");
        }
        if (!unchecked.isEmpty()) {
            parts.add(" crosses log boundaries that could not be checked for holes (" + String.join(", ", unchecked)
                    + "): the WAL segment size is unknown (" + why + "), and how many segments a log holds depends on it. "
                    + "Take a base backup (its manifest records the size) or let the check reach the server (DB_HOST) to ask it");
        }
        String message = "the WAL archive " + archive.root() + String.join(". It", parts);
        return Optional.of(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, gaps.isEmpty() ? Alert.WARNING : Alert.CRITICAL,
                message, Map.of("gaps", gaps, "uncheckedLogBoundaries", unchecked)));
    }

    /** A WAL segment size and where it was learnt; or, when it could not be, why. */
    private record SegmentSize(Optional<Long> bytes, String source) {
    }

    /**
     * The base backups' manifests first: the hole check starts at the oldest one's start, and the PITR planner
     * reads that same WAL with the size its manifest records, so both count segments alike, and no database
     * connection is needed. The server's wal_segment_size when no base backup records one (there may be none
     * yet). Never an assumed 16 MB.
     */
    private SegmentSize segmentSize(Optional<BaseBackups.OldestBase> base) {
        Optional<SegmentSize> recorded = base.flatMap(b -> b.walSegmentBytes()
                .map(bytes -> new SegmentSize(Optional.of(bytes), "recorded in base backup manifest " + b.manifest())));
        if (recorded.isPresent()) {
            return recorded.get();
        }
        String noBase = base.isEmpty() ? "no base backup" : "no base backup manifest records it";
        if (walCheck.isEmpty()) {
            return new SegmentSize(Optional.empty(), noBase + ", and no database is configured to ask");
        }
        try {
            return new SegmentSize(Optional.of(walCheck.get().walSegmentBytes()), "from the server's wal_segment_size");
        } catch (SQLException e) {
            return new SegmentSize(Optional.empty(), noBase + ", and the server could not be asked: " + e.getMessage());
        }
    }

    private void checkWal(WalArchivingCheck check, List<HealthProblem> problems, List<String> notes) {
        WalArchivingStatus status;
        try {
            status = check.check();
        } catch (SQLException e) {
            problems.add(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL,
                    "could not read the archiver status: " + e.getMessage(), Map.of()));
            return;
        }
        if (!status.healthy()) {
            problems.add(new HealthProblem(AlertType.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL,
                    "WAL archiving is not healthy while PITR is enabled: " + String.join("; ", status.problems()),
                    Map.of("archiver", status.archiver())));
        }
        WalBacklog backlog = status.backlog();
        if (backlog.alerting()) {
            problems.add(new HealthProblem(AlertType.WAL_ARCHIVE_BACKLOG, backlog.severity(), backlog.summary(),
                    backlog.measured()));
        } else {
            notes.add(backlog.summary());
        }
    }
}
