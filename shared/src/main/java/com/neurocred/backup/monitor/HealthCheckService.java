package com.neurocred.backup.monitor;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.BackupTime;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the promises the strategy makes: a verified backup within the RPO (the age of the newest
 * verified backup is what counts: backups that silently stop are how backup systems usually fail),
 * WAL archiving when PITR is on, room in the backup directory for the next backup, and backup names
 * that can be believed (none dated in the future).
 */
public final class HealthCheckService {
    private final BackupCatalog catalog;
    private final RetentionSettings settings;
    private final Optional<Path> backupDir;
    private final Optional<WalArchivingCheck> walCheck;
    private final Optional<com.neurocred.backup.storage.BackupStore> walArchive;
    private final java.util.function.Supplier<Optional<String>> oldestBaseStart;
    private final Optional<BackupCatalog> baseBackups;
    private final Clock clock;

    /**
     * @param walCheck   the server's archiver status, when PITR is enabled
     * @param walArchive the archive whose segment sequence must have no holes, when PITR is enabled
     * @param oldestBaseStart the first segment the oldest base backup needs: holes before it do not matter
     * @param baseBackups the base backups, whose names are checked like the full backups' (dated in the future)
     */
    public HealthCheckService(BackupCatalog catalog, RetentionSettings settings, Optional<Path> backupDir,
                              Optional<WalArchivingCheck> walCheck, Optional<com.neurocred.backup.storage.BackupStore> walArchive,
                              java.util.function.Supplier<Optional<String>> oldestBaseStart,
                              Optional<BackupCatalog> baseBackups, Clock clock) {
        this.oldestBaseStart = oldestBaseStart;
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
        List<BackupSet> sets = catalog.sets();
        List<HealthProblem> problems = new ArrayList<>();
        checkRpo(sets).ifPresent(problems::add);
        checkTimes(sets).ifPresent(problems::add);
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
        Instant takenAt = newest.get().takenAt();
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
        return Optional.of(new HealthProblem(HealthProblem.BACKUP_TIME_ANOMALY, Alert.WARNING, (one ? "backup set "
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
        // The size of the last real backup: a set dated in the future is not the last one made.
        Instant now = clock.instant();
        long lastDump = newestFirst.stream().filter(s -> !s.isFutureDated(now)).flatMap(s -> s.dump().stream())
                .mapToLong(StoredObject::size).findFirst().orElse(0);
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
