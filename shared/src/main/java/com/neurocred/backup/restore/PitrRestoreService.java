package com.neurocred.backup.restore;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.dumpformat.BaseArchiveReader;
import com.neurocred.backup.dumpformat.BaseBackupContents;
import com.neurocred.backup.postgres.LogFollower;
import com.neurocred.backup.postgres.PgServerControl;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolsNotUsableException;
import com.neurocred.backup.postgres.PgVersion;
import com.neurocred.backup.postgres.RecoveryLog;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.wal.WalArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Point-in-time recovery into a new data directory: plans it first (base backup, WAL continuity, target
 * inside the recoverable window) so a request that cannot succeed writes nothing; then extracts the base
 * backup with its checksums checked, writes the recovery settings, and optionally starts the server and
 * follows its log until it reaches the target and promotes.
 */
public final class PitrRestoreService {
    static final String LOG_NAME = "neurocred-pitr.log";

    private final BackupCatalog bases;
    private final WalArchive archive;
    private final PgToolLocator toolLocator;
    private final Clock clock;

    public PitrRestoreService(BackupCatalog bases, WalArchive archive, PgToolLocator toolLocator, Clock clock) {
        this.bases = bases;
        this.archive = archive;
        this.toolLocator = toolLocator;
        this.clock = clock;
    }

    public PitrResult restore(PitrRequest request) {
        Instant started = clock.instant();
        checkEmpty(request.dataDir());
        Optional<UserPrincipal> owner = owner(request.owner());
        PitrPlanner.Plan plan = PitrPlanner.plan(baseBackups(), request.target(), request.baseBackup(), archivedWal());
        BackupManifest manifest = plan.base().manifest();
        Optional<PgServerControl> server = request.start() ? Optional.of(serverFor(manifest, request.owner()))
                : Optional.empty();
        Extraction extraction = extract(manifest, request.dataDir(), owner);
        writeRecoverySettings(request, plan, owner);
        long extractMillis = Duration.between(started, clock.instant()).toMillis();
        if (server.isEmpty()) {
            return result(plan, request, extraction, extractMillis, null, null, started);
        }
        Instant recoveryStarted = clock.instant();
        RecoveryLog.State state = recover(server.get(), request);
        return result(plan, request, extraction, extractMillis, state,
                Duration.between(recoveryStarted, clock.instant()).toMillis(), started);
    }

    private PitrResult result(PitrPlanner.Plan plan, PitrRequest request, Extraction extraction, long extractMillis,
                              RecoveryLog.State state, Long recoveryMillis, Instant started) {
        BackupManifest m = plan.base().manifest();
        String stoppedAt = state == null ? null : state.stoppedAt().orElse(null);
        String recoveredTo = state == null ? null : state.lastTransactionAt().orElse(null);
        return new PitrResult(plan.base().timestamp(), m.dataFileLocation(), request.target().describe(),
                request.dataDir().toString(), extraction.bytes, extraction.files, extractMillis, plan.firstSegment(),
                plan.lastNeededSegment(), state != null, request.port().isPresent() ? request.port().getAsInt() : null,
                stoppedAt, recoveredTo,
                recoveryMillis, Duration.between(started, clock.instant()).toMillis(),
                state == null ? null : request.dataDir().resolve(LOG_NAME).toString());
    }

    private static void checkEmpty(Path dataDir) {
        if (!Files.exists(dataDir)) {
            return;
        }
        if (!Files.isDirectory(dataDir)) {
            throw new RestoreException(dataDir + " is a file, not a directory: give a new or empty directory for --pgdata");
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            long count = entries.count();
            if (count > 0) {
                throw new RestoreException(dataDir + " is not empty (" + count + " entries): a point-in-time restore "
                        + "writes a whole data directory and never into an existing one. Give a new or empty directory; "
                        + "nothing was changed");
            }
        } catch (IOException e) {
            throw new RestoreException("cannot read " + dataDir + " (" + e.getMessage() + ")", e);
        }
    }

