package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.NewerManifestException;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.dumpformat.BaseArchiveReader;
import com.neurocred.backup.dumpformat.BaseBackupContents;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.WalSequence;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a base backup in one streamed pass, writing nothing to disk: its SHA-256 and size against the
 * manifest, the gzip stream, the tar structure and every file against PostgreSQL's backup_manifest
 * (what pg_verifybackup checks), and that the WAL from the backup's start to its end is in the archive,
 * without which it cannot be made consistent.
 */
public final class BaseBackupCheck implements BackupCheck {

    private final BackupCatalog catalog;
    private final BackupStore store;
    private final WalArchive archive;
    private final Clock clock;

    public BaseBackupCheck(BackupCatalog catalog, WalArchive archive, Clock clock) {
        this.catalog = catalog;
        this.store = catalog.store();
        this.archive = archive;
        this.clock = clock;
    }

    @Override
    public String expectedNames() {
        return "neurocred_{environment}_{yyyyMMdd_HHmmss}.tar.gz or manifest_{environment}_{yyyyMMdd_HHmmss}.json";
    }

    @Override
    public VerificationRecord check(ParsedName parsed, TimeBudget budget, Attempt attempt) {
        BackupNames names = new BackupNames(parsed.environment(), parsed.timestamp(), BackupFormat.TAR);
        Instant started = clock.instant();
        Checks checks = new Checks();
        Optional<BackupManifest> manifest = readManifest(names, checks);
        String archiveName = manifest.map(BackupManifest::dataFile).orElse(names.dataFile());
        long storedBytes = 0;
        OutOfTime outOfTime = new OutOfTime(budget, started);
        // Without a manifest this release can read, the other checks would judge the backup on nothing.
        boolean judgeable = !checks.erred(CheckName.MANIFEST);
        if (judgeable && !store.exists(archiveName)) {
            checks.fail(CheckName.DATA_FILE, store.locationOf(archiveName) + " does not exist: nothing to verify");
        } else if (judgeable) {
            storedBytes = checkArchive(archiveName, manifest, checks, outOfTime);
        }
        if (!outOfTime.happened) {
            manifest.ifPresent(m -> checkWal(m, checks));
        }
        Instant finished = clock.instant();
        long millis = Duration.between(started, finished).toMillis();
        return new VerificationRecord(VerificationRecord.VERSION, parsed.environment().id(),
                parsed.timestamp(), store.exists(archiveName) ? archiveName : null, manifest.isPresent() ? names.manifest() : null,
                checks.status(outOfTime.happened && budget.stopped().isEmpty()), false, started.toString(),
                finished.toString(), millis, null, storedBytes,
                millis > 0 ? storedBytes / 1e6 / (millis / 1000.0) : null, checks.list());
    }

