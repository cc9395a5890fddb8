package com.neurocred.backup.verify;

import com.neurocred.backup.digest.HashingInputStream;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.NewerManifestException;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.config.VerifySettings;
import com.neurocred.backup.dumpformat.PlainDumpScanner;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgVersion;
import com.neurocred.backup.postgres.TolerantSink;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import com.neurocred.backup.compress.Compression;

/**
 * Verifies one backup end to end, reading the stored object once where it can: size, SHA-256, gzip
 * integrity (trailer CRC and length), the dump's structure, every table of the manifest with its rows,
 * the critical tables, and a restore into a scratch database (the real syntax check) whose row counts
 * must match. The result is written beside the backup as its verification record; nothing else in the
 * store is changed.
 */
public final class FullBackupCheck implements BackupCheck {
    private static final int BUFFER = 256 * 1024;
    private static final int HISTORY = 7;

    private final BackupCatalog catalog;
    private final BackupStore store;
    private final VerifySettings settings;
    private final DatabaseSettings scratchServer;
    private final PgToolLocator toolLocator;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;
    private final DumpChecks dumpChecks;

    public FullBackupCheck(BackupCatalog catalog, VerifySettings settings, DatabaseSettings scratchServer,
                               PgToolLocator toolLocator, ScheduledExecutorService watchdog, Clock clock) {
        this.catalog = catalog;
        this.store = catalog.store();
        this.settings = settings;
        this.scratchServer = scratchServer;
        this.toolLocator = toolLocator;
        this.watchdog = watchdog;
        this.clock = clock;
        this.dumpChecks = new DumpChecks(settings);
    }

    @Override
    public String expectedNames() {
        return "neurocred_{environment}_{yyyyMMdd_HHmmss}.sql.gz (or .sql.zst, .dump) or manifest_{environment}_{yyyyMMdd_HHmmss}.json";
    }

    /** Runs every check on the set a dump, manifest or record name belongs to, and says what it found. */
    @Override
    public VerificationRecord check(ParsedName parsed, TimeBudget budget, Attempt attempt) {
        BackupNames names = parsed.names();
        Run run = new Run(budget, parsed, attempt);
        Checks checks = new Checks();
        Optional<BackupManifest> manifest = readManifest(names, checks);
        if (checks.erred(CheckName.MANIFEST)) {
            // Without a manifest this release can read, the rest would judge the backup on nothing.
            return run.record(Optional.empty(), names, manifest, checks, 0, false);
        }
        Optional<String> dump = dumpFile(parsed, manifest, checks);
        long storedBytes = dump.map(d -> run.verifyDump(d, manifest, checks)).orElse(0L);
        boolean anomaly = storedBytes > 0 && checkSizeAgainstHistory(parsed.timestamp(), storedBytes, checks);
        return run.record(dump, names, manifest, checks, storedBytes, anomaly);
    }