    private static Optional<UserPrincipal> owner(Optional<String> user) {
        if (user.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user.get()));
        } catch (IOException e) {
            throw new RestoreException("there is no user '" + user.get() + "' to own the data directory: give --owner "
                    + "the user PostgreSQL runs as", e);
        }
    }

    private List<PitrPlanner.BaseBackup> baseBackups() {
        List<PitrPlanner.BaseBackup> found = new ArrayList<>();
        try {
            for (BackupSet set : bases.sets()) {
                if (set.isComplete()) {
                    readManifest(set).filter(m -> BackupManifest.TYPE_BASE.equals(m.type()))
                            .ifPresent(m -> found.add(new PitrPlanner.BaseBackup(set.timestamp(), m)));
                }
            }
        } catch (StorageException e) {
            throw new RestoreException("cannot list the base backups in " + bases.store().root() + ": " + e.getMessage(), e);
        }
        return found;
    }

    private Optional<BackupManifest> readManifest(BackupSet set) {
        try {
            return Optional.of(bases.manifest(set.manifest().orElseThrow().name()));
        } catch (IOException e) {
            // An unreadable manifest is an unusable backup; the others may still serve.
            return Optional.empty();
        }
    }

    private List<PitrPlanner.ArchivedWal> archivedWal() {
        try {
            return archive.store().list().stream()
                    .filter(o -> WalArchive.originalName(o.name()) != null && o.lastModified() != null)
                    .map(o -> new PitrPlanner.ArchivedWal(WalArchive.originalName(o.name()), o.lastModified())).toList();
        } catch (StorageException e) {
            throw new RestoreException("cannot list the WAL archive " + archive.store().root() + ": " + e.getMessage(), e);
        }
    }

    private PgServerControl serverFor(BackupManifest manifest, Optional<String> owner) {
        PgVersion version = PgVersion.fromToolOutput("postgres (PostgreSQL) " + manifest.serverVersion());
        try {
            PgServerControl control = new PgServerControl(toolLocator.locateFor(version).binDir(), owner);
            control.checkInstalled(version);
            return control;
        } catch (PgToolsNotUsableException e) {
            throw new RestoreException(e.getMessage(), e);
        }
    }

    private record Extraction(long bytes, int files) {
    }

    private Extraction extract(BackupManifest manifest, Path dataDir, Optional<UserPrincipal> owner) {
        boolean created = !Files.exists(dataDir);
        BackupStore store = bases.store();
        try {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            if (owner.isPresent()) {
                Files.setOwner(dataDir, owner.get());
            }
            TarExtractor extractor = new TarExtractor(dataDir, owner);
            BaseBackupContents contents = new BaseBackupContents(extractor);
            BaseArchiveReader.Read read;
            try (InputStream stored = store.open(manifest.dataFile())) {
                read = BaseArchiveReader.read(stored, contents.parser(), () -> { });
            } finally {
                extractor.closeQuietly();
            }
            if (read.sourceFailure().isPresent()) {
                throw read.sourceFailure().get();
            }
            if (read.inflateError().isPresent()) {
                throw new IOException(read.inflateError().get());
            }
            if (!read.sha256().equals(manifest.sha256())) {
                throw new IOException("its SHA-256 is " + read.sha256() + " but the manifest records " + manifest.sha256());
            }
            List<String> problems = contents.problems();
            if (!problems.isEmpty()) {
                throw new IOException(String.join("; ", problems));
            }
            makeDirectory(dataDir.resolve("pg_wal"), owner);
            return new Extraction(extractor.bytes(), extractor.files());
        } catch (IOException | RuntimeException e) {
            wipe(dataDir, created);
            if (e instanceof RestoreException re) {
                throw re;
            }
            throw new RestoreException("base backup " + manifest.dataFileLocation() + " could not be restored: " + e.getMessage()
                    + "; " + dataDir + " was emptied again", e);
        }
    }

    private static void makeDirectory(Path dir, Optional<UserPrincipal> owner) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (owner.isPresent()) {
            Files.setOwner(dir, owner.get());
        }
    }

    /**
     * recovery.signal, and the settings appended to postgresql.auto.conf, where they override the
     * source's own. A restored copy must not archive into the archive it is reading from.
     */
    private static void writeRecoverySettings(PitrRequest request, PitrPlanner.Plan plan, Optional<UserPrincipal> owner) {
        Path dataDir = request.dataDir();
        List<String> lines = new ArrayList<>(List.of("",
                "# Added by neurocred-backup restore pitr: base backup " + plan.base().timestamp() + ", recovery to the "
                        + request.target().describe(),
                "restore_command = '" + request.restoreCommand().replace("'", "''") + "'",
                request.target().setting(),
                "recovery_target_action = 'promote'",
                "recovery_target_timeline = 'latest'"));
        if (!request.keepArchiving()) {
            lines.add("archive_mode = 'off'");
        }
        try {
            Path auto = dataDir.resolve("postgresql.auto.conf");
            Files.writeString(auto, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Path signal = dataDir.resolve("recovery.signal");
            Files.write(signal, new byte[0]);
            List<Path> written = new ArrayList<>(List.of(auto, signal));
            if (request.walFetchSettings().isPresent()) {
                Path settings = dataDir.resolve(PitrRequest.WAL_FETCH_SETTINGS);
                Files.writeString(settings, request.walFetchSettings().get(), StandardCharsets.UTF_8);
                written.add(settings);
            }
            for (Path p : written) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
                if (owner.isPresent()) {
                    Files.setOwner(p, owner.get());
                }
            }
        } catch (IOException e) {
            throw new RestoreException("could not write the recovery settings into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private RecoveryLog.State recover(PgServerControl server, PitrRequest request) {
        Path log = request.dataDir().resolve(LOG_NAME);
        try {
            server.start(request.dataDir(), request.port(), log);
        } catch (IOException e) {
            throw new RestoreException("the restored server did not start: " + e.getMessage() + "; read " + log, e);
        }
        Instant deadline = clock.instant().plus(request.recoveryTimeout());
        LogFollower follower = new LogFollower(log);
        try {
            while (true) {
                Thread.sleep(200);
                RecoveryLog.State state = RecoveryLog.read(follower.lines());
                if (state.promoted()) {
                    return state;
                }
                if (!server.isRunning(request.dataDir())) {
                    throw new RestoreException(failure(RecoveryLog.read(follower.lines()), request, log));
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new RestoreException("recovery has not reached the " + request.target().describe() + " after "
                            + request.recoveryTimeout().toMinutes() + " min; the server is still running and "
                            + "recovering: follow " + log);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestoreException("interrupted while waiting for recovery; the server may still be running", e);
        } catch (IOException e) {
            throw new RestoreException("could not follow recovery: " + e.getMessage(), e);
        }
    }

    private static String failure(RecoveryLog.State state, PitrRequest request, Path log) {
        StringBuilder message = new StringBuilder("recovery to the " + request.target().describe() + " failed and the "
                + "server stopped");
        if (!state.walFetchProblems().isEmpty()) {
            message.append(": ").append(String.join("; ", state.walFetchProblems()));
        }
        if (!state.errors().isEmpty()) {
            message.append(": ").append(String.join("; ", state.errors()));
        }
        if (state.errors().stream().anyMatch(e -> e.contains("before configured recovery target was reached"))) {
            message.append(". The archive ends before the target: a WAL segment after ")
                    .append(state.lastTransactionAt().map(t -> "the last replayed transaction (" + t + ")").orElse("the base backup"))
                    .append(" is missing or the target was never written (a restore point name that does not exist?)");
        }
        return message.append(". The data directory is left as it is for inspection; its log is ").append(log).toString();
    }

    private static void wipe(Path dataDir, boolean created) {
        try (Stream<Path> all = Files.walk(dataDir)) {
            all.sorted(Comparator.reverseOrder()).filter(p -> created || !p.equals(dataDir)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: the message tells the operator the directory was meant to be emptied.
        }
    }
}
