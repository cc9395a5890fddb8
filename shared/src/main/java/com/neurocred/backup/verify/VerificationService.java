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
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.TlsDiagnosis;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.ScratchDatabase;
import com.neurocred.backup.postgres.TolerantSink;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import com.neurocred.backup.compress.Compression;

/**
 * Verifies one backup end to end, reading the stored object once where it can: size, SHA-256, gzip
 * integrity (trailer CRC and length), the dump's structure, every table of the manifest with its rows,
 * the critical tables, and a restore into a scratch database (the real syntax check) whose row counts
 * must match. The result is written beside the backup as its verification record; nothing else in the
 * store is changed.
 */
public final class VerificationService implements BackupCheck {
    private static final int BUFFER = 256 * 1024;
    private static final int HISTORY = 7;
    /** psql's exit code when the connection to the server went bad (1 is a fatal error, 3 a script error). */
    private static final int PSQL_CONNECTION_LOST = 2;

    private final BackupCatalog catalog;
    private final BackupStore store;
    private final VerifySettings settings;
    private final DatabaseSettings scratchServer;
    private final PgToolLocator toolLocator;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;
    private final DumpChecks dumpChecks;

    public VerificationService(BackupCatalog catalog, VerifySettings settings, DatabaseSettings scratchServer,
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

    /** The state of one verification: its time budget, what the watchdog may have to stop, the restore time. */
    private final class Run {
        private final TimeBudget budget;
        private final ParsedName parsed;
        private final Attempt attempt;
        private final Instant started = clock.instant();
        private volatile boolean timedOut;
        private volatile InputStream currentSource;
        private volatile PgToolProcess currentChild;
        private Long restoreMillis;
        private final ScratchGlobals scratchGlobals = new ScratchGlobals(scratchServer);
        private Optional<BackupManifest> manifest = Optional.empty();

        Run(TimeBudget budget, ParsedName parsed, Attempt attempt) {
            this.budget = budget;
            this.parsed = parsed;
            this.attempt = attempt;
        }

        long verifyDump(String dump, Optional<BackupManifest> manifest, Checks checks) {
            this.manifest = manifest;
            Optional<ScheduledFuture<?>> watch = budget.remaining().map(left ->
                    watchdog.schedule(this::stop, left.toMillis(), TimeUnit.MILLISECONDS));
            try {
                BackupFormat format = dump.endsWith(BackupFormat.CUSTOM.extension()) ? BackupFormat.CUSTOM : BackupFormat.PLAIN;
                return format == BackupFormat.PLAIN ? verifyPlain(dump, manifest, checks)
                        : verifyCustom(dump, manifest, checks);
            } finally {
                watch.ifPresent(w -> w.cancel(false));
            }
        }

        /** The restore test would outlast the time left: stop the restore and the download, now. */
        private void stop() {
            timedOut = true;
            PgToolProcess child = currentChild;
            if (child != null) {
                child.kill();
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

        private long verifyPlain(String dump, Optional<BackupManifest> manifest, Checks checks) {
            Optional<ScratchDatabase> scratch = openScratch(checks);
            Instant passStarted = clock.instant();
            try (InputStream raw = store.open(dump); HashingInputStream hashed = new HashingInputStream(raw)) {
                currentSource = raw;
                Optional<PgToolProcess> psql = startRestore(scratch, checks, s -> PgToolProcess.psqlRestore(s.tools, s.db.settings()));
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
                finishRestore(psql, scratch, manifest, compressionError == null, scanner.refusal(), passStarted, checks);
                return hashed.count();
            } catch (IOException | StorageException e) {
                return readFailed(dump, e, checks);
            } finally {
                currentSource = null;
                closeChild();
                scratch.ifPresent(ScratchDatabase::close);
            }
        }

        /** A restore that did not get to finish (stopped, or its input failed) must not outlive the verification. */
        private void closeChild() {
            PgToolProcess child = currentChild;
            currentChild = null;
            if (child != null) {
                child.close();
            }
        }

        private long verifyCustom(String dump, Optional<BackupManifest> manifest, Checks checks) {
            Map<String, Long> tocTables;
            long size;
            try (InputStream raw = store.open(dump); HashingInputStream hashed = new HashingInputStream(raw)) {
                currentSource = raw;
                PgTools tools = toolLocator.locateFor(parseVersion(manifest));
                PgToolProcess list = PgToolProcess.pgRestoreList(tools);
                CompletableFuture<String> toc = CompletableFuture.supplyAsync(() -> readAll(list.stdout()));
                try (TolerantSink sink = new TolerantSink(list.stdin())) {
                    hashed.transferTo(sink);
                }
                int exit = list.waitFor();
                dumpChecks.sizeAndChecksum(hashed.count(), hashed.sha256(), manifest, checks);
                String listing = toc.join();
                checks.check(CheckName.ARCHIVE_TOC, exit == 0, exit == 0 ? "pg_restore --list read the table of contents"
                        : "pg_restore --list failed (" + PgToolProcess.describeExit(exit) + "): " + list.stderrText());
                tocTables = DumpChecks.tablesInToc(listing, manifest);
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
            Optional<ScratchDatabase> scratch = openScratch(checks);
            Instant passStarted = clock.instant();
            try (InputStream raw = store.open(dump)) {
                currentSource = raw;
                Optional<PgToolProcess> restore = startRestore(scratch, checks,
                        s -> PgToolProcess.pgRestore(s.tools, s.db.settings(), Optional.empty(), 1));
                if (restore.isPresent()) {
                    try (TolerantSink sink = new TolerantSink(restore.get().stdin())) {
                        raw.transferTo(sink);
                    }
                }
                finishRestore(restore, scratch, manifest, true, Optional.empty(), passStarted, checks);
            } catch (IOException | StorageException e) {
                readFailed(dump, e, checks);
            } finally {
                currentSource = null;
                closeChild();
                scratch.ifPresent(ScratchDatabase::close);
            }
        }

        private long readFailed(String dump, Exception e, Checks checks) {
            if (timedOut) {
                checks.error(CheckName.RESTORE, "stopped after " + Duration.between(started, clock.instant()).toSeconds()
                        + " s: the verification would outlast the time the function had left; the scratch database "
                        + "was dropped");
            } else {
                checks.error(CheckName.READ, "could not read " + store.locationOf(dump) + ": " + e.getMessage());
            }
            return 0;
        }

        private Optional<ScratchDatabase> openScratch(Checks checks) {
            if (!settings.restoreTest()) {
                return Optional.empty();
            }
            // One database per attempt: a duplicate's cleanup must never drop the restore of another.
            String backup = "verify_" + parsed.environment().id() + "_" + parsed.timestamp();
            String name = backup + "_" + attempt.id();
            try {
                if (attempt.holdsLease()) {
                    ScratchDatabase.dropLeftovers(scratchServer, backup);
                }
                return Optional.of(ScratchDatabase.create(scratchServer, name));
            } catch (SQLException e) {
                checks.error(CheckName.RESTORE, "could not create the scratch database " + name + ": "
                        + ConnectionErrors.describe(scratchServer, e).replace("DB_", "VERIFY_DB_"));
                return Optional.empty();
            }
        }

        private record Restorer(ScratchDatabase db, PgTools tools) {
        }

        @FunctionalInterface
        private interface RestoreStarter {
            PgToolProcess start(Restorer r) throws IOException;
        }

        private Optional<PgToolProcess> startRestore(Optional<ScratchDatabase> scratch, Checks checks, RestoreStarter starter) {
            if (scratch.isEmpty() || !scratchGlobals.prepare(scratch.get(), manifest, checks)) {
                return Optional.empty();
            }
            try {
                PgTools tools = toolLocator.locateFor(scratch.get().serverVersion());
                PgToolProcess child = starter.start(new Restorer(scratch.get(), tools));
                currentChild = child;
                return Optional.of(child);
            } catch (IOException | RuntimeException e) {
                checks.error(CheckName.RESTORE, "could not start the restore: " + e.getMessage());
                return Optional.empty();
            }
        }

        /** A refused TLS connection says nothing about the backup: an error to retry, not a failed backup. */
        private void failedRestore(int exit, String stderr, Checks checks) {
            Optional<String> tls = TlsDiagnosis.explainToolOutput(scratchServer, stderr);
            if (tls.isPresent()) {
                checks.error(CheckName.RESTORE, "could not connect to the scratch server: " + tls.get().replace("DB_", "VERIFY_DB_"));
            } else {
                checks.fail(CheckName.RESTORE, "the restore stopped at an error (" + PgToolProcess.describeExit(exit) + "): " + stderr);
            }
        }

        /** @param refusal what the dump filter refused, after which nothing more reached the restore */
        private void finishRestore(Optional<PgToolProcess> child, Optional<ScratchDatabase> scratch,
                                   Optional<BackupManifest> manifest, boolean inputWhole, Optional<String> refusal,
                                   Instant passStarted, Checks checks) {
            if (child.isEmpty() || scratch.isEmpty()) {
                return;
            }
            try {
                int exit = child.get().waitFor();
                currentChild = null;
                if (timedOut) {
                    checks.error(CheckName.RESTORE, "stopped after " + Duration.between(started, clock.instant()).toSeconds()
                            + " s: the restore test would outlast the time the function had left; the scratch database "
                            + "was dropped");
                } else if (refusal.isPresent()) {
                    checks.fail(CheckName.RESTORE, "stopped before " + refusal.get() + ": nothing from there on reached psql");
                } else if (exit == PSQL_CONNECTION_LOST) {
                    checks.error(CheckName.RESTORE, "the connection to the scratch server was lost during the restore ("
                            + PgToolProcess.describeExit(exit) + "): " + child.get().stderrText());
                } else if (exit != 0) {
                    failedRestore(exit, child.get().stderrText(), checks);
                } else if (!inputWhole) {
                    checks.fail(CheckName.RESTORE, "the restore ran on a damaged stream and proves nothing");
                } else {
                    compareRestoredRows(scratch.get(), manifest, checks);
                    restoreMillis = Duration.between(passStarted, clock.instant()).toMillis();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checks.error(CheckName.RESTORE, "interrupted");
            } finally {
                child.get().close();
            }
        }

        private void compareRestoredRows(ScratchDatabase scratch, Optional<BackupManifest> manifest, Checks checks) {
            if (manifest.isEmpty()) {
                checks.pass(CheckName.RESTORE, "restored into " + scratch.name() + " without errors (no manifest to compare rows with)");
                return;
            }
            List<String> tables = manifest.get().tables().stream().map(BackupManifest.TableRows::name).toList();
            try (Connection c = new PgConnector(scratch.settings()).open()) {
                Map<String, Long> restored = new PgServerInspector(new PgConnector(scratch.settings())).countRows(c, tables);
                List<String> problems = new ArrayList<>();
                for (BackupManifest.TableRows t : manifest.get().tables()) {
                    long rows = restored.getOrDefault(t.name(), -1L);
                    if (rows != t.rows()) {
                        problems.add(String.format("%s has %,d rows restored, %,d in the manifest", t.name(), rows, t.rows()));
                    }
                }
                checks.check(CheckName.RESTORE, problems.isEmpty(), (problems.isEmpty()
                        ? "restored into " + scratch.name() + " with ON_ERROR_STOP; row counts of all "
                        + tables.size() + " tables match the manifest" : String.join("; ", problems))
                        + scratchGlobals.createdDetail());
                scratchGlobals.check(scratch, manifest, checks);
            } catch (SQLException e) {
                checks.error(CheckName.RESTORE, "restored, but counting rows failed: " + e.getMessage());
            }
        }

        private VerificationRecord record(Optional<String> dump, BackupNames names,
                                          Optional<BackupManifest> manifest, Checks checks, long storedBytes, boolean anomaly) {
            Instant finished = clock.instant();
            long millis = Duration.between(started, finished).toMillis();
            String status = checks.status(timedOut);
            Double rate = millis > 0 && storedBytes > 0 ? storedBytes / 1e6 / (millis / 1000.0) : null;
            return new VerificationRecord(VerificationRecord.VERSION, parsed.environment().id(), parsed.timestamp(),
                    dump.orElse(null), manifest.isPresent() ? names.manifest() : null, status, anomaly, started.toString(),
                    finished.toString(), millis, restoreMillis, storedBytes, rate, checks.list());
        }
    }

    private static com.neurocred.backup.postgres.PgVersion parseVersion(Optional<BackupManifest> manifest) {
        String v = manifest.map(BackupManifest::toolVersion).orElse("0");
        int major = Integer.parseInt(v.replaceAll("^(\\d+).*$", "$1").isEmpty() ? "0" : v.replaceAll("^(\\d+).*$", "$1"));
        return new com.neurocred.backup.postgres.PgVersion(major, v);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