    private Optional<BackupManifest> readManifest(BackupNames names, Checks checks) {
        if (!store.exists(names.manifest())) {
            checks.fail(CheckName.MANIFEST, "no manifest " + names.manifest() + " beside the base backup: it is unfinished "
                    + "(the backup failed or is still being written)");
            return Optional.empty();
        }
        try {
            BackupManifest m = catalog.manifest(names.manifest());
            if (!BackupManifest.TYPE_BASE.equals(m.type()) || m.walStart() == null || m.walStop() == null
                    || m.walSegmentBytes() == null) {
                checks.fail(CheckName.MANIFEST, names.manifest() + " is not the manifest of a base backup (type "
                        + m.type() + "): verify full backups with their dump file");
                return Optional.empty();
            }
            if (!names.isDataFileOfThisSet(m.dataFile())) {
                checks.fail(CheckName.MANIFEST, names.manifest() + " names '" + m.dataFile() + "', which is not the base backup "
                        + "of its own set: it was altered; nothing it names was read");
                return Optional.empty();
            }
            checks.pass(CheckName.MANIFEST, names.manifest() + " names " + m.dataFile() + " (WAL " + m.walStart().lsn() + " to "
                    + m.walStop().lsn() + ", timeline " + m.timeline() + ")");
            return Optional.of(m);
        } catch (NewerManifestException e) {
            checks.error(CheckName.MANIFEST, e.getMessage());
            return Optional.empty();
        } catch (IOException | StorageException e) {
            checks.fail(CheckName.MANIFEST, names.manifest() + " is not valid JSON: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The function's time, checked as the archive is read: a base archive of a large cluster can outlast a
     * Lambda run, and the run must end with TIMED_OUT recorded (retried by nobody: it would run out again),
     * not be killed halfway with nothing recorded.
     */
    private final class OutOfTime {
        private final TimeBudget budget;
        private final Instant started;
        private boolean happened;

        OutOfTime(TimeBudget budget, Instant started) {
            this.budget = budget;
            this.started = started;
        }

        /** @throws BaseArchiveReader.Stop once the budget is spent, ending the read */
        void check() throws BaseArchiveReader.Stop {
            if (budget.remaining().map(Duration::isZero).orElse(false)) {
                happened = true;
                long ran = Duration.between(started, clock.instant()).toSeconds();
                throw new BaseArchiveReader.Stop(budget.stopped().map(why -> "stopped after " + ran + " s: " + why)
                        .orElse("stopped after " + ran + " s: reading the archive would outlast "
                                + budget.limit().name() + "; " + budget.limit().advice()));
            }
        }
    }

    private long checkArchive(String archiveName, Optional<BackupManifest> manifest, Checks checks, OutOfTime outOfTime) {
        BaseBackupContents contents = new BaseBackupContents();
        BaseArchiveReader.Read read;
        try (InputStream raw = store.open(archiveName)) {
            read = BaseArchiveReader.read(raw, contents.parser(), outOfTime::check);
        } catch (StorageException e) {
            checks.fail(CheckName.DATA_FILE, e.getMessage());
            return 0;
        } catch (IOException e) {
            // Only closing can fail here, after the read.
            return 0;
        }
        if (read.stoppedBy().isPresent()) {
            // Nothing was judged: the archive was not read to its end.
            checks.error(CheckName.TAR, read.stoppedBy().get());
            return read.storedBytes();
        }
        if (read.sha256() == null) {
            checks.fail(CheckName.DATA_FILE, "reading " + store.locationOf(archiveName) + " failed: "
                    + read.sourceFailure().map(Throwable::getMessage).orElse("the stored object ended early"));
            return read.storedBytes();
        }
        checkChecksum(read, manifest, checks);
        if (read.sourceFailure().isEmpty()) {
            String readError = read.inflateError().orElse(null);
            boolean tarRefused = readError != null && readError.startsWith("the tar archive");
            checks.check(CheckName.COMPRESSION, readError == null || tarRefused, readError == null || tarRefused
                    ? "the gzip stream is complete and its CRC matches" : "the gzip stream is damaged: " + readError);
            List<String> problems = tarRefused ? List.of(readError) : contents.problems();
            checks.check(CheckName.TAR, problems.isEmpty(), problems.isEmpty()
                    ? contents.parser().entries() + " members; every file matches PostgreSQL's backup_manifest"
                    + contents.manifestSummary().map(m -> " (" + m.files() + " files, " + m.checksumAlgorithm() + ")").orElse("")
                    : String.join("; ", problems));
        }
        return read.storedBytes();
    }

    private static void checkChecksum(BaseArchiveReader.Read read, Optional<BackupManifest> manifest, Checks checks) {
        if (manifest.isEmpty()) {
            return;
        }
        String actual = read.sha256();
        BackupManifest m = manifest.get();
        boolean matches = actual.equals(m.sha256()) && read.storedBytes() == m.compressedBytes();
        checks.check(CheckName.SHA256, matches, matches ? "sha256 and size (" + read.storedBytes() + " bytes) match the manifest"
                : "sha256 " + actual + " and " + read.storedBytes() + " bytes, the manifest records " + m.sha256() + " and "
                + m.compressedBytes() + ": the stored file was altered or damaged");
    }

    private void checkWal(BackupManifest m, Checks checks) {
        List<String> needed = WalSequence.between(m.walStart().file(), m.walStop().file(), m.walSegmentBytes());
        Set<String> archived;
        try {
            archived = new HashSet<>(archive.archivedNames());
        } catch (WalArchiveException e) {
            checks.error(CheckName.WAL, "the WAL archive could not be listed: " + e.getMessage());
            return;
        }
        List<String> missing = needed.stream().filter(s -> !archived.contains(s)).toList();
        checks.check(CheckName.WAL, missing.isEmpty(), missing.isEmpty()
                ? "the " + needed.size() + " WAL segment(s) the backup needs (" + needed.get(0) + " to "
                + needed.get(needed.size() - 1) + ") are in " + archive.store().root()
                : "missing from " + archive.store().root() + ": " + missing + " (the backup cannot be made consistent "
                + "without them; check archive_command / wal-push on the server)");
    }
}