    private Optional<BackupManifest> readManifest(BackupNames names, Checks checks) {
        String manifestName = names.manifest();
        if (!store.exists(manifestName)) {
            checks.fail(CheckName.MANIFEST, "no manifest " + manifestName + " beside the dump: without its manifest a dump is an "
                    + "unfinished backup (the backup failed or is still being written)");
            return Optional.empty();
        }
        try {
            BackupManifest m = catalog.manifest(manifestName);
            if (m.dataFile() == null || m.sha256() == null || m.tables() == null) {
                checks.fail(CheckName.MANIFEST, manifestName + " lacks dataFile, sha256 or tables: not a manifest of this system");
                return Optional.empty();
            }
            if (!names.isDataFileOfThisSet(m.dataFile())) {
                checks.fail(CheckName.MANIFEST, manifestName + " names '" + m.dataFile() + "', which is not the dump of its own "
                        + "set (neurocred_" + names.environment().id() + "_" + names.timestamp() + ".*): it was altered; "
                        + "nothing it names was read");
                return Optional.empty();
            }
            checks.pass(CheckName.MANIFEST, manifestName + " names " + m.dataFile() + " (" + m.tables().size() + " tables)");
            return Optional.of(m);
        } catch (NewerManifestException e) {
            checks.error(CheckName.MANIFEST, e.getMessage());
            return Optional.empty();
        } catch (IOException | StorageException e) {
            checks.fail(CheckName.MANIFEST, manifestName + " is not valid JSON: " + firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    private Optional<String> dumpFile(ParsedName parsed, Optional<BackupManifest> manifest, Checks checks) {
        Optional<String> name = manifest.map(BackupManifest::dataFile);
        if (name.isEmpty()) {
            name = parsed.kind() == ParsedName.Kind.DATA_FILE ? Optional.of(parsed.names().dataFile()) : findDump(parsed);
        }
        if (name.isEmpty() || !store.exists(name.get())) {
            checks.fail(CheckName.DATA_FILE, name.map(n -> store.locationOf(n) + " does not exist")
                    .orElse("no dump of " + parsed.timestamp() + " exists") + ": nothing to verify");
            return Optional.empty();
        }
        return name;
    }

    private Optional<String> findDump(ParsedName parsed) {
        return catalog.sets().stream().filter(s -> s.timestamp().equals(parsed.timestamp())).findFirst()
                .flatMap(BackupSet::dataFile).map(StoredObject::name);
    }

    /** The stored sizes of the last verified backups before this one, judged by DumpChecks; whether it is an anomaly. */
    private boolean checkSizeAgainstHistory(String timestamp, long size, Checks checks) {
        List<Long> sizes = new ArrayList<>();
        for (BackupSet set : catalog.sets()) {
            if (sizes.size() == HISTORY) {
                break;
            }
            if (set.timestamp().compareTo(timestamp) < 0 && set.verification().isPresent()) {
                catalog.verification(set.verification().get().name()).filter(VerificationRecord::passed)
                        .ifPresent(r -> sizes.add(r.storedBytes()));
            }
        }
        return dumpChecks.sizeAnomaly(size, sizes, checks);
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    /** The state of one verification: its time budget, and what the watchdog may have to stop. */
    private final class Run {
        private final TimeBudget budget;
        private final ParsedName parsed;
        private final Attempt attempt;
        private final Instant started = clock.instant();
        private volatile boolean timedOut;
        private volatile InputStream currentSource;
        private volatile ScratchRestore currentRestore;
        private Long restoreMillis;

        Run(TimeBudget budget, ParsedName parsed, Attempt attempt) {
            this.budget = budget;
            this.parsed = parsed;
            this.attempt = attempt;
        }

        long verifyDump(String dump, Optional<BackupManifest> manifest, Checks checks) {
            try (TimeBudget.Watch watch = budget.whenOver(watchdog, this::stop)) {
                return BackupFormat.ofDataFile(dump) == BackupFormat.CUSTOM ? verifyCustom(dump, manifest, checks)
                        : verifyPlain(dump, manifest, checks);
            }
        }

        /** The verification would outlast the time left: stop the restore and the download, now. */
        private void stop() {
            timedOut = true;
            ScratchRestore restore = currentRestore;
            if (restore != null) {
                restore.stop(whyStopped());
            }
            InputStream source = currentSource;
            if (source != null) {
                try {
                    source.close();
                } catch (IOException e) {
                    // Closing is all that is wanted.
                }
            }
        }

        private String whyStopped() {
            return budget.stopped().orElse("the restore test would outlast " + budget.limit().name());
        }

        /** The stream {@link #stop} closes; closed at once when the stop came before it was opened. */
        private void reading(InputStream raw) throws IOException {
            currentSource = raw;
            if (timedOut) {
                raw.close();
            }
        }

        /** One read of the stored dump: checksum, inflation, structure and rows, and the restore fed as it passes. */
        private long verifyPlain(String dump, Optional<BackupManifest> manifest, Checks checks) {
            Optional<ScratchRestore> restore = openScratch(manifest, checks);
            try (InputStream raw = store.open(dump); HashingInputStream hashed = new HashingInputStream(raw)) {
                reading(raw);
                Optional<PgToolProcess> psql = restore.flatMap(r -> r.start(PgToolProcess::psqlRestore, checks));
                OutputStream sink = psql.<OutputStream>map(p -> new TolerantSink(p.stdin())).orElse(OutputStream.nullOutputStream());
                // The scanner passes on to psql only what it has checked, and never a meta-command.
                PlainDumpScanner scanner = PlainDumpScanner.forwardingTo(sink);
                long inflated = 0;
                String compressionError = null;
                // Decompression here; structure checks, row counts and the restore feed on a second thread.
                try (InputStream gz = Compression.ofName(dump).decompressing(hashed.shielded());
                     ChunkHandoff checking = new ChunkHandoff(BUFFER, (bytes, length) -> scanner.update(bytes, 0, length))) {
                    byte[] buf = new byte[BUFFER];
                    int n;
                    while ((n = gz.readNBytes(buf, 0, BUFFER)) > 0) {
                        checking.accept(buf, n);
                        inflated += n;
                    }
                    checking.finish();
                } catch (IOException e) {
                    if (hashed.sourceFailure() != null) {
                        throw hashed.sourceFailure();
                    }
                    compressionError = e.getMessage();
                }
                scanner.finish();
                if (scanner.refusal().isPresent()) {
                    // Stop the restore before psql is given end of input: it runs nothing more of this dump.
                    psql.ifPresent(PgToolProcess::kill);
                }
                hashed.drain();
                sink.close();
                dumpChecks.sizeAndChecksum(hashed.count(), hashed.sha256(), manifest, checks);
                dumpChecks.compression(dump, compressionError, inflated, manifest, checks);
                if (compressionError == null) {
                    dumpChecks.structure(scanner, checks);
                    manifest.ifPresent(m -> dumpChecks.tables(scanner.rowsByTable(), m, checks));
                } else {
                    scanner.refusal().ifPresent(r -> checks.fail(CheckName.SQL_STRUCTURE, r + " (before the stream broke)"));
                }
                dumpChecks.critical(scanner.rowsByTable(), checks);
                boolean whole = compressionError == null;
                restore.ifPresent(r -> finish(r, whole, scanner.refusal(), checks));
                return hashed.count();
            } catch (IOException | StorageException e) {
                return readFailed(dump, e, checks);
            } finally {
                currentSource = null;
                closeScratch(restore);
            }
        }

        /** A first read for the checksum and pg_restore's table of contents; the restore test reads it again. */
        private long verifyCustom(String dump, Optional<BackupManifest> manifest, Checks checks) {
            Map<String, Long> tocTables;
            long size;
            try (InputStream raw = store.open(dump); HashingInputStream hashed = new HashingInputStream(raw)) {
                reading(raw);
                ArchiveToc toc = ArchiveToc.read(toolLocator.locateFor(writtenBy(manifest)), hashed);
                dumpChecks.sizeAndChecksum(hashed.count(), hashed.sha256(), manifest, checks);
                checks.check(CheckName.ARCHIVE_TOC, toc.readable(), toc.readable()
                        ? "pg_restore --list read the table of contents"
                        : "pg_restore --list failed (" + PgToolProcess.describeExit(toc.exit()) + "): " + toc.stderr());
                tocTables = toc.tablesOf(manifest);
                manifest.ifPresent(m -> dumpChecks.tables(tocTables, m, checks));
                size = hashed.count();
            } catch (IOException | StorageException e) {
                return readFailed(dump, e, checks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return readFailed(dump, new IOException("interrupted"), checks);
            } finally {
                currentSource = null;
            }
            dumpChecks.critical(tocTables, checks);
            if (settings.restoreTest() && !checks.anyFailed()) {
                restoreCustom(dump, manifest, checks);
            }
            return size;
        }

        private void restoreCustom(String dump, Optional<BackupManifest> manifest, Checks checks) {
            Optional<ScratchRestore> restore = openScratch(manifest, checks);
            if (restore.isEmpty()) {
                return;
            }
            try (InputStream raw = store.open(dump)) {
                reading(raw);
                Optional<PgToolProcess> pgRestore = restore.get().start(
                        (tools, db) -> PgToolProcess.pgRestore(tools, db, Optional.empty(), 1), checks);
                if (pgRestore.isPresent()) {
                    try (TolerantSink sink = new TolerantSink(pgRestore.get().stdin())) {
                        raw.transferTo(sink);
                    }
                }
                finish(restore.get(), true, Optional.empty(), checks);
            } catch (IOException | StorageException e) {
                readFailed(dump, e, checks);
            } finally {
                currentSource = null;
                closeScratch(restore);
            }
        }

        private Optional<ScratchRestore> openScratch(Optional<BackupManifest> manifest, Checks checks) {
            if (!settings.restoreTest()) {
                return Optional.empty();
            }
            Optional<ScratchRestore> restore = ScratchRestore.create(scratchServer, toolLocator, parsed, attempt, manifest,
                    clock, started, checks);
            currentRestore = restore.orElse(null);
            if (timedOut) {
                restore.ifPresent(r -> r.stop(whyStopped())); // stopped while the scratch database was made
            }
            return restore;
        }

        private void finish(ScratchRestore restore, boolean inputWhole, Optional<String> refusal, Checks checks) {
            restore.finish(inputWhole, refusal, checks);
            restoreMillis = restore.restoreMillis().orElse(null);
        }

        private void closeScratch(Optional<ScratchRestore> restore) {
            currentRestore = null;
            restore.ifPresent(ScratchRestore::close);
        }

        private long readFailed(String dump, Exception e, Checks checks) {
            if (timedOut && budget.stopped().isPresent()) {
                checks.error(CheckName.RESTORE, "stopped after " + Duration.between(started, clock.instant()).toSeconds()
                        + " s: " + budget.stopped().get() + "; the scratch database was dropped");
            } else if (timedOut) {
                checks.error(CheckName.RESTORE, "stopped after " + Duration.between(started, clock.instant()).toSeconds()
                        + " s: the verification would outlast " + budget.limit().name() + " (" + budget.limit().advice()
                        + "); the scratch database was dropped");
            } else {
                checks.error(CheckName.READ, "could not read " + store.locationOf(dump) + ": " + e.getMessage());
            }
            return 0;
        }

        private VerificationRecord record(Optional<String> dump, BackupNames names,
                                          Optional<BackupManifest> manifest, Checks checks, long storedBytes, boolean anomaly) {
            Instant finished = clock.instant();
            long millis = Duration.between(started, finished).toMillis();
            // Stopped from outside is no timeout: the check could not run (ERROR), and nothing says the run lacks time.
            String status = checks.status(timedOut && budget.stopped().isEmpty());
            Double rate = millis > 0 && storedBytes > 0 ? storedBytes / 1e6 / (millis / 1000.0) : null;
            return new VerificationRecord(VerificationRecord.VERSION, parsed.environment().id(), parsed.timestamp(),
                    dump.orElse(null), manifest.isPresent() ? names.manifest() : null, status, anomaly, started.toString(),
                    finished.toString(), millis, restoreMillis, storedBytes, rate, checks.list());
        }
    }

    /** The version of the pg_dump that wrote the archive: pg_restore must be at least as new to read it. */
    private static PgVersion writtenBy(Optional<BackupManifest> manifest) {
        String v = manifest.map(BackupManifest::toolVersion).orElse("0");
        String major = v.replaceAll("^(\\d+).*$", "$1");
        return new PgVersion(major.isEmpty() || !major.chars().allMatch(Character::isDigit) ? 0 : Integer.parseInt(major), v);
    }
}
