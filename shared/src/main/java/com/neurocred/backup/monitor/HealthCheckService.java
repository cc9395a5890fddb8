package com.neurocred.backup.monitor;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.RetentionSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.wal.WalArchivingStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the promises the strategy makes: a verified backup within the RPO (the age of the newest
 * verified backup is what counts: backups that silently stop are how backup systems usually fail),
 * WAL archiving when PITR is on, and room in the backup directory for the next backup.
 */
public final class HealthCheckService {
    private final BackupCatalog catalog;
    private final RetentionSettings settings;
    private final Optional<Path> backupDir;
    private final Optional<WalArchivingCheck> walCheck;
    private final Optional<com.neurocred.backup.storage.BackupStore> walArchive;
    private final java.util.function.Supplier<Optional<String>> oldestBaseStart;
    private final Clock clock;

    /**
     * @param walCheck   the server's archiver status, when PITR is enabled
     * @param walArchive the archive whose segment sequence must have no holes, when PITR is enabled
     * @param oldestBaseStart the first segment the oldest base backup needs: holes before it do not matter
     */
    public HealthCheckService(BackupCatalog catalog, RetentionSettings settings, Optional<Path> backupDir,
                              Optional<WalArchivingCheck> walCheck, Optional<com.neurocred.backup.storage.BackupStore> walArchive,
                              java.util.function.Supplier<Optional<String>> oldestBaseStart, Clock clock) {
        this.oldestBaseStart = oldestBaseStart;
        this.catalog = catalog;
        this.settings = settings;
        this.backupDir = backupDir;
        this.walCheck = walCheck;
        this.walArchive = walArchive;
        this.clock = clock;
    }

    /** The age of the newest backup that passed verification: the RPO actually achieved. */
    public Optional<Duration> newestVerifiedAge() {
        return newestVerified(catalog.sets()).map(this::age);
    }

    private Optional<BackupSet> newestVerified(List<BackupSet> newestFirst) {
        return newestFirst.stream().filter(BackupSet::isComplete)
                .filter(s -> s.verification().flatMap(v -> catalog.verification(v.name()))
                        .map(VerificationRecord::passed).orElse(false))
                .findFirst();
    }

    private Duration age(BackupSet set) {
        return Duration.between(takenAt(set), clock.instant());
    }

    private static Instant takenAt(BackupSet set) {
        return LocalDateTime.parse(set.timestamp(), BackupNames.TIMESTAMP).toInstant(ZoneOffset.UTC);
    }

    public List<HealthProblem> check() {
        List<BackupSet> sets = catalog.sets();
        List<HealthProblem> problems = new ArrayList<>();
        checkRpo(sets).ifPresent(problems::add);
        backupDir.flatMap(dir -> checkFreeSpace(dir, sets)).ifPresent(problems::add);
        walCheck.flatMap(this::checkWal).ifPresent(problems::add);
        walArchive.flatMap(this::checkWalSequence).ifPresent(problems::add);
        return problems;
    }

    private Optional<HealthProblem> checkRpo(List<BackupSet> newestFirst) {
        Optional<BackupSet> newest = newestVerified(newestFirst);
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("thresholdHours", settings.rpo().toHours());
        if (newest.isEmpty()) {
            return Optional.of(new HealthProblem(HealthProblem.BACKUP_MISSING, Alert.CRITICAL, "no backup in "
                    + catalog.store().root() + " has passed verification: the RPO cannot be met", measured));
        }
        Instant takenAt = takenAt(newest.get());
        Duration age = age(newest.get());
        measured.put("newestVerifiedBackup", takenAt.toString());
        measured.put("ageHours", age.toMinutes() / 60.0);
        if (age.compareTo(settings.rpo()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(HealthProblem.BACKUP_MISSING, Alert.CRITICAL, String.format(
                "the newest verified backup is %.1f h old (%s), past the %d h RPO: check that backups run and pass verification",
                age.toMinutes() / 60.0, takenAt, settings.rpo().toHours()), measured));
    }

    private Optional<HealthProblem> checkFreeSpace(Path dir, List<BackupSet> newestFirst) {
        long lastDump = newestFirst.stream().flatMap(s -> s.dump().stream()).mapToLong(StoredObject::size).findFirst().orElse(0);
        long needed = Math.max(2 * lastDump, settings.minFreeBytes());
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Optional.of(new HealthProblem(HealthProblem.STORAGE_LOW, Alert.WARNING, "cannot read the free space of "
                    + dir + ": " + e.getMessage(), Map.of()));
        }
        if (free >= needed) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(HealthProblem.STORAGE_LOW, Alert.WARNING, String.format(
                "%s has %,d bytes free, below %,d (the larger of twice the last backup and STORAGE_MIN_FREE_MB): "
                        + "free space or move BACKUP_DIR before the next backup", dir, free, needed),
                Map.of("freeBytes", free, "thresholdBytes", needed, "lastBackupBytes", lastDump)));
    }

    private Optional<HealthProblem> checkWalSequence(com.neurocred.backup.storage.BackupStore archive) {
        // Only the WAL from the oldest base backup on can be replayed; holes before it do not matter.
        Optional<String> from = oldestBaseStart.get();
        List<String> names = archive.list().stream().map(StoredObject::name)
                .filter(n -> from.isEmpty() || n.length() < 24 || n.substring(8, 24).compareTo(from.get().substring(8, 24)) >= 0)
                .toList();
        List<String> gaps = com.neurocred.backup.wal.WalSequence.gaps(names);
        if (gaps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthProblem(HealthProblem.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL, "the WAL archive "
                + archive.root() + " has holes (" + String.join(", ", gaps) + ")" + from.map(f -> " after the oldest base "
                + "backup's start " + f).orElse("") + ": recovery cannot replay past the first; take a new base backup",
                Map.of("gaps", gaps)));
    }

    private Optional<HealthProblem> checkWal(WalArchivingCheck check) {
        try {
            WalArchivingStatus status = check.check();
            if (status.healthy()) {
                return Optional.empty();
            }
            return Optional.of(new HealthProblem(HealthProblem.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL,
                    "WAL archiving is not healthy while PITR is enabled: " + String.join("; ", status.problems()),
                    Map.of("archiver", status.archiver())));
        } catch (SQLException e) {
            return Optional.of(new HealthProblem(HealthProblem.WAL_ARCHIVE_UNHEALTHY, Alert.CRITICAL,
                    "could not read the archiver status: " + e.getMessage(), Map.of()));
        }
    }
}
